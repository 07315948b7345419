import define from './benchmarks/suites/auth-limit.mjs';
const which = Number(process.argv[2]);
const suite = await define();
const fn = suite.subjects[which].fn;
const other = suite.subjects[1 - which].fn;
if (process.argv[3] === 'both') for (let i = 0; i < 50000; i++) await other();
for (let i = 0; i < 50000; i++) await fn();
const res = [];
for (let r = 0; r < 9; r++) { const t0 = process.hrtime.bigint(); for (let i = 0; i < 20000; i++) await fn(); res.push(Number(process.hrtime.bigint() - t0) / 20000); }
res.sort((a, b) => a - b);
console.log(which === 0 ? 'ours  ' : 'theirs', process.argv[3] ?? 'solo', 'median ns/op', res[4].toFixed(0), 'min', res[0].toFixed(0));
await suite.teardown();
