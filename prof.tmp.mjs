import define from './benchmarks/suites/auth-limit.mjs';
const suite = await define();
const fn = suite.subjects[0].fn;
const end = performance.now() + 3000;
while (performance.now() < end) for (let i = 0; i < 200; i++) await fn();
await suite.teardown();
