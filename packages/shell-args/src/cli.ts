#!/usr/bin/env node
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ShellArgError } from './errors.js';
import { createGalaxySanitizer, type GalaxySanitizer } from './galaxy-sanitizer.js';
import { checkPositional } from './positional.js';
import { quoteArgs } from './quote.js';
import { checkSedScript } from './sed-script.js';

const USAGE = `Usage: galaxy-shell-args <command> [options] [--] [values...]

Commands:
  quote VALUE...            print the values as shell words joined by spaces
  sanitize [--preset NAME] [--mapping default|none] [--invalid-char C]
                            read lines on stdin, write Galaxy-sanitized lines
                            (NAME: default, none or a Python string.* set)
  check [--allow-leading-dash] [--sed-script] VALUE...
                            exit 0 when every value passes, 1 with a report on stderr

Put -- before values that start with "-". Exit status 2 means a usage error.
`;

class UsageError extends Error {}

function out(text: string): void {
  process.stdout.write(text);
}

function fail(text: string): void {
  process.stderr.write(`galaxy-shell-args: ${text}\n`);
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

// Node decodes argv as UTF-8 and turns every invalid byte into U+FFFD, so a Latin-1 file
// name would come back quoted with different bytes. Refuse rather than alter the value.
function assertIntactArg(value: string, index: number): void {
  if (!value.includes('\uFFFD')) return;

  throw new ShellArgError(
    'ERR_SHELL_ARG_ENCODING',
    `quote: values[${index}] contains U+FFFD, which Node puts in place of argument bytes ` +
      'that are not valid UTF-8, so the original bytes cannot be quoted: pass UTF-8 values',
  );
}

function quoteCommand(args: string[]): number {
  const { positionals } = parse(args, {});
  if (positionals.length === 0) throw new UsageError('quote needs at least one value');

  positionals.forEach(assertIntactArg);
  out(`${quoteArgs(positionals)}\n`);
  return 0;
}

function checkCommand(args: string[]): number {
  const { values, positionals } = parse(args, {
    'allow-leading-dash': { type: 'boolean' },
    'sed-script': { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('check needs at least one value');

  let failures = 0;
  for (const value of positionals) {
    try {
      if (values['sed-script'] === true) checkSedScript(value);
      else checkPositional(value, { allowLeadingDash: values['allow-leading-dash'] === true });
    } catch (err) {
      if (!(err instanceof ShellArgError)) throw err;
      failures++;
      fail(`${err.code}: ${err.message}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

async function sanitizeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    preset: { type: 'string' },
    mapping: { type: 'string' },
    'invalid-char': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError('sanitize reads stdin and takes no values');

  let sanitize: GalaxySanitizer;
  try {
    sanitize = createGalaxySanitizer({
      valid: { initial: (values.preset as string | undefined) ?? 'default' },
      mapping: { initial: (values.mapping as string | undefined) ?? 'default' },
      invalidChar: (values['invalid-char'] as string | undefined) ?? 'X',
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }

  await sanitizeLines(sanitize);
  return 0;
}

/**
 * Writes stdin back sanitized line by line, chunk by chunk. Galaxy's rules work on one code
 * point at a time and the UTF-8 decoder never splits one, so no line is ever buffered: a
 * huge line (or an endless one) costs linear time and constant memory.
 */
async function sanitizeLines(sanitize: GalaxySanitizer): Promise<void> {
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    const lines = (chunk as string).split('\n');
    await write(lines.map((line) => sanitize(line).value).join('\n'));
  }
}

/** Writes to stdout and waits for it to drain when the pipe is full. */
function write(text: string): Promise<void> {
  if (process.stdout.write(text)) return Promise.resolve();

  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return 0;
  }
  if (command === 'quote') return quoteCommand(rest);
  if (command === 'check') return checkCommand(rest);
  if (command === 'sanitize') return sanitizeCommand(rest);

  throw new UsageError(command === undefined ? 'missing command' : `unknown command ${command}`);
}

// A reader that stops early (`| head`) closes the pipe: stop quietly, as Unix filters do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      fail(`${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    fail(err instanceof ShellArgError ? `${err.code}: ${err.message}` : String(err));
    process.exitCode = 1;
  },
);
