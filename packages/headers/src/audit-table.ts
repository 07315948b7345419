import type { AuditFinding } from './audit.js';

/**
 * One audited answer, as a row group of the table.
 *
 * @example
 * const row: AuditRow = { url: answer.url, status: answer.status, findings: auditHeaders(answer) };
 */
export interface AuditRow {
  url: string;
  status: number | string;
  findings: readonly AuditFinding[];
}

const WIDTHS = [48, 6, 6, 16];

/**
 * Renders audit results as a plain-text table: one line per finding, or one `pass` line
 * for an answer with none.
 *
 * @example
 * process.stdout.write(formatAuditTable([{ url, status: 200, findings: auditHeaders(answer) }]));
 */
export function formatAuditTable(rows: readonly AuditRow[]): string {
  const lines = [line(['URL', 'STATUS', 'RESULT', 'CHECK', 'FINDING -> FIX'])];
  for (const row of rows) {
    if (row.findings.length === 0) {
      lines.push(line([row.url, String(row.status), 'pass', '-', 'all checks passed']));
    }
    for (const finding of row.findings) {
      const result = finding.severity === 'fail' ? 'FAIL' : 'warn';
      const text = `${finding.message} -> ${finding.fix}`;
      lines.push(line([row.url, String(row.status), result, finding.check, text]));
    }
  }
  return `${lines.join('\n')}\n`;
}

function line(cells: readonly string[]): string {
  return cells
    .map(printable)
    .map((cell, i) => (i < WIDTHS.length ? cell.padEnd(WIDTHS[i]!) : cell))
    .join(' ');
}

/**
 * Escapes control characters as `\xNN`. Findings quote what a server sent (`Server`,
 * `X-Powered-By`, `Location`), read as Latin-1, so a hostile server can put C1 controls
 * such as U+009B (CSI) in them; printed raw, a terminal would run them as escape sequences.
 *
 * @example
 * printable('evil\u009b2J'); // 'evil\\x9b2J'
 */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
