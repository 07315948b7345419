import { crypto as nodeCrypto } from '@otplib/plugin-crypto-node';
import { verifySync } from 'otplib';
import type { TotpParameters } from './totp-parameters.js';

/** A code that matched: the RFC 6238 time step, and how many steps from "now" it was. */
export interface TotpMatch {
  timeStep: number;
  driftSteps: number;
}

/**
 * Checks a normalised token against the secret inside the window. HMAC and the code
 * comparison run in `node:crypto` through otplib's node plugin (`timingSafeEqual` after a
 * length check; the length is public, the digit count). Every otplib throw (bad token,
 * short secret, out-of-range time) becomes "no match": under Express 5 an uncaught throw
 * would be a 500, and a caller must not learn more than "invalid".
 */
export function checkTotp(
  secret: Uint8Array,
  token: string,
  params: TotpParameters,
  epochSeconds: number,
): TotpMatch | undefined {
  try {
    const result = verifySync({
      secret,
      token,
      algorithm: params.algorithm,
      digits: params.digits,
      period: params.periodSeconds,
      epoch: epochSeconds,
      // otplib's tolerance is in seconds, not steps: one period per step of window.
      epochTolerance: params.window * params.periodSeconds,
      crypto: nodeCrypto,
    });

    // The TOTP branch of otplib's result always carries the matched RFC 6238 time step.
    if (!result.valid || !('timeStep' in result)) return undefined;

    return { timeStep: result.timeStep, driftSteps: result.delta };
  } catch {
    return undefined;
  }
}
