// Turns what the run collected into the results JSON, the goals it checks, and the chart.
import { cpus, loadavg, totalmem } from 'node:os';
import { renderChart } from './chart.mjs';
import { RECOVERY_LIMIT_MS } from './fault.mjs';
import { memoryGrowth, outcomes, perSecond, rate } from './sampling.mjs';
import { ATTACKED } from './setup-user.mjs';

export const GOALS = { minRatio: 0.7, maxMemoryGrowth: 0.1, maxErrors: 0 };
// auth-limit's defaults, as the demo uses them: 10 wrong passwords per account and address,
// then a wait of one more minute per 10 failures.
const WRONG_PASSWORDS_PER_WAIT = 10;
const WAIT_MS = 60_000;
const MB = 1024 * 1024;

function machine() {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    memoryMB: Math.round(totalmem() / MB),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((n) => Number(n.toFixed(2))),
  };
}

function faultWindow(fault) {
  if (!fault) return undefined;
  return { from: fault.stoppedAt, to: fault.resumedAt + RECOVERY_LIMIT_MS };
}

/** The checks of the fault phase: refusals while Redis is away, never a pass. */
function faultChecks(run) {
  const { fault, demoTally, demoStack } = run;
  const answers = demoTally.answers;
  const answered401 = answers.filter((a) => a.route === 'login-wrong' && a.status === 401).length;
  // The server's count: an attempt cut off when a phase ends is checked but never answered.
  const checked = run.events[`auth.failure@${ATTACKED.username}`] ?? 0;
  const spanMs = run.phases.at(-1).to - run.phases[0].from;
  const allowed = WRONG_PASSWORDS_PER_WAIT * (1 + Math.floor(spanMs / WAIT_MS));
  // One second after the kill, nothing started before it can still be answering.
  const down = fault && ((a) => a.at >= fault.stoppedAt + 1_000 && a.at <= fault.resumedAt);
  const whileDown = (route, status) =>
    down ? answers.filter((a) => a.route === route && a.status === status && down(a)).length : 0;
  const replays = fault?.replays ?? run.replays ?? [];

  return {
    enabled: Boolean(fault),
    ...(fault ? { stoppedAt: fault.stoppedAt, resumedAt: fault.resumedAt, downMs: fault.downMs } : {}),
    recoveryMs: fault?.recoveryMs,
    recoveryLimitMs: RECOVERY_LIMIT_MS,
    replays,
    wrongPasswordsChecked: Math.max(checked, answered401),
    wrongPasswordsAnswered: answered401,
    wrongPasswordsAllowed: allowed,
    passwordsCheckedWhileDown: whileDown('login-wrong', 401) + whileDown('login-right', 200),
    codesAcceptedWhileDown: whileDown('mfa-right', 200),
    stackPid: demoStack.pid,
    crashed: demoStack.exit ?? false,
  };
}

function checks(report) {
  const { fault, throughput, memory, outcomes: out } = report;
  const faultOk = !fault.enabled || fault.recoveryMs !== undefined;
  const list = [
    ['no errors', out.demo.totals.error + out.demo.transportErrors <= GOALS.maxErrors, 'correctness'],
    ['no crash', fault.crashed === false, 'correctness'],
    ['no accepted replay', fault.replays.length > 0 && fault.replays.every((r) => !r.accepted), 'correctness'],
    ['no login past its limit', fault.wrongPasswordsChecked <= fault.wrongPasswordsAllowed && fault.passwordsCheckedWhileDown === 0, 'correctness'],
    ['no code accepted while Redis was down', fault.codesAcceptedWhileDown === 0, 'correctness'],
    ['recovery without restart', faultOk, 'correctness'],
    [`throughput at least ${GOALS.minRatio}x bare Express`, throughput.ratio >= GOALS.minRatio, 'performance'],
    ['memory growth under 10% after warm-up', memory.pass, 'performance'],
  ];
  return list.map(([name, pass, kind]) => ({ name, kind, pass: Boolean(pass) }));
}

function memorySection(run) {
  const { demoStack, demoPhase } = run;
  const windowMs = Math.max(1_000, (demoPhase.to - demoPhase.from) / 10);
  const growth = memoryGrowth(demoStack.memory, demoPhase.from, demoPhase.to, windowMs);
  const pass = [growth.rss.growth, growth.heapUsed.growth].every(
    (g) => g !== undefined && g < GOALS.maxMemoryGrowth,
  );
  return { sampleEveryMs: 250, windowMs, ...growth, goal: GOALS.maxMemoryGrowth, pass };
}

