import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The measurable limits of STYLE.md, over each package's src/ (and, for `any`, the built
// declarations a user sees), in every package.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = ['store', 'shell-args', 'auth-limit', 'headers', 'mfa', 'service-auth'];

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 30;
const MAX_LINE_CHARS = 100;

function sourceFiles(dir: string, suffix = '.ts'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

interface Source {
  name: string;
  text: string;
  lines: string[];
}

function sources(pkg: string): Source[] {
  const src = join(ROOT, 'packages', pkg, 'src');
  return sourceFiles(src).map((file) => {
    const text = readFileSync(file, 'utf8');
    return { name: relative(src, file), text, lines: text.split('\n') };
  });
}

/** `file:line` of every line matching `pattern`. */
function linesMatching(files: Source[], pattern: RegExp): string[] {
  return files.flatMap(({ name, lines }) =>
    lines.flatMap((line, index) => (pattern.test(line) ? [`${name}:${index + 1}`] : [])),
  );
}

/** Every function, method, constructor and arrow with a body longer than the limit. */
function longFunctions({ name, text }: Source): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(node.end).line;
      const label = node.name?.getText(file) ?? `<function at ${first + 1}>`;
      if (last - first + 1 > MAX_FUNCTION_LINES) found.push(`${name}:${first + 1} ${label}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);

  return found;
}

/** Declarations with the comments removed, so a doc saying "any" is not counted. */
function declarationCode(pkg: string): Source[] {
  const dist = join(ROOT, 'packages', pkg, 'dist');
  return sourceFiles(dist, '.d.ts').map((file) => {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    return { name: relative(dist, file), text, lines: text.split('\n') };
  });
}

describe.each(PACKAGES)('STYLE.md limits in @galaxy-harden/%s', (pkg) => {
  const files = sources(pkg);

  it(`keeps every src file under ${MAX_FILE_LINES} lines`, () => {
    const long = files.filter((f) => f.lines.length > MAX_FILE_LINES).map((f) => f.name);

    expect(long).toEqual([]);
  });

  it(`keeps every function to ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap(longFunctions)).toEqual([]);
  });

  it(`keeps every line to ${MAX_LINE_CHARS} characters`, () => {
    const wide = files.flatMap(({ name, lines }) =>
      lines.flatMap((line, i) => (line.length > MAX_LINE_CHARS ? [`${name}:${i + 1}`] : [])),
    );

    expect(wide).toEqual([]);
  });

  it('never prints: no console.* in src, code or examples', () => {
    expect(linesMatching(files, /\bconsole\./)).toEqual([]);
  });

  it('has no TODO marks, @ts-ignore or export *', () => {
    const marks = linesMatching(files, /\bTODO\b|\bFIXME\b|@ts-ignore|@ts-nocheck|^export \*/);

    expect(marks).toEqual([]);
  });

  it('has no any in its public types', () => {
    expect(linesMatching(declarationCode(pkg), /\bany\b/)).toEqual([]);
  });
});
