import { ShellArgError, typeName } from './errors.js';
import { quoteChecked } from './quote.js';
import { planTemplate, type SlotPlan } from './template-scanner.js';

/**
 * A value `sh` accepts in one interpolation.
 *
 * @example
 * const lines: ShellValue = 20;
 * sh`head -n ${lines} -- ${'my file'}`; // "head -n 20 -- 'my file'"
 */
export type ShellValue = string | number | bigint;

/**
 * What an interpolation may hold: one word, or an array of words.
 *
 * @example
 * const files: ShellInterpolation = ['a.txt', 'b c.txt'];
 * sh`cat -- ${files}`; // "cat -- a.txt 'b c.txt'"
 */
export type ShellInterpolation = ShellValue | readonly ShellValue[];

// Template strings arrays are frozen and unique per call site, so a plan is computed once.
const plans = new WeakMap<TemplateStringsArray, SlotPlan[] | ShellArgError>();

function templateError(message: string): ShellArgError {
  return new ShellArgError('ERR_SHELL_ARG_TEMPLATE', `sh: ${message}`);
}

function planFor(strings: TemplateStringsArray): SlotPlan[] {
  let plan = plans.get(strings);
  if (plan === undefined) {
    try {
      plan = planTemplate(strings.raw);
    } catch (err) {
      plan = templateError((err as Error).message);
    }
    plans.set(strings, plan);
  }
  if (plan instanceof ShellArgError) throw templateError(plan.message.slice(4));

  return plan;
}

function word(value: unknown, role: string): string {
  if (typeof value === 'string') return quoteChecked(value, role);
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return quoteChecked(String(value), role);

  throw new ShellArgError(
    'ERR_SHELL_ARG_TYPE',
    `${role} is ${typeof value === 'number' ? String(value) : typeName(value)}; pass a ` +
      'string, a finite number, a bigint or an array of them',
  );
}

function words(values: readonly unknown[], role: string, slot: SlotPlan): string {
  if (slot.gluedLeft || slot.gluedRight || slot.afterRedirection) {
    throw templateError(
      `${role} is an array (several words) glued to other text or placed after a ` +
        'redirection; put spaces around it, or join the values yourself into one string',
    );
  }

  let out = '';
  for (let i = 0; i < values.length; i++) {
    out += (i === 0 ? '' : ' ') + word(values[i], `${role}[${i}]`);
  }
  return out;
}

/**
 * Tagged template that builds a shell command line: each interpolation becomes exactly one
 * quoted word (an array becomes one word per item, an empty array none); the literal text is
 * trusted and used as written (raw, like `String.raw`). An interpolation glued to literal
 * text (`--out=${v}`) stays in that word and is allowed. An interpolation inside the
 * template's own quotes (`"${v}"`), a comment, a here-document or its delimiter, `${...}`,
 * `$((...))`, backquotes, brace expansion or a `(...)` glued to a word (glob groups), or right
 * after `$`, `~`, a backslash or a word-initial `=` is refused, because there a quoted value
 * would no longer be one literal argument. Literal `$'...'`, `$[...]`, `${ cmd;}`, quotes in
 * arithmetic, a `'` inside a double-quoted `${...}` and a comment inside `(...)` are refused
 * too: shells read them differently.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_TEMPLATE`, `ERR_SHELL_ARG_TYPE`, `ERR_SHELL_ARG_NUL`,
 *   `ERR_SHELL_ARG_ENCODING`
 * @example
 * sh`grep -e ${pattern} -- ${files}`; // "grep -e 'a b' -- in.txt 'my file.txt'"
 */
export function sh(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  if (!Array.isArray(strings) || !Array.isArray((strings as TemplateStringsArray).raw)) {
    throw new ShellArgError(
      'ERR_SHELL_ARG_TYPE',
      `sh must be used as a tagged template: sh\`cmd \${value}\`, not sh(...)`,
    );
  }

  if (values.length !== strings.length - 1) {
    throw new ShellArgError(
      'ERR_SHELL_ARG_TYPE',
      `sh got ${values.length} values for ${strings.length} literal parts; call it as a ` +
        'tagged template, which always passes one value fewer than literal parts',
    );
  }

  const plan = planFor(strings);
  let out = strings.raw[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    const slot = plan[i]!;
    const role = `sh: values[${i}]`;
    if (slot.refusal !== undefined) throw templateError(`values[${i}] ${slot.refusal}`);

    const value = values[i];
    out += Array.isArray(value) ? words(value, role, slot) : word(value, role);
    out += strings.raw[i + 1] ?? '';
  }
  return out;
}
