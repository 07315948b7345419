import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../../examples/job-runner/src/datasets.js';
import { type DemoEvent, DemoProcess, runJsonLine, runLine } from './support/demo-process.js';

// `npm start` as a newcomer meets it: the banner's URL, users and lines to paste, the lines
// run through `sh` exactly as printed (cookie jar, second factor, a sed job, a grep job).
// No Redis settings: this is the default, memory, as a first run without any set-up.
const fasta = readFileSync(join(DEFAULT_DATA_DIR, 'genes.fasta'), 'utf8');
const tsv = readFileSync(join(DEFAULT_DATA_DIR, 'genes.tsv'), 'utf8');
const chr17 = `${tsv
  .split('\n')
  .filter((line) => line.includes('chr17'))
  .join('\n')}\n`;

let demo: DemoProcess;

beforeAll(async () => {
  demo = await DemoProcess.start();
});

afterAll(async () => {
  await demo?.stop();
});

const lines = () => demo.printedLines();
const secretFile = () => /codes: node \S+ (\S+)$/m.exec(demo.banner.join('\n'))?.[1] ?? '';
// A code checked at login (the enrolment at start logs one too, purpose `enrolment`).
const isCodeCheck = (event: DemoEvent) =>
  /^mfa\.(verified|failure|replay)$/.test(event.type) && event.purpose !== 'enrolment';

describe('npm start (examples/demo.mjs)', () => {
  it('prints the HTTPS login page to open and the demo users with their passwords', () => {
    const text = demo.banner.join('\n');

    expect(text).toMatch(/^Open https:\/\/127\.0\.0\.1:\d+\/login in a browser/m);
    expect(text).toMatch(/^state: {6}memory of this process /m);
    expect(text).toMatch(/^ {2}ana {2}ana-galaxy-demo {2}second factor set up at start/m);
    expect(text).toMatch(/^ {2}ben {2}ben-galaxy-demo {2}sets up a second factor/m);
    expect(text).toMatch(/^ {2}old {2}old-galaxy-demo {2}disabled/m);
    expect(lines()).toHaveLength(4);
  });

  it('keeps the second factor secret in a 0600 file, in a directory only it can enter', () => {
    const { secret } = JSON.parse(readFileSync(secretFile(), 'utf8')) as { secret: string };

    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(secretFile())).mode & 0o777).toBe(0o700);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(demo.banner.join('\n')).not.toContain(secret);
  });

  it('refuses the printed job lines after the password alone', () => {
    const [login, , sedJob] = lines();

    expect(runJsonLine(login ?? '')).toEqual({ ok: true, user: 'ana' });
    expect(runJsonLine(sedJob ?? '')).toEqual({ error: 'mfa_required' });
  });

  it('runs the printed lines as printed: login, code, sed, grep; again right after', async () => {
    for (let round = 0; round < 2; round++) {
      const [login, code, sed, grep] = lines().map((line) => runJsonLine(line));
      // The gateway's own word on the code (reason of a refusal included), for the message.
      const check = await demo.nextEvent(isCodeCheck);

      expect(login).toEqual({ ok: true, user: 'ana' });
      expect(code, JSON.stringify(check)).toEqual({ ok: true, method: 'totp' });
      expect(sed?.stdout).toBe(fasta.replaceAll('ATG', 'atg'));
      expect(grep?.stdout).toBe(chr17);
    }
  });

  // A failed $(...) inside curl's argument would post an empty code: `invalid_code`, one
  // more wrong code on ana's account, and the helper's own message never seen.
  it('stops the code line, sending nothing, when the code helper fails', async () => {
    const [login, code] = lines();
    runJsonLine(login ?? '');
    chmodSync(secretFile(), 0o640);
    const failed = runLine(code ?? '');
    chmodSync(secretFile(), 0o600);
    // A login from another site: refused and logged, and counted nowhere. Its log line
    // marks where the failed line's request would have been logged, had it sent one.
    const marker = runJsonLine(`${login} -H 'origin: https://evil.example'`);

    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^totp-code: .* must be mode 0600$/m);
    expect(marker).toEqual({ error: 'cross_site_request' });
    expect(await demo.nextEvent((e) => isCodeCheck(e) || e.type === 'login.refused')).toEqual(
      expect.objectContaining({ type: 'login.refused', reason: 'cross-site' }),
    );
  });

  it('stops on SIGTERM and deletes the secret, the certificate and the cookie jar', async () => {
    expect(await demo.stop()).toEqual([0, null]);
    expect(existsSync(dirname(secretFile()))).toBe(false);
  });
});
