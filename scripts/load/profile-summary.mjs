#!/usr/bin/env node
// Where a stack spent its CPU: reads a V8 `.cpuprofile` (written by `npm run load -- --profile
// DIR`) and prints self time by package (a galaxy-harden package, a dependency in
// node_modules, a Node internal module) and the functions with the most self time, as
// shares of the busy (not idle) time.
//
//   node scripts/load/profile-summary.mjs FILE.cpuprofile [--top N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)']);

/**
 * The package a call frame belongs to, e.g. `@galaxy-harden/service-auth`, `jose`,
 * `node:internal`, `(garbage collector)`.
 *
 * @example
 * packageOf({ url: 'file:///x/node_modules/jose/dist/a.js', functionName: 'sign' }); // 'jose'
 */
export function packageOf({ url, functionName }) {
  if (!url) return SPECIAL.has(functionName) ? functionName : '(native)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  const ours = /\/(packages|examples)\/([^/]+)\//.exec(url);
  if (ours) return ours[1] === 'packages' ? `@galaxy-harden/${ours[2]}` : `examples/${ours[2]}`;
  // node:internal/crypto/util -> node:internal/crypto: one level under internal says enough.
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time (ms) by package and by function, and the busy time, of one CPU profile.
 *
 * @example
 * const summary = summarize(JSON.parse(readFileSync(file, 'utf8')));
 * summary.packages[0]; // ['node:internal', 812.4]
 */
export function summarize(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (const [i, id] of profile.samples.entries()) {
    selfUs.set(id, (selfUs.get(id) ?? 0) + profile.timeDeltas[i]);
  }
  const byPackage = new Map();
  const byFunction = new Map();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    busyUs += us;
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${pkg}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const sorted = (map) =>
    [...map].sort((a, b) => b[1] - a[1]).map(([key, us]) => [key, Number((us / 1000).toFixed(1))]);

  return { busyMs: busyUs / 1000, packages: sorted(byPackage), functions: sorted(byFunction) };
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' } },
  });
  if (positionals.length !== 1) {
    process.stderr.write(
      'usage: node scripts/load/profile-summary.mjs FILE.cpuprofile [--top N]\n',
    );
    process.exit(2);
  }
  const top = Number(values.top) || 15;
  const summary = summarize(JSON.parse(readFileSync(positionals[0], 'utf8')));
  const share = (ms) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)}%`;
  const lines = [`busy ${summary.busyMs.toFixed(0)} ms`, '', 'self time by package:'];
  for (const [name, ms] of summary.packages.slice(0, top)) lines.push(`${share(ms)}  ${name}`);
  lines.push('', 'self time by function:');
  for (const [name, ms] of summary.functions.slice(0, top)) lines.push(`${share(ms)}  ${name}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
