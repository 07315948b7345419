import { describe, expect, it } from 'vitest';
import { checkEnforcementRules } from '../src/enforcement.js';
import { type EnforcementRule, enforcementStatus } from '../src/index.js';

const t0 = Date.UTC(2026, 2, 1);
const G = 3600;
const ana = { userId: 'ana', roles: ['user'] };

describe('enforcementStatus (grace period off by one or ignored)', () => {
  const rules: EnforcementRule[] = [{ enforcedSince: t0, graceSeconds: G }];

  it('is not required before enforcement starts', () => {
    expect(enforcementStatus(rules, ana, t0 - 1)).toEqual({ status: 'not-required' });
  });

  it('allows until t0+G, inclusive', () => {
    expect(enforcementStatus(rules, ana, t0)).toEqual({
      status: 'grace',
      graceEndsAt: t0 + G * 1000,
    });
    expect(enforcementStatus(rules, ana, t0 + G * 1000)).toMatchObject({ status: 'grace' });
  });

  it('blocks at t0+G+1 s', () => {
    expect(enforcementStatus(rules, ana, t0 + (G + 1) * 1000)).toEqual({
      status: 'required',
      graceEndsAt: t0 + G * 1000,
    });
  });

  it('applies a shortened grace at once: decided from the rules at request time', () => {
    const now = t0 + 600_000;
    expect(enforcementStatus(rules, ana, now).status).toBe('grace');
    const shortened = [{ enforcedSince: t0, graceSeconds: 300 }];
    expect(enforcementStatus(shortened, ana, now).status).toBe('required');
  });

  it('enforces at once with G=0', () => {
    const immediate = [{ enforcedSince: t0, graceSeconds: 0 }];
    expect(enforcementStatus(immediate, ana, t0).status).toBe('required');
    expect(enforcementStatus(immediate, ana, t0 + 1).status).toBe('required');
  });

  it('covers users by role or id only when the rule names them', () => {
    const admins = [{ enforcedSince: t0, graceSeconds: 0, roles: ['admin'] }];
    const named = [{ enforcedSince: t0, graceSeconds: 0, userIds: ['ana'] }];
    expect(enforcementStatus(admins, ana, t0).status).toBe('not-required');
    expect(enforcementStatus(admins, { userId: 'root', roles: ['admin'] }, t0).status).toBe(
      'required',
    );
    expect(enforcementStatus(named, ana, t0).status).toBe('required');
    expect(enforcementStatus(named, { userId: 'bob' }, t0).status).toBe('not-required');
  });

  it('takes the earliest deadline when several rules cover a user', () => {
    const both = [
      { enforcedSince: t0, graceSeconds: 7200 },
      { enforcedSince: t0, graceSeconds: 60, roles: ['user'] },
    ];
    expect(enforcementStatus(both, ana, t0 + 61_000)).toEqual({
      status: 'required',
      graceEndsAt: t0 + 60_000,
    });
  });

  it.each([
    [{ enforcedSince: 'soon', graceSeconds: 0 }, 'enforcement[0].enforcedSince'],
    [{ enforcedSince: t0, graceSeconds: -1 }, 'enforcement[0].graceSeconds'],
    [{ enforcedSince: t0, graceSeconds: 1.5 }, 'enforcement[0].graceSeconds'],
    [{ enforcedSince: t0, graceSeconds: 0, roles: 'admin' }, 'enforcement[0].roles'],
  ])('refuses the rule %j naming %s', (rule, option) => {
    expect(() => checkEnforcementRules([rule])).toThrow(
      `@galaxy-harden/mfa: option ${option} must`,
    );
  });
});
