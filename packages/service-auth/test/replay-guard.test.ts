import { MemoryStore, type Store } from '@galaxy-harden/store';
import { describe, expect, it } from 'vitest';
import { ServiceAuthError } from '../src/errors.js';
import { ReplayGuard } from '../src/replay-guard.js';

const NOW = 1_700_000_000_000;
const EXP = NOW / 1000 + 60;

function guardOver(setIfAbsent: Store['setIfAbsent']) {
  const store = { setIfAbsent } as unknown as Store;
  return new ReplayGuard(store, 'jti:', 5, () => NOW);
}

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceAuthError);
  return error as ServiceAuthError;
}

describe('ReplayGuard', () => {
  it('accepts a jti once and refuses it the second time', async () => {
    const guard = new ReplayGuard(new MemoryStore({ now: () => NOW }), 'jti:', 5, () => NOW);
    await expect(guard.claim('gateway', 'a'.repeat(22), EXP)).resolves.toBeUndefined();
    const error = await codeOf(guard.claim('gateway', 'a'.repeat(22), EXP));
    expect(error.code).toBe('ERR_SERVICE_AUTH_REPLAY');
    expect(error.message).toBe('token refused: jti seen before');
  });

  it('keeps the marker until exp plus twice the tolerance, keyed by peer and jti', async () => {
    const seen: [string, string, number][] = [];
    const guard = guardOver(async (key, value, ttlMs) => {
      seen.push([key, value, ttlMs]);
      return true;
    });
    await guard.claim('gateway', 'b'.repeat(22), EXP);
    expect(seen).toEqual([[`jti:gateway:${'b'.repeat(22)}`, '1', (60 + 10 + 1) * 1000]]);
  });

  it('fails closed when the store rejects, keeping the cause', async () => {
    const cause = new Error('connection reset');
    const error = await codeOf(guardOver(() => Promise.reject(cause)).claim('gw', 'c', EXP));
    expect(error.code).toBe('ERR_SERVICE_AUTH_STORE');
    expect(error.message).toBe('token refused: replay store failed');
    expect(error.cause).toBe(cause);
  });

  it('fails closed when the store throws before returning a promise', async () => {
    const cause = new Error('not connected');
    const guard = guardOver(() => {
      throw cause;
    });
    const error = await codeOf(guard.claim('gw', 'd', EXP));
    expect(error.code).toBe('ERR_SERVICE_AUTH_STORE');
    expect(error.cause).toBe(cause);
  });
});