function throughputSection(run, window) {
  const { demoTally, bareTally, demoPhase, barePhases } = run;
  const skip = window && { from: window.from, to: run.fault.resumedAt + (run.fault.recoveryMs ?? RECOVERY_LIMIT_MS) };
  const demoRps = rate(demoTally.in('main'), demoPhase.from, demoPhase.to, skip);
  const bareAnswers = bareTally.in('main');
  const bareSeconds = barePhases.reduce((sum, p) => sum + (p.to - p.from) / 1000, 0);
  const bareRps = bareAnswers.length / bareSeconds;
  const round = (n) => Number(n.toFixed(1));

  return {
    demoRps: round(demoRps),
    bareRps: round(bareRps),
    ratio: Number((demoRps / bareRps).toFixed(3)),
    goal: GOALS.minRatio,
    demoRpsExcludes: skip ? 'the fault window, from the kill until the stores recovered' : 'nothing',
  };
}

/**
 * The results JSON: machine, options, throughput ratio, latency, answers by route and verdict,
 * memory growth, the fault phase, security events, and the goals with pass or fail.
 *
 * @example
 * const report = buildReport(run); report.checks.every((c) => c.pass);
 */
export function buildReport(run) {
  const window = faultWindow(run.fault);
  const demoOut = outcomes(run.demoTally.in('main'), window);
  const bareOut = outcomes(run.bareTally.in('main'), undefined);
  const transport = (d) => d.main.errors + d.jobs.errors;
  const report = {
    tool: 'npm run load (scripts/load.mjs)',
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machine(),
    options: run.options,
    stacks: { demo: run.demoInfo, bare: run.bareInfo, redis: run.redisInfo },
    phases: run.phases,
    throughput: throughputSection(run, window),
    latencyMs: { demo: run.drives.demo, bare: run.drives.bare },
    outcomes: {
      demo: { ...demoOut, transportErrors: transport(run.drives.demo) },
      bare: { ...bareOut, transportErrors: transport(run.drives.bare) },
      warmUp: outcomes(run.demoTally.in('warm-up'), undefined).totals,
    },
    memory: memorySection(run),
    fault: faultChecks(run),
    events: run.events,
  };
  report.checks = checks(report);
  report.pass = report.checks.every((c) => c.pass || c.kind === 'performance');
  return report;
}

function megabytes(samples, field, t0) {
  return samples.map((s) => [(s.at - t0) / 1000, Number((s[field] / MB).toFixed(1))]);
}

/**
 * The SVG of the run: answers per second of both stacks, memory of both stack processes.
 *
 * @example
 * writeFileSync(svgFile, chartOf(run, report));
 */
export function chartOf(run, report) {
  const t0 = run.phases[0].from;
  const seconds = (p) => perSecond(p.tally.in('main'), p.from, Math.floor((p.to - p.from) / 1000));
  const points = (p) => seconds(p).map((n, i) => [(p.from - t0) / 1000 + i + 0.5, n]);
  const bare = run.barePhases.map((p) => points({ ...p, tally: run.bareTally }));
  const demo = [points({ ...run.demoPhase, tally: run.demoTally })];
  const f = run.fault;

  return renderChart({
    title: `npm run load: demo ${report.throughput.demoRps}/s vs bare Express ${report.throughput.bareRps}/s (${report.throughput.ratio}x)`,
    xMax: Math.ceil((run.phases.at(-1).to - t0) / 1000),
    band: f && { from: (f.stoppedAt - t0) / 1000, to: (f.resumedAt - t0) / 1000, label: 'Redis down' },
    throughput: [
      { name: 'demo (all packages)', color: '#1f6fb2', segments: demo },
      { name: 'bare Express', color: '#888', dashed: true, segments: bare },
    ],
    memory: [
      { name: 'demo rss', color: '#1f6fb2', segments: [megabytes(run.demoStack.memory, 'rss', t0)] },
      { name: 'demo heapUsed', color: '#2a9d4b', segments: [megabytes(run.demoStack.memory, 'heapUsed', t0)] },
      { name: 'bare rss', color: '#888', dashed: true, segments: [megabytes(run.bareStack.memory, 'rss', t0)] },
    ],
  });
}
