import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters } from '../../../test/support/fuzz.js';
import { AuthLimitError, addressKey, clientAddress, normalizeAccount } from '../src/index.js';

const SUBNET = 56;

/** How one 128-bit address is written: RFC 4291 section 2.2 allows all of these. */
interface Spelling {
  /** Extra leading zeros per group (capped at four digits). */
  pads: number[];
  /** Bit i set: hex digit i written upper case. */
  upper: number;
  /** Which run of zero groups `::` replaces (and how much of it), or none. */
  cut: [number, number, number];
  /** Last 32 bits as a dotted quad (`::ffff:192.0.2.1`, `2001:db8::1.2.3.4`). */
  dotted: boolean;
}

const PLAIN: Spelling = { pads: [0, 0, 0, 0, 0, 0, 0, 0], upper: 0, cut: [0, 0, 0], dotted: false };
const spelling: fc.Arbitrary<Spelling> = fc.record({
  pads: fc.array(fc.nat(3), { minLength: 8, maxLength: 8 }),
  upper: fc.nat(),
  cut: fc.tuple(fc.nat(), fc.nat(), fc.nat()),
  dotted: fc.boolean(),
});

function groupsOf(address: bigint): number[] {
  return Array.from({ length: 8 }, (_, i) => Number((address >> BigInt(112 - 16 * i)) & 0xffffn));
}

/** Zero-group runs [start, end) among the first `count` groups. */
function zeroRuns(groups: number[], count: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < count; i += 1) {
    if (groups[i] !== 0) continue;
    const last = runs.at(-1);
    if (last !== undefined && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1]);
  }

  return runs;
}

function hexGroup(group: number, pad: number, upper: number, at: number): string {
  const digits = group.toString(16);
  const padded = digits.padStart(Math.min(4, digits.length + pad), '0');
  return [...padded].map((d, i) => ((upper >> ((at + i) % 30)) & 1 ? d.toUpperCase() : d)).join('');
}

/** Writes `address` the way `how` says; every result is a valid IPv6 text form. */
function spell(address: bigint, how: Spelling): string {
  const groups = groupsOf(address);
  const count = how.dotted ? 6 : 8;
  const hex = groups.slice(0, count).map((g, i) => hexGroup(g, how.pads[i]!, how.upper, i * 4));
  const tail = how.dotted
    ? [
        groups
          .slice(6)
          .flatMap((g) => [g >> 8, g & 0xff])
          .join('.'),
      ]
    : [];
  const runs = zeroRuns(groups, count);
  const [pick, skip, size] = how.cut;
  const run = runs[pick % (runs.length + 1)];
  if (run === undefined) return [...hex, ...tail].join(':');

  const start = run[0] + (skip % (run[1] - run[0]));
  const end = start + 1 + (size % (run[1] - start));
  const right = [...hex.slice(end), ...tail];
  return `${hex.slice(0, start).join(':')}::${right.join(':')}`;
}

function bits(groups: readonly number[]): bigint {
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

// Addresses are drawn as eight 16-bit groups, not as one bigint: a shrunk counterexample then
// reads as the groups of the written address.
const u16 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
/** Addresses outside ::/16, which holds the IPv4-mapped and IPv4-compatible blocks. */
const globalAddress = fc
  .tuple(fc.integer({ min: 1, max: 0xffff }), fc.array(u16, { minLength: 7, maxLength: 7 }))
  .map(([first, rest]) => [first, ...rest]);
/** Any host part: only its low 128 - SUBNET bits are used. */
const hostPart = fc.array(u16, { minLength: 8, maxLength: 8 });
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const DOTTED_DECIMAL = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));

