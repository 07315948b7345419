import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findUser, type HostFacts, resolveConfig } from '../src/config.js';
import { DEFAULT_DATASETS } from '../src/datasets.js';

const root: HostFacts = { isRoot: true, prlimitFound: true, nobody: { uid: 65534, gid: 65534 } };
const user: HostFacts = { isRoot: false, prlimitFound: false, nobody: undefined };
const dir = mkdtempSync(join(tmpdir(), 'gh-config-test-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveConfig', () => {
  it('binds loopback and applies the documented defaults', () => {
    const config = resolveConfig({}, user);

    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8081,
      datasets: DEFAULT_DATASETS,
      tempRoot: undefined,
      timeoutMs: 5_000,
      maxOutputBytes: 1024 * 1024,
      maxInputBytes: 4_096,
      maxConcurrentJobs: 4,
      cpuSeconds: 5,
      maxFileBytes: 1024 * 1024,
      maxProcesses: 32,
      maxMemoryBytes: 512 * 1024 * 1024,
      limiter: 'shell',
      runAs: undefined,
      keepWorkDirs: false,
      shell: '/bin/sh',
    });
  });

  it('runs jobs as nobody and limits them with prlimit when root and prlimit is there', () => {
    expect(resolveConfig({}, root)).toMatchObject({
      runAs: { uid: 65534, gid: 65534 },
      limiter: 'prlimit',
    });
  });

  it('rounds the CPU limit up from the time limit', () => {
    expect(resolveConfig({ timeoutMs: 1_500 }, user).cpuSeconds).toBe(2);
  });

  it('runs jobs as root only when told so by the unsafe option', () => {
    expect(resolveConfig({ unsafeRunJobsAsRoot: true }, root).runAs).toBeUndefined();
  });

  it('accepts port 0 and an explicit unprivileged user as root', () => {
    const config = resolveConfig({ port: 0, runAs: { uid: 1000, gid: 1000 } }, root);

    expect(config.port).toBe(0);
    expect(config.runAs).toEqual({ uid: 1000, gid: 1000 });
  });

  it.each([
    [{ port: -1 }, user, /option port must be an integer from 0 to 65535, got -1/],
    [{ port: 1.5 }, user, /option port/],
    [{ timeoutMs: 0 }, user, /option timeoutMs must be a positive integer, got 0; omit it/],
    [{ maxOutputBytes: Number.NaN }, user, /option maxOutputBytes .* got NaN/],
    [{ maxConcurrentJobs: 2.5 }, user, /option maxConcurrentJobs/],
    [{ host: '' }, user, /option host must be a non-empty string, got ""/],
    [{ tempRoot: '' }, user, /option tempRoot/],
    [{ limiter: 'prlimit' as const }, user, /option limiter .* install util-linux/],
    [{ limiter: 'firejail' as never }, root, /option limiter .* got "firejail"/],
    [{ runAs: { uid: 1000, gid: 1000 } }, user, /option runAs needs the runner to start as root/],
    [{ runAs: { uid: -1, gid: 0 } }, root, /option runAs must hold integer uid and gid/],
    [{}, { ...root, nobody: undefined }, /option runAs is needed when running as root/],
  ])('refuses %j at start-up, naming the package, option and fix', (options, facts, message) => {
    expect(() => resolveConfig(options, facts)).toThrow(
      expect.objectContaining({
        code: 'ERR_JOB_RUNNER_CONFIG',
        message: expect.stringMatching(message),
      }),
    );
    expect(() => resolveConfig(options, facts)).toThrow(/@galaxy-harden-examples\/job-runner/);
  });
});

describe('findUser', () => {
  it('reads the uid and gid of a user from a passwd file', () => {
    const passwd = join(dir, 'passwd');
    writeFileSync(passwd, 'root:x:0:0::/root:/bin/sh\njobs:x:1234:4321::/nonexistent:/bin/false\n');

    expect(findUser('jobs', passwd)).toEqual({ uid: 1234, gid: 4321 });
    expect(findUser('nobody', passwd)).toBeUndefined();
  });
});
