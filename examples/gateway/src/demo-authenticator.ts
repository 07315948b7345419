import { createHmac } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { decodeBase32, type Mfa } from '@galaxy-harden/mfa';
import { GatewayError } from './errors.js';

// The gateway's TOTP parameters are the package defaults (RFC 6238: HMAC-SHA-1, 6 digits,
// 30-second steps, one step of drift accepted either way); this authenticator uses the same.
const PERIOD_MS = 30_000;
const DIGITS = 1_000_000;

/** What `npm start` keeps in a 0600 file for a demo user it enrolled, so curl users get codes. */
export interface DemoAuthenticatorState {
  readonly user: string;
  /** The TOTP secret, base32 as in an `otpauth://` URI. */
  readonly secret: string;
  /** The last time step handed out (or used to confirm the enrolment). */
  readonly lastStep: number;
}

/** A code handed out, and the time (ms) from which the gateway accepts it. */
export interface DemoCode {
  readonly code: string;
  readonly notBeforeMs: number;
}

/**
 * The TOTP code of `secret` for a time step (RFC 4226 section 5.3 dynamic truncation over
 * RFC 6238's step counter): what an authenticator app shows.
 *
 * @example
 * const secret = new TextEncoder().encode('12345678901234567890');
 * totpCode(secret, 1); // '287082' (RFC 6238 appendix B, T = 59 s)
 */
export function totpCode(secret: Uint8Array, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = (mac.at(-1) ?? 0) & 0x0f;

  return String((mac.readUInt32BE(offset) & 0x7fffffff) % DIGITS).padStart(6, '0');
}

/**
 * Picks the next step to hand out: the current one, or one after the last handed out, since
 * the gateway refuses a step it has already accepted (replay). One step ahead is accepted
 * at once (drift); a step further ahead only once its predecessor's period has begun.
 *
 * @example
 * nextDemoStep(10, 11 * 30_000 + 5); // { step: 11, notBeforeMs: 330005 }
 */
export function nextDemoStep(
  lastStep: number,
  nowMs: number,
): { step: number; notBeforeMs: number } {
  const step = Math.max(Math.floor(nowMs / PERIOD_MS), lastStep + 1);

  return { step, notBeforeMs: Math.max(nowMs, (step - 1) * PERIOD_MS) };
}

/** Options of {@link enrolDemoUser}. */
export interface EnrolDemoUserOptions {
  /** The gateway's second factor (`gatewayMfa(...).mfa`). */
  readonly mfa: Mfa;
  readonly userId: string;
  /** Where the secret goes: a new file in a directory only this user can enter. */
  readonly file: string;
}

/**
 * Enrols `userId` in the gateway's second factor with a fresh secret and writes it to `file`
 * (created, never overwritten, mode 0600): the demo's stand-in for a phone. The enrolment is
 * confirmed with the previous step's code, so the current step is still fresh for the first
 * login after start.
 *
 * @example
 * await enrolDemoUser({ mfa: second.mfa, userId: 'ana', file: join(privateDir, 'ana.totp') });
 */
export async function enrolDemoUser(options: EnrolDemoUserOptions): Promise<void> {
  const { mfa, userId, file } = options;
  const start = await mfa.startEnrolment({ userId });
  const lastStep = Math.floor(mfa.now() / PERIOD_MS) - 1;
  const code = totpCode(decodeBase32(start.secret), lastStep);
  const outcome = await mfa.confirmEnrolment(userId, code, { address: '127.0.0.1' });
  if (!outcome.ok) throw authenticatorError(`could not enrol ${userId} (${outcome.reason})`);

  const state: DemoAuthenticatorState = { user: userId, secret: start.secret, lastStep };
  await writeFile(file, `${JSON.stringify(state)}\n`, { mode: 0o600, flag: 'wx' });
}

/**
 * Hands out the next code from a file written by {@link enrolDemoUser}, and notes its step
 * there so no code is handed out twice.
 *
 * @throws GatewayError `ERR_GATEWAY_AUTHENTICATOR` when the file is readable by others or
 * is not such a file; the message never holds the secret.
 * @example
 * const { code, notBeforeMs } = await takeDemoCode('/tmp/gh-demo-x/ana.totp', Date.now());
 */
export async function takeDemoCode(file: string, nowMs: number): Promise<DemoCode> {
  const state = await readState(file);
  const { step, notBeforeMs } = nextDemoStep(state.lastStep, nowMs);
  await writeFile(file, `${JSON.stringify({ ...state, lastStep: step })}\n`);

  return { code: totpCode(decodeBase32(state.secret), step), notBeforeMs };
}

async function readState(file: string): Promise<DemoAuthenticatorState> {
  // As ssh does with a private key: a secret others can read is refused, not used.
  if (((await stat(file)).mode & 0o077) !== 0) {
    throw authenticatorError(`${file} is open to other users; it must be mode 0600`);
  }

  const state: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (isState(state)) return state;

  throw authenticatorError(`${file} is not a demo authenticator file`);
}

function isState(value: unknown): value is DemoAuthenticatorState {
  const state = value as Partial<DemoAuthenticatorState> | null;

  return (
    typeof state?.user === 'string' &&
    typeof state.secret === 'string' &&
    Number.isSafeInteger(state.lastStep)
  );
}

function authenticatorError(message: string): GatewayError {
  return new GatewayError('ERR_GATEWAY_AUTHENTICATOR', `demo authenticator: ${message}`);
}
