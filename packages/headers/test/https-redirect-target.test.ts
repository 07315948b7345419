import { describe, expect, it } from 'vitest';
import { planHttpsRedirect } from '../src/https-redirect-target.js';

describe('planHttpsRedirect', () => {
  const plan = planHttpsRedirect({ allowedHosts: ['galaxy.test', '[::1]'] });

  it.each([
    ['//evil.example/x', 'https://galaxy.test//evil.example/x'],
    ['/\\evil.example', 'https://galaxy.test/\\evil.example'],
    ['http://evil.example/steal?x=1', 'https://galaxy.test/steal?x=1'],
    ['*', 'https://galaxy.test/'],
    ['/a%0d%0aSet-Cookie:x', 'https://galaxy.test/a%0d%0aSet-Cookie:x'],
  ])('keeps the allow-listed host whatever the target %j says', (url, location) => {
    expect(plan('GET', 'galaxy.test', url)).toEqual({ status: 301, location });
  });

  it.each([
    ['galaxy.test.', 'https://galaxy.test/'],
    [' galaxy.test ', 'https://galaxy.test/'],
    ['[::1]:8080', 'https://[::1]/'],
  ])('normalises Host %j', (host, location) => {
    expect(plan('GET', host, '/')?.location).toBe(location);
  });

  it.each([undefined, '', 'galaxy.test:80:80', '[::2]', 'GALAXY.TEST.EVIL'])(
    'refuses Host %j',
    (host) => {
      expect(plan('GET', host, '/')).toBeUndefined();
    },
  );
});
