/**
 * The messages the report webview (`media/report.js`) posts to the extension, and the exports it
 * can ask for. Pure (no `vscode` import): the panel validates every message with
 * {@link parseReportMessage} before acting on it, since a webview's messages are input.
 */
import type { WorkspaceReport } from '../../../server/src/report/workspaceReport';
import { reportToCsv, reportToMarkdown } from '../../../server/src/report/workspaceReport';

/** Export formats of the report. */
export type ExportFormat = 'markdown' | 'csv';

/**
 * A message from the webview: `open` a document at a 0-based LSP position (line, UTF-16
 * character); `export` the report shown; `rescan` the workspace and show the new report; `refresh`
 * the report (the "Try again" button).
 */
export type ReportMessage =
  | { type: 'open'; uri: string; line: number; character: number }
  | { type: 'export'; format: ExportFormat }
  | { type: 'rescan' }
  | { type: 'refresh' };

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The message when `raw` is a well-formed {@link ReportMessage}, else undefined (ignored). */
export function parseReportMessage(raw: unknown): ReportMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'open':
      return typeof m.uri === 'string' && m.uri !== '' && isIndex(m.line) && isIndex(m.character) ? { type: 'open', uri: m.uri, line: m.line, character: m.character } : undefined;
    case 'export':
      return m.format === 'markdown' || m.format === 'csv' ? { type: 'export', format: m.format } : undefined;
    case 'rescan':
    case 'refresh':
      return { type: m.type };
    default:
      return undefined;
  }
}

/** What each export writes: the default file name, the save dialog's filter and the text. */
export const EXPORTS: Readonly<Record<ExportFormat, { fileName: string; filters: Record<string, string[]>; render: (report: WorkspaceReport) => string }>> = {
  markdown: { fileName: 'dl-lifecycle-report.md', filters: { Markdown: ['md'] }, render: reportToMarkdown },
  csv: { fileName: 'dl-lifecycle-report.csv', filters: { CSV: ['csv'] }, render: reportToCsv },
};

/** The URIs a report links to (its rows and file findings): the only documents the webview may ask to open. */
export function reportUris(report: WorkspaceReport): Set<string> {
  return new Set([...report.rows.map((r) => r.uri), ...report.fileFindings.map((f) => f.uri)]);
}