function ipv4Bits(address: string): bigint {
  return address.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

/** `address` with its host bits (those after the first SUBNET) taken from `host`. */
function withHost(address: bigint, host: bigint): bigint {
  const hostBits = BigInt(128 - SUBNET);
  return ((address >> hostBits) << hostBits) | (host & ((1n << hostBits) - 1n));
}

describe('addressKey on IPv6 text forms (property)', () => {
  it('gives one key to every spelling of one address', () => {
    fc.assert(
      fc.property(globalAddress, spelling, spelling, (groups, a, b) => {
        const address = bits(groups);
        expect(addressKey(spell(address, a), SUBNET)).toBe(addressKey(spell(address, b), SUBNET));
      }),
      fuzzParameters<[number[], Spelling, Spelling]>('auth-limit-key-spellings', 400),
    );
  });

  it('gives one key to all addresses of one /56, however written', () => {
    fc.assert(
      fc.property(globalAddress, hostPart, spelling, spelling, (groups, host, a, b) => {
        const address = bits(groups);
        const key = addressKey(spell(address, a), SUBNET);
        expect(addressKey(spell(withHost(address, bits(host)), b), SUBNET)).toBe(key);
        expect(key).toMatch(/^[0-9a-f:]+\/56$/);
      }),
      fuzzParameters<[number[], number[], Spelling, Spelling]>('auth-limit-key-same-56', 400),
    );
  });

  it('gives different keys to addresses in different /56 prefixes', () => {
    const flip = fc.option(fc.integer({ min: 16, max: SUBNET - 1 }));
    fc.assert(
      fc.property(globalAddress, globalAddress, flip, spelling, (groupsX, groupsY, bit, how) => {
        const [x, y] = [bits(groupsX), bits(groupsY)];
        // Either another random address, or x with one prefix bit flipped (the near miss).
        const other = bit === null ? y : x ^ (1n << BigInt(127 - bit));
        fc.pre(other >> BigInt(128 - SUBNET) !== x >> BigInt(128 - SUBNET));
        const keyX = addressKey(spell(x, how), SUBNET);
        expect(addressKey(spell(other, how), SUBNET)).not.toBe(keyX);
      }),
      fuzzParameters<[number[], number[], number | null, Spelling]>('auth-limit-key-other-56', 400),
    );
  });
});

describe('addressKey on IPv4 and IPv4-mapped IPv6 (property)', () => {
  it('keys every spelling of ::ffff:a.b.c.d as a.b.c.d, as is the client address', () => {
    fc.assert(
      fc.property(ipv4, spelling, (address, how) => {
        const mapped = spell((0xffffn << 32n) | ipv4Bits(address), how);
        expect(addressKey(mapped, SUBNET)).toBe(address);
        expect(addressKey(address, SUBNET)).toBe(address);
        expect(clientAddress(mapped)).toBe(address);
      }),
      fuzzParameters<[string, Spelling]>('auth-limit-key-mapped', 400),
    );
  });

  it('gives distinct IPv4 addresses distinct keys, none equal to an IPv6 prefix key', () => {
    fc.assert(
      fc.property(ipv4, ipv4, globalAddress, (a, b, v6) => {
        fc.pre(a !== b);
        expect(addressKey(a, SUBNET)).not.toBe(addressKey(b, SUBNET));
        expect(addressKey(a, SUBNET)).not.toBe(addressKey(spell(bits(v6), PLAIN), SUBNET));
      }),
      fuzzParameters<[string, string, number[]]>('auth-limit-key-ipv4', 300),
    );
  });

  // inet_aton reads 0x7f.1 and 0177.0.0.1 as 127.0.0.1; a key taken from such a spelling
  // would be a second counter for one client, so only the dotted-decimal form is accepted.
  it('refuses every other IPv4 spelling with a typed error, never keying it apart', () => {
    fc.assert(
      fc.property(fc.ipV4Extended(), (address) => {
        if (DOTTED_DECIMAL.test(address)) {
          expect(addressKey(address, SUBNET)).toBe(address);
          return;
        }
        expect(() => addressKey(address, SUBNET)).toThrow(AuthLimitError);
        expect(() => addressKey(address, SUBNET)).toThrow(/must be an IP address/);
      }),
      fuzzParameters<[string]>('auth-limit-key-ipv4-spellings', 300),
    );
  });
});

// Characters that change nothing a person sees in a name, or that Unicode folds together.
const INVISIBLE = [
  ...['\u200b', '\u200c', '\u200d', '\u00ad', '\u2060', '\u200e', '\ufe0f', '\u034f'],
  ...['\u180e', '\u3164', '\u115f', '\u2064', '\u{e0041}', '\u{1d173}', '\ufeff'],
];
const SPACE = [' ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\u205f'];
const TRICKY = [
  ...['\u00df', '\u1e9e', '\u03c2', '\u03a3', '\u0130', '\u0131', '\ufb01', '\u212a', '\u2126'],
  ...['\u00a8', '\u0301', '\u0345', '\u1fbe', '\uff21', '\u2460', '\u00bd', '\u0000', '\u001f'],
  ...INVISIBLE,
  ...SPACE,
];
const anyName = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)) }),
  fc.string({ unit: fc.oneof(fc.constantFrom(...TRICKY), fc.constantFrom(...'aAsS ')) }),
);

