import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters } from '../../../test/support/fuzz.js';
import {
  type GalaxySanitizeChange,
  type GalaxySanitizerOptions,
  sanitizeGalaxy,
} from '../src/index.js';

// An independent reference, written from the spec in /work/shared/cases/shell-args.md and
// Python's `string` documentation, not from the package's preset tables.
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const GALAXY_PUNCTUATION = ' -=_.()/+*^,:?!';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const WHITESPACE = ' \t\n\r\x0b\x0c';
const REFERENCE_SETS: Readonly<Record<string, string>> = {
  default: LETTERS + DIGITS + GALAXY_PUNCTUATION,
  none: '',
  'string.printable': DIGITS + LETTERS + PUNCTUATION + WHITESPACE,
  'string.ascii_letters': LETTERS,
  'string.digits': DIGITS,
  'string.punctuation': PUNCTUATION,
  'string.whitespace': WHITESPACE,
};
const REFERENCE_TOKENS: Readonly<Record<string, string>> = {
  '>': '__gt__',
  '<': '__lt__',
  "'": '__sq__',
  '"': '__dq__',
  '[': '__ob__',
  ']': '__cb__',
  '{': '__oc__',
  '}': '__cc__',
  '@': '__at__',
  '\n': '__cn__',
  '\r': '__cr__',
  '\t': '__tc__',
  '#': '__pd__',
};
const DEFAULT_OUTPUT = /^[A-Za-z0-9 \-=_.()/+*^,:?!]*$/;

interface Rules {
  valid: Set<string>;
  mapping: Map<string, string>;
  invalid: string;
}

const DEFAULT_RULES: Rules = {
  valid: new Set(REFERENCE_SETS.default),
  mapping: new Map(Object.entries(REFERENCE_TOKENS)),
  invalid: 'X',
};

/** What one code point becomes: kept if valid (never mapped then), else token, else invalid. */
function referenceChar(c: string, rules: Rules): string {
  if (rules.valid.has(c)) return c;

  return rules.mapping.get(c) ?? rules.invalid;
}

function reference(text: string, rules: Rules): string {
  return [...text].map((c) => referenceChar(c, rules)).join('');
}

/** Rebuilds the output from the input and the change report alone. */
function rebuild(input: string, changes: readonly GalaxySanitizeChange[]): string {
  const byIndex = new Map(changes.map((change) => [change.index, change]));
  let out = '';
  let index = 0;
  for (const c of input) {
    const change = byIndex.get(index);
    if (change !== undefined) expect(change.from).toBe(c);
    out += change === undefined ? c : change.to;
    index += c.length;
  }

  return out;
}

function expectHonestReport(input: string, changes: readonly GalaxySanitizeChange[], rules: Rules) {
  const indexes = changes.map((change) => change.index);
  expect(indexes).toEqual([...new Set(indexes)].sort((a, b) => a - b));
  for (const change of changes) {
    expect(rules.valid.has(change.from)).toBe(false);
    expect(change.reason).toBe(rules.mapping.has(change.from) ? 'mapped' : 'invalid');
    expect(change.to).toBe(referenceChar(change.from, rules));
  }
  expect(changes.length).toBe([...input].filter((c) => !rules.valid.has(c)).length);
}

// Characters the rules single out, near misses, and what a user might type to fool a reverse
// mapping, at high density; the other units cover all of Unicode and lone surrogates.
const SPECIAL = [
  ...'<>\'"[]{}@\n\r\t#',
  ...GALAXY_PUNCTUATION,
  ...'$%&;|`\\~\x0b\x0c\0\x7f',
  ...['\u00a0', '\u00e9', 'e\u0301', '\uff21', '\u0661', '\u2028', '\ufeff', '\u{1f600}'],
  ...['__sq__', '__gt__', 'X', 'x', 'Z', '0'],
];
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)) }),
  fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 30 }),
);

