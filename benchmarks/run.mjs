#!/usr/bin/env node
// Runs every benchmarks/suites/*.mjs: each subject in interleaved rounds (tinybench, one
// fresh Bench per round, subject order rotated each round), then the median ops/s per
// subject, the ratio ours / peer, and each suite's goals. Speed claims in this repo come
// only from here.
//
//   node benchmarks/run.mjs [--filter NAME] [--rounds N] [--time MS] [--json FILE] [--strict]
//   (--help for this line)
//
// Exit status: 0, even when a goal is missed (printed as MISSED); 1 with --strict when a
// goal is missed or a suite fails; 2 on a usage error.
import { closeSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';

const OURS = 'galaxy-harden';
const SUITES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'suites');

const USAGE =
  'usage: npm run bench -- [--filter NAME] [--rounds N] [--time MS] [--json FILE] [--strict]\n';

function usage(message) {
  process.stderr.write(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

/** --json is checked before the suites run: a failed write at the end would lose them. */
function checkJson(file) {
  const existing = statSync(file, { throwIfNoEntry: false });
  try {
    if (existing?.isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    closeSync(openSync(file, 'a'));
    if (!existing) rmSync(file);
  } catch (err) {
    usage(`--json "${file}" cannot be written (${err.code ?? err.message}); pass a writable file`);
  }
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        filter: { type: 'string' },
        rounds: { type: 'string', default: '5' },
        time: { type: 'string', default: '300' },
        json: { type: 'string' },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    usage(err.message);
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  // Digits only: Number() would also take "0x10", "1e3", " 5" or "Infinity".
  const rounds = /^\d+$/.test(parsed.rounds) ? Number(parsed.rounds) : Number.NaN;
  const time = /^\d+(\.\d+)?$/.test(parsed.time) ? Number(parsed.time) : Number.NaN;
  if (!Number.isInteger(rounds) || rounds < 1)
    usage(`--rounds "${parsed.rounds}" must be a whole number >= 1, e.g. --rounds 5`);
  if (!(time > 0)) usage(`--time "${parsed.time}" must be milliseconds > 0, e.g. --time 300`);
  if (parsed.json !== undefined) checkJson(parsed.json);
  return { ...parsed, rounds, time };
}

function progress(text) {
  process.stderr.write(`${text}\n`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function suiteFiles(filter) {
  return readdirSync(SUITES_DIR)
    .filter((file) => file.endsWith('.mjs'))
    .filter((file) => filter === undefined || basename(file, '.mjs').includes(filter))
    .sort();
}

/** One round: a fresh Bench with the subjects in rotated order; returns ops/s by subject. */
async function round(subjects, index, time) {
  const bench = new Bench({ time, warmupTime: Math.min(100, time / 3), throws: true });
  const order = subjects.map((_, i) => subjects[(i + index) % subjects.length]);
  for (const { subject, fn } of order) bench.add(subject, fn);
  await bench.run();

  const opsPerSec = new Map();
  for (const task of bench.tasks) {
    const { result } = task;
    if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
    opsPerSec.set(task.name, 1000 / result.period);
  }
  return opsPerSec;
}

async function runSuite(file, opts) {
  const { default: define } = await import(pathToFileURL(join(SUITES_DIR, file)).href);
  const suite = await define();
  try {
    const samples = new Map(suite.subjects.map(({ subject }) => [subject, []]));
    for (let i = 0; i < opts.rounds; i++) {
      progress(`  ${suite.name}: round ${i + 1}/${opts.rounds}`);
      const ops = await round(suite.subjects, i, opts.time);
      for (const [subject, value] of ops) samples.get(subject).push(value);
    }
    return summarize(suite, samples);
  } finally {
    await suite.teardown?.();
  }
}

function summarize(suite, samples) {
  const medians = new Map([...samples].map(([subject, values]) => [subject, median(values)]));
  const ours = medians.get(OURS);
  const results = [...medians].map(([subject, opsPerSec]) => ({
    subject,
    opsPerSec,
    ratio: ours === undefined ? null : ours / opsPerSec,
    samples: samples.get(subject),
  }));
  const goals = (suite.goals ?? []).map((goal) => {
    const peer = medians.get(goal.peer);
    const ratio = ours === undefined || peer === undefined ? null : ours / peer;
    return { ...goal, ratio, met: ratio !== null && ratio >= goal.minRatio };
  });
  return { name: suite.name, results, goals };
}

function format(number, digits = 2) {
  if (number === null || number === undefined) return '-';
  return number >= 1000 ? Math.round(number).toLocaleString('en-US') : number.toFixed(digits);
}

function printTable(suites) {
  const rows = [['suite', 'subject', 'median ops/s', 'ratio (ours/subject)', 'goal', 'met?']];
  for (const suite of suites) {
    for (const result of suite.results) {
      const goal = suite.goals.find((g) => g.peer === result.subject);
      rows.push([
        suite.name,
        result.subject,
        format(result.opsPerSec),
        result.subject === OURS ? '1.00' : format(result.ratio),
        goal ? `>= ${goal.minRatio}x` : '',
        goal ? (goal.met ? 'met' : 'MISSED') : '',
      ]);
    }
    for (const goal of suite.goals.filter((g) => g.ratio === null)) {
      rows.push([
        suite.name,
        goal.peer,
        '-',
        '-',
        `>= ${goal.minRatio}x`,
        'MISSED (no such subject)',
      ]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const [i, row] of rows.entries()) {
    process.stdout.write(
      `${row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd()}\n`,
    );
    if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
  for (const suite of suites) {
    for (const goal of suite.goals.filter((g) => !g.met)) {
      process.stdout.write(`MISSED: ${suite.name}: ${goal.text} (ratio ${format(goal.ratio)})\n`);
    }
  }
}

function machine(opts) {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    availableParallelism: availableParallelism(),
    totalMemoryMiB: Math.round(totalmem() / 1024 / 1024),
    rounds: opts.rounds,
    timePerRoundMs: opts.time,
    date: new Date().toISOString(),
  };
}

async function main() {
  const opts = options();
  const files = suiteFiles(opts.filter);
  if (files.length === 0) usage(`no suite in ${SUITES_DIR} matches --filter ${opts.filter}`);

  const suites = [];
  let failed = false;
  for (const file of files) {
    progress(`suite ${file}`);
    try {
      suites.push(await runSuite(file, opts));
    } catch (err) {
      failed = true;
      progress(`FAILED: ${file}: ${err?.stack ?? err}`);
    }
  }
  printTable(suites);
  if (opts.json !== undefined) {
    writeFileSync(opts.json, `${JSON.stringify({ suites, machine: machine(opts) }, null, 2)}\n`);
    progress(`wrote ${opts.json}`);
  }
  const missed = suites.some((suite) => suite.goals.some((goal) => !goal.met));
  process.exitCode = opts.strict && (missed || failed) ? 1 : 0;
}

await main();
