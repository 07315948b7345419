import { type AuditFinding, type AuditSeverity, auditHeaders } from './audit.js';
import { type AuditRow, formatAuditTable } from './audit-table.js';
import { type FetchAnswersOptions, fetchAnswers } from './fetch-answers.js';

const USAGE = `usage: galaxy-headers-audit [--insecure] [--max-redirects N] [--json] URL...
Fetches each URL and its redirects, audits the security headers of every answer, and
exits 0 when nothing failed, 1 when a check failed, 2 when a URL could not be fetched.
  --insecure         accept self-signed certificates (test servers only)
  --max-redirects N  redirects to follow per URL, 0 to 999 (default 10)
  --json             print the findings as JSON instead of a table
`;

interface Parsed {
  urls: string[];
  json: boolean;
  fetch: FetchAnswersOptions;
}

/**
 * Runs the `galaxy-headers-audit` command with `args` (no `node`, no script path) and
 * returns its exit code: 0 all passed (or `--help`), 1 a check failed, 2 usage error or
 * unreachable URL.
 *
 * @example
 * process.exitCode = await runAuditCli(['--insecure', 'https://127.0.0.1:8443/'], process.stdout);
 */
export async function runAuditCli(
  args: readonly string[],
  out: { write(text: string): unknown },
): Promise<number> {
  // Asked-for help is an answer, not a usage error.
  if (args.includes('--help') || args.includes('-h')) {
    out.write(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    out.write(parsed);
    return 2;
  }

  const { rows, unreachable } = await auditAll(parsed);
  out.write(parsed.json ? `${printableJson(rows)}\n` : formatAuditTable(rows));
  if (unreachable) return 2;
  return rows.some((row) => row.findings.some((f) => f.severity === 'fail')) ? 1 : 0;
}

function parseArgs(args: readonly string[]): Parsed | string {
  const parsed: Parsed = { urls: [], json: false, fetch: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--insecure') parsed.fetch.insecure = true;
    else if (arg === '--json') parsed.json = true;
    else if (arg === '--max-redirects') {
      const value = args[++i] ?? '';
      if (!/^\d{1,3}$/.test(value))
        return `--max-redirects needs a whole number, 0 to 999\n${USAGE}`;
      parsed.fetch.maxRedirects = Number(value);
    } else if (/^https?:\/\//i.test(arg) && URL.canParse(arg)) parsed.urls.push(arg);
    else return `not an http(s) URL or option: ${arg}\n${USAGE}`;
  }
  return parsed.urls.length > 0 ? parsed : USAGE;
}

async function auditAll(parsed: Parsed): Promise<{ rows: AuditRow[]; unreachable: boolean }> {
  const rows: AuditRow[] = [];
  let unreachable = false;
  for (const url of parsed.urls) {
    try {
      const chain = await fetchAnswers(url, parsed.fetch);
      for (const answer of chain.answers) {
        rows.push({ url: answer.url, status: answer.status, findings: auditHeaders(answer) });
      }
      const stopped = chain.stopped;
      if (stopped) {
        const severity = stopped.reason === 'other-host' ? 'warn' : 'fail';
        rows.push({ url, status: 'stop', findings: [stopFinding(stopped.message, severity)] });
      }
    } catch (err) {
      unreachable = true;
      rows.push({ url, status: 'error', findings: [stopFinding((err as Error).message, 'fail')] });
    }
  }
  return { rows, unreachable };
}

// JSON.stringify escapes C0 controls but leaves DEL and C1 (U+007F to U+009F) raw; the
// JSON is still valid with them as \u escapes, and safe to print to a terminal.
function printableJson(rows: readonly AuditRow[]): string {
  return JSON.stringify(rows, null, 2).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function stopFinding(message: string, severity: AuditSeverity): AuditFinding {
  return { check: 'transport', severity, message, fix: 'check the URL and the redirect chain' };
}
