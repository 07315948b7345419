import { describe, expect, it } from 'vitest';
import { packageOf, summarize } from '../../scripts/load/profile-summary.mjs';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

// Three frames under a root: jose's sign, our verifier, and idle time that is not busy.
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4] },
    { id: 2, callFrame: frame('sign', 'file:///r/node_modules/jose/dist/sign.js') },
    { id: 3, callFrame: frame('verify', 'file:///r/packages/service-auth/dist/verifier.js') },
    { id: 4, callFrame: frame('(idle)', '') },
  ],
  samples: [2, 3, 2, 4, 4],
  timeDeltas: [1_000, 2_000, 3_000, 50_000, 50_000],
};

describe('load profile summary', () => {
  it('names the package of a frame: dependency, our package, Node internal, V8', () => {
    expect(packageOf(frame('x', 'file:///r/node_modules/@redis/client/dist/a.js'))).toBe(
      '@redis/client',
    );
    expect(packageOf(frame('x', 'file:///r/packages/mfa/dist/a.js'))).toBe('@galaxy-harden/mfa');
    expect(packageOf(frame('x', 'file:///r/examples/gateway/dist/a.js'))).toBe('examples/gateway');
    expect(packageOf(frame('x', 'node:internal/crypto/util'))).toBe('node:internal/crypto');
    expect(packageOf(frame('(garbage collector)', ''))).toBe('(garbage collector)');
  });

  it('adds self time per package and function, leaving idle time out of the busy time', () => {
    const summary = summarize(profile);

    expect(summary.busyMs).toBe(6);
    expect(summary.packages).toEqual([
      ['jose', 4],
      ['@galaxy-harden/service-auth', 2],
    ]);
    expect(summary.functions[0]).toEqual(['sign jose:1', 4]);
  });
});