// Letters whose upper and lower case map one to one, with and without decompositions.
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz0123456789.-_@', ...'\u00e9\u00f1\u00e5\u00e7'];
const NAME_CHARS = [...LETTERS, ...'\u03b1\u03b2\u03ac\u03c3\u0434\u0436\u0451'];
const word = fc.string({ unit: fc.constantFrom(...NAME_CHARS), minLength: 1, maxLength: 8 });
const plainName = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));

interface Variant {
  upper: number[];
  wide: number[];
  form: 'NFC' | 'NFD' | 'NFKD';
  invisible: [number, string][];
  spaces: string[];
  around: [string, string];
}

const variant: fc.Arbitrary<Variant> = fc.record({
  upper: fc.array(fc.nat(), { maxLength: 6 }),
  wide: fc.array(fc.nat(), { maxLength: 6 }),
  form: fc.constantFrom('NFC', 'NFD', 'NFKD'),
  invisible: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { maxLength: 4 }),
  spaces: fc.array(fc.string({ unit: fc.constantFrom(...SPACE), minLength: 1, maxLength: 3 })),
  around: fc.tuple(
    fc.string({ unit: fc.constantFrom(...SPACE, ...INVISIBLE), maxLength: 3 }),
    fc.string({ unit: fc.constantFrom(...SPACE, ...INVISIBLE), maxLength: 3 }),
  ),
});

/** Full-width forms (U+FF01..U+FF5E) of printable ASCII: NFKC folds them back. */
function wide(c: string): string {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f ? String.fromCharCode(code + 0xfee0) : c;
}

/** The same visible name: other case, width, composition, spacing and invisible marks. */
function respell(name: string, how: Variant): string {
  const chars = [...name];
  for (const at of how.upper) chars[at % chars.length] = chars[at % chars.length]!.toUpperCase();
  for (const at of how.wide) chars[at % chars.length] = wide(chars[at % chars.length]!);
  let space = 0;
  const text = chars
    .join('')
    .normalize(how.form)
    .replace(/ /g, () => how.spaces[space++] ?? ' ');
  const points = [...text];
  // Between code points, so a mark never splits a surrogate pair.
  for (const [at, mark] of how.invisible) points.splice(at % (points.length + 1), 0, mark);

  return how.around[0] + points.join('') + how.around[1];
}

describe('normalizeAccount (property)', () => {
  it('is idempotent: a normalised name normalises to itself', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const once = normalizeAccount(name);
        expect(normalizeAccount(once)).toBe(once);
      }),
      fuzzParameters<[string]>('auth-limit-account-idempotent', 500),
    );
  });

  it('gives NFKC without edge or double spaces, controls or invisible marks', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const key = normalizeAccount(name);
        expect(key).toBe(key.trim());
        expect(key).not.toMatch(/\s\s|[\p{Cc}\p{Default_Ignorable_Code_Point}]|[^\S ]/u);
        expect(key).toBe(key.normalize('NFKC'));
      }),
      fuzzParameters<[string]>('auth-limit-account-shape', 500),
    );
  });

  it('collapses case, width, composition, spacing and invisible variants of a name', () => {
    fc.assert(
      fc.property(plainName, variant, (name, how) => {
        expect(normalizeAccount(respell(name, how))).toBe(normalizeAccount(name));
      }),
      fuzzParameters<[string, Variant]>('auth-limit-account-variants', 500),
    );
  });

  it('gives the empty name for any value that is not a string', () => {
    const notString = fc.oneof(
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    );
    fc.assert(
      fc.property(notString, (value) => {
        expect(normalizeAccount(value)).toBe('');
      }),
      fuzzParameters<[unknown]>('auth-limit-account-not-string', 100),
    );
  });
});
