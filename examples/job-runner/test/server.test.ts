import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startJobRunner } from '../src/server.js';

describe('startJobRunner', () => {
  it('listens on 127.0.0.1, reports the real port for 0, removes its root on close', async () => {
    const runner = await startJobRunner({ port: 0 });
    const response = await fetch(`${runner.url}/datasets`);

    expect(runner.url).toBe(`http://127.0.0.1:${runner.port}`);
    expect(runner.port).toBeGreaterThan(0);
    expect(response.status).toBe(200);
    expect(existsSync(runner.tempRoot)).toBe(true);
    await runner.close();
    expect(existsSync(runner.tempRoot)).toBe(false);
  });

  it('refuses to listen beyond loopback without an authenticate middleware', async () => {
    await expect(startJobRunner({ port: 0, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'ERR_JOB_RUNNER_CONFIG',
      message: expect.stringContaining('option host must be a loopback address unless'),
    });
  });

  it.runIf(process.getuid?.() === 0)(
    'refuses a temporary root the job user cannot enter, at start-up',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'gh-private-root-'));
      const started = startJobRunner({ port: 0, tempRoot: root });

      try {
        await expect(started).rejects.toMatchObject({
          code: 'ERR_JOB_RUNNER_CONFIG',
          message: expect.stringMatching(
            /option tempRoot must be searchable by the job user, got .*; chmod o\+x it$/,
          ),
        });
      } finally {
        rmSync(root, { recursive: true });
      }
    },
  );
});
