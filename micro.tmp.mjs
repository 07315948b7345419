import { MemoryStore } from '@galaxy-harden/store';
import { LimiterCore } from './packages/auth-limit/dist/limiter-core.js';
import { normalizeAccount } from './packages/auth-limit/dist/normalize-account.js';
const H = 1e9;
const store = new MemoryStore();
const core = new LimiterCore({ store, accountAddress: { threshold: H }, account: { threshold: H } });
function time(name, fn, n = 200000) { for (let i = 0; i < 20000; i++) fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns'); }
async function atime(name, fn, n = 100000) { for (let i = 0; i < 20000; i++) await fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) await fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns'); }
time('normalize', () => normalizeAccount('Alice'));
time('keysFor', () => core.keysFor('alice', '198.51.100.7'));
const keys = core.keysFor('alice', '198.51.100.7');
const w = { limit: H, windowMs: 900000 };
time('input', () => core.input(keys, 1, w));
const input = core.input(keys, Date.now(), w);
await atime('store.reserveAttempt', () => store.reserveAttempt(input));
await atime('core.reserveNormalized', () => core.reserveNormalized('alice', '198.51.100.7', w));
await atime('empty async', async () => {});
