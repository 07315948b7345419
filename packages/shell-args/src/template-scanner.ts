/*
 * Reads the trusted literal parts of an `sh` template the way a POSIX shell tokenizer would,
 * just far enough to know, at each interpolation, whether a quoted word placed there stays
 * one literal argument. Interpolations are only safe in unquoted command context: inside
 * quotes the value's own quotes would pair with the template's (zurk issue 37), and a few
 * neighbours change how the next quote is read.
 */

import {
  INSIDE,
  refuseCommentInParens,
  refuseFunctionSubstitution,
  refuseOldArithmetic,
  refuseQuoteInArithmetic,
  refuseQuoteInQuotedParam,
} from './template-refusals.js';

/** Where an interpolation sits, and why it is refused (if it is). */
export interface SlotPlan {
  /** Refusal message when the slot is not in plain unquoted command context. */
  refusal: string | undefined;
  /** Text of the same word touches the slot on the left. */
  gluedLeft: boolean;
  /** Text of the same word (or another interpolation) touches the slot on the right. */
  gluedRight: boolean;
  /** The slot follows `<` or `>`: only one word may go there. */
  afterRedirection: boolean;
}

export type FrameKind =
  | 'top'
  | 'subshell'
  | 'cmdsub'
  | 'group'
  | 'double'
  | 'single'
  | 'backtick'
  | 'param'
  | 'arith'
  | 'arithcmd'
  | 'comment'
  | 'heredoc';

interface Frame {
  kind: FrameKind;
  /** A `${...}` inside double quotes, where single quotes are literal characters. */
  inDouble: boolean;
  /** Unquoted `{` still open in the current word of this frame. */
  braces: number;
  /** Open `(` inside `$((...))`. */
  parens: number;
}

const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/** A tokenizer over the literal parts; `plan()` is its only entry point. */
class LiteralScanner {
  private readonly frames: Frame[] = [{ kind: 'top', inDouble: false, braces: 0, parens: 0 }];
  private escaped = false;
  private wordStart = true;
  /** Last two characters of the current word ('' past its start). */
  private prev = '';
  private prev2 = '';
  /** The whitespace or operator that started the current word. */
  private breakChar = ' ';
  private heredocPending = false;
  /** The next word is the delimiter of a here-document (`<<WORD`). */
  private delimiterNext = false;

  constructor(private readonly literals: readonly string[]) {}

