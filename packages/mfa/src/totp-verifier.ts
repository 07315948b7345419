import { MemoryStore, type Store } from '@galaxy-harden/store';
import { optionError } from './errors.js';
import { assertKnownKeys, optionNames } from './option-keys.js';
import { ReplayGuard } from './replay-guard.js';
import { checkStore } from './store-check.js';
import { normaliseTotpInput } from './token-input.js';
import { checkTotp } from './totp-check.js';
import { resolveTotpParameters, type TotpParameters } from './totp-parameters.js';

/**
 * Options of {@link TotpVerifier}.
 *
 * @example
 * const options: TotpVerifierOptions = { store: redisStore, totp: { window: 1 } };
 */
export interface TotpVerifierOptions {
  /** Where the last accepted time step per credential is kept; defaults to a `MemoryStore`. */
  store?: Store;
  /** Defaults to SHA-1, 6 digits, 30 s, one step each side. */
  totp?: Partial<TotpParameters>;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
}

const VERIFIER_OPTIONS = optionNames<TotpVerifierOptions>({ store: true, totp: true, now: true });

/**
 * The outcome of {@link TotpVerifier.verify}.
 *
 * @example
 * if (verdict.ok) log({ driftSteps: verdict.driftSteps });
 */
export type TotpVerdict =
  | { ok: true; timeStep: number; driftSteps: number }
  | { ok: false; reason: 'malformed' | 'invalid' | 'replay' };

/**
 * The bare check, for apps that keep secrets themselves: input normalisation, the RFC 6238
 * check inside the window, and the atomic replay guard. Throttling is the caller's job here;
 * {@link Mfa} adds it, with records and recovery codes.
 *
 * @example
 * const verifier = new TotpVerifier({ store: redisStore });
 * const verdict = await verifier.verify('cred-1', secretBytes, req.body.code);
 * if (!verdict.ok) return res.status(401).end();
 */
export class TotpVerifier {
  private readonly params: TotpParameters;
  private readonly replay: ReplayGuard;
  private readonly now: () => number;

  constructor(options: TotpVerifierOptions = {}) {
    if (options === null || typeof options !== 'object') {
      throw optionError('options', options, 'must be an object', 'pass { store } or leave it out');
    }

    assertKnownKeys('', options, VERIFIER_OPTIONS);
    this.now = options.now ?? Date.now;
    if (typeof this.now !== 'function') {
      throw optionError('now', options.now, 'must be a function', 'leave it unset for Date.now');
    }

    this.params = resolveTotpParameters(options.totp);
    const store =
      options.store === undefined ? new MemoryStore({ now: this.now }) : checkStore(options.store);
    this.replay = new ReplayGuard(store, this.params);
  }

  /**
   * Verifies `input` for the credential. Only one caller ever gets `ok` for a time step.
   *
   * @throws MfaError `ERR_MFA_STORE` when the store fails: refuse the login.
   */
  async verify(credentialId: string, secret: Uint8Array, input: unknown): Promise<TotpVerdict> {
    const token = normaliseTotpInput(input, this.params.digits);
    if (token === undefined) return { ok: false, reason: 'malformed' };

    const match = checkTotp(secret, token, this.params, Math.floor(this.now() / 1000));
    if (!match) return { ok: false, reason: 'invalid' };
    if (!(await this.replay.accept(credentialId, match.timeStep)))
      return { ok: false, reason: 'replay' };

    return { ok: true, ...match };
  }
}
