import { describe, expect, it } from 'vitest';
import { checkPositional } from '../src/index.js';
import { thrown } from './thrown.js';

describe('checkPositional', () => {
  it.each(['reads.fa', 'a b', '', '--x'.slice(2), 'x-y', '/-rf'])('returns %j unchanged', (v) => {
    expect(checkPositional(v)).toBe(v);
  });

  it.each(['-rf', '--', '-oProxyCommand=touch x', '--help', '-f/etc/passwd'])(
    'refuses the option-like value %j (argument injection)',
    (value) => {
      const err = thrown(() => checkPositional(value, { name: 'input file' }));
      expect(err.code).toBe('ERR_SHELL_ARG_LEADING_DASH');
      expect(err.message).toMatch(/^input file ".*" starts with "-"/);
      expect(err.message).toMatch(/put "--" before operands/);
      expect(err.message).toMatch(/allowLeadingDash: true/);
    },
  );

  it('calls the value "value" when no name is given', () => {
    expect(thrown(() => checkPositional('-x')).message).toMatch(/^value "-x" starts with/);
  });

  it('accepts a leading dash when allowed, for values placed after --', () => {
    expect(checkPositional('-rf', { allowLeadingDash: true })).toBe('-rf');
  });

  it('shows long and control-character values escaped and cut', () => {
    const err = thrown(() => checkPositional(`-\x1b[31m${'x'.repeat(100)}`));
    expect(err.message).toContain('"-\\u001b[31mxxx');
    expect(err.message).toContain('…"');
    expect(err.message.length).toBeLessThan(320);
  });

  it.each([
    ['a\0b', {}, 'ERR_SHELL_ARG_NUL', /^pattern contains a NUL/],
    ['\udfff', { allowLeadingDash: true }, 'ERR_SHELL_ARG_ENCODING', /^pattern contains a lone/],
    [7, {}, 'ERR_SHELL_ARG_TYPE', /^pattern must be a string, got number/],
  ])('refuses %j even when dashes are allowed', (value, options, code, message) => {
    const err = thrown(() => checkPositional(value as string, { ...options, name: 'pattern' }));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it.each([
    [{ allowLeadingDash: 'yes' }, /option allowLeadingDash must be true or false, got string/],
    [{ name: 3 }, /option name must be a string, got number/],
    ['strict', /expected an options object, got string/],
  ])('refuses the bad options %j', (options, message) => {
    const err = thrown(() => checkPositional('x', options as never));
    expect(err.code).toBe('ERR_SHELL_ARG_OPTION');
    expect(err.message).toMatch(/^@galaxy-harden\/shell-args checkPositional: /);
    expect(err.message).toMatch(message);
  });

  // Bug class: `-` alone passed after `--` as a file name, but sed, grep and awk read it as
  // standard input there too, so a job read its own stdin instead of a file.
  it.each([false, true])('refuses "-", standard input, with allowLeadingDash %s', (allow) => {
    const err = thrown(() => checkPositional('-', { allowLeadingDash: allow, name: 'file' }));
    expect(err.code).toBe('ERR_SHELL_ARG_LEADING_DASH');
    expect(err.message).toBe(
      'file "-" names standard input, not a file, even after "--" (sed, grep, awk and most ' +
        'programs read it so); for a file named -, pass ./-',
    );
  });
});
