import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AttemptLimiter,
  type AuthLimitEvent,
  formatAuthLogLine,
  type Slot,
} from '@galaxy-harden/auth-limit';
import { MemoryStore } from '@galaxy-harden/store';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const at = Date.UTC(2026, 4, 4, 10, 0, 0);
const filter = join(
  dirname(fileURLToPath(import.meta.url)),
  '../fail2ban/filter.d/galaxy-harden-auth.conf',
);

describe('formatAuthLogLine', () => {
  it('writes the time, the event, then the address before anything a client chose', () => {
    const line = formatAuthLogLine({
      type: 'auth.failure',
      at,
      limiter: 'login',
      account: 'alice',
      address: '203.0.113.7',
      failures: 3,
      lockedForSeconds: 0,
    });

    expect(line).toBe(
      '2026-05-04T10:00:00.000Z galaxy-harden auth-limit: auth.failure address=203.0.113.7 ' +
        'limiter=login failures=3 locked_for=0 account="alice"\n',
    );
  });

  it('keeps any account name on one printable-ASCII line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (account) => {
        const line = formatAuthLogLine({
          type: 'auth.blocked',
          at,
          limiter: 'login',
          account,
          address: '192.0.2.1',
          reason: 'account-address',
          retryAfterSeconds: 60,
        });
        return /^[\x20-\x7e]*\n$/.test(line) && line.indexOf('address=') < line.indexOf('account=');
      }),
      { numRuns: 300 },
    );
  });
});

const hasFail2ban = spawnSync('fail2ban-regex', ['--version']).status === 0;

describe.runIf(hasFail2ban)('the shipped fail2ban filter, run by fail2ban-regex', () => {
  function matchedAddresses(events: AuthLimitEvent[]): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'gh-f2b-'));
    const log = join(dir, 'auth.log');
    writeFileSync(log, events.map(formatAuthLogLine).join(''));
    const run = spawnSync('fail2ban-regex', ['-o', 'ip', log, filter], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`fail2ban-regex failed: ${run.stderr}`);
    return run.stdout.split('\n').filter(Boolean);
  }

  it('matches the wrong secrets and refusals the limiter reported, per address', async () => {
    const events: AuthLimitEvent[] = [];
    const limiter = new AttemptLimiter({
      store: new MemoryStore(),
      onEvent: (e) => events.push(e),
    });
    for (let i = 0; i < 12; i++) {
      const slot = await limiter.reserve({ account: 'alice', address: '203.0.113.7' });
      if (slot.allowed) await slot.failure();
    }
    const owner = (await limiter.reserve({ account: 'bob', address: '2001:db8::5' })) as Slot;
    await owner.failure();
    const matched = matchedAddresses(events);

    expect(matched.filter((a) => a === '203.0.113.7')).toHaveLength(12);
    expect(matched.filter((a) => a === '2001:db8::5')).toHaveLength(1);
    expect(matched).toHaveLength(13);
  });

  it('cannot be made to ban another address by a crafted account name', () => {
    const forged = [
      'x" address=6.6.6.6 limiter=login',
      'x\n2026-05-04T10:00:00.000Z galaxy-harden auth-limit: auth.failure address=6.6.6.6 ',
      'x\r2026-05-04T10:00:00.000Z galaxy-harden auth-limit: auth.failure address=6.6.6.6 ',
      'x\u2028 address=6.6.6.6',
    ];
    const events = forged.map((account): AuthLimitEvent => {
      return {
        type: 'auth.failure',
        at,
        limiter: 'login',
        account,
        address: '192.0.2.9',
        failures: 1,
        lockedForSeconds: 0,
      };
    });

    expect(matchedAddresses(events)).toEqual(forged.map(() => '192.0.2.9'));
  });

  it('leaves out account-wide refusals and store outages', () => {
    const base = { at, limiter: 'login', account: 'alice', retryAfterSeconds: 60 } as const;
    const events: AuthLimitEvent[] = [
      { ...base, type: 'auth.blocked', address: '192.0.2.1', reason: 'account' },
      { ...base, type: 'auth.blocked', address: '192.0.2.2', reason: 'store-unavailable' },
      { ...base, type: 'auth.blocked', address: '192.0.2.3', reason: 'address' },
      {
        type: 'auth.unblocked',
        at,
        limiter: 'login',
        account: 'a',
        address: '192.0.2.4',
        cause: 'success',
      },
    ];

    expect(matchedAddresses(events)).toEqual(['192.0.2.3']);
  });
});
