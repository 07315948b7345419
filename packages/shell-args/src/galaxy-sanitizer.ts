import { ShellArgError, typeName } from './errors.js';
import { checkSanitizerOptions, optionError } from './galaxy-options.js';
import { MAPPING_PRESETS, PYTHON_STRING_SETS, VALID_PRESETS } from './galaxy-presets.js';

/**
 * One `<add>` or `<remove>` of a `<valid>` element: a preset, literal characters, or both.
 *
 * @example
 * const keepBrackets: GalaxyValidAction = { value: '[]' };
 */
export interface GalaxyValidAction {
  /** `default`, `none` or a `string.*` name; comma-separated names allowed. Defaults to none. */
  preset?: string;
  /** Literal characters, each added or removed. Defaults to none. */
  value?: string;
}

/**
 * One `<add>` or `<remove>` of a `<mapping>` element.
 *
 * @example
 * const percent: GalaxyMappingAction = { source: '%', target: '__pc__' };
 */
export interface GalaxyMappingAction {
  /** `default` or `none`: adds or removes every entry of that mapping. Defaults to none. */
  preset?: string;
  /** The character mapped. Defaults to none. */
  source?: string;
  /** Its replacement (`add` only; required when `source` is given). Defaults to none. */
  target?: string;
}

/**
 * Options of {@link sanitizeGalaxy}, mirroring a tool's `<sanitizer>` element. Each
 * `add` list is applied before the `remove` list.
 *
 * @example
 * const options: GalaxySanitizerOptions = { valid: { initial: 'string.printable' } };
 */
export interface GalaxySanitizerOptions {
  /** `false` reproduces `sanitize="False"`: values pass unchanged. Defaults to `true`. */
  sanitize?: boolean;
  /** Written for every character neither valid nor mapped; `''` drops it. Defaults to `'X'`. */
  invalidChar?: string;
  /** The valid set. Defaults to `{ initial: 'default' }` (see the README for tool XML). */
  valid?: {
    /** Preset names the set starts from (`none`, `string.digits`, ...). Defaults to `'default'`. */
    initial?: string;
    /** Characters added to the set, in order. Defaults to `[]`. */
    add?: readonly GalaxyValidAction[];
    /** Characters removed from the set, after `add`. Defaults to `[]`. */
    remove?: readonly GalaxyValidAction[];
  };
  /** The mapping. Defaults to `{ initial: 'default' }`. */
  mapping?: {
    /** Preset names the mapping starts from (`default` or `none`). Defaults to `'default'`. */
    initial?: string;
    /** Entries added, in order. Defaults to `[]`. */
    add?: readonly GalaxyMappingAction[];
    /** Entries removed, after `add`. Defaults to `[]`. */
    remove?: readonly GalaxyMappingAction[];
  };
}

/**
 * One character the sanitizer changed.
 *
 * @example
 * const [change] = sanitizeGalaxy('a;b').changes; // { index: 1, from: ';', to: 'X', ... }
 */
export interface GalaxySanitizeChange {
  /** List index or object key of the value; absent for a single string. */
  item?: number | string;
  /** Offset in the original string, in UTF-16 code units. */
  index: number;
  /** The original character (one code point). */
  from: string;
  /** What Galaxy wrote instead (`''` when dropped). */
  to: string;
  reason: 'mapped' | 'invalid';
}

/**
 * The sanitized value and every change made to it: nothing is hidden.
 *
 * @example
 * const { value, changes } = sanitizeGalaxy(['a>b', 'c']);
 */
export interface GalaxySanitizeResult<T> {
  value: T;
  changes: GalaxySanitizeChange[];
}

interface Plan {
  sanitize: boolean;
  valid: ReadonlySet<string>;
  mapping: ReadonlyMap<string, string>;
  invalidChar: string;
}

/**
 * Galaxy's `get_valid_by_name`: comma-separated names, each cut at its first `;` (Galaxy
 * drops the rest, which it would otherwise `eval`) and trimmed; an empty name adds nothing.
 */
function presetNames(names: string): string[] {
  return names
    .split(',')
    .map((raw) => (raw.split(';', 1)[0] ?? '').trim())
    .filter((name) => name !== '');
}

