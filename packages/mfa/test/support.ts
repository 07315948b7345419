import { randomBytes } from 'node:crypto';
import { MemoryStore } from '@galaxy-harden/store';
import { generateSync } from 'otplib';
import {
  MemoryMfaRecords,
  Mfa,
  type MfaEvent,
  type MfaOptions,
  type MfaRecord,
} from '../src/index.js';

/** A clock tests move by hand; no test sleeps. */
export class FakeClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0); // on a 30 s boundary

export function testKeys() {
  return { keys: { k1: randomBytes(32) }, currentKeyId: 'k1' };
}

/** The code an authenticator app shows for `secret` (base32) at `ms`, computed by otplib. */
export function codeAt(secret: string, ms: number, digits = 6): string {
  return generateSync({ secret, epoch: Math.floor(ms / 1000), digits });
}

export interface Harness {
  mfa: Mfa;
  clock: FakeClock;
  store: MemoryStore;
  records: MemoryMfaRecords;
  events: MfaEvent[];
}

export function harness(overrides: Partial<MfaOptions> = {}, clock = new FakeClock(T0)): Harness {
  const store = new MemoryStore({ now: clock.now });
  const records = new MemoryMfaRecords();
  const events: MfaEvent[] = [];
  const mfa = new Mfa({
    issuer: 'Galaxy Test',
    records,
    encryption: testKeys(),
    store,
    now: clock.now,
    onEvent: (event) => events.push(event),
    ...overrides,
  });

  return { mfa, clock, store, records, events };
}

/** Enrols `userId` and returns the base32 secret and the recovery codes. */
export async function enrolled(h: Harness, userId = 'ana') {
  const start = await h.mfa.startEnrolment({ userId });
  const outcome = await h.mfa.confirmEnrolment(userId, codeAt(start.secret, h.clock.ms));
  if (!outcome.ok) throw new Error(`enrolment failed: ${outcome.reason}`);
  // The confirming code's step is now used; move to the next step for the test's own codes.
  h.clock.advance(30_000);

  return { secret: start.secret, recoveryCodes: outcome.recoveryCodes, start };
}

/**
 * A user database whose reads and writes take a few turns of the event loop, as a real one's
 * do: parallel read-modify-writes of one record then interleave.
 */
export class SlowRecords extends MemoryMfaRecords {
  override async load(userId: string): Promise<MfaRecord | undefined> {
    await turns(3);
    return super.load(userId);
  }

  override async save(record: MfaRecord): Promise<void> {
    await turns(3);
    return super.save(record);
  }
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
