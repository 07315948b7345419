import { describe, expect, it } from 'vitest';
import { compileRoutes } from '../src/route-rules.js';

const rules = compileRoutes('routes', [
  'POST /jobs',
  'GET /jobs/*',
  'GET /status/**',
  '* /ping',
  'GET /',
]);

describe('route rules', () => {
  it.each([
    ['POST', '/jobs'],
    ['POST', '/jobs?dry=1'],
    ['GET', '/jobs/42'],
    ['GET', '/status'],
    ['GET', '/status/a/b'],
    ['DELETE', '/ping'],
    ['GET', '/'],
  ])('allow %s %s', (method, path) => {
    expect(rules.allows(method, path)).toBe(true);
  });

  it.each([
    ['GET', '/jobs'],
    ['POST', '/jobs/42'],
    ['GET', '/jobs/42/logs'],
    ['GET', '/jobs/'],
    ['GET', '/jobs/..'],
    ['GET', '/jobs/%2e%2E'],
    ['GET', '/status/../admin'],
    ['GET', '/status/%2E/x'],
    ['POST', '//jobs'],
    ['POST', 'http://evil/jobs'],
    ['post', '/jobs'],
    ['GET', '/admin'],
  ])('refuse %s %s', (method, path) => {
    expect(rules.allows(method, path)).toBe(false);
  });
});