function validSet(names: string, option: string): string[] {
  const chars: string[] = [];
  for (const name of presetNames(names)) {
    const set = VALID_PRESETS[name] ?? PYTHON_STRING_SETS[name];
    if (set === undefined) {
      // Galaxy only logs an unknown preset at debug level and uses an empty set; a typo
      // here would silently change what is kept, so it is a configuration error.
      throw optionError(
        option,
        `names an unknown preset ${JSON.stringify(name)}`,
        'use default, none or a Python string.* set such as string.printable',
      );
    }
    chars.push(...set);
  }
  return chars;
}

/** Galaxy's `get_mapping_by_name`: comma-separated names, merged in order. */
function mappingPreset(names: string, option: string): Readonly<Record<string, string>> {
  const merged: Record<string, string> = {};
  for (const raw of names.split(',')) {
    const name = raw.trim();
    const preset = MAPPING_PRESETS[name];
    if (name === '') continue;
    if (preset === undefined) {
      throw optionError(
        option,
        `names an unknown mapping preset ${JSON.stringify(name)}`,
        'use default or none',
      );
    }
    Object.assign(merged, preset);
  }
  return merged;
}

function actionChars(action: GalaxyValidAction, option: string): string[] {
  return [...validSet(action.preset ?? 'none', option), ...(action.value ?? '')];
}

function buildValid(spec: GalaxySanitizerOptions['valid'] = {}): Set<string> {
  const valid = new Set(validSet(spec.initial ?? 'default', 'valid.initial'));
  for (const action of spec.add ?? []) {
    for (const c of actionChars(action, 'valid.add')) valid.add(c);
  }
  for (const action of spec.remove ?? []) {
    for (const c of actionChars(action, 'valid.remove')) valid.delete(c);
  }
  return valid;
}

function singleChar(source: string | undefined, option: string): string | undefined {
  if (source === undefined || [...source].length === 1) return source;

  // Galaxy compares one character at a time, so a longer source could never match.
  throw optionError(
    option,
    `has source ${JSON.stringify(source)}`,
    'a mapping source must be exactly one character',
  );
}

function buildMapping(spec: GalaxySanitizerOptions['mapping'] = {}): Map<string, string> {
  const mapping = new Map(
    Object.entries(mappingPreset(spec.initial ?? 'default', 'mapping.initial')),
  );
  for (const action of spec.add ?? []) {
    for (const entry of Object.entries(mappingPreset(action.preset ?? 'none', 'mapping.add'))) {
      mapping.set(entry[0], entry[1]);
    }
    const source = singleChar(action.source, 'mapping.add');
    if (source !== undefined && action.target !== undefined) mapping.set(source, action.target);
  }
  for (const action of spec.remove ?? []) {
    for (const key of Object.keys(mappingPreset(action.preset ?? 'none', 'mapping.remove'))) {
      mapping.delete(key);
    }
    // Galaxy's own loop here deletes a stale variable; removing the named source is the intent.
    const source = singleChar(action.source, 'mapping.remove');
    if (source !== undefined) mapping.delete(source);
  }
  return mapping;
}

function buildPlan(options: GalaxySanitizerOptions): Plan {
  return {
    sanitize: options.sanitize ?? true,
    valid: buildValid(options.valid),
    mapping: buildMapping(options.mapping),
    invalidChar: options.invalidChar ?? 'X',
  };
}

const DEFAULT_PLAN = buildPlan({});

function planFor(options: GalaxySanitizerOptions | undefined): Plan {
  if (options === undefined) return DEFAULT_PLAN;

  checkSanitizerOptions(options);
  return buildPlan(options);
}

function assertText(text: unknown, item: number | string | undefined): asserts text is string {
  if (typeof text === 'string') return;

  const where = item === undefined ? 'value' : `item ${JSON.stringify(item)}`;
  throw new ShellArgError(
    'ERR_SHELL_ARG_TYPE',
    `sanitizeGalaxy: ${where} must be a string, got ${typeName(text)}`,
  );
}

