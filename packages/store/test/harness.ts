import { randomUUID } from 'node:crypto';
import { type AttemptStore, createRedisStore, MemoryStore } from '@galaxy-harden/store';
import { sharedRedisUrl } from '../../../test/support/redis-server.js';

/** A store under test with a clock the attempt operations read. */
export interface Subject {
  store: AttemptStore;
  now: () => number;
  advance(ms: number): void;
}

/** The backends every contract test runs on: memory always, Redis when a server is up. */
export const backends: Array<{ name: string; make: () => Promise<Subject> }> = [
  { name: 'memory', make: async () => memorySubject() },
];

const url = sharedRedisUrl();
if (url) backends.push({ name: 'redis', make: () => redisSubject(url) });

function clock() {
  let t = 1_750_000_000_000;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

function memorySubject(): Subject {
  const c = clock();
  return { store: new MemoryStore({ now: c.now }), ...c };
}

// A fresh prefix per subject keeps tests apart on the one shared server.
async function redisSubject(redisUrl: string): Promise<Subject> {
  const store = createRedisStore({ url: redisUrl, prefix: `t:${randomUUID()}:` });
  await store.ready();
  return { store, ...clock() };
}
