import { MemoryStore } from '@galaxy-harden/store';
import { reserveIn } from './packages/store/dist/attempt-logic.js';
import { assertReserveSlot } from './packages/store/dist/keys.js';
import { LimiterCore } from './packages/auth-limit/dist/limiter-core.js';
const H = 1e9;
const store = new MemoryStore();
const core = new LimiterCore({ store, accountAddress: { threshold: H }, account: { threshold: H } });
function time(name, fn, n = 200000) { for (let i = 0; i < 20000; i++) fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns'); }
const keys = core.keysFor('alice', '198.51.100.7');
const input = core.input(keys, Date.now(), { limit: H, windowMs: 900000 });
time('slot', () => assertReserveSlot('', input));
const map = new Map();
const kv = { read: (k) => map.get(k), write: (k, v) => map.set(k, v), rewrite: (k, v) => map.set(k, v), remove: (k) => map.delete(k) };
time('reserveIn plain map', () => reserveIn(kv, input));
time('reserveIn store kv', () => { store.opNow = Date.now(); return reserveIn(store.kv, input); });
time('Date.now', () => Date.now());
time('template', () => `${Math.random()}:${1750000000000}:${1750000000000}`);
