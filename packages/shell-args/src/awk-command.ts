import { spawnSync } from 'node:child_process';
import { ShellArgError, showValue } from './errors.js';
import { checkOperands } from './operands.js';
import { quoteArgs } from './quote.js';
import { assertArg, assertOptions } from './value-checks.js';

/**
 * Options of {@link awkArgv} and {@link awkCommand}.
 *
 * @example
 * const options: AwkOptions = { program: '{ print $1 }', files: ['table.tsv'] };
 */
export interface AwkOptions {
  /** The awk program, passed with `-e`. */
  program: string;
  /** Input files, placed after `--`. Defaults to `[]` (awk reads stdin). */
  files?: readonly string[];
  /** The gawk to run. Defaults to `'gawk'` (looked up on the PATH). */
  awkPath?: string;
}

const AWK_KEYS = ['program', 'files', 'awkPath'];
const probes = new Map<string, boolean>();

function runs(awkPath: string, program: string): boolean {
  const probe = spawnSync(awkPath, ['--sandbox', program], { stdio: 'ignore', timeout: 5000 });
  return probe.error === undefined && probe.status === 0;
}

/**
 * Finds an awk that really sandboxes programs: `awkPath --sandbox 'BEGIN{}'` must succeed
 * and `system("")` must then be refused. Debian's default awk (mawk) ignores `-W sandbox`
 * and rejects `--sandbox`, so it never qualifies. The answer is cached per path.
 *
 * @returns `awkPath` when it qualifies, otherwise `undefined`.
 * @example
 * if (findSandboxedAwk() === undefined) disableAwkJobs();
 */
export function findSandboxedAwk(awkPath = 'gawk'): string | undefined {
  let ok = probes.get(awkPath);
  if (ok === undefined) {
    ok = runs(awkPath, 'BEGIN{}') && !runs(awkPath, 'BEGIN { system("") }');
    probes.set(awkPath, ok);
  }
  return ok ? awkPath : undefined;
}

/** Offset of an `@include`, `@load` or `@nsinclude` directive, or -1. */
function findDirective(program: string): number {
  for (let at = program.indexOf('@'); at !== -1; at = program.indexOf('@', at + 1)) {
    let j = at + 1;
    // gawk allows blanks and backslash-newlines between '@' and the directive name.
    while (/[ \t\r\n\\]/.test(program[j] ?? '')) j++;
    const name = /^(?:include|load|nsinclude)(?![A-Za-z0-9_])/.exec(program.slice(j, j + 10));
    if (name !== null) return at;
  }
  return -1;
}

function refuse(message: string): never {
  throw new ShellArgError('ERR_SHELL_ARG_AWK_UNSAFE', `awkCommand: ${message}`);
}

// awk reads an operand shaped like `name=value` as a variable assignment, not a file.
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The argv of a sandboxed gawk run: `gawk --sandbox -e PROGRAM -- FILE...`. `--sandbox`
 * disables `system()`, pipes, redirections and extensions; `@include`, which gawk still
 * honours in sandbox mode and which reads any file, is refused here.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_AWK_UNSAFE` when no sandboxing gawk is found, the
 *   program uses `@include`/`@load`, or a file looks like an assignment;
 *   `ERR_SHELL_ARG_OPTION` for an unknown or misspelt option
 * @example
 * execFile('gawk', awkArgv({ program: '{ n++ } END { print n }', files: [p] }).slice(1));
 */
export function awkArgv(options: AwkOptions): string[] {
  assertOptions('awkArgv', options, AWK_KEYS);
  const awkPath = options.awkPath ?? 'gawk';
  assertArg(awkPath, 'awkArgv: awkPath');
  assertArg(options.program, 'awkArgv: program');
  const files = checkOperands('awkArgv', options.files);
  if (findSandboxedAwk(awkPath) === undefined) {
    refuse(
      `${showValue(awkPath)} is not a gawk that supports --sandbox; user awk programs could ` +
        'call system(). Install gawk (mawk ignores -W sandbox) or disable awk jobs',
    );
  }
  const directive = findDirective(options.program);
  if (directive !== -1) {
    refuse(
      `the program uses an @include/@load directive at offset ${directive}, which reads files`,
    );
  }
  const assignment = files.find((file) => ASSIGNMENT.test(file));
  if (assignment !== undefined) {
    refuse(
      `file ${showValue(assignment)} would be read as a variable assignment: prefix it with ./`,
    );
  }

  return [awkPath, '--sandbox', '-e', options.program, '--', ...files];
}

/**
 * The shell command line of {@link awkArgv}, every word quoted.
 *
 * @example
 * awkCommand({ program: '{ print $1 }', files: ['table.tsv'] });
 * // "gawk --sandbox -e '{ print $1 }' -- table.tsv"
 */
export function awkCommand(options: AwkOptions): string {
  return quoteArgs(awkArgv(options));
}
