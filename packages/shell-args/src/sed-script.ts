import { ShellArgError } from './errors.js';
import { type PartEnd, regexEnd, textEnd } from './sed-delimited.js';
import { assertArg } from './value-checks.js';

/*
 * A small GNU sed script parser, written to fail closed: it accepts only what it can read
 * the way GNU sed reads it, and refuses the commands that leave the sandbox of the pattern
 * space (`e`, `r`, `R`, `w`, `W`, `s///e`, `s///w`). Where sed versions differ (labels
 * followed by `#`, delimiters inside bracket expressions) it refuses rather than guess.
 */

const SIMPLE = new Set(['=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F']);
const NUMBERED = new Set(['l', 'q', 'Q']);
const LABELLED = new Set(['b', 't', 'T', 'v']);
const TEXT = new Set(['a', 'i', 'c']);
const SPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f', ';']);
const LABEL_END = new Set([' ', '\t', '\n', ';', '}']);
// GNU sed 4.9 keeps \r, \v and \f inside a label (`t\va\te` branches to "\va" and then runs
// `e`), where a reader that ends the label there sees `t` and an `a` text command instead.
const LABEL_AMBIGUOUS = new Set(['\r', '\v', '\f']);

const UNSAFE: Record<string, string> = {
  e: "the 'e' command runs a shell command",
  r: "the 'r' command reads a file",
  R: "the 'R' command reads a file",
  w: "the 'w' command writes a file",
  W: "the 'W' command writes a file",
};

const PART_FAILURE: Record<Exclude<PartEnd, number>, string> = {
  unterminated: 'is not terminated',
  newline: 'contains an unescaped newline',
  ambiguous:
    'has its delimiter inside a [...] bracket expression, which sed versions read ' +
    'differently: escape it or choose another delimiter',
};

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

class SedParser {
  private i = 0;
  private depth = 0;

  constructor(private readonly script: string) {}

  parse(): void {
    if (this.script.startsWith('-')) {
      this.refuse(
        'starts with "-", which sed would read as an option (-i edits files in place, ' +
          '--in-place, -s, ...); pass options through sedCommand (quiet: true for -n)',
      );
    }
    for (;;) {
      while (SPACE.has(this.peek())) this.i++;
      if (this.i >= this.script.length) break;

      this.command();
    }
    if (this.depth > 0) this.refuse("has a '{' without its '}'");
  }

  private peek(offset = 0): string {
    return this.script[this.i + offset] ?? '';
  }

  private refuse(problem: string, at = this.i): never {
    throw new ShellArgError(
      'ERR_SHELL_ARG_SED_UNSAFE',
      `sed script ${problem} (at offset ${at}); refused`,
    );
  }

