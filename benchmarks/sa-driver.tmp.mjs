import define from './suites/service-auth.mjs';
const suite = await define();
const results = Object.fromEntries(suite.subjects.map((s) => [s.subject, []]));
for (let round = 0; round < 30; round++) {
  for (const s of suite.subjects) {
    const n = 300; const t0 = performance.now();
    for (let i = 0; i < n; i++) await s.fn();
    results[s.subject].push(n / ((performance.now() - t0) / 1000));
  }
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(results)) console.log(k, Math.round(med(v)));
console.log('ratio', med(results['galaxy-harden']) / med(results.jose));
await suite.teardown();
