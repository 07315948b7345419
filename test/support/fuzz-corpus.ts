import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A value as stored in a corpus file. JSON alone loses `undefined`, `-0`, `NaN`, `±Infinity`,
 * `bigint`, typed arrays, `Map`, `Set`, `Date`, boxed primitives, sparse arrays and
 * null-prototype objects (it drops, nulls or flattens them), so such values are written as a
 * tagged object `{ "$fuzz": kind, ... }` and a failing input replays as the same value.
 */
export type CorpusJson = null | boolean | number | string | CorpusJson[] | CorpusObject;
type CorpusObject = { [key: string]: CorpusJson };

/** The key that marks a tagged value; a plain object that has it is itself tagged. */
const TAG = '$fuzz';

// Only these constructors are rebuilt; a subclass would decode as its base and be a new value.
const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  Buffer,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type TypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

const WELL_KNOWN_SYMBOLS = new Map(
  Object.getOwnPropertyNames(Symbol)
    .filter((name) => typeof Symbol[name as keyof SymbolConstructor] === 'symbol')
    .map((name) => [Symbol[name as keyof SymbolConstructor] as symbol, name]),
);

/**
 * Writes `value` as JSON that {@link decodeCorpusValue} turns back into an equal value of the
 * same kinds (`Object.is` on numbers, same prototypes, same holes). Throws for what cannot
 * replay: functions, class instances, cycles, symbol-keyed or accessor properties.
 *
 * @example
 * JSON.stringify(encodeCorpusValue([undefined, -0]));
 * // '[{"$fuzz":"undefined"},{"$fuzz":"number","value":"-0"}]'
 */
export function encodeCorpusValue(value: unknown, ancestors: object[] = []): CorpusJson {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return encodeNumber(value);
  if (value === undefined) return { [TAG]: 'undefined' };
  if (typeof value === 'bigint') return { [TAG]: 'bigint', value: value.toString() };
  if (typeof value === 'symbol') return encodeSymbol(value);
  if (typeof value !== 'object') throw unencodable(`a ${typeof value}`);
  if (ancestors.includes(value)) throw unencodable('a cyclic value');

  return encodeObject(value, [...ancestors, value]);
}

/**
 * Reads back a value written by {@link encodeCorpusValue}; plain JSON (no tags) reads as itself.
 *
 * @example
 * Object.is(decodeCorpusValue({ $fuzz: 'number', value: '-0' }), -0); // true
 */
export function decodeCorpusValue(json: CorpusJson): unknown {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map(decodeCorpusValue);
  if (!Object.hasOwn(json, TAG)) return Object.fromEntries(decodeEntries(Object.entries(json)));

  return decodeTagged(json);
}

/** The stored counterexamples of one suite, decoded; none when the file does not exist. */
export function readCorpus<T>(dir: string, suite: string): T[] {
  const file = corpusFile(dir, suite);
  if (!existsSync(file)) return [];

  const stored: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(stored) || !stored.every(Array.isArray))
    throw new Error(`fuzz corpus ${file}: expected an array of argument lists`);
  return stored.map((entry) => decodeCorpusValue(entry) as T);
}

