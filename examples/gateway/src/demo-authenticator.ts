import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Mfa } from '@galaxy-harden/mfa';
import { generateSync } from 'otplib';
import { GatewayError } from './errors.js';

// The gateway's TOTP parameters are the package defaults (RFC 6238: HMAC-SHA-1, 6 digits,
// 30-second steps, one step of drift accepted either way); otplib's defaults are the same.
const PERIOD_SECONDS = 30;
const PERIOD_MS = PERIOD_SECONDS * 1000;

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
 * The TOTP code of `secret` for an RFC 6238 time step, made by otplib: what an
 * authenticator app shows during that step. `secret` is base32 text, as in an `otpauth://`
 * URI (otplib decodes it), or the key bytes.
 *
 * @example
 * const secret = new TextEncoder().encode('12345678901234567890');
 * totpCode(secret, 1); // '287082' (RFC 6238 appendix B, T = 59 s)
 */
export function totpCode(secret: string | Uint8Array, step: number): string {
  return generateSync({ secret, epoch: step * PERIOD_SECONDS });
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
  const step = Math.max(stepAt(nowMs), lastStep + 1);

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
  const lastStep = await confirmWithPreviousStep(mfa, userId, start.secret);

  const state: DemoAuthenticatorState = { user: userId, secret: start.secret, lastStep };
  await writeFile(file, `${JSON.stringify(state)}\n`, { mode: 0o600, flag: 'wx' });
}

// The previous step's code is accepted only until the next step begins. On a loaded machine
// one may begin between picking the code and checking it; the new previous step then has
// nearly a whole period left, so one more try is enough; two are the most ever made.
async function confirmWithPreviousStep(mfa: Mfa, userId: string, secret: string) {
  let reason = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const step = stepAt(mfa.now()) - 1;
    const code = totpCode(secret, step);
    const outcome = await mfa.confirmEnrolment(userId, code, { address: '127.0.0.1' });
    if (outcome.ok) return step;

    reason = outcome.reason;
    if (reason !== 'invalid' || stepAt(mfa.now()) - 1 === step) break;
  }

  throw authenticatorError(`could not enrol ${userId} (${reason})`);
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

  return { code: totpCode(state.secret, step), notBeforeMs };
}

function stepAt(ms: number): number {
  return Math.floor(ms / PERIOD_MS);
}

async function readState(file: string): Promise<DemoAuthenticatorState> {
  // As ssh does with a private key: a secret others can read is refused, not used.
  if (((await stat(file)).mode & 0o077) !== 0) {
    throw authenticatorError(`${file} is open to other users; it must be mode 0600`);
  }

  const state = parseJson(await readFile(file, 'utf8'));
  if (isState(state)) return state;

  throw authenticatorError(`${file} is not a demo authenticator file`);
}

// V8's JSON.parse errors quote the text around the fault, which here may be the secret.
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
