// A full TOTP verification as the package does it (input normalisation, the RFC 6238 check
// in a one-step window, the atomic replay guard in a MemoryStore) against bare otplib
// `verifySync` with its defaults, on the same secret, codes and times, in the same process.
import { randomBytes } from 'node:crypto';
import { encodeBase32, TotpVerifier } from '@galaxy-harden/mfa';
import { MemoryStore } from '@galaxy-harden/store';
import { generateSync, verifySync } from 'otplib';

// Each code passes the replay guard once per credential, so the suite walks a pool of
// consecutive time steps on a fake clock and moves to a fresh credential id when it wraps.
const POOL = 4096;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const STEP_MS = 30_000;

export default async function define() {
  const bytes = new Uint8Array(randomBytes(20));
  const secret = encodeBase32(bytes);
  const epochs = Array.from({ length: POOL }, (_, i) => Math.floor((T0 + i * STEP_MS) / 1000));
  const codes = epochs.map((epoch) => generateSync({ secret, epoch }));
  // Typed the way people do: the package strips the space, otplib gets the bare digits.
  const typed = codes.map((code) => `${code.slice(0, 3)} ${code.slice(3)}`);

  let now = T0;
  const clock = () => now;
  const store = new MemoryStore({ now: clock });
  const verifier = new TotpVerifier({ store, now: clock });
  let ours = 0;
  let cycle = 0;
  let theirs = 0;

  return {
    name: 'mfa: verify a TOTP code',
    subjects: [
      {
        subject: 'galaxy-harden',
        fn: async () => {
          if (ours === POOL) {
            ours = 0;
            cycle += 1;
          }
          now = T0 + ours * STEP_MS;
          const verdict = await verifier.verify(`cred-${cycle}`, bytes, typed[ours++]);
          if (!verdict.ok)
            throw new Error(`mfa bench: expected a valid code, got ${verdict.reason}`);
          return verdict;
        },
      },
      {
        subject: 'otplib',
        fn: () => {
          const i = theirs++ % POOL;
          const result = verifySync({
            secret,
            token: codes[i],
            epoch: epochs[i],
            epochTolerance: 30,
          });
          if (!result.valid) throw new Error('mfa bench: otplib refused a valid code');
          return result;
        },
      },
    ],
    goals: [
      {
        peer: 'otplib',
        minRatio: 0.9,
        text: 'full check (input, window, replay guard in a MemoryStore) >= 0.9x bare verifySync',
      },
    ],
    teardown: () => store.close(),
  };
}