  plan(): SlotPlan[] {
    const plans: SlotPlan[] = [];
    for (let i = 0; i < this.literals.length; i++) {
      this.scan(this.literals[i] ?? '');
      if (i === this.literals.length - 1) break;

      plans.push(this.slot(i));
      this.afterSlot();
    }
    return plans;
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private slot(i: number): SlotPlan {
    const next = this.literals[i + 1] ?? '';
    const lastSlot = i === this.literals.length - 2;
    const gluedRight = next === '' ? !lastSlot : !WORD_BREAK.has(next[0]!);

    return {
      refusal: this.refusal(),
      gluedLeft: !this.wordStart,
      gluedRight,
      afterRedirection: this.wordStart && (this.breakChar === '<' || this.breakChar === '>'),
    };
  }

  private refusal(): string | undefined {
    const inside = INSIDE[this.frame.kind];
    if (inside !== undefined) return inside;
    if (this.delimiterNext) {
      // The value would decide where the body ends: a value equal to a body line makes the
      // lines after it run as commands.
      return 'is the delimiter of a here-document (<<WORD): write the delimiter literally';
    }
    if (this.escaped) return 'follows a backslash, which would escape its opening quote';
    if (this.prev === '$') {
      return "follows $, which would turn its quotes into $'...' (ANSI-C) in bash, zsh and mksh";
    }
    if (this.prev === '~') return 'follows ~, which zsh expands as a user name even when quoted';
    if (this.prev === '=' && (this.prev2 === '' || this.prev2 === '=')) {
      return 'follows = at the start of a word, which zsh expands as =command';
    }
    if (this.frame.braces > 0) {
      return 'sits inside {...}, where brace expansion would split the value into several words';
    }
    return undefined;
  }

  private afterSlot(): void {
    this.escaped = false;
    this.wordStart = false;
    this.prev = 'slot';
    this.prev2 = 'slot';
  }

  private scan(text: string): void {
    for (let i = 0; i < text.length; i++) {
      i += this.step(text, i);
    }
  }

  /** Handles the character at `i`; returns how many extra characters it consumed. */
  private step(text: string, i: number): number {
    const c = text[i]!;
    if (this.escaped) return this.afterBackslash(c);

    switch (this.frame.kind) {
      case 'top':
      case 'subshell':
      case 'cmdsub':
      case 'group':
        return this.unquoted(text, i, c);
      case 'double':
        return this.double(text, i, c);
      case 'single':
        return this.single(c);
      case 'backtick':
        return this.backtick(c);
      case 'param':
        return this.param(text, i, c);
      case 'arith':
      case 'arithcmd':
        return this.arith(text, i, c);
      case 'comment':
        return this.comment(c);
      case 'heredoc':
        return 0;
    }
  }

  private afterBackslash(c: string): number {
    // Backslash-newline is a line continuation: it vanishes, so `\<newline>#` still
    // starts a comment. Any other escaped character is a plain word character.
    this.escaped = false;
    if (c !== '\n') this.note('x');
    return 0;
  }

  private single(c: string): number {
    if (c === "'") this.pop();
    return 0;
  }

  private backtick(c: string): number {
    if (c === '\\') this.escaped = true;
    else if (c === '`') this.pop();
    return 0;
  }

  private comment(c: string): number {
    if (c !== '\n') return 0;

    this.pop('\n');
    this.startHeredoc();
    return 0;
  }

  private unquoted(text: string, i: number, c: string): number {
    if (c === '\\') {
      this.escaped = true;
      return 0;
    }
    if (c === '#' && this.wordStart && this.frame.kind !== 'group') {
      if (this.frame.kind === 'subshell') refuseCommentInParens();
      this.push('comment');
      return 0;
    }
    if (c === '$') return this.dollar(text, i);
    if (c === '(' && !this.wordStart && this.prev !== '=') {
      // `x(`: bash extglob, ksh patterns and zsh glob qualifiers and flags, not a subshell.
      // After `=` it is an array assignment or zsh's =(...) process substitution.
      this.push('group');
      return 0;
    }
    if (c === "'" || c === '"' || c === '`') {
      this.push(c === "'" ? 'single' : c === '"' ? 'double' : 'backtick');
      return 0;
    }
    if (WORD_BREAK.has(c)) return this.wordBreak(text, i, c);

    if (c === '{') this.frame.braces++;
    else if (c === '}' && this.frame.braces > 0) this.frame.braces--;
    this.note(c);
    return 0;
  }

  private wordBreak(text: string, i: number, c: string): number {
    this.boundary(c);
    if (c === '\n') {
      this.startHeredoc();
      return 0;
    }
    if (c === '(') {
      if (text[i + 1] === '(') {
        this.push('arithcmd');
        return 1;
      }
      this.push('subshell', true);
      return 0;
    }
    const kind = this.frame.kind;
    if (c === ')' && (kind === 'subshell' || kind === 'cmdsub' || kind === 'group')) {
      // `$(...)` and a glob group are part of the surrounding word; a subshell ends one.
      this.pop(kind === 'subshell' ? ')' : undefined);
      return 0;
    }
    if (c === '<' && text[i + 1] === '<') return this.heredocOperator(text, i);
    return 0;
  }

  private heredocOperator(text: string, i: number): number {
    if (text[i + 2] === '<') return 2;

    this.heredocPending = true;
    this.delimiterNext = true;
    return text[i + 2] === '-' ? 2 : 1;
  }

  private dollar(text: string, i: number): number {
    const next = text[i + 1];
    if (next === "'") {
      throw new Error(
        "the template uses $'...' quoting, which dash and busybox read differently; " +
          "write '...' instead",
      );
    }
    refuseOldArithmetic(next);
    refuseFunctionSubstitution(next, text[i + 2]);
    if (next === '(' && text[i + 2] === '(') {
      this.push('arith');
      return 2;
    }
    if (next === '(' || next === '{' || next === '"') {
      this.push(next === '(' ? 'cmdsub' : next === '{' ? 'param' : 'double', next === '(');
      return 1;
    }
    this.note('$');
    return 0;
  }

  private double(text: string, i: number, c: string): number {
    if (c === '\\') this.escaped = true;
    else if (c === '"') this.pop();
    else if (c === '`') this.push('backtick');
    else if (c === '$') return this.nested(text, i);
    return 0;
  }

  private param(text: string, i: number, c: string): number {
    if (c === '\\') this.escaped = true;
    else if (c === '}') this.pop();
    else if (c === "'" && this.frame.inDouble) refuseQuoteInQuotedParam();
    else if (c === "'") this.push('single');
    else if (c === '"') this.push('double');
    else if (c === '`') this.push('backtick');
    else if (c === '$') return this.nested(text, i);
    return 0;
  }

  private arith(text: string, i: number, c: string): number {
    if (c === '"' || c === "'" || c === '`' || c === '\\') refuseQuoteInArithmetic();
    if (c === '(') this.frame.parens++;
    else if (c === ')' && this.frame.parens > 0) this.frame.parens--;
    else if (c === ')' && text[i + 1] === ')') {
      // `((...))` is a command, so its `))` ends a word (a `#` after it starts a comment);
      // `$((...))` is part of the surrounding word.
      this.pop(this.frame.kind === 'arithcmd' ? ')' : undefined);
      return 1;
    } else if (c === '$') return this.nested(text, i);
    return 0;
  }

  /** `$(`, `$((` and `${` inside quotes, parameters and arithmetic. */
  private nested(text: string, i: number): number {
    const next = text[i + 1];
    refuseOldArithmetic(next);
    refuseFunctionSubstitution(next, text[i + 2]);
    if (next === '(' && text[i + 2] === '(') {
      this.push('arith');
      return 2;
    }
    if (next === '(') {
      this.push('cmdsub', true);
      return 1;
    }
    if (next === '{') {
      const inDouble = this.frame.kind === 'double' || this.frame.inDouble;
      this.push('param', false, inDouble);
      return 1;
    }
    return 0;
  }

  private startHeredoc(): void {
    if (!this.heredocPending) return;

    this.heredocPending = false;
    this.push('heredoc');
  }

  private push(kind: FrameKind, newWord = false, inDouble = false): void {
    this.frames.push({ kind, inDouble, braces: 0, parens: 0 });
    if (newWord) this.boundary('(');
    else this.wordStart = false;
  }

  /** Leaves the innermost frame; `breakChar` when the closing character ends a word. */
  private pop(breakChar?: string): void {
    if (this.frames.length > 1) this.frames.pop();
    if (breakChar !== undefined) this.boundary(breakChar);
    else this.note('q');
  }

  private boundary(c: string): void {
    if (!this.wordStart) this.delimiterNext = false;
    this.wordStart = true;
    this.frame.braces = 0;
    this.prev = '';
    this.prev2 = '';
    this.breakChar = c;
  }

  private note(c: string): void {
    this.wordStart = false;
    this.prev2 = this.prev;
    this.prev = c;
  }
}

/**
 * Plans every interpolation slot of a template from its literal parts.
 *
 * @throws {Error} when the literal text itself uses a construct the scanner refuses
 *   (`$'...'`); the caller wraps it in a `ShellArgError`.
 */
export function planTemplate(literals: readonly string[]): SlotPlan[] {
  return new LiteralScanner(literals).plan();
}
