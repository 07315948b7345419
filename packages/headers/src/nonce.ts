import { randomFillSync } from 'node:crypto';

// 18 bytes encode to exactly 24 base64 characters, so a block's base64 text splits into
// nonces at fixed offsets with no padding; 144 bits is above CSP3 §7.4's 128-bit floor.
const NONCE_BYTES = 18;
const NONCE_CHARS = 24;
const NONCES_PER_FILL = 256;

/**
 * Hands out CSP nonces from a block of CSPRNG bytes, encoded once per 256 nonces instead of
 * one `randomBytes` call and one encoding per answer. Each byte is used once, so a nonce is
 * as unpredictable as its own `randomBytes(18)` would be: unguessable and fresh per answer.
 */
export class NoncePool {
  private readonly block = Buffer.allocUnsafe(NONCE_BYTES * NONCES_PER_FILL);
  private text = '';
  private offset = 0;

  /** A fresh base64 nonce of 24 characters. */
  next(): string {
    if (this.offset === this.text.length) {
      randomFillSync(this.block);
      this.text = this.block.toString('base64');
      this.offset = 0;
    }

    const start = this.offset;
    this.offset = start + NONCE_CHARS;
    return this.text.slice(start, this.offset);
  }
}
