import define from './suites/service-auth.mjs';
const suite = await define();
const [ours, jose] = suite.subjects;
const w = { ours: 0, jose: 0 };
for (let r = 0; r < 30; r++) for (const s of [ours, jose]) { const t = performance.now(); for (let i = 0; i < 300; i++) await s.fn(); w[s.subject === 'jose' ? 'jose' : 'ours'] += performance.now() - t; }
const T = globalThis.__T; const per = (x) => (x / T.n * 1000).toFixed(1);
console.log('ours/op', (w.ours / 9000 * 1000).toFixed(1), 'jose/op', (w.jose / 9000 * 1000).toFixed(1), 'pre', per(T.pre), 'jose-in-ours', per(T.jose), 'post', per(T.post), 'replay', per(T.replay));
await suite.teardown();
