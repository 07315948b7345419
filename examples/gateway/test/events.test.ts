import { describe, expect, it } from 'vitest';
import { fanOut, jsonLineSink, type SecurityEvent } from '../src/events.js';

function capture() {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

describe('jsonLineSink', () => {
  it('writes one JSON object per line with the time from now() and the service', () => {
    const out = capture();
    const onEvent = jsonLineSink({ write: out.write, now: () => 0, service: 'gateway' });
    onEvent({ type: 'job.refused', code: 'ERR_SHELL_ARG_SED_UNSAFE', status: 400 });

    expect(out.lines).toEqual([
      '{"time":"1970-01-01T00:00:00.000Z","service":"gateway","type":"job.refused",' +
        '"code":"ERR_SHELL_ARG_SED_UNSAFE","status":400}\n',
    ]);
  });

  it('keeps a newline inside a field inside its line (no forged log lines)', () => {
    const out = capture();
    jsonLineSink({ write: out.write, now: () => 0 })({ type: 'x', code: 'a\n{"type":"forged"}' });

    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]?.split('\n')).toHaveLength(2);
    expect(JSON.parse(out.lines[0] ?? '')).toMatchObject({ code: 'a\n{"type":"forged"}' });
  });

  it('writes a marker line instead of throwing for an event it cannot serialise', () => {
    const out = capture();
    const onEvent = jsonLineSink({ write: out.write, now: () => 1_000 });

    expect(() => onEvent({ type: 'odd', size: 10n })).not.toThrow();
    expect(JSON.parse(out.lines[0] ?? '')).toEqual({
      time: '1970-01-01T00:00:01.000Z',
      type: 'odd',
      error: 'event could not be serialised',
    });
  });
});

describe('fanOut', () => {
  it('hands every event to every sink in order', () => {
    const seen: string[] = [];
    const sink = (name: string) => (event: SecurityEvent) =>
      void seen.push(`${name}:${event.type}`);
    fanOut(sink('a'), sink('b'))({ type: 'auth.failure' });

    expect(seen).toEqual(['a:auth.failure', 'b:auth.failure']);
  });
});
