import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzParameters } from './fuzz.js';
import { decodeCorpusValue, encodeCorpusValue, readCorpus } from './fuzz-corpus.js';

const corpusDir = mkdtempSync(join(tmpdir(), 'fuzz-corpus-test-'));
afterAll(() => rmSync(corpusDir, { recursive: true, force: true }));

/** Through the corpus file format: encode, JSON text, parse, decode. */
function viaCorpus(value: unknown): unknown {
  return decodeCorpusValue(JSON.parse(JSON.stringify(encodeCorpusValue(value))));
}

/** What a plain JSON corpus did to an argument list (or that it could not store it). */
function viaPlainJson(args: unknown[]): unknown {
  try {
    return JSON.parse(JSON.stringify(args));
  } catch (error) {
    return error;
  }
}

function sparse(): unknown[] {
  const array: unknown[] = [1, 2, 3];
  delete array[1];
  return array;
}

function cycle(): unknown[] {
  const array: unknown[] = [];
  array.push({ array });
  return array;
}

function nullPrototype(): object {
  return Object.assign(Object.create(null), { a: 1, b: [undefined] });
}

// Each of these is lost or changed by plain JSON (checked below, so the comparison can tell).
const AWKWARD: { name: string; value: unknown }[] = [
  { name: 'undefined', value: undefined },
  { name: 'a property set to undefined', value: { query: undefined, body: [1] } },
  { name: '-0', value: -0 },
  { name: 'NaN', value: Number.NaN },
  { name: 'Infinity', value: Number.POSITIVE_INFINITY },
  { name: '-Infinity', value: Number.NEGATIVE_INFINITY },
  { name: 'a bigint', value: -(2n ** 80n) },
  { name: 'a Uint8Array', value: Uint8Array.of(0, 255, 7) },
  { name: 'a Buffer', value: Buffer.from('a\0b') },
  { name: 'a Float64Array with -0 and NaN', value: Float64Array.of(-0, Number.NaN, 1.5) },
  { name: 'a BigInt64Array', value: BigInt64Array.of(-1n, 2n ** 62n) },
  {
    name: 'a Map with awkward keys',
    value: new Map<unknown, unknown>([
      [1n, -0],
      [NaN, 'x'],
    ]),
  },
  { name: 'a Set', value: new Set([undefined, 'a', 2n]) },
  { name: 'a Date', value: new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 1)) },
  { name: 'an invalid Date', value: new Date(Number.NaN) },
  { name: 'an object with a null prototype', value: nullPrototype() },
  { name: 'a sparse array', value: sparse() },
  { name: 'a boxed string', value: Object('123456') },
  { name: 'a boxed number', value: Object(-0) },
  { name: 'a registered symbol', value: Symbol.for('galaxy-harden') },
  { name: 'a well-known symbol', value: Symbol.iterator },
  { name: 'nested awkward values', value: [{ m: new Map([['k', [undefined, -0]]]) }, [NaN]] },
];

describe('corpus encoding', () => {
  it.each(AWKWARD)('plain JSON would change $name', ({ value }) => {
    expect(viaPlainJson([value])).not.toStrictEqual([value]);
  });

  it.each(AWKWARD)('keeps $name exactly', ({ value }) => {
    expect(viaCorpus([value])).toStrictEqual([value]);
  });

  it('keeps prototypes, holes and -0 exactly (checked without the matcher)', () => {
    const [object, array, zero] = viaCorpus([nullPrototype(), sparse(), -0]) as unknown[];

    expect(Object.getPrototypeOf(object)).toBe(null);
    expect(1 in (array as unknown[])).toBe(false);
    expect(Object.is(zero, -0)).toBe(true);
  });

  it('keeps an object that uses the tag key as a plain object', () => {
    const value = { $fuzz: 'undefined', value: { $fuzz: 'bigint', value: '1' } };

    expect(viaCorpus([value])).toStrictEqual([value]);
  });

  it('keeps an own "__proto__" key a plain property, not a prototype', () => {
    const value = JSON.parse('{"__proto__": {"admin": true}, "$fuzz": 1}');
    const back = viaCorpus(value) as Record<string, unknown>;

    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', '$fuzz']);
    expect(back.admin).toBeUndefined();
  });

  it('replays another symbol as a new symbol with the same description', () => {
    const back = viaCorpus(Symbol('token')) as symbol;

    expect(typeof back).toBe('symbol');
    expect(back.description).toBe('token');
  });

  it('keeps every value fc.anything draws with all its options on', () => {
    const anything = fc.anything({
      ...{ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true },
      ...{ withNullPrototype: true, withSet: true, withSparseArray: true, withTypedArray: true },
      ...{ withObjectString: true, withUnicodeString: true },
    });
    fc.assert(
      fc.property(anything, (value) => {
        expect(viaCorpus([value])).toStrictEqual([value]);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a function', () => 1, /cannot store a function/],
    ['a class instance', new URL('http://127.0.0.1/'), /cannot store an instance of URL/],
    ['a cycle', cycle(), /a cyclic value/],
    ['a symbol key', { [Symbol('k')]: 1 }, /a symbol-keyed property/],
  ])('refuses %s rather than store a different value', (_name, value, message) => {
    expect(() => encodeCorpusValue(value)).toThrow(message);
  });

  it('refuses a suite name that would write outside the corpus directory', () => {
    expect(() => fuzzParameters('../escape', 5, { corpusDir })).toThrow(/must be a file name/);
  });

  it('refuses a corpus entry with an unknown tag', () => {
    expect(() => decodeCorpusValue({ $fuzz: 'WeakMap', entries: [] })).toThrow(/unknown tag/);
  });
});

describe('corpus replay through fuzzParameters', () => {
  it.each(AWKWARD.map((row, i) => ({ ...row, suite: `awkward-${i}` })))(
    'stores a failing $name and replays it first, unchanged',
    ({ value, suite }) => {
      const failing = fc.property(fc.constant(value), () => false);
      expect(() => fc.assert(failing, fuzzParameters(suite, 5, { corpusDir }))).toThrow(
        /Counterexample stored in/,
      );
      const seen: unknown[] = [];
      const recording = fc.property(fc.constant('generated'), (drawn: unknown) => {
        seen.push(drawn);
      });
      fc.assert(recording, fuzzParameters<[unknown]>(suite, 3, { corpusDir }));

      expect(seen[0]).toStrictEqual(value);
      expect(seen.slice(1)).toContain('generated');
      expect(seen.slice(1).every((drawn) => drawn === 'generated')).toBe(true);
      expect(readCorpus(corpusDir, suite)).toHaveLength(1);
    },
  );

  it('stores one counterexample once, however often it fails', () => {
    const failing = fc.property(fc.constant(undefined), () => false);
    for (let i = 0; i < 3; i += 1)
      expect(() => fc.assert(failing, fuzzParameters('awkward-once', 5, { corpusDir }))).toThrow();

    const text = readFileSync(join(corpusDir, 'awkward-once.json'), 'utf8');
    expect(JSON.parse(text)).toEqual([[{ $fuzz: 'undefined' }]]);
  });

  it('says in the failure when a counterexample cannot be stored', () => {
    const failing = fc.property(fc.constant(new URL('http://127.0.0.1/')), () => false);

    expect(() => fc.assert(failing, fuzzParameters('awkward-url', 5, { corpusDir }))).toThrow(
      /Counterexample NOT saved: fuzz corpus: cannot store an instance of URL/,
    );
  });
});
