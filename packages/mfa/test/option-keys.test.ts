import { describe, expect, it } from 'vitest';
import { MemorySessions, mfaExpress } from '../src/express.js';
import {
  DEFAULT_TOTP_PARAMETERS,
  enforcementStatus,
  IdTokenVerifier,
  MemoryMfaRecords,
  Mfa,
  MfaError,
  type MfaOptions,
  otpauthUri,
  SecretBox,
  TotpVerifier,
} from '../src/index.js';
import { nearestName } from '../src/option-keys.js';
import { harness, testKeys } from './support.js';

// Class: a misspelt option silently ignored. Each of these was accepted before and left the
// default in force, the caller believing the option took effect.
const PKG = '@galaxy-harden/mfa:';
const base = (): MfaOptions => ({
  issuer: 'Galaxy',
  records: new MemoryMfaRecords(),
  encryption: testKeys(),
});
const idp = { issuer: 'https://idp.galaxy.test/realms/galaxy', audience: 'galaxy' };
const jwksUri = 'https://idp.galaxy.test/realms/galaxy/protocol/openid-connect/certs';

function thrown(make: () => unknown): MfaError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(MfaError);
    return error as MfaError;
  }
  throw new Error('expected a throw');
}

async function rejected(make: () => Promise<unknown>): Promise<MfaError> {
  const error = await make().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MfaError);

  return error as MfaError;
}

const MISSPELT: Array<[string, () => unknown, string]> = [
  [
    "jose's clockTolerance on the ID token verifier",
    () => new IdTokenVerifier({ ...idp, jwksUri, clockTolerance: 0 } as never),
    'option idp.clockTolerance does not exist, got 0; rename it to clockToleranceSeconds',
  ],
  [
    'jwksUrl for jwksUri',
    () => new IdTokenVerifier({ ...idp, jwksUri, jwksUrl: jwksUri } as never),
    `option idp.jwksUrl does not exist, got a string of ${jwksUri.length} chars; rename it ` +
      'to jwksUri',
  ],
  [
    'the US spelling enrollmentTtlSeconds on Mfa',
    () => new Mfa({ ...base(), enrollmentTtlSeconds: 60 } as never),
    'option enrollmentTtlSeconds does not exist, got 60; rename it to enrolmentTtlSeconds',
  ],
  [
    'an encryption key at the top level',
    () => new Mfa({ ...base(), encryptionKey: Buffer.alloc(32, 7) } as never),
    'option encryptionKey does not exist, got 32 bytes; remove it, or use one of issuer, ' +
      'records, encryption, limiter, store, totp, enforcement, recoveryCodeCount, ' +
      'enrolmentTtlSeconds, now, onEvent',
  ],
  [
    'currentKey in the encryption options',
    () => new Mfa({ ...base(), encryption: { ...testKeys(), currentKey: 'k1' } } as never),
    'option encryption.currentKey does not exist, got a string of 2 chars; rename it to ' +
      'currentKeyId',
  ],
  [
    'period in the TOTP parameters',
    () => new Mfa({ ...base(), totp: { period: 60 } } as never),
    'option totp.period does not exist, got 60; rename it to periodSeconds',
  ],
  [
    'userId in an enforcement rule (the rule would cover everyone)',
    () =>
      new Mfa({
        ...base(),
        enforcement: [{ enforcedSince: 0, graceSeconds: 0, userId: ['ana'] }],
      } as never),
    'option enforcement[0].userId does not exist, got an array of 1; rename it to userIds',
  ],
  [
    'algorithm on a SecretBox',
    () => new SecretBox({ ...testKeys(), algorithm: 'aes-128-gcm' } as never),
    'option encryption.algorithm does not exist, got a string of 11 chars; remove it, or use ' +
      'one of keys, currentKeyId',
  ],
  [
    'window at the top level of a TotpVerifier',
    () => new TotpVerifier({ window: 0 } as never),
    'option window does not exist, got 0; remove it, or use one of store, totp, now',
  ],
  [
    'Secure on MemorySessions',
    () => new MemorySessions({ Secure: false } as never),
    'option sessions.Secure does not exist, got false; rename it to secure',
  ],
  [
    'maxAgeSeconds at the top level of mfaExpress',
    () => mfaExpress({ mfa: harness().mfa, session: new MemorySessions(), maxAge: 60 } as never),
    'option maxAge does not exist, got 60; remove it, or use one of mfa, session, pages, ' +
      'realm, challengeScheme, freshMaxAgeSeconds, accountName, idp, idpUser',
  ],
  [
    'a page named in lower case',
    () =>
      mfaExpress({
        mfa: harness().mfa,
        session: new MemorySessions(),
        pages: { login: '/login', secondstep: '/code' },
      } as never),
    'option pages.secondstep does not exist, got a string of 5 chars; rename it to secondStep',
  ],
  [
    'maxAge on requireFreshMfa',
    () =>
      mfaExpress({ mfa: harness().mfa, session: new MemorySessions() }).requireFreshMfa({
        maxAgeSeconds: 300,
        maxAge: 60,
      } as never),
    'option requireFreshMfa.maxAge does not exist, got 60; rename it to maxAgeSeconds',
  ],
];