describe('sanitizeGalaxy with Galaxy defaults (property)', () => {
  it('writes only valid characters, mapping tokens and X', () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(sanitizeGalaxy(input).value).toMatch(DEFAULT_OUTPUT);
      }),
      fuzzParameters<[string]>('galaxy-sanitizer-alphabet', 500),
    );
  });

  it('matches the reference character by character', () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(sanitizeGalaxy(input).value).toBe(reference(input, DEFAULT_RULES));
      }),
      fuzzParameters<[string]>('galaxy-sanitizer-reference', 500),
    );
  });

  it('reports every changed character: input plus changes rebuilds the output', () => {
    fc.assert(
      fc.property(text, (input) => {
        const { value, changes } = sanitizeGalaxy(input);
        expect(rebuild(input, changes)).toBe(value);
        expectHonestReport(input, changes, DEFAULT_RULES);
      }),
      fuzzParameters<[string]>('galaxy-sanitizer-changes', 500),
    );
  });

  it('changes nothing when run again over its own output', () => {
    fc.assert(
      fc.property(text, (input) => {
        const once = sanitizeGalaxy(input).value;
        expect(sanitizeGalaxy(once)).toEqual({ value: once, changes: [] });
      }),
      fuzzParameters<[string]>('galaxy-sanitizer-idempotent', 300),
    );
  });

  it('sanitizes lists and objects item by item, naming the item in each change', () => {
    const items = fc.array(text, { maxLength: 5 });
    const record = fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 5 });
    fc.assert(
      fc.property(items, record, (list, object) => {
        const fromList = sanitizeGalaxy(list);
        expect(fromList.value).toEqual(list.map((item) => reference(item, DEFAULT_RULES)));
        list.forEach((item, i) => {
          const own = fromList.changes.filter((change) => change.item === i);
          expect(rebuild(item, own)).toBe(fromList.value[i]);
        });
        const fromObject = sanitizeGalaxy(object);
        for (const [key, item] of Object.entries(object)) {
          const own = fromObject.changes.filter((change) => change.item === key);
          expect(rebuild(item, own)).toBe(fromObject.value[key]);
        }
      }),
      fuzzParameters<[string[], Record<string, string>]>('galaxy-sanitizer-items', 200),
    );
  });
});

// A tool's <sanitizer> element at random: valid set from a preset with characters added and
// removed, mapping from a preset with entries added and removed, any invalid character.
const ruleChar = fc.constantFrom(...SPECIAL.filter((c) => [...c].length === 1));
const ruleText = fc.string({ unit: ruleChar, maxLength: 4 });
const options: fc.Arbitrary<GalaxySanitizerOptions> = fc.record({
  invalidChar: fc.oneof(fc.constantFrom('', 'X', '_', '%', '#'), ruleText),
  valid: fc.record({
    initial: fc.constantFrom(...Object.keys(REFERENCE_SETS)),
    add: fc.array(fc.record({ value: ruleText }), { maxLength: 2 }),
    remove: fc.array(fc.record({ value: ruleText }), { maxLength: 2 }),
  }),
  mapping: fc.record({
    initial: fc.constantFrom('default', 'none'),
    add: fc.array(fc.record({ source: ruleChar, target: ruleText }), { maxLength: 3 }),
    remove: fc.array(fc.record({ source: ruleChar }), { maxLength: 2 }),
  }),
});

function referenceRules(spec: GalaxySanitizerOptions): Rules {
  const valid = new Set(REFERENCE_SETS[spec.valid?.initial ?? 'default']);
  for (const action of spec.valid?.add ?? []) for (const c of action.value ?? '') valid.add(c);
  for (const action of spec.valid?.remove ?? [])
    for (const c of action.value ?? '') valid.delete(c);
  const initial = spec.mapping?.initial === 'none' ? {} : REFERENCE_TOKENS;
  const mapping = new Map(Object.entries(initial));
  for (const { source, target } of spec.mapping?.add ?? []) mapping.set(source!, target!);
  for (const { source } of spec.mapping?.remove ?? []) mapping.delete(source!);

  return { valid, mapping, invalid: spec.invalidChar ?? 'X' };
}

/** UTF-16 offsets, in the output, of every code point that was kept from the input. */
function keptOffsets(input: string, rules: Rules): Set<number> {
  const kept = new Set<number>();
  let at = 0;
  for (const c of input) {
    const written = referenceChar(c, rules);
    if (rules.valid.has(c)) kept.add(at);
    at += written.length;
  }

  return kept;
}

describe('sanitizeGalaxy with random <sanitizer> options (property)', () => {
  it('matches the reference and reports every change honestly', () => {
    fc.assert(
      fc.property(options, text, (spec, input) => {
        const rules = referenceRules(spec);
        const { value, changes } = sanitizeGalaxy(input, spec);
        expect(value).toBe(reference(input, rules));
        expect(rebuild(input, changes)).toBe(value);
        expectHonestReport(input, changes, rules);
      }),
      fuzzParameters<[GalaxySanitizerOptions, string]>('galaxy-sanitizer-options', 300),
    );
  });

  it('run again, changes only replacement text the valid set lacks, never a kept character', () => {
    fc.assert(
      fc.property(options, text, (spec, input) => {
        const rules = referenceRules(spec);
        const once = sanitizeGalaxy(input, spec).value;
        const again = sanitizeGalaxy(once, spec);
        const kept = keptOffsets(input, rules);
        for (const change of again.changes) expect(kept.has(change.index)).toBe(false);
        expectHonestReport(once, again.changes, rules);
        const replacements = [rules.invalid, ...rules.mapping.values()].join('');
        if ([...replacements].every((c) => rules.valid.has(c))) expect(again.changes).toEqual([]);
      }),
      fuzzParameters<[GalaxySanitizerOptions, string]>('galaxy-sanitizer-options-again', 300),
    );
  });
});
