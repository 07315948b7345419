import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Reads the BUILT declarations (`npm test` builds first), the way a user's editor sees them:
// a doc comment tsc dropped or a declaration reachable only through a re-export counts too.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Packages whose function and class docs are held to the rule. */
const CHECKED = ['store', 'shell-args', 'auth-limit', 'headers', 'mfa', 'service-auth'];

/** Packages whose every export (types and constants too) is held to it, options included. */
const STRICT = ['store', 'shell-args', 'auth-limit', 'headers', 'mfa', 'service-auth'];

/** "One short example": a few lines a reader takes in at a glance (fences included). */
const MAX_EXAMPLE_LINES = 8;

type Kind = 'function' | 'class' | 'const' | 'interface' | 'type' | 'enum';

interface PublicExport {
  /** `<entry>#<name>`, e.g. `express.d.ts#serviceAuth`. */
  label: string;
  kind: Kind;
  /** The `/** ... *\/` block right before the declaration, if any. */
  doc: string | undefined;
  /** The declaration's text up to its end (interfaces: the member list). */
  body: string;
}

const DECLARATION = (name: string) =>
  new RegExp(
    `^(?:export )?(?:declare )?(?:abstract )?(function|class|const|interface|type|enum) ${name}\\b`,
    'm',
  );
const RE_EXPORT = /^export (?:type )?\{([^}]*)\} from '([^']+)';/gm;
const STAR = /^export \* (?:as \w+ )?from '([^']+)';/gm;

function entryFiles(pkg: string): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8'));
  const exports = manifest.exports as Record<string, { types: string }>;

  return Object.values(exports).map((entry) => join(ROOT, 'packages', pkg, entry.types));
}

function moduleFile(from: string, specifier: string): string {
  return join(dirname(from), specifier.replace(/\.js$/, '.d.ts'));
}

/** `[exported, local]` pairs of one `{ ... }` list: `type A`, `B as C`. */
function specifiers(list: string): Array<[string, string]> {
  return list
    .split(',')
    .map((part) => part.trim().replace(/^type /, ''))
    .filter((part) => part !== '')
    .map((part) => {
      const [local, exported = local] = part.split(/\s+as\s+/) as [string, string?];
      return [exported, local];
    });
}

function docBefore(text: string, index: number): string | undefined {
  const before = text.slice(0, index).trimEnd();
  if (!before.endsWith('*/')) return undefined;

  return before.slice(before.lastIndexOf('/**'));
}

function declarationBody(text: string, index: number, kind: Kind): string {
  const rest = text.slice(index);
  const end = rest.search(kind === 'interface' || kind === 'class' ? /^}/m : /;$/m);

  return end === -1 ? rest : rest.slice(0, end + 1);
}

/** Finds `name` declared in `file` or re-exported from another module, recursively. */
function resolveDeclaration(file: string, name: string, label: string): PublicExport {
  const text = readFileSync(file, 'utf8');
  const match = DECLARATION(name).exec(text);
  if (match) {
    const kind = match[1] as Kind;
    const body = declarationBody(text, match.index, kind);
    return { label, kind, doc: docBefore(text, match.index), body };
  }
  for (const [, list, from] of text.matchAll(RE_EXPORT)) {
    const hit = specifiers(list ?? '').find(([exported]) => exported === name);
    if (hit) return resolveDeclaration(moduleFile(file, from ?? ''), hit[1], label);
  }

  throw new Error(`${relative(ROOT, file)}: cannot find the declaration of ${name}`);
}

function starExports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(STAR)].map(
    ([, from]) => `${relative(ROOT, file)}: export * from ${from}`,
  );
}

/** Every export of every entry point in `exports`, resolved to its declaration. */
function publicExports(pkg: string): PublicExport[] {
  const found: PublicExport[] = [];
  for (const entry of entryFiles(pkg)) {
    if (!existsSync(entry)) throw new Error(`${relative(ROOT, entry)} missing: run npm run build`);
    const text = readFileSync(entry, 'utf8');
    const names = [...text.matchAll(RE_EXPORT)].flatMap(([, list]) => specifiers(list ?? ''));
    const own = [...text.matchAll(/^export (?:declare )?(?:abstract )?\w+ (\w+)/gm)];
    const all = [...names.map(([name]) => name), ...own.map(([, name]) => name as string)];
    const base = entry.slice(entry.lastIndexOf('/') + 1);
    for (const name of new Set(all)) found.push(resolveDeclaration(entry, name, `${base}#${name}`));
  }

  return found;
}

function hasExample(item: PublicExport): boolean {
  return item.doc !== undefined && /^\s*\*\s*@example\b/m.test(item.doc);
}

describe.each(CHECKED)('public docs of @galaxy-harden/%s', (pkg) => {
  it('gives every exported function and class a doc comment with @example', () => {
    const undocumented = publicExports(pkg)
      .filter((item) => item.kind === 'function' || item.kind === 'class')
      .filter((item) => !hasExample(item))
      .map((item) => item.label);

    expect(undocumented).toEqual([]);
  });

  it('re-exports nothing with export *', () => {
    const stars = entryFiles(pkg).flatMap(starExports);

    expect(stars).toEqual([]);
  });
});

// Option members: `name?: T` is optional and must say what happens when it is left out.
const OPTIONAL_MEMBER = /(\/\*\*(?:[^*]|\*(?!\/))*\*\/\s*)?(?:readonly )?(\w+)\?: /g;
const OTHER_DEFAULT_WORDING = /\bDefault[ :`]|\b[Nn]o default\b|\(default\)|@default\b|\bDefaults:/;

function optionalMembersWithoutDefault(item: PublicExport): string[] {
  const missing: string[] = [];
  for (const [, doc, member] of item.body.matchAll(OPTIONAL_MEMBER)) {
    const text = (doc ?? '').replace(/\s*\n\s*\*\s*/g, ' ');
    if (!/\b[Dd]efaults to\b/.test(text)) missing.push(`${item.label}.${member}`);
  }

  return missing;
}

describe.each(STRICT)('public docs of @galaxy-harden/%s, types and constants too', (pkg) => {
  it('gives every export a doc comment with @example', () => {
    const undocumented = publicExports(pkg)
      .filter((item) => !hasExample(item))
      .map((item) => `${item.kind} ${item.label}`);

    expect(undocumented).toEqual([]);
  });

  it('keeps to one short example per export', () => {
    const long = publicExports(pkg)
      .filter((item) => item.doc !== undefined)
      .filter((item) => {
        const examples = (item.doc ?? '').split(/^\s*\*\s*@example\b/m).slice(1);
        const lines = examples[0]
          ?.split('\n')
          .filter((line) => /\S/.test(line.replace(/^\s*\*\/?/, '')));
        return examples.length > 1 || (lines?.length ?? 0) > MAX_EXAMPLE_LINES;
      })
      .map((item) => item.label);

    expect(long).toEqual([]);
  });

  it('states the default of every optional option as "Defaults to ..."', () => {
    const options = publicExports(pkg).filter(
      (item) => item.kind === 'interface' && /Options$/.test(item.label),
    );
    const missing = options.flatMap(optionalMembersWithoutDefault);

    expect(options.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('words defaults one way only', () => {
    const other = publicExports(pkg)
      .flatMap((item) => [item.doc ?? '', item.body])
      .flatMap((text) => text.split('\n'))
      .filter((line) => /^\s*(\/\*\*|\*)/.test(line) && OTHER_DEFAULT_WORDING.test(line))
      .map((line) => line.trim());

    expect(other).toEqual([]);
  });
});
