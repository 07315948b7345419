import { describe, expect, it } from 'vitest';
import { sh } from '../src/index.js';
import { thrown } from './thrown.js';

/**
 * Calls `sh` with literal parts that JavaScript source cannot spell (a lone backslash or `${`
 * right before an interpolation), as a TemplateStringsArray would carry them.
 */
function shRaw(literals: string[], ...values: unknown[]): string {
  const strings = Object.assign([...literals], { raw: [...literals] });
  return sh(strings as unknown as TemplateStringsArray, ...values);
}

describe('sh', () => {
  it('makes each interpolation exactly one quoted word', () => {
    const pattern = 'a b';
    const file = "x'; touch PWNED #";
    expect(sh`grep -e ${pattern} -- ${file}`).toBe("grep -e 'a b' -- 'x'\\''; touch PWNED #'");
  });

  it('keeps safe values bare and gives the empty string as one empty word', () => {
    expect(sh`grep -e ${''} -- ${'in.txt'}`).toBe("grep -e '' -- in.txt");
  });

  it('turns an array into one word per item and an empty array into none', () => {
    expect(sh`cat -- ${['a b', 'c']} | wc`).toBe("cat -- 'a b' c | wc");
    expect(sh`cat -- ${[]}`).toBe('cat -- ');
  });

  it('stringifies numbers and bigints', () => {
    expect(sh`head -n ${5} -c ${10n} x ${-1.5}`).toBe('head -n 5 -c 10 x -1.5');
  });

  it('allows an interpolation glued to literal text: it stays in that word', () => {
    expect(sh`sort --output=${'out put.txt'} x${'y z'}`).toBe("sort --output='out put.txt' x'y z'");
    expect(sh`echo ${'a'}${'b c'}`).toBe("echo a'b c'");
    expect(sh`echo "lit"${'a b'}`).toBe(`echo "lit"'a b'`);
  });

  it('uses the literal text as written (raw), backslashes included', () => {
    expect(sh`printf '%s\n' ${'x'}`).toBe("printf '%s\\n' x");
    expect(sh`sed -e 's/\(a\)/\1/' ${'f'}`).toBe("sed -e 's/\\(a\\)/\\1/' f");
  });

  it('reads a JavaScript-escaped backquote or dollar-brace as escaped for the shell too', () => {
    expect(sh`echo \`x\` \${HOME} ${'v w'}`).toBe(`echo \\\`x\\\` \\\${HOME} 'v w'`);
  });

  it('allows interpolations inside $(...) and (...), which are fresh command contexts', () => {
    expect(sh`echo "$(basename ${'a b'})" (cd ${'/tmp'})`).toBe(
      `echo "$(basename 'a b')" (cd /tmp)`,
    );
  });

  it.each([
    ['double quotes', () => sh`echo "${'x'}"`, /inside double quotes .*drop those quotes/],
    ['double quotes opened earlier in the word', () => sh`x --out="a${'v'}"`, /double quotes/],
    ['single quotes', () => sh`echo '${'x'}'`, /inside single quotes .*drop those quotes/],
    ['$"..." quotes', () => sh`echo $"${'x'}"`, /double quotes/],
    ['backquotes', () => shRaw(['echo `cat ', '`'], 'x'), /`...` command substitution/],
    ['a parameter expansion', () => shRaw(['echo ${x:-', '}'], 'v'), /parameter expansion/],
    ['arithmetic', () => sh`echo $((1 + ${2}))`, /arithmetic/],
    ['an arithmetic command', () => sh`((x = ${2}))`, /arithmetic/],
    ['a comment', () => sh`ls # ${'x'}`, /comment ends at the first newline/],
    ['a comment after a line continuation', () => shRaw(['ls \\\n# ', ''], 'x'), /comment/],
    ['a here-document', () => shRaw(['cat <<EOF\n', '\nEOF'], 'x'), /here-document/],
    [
      'a here-document opened on a line that ends in a comment',
      () => shRaw(['cat <<EOF # c\n', '\nEOF'], 'x'),
      /here-document/,
    ],
    ['a backslash', () => shRaw(['echo \\', ''], 'x'), /backslash/],
    ['$ (ANSI-C quoting)', () => sh`echo $${'x'}`, /\$'\.\.\.' \(ANSI-C\)/],
    ["~ (zsh expands ~'root')", () => sh`echo ~${'root'}`, /zsh expands/],
    ['= at word start (zsh =cmd)', () => sh`echo =${'ls'}`, /=command/],
    ['{...} brace expansion', () => sh`echo {a,${'b,c'}}`, /brace expansion/],
  ])('refuses an interpolation inside %s', (_, build, message) => {
    const err = thrown(build);
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toMatch(/^sh: values\[0\] /);
    expect(err.message).toMatch(message);
  });

  it('allows a here-string, which takes one word', () => {
    expect(sh`cat <<<${'a b'}`).toBe("cat <<<'a b'");
  });

  it('allows interpolations before a here-document body starts', () => {
    expect(shRaw(['cat <<EOF ', '\nbody\nEOF'], 'a b')).toBe("cat <<EOF 'a b'\nbody\nEOF");
  });

  it('allows an escaped dollar, tilde or brace before an interpolation', () => {
    expect(sh`echo \$${'x'} \~${'y'} a=${'b'}`).toBe('echo \\$x \\~y a=b');
  });

  it('allows closed braces and quotes before an interpolation', () => {
    expect(sh`echo {a,b} ${'c d'} 'q' ${'e'}`).toBe("echo {a,b} 'c d' 'q' e");
  });

  it("refuses $'...' in the literal text, which dash reads differently", () => {
    const err = thrown(() => sh`printf $'\\t' ${'x'}`);
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toMatch(/\$'\.\.\.' quoting, which dash and busybox read differently/);
  });

  it.each([
    ['glued on the left', () => sh`--files=${['a', 'b']}`],
    ['glued on the right', () => sh`cat ${['a', 'b']}.txt`],
    ['glued to another interpolation', () => sh`cat ${['a']}${'b'}`],
    ['after a redirection', () => sh`cat >${['a', 'b']}`],
    ['empty and glued', () => sh`--x=${[]}`],
  ])('refuses an array %s', (_, build) => {
    const err = thrown(build);
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toMatch(/is an array \(several words\) glued/);
  });

  it.each([
    [undefined, /values\[0\] is undefined/],
    [null, /values\[0\] is null/],
    [true, /values\[0\] is boolean/],
    [{ toString: () => 'x' }, /values\[0\] is object/],
    [Number.NaN, /values\[0\] is NaN/],
    [Number.POSITIVE_INFINITY, /values\[0\] is Infinity/],
    [[['nested']], /values\[0\]\[0\] is an array/],
  ])('refuses the interpolation %s', (value, message) => {
    const err = thrown(() => sh`echo ${value as string}`);
    expect(err.code).toBe('ERR_SHELL_ARG_TYPE');
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/pass a string, a finite number, a bigint or an array of them/);
  });

  it('refuses NUL and lone surrogates in interpolations', () => {
    expect(thrown(() => sh`echo ${'a\0'}`).code).toBe('ERR_SHELL_ARG_NUL');
    expect(thrown(() => sh`echo ${['ok', '\ud800']}`).message).toMatch(/values\[0\]\[1\]/);
  });

  it('refuses being called as a plain function', () => {
    const call = sh as unknown as (s: string) => string;
    const err = thrown(() => call('echo'));
    expect(err.code).toBe('ERR_SHELL_ARG_TYPE');
    expect(err.message).toMatch(/tagged template/);
  });

  it('refuses a values array that does not match the literal parts', () => {
    const strings = Object.assign(['echo ', ''], { raw: ['echo ', ''] });
    const err = thrown(() => sh(strings as unknown as TemplateStringsArray, 'a', 'b'));
    expect(err.code).toBe('ERR_SHELL_ARG_TYPE');
    expect(err.message).toBe(
      'sh got 2 values for 2 literal parts; call it as a tagged template, which always ' +
        'passes one value fewer than literal parts',
    );
  });

  it('plans each call site once and still checks every call', () => {
    const run = (v: unknown) => sh`echo ${v as string}`;
    expect(run('a b')).toBe("echo 'a b'");
    expect(run('c')).toBe('echo c');
    expect(thrown(() => run(undefined)).code).toBe('ERR_SHELL_ARG_TYPE');
  });
});