/** What Galaxy writes for a character outside the valid set: its mapping, or invalidChar. */
function replacement(c: string, index: number, plan: Plan): GalaxySanitizeChange {
  const mapped = plan.mapping.get(c);
  const reason = mapped === undefined ? 'invalid' : 'mapped';

  return { index, from: c, to: mapped ?? plan.invalidChar, reason };
}

function sanitizeText(
  text: unknown,
  plan: Plan,
  changes: GalaxySanitizeChange[],
  item?: number | string,
): string {
  assertText(text, item);
  if (!plan.sanitize) return text;

  let out = '';
  let index = 0;
  // for..of walks code points, as Python iterates a str.
  for (const c of text) {
    if (plan.valid.has(c)) {
      out += c;
    } else {
      const change = replacement(c, index, plan);
      if (item !== undefined) change.item = item;
      changes.push(change);
      out += change.to;
    }
    index += c.length;
  }
  return out;
}

type GalaxyValue = string | readonly string[] | Readonly<Record<string, string>>;

function apply(
  plan: Plan,
  value: GalaxyValue,
): GalaxySanitizeResult<string | string[] | Record<string, string>> {
  const changes: GalaxySanitizeChange[] = [];
  if (Array.isArray(value)) {
    return { value: value.map((item, i) => sanitizeText(item, plan, changes, i)), changes };
  }
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so a `__proto__` key stays an ordinary key.
    const entries = Object.entries(value).map(([key, item]) => [
      key,
      sanitizeText(item, plan, changes, key),
    ]);
    return { value: Object.fromEntries(entries) as Record<string, string>, changes };
  }
  return { value: sanitizeText(value, plan, changes), changes };
}

/**
 * A sanitizer made once by {@link createGalaxySanitizer}.
 *
 * @example
 * const sanitize: GalaxySanitizer = createGalaxySanitizer({ invalidChar: '' });
 */
export interface GalaxySanitizer {
  (value: string): GalaxySanitizeResult<string>;
  (value: readonly string[]): GalaxySanitizeResult<string[]>;
  (value: Readonly<Record<string, string>>): GalaxySanitizeResult<Record<string, string>>;
}

/**
 * Checks `<sanitizer>` options once (a bad option throws here, at start-up) and returns a
 * sanitizer to call per value, for services that sanitize on every request.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_OPTION`, naming the option and the fix
 * @example
 * const sanitize = createGalaxySanitizer({ invalidChar: '' });
 * sanitize('100.00%').value; // '100.00'
 */
export function createGalaxySanitizer(options?: GalaxySanitizerOptions): GalaxySanitizer {
  const plan = planFor(options);
  return ((value: GalaxyValue) => apply(plan, value)) as GalaxySanitizer;
}

/**
 * Reproduces Galaxy's tool-parameter sanitizer exactly: per character, keep it if it is in
 * the valid set, else write its mapping, else the invalid character. Lists are sanitized
 * item by item and objects value by value, as Galaxy does. Every change is reported.
 *
 * This is for compatibility with tools that expect Galaxy's output. It is not a defence:
 * quote values instead, and check sed/awk programs (`1e touch x` is all valid characters).
 * Mapped tokens are never turned back into characters anywhere in this package.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_OPTION` for a bad option, `ERR_SHELL_ARG_TYPE` for
 *   a value that is not a string, a list of strings or an object of strings
 * @example
 * sanitizeGalaxy('AC[TG]').value; // 'AC__ob__TG__cb__'
 */
export function sanitizeGalaxy(
  value: string,
  options?: GalaxySanitizerOptions,
): GalaxySanitizeResult<string>;
export function sanitizeGalaxy(
  value: readonly string[],
  options?: GalaxySanitizerOptions,
): GalaxySanitizeResult<string[]>;
export function sanitizeGalaxy(
  value: Readonly<Record<string, string>>,
  options?: GalaxySanitizerOptions,
): GalaxySanitizeResult<Record<string, string>>;
export function sanitizeGalaxy(
  value: GalaxyValue,
  options?: GalaxySanitizerOptions,
): GalaxySanitizeResult<string | string[] | Record<string, string>> {
  return apply(planFor(options), value);
}