  private blanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }

  private command(): void {
    const c = this.peek();
    if (c === '#') this.skipLine();
    else if (c === '}') this.closeBlock();
    else this.addressedCommand();
  }

  private addressedCommand(): void {
    const addressed = this.addresses();
    this.blanks();
    if (this.peek() === '!') {
      this.i++;
      this.blanks();
      if (this.peek() === '!') this.refuse("has multiple '!'");
    }
    const at = this.i;
    const cmd = this.script[this.i++];
    if (cmd === undefined) this.refuse('ends after an address, without a command', at);
    if (cmd === ':' && addressed) this.refuse("puts an address before ':' (labels take none)", at);

    const unsafe = UNSAFE[cmd];
    if (unsafe !== undefined) this.refuse(unsafe, at);
    if (!this.dispatch(cmd)) this.refuse(`has an unknown command ${JSON.stringify(cmd)}`, at);
  }

  /** Parses the rest of command `cmd`; false when sed has no such command. */
  private dispatch(cmd: string): boolean {
    if (cmd === '{') this.depth++;
    else if (SIMPLE.has(cmd)) this.endOfCommand(cmd);
    else if (NUMBERED.has(cmd)) this.numbered(cmd);
    else if (LABELLED.has(cmd) || cmd === ':') this.label(cmd, cmd === ':');
    else if (TEXT.has(cmd)) this.text(cmd);
    else if (cmd === 's') this.substitute();
    else if (cmd === 'y') this.transliterate();
    else return false;
    return true;
  }

  private closeBlock(): void {
    if (this.depth === 0) this.refuse("has a '}' without its '{'");

    this.depth--;
    this.i++;
    this.endOfCommand('}');
  }

  private skipLine(): void {
    const newline = this.script.indexOf('\n', this.i);
    this.i = newline === -1 ? this.script.length : newline + 1;
  }

  private endOfCommand(cmd: string): void {
    this.blanks();
    const c = this.peek();
    if (c === ';' || c === '\n') this.i++;
    else if (c !== '' && c !== '#' && c !== '}') {
      this.refuse(`has extra characters after the '${cmd}' command`);
    }
  }

  private addresses(): boolean {
    if (!this.address(true)) return false;

    this.blanks();
    if (this.peek() !== ',') return true;

    this.i++;
    this.blanks();
    if (!this.address(false)) this.refuse('has a range without a second address');
    return true;
  }

  private address(first: boolean): boolean {
    const c = this.peek();
    if (isDigit(c)) {
      this.digits();
      if (first && this.peek() === '~') {
        this.i++;
        this.digits();
      }
      return true;
    }
    if (c === '$') {
      this.i++;
      return true;
    }
    if (c === '/' || c === '\\') {
      this.regexAddress();
      return true;
    }
    if (!first && (c === '+' || c === '~')) {
      this.i++;
      if (!isDigit(this.peek())) this.refuse(`has '${c}' without a number`);
      this.digits();
      return true;
    }
    return false;
  }

  private regexAddress(): void {
    if (this.peek() === '\\') this.i++;
    const delim = this.delimiter('address');
    this.i = this.partEnd(regexEnd(this.script, this.i, delim), 'address regex') + 1;
    while (this.peek() === 'I' || this.peek() === 'M') this.i++;
  }

  private delimiter(what: string): string {
    const delim = this.peek();
    if (delim === '' || delim === '\n' || delim === '\\' || delim.charCodeAt(0) > 0x7e) {
      this.refuse(`has no usable delimiter for its ${what}`);
    }
    this.i++;
    return delim;
  }

  private partEnd(end: PartEnd, what: string): number {
    if (typeof end === 'number') return end;

    return this.refuse(`has a ${what} that ${PART_FAILURE[end]}`);
  }

  private digits(): void {
    while (isDigit(this.peek())) this.i++;
  }

  private numbered(cmd: string): void {
    this.blanks();
    this.digits();
    this.endOfCommand(cmd);
  }

  private label(cmd: string, required: boolean): void {
    this.blanks();
    const start = this.i;
    while (this.i < this.script.length && !LABEL_END.has(this.peek())) {
      // GNU sed 4.9 ends a label at '#' and starts a comment; older seds keep it in the
      // label and read on after ';'. The two readings disagree on what runs next.
      if (this.peek() === '#') this.refuse(`has '#' inside the label of '${cmd}'`);
      if (LABEL_AMBIGUOUS.has(this.peek())) {
        this.refuse(`has a \\r, \\v or \\f inside the label of '${cmd}'`);
      }
      this.i++;
    }
    if (required && this.i === start) this.refuse("has ':' without a label");
  }

  private text(cmd: string): void {
    this.blanks();
    const first = this.peek();
    if (first === '' || first === '\n') this.refuse(`has '${cmd}' without its text`);

    // The text runs to the first unescaped newline; ';' and '}' are part of it.
    while (this.i < this.script.length) {
      const c = this.script[this.i++];
      if (c === '\\') this.i++;
      else if (c === '\n') return;
    }
  }

  private substitute(): void {
    const delim = this.delimiter("'s' command");
    this.i = this.partEnd(regexEnd(this.script, this.i, delim), "'s' regex") + 1;
    this.i = this.partEnd(textEnd(this.script, this.i, delim), "'s' replacement") + 1;
    this.substituteFlags();
  }

  private substituteFlags(): void {
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '#' || c === '}') return;
      if (c === ';' || c === '\n') {
        this.i++;
        return;
      }
      if (c === 'e') this.refuse('uses the s///e flag, which runs the result as a shell command');
      if (c === 'w') this.refuse('uses the s///w flag, which writes a file');
      if (!'gpiImM \t'.includes(c) && !isDigit(c)) {
        this.refuse(`has an unknown 's' flag ${JSON.stringify(c)}`);
      }
      this.i++;
    }
  }

  private transliterate(): void {
    const delim = this.delimiter("'y' command");
    this.i = this.partEnd(textEnd(this.script, this.i, delim), "'y' source") + 1;
    this.i = this.partEnd(textEnd(this.script, this.i, delim), "'y' target") + 1;
    this.endOfCommand('y');
  }
}

/**
 * Refuses a GNU sed script that could run commands, read or write files, or be read as an
 * option: the `e`, `r`, `R`, `w`, `W` commands and the `s///e` and `s///w` flags anywhere
 * (any delimiter, after addresses, in `{}` blocks), and scripts starting with `-`. The
 * script is parsed (addresses, regexes, `y`, `a`/`i`/`c` text, labels, comments); what
 * cannot be parsed with confidence is refused too. Returns the script unchanged.
 *
 * Sanitizing is no defence here: `1e touch x` is made of characters any sanitizer keeps.
 *
 * @throws {ShellArgError} `ERR_SHELL_ARG_SED_UNSAFE`, `ERR_SHELL_ARG_TYPE`,
 *   `ERR_SHELL_ARG_NUL`, `ERR_SHELL_ARG_ENCODING`
 * @example
 * checkSedScript('s/foo/bar/g'); // 's/foo/bar/g'
 * checkSedScript('1e touch x'); // throws ERR_SHELL_ARG_SED_UNSAFE
 */
export function checkSedScript(script: string): string {
  assertArg(script, 'sed script');
  new SedParser(script).parse();

  return script;
}
