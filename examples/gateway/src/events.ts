/** A security event: a `type` such as `job.refused` or `auth.failure`, and plain fields. */
export interface SecurityEvent {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Receives security events; the `onEvent` callback every galaxy-harden package accepts. */
export type EventSink = (event: SecurityEvent) => void;

/** Options of {@link jsonLineSink}. */
export interface JsonLineSinkOptions {
  /** Where a line goes; defaults to `process.stdout`. */
  write?: (line: string) => void;
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** Added to each line so logs of several services can be told apart. */
  service?: string;
}

/**
 * A sink writing one JSON object per line, `{ time, service?, type, ...fields }`: the shape
 * log collectors parse without configuration. A line that cannot be serialised is replaced
 * by a marker line rather than thrown into the request that reported it.
 *
 * @example
 * const onEvent = jsonLineSink({ service: 'gateway' });
 * onEvent({ type: 'job.refused', code: 'ERR_SHELL_ARG_SED_UNSAFE' });
 * // {"time":"2025-01-01T00:00:00.000Z","service":"gateway","type":"job.refused",...}
 */
export function jsonLineSink(options: JsonLineSinkOptions = {}): EventSink {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const now = options.now ?? Date.now;
  const service = options.service === undefined ? {} : { service: options.service };

  return (event) => {
    const time = new Date(now()).toISOString();
    write(`${serialise({ time, ...service, ...event }, event.type)}\n`);
  };
}

/**
 * One sink that hands each event to several.
 *
 * @example
 * const onEvent = fanOut(jsonLineSink(), (event) => metrics.count(event.type));
 */
export function fanOut(...sinks: EventSink[]): EventSink {
  return (event) => {
    for (const sink of sinks) sink(event);
  };
}

function serialise(line: Record<string, unknown>, type: string): string {
  try {
    return JSON.stringify(line);
  } catch {
    return JSON.stringify({ time: line.time, type, error: 'event could not be serialised' });
  }
}
