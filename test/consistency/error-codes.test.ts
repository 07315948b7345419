import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// STYLE.md: one error class per package with a stable `code` union, every code listed once in
// the package README. A code added in src and never documented is one a user cannot handle on
// purpose; a code documented and gone is one they handle in vain.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = ['store', 'shell-args', 'auth-limit', 'headers', 'mfa', 'service-auth'];

const UNION = /export type (\w+ErrorCode)\s*=([^;]*);/;
const CODE = /\bERR_[A-Z0-9_]*[A-Z0-9]\b/g;

interface CodeUnion {
  name: string;
  file: string;
  codes: string[];
}

/** The `<Name>ErrorCode` union of a package, wherever in src/ it lives (errors.ts by rule). */
function codeUnion(pkg: string): CodeUnion {
  const src = join(ROOT, 'packages', pkg, 'src');
  const files = readdirSync(src).filter((file) => file.endsWith('.ts'));
  const found = files.flatMap((file) => {
    const match = UNION.exec(readFileSync(join(src, file), 'utf8'));
    if (!match) return [];
    const codes = [...(match[2] ?? '').matchAll(/'([^']+)'/g)].map(([, code]) => code as string);
    return [{ name: match[1] as string, file, codes }];
  });
  if (found.length !== 1) throw new Error(`${pkg}: ${found.length} ErrorCode unions in src/`);

  return found[0] as CodeUnion;
}

function readme(pkg: string): string {
  return readFileSync(join(ROOT, 'packages', pkg, 'README.md'), 'utf8');
}

/** The `## Error codes` section, up to the next `## ` heading. */
function errorSection(text: string): string {
  const start = text.search(/^## Error codes\b/m);
  if (start === -1) return '';
  const rest = text.slice(start + 3);
  const end = rest.search(/^## /m);

  return end === -1 ? rest : rest.slice(0, end);
}

/** Codes in the first cell of the section's table rows: what the README lists. */
function listedCodes(section: string): string[] {
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .flatMap((line) => (line.split('|')[1] ?? '').match(CODE) ?? []);
}

/** `ERR_MFA_` for `ERR_MFA_OPTION`, `ERR_MFA_STATE`, ...: the package's own prefix. */
function prefixOf(codes: readonly string[]): string {
  let prefix = codes[0] ?? '';
  for (const code of codes) while (!code.startsWith(prefix)) prefix = prefix.slice(0, -1);

  return prefix.slice(0, prefix.lastIndexOf('_') + 1);
}

const unions = new Map(PACKAGES.map((pkg) => [pkg, codeUnion(pkg)]));

describe.each(PACKAGES)('error codes of @galaxy-harden/%s', (pkg) => {
  const union = unions.get(pkg) as CodeUnion;

  it('keeps a non-empty code union in src/errors.ts, each code once', () => {
    expect(union.file).toBe('errors.ts');
    expect(union.codes.length).toBeGreaterThan(0);
    expect(new Set(union.codes).size).toBe(union.codes.length);
  });

  it('lists every code exactly once in the README "Error codes" table', () => {
    const listed = listedCodes(errorSection(readme(pkg)));
    const counts = union.codes.map((code) => [code, listed.filter((c) => c === code).length]);

    expect(counts.filter(([, count]) => count !== 1)).toEqual([]);
  });

  it('lists no code in that table that the union lacks', () => {
    const listed = listedCodes(errorSection(readme(pkg)));

    expect(listed.filter((code) => !union.codes.includes(code))).toEqual([]);
  });

  it('names no code of any package anywhere in the README that does not exist', () => {
    const mentioned = new Set(readme(pkg).match(CODE) ?? []);
    const stale = [...mentioned].filter((code) =>
      [...unions.values()].some(
        (other) => code.startsWith(prefixOf(other.codes)) && !other.codes.includes(code),
      ),
    );

    expect(stale).toEqual([]);
  });
});

describe('the code prefixes', () => {
  it('are one per package and distinct', () => {
    const prefixes = PACKAGES.map((pkg) => prefixOf((unions.get(pkg) as CodeUnion).codes));

    expect(prefixes).toEqual([
      'ERR_STORE_',
      'ERR_SHELL_ARG_',
      'ERR_AUTH_LIMIT_',
      'ERR_HEADERS_',
      'ERR_MFA_',
      'ERR_SERVICE_AUTH_',
    ]);
  });
});
