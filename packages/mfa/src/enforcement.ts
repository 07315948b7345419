import { optionError } from './errors.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * Who must have a second factor, from when. A rule with neither `userIds` nor `roles` covers
 * every user (site-wide enforcement).
 *
 * @example
 * const start = Date.parse('2026-03-01');
 * const siteWide: EnforcementRule = { enforcedSince: start, graceSeconds: 7 * 86400 };
 */
export interface EnforcementRule {
  /** Milliseconds since the epoch when enforcement was switched on. */
  enforcedSince: number;
  /** Seconds after `enforcedSince` a user without a factor may still sign in; 0 is immediate. */
  graceSeconds: number;
  /** Users this rule covers, by id. */
  userIds?: readonly string[];
  /** Roles this rule covers; a user with any of them is covered. */
  roles?: readonly string[];
}

const RULE_OPTIONS = optionNames<EnforcementRule>({
  enforcedSince: true,
  graceSeconds: true,
  userIds: true,
  roles: true,
});

/**
 * The user a decision is about.
 *
 * @example
 * mfa.enforcement({ userId: 'u1', roles: ['admin'] });
 */
export interface MfaSubject {
  userId: string;
  roles?: readonly string[];
}

/**
 * Whether a user without a factor may continue: `'not-required'`, `'grace'` (until
 * `graceEndsAt`, inclusive), or `'required'` (must enrol before going further).
 *
 * @example
 * if (mfa.enforcement(subject).status === 'required') res.redirect('/enrol');
 */
export type EnforcementStatus =
  | { status: 'not-required' }
  | { status: 'grace'; graceEndsAt: number }
  | { status: 'required'; graceEndsAt: number };

/**
 * Decides from the rules as they are now, at request time: a grace period shortened by an
 * admin applies at once, not at the user's next enrolment prompt (GitLab 29702, 373319).
 * When several rules cover a user, the earliest deadline wins. The rules are checked as
 * `new Mfa` checks its `enforcement` option: a wrong one throws `ERR_MFA_OPTION`.
 *
 * @example
 * enforcementStatus([{ enforcedSince: t0, graceSeconds: 60 }], { userId: 'u1' }, t0 + 61_000);
 * // { status: 'required', graceEndsAt: t0 + 60_000 }
 */
export function enforcementStatus(
  rules: readonly EnforcementRule[],
  subject: MfaSubject,
  nowMs: number,
): EnforcementStatus {
  return decideEnforcement(checkEnforcementRules(rules), subject, nowMs);
}

/** {@link enforcementStatus} over rules already checked (`Mfa` checks its own once). */
export function decideEnforcement(
  rules: readonly EnforcementRule[],
  subject: MfaSubject,
  nowMs: number,
): EnforcementStatus {
  const started = rules.filter((rule) => covers(rule, subject) && rule.enforcedSince <= nowMs);
  if (started.length === 0) return { status: 'not-required' };

  const graceEndsAt = Math.min(...started.map(deadline));
  const inGrace = started.every((rule) => rule.graceSeconds > 0) && nowMs <= graceEndsAt;

  return inGrace ? { status: 'grace', graceEndsAt } : { status: 'required', graceEndsAt };
}

/** Refuses a rule that would silently never or always apply. */
export function checkEnforcementRules(rules: unknown): readonly EnforcementRule[] {
  if (!Array.isArray(rules)) {
    throw optionError(
      'enforcement',
      rules,
      'must be an array of rules',
      'pass [] to enforce nothing',
    );
  }

  rules.forEach(checkRule);
  return rules;
}

function checkRule(rule: EnforcementRule, index: number): void {
  const at = `enforcement[${index}]`;
  // `userId` for `userIds` would leave the rule covering every user, not the one meant.
  assertKnownKeys(at, rule, RULE_OPTIONS);
  if (!Number.isFinite(rule?.enforcedSince)) {
    const fix = 'use Date.parse(...) or Date.now()';
    const since = rule?.enforcedSince;
    throw optionError(`${at}.enforcedSince`, since, 'must be milliseconds since the epoch', fix);
  }

  if (!Number.isInteger(rule.graceSeconds) || rule.graceSeconds < 0) {
    const fix = 'use 0 to enforce at once';
    throw optionError(
      `${at}.graceSeconds`,
      rule.graceSeconds,
      'must be an integer of 0 or more',
      fix,
    );
  }

  checkRuleList(rule, at, 'userIds');
  checkRuleList(rule, at, 'roles');
}

// A number in userIds never matches a string id: the rule would silently cover no one.
function checkRuleList(rule: EnforcementRule, at: string, list: 'userIds' | 'roles'): void {
  const values: unknown = rule[list];
  if (values === undefined) return;
  if (Array.isArray(values) && values.every((value) => typeof value === 'string')) return;

  const fix = 'leave it unset to cover everyone';
  throw optionError(`${at}.${list}`, values, 'must be an array of strings', fix);
}

function covers(rule: EnforcementRule, subject: MfaSubject): boolean {
  if (!rule.userIds && !rule.roles) return true;
  if (rule.userIds?.includes(subject.userId)) return true;

  return (subject.roles ?? []).some((role) => rule.roles?.includes(role));
}

function deadline(rule: EnforcementRule): number {
  return rule.enforcedSince + rule.graceSeconds * 1000;
}
