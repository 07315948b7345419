import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hstsHeaderValue, ONE_YEAR_SECONDS, parseHsts } from '../src/hsts.js';
import { thrown } from './support/thrown.js';

describe('hstsHeaderValue', () => {
  it('defaults to one year with includeSubDomains and no preload', () => {
    expect(hstsHeaderValue()).toBe('max-age=31536000; includeSubDomains');
  });

  it('adds preload only when asked and its conditions hold', () => {
    expect(hstsHeaderValue({ preload: true, maxAgeSeconds: 63_072_000 })).toBe(
      'max-age=63072000; includeSubDomains; preload',
    );
  });

  it.each([
    [{ preload: true, includeSubDomains: false }, 'includeSubDomains is false'],
    [{ preload: true, maxAgeSeconds: 86_400 }, 'maxAgeSeconds is 86400'],
    [{ preload: true, maxAgeSeconds: 0, includeSubDomains: false }, 'maxAgeSeconds is 0'],
  ])('preload without its conditions is refused at start-up: %j', (options, detail) => {
    const err = thrown(() => hstsHeaderValue(options));
    expect(err.code).toBe('ERR_HEADERS_PRELOAD');
    expect(err.message).toContain('@galaxy-harden/headers: option hsts.preload');
    expect(err.message).toContain(detail);
    expect(err.message).toContain('Fix:');
  });

  it.each([0, 1, 15_768_000, ONE_YEAR_SECONDS - 1, 1.5e7 + 0.5, Number.NaN, -1, '31536000'])(
    'refuses a max-age under a year or not a whole number: %s',
    (maxAgeSeconds) => {
      const err = thrown(() => hstsHeaderValue({ maxAgeSeconds: maxAgeSeconds as number }));
      expect(err.code).toBe('ERR_HEADERS_OPTION');
      expect(err.message).toMatch(/option hsts\.maxAgeSeconds got .*at least 31536000.*Fix:/);
    },
  );

  it('refuses non-boolean flags instead of reading them as truthy', () => {
    const err = thrown(() => hstsHeaderValue({ includeSubDomains: 'false' as unknown as boolean }));
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toContain('hsts.includeSubDomains got "false"');
  });
});

describe('hstsHeaderValue and parseHsts agree (class: generator and audit disagree)', () => {
  it('reads back the longest max-age the generator accepts (16 digits)', () => {
    const value = hstsHeaderValue({ maxAgeSeconds: Number.MAX_SAFE_INTEGER });
    expect(value).toBe('max-age=9007199254740991; includeSubDomains');
    expect(parseHsts(value)).toMatchObject({ ok: true, maxAgeSeconds: Number.MAX_SAFE_INTEGER });
  });

  it('reads a max-age of any length as a long time, not as a parse failure', () => {
    expect(parseHsts(`max-age=${'9'.repeat(40)}`)).toMatchObject({
      ok: true,
      maxAgeSeconds: Number.MAX_SAFE_INTEGER,
    });
  });
});

describe('preload with a max-age of the wrong type (class: preload without its conditions)', () => {
  it('names the wrong type, not a max-age too short for preload', () => {
    const err = thrown(() =>
      hstsHeaderValue({ preload: true, maxAgeSeconds: '31536000' as unknown as number }),
    );
    expect(err.code).toBe('ERR_HEADERS_OPTION');
    expect(err.message).toBe(
      '@galaxy-harden/headers: option hsts.maxAgeSeconds got "31536000"; it must be a whole ' +
        'number of seconds of at least 31536000 (one year). Fix: omit it for one year, or ' +
        'pass a larger whole number such as 63072000',
    );
  });
});

describe('parseHsts', () => {
  it.each([
    ['max-age=31536000; includeSubDomains', 31_536_000, true, false],
    ['MAX-AGE="600"', 600, false, false],
    ['includesubdomains ; max-age=0 ;preload', 0, true, true],
    ['max-age=31536000;', 31_536_000, false, false],
  ])('reads %s', (value, maxAgeSeconds, includeSubDomains, preload) => {
    expect(parseHsts(value)).toEqual({ ok: true, maxAgeSeconds, includeSubDomains, preload });
  });

  it.each([
    ['', 'max-age is missing'],
    ['includeSubDomains', 'max-age is missing'],
    ['max-age=-1', 'max-age is missing or not a number'],
    ['max-age=1e9', 'max-age is missing or not a number'],
    ['max-age=1; max-age=2', 'appears twice'],
    ['max-age=31536000, max-age=31536000', 'several header fields'],
    ['max-age=31536000; includeSubDomains x', 'cannot parse directive'],
  ])('rejects %j', (value, reason) => {
    const parsed = parseHsts(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it('round-trips every value the generator can produce', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: ONE_YEAR_SECONDS, max: Number.MAX_SAFE_INTEGER }),
        fc.boolean(),
        (maxAgeSeconds, includeSubDomains) => {
          const value = hstsHeaderValue({ maxAgeSeconds, includeSubDomains });
          expect(parseHsts(value)).toEqual({
            ok: true,
            maxAgeSeconds,
            includeSubDomains,
            preload: false,
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