describe('options are checked by name', () => {
  it.each(MISSPELT)('refuses a misspelt option name: %s', (_name, make, message) => {
    const error = thrown(make);

    expect(error.code).toBe('ERR_MFA_OPTION');
    expect(error.message).toBe(`${PKG} ${message}`);
  });

  it('shows a misspelt option holding a key by its size only', () => {
    const key = 'a3f1c9e2b7d4a3f1c9e2b7d4a3f1c9e2';
    const error = thrown(() => new Mfa({ ...base(), masterKey: key } as never));

    expect(error.message).not.toContain(key);
    expect(error.message).toContain('got a string of 32 chars');
  });

  it('accepts every documented option name', () => {
    const options = {
      ...base(),
      store: undefined,
      totp: { algorithm: 'sha1' as const, digits: 6, periodSeconds: 30, window: 1 },
      enforcement: [{ enforcedSince: 0, graceSeconds: 60, userIds: ['ana'], roles: ['admin'] }],
      recoveryCodeCount: 10,
      enrolmentTtlSeconds: 600,
      now: Date.now,
      onEvent: () => {},
    };

    expect(() => new Mfa(options)).not.toThrow();
    expect(
      () => new MemorySessions({ cookieName: 'sid', secure: true, ttlMs: 1, now: Date.now }),
    ).not.toThrow();
  });
});

describe('per-call options are checked by name', () => {
  it('refuses a misspelt passwordAt, which would skip the stale-login check', async () => {
    const { mfa } = harness();
    const error = await rejected(() => mfa.verify('ana', '123456', { passwordat: 1 } as never));

    expect(error.code).toBe('ERR_MFA_ARGUMENT');
    expect(error.message).toBe(
      `${PKG} argument options.passwordat does not exist; rename it to passwordAt`,
    );
  });

  it('refuses a misspelt option name when confirming an enrolment', async () => {
    const { mfa } = harness();
    const error = await rejected(() =>
      mfa.confirmEnrolment('ana', '123456', { ip: '192.0.2.1' } as never),
    );

    expect(error.code).toBe('ERR_MFA_ARGUMENT');
    expect(error.message).toContain('argument options.ip does not exist; remove it, or use');
  });

  it('refuses a misspelt accountName when starting an enrolment', async () => {
    const { mfa } = harness();
    const error = await rejected(() =>
      mfa.startEnrolment({ userId: 'ana', account: 'ana@galaxy.test' } as never),
    );

    expect(error.code).toBe('ERR_MFA_ARGUMENT');
    expect(error.message).toContain('argument user.account does not exist');
  });

  it('refuses a misspelt nonce before reading the token (injected login)', async () => {
    const verifier = new IdTokenVerifier({ ...idp, jwksUri });
    const error = await rejected(() => verifier.verify('a.b.c', { Nonce: 'n-1' } as never));

    expect(error.code).toBe('ERR_MFA_ARGUMENT');
    expect(error.message).toBe(`${PKG} argument expected.Nonce does not exist; rename it to nonce`);
  });
});

describe('inputs of the pure functions are checked by name', () => {
  it('refuses a misspelt rule field given to enforcementStatus (the rule would cover all)', () => {
    const rules = [{ enforcedSince: 0, graceSeconds: 0, role: ['admin'] }] as never;
    const error = thrown(() => enforcementStatus(rules, { userId: 'ana' }, 1));

    expect(error.code).toBe('ERR_MFA_OPTION');
    expect(error.message).toBe(
      `${PKG} option enforcement[0].role does not exist, got an array of 1; rename it to roles`,
    );
  });

  it('refuses a misspelt secret in an otpauth URI instead of writing secret=undefined', () => {
    const input = { issuer: 'Galaxy', accountName: 'ana', Secret: 'JBSWY3DP' };
    const error = thrown(() => otpauthUri({ ...input, params: DEFAULT_TOTP_PARAMETERS } as never));

    expect(error.code).toBe('ERR_MFA_ARGUMENT');
    expect(error.message).toBe(`${PKG} argument input.Secret does not exist; rename it to secret`);
  });
});

describe('nearestName', () => {
  const known = ['clockToleranceSeconds', 'periodSeconds', 'userIds', 'now'];

  it.each([
    ['CLOCKTOLERANCESECONDS', 'clockToleranceSeconds'],
    ['clockTolerance', 'clockToleranceSeconds'],
    ['period', 'periodSeconds'],
    ['userId', 'userIds'],
    ['nwo', 'now'],
  ])('suggests %s -> %s', (given, meant) => {
    expect(nearestName(given, known)).toBe(meant);
  });

  it.each(['per', 'timeout', 'x'])('suggests nothing for %s', (given) => {
    expect(nearestName(given, known)).toBeUndefined();
  });
});