/** Adds one counterexample (the property's argument list) to the suite's file, once. */
export function saveCounterexample(dir: string, suite: string, example: unknown[]): void {
  const file = corpusFile(dir, suite);
  const stored: CorpusJson[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  const entry = encodeCorpusValue(example);
  const text = JSON.stringify(entry);
  if (stored.some((old) => JSON.stringify(old) === text)) return;

  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify([...stored, entry], null, 2)}\n`);
}

function corpusFile(dir: string, suite: string): string {
  if (!/^[^./\\\0][^/\\\0]*$/.test(suite))
    throw new Error(`fuzz corpus: suite name "${suite}" must be a file name, not a path`);
  return join(dir, `${suite}.json`);
}

function unencodable(what: string): Error {
  return new Error(
    `fuzz corpus: cannot store ${what} so that it replays exactly; draw values of the kinds ` +
      'listed in test/fuzz-corpus/README.md',
  );
}

function encodeNumber(value: number): CorpusJson {
  if (Number.isFinite(value) && !Object.is(value, -0)) return value;

  return { [TAG]: 'number', value: Object.is(value, -0) ? '-0' : String(value) };
}

// A symbol's identity cannot outlive the process: registered and well-known symbols come back
// as themselves, any other as a new symbol with the same description.
function encodeSymbol(value: symbol): CorpusJson {
  const registered = Symbol.keyFor(value);
  if (registered !== undefined) return { [TAG]: 'symbol', for: registered };
  const wellKnown = WELL_KNOWN_SYMBOLS.get(value);
  if (wellKnown !== undefined) return { [TAG]: 'symbol', wellKnown };

  return { [TAG]: 'symbol', description: encodeCorpusValue(value.description) };
}

function encodeObject(value: object, ancestors: object[]): CorpusJson {
  const encode = (item: unknown) => encodeCorpusValue(item, ancestors);
  const typed = typedArrayName(value);
  if (typed !== undefined)
    return { [TAG]: typed, value: Array.from(value as TypedArray, (n: unknown) => encode(n)) };
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Date.prototype)
    return { [TAG]: 'Date', value: encode((value as Date).getTime()) };
  if (prototype === Map.prototype)
    return {
      [TAG]: 'Map',
      entries: [...(value as Map<unknown, unknown>)].map((e) => e.map(encode)),
    };
  if (prototype === Set.prototype)
    return { [TAG]: 'Set', values: [...(value as Set<unknown>)].map(encode) };
  if (isBoxed(value)) return { [TAG]: 'boxed', value: encode(value.valueOf()) };

  return encodeContainer(value, ancestors);
}

function encodeContainer(value: object, ancestors: object[]): CorpusJson {
  const prototype = Object.getPrototypeOf(value);
  const entries = () =>
    ownEntries(value).map(([key, item]) => [key, encodeCorpusValue(item, ancestors)]);
  if (Array.isArray(value) && prototype === Array.prototype) {
    // A hole and an explicit undefined differ (`i in array`); so do extra named properties.
    if (Object.keys(value).length === value.length && ownEntries(value).length === value.length)
      return value.map((item) => encodeCorpusValue(item, ancestors));
    return { [TAG]: 'sparse-array', length: value.length, entries: entries() };
  }
  if (prototype === null) return { [TAG]: 'null-prototype', entries: entries() };
  if (prototype !== Object.prototype) throw unencodable(`an instance of ${className(value)}`);
  if (Object.hasOwn(value, TAG)) return { [TAG]: 'object', entries: entries() };

  return Object.fromEntries(entries());
}

/** Own enumerable string-keyed data properties, refusing anything JSON cannot carry. */
function ownEntries(value: object): [string, unknown][] {
  if (Object.getOwnPropertySymbols(value).length > 0) throw unencodable('a symbol-keyed property');
  const descriptors = Object.entries(Object.getOwnPropertyDescriptors(value));
  const kept = descriptors.filter(([key]) => !(Array.isArray(value) && key === 'length'));
  if (kept.some(([, d]) => !d.enumerable || !('value' in d)))
    throw unencodable('a non-enumerable or accessor property');

  return kept.map(([key, d]) => [key, d.value]);
}

function typedArrayName(value: object): TypedArrayName | undefined {
  const prototype = Object.getPrototypeOf(value);
  const names = Object.keys(TYPED_ARRAYS) as TypedArrayName[];

  return names.find((name) => TYPED_ARRAYS[name].prototype === prototype);
}

function isBoxed(value: object): value is { valueOf(): unknown } {
  const boxes = [Number, String, Boolean, BigInt, Symbol];
  return boxes.some((box) => Object.getPrototypeOf(value) === box.prototype);
}

function className(value: object): string {
  return (value.constructor as { name?: string } | undefined)?.name ?? 'an unknown class';
}

function decodeEntries(entries: [string, CorpusJson][]): [string, unknown][] {
  return entries.map(([key, item]) => [key, decodeCorpusValue(item)]);
}

function decodeTagged(json: CorpusObject): unknown {
  const kind = json[TAG];
  const value = json.value ?? null;
  if (kind === 'undefined') return undefined;
  if (kind === 'number') return value === '-0' ? -0 : Number(value);
  if (kind === 'bigint') return BigInt(value as string);
  if (kind === 'symbol') return decodeSymbol(json);
  if (kind === 'Date') return new Date(decodeCorpusValue(value) as number);
  if (kind === 'Map') return new Map(decodeList(json.entries) as [unknown, unknown][]);
  if (kind === 'Set') return new Set(decodeList(json.values));
  if (kind === 'boxed') return Object(decodeCorpusValue(value));
  if (typeof kind === 'string' && Object.hasOwn(TYPED_ARRAYS, kind))
    return decodeTypedArray(kind as TypedArrayName, value);

  return decodeContainer(kind, json);
}

function decodeContainer(kind: CorpusJson | undefined, json: CorpusObject): unknown {
  const entries = decodeEntries(json.entries as [string, CorpusJson][]);
  if (kind === 'object') return Object.fromEntries(entries);
  if (kind === 'null-prototype') return Object.setPrototypeOf(Object.fromEntries(entries), null);
  if (kind === 'sparse-array') {
    const array: unknown[] = new Array(json.length as number);
    // defineProperty, not assignment: a stored "__proto__" key stays a plain own property.
    for (const [key, item] of entries)
      Object.defineProperty(array, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return array;
  }

  throw new Error(`fuzz corpus: unknown tag ${JSON.stringify(kind)} (written by a newer version?)`);
}

function decodeList(json: CorpusJson | undefined): unknown[] {
  return (json as CorpusJson[]).map(decodeCorpusValue);
}

function decodeSymbol(json: CorpusObject): symbol {
  if (typeof json.for === 'string') return Symbol.for(json.for);
  if (typeof json.wellKnown === 'string')
    return Symbol[json.wellKnown as keyof SymbolConstructor] as symbol;

  return Symbol(decodeCorpusValue(json.description ?? null) as string | undefined);
}

function decodeTypedArray(name: TypedArrayName, json: CorpusJson): TypedArray {
  const items = decodeList(json);
  if (name === 'Buffer') return Buffer.from(items as number[]);
  const typedArray = TYPED_ARRAYS[name] as { from(items: unknown[]): TypedArray };

  return typedArray.from(items);
}
