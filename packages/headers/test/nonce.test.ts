import { describe, expect, it } from 'vitest';
import { NoncePool } from '../src/nonce.js';

describe('NoncePool', () => {
  it('hands out 144-bit base64 nonces that never repeat, across refills', () => {
    const pool = new NoncePool();
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const nonce = pool.next();
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
      expect(Buffer.from(nonce, 'base64')).toHaveLength(18);
      seen.add(nonce);
    }
    expect(seen.size).toBe(2_000);
  });

  it('gives two pools unrelated nonces', () => {
    const a = new NoncePool();
    const b = new NoncePool();
    expect(a.next()).not.toBe(b.next());
  });
});
