import type { RecoveryCodeSet } from './recovery-codes.js';
import type { TotpAlgorithm } from './totp-parameters.js';

/**
 * One TOTP authenticator of a user. The secret is sealed with AES-256-GCM (see
 * {@link SecretBox}); the parameters are kept so changing the defaults later does not break
 * existing enrolments.
 *
 * @example
 * const active: TotpCredential | undefined = (await records.load('u1'))?.totp;
 */
export interface TotpCredential {
  id: string;
  sealedSecret: string;
  algorithm: TotpAlgorithm;
  digits: number;
  periodSeconds: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Set when the enrolment was confirmed with a valid code. */
  activatedAt?: number;
}

/**
 * Everything the package keeps about one user, stored by the app through
 * {@link MfaRecordStore}. It holds no plain secret and no plain recovery code.
 *
 * @example
 * const record: MfaRecord = { userId: 'u1' }; // not enrolled
 */
export interface MfaRecord {
  userId: string;
  /** The active authenticator; absent until an enrolment is confirmed. */
  totp?: TotpCredential;
  /** An enrolment started and not yet confirmed; never accepted at login. */
  pendingTotp?: TotpCredential;
  recovery?: RecoveryCodeSet;
}

/**
 * What the package needs from the app's user database: load and save one record per user.
 * Saving replaces the whole record. A failure should reject; the package then refuses.
 *
 * @example
 * const records: MfaRecordStore = {
 *   load: async (userId) => db.mfa.findOne({ userId }) ?? undefined,
 *   save: async (record) => db.mfa.upsert(record),
 * };
 */
export interface MfaRecordStore {
  load(userId: string): Promise<MfaRecord | undefined>;
  save(record: MfaRecord): Promise<void>;
}

/**
 * An in-memory {@link MfaRecordStore} for tests and the demo. Records are copied in and out,
 * as a database would, so a caller cannot change a stored record by accident.
 *
 * @example
 * const mfa = new Mfa({ issuer: 'Galaxy', records: new MemoryMfaRecords(), encryption });
 */
export class MemoryMfaRecords implements MfaRecordStore {
  private readonly records = new Map<string, MfaRecord>();

  async load(userId: string): Promise<MfaRecord | undefined> {
    const record = this.records.get(userId);
    return record ? structuredClone(record) : undefined;
  }

  async save(record: MfaRecord): Promise<void> {
    this.records.set(record.userId, structuredClone(record));
  }
}