// Bug class: the scanner read the literal text differently from a real shell, so it allowed
// an interpolation that the shell then read inside quotes, an expansion or code (each of
// these ran a command from a quoted value in bash, dash, mksh, busybox or zsh).
describe('sh literal text the scanner once read out of step with the shell', () => {
  it.each([
    [`"\${x#'}'" (sh, bash, mksh, busybox)`, [`echo "\${x#'}'" `, ` "'"`]],
    [`"\${x%'}'" (sh, bash, mksh, busybox)`, [`echo "\${x%'}'" `, '']],
    [`"\${x:-'}'" (bash)`, [`echo "\${x:-'}'" `, ` "'"`]],
    [`"\${x:-it's}" (bash cannot even parse it)`, [`echo "\${x:-it's}" `, '']],
  ])('refuses a single quote inside a double-quoted parameter expansion: %s', (_, literals) => {
    const err = thrown(() => shRaw(literals, 'v'));
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toBe(
      `sh: the template puts ' inside a "\${...}" expansion, which shells read differently ` +
        '(quote or literal); move the word out of the double quotes or drop the single quotes',
    );
  });

  it('still reads a double-quoted parameter expansion without single quotes in step', () => {
    expect(shRaw([`echo "\${x:-a b}" `, ''], 'a b')).toBe(`echo "\${x:-a b}" 'a b'`);
    expect(shRaw([`echo "\${x:-"}"}" `, ''], 'v')).toBe(`echo "\${x:-"}"}" v`);
  });

  it.each([
    ['$[...]', ['echo $[', ']']],
    ['$[...] inside double quotes', ['echo "$[1]" ', '']],
  ])('refuses %s arithmetic, which runs $(...) inside a quoted value (bash, zsh)', (_, lit) => {
    const err = thrown(() => shRaw(lit, '$(touch PWNED)'));
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toBe(
      'sh: the template uses $[...] arithmetic (bash, zsh), which runs $(...) found in a ' +
        'quoted value; compute the number in JavaScript or write $((...)) without interpolations',
    );
  });

  it.each([
    ['a zsh glob qualifier', ['ls /(e:', ':)']],
    ['a bash extglob group', ['ls @(', '|x)']],
    ['a group glued to a quote', [`ls 'a'(`, ')']],
  ])('refuses an interpolation in a ( glued to a word: %s', (_, literals) => {
    const err = thrown(() => shRaw(literals, 'touch PWNED'));
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toMatch(/^sh: values\[0\] sits inside a \(\.\.\.\) glued to a word: /);
    expect(err.message).toMatch(/zsh qualifiers such as \*\(e:\.\.\.:\), which run their text/);
  });

  it('still allows subshells, arrays, functions and process substitution', () => {
    expect(sh`(cd ${'a b'}) a=(${'x'}) f() { g ${'y'}; } <(cat ${'z'}) =(cat ${'w'})`).toBe(
      "(cd 'a b') a=(x) f() { g y; } <(cat z) =(cat w)",
    );
  });

  it.each([
    ['<<', ['cat <<', '\nbody\nEOF']],
    ['<<-', ['cat <<-', '\nbody\nEOF']],
    ['<< with a space', ['cat << ', '\nbody\nEOF']],
    ['glued to literal text', ['cat <<E', '\nbody\nEOF']],
    ['a second here-document', ['cat <<A 3<<', '\nA\nbody\nEOF']],
  ])('refuses a here-document delimiter from a value: %s', (_, literals) => {
    const err = thrown(() => shRaw(literals, 'body'));
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toBe(
      'sh: values[0] is the delimiter of a here-document (<<WORD): write the delimiter literally',
    );
  });

  it.each([
    ['(#i)', [`ls (#i)it's\nprintf '%s' `, ` '`]],
    ['( #', [`ls ( #x)it's\nprintf '%s' `, ` '`]],
    ['(a|#', [`ls (a|#x)it's\nprintf '%s' `, ` '`]],
  ])('refuses a # comment inside (...), a zsh pattern in an argument: %s', (_, literals) => {
    const err = thrown(() => shRaw(literals, 'v'));
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toBe(
      'sh: the template starts a # comment inside (...), which zsh reads as part of a glob ' +
        'pattern when the ( follows a command word; move the comment out of the parentheses',
    );
  });

  it('reads # inside an extglob group as a pattern character, so the quote after it counts', () => {
    const err = thrown(() => shRaw([`ls @(a|#x)it's\nprintf '%s' `, ` '`], 'v'));
    expect(err.message).toMatch(/^sh: values\[0\] sits inside single quotes of the template/);
    expect(shRaw([`ls $( # c\nls) `, ''], 'a b')).toBe(`ls $( # c\nls) 'a b'`);
  });

  it('reads the )) of an arithmetic command as the end of a word, so # after it comments', () => {
    const err = thrown(() => shRaw(['((x = 1))#c ', ''], '\ntouch PWNED\n'));
    expect(err.message).toMatch(/^sh: values\[0\] sits inside a # comment; /);
    expect(shRaw(['echo $((1))#c ', ''], 'a b')).toBe(`echo $((1))#c 'a b'`);
  });

  it.each([
    ['dollar-brace-space', [`echo \${ #it's\n}'}; printf '%s' `, ` '`]],
    ['dollar-brace-bar', [`echo "\${|REPLY=1;}" `, '']],
    ['dollar-brace-tab in double quotes', [`echo "\${\tpwd;}" `, '']],
  ])('refuses mksh function substitution %s', (_, literals) => {
    const err = thrown(() => shRaw(literals, ';touch PWNED;'));
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toBe(
      `sh: the template uses \${ ...;} or \${|...;}, a command substitution in mksh and bash ` +
        '5.3 that the scanner does not follow; write $(...) instead',
    );
  });

  it.each([
    ['a double-quoted ))', ['echo $(( "))" ))\necho " ', ' "']],
    ['single quotes', ["(( x = '1' )); echo ", '']],
    ['backquotes', ['echo $(( `echo 1` )) ', '']],
    ['a backslash', ['echo $(( 1 \\\n+ 2 )) ', '']],
  ])('refuses %s inside arithmetic, where shells disagree on its end', (_, literals) => {
    const err = thrown(() => shRaw(literals, '$(touch PWNED)'));
    expect(err.code).toBe('ERR_SHELL_ARG_TEMPLATE');
    expect(err.message).toBe(
      'sh: the template quotes or escapes inside arithmetic ((...)), where shells disagree ' +
        'on where it ends; write the expression without quotes, backquotes or backslashes',
    );
    expect(sh`echo $(( 1 + $(printf '%d' 2) )) ${'a b'}`).toBe(
      `echo $(( 1 + $(printf '%d' 2) )) 'a b'`,
    );
  });
});
