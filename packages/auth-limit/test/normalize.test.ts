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

  // Account name variants (rack-attack 493): characters that render as nothing, and runs of
  // white space, each gave a fresh counter for the same visible name.
  it.each([
    ['al\u200bice', 'alice'],
    ['ali\u200dce', 'alice'],
    ['alice\u00ad', 'alice'],
    ['\ufeffalice', 'alice'],
    ['a\u034flice', 'alice'],
    ['alice\u2060', 'alice'],
    ['ali\u202ece', 'alice'],
    ['alice\ufe0f', 'alice'],
    ['al\u0000ice', 'alice'],
    ['john \t  smith', 'john smith'],
    ['john  smith', 'john smith'],
    ['john\u3000\u3000smith', 'john smith'],
  ])('gives the invisible-character or spacing variant %j the key %j', (name, key) => {
    expect(normalizeAccount(name)).toBe(key);
  });

  it.each([
    ['STRA\u1e9eE', 'strasse'],
    ['al\u0131ce', 'alice'],
    ['AL\u0130CE', 'ali\u0307ce'],
    ['Jose\u0301', 'jos\u00e9'],
    ['Jos\u00e9', 'jos\u00e9'],
    ['Jose', 'jose'],
  ])('folds case and keeps letters: %j gives %j', (name, key) => {
    expect(normalizeAccount(name)).toBe(key);
  });

  it('is idempotent: normalising twice changes nothing', () => {
    const tricky = fc.constantFrom(...'aA ẞßςΣİı\u0307\u00a8\u200b\u00ad\t\u3000ﬁＡ\u0345');
    for (const names of [fc.string({ unit: 'grapheme' }), fc.string({ unit: tricky })]) {
      fc.assert(
        fc.property(names, (name) => {
          const once = normalizeAccount(name);
          return normalizeAccount(once) === once;
        }),
        { numRuns: 500 },
      );
    }
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
