import { describe, expect, it } from 'vitest';
import { OutputCollector } from '../src/output-collector.js';

describe('OutputCollector', () => {
  it('keeps both streams whole under the cap', () => {
    let full = 0;
    const output = new OutputCollector(10, () => full++);
    output.add('stdout', Buffer.from('abc'));
    output.add('stderr', Buffer.from('de'));
    output.add('stdout', Buffer.from('f'));

    expect(output.result()).toEqual({ stdout: 'abcf', stderr: 'de', truncated: false });
    expect(full).toBe(0);
  });

  it('keeps exactly the cap across streams, calls onFull once and ignores the rest', () => {
    let full = 0;
    const output = new OutputCollector(5, () => full++);
    output.add('stdout', Buffer.from('abc'));
    output.add('stderr', Buffer.from('defgh'));
    output.add('stdout', Buffer.from('ijk'));

    expect(output.result()).toEqual({ stdout: 'abc', stderr: 'de', truncated: true });
    expect(full).toBe(1);
  });

  it('treats output of exactly the cap as whole', () => {
    const output = new OutputCollector(3, () => {});
    output.add('stdout', Buffer.from('abc'));

    expect(output.result().truncated).toBe(false);
  });
});
