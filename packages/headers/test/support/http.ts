import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';

/** Every value of `name` as sent on the wire, one entry per header field line. */
export function fieldValues(res: Response, name: string): string[] {
  const raw: string[] = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === name.toLowerCase()) values.push(raw[i + 1]!);
  }
  return values;
}

/** The raw header pairs of a supertest answer, as `auditHeaders` takes them. */
export function rawPairs(res: Response): Array<[string, string]> {
  const raw: string[] = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** A fresh self-signed certificate for localhost and 127.0.0.1, made by Debian's openssl. */
export interface TestCertificate {
  dir: string;
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

/**
 * Makes the certificate; with `keepFiles` false (the default) the files are deleted at once
 * and only the PEM text is returned, otherwise the caller removes `dir`.
 */
export function selfSignedCertificate(keepFiles = false): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'gh-headers-cert-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const args = [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=localhost'],
    ...['-addext', 'subjectAltName=DNS:localhost,DNS:galaxy.test,IP:127.0.0.1'],
  ];
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);

  const cert = readFileSync(certPath, 'utf8');
  const key = readFileSync(keyPath, 'utf8');
  if (!keepFiles) rmSync(dir, { recursive: true, force: true });
  return { dir, certPath, keyPath, cert, key };
}
