import { describe, expect, it } from 'vitest';
import {
  findRecoveryCode,
  generateRecoveryCodes,
  normaliseRecoveryInput,
  RECOVERY_CODE_LENGTH,
  recoveryCodesLeft,
} from '../src/recovery-codes.js';

describe('recovery codes', () => {
  const { codes, set } = generateRecoveryCodes(10, 1000);

  it('makes 10 distinct codes of 60 bits each (at least 50)', () => {
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes)
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    expect(RECOVERY_CODE_LENGTH * Math.log2(32)).toBeGreaterThanOrEqual(50);
  });

  it('stores only salted digests: no code appears in the stored set', () => {
    const stored = JSON.stringify(set);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll('-', ''));
    }
    expect(set.usedAt).toEqual(Array(10).fill(null));
    expect(recoveryCodesLeft(set)).toBe(10);
  });

  it('finds each code at its index, typed in any case, with spaces or without hyphens', () => {
    codes.forEach((code, index) => {
      for (const typed of [
        code,
        code.toUpperCase(),
        code.replaceAll('-', ' '),
        ` ${code.replaceAll('-', '')}\n`,
      ]) {
        const normal = normaliseRecoveryInput(typed);
        expect(normal).toBeDefined();
        expect(findRecoveryCode(set, normal ?? '')).toBe(index);
      }
    });
  });

  it('reads o, i and l as 0, 1 and 1 (Crockford look-alikes)', () => {
    expect(normaliseRecoveryInput('oiLO-0000-1111')).toBe('0110' + '0000' + '1111');
  });

  it('misses a code of another set', () => {
    const other = generateRecoveryCodes(10, 1000);
    expect(findRecoveryCode(set, normaliseRecoveryInput(other.codes[0]) ?? '')).toBeUndefined();
  });

  it.each(['', 'abcd-efgh-jkm', 'abcd-efgh-jkmnp', 'abcd-efgh-jkmu', '123456', 42, null])(
    'refuses %j as not a recovery code',
    (input) => {
      expect(normaliseRecoveryInput(input)).toBeUndefined();
    },
  );
});
