import type { IncomingMessage, ServerResponse } from 'node:http';

type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** What a helmet middleware did to a response, recorded once at start-up. */
export interface Captured {
  set: Array<[string, string]>;
  removed: string[];
}

/**
 * Runs a synchronous helmet middleware once against a recording response, so its header
 * values can be computed and checked at start-up and merely copied per request.
 */
export function capture(middleware: NodeMiddleware): Captured {
  const captured: Captured = { set: [], removed: [] };
  const res = {
    setHeader: (name: string, value: unknown) => captured.set.push([name, String(value)]),
    removeHeader: (name: string) => captured.removed.push(name),
  };
  let failure: unknown;
  middleware({} as IncomingMessage, res as unknown as ServerResponse, (err) => {
    failure = err;
  });
  if (failure !== undefined) throw failure;

  return captured;
}
