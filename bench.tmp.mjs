import define from './benchmarks/suites/auth-limit.mjs';
const suite = await define();
async function measure(fn, ms) { let n = 0; const end = performance.now() + ms; while (performance.now() < end) { for (let i = 0; i < 200; i++) await fn(); n += 200; } return n / ms * 1000; }
for (const s of suite.subjects) await measure(s.fn, 300);
const r = { ours: [], theirs: [] };
for (let round = 0; round < 6; round++) { r.ours.push(await measure(suite.subjects[0].fn, 300)); r.theirs.push(await measure(suite.subjects[1].fn, 300)); }
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log('ours', med(r.ours).toFixed(0), 'erl', med(r.theirs).toFixed(0), 'ratio', (med(r.ours) / med(r.theirs)).toFixed(3));
await suite.teardown();
