import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteArgs } from '@galaxy-harden/shell-args';
import { expect } from 'vitest';

/** One way of running a shell of the POSIX family. */
export interface ShellSpec {
  /** Label in test titles. */
  name: string;
  /** The binary, which must be on the PATH. */
  command: string;
  /** Arguments before the script; the script follows `-c`, or arrives on stdin when interactive. */
  args: readonly string[];
  /** Read the script on stdin as an interactive shell (history expansion is on). */
  interactive?: boolean;
}

/** The shells `.ci/run` installs; CI fails when one is missing. */
export const FAMILY_BINARIES = ['bash', 'dash', 'zsh', 'mksh', 'busybox'] as const;

// `--norc --noprofile`: a bash spawned with a socket on stdin reads ~/.bashrc otherwise.
// The option variants turn on every glob and expansion extension a value could trigger.
export const SHELLS: readonly ShellSpec[] = [
  { name: 'bash', command: 'bash', args: ['--norc', '--noprofile', '-c'] },
  {
    name: 'bash --posix +extglob',
    command: 'bash',
    args: ['--norc', '--noprofile', '--posix', '-O', 'extglob', '-O', 'globstar', '-c'],
  },
  { name: 'dash', command: 'dash', args: ['-c'] },
  { name: 'zsh -f', command: 'zsh', args: ['-f', '-c'] },
  {
    name: 'zsh -f +extendedglob +rcquotes +braceccl +magicequalsubst',
    command: 'zsh',
    args: [
      '-f',
      '-o',
      'extendedglob',
      '-o',
      'rcquotes',
      '-o',
      'braceccl',
      '-o',
      'magicequalsubst',
      '-c',
    ],
  },
  {
    name: 'zsh -f +kshglob +shglob',
    command: 'zsh',
    args: ['-f', '-o', 'kshglob', '-o', 'shglob', '-c'],
  },
  { name: 'mksh', command: 'mksh', args: ['-c'] },
  { name: 'busybox sh', command: 'busybox', args: ['sh', '-c'] },
];

/** Interactive shells, where `!` history expansion is live. */
export const INTERACTIVE_SHELLS: readonly ShellSpec[] = [
  { name: 'bash -i', command: 'bash', args: ['--norc', '--noprofile', '-i'], interactive: true },
  { name: 'zsh -f -i', command: 'zsh', args: ['-f', '-i'], interactive: true },
];

/** True when `command` runs. */
export function hasBinary(command: string): boolean {
  const args = command === 'busybox' ? ['true'] : ['-c', 'exit 0'];
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Binaries of the family that are not installed here. */
export function missingShells(): string[] {
  return FAMILY_BINARIES.filter((command) => !hasBinary(command));
}

/** The specs whose binary is installed. */
export function installed(specs: readonly ShellSpec[]): ShellSpec[] {
  const present = new Map<string, boolean>();
  return specs.filter((spec) => {
    if (!present.has(spec.command)) present.set(spec.command, hasBinary(spec.command));
    return present.get(spec.command) === true;
  });
}

/** A private working directory, removed by the returned function. */
export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'shell-args-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Result of running one script in one shell. */
export interface ShellRun {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs `script` in `shell` with a minimal environment (no ENV, BASH_ENV or rc files) in
 * `cwd`. Interactive shells get the script on stdin followed by `exit`.
 */
export function runScript(
  shell: ShellSpec,
  script: string,
  cwd: string,
  locale = 'C.UTF-8',
): ShellRun {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: cwd,
    LC_ALL: locale,
    HISTFILE: '/dev/null',
  };
  const args = shell.interactive ? [...shell.args] : [...shell.args, script];
  const run = spawnSync(shell.command, args, {
    cwd,
    env,
    input: shell.interactive ? `${script}\nexit\n` : undefined,
    stdio: [shell.interactive ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: 20_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.toString('utf8') };
}

/** The bytes `printf '%s\0' WORD...` writes for `words`. */
export function nulJoined(words: readonly string[]): Buffer {
  return Buffer.concat(words.map((word) => Buffer.from(`${word}\0`, 'utf8')));
}

/**
 * Splits words into batches small enough for one `-c` argument (Linux caps a single argv
 * string at 128 KiB) while keeping spawns few.
 */
export function batches(words: readonly string[], maxWords = 500, maxBytes = 60_000): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const word of words) {
    const size = Buffer.byteLength(word) * 4 + 8;
    if (current.length > 0 && (current.length >= maxWords || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(word);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Words that did not come back byte for byte (decoded for the failure message). */
export function mismatches(words: readonly string[], stdout: Buffer): Array<[string, string]> {
  const back = stdout.toString('utf8').split('\0');
  back.pop();
  const wrong: Array<[string, string]> = [];
  for (let i = 0; i < Math.max(words.length, back.length); i++) {
    if (words[i] !== back[i]) wrong.push([words[i] ?? '<missing>', back[i] ?? '<missing>']);
  }
  return wrong;
}

/**
 * Quotes `words` with the built package, has `shell` print them NUL-terminated
 * (`printf '%s\0' ...`) in batches, and expects every byte back.
 */
export function expectRoundTrip(
  shell: ShellSpec,
  words: readonly string[],
  cwd: string,
  locale?: string,
): void {
  for (const batch of batches(words)) {
    const run = runScript(shell, `printf '%s\\0' ${quoteArgs(batch)}`, cwd, locale);
    expect(mismatches(batch, run.stdout), `${shell.name} changed words: ${run.stderr}`).toEqual([]);
    expect(run.stdout.equals(nulJoined(batch))).toBe(true);
    expect(run.status).toBe(0);
  }
}
