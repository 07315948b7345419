import { MemoryStore } from '@galaxy-harden/store';
import { describe, expect, it } from 'vitest';
import {
  MemoryMfaRecords,
  Mfa,
  MfaError,
  type MfaOptions,
  TotpVerifier,
  type TotpVerifierOptions,
} from '../src/index.js';
import { testKeys } from './support.js';

const base = (): MfaOptions => ({
  issuer: 'Galaxy',
  records: new MemoryMfaRecords(),
  encryption: testKeys(),
});

function optionErrorOf(fn: () => unknown): MfaError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MfaError && error.code === 'ERR_MFA_OPTION') return error;
    throw error;
  }
  throw new Error('expected ERR_MFA_OPTION');
}

// A plain Store without reserveAttempt: the default limiter cannot run on it.
class PlainStore {
  private readonly inner = new MemoryStore();
  increment = this.inner.increment.bind(this.inner);
  setIfAbsent = this.inner.setIfAbsent.bind(this.inner);
  setIfGreater = this.inner.setIfGreater.bind(this.inner);
  get = this.inner.get.bind(this.inner);
  delete = this.inner.delete.bind(this.inner);
  close = this.inner.close.bind(this.inner);
}

describe('Mfa options are checked at construction', () => {
  it.each([
    [
      { issuer: 'Galaxy:EU' },
      'option issuer must be 1 to 64 characters without ":" or control characters, ' +
        'got "Galaxy:EU"; use',
    ],
    [
      { records: {} },
      'option records must have load(userId) and save(record), got an object; ' +
        'pass your user store adapter',
    ],
    [
      { limiter: { check: () => true } },
      'option limiter must have reserve({ account, address }), got an object;',
    ],
    [
      { totp: { digits: 5 } },
      'option totp.digits must be an integer from 6 to 8, got 5; leave it unset for the default',
    ],
    [
      { totp: { algorithm: 'md5' } },
      "option totp.algorithm must be 'sha1', 'sha256' or 'sha512', got \"md5\"",
    ],
    [
      { totp: { periodSeconds: 10 } },
      'option totp.periodSeconds must be an integer from 15 to 120, got 10',
    ],
    [{ totp: { window: 10 } }, 'option totp.window must be an integer from 0 to 3, got 10'],
    [{ recoveryCodeCount: 4 }, 'option recoveryCodeCount must be an integer from 8 to 20, got 4'],
    [
      { enrolmentTtlSeconds: 0 },
      'option enrolmentTtlSeconds must be an integer from 60 to 3600, got 0',
    ],
    [{ now: 5 }, 'option now must be a function, got 5'],
    [{ onEvent: 'log' }, 'option onEvent must be a function, got "log"'],
    [
      { enforcement: { graceSeconds: 1 } },
      'option enforcement must be an array of rules, got an object',
    ],
    [{ store: new PlainStore() }, 'option limiter is required when store has no reserveAttempt'],
    [
      { totp: { digits: 7 } },
      'option totp.digits must be 6 or 8 (authenticator apps show no 7-digit codes), got 7; ' +
        'leave it unset for 6, or use 8',
    ],
    [{ totp: { periodSeconds: 0 } }, 'option totp.periodSeconds must be an integer from 15 to'],
    [{ totp: null }, 'option totp must be an object, got null; leave it unset for the defaults'],
    [
      { enforcement: [{ enforcedSince: 0, graceSeconds: 0, userIds: ['ana', 7] }] },
      'option enforcement[0].userIds must be an array of strings, got an array of 2',
    ],
  ])('refuses %j naming the package, option, value and fix', (bad, message) => {
    const error = optionErrorOf(() => new Mfa({ ...base(), ...(bad as Partial<MfaOptions>) }));
    expect(error.message).toContain(`@galaxy-harden/mfa: ${message}`);
  });

  it.each([
    [null, 'null'],
    [{}, 'an object'],
    ['redis://127.0.0.1:6379', '"redis://127.0.0.1:6379"'],
  ])(
    'refuses the store %j at construction, limiter given or not (store not checked)',
    (store, got) => {
      const limiter = { reserve: async () => ({ allowed: false as const, retryAfterSeconds: 1 }) };
      const message =
        '@galaxy-harden/mfa: option store must be a @galaxy-harden/store Store (increment, ' +
        `setIfAbsent, setIfGreater, get, delete), got ${got}; pass createRedisStore({ url })`;
      for (const extra of [{}, { limiter }]) {
        const options = { ...base(), ...extra, store } as unknown as MfaOptions;
        expect(optionErrorOf(() => new Mfa(options)).message).toContain(message);
      }
      const verifier = { store } as unknown as TotpVerifierOptions;
      expect(optionErrorOf(() => new TotpVerifier(verifier)).message).toContain(message);
    },
  );

  it.each(['0123456789abcdef0123456789abcdef', 'hunter2-correct-horse'])(
    'shows a key given as the string %j only by its length (key material in an error message)',
    (key) => {
      const encryption = {
        keys: { k1: key },
        currentKeyId: 'k1',
      } as unknown as MfaOptions['encryption'];
      const error = optionErrorOf(() => new Mfa({ ...base(), encryption }));
      expect(error.message).toBe(
        '@galaxy-harden/mfa: option encryption.keys.k1 must be exactly 32 bytes (AES-256), ' +
          `got a string of ${key.length} chars; use crypto.randomBytes(32) or a 32-byte key from ` +
          'your secret manager',
      );
    },
  );

  it('escapes invisible characters of a rejected value instead of logging them raw', () => {
    const error = optionErrorOf(() => new Mfa({ ...base(), issuer: 'Gal:\u0085axy\u202e' }));
    expect(error.message).toContain('got "Gal:\\u0085axy\\u202e"');
    expect(error.message).not.toMatch(/[\u0085\u202e]/);
  });

  it('reads an enforcement function at every decision, and refuses a bad result then', () => {
    let rules: unknown = [];
    const mfa = new Mfa({ ...base(), enforcement: () => rules as [] });
    expect(mfa.enforcement({ userId: 'ana' })).toEqual({ status: 'not-required' });
    rules = [{ enforcedSince: 0, graceSeconds: -5 }];
    expect(() => mfa.enforcement({ userId: 'ana' })).toThrow(
      /option enforcement\[0\]\.graceSeconds/,
    );
  });

  it('accepts a plain store when a limiter is given', () => {
    const limiter = { reserve: async () => ({ allowed: false as const, retryAfterSeconds: 1 }) };
    expect(() => new Mfa({ ...base(), store: new PlainStore(), limiter })).not.toThrow();
  });

  it('checks TotpVerifier options too', () => {
    expect(optionErrorOf(() => new TotpVerifier({ totp: { digits: 9 } })).message).toContain(
      'totp.digits',
    );
    expect(
      optionErrorOf(() => new TotpVerifier({ now: 1 as unknown as () => number })).message,
    ).toContain('option now');
  });
});
