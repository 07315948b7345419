import type { AuditFinding } from './audit.js';

/** One audited answer, as a row group of the table. */
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
 * ```ts
 * process.stdout.write(formatAuditTable([{ url, status: 200, findings: auditHeaders(answer) }]));
 * ```
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
  return cells.map((cell, i) => (i < WIDTHS.length ? cell.padEnd(WIDTHS[i]!) : cell)).join(' ');
}
