import define from './benchmarks/suites/auth-limit.mjs';
const suite = await define();
async function measure(fn, n) { const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) await fn(); return Number(process.hrtime.bigint() - t) / n; }
for (const s of suite.subjects) await measure(s.fn, 30000);
const a = [], b = [];
for (let round = 0; round < 25; round++) { a.push(await measure(suite.subjects[0].fn, 3000)); b.push(await measure(suite.subjects[1].fn, 3000)); }
a.sort((x, y) => x - y); b.sort((x, y) => x - y);
console.log('ours ns min', a[0].toFixed(0), 'med', a[12].toFixed(0), '| erl min', b[0].toFixed(0), 'med', b[12].toFixed(0), '| ratio(min)', (b[0] / a[0]).toFixed(3), 'ratio(med)', (b[12] / a[12]).toFixed(3));
await suite.teardown();
