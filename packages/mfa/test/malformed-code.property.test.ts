import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters } from '../../../test/support/fuzz.js';
import { type TotpVerdict, TotpVerifier } from '../src/index.js';

// RFC 6238 appendix B: the SHA-1 seed at T = 59 s gives 94287082, so six digits 287082.
const SECRET = new TextEncoder().encode('12345678901234567890');
const RIGHT_CODE = '287082';

/** RFC 4226 section 5.3, six digits (appendix D: 755224, 287082, 359152 for counters 0-2). */
function hotp(counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', SECRET).update(message).digest();
  const offset = mac[19]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// T = 59 s is step 1; the default window of one step each side accepts steps 0 to 2.
const WINDOW_CODES = new Set([hotp(0), hotp(1), hotp(2)]);
const verifier = new TotpVerifier({ now: () => 59_000 });
let credentials = 0;

/** Each run its own credential, so a code accepted once is not refused as a replay later. */
async function verdictFor(input: unknown): Promise<TotpVerdict> {
  credentials += 1;
  return verifier.verify(`fuzz-${credentials}`, SECRET, input);
}

const MALFORMED: TotpVerdict = { ok: false, reason: 'malformed' };
const asciiSpace = fc.constantFrom(' ', '\t', '\n', '\r', '\f');
// Digits of other scripts and widths: \d in some regex engines, Number() in none, and never a
// TOTP code (Arabic-Indic, Extended Arabic-Indic, Devanagari, full-width, mathematical bold).
const foreignDigit = fc.constantFrom(
  ...['\u0661', '\u06f5', '\u0967', '\uff10', '\uff19', '\u{1d7cf}', '\u{1d7ce}', '\u00b2'],
);
// Space-like characters that are not ASCII whitespace: a thin space groups digits in print.
const otherSpace = fc.constantFrom(
  ...['\u00a0', '\u2009', '\u202f', '\u3000', '\u200b', '\ufeff', '\v', '\u2028'],
);
const asciiDigit = fc.constantFrom(...'0123456789');

/** `code` with ASCII whitespace put before, inside or after it. */
function spaced(code: fc.Arbitrary<string>) {
  return fc
    .tuple(code, fc.array(fc.tuple(fc.nat(), asciiSpace), { maxLength: 4 }))
    .map(([text, cuts]) =>
      cuts.reduce((typed, [at, space]) => {
        const cut = at % (typed.length + 1);
        return typed.slice(0, cut) + space + typed.slice(cut);
      }, text),
    );
}

/** Six digits with one character put in, or put in place of a digit. */
function sixWith(intruder: fc.Arbitrary<string>) {
  return fc
    .tuple(fc.stringMatching(/^[0-9]{6}$/), intruder, fc.nat(6), fc.boolean())
    .map(([code, c, at, replace]) => code.slice(0, at) + c + code.slice(at + (replace ? 1 : 0)));
}

describe('TOTP verification of malformed codes (property)', () => {
  it('uses a reference that reproduces the RFC 6238 vector', () => {
    expect(hotp(1)).toBe(RIGHT_CODE);
  });

  it('calls a code of the wrong length malformed, whatever whitespace surrounds it', async () => {
    const length = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 7, max: 12 }));
    const digits = length.chain((n) => fc.string({ unit: asciiDigit, minLength: n, maxLength: n }));
    await fc.assert(
      fc.asyncProperty(spaced(digits), async (input) => {
        expect(await verdictFor(input)).toEqual(MALFORMED);
      }),
      fuzzParameters<[string]>('mfa-code-wrong-length', 200),
    );
  });

  it('calls six digits with a foreign digit, letter, sign or odd space malformed', async () => {
    const intruder = fc.oneof(
      foreignDigit,
      otherSpace,
      fc.constantFrom(...'aOlI+-.,e#\0'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }).filter((s) => !/^\s*$/.test(s)),
    );
    await fc.assert(
      fc.asyncProperty(sixWith(intruder), async (input) => {
        fc.pre(!/^[\t\n\f\r 0-9]*$/.test(input));
        expect(await verdictFor(input)).toEqual(MALFORMED);
      }),
      fuzzParameters<[string]>('mfa-code-intruder', 300),
    );
  });

  it('calls six digits of any other script malformed', async () => {
    const sixForeign = fc
      .array(fc.oneof(asciiDigit, foreignDigit), { minLength: 6, maxLength: 6 })
      .filter((chars) => chars.some((c) => !/[0-9]/.test(c)))
      .map((chars) => chars.join(''));
    await fc.assert(
      fc.asyncProperty(spaced(sixForeign), async (input) => {
        expect(await verdictFor(input)).toEqual(MALFORMED);
      }),
      fuzzParameters<[string]>('mfa-code-foreign-digits', 200),
    );
  });

  it('accepts a code of the window amid ASCII whitespace; other codes are invalid', async () => {
    const code = fc.oneof(fc.constantFrom(...WINDOW_CODES), fc.stringMatching(/^[0-9]{6}$/));
    await fc.assert(
      fc.asyncProperty(code, spaced(fc.constant('')), async (digits, spaces) => {
        const typed = spaces.slice(0, 2) + digits.slice(0, 3) + spaces.slice(2) + digits.slice(3);
        const verdict = await verdictFor(typed);
        expect(verdict.ok).toBe(WINDOW_CODES.has(digits));
        if (!verdict.ok) expect(verdict.reason).toBe('invalid');
      }),
      fuzzParameters<[string, string]>('mfa-code-spaced', 200),
    );
  });

  it('never throws on any string, long or ill-formed, nor accepts a non-code', async () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit, maxLength: 40 }),
      fc.string({ unit: fc.oneof(asciiDigit, asciiSpace, foreignDigit, otherSpace) }),
      fc
        .tuple(fc.constantFrom('2', ' ', '\u0661'), fc.integer({ min: 60, max: 20_000 }))
        .map(([c, n]) => c.repeat(n)),
    );
    await fc.assert(
      fc.asyncProperty(input, async (typed) => {
        const verdict = await verdictFor(typed);
        const digitsOnly = typed.replace(/[\t\n\f\r ]/g, '');
        if (verdict.ok) expect(WINDOW_CODES.has(digitsOnly)).toBe(true);
        else expect(['malformed', 'invalid']).toContain(verdict.reason);
        if (!/^[0-9]{6}$/.test(digitsOnly)) expect(verdict).toEqual(MALFORMED);
      }),
      fuzzParameters<[string]>('mfa-code-any-string', 300),
    );
  });
});
