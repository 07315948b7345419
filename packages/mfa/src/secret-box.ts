import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { MfaError, optionError } from './errors.js';
import { assertKnownKeys, optionNames } from './option-keys.js';

/**
 * Options of {@link SecretBox}.
 *
 * @example
 * const encryption: SecretBoxOptions = { keys: { k2: newKey, k1: oldKey }, currentKeyId: 'k2' };
 */
export interface SecretBoxOptions {
  /**
   * AES-256 keys by key id (1 to 64 of `A-Z a-z 0-9 _ -`), each exactly 32 bytes. Keep old
   * keys here after a rotation so existing credentials still open. Required.
   */
  keys: Readonly<Record<string, Uint8Array>>;
  /** The key id new secrets are sealed with; must be one of `keys`. Required. */
  currentKeyId: string;
}

/**
 * Whose secret a sealed value is: bound into the ciphertext as associated data.
 *
 * @example
 * box.open(sealed, { userId: 'u1', credentialId: 'c1' });
 */
export interface SecretContext {
  userId: string;
  credentialId: string;
}

const BOX_OPTIONS = optionNames<SecretBoxOptions>({ keys: true, currentKeyId: true });
const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const IV_BYTES = 12; // NIST SP 800-38D section 8.2: 96-bit random IVs.
const TAG_BYTES = 16;

/**
 * Encrypts TOTP secrets at rest with AES-256-GCM. The user id and credential id are the
 * associated data, so a sealed secret copied onto another user's record does not open; the
 * key id travels with the ciphertext so keys can rotate.
 *
 * @example
 * const box = new SecretBox({ keys: { k1: randomBytes(32) }, currentKeyId: 'k1' });
 * const sealed = box.seal(secret, { userId: 'u1', credentialId: 'c1' });
 */
export class SecretBox {
  private readonly keys = new Map<string, KeyObject>();
  private readonly currentKeyId: string;

  constructor(options: SecretBoxOptions) {
    assertKnownKeys('encryption', options, BOX_OPTIONS);
    const entries = Object.entries(options?.keys ?? {});
    if (entries.length === 0) {
      throw optionError(
        'encryption.keys',
        options?.keys,
        'must hold at least one key',
        'pass { k1: <32 random bytes> }',
      );
    }

    for (const [id, key] of entries) this.keys.set(id, checkedKey(id, key));
    if (!this.keys.has(options.currentKeyId)) {
      throw optionError(
        'encryption.currentKeyId',
        options.currentKeyId,
        'must name one of encryption.keys',
        'set it to the id of the newest key',
      );
    }

    this.currentKeyId = options.currentKeyId;
  }

  /** Seals `secret` with the current key; returns `v1.<keyId>.<iv>.<ciphertext>.<tag>`. */
  seal(secret: Uint8Array, context: SecretContext): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv);
    cipher.setAAD(associatedData(this.currentKeyId, context));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((part) => part.toString('base64url'));

    return [VERSION, this.currentKeyId, ...parts].join('.');
  }

  /**
   * Opens a sealed secret for the same user and credential.
   *
   * @throws MfaError `ERR_MFA_DECRYPT` when the key id is unknown, the value was altered, or
   * it belongs to another user or credential.
   */
  open(sealed: string, context: SecretContext): Uint8Array {
    const [version, keyId, iv, body, tag, extra] = String(sealed).split('.');
    if (version !== VERSION || !keyId || !iv || body === undefined || !tag || extra !== undefined) {
      throw decryptError('is not a v1 sealed secret');
    }

    if (!this.keys.has(keyId)) throw decryptError(`names key id ${keyId}, which is not configured`);
    try {
      return decrypt(this.key(keyId), keyId, { iv, body, tag }, context);
    } catch (cause) {
      throw decryptError('failed authentication (altered, or another user or credential)', cause);
    }
  }

  /** True when `sealed` was made with an older key and should be sealed again. */
  needsRewrap(sealed: string): boolean {
    return String(sealed).split('.')[1] !== this.currentKeyId;
  }

  private key(id: string): KeyObject {
    const key = this.keys.get(id);
    if (!key) throw decryptError(`names key id ${id}, which is not configured`);

    return key;
  }
}

function decrypt(
  key: KeyObject,
  keyId: string,
  parts: { iv: string; body: string; tag: string },
  context: SecretContext,
): Uint8Array {
  const tag = Buffer.from(parts.tag, 'base64url');
  if (tag.length !== TAG_BYTES) throw new Error('bad tag length');

  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts.iv, 'base64url'), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(associatedData(keyId, context));
  decipher.setAuthTag(tag);

  return new Uint8Array(
    Buffer.concat([decipher.update(Buffer.from(parts.body, 'base64url')), decipher.final()]),
  );
}

// A JSON array keeps the fields unambiguous: no user id can forge another's boundary.
function associatedData(keyId: string, context: SecretContext): Buffer {
  const fields = [
    'galaxy-harden/mfa totp-secret',
    VERSION,
    keyId,
    context.userId,
    context.credentialId,
  ];
  return Buffer.from(JSON.stringify(fields));
}

function checkedKey(id: string, key: Uint8Array): KeyObject {
  if (!KEY_ID.test(id)) {
    throw optionError(
      'encryption.keys',
      id,
      'needs ids of 1 to 64 characters A-Z a-z 0-9 _ -',
      'rename the key id',
    );
  }

  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw optionError(
      `encryption.keys.${id}`,
      key,
      'must be exactly 32 bytes (AES-256)',
      'use crypto.randomBytes(32) or a 32-byte key from your secret manager',
      { secret: true },
    );
  }

  return createSecretKey(Buffer.from(key));
}

function decryptError(rule: string, cause?: unknown): MfaError {
  return new MfaError('ERR_MFA_DECRYPT', `@galaxy-harden/mfa: the stored TOTP secret ${rule}`, {
    cause,
  });
}
