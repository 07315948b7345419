import { addressKey, clientAddress, normalizeAccount } from '@galaxy-harden/auth-limit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('normalizeAccount', () => {
  it.each([
    ['Alice', 'alice'],
    ['alice ', 'alice'],
    ['ALICE', 'alice'],
    ['\u00a0alice\t', 'alice'],
    ['ＡＬＩＣＥ', 'alice'],
    ['Stra\u00dfe', 'strasse'],
    ['ΟΔΥΣΣΕΥΣ', 'οδυσσευσ'],
    ['e\u0301', '\u00e9'],
    ['\ufb01le', 'file'],
  ])('gives %j the key %j', (name, key) => {
    expect(normalizeAccount(name)).toBe(key);
  });

  it.each([[undefined], [null], [42], [{ toString: () => 'alice' }]])(
    'gives the empty name for %j',
    (value) => {
      expect(normalizeAccount(value)).toBe('');
    },
  );

  it('is idempotent: normalising twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (name) => {
        const once = normalizeAccount(name);
        return normalizeAccount(once) === once;
      }),
      { numRuns: 500 },
    );
  });
});

describe('addressKey and clientAddress', () => {
  it.each([
    ['192.0.2.1', 56, '192.0.2.1'],
    ['::ffff:192.0.2.1', 56, '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', 56, '2001:db8:1::/56'],
    ['2001:db8:1:2ff::1', 56, '2001:db8:1:200::/56'],
    ['2001:db8:1:2:3:4:5:6', 64, '2001:db8:1:2::/64'],
  ])('keys %s with /%i as %s', (address, subnet, key) => {
    expect(addressKey(address, subnet)).toBe(key);
  });

  it('shows an IPv4-mapped address as IPv4 and keeps IPv6 whole', () => {
    expect(clientAddress('::ffff:198.51.100.9')).toBe('198.51.100.9');
    expect(clientAddress('2001:db8::7')).toBe('2001:db8::7');
  });

  it.each([['not-an-ip'], [''], ['192.0.2.1|x'], ['1.2.3.4.5']])('refuses %j', (address) => {
    expect(() => addressKey(address, 56)).toThrow(
      expect.objectContaining({ code: 'ERR_AUTH_LIMIT_ARGUMENT' }),
    );
  });
});
