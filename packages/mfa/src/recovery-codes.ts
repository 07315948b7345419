import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so codes read aloud or copied by hand survive.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LOOKALIKES: Readonly<Record<string, string>> = { o: '0', i: '1', l: '1' };
/** Characters per code: 12 x 5 bits = 60 bits, above the 50 bits an online guess needs. */
export const RECOVERY_CODE_LENGTH = 12;

/**
 * A set of recovery codes as stored: only HMAC-SHA-256 digests under a per-set random salt,
 * and when each was used. The codes themselves are shown once and never stored.
 *
 * @example
 * const left = record.recovery?.usedAt.filter((at) => at === null).length ?? 0;
 */
export interface RecoveryCodeSet {
  /** Random id; regenerating makes a new id, so markers of the old set never match. */
  setId: string;
  /** base64url salt, the HMAC key for this set. */
  salt: string;
  /** base64url digests, one per code. */
  hashes: string[];
  /** Milliseconds since the epoch each code was used, or null while unused. */
  usedAt: (number | null)[];
  createdAt: number;
}

/** Makes `count` fresh codes and the stored form of the set. */
export function generateRecoveryCodes(
  count: number,
  now: number,
): { codes: string[]; set: RecoveryCodeSet } {
  const salt = randomBytes(16);
  const codes = Array.from({ length: count }, () => randomCode());
  const set: RecoveryCodeSet = {
    setId: randomBytes(12).toString('base64url'),
    salt: salt.toString('base64url'),
    hashes: codes.map((code) => digest(salt, code).toString('base64url')),
    usedAt: codes.map(() => null),
    createdAt: now,
  };

  return { codes: codes.map(format), set };
}

/** How many codes of the set are still unused. */
export function recoveryCodesLeft(set: RecoveryCodeSet | undefined): number {
  return set ? set.usedAt.filter((usedAt) => usedAt === null).length : 0;
}

/**
 * Normalises typed input (case, hyphens, spaces, Crockford look-alikes) or returns undefined
 * when it cannot be a recovery code.
 */
export function normaliseRecoveryInput(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;

  const clean = [...input.toLowerCase().replace(/[\t\n\f\r -]/g, '')]
    .map((char) => LOOKALIKES[char] ?? char)
    .join('');
  if (clean.length !== RECOVERY_CODE_LENGTH) return undefined;

  return [...clean].every((char) => ALPHABET.includes(char)) ? clean : undefined;
}

/**
 * The index of the code in `set` that `code` (normalised) matches, or undefined. Every
 * stored digest is compared in constant time, matched or not.
 */
export function findRecoveryCode(set: RecoveryCodeSet, code: string): number | undefined {
  const candidate = digest(Buffer.from(set.salt, 'base64url'), code);
  let found: number | undefined;
  set.hashes.forEach((hash, index) => {
    const stored = Buffer.from(hash, 'base64url');
    const same = stored.length === candidate.length && timingSafeEqual(stored, candidate);
    if (same && found === undefined) found = index;
  });

  return found;
}

function randomCode(): string {
  // 256 is a multiple of 32, so masking a random byte keeps every character equally likely.
  return [...randomBytes(RECOVERY_CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
}

function format(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

function digest(salt: Buffer, code: string): Buffer {
  return createHmac('sha256', salt).update(code).digest();
}
