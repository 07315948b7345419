import { MemoryStore } from '@galaxy-harden/store';
import { reserveIn } from './packages/store/dist/attempt-logic.js';
import { assertReserveSlot } from './packages/store/dist/keys.js';
import { LimiterCore } from './packages/auth-limit/dist/limiter-core.js';
const H = 1e9;
const store = new MemoryStore();
const core = new LimiterCore({ store, accountAddress: { threshold: H }, account: { threshold: H } });
function time(name, fn, n = 300000) { for (let i = 0; i < 30000; i++) fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns'); }
async function atime(name, fn, n = 300000) { for (let i = 0; i < 30000; i++) await fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) await fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns'); }
const keys = core.keysFor('alice', '198.51.100.7');
const input = core.input(keys, Date.now(), { limit: H, windowMs: 900000 });
time('slot', () => assertReserveSlot('', input));
time('reserveIn store kv', () => { store.opNow = Date.now(); return reserveIn(store.kv, input); });
await atime('store.reserveAttempt', () => store.reserveAttempt(input));
await atime('store.get', () => store.get(keys.pair));
