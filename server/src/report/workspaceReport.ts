/**
 * The workspace report: every reference of the workspace with its findings, grouped by lifecycle
 * status, and the support timeline of the framework versions and image lines in use. Built from
 * the same analyses the diagnostics come from (open documents and the workspace scan); the report
 * view and its Markdown/CSV export render it. Pure data, no LSP and no clock: `asOf` comes from the
 * analyses.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Analysis } from '../analysis';
import type { Catalog } from '../catalog/catalog';
import type { CalendarDay } from '../dates';
import type { Range, ReferenceKind, Severity } from '../model';
import { supportLineOf } from '../rules/supportLine';
import { PACK_DICTIONARY } from './packDictionary';
import type { SupportLine } from '../rules/supportLine';

/**
 * Lifecycle status of a reference, worst first: `ended` (past end of patch or end of support, or
 * retired), `ending` (ends within the warning window, or an end of support is announced),
 * `superseded` (a later patch, release, repository or AMI build exists), `unknown` (could not be
 * judged: unpinned, not in the catalog, unresolved), `fine` (none of these).
 */
export type ReportStatus = 'ended' | 'ending' | 'superseded' | 'unknown' | 'fine';
export const REPORT_STATUSES: readonly ReportStatus[] = ['ended', 'ending', 'superseded', 'unknown', 'fine'];
/** Headings of the groups, in the field's terms. */
export const STATUS_TITLES: Readonly<Record<ReportStatus, string>> = {
  ended: 'Ended: past end of patch or end of support',
  ending: 'Ending within the warning window',
  superseded: 'Superseded: a later patch, release or image exists',
  unknown: 'Not judged',
  fine: 'Supported',
};

/** The status each rule puts a reference in; rules not listed (region, channel, mixed releases) do not change it. */
const RULE_STATUS: Readonly<Record<string, ReportStatus>> = {
  'end-of-patch': 'ended',
  'unsupported-version': 'ended',
  discontinued: 'ended',
  'python-end-of-life': 'ended',
  'os-end-of-life': 'ended',
  'neuron-end-of-support': 'ended',
  'neuron-conda-package': 'ended',
  'legacy-image': 'ended',
  'end-of-patch-soon': 'ending',
  'neuron-end-of-support-announced': 'ending',
  'superseded-patch': 'superseded',
  'neuron-sdk-outdated': 'superseded',
  'pinned-ami-build': 'superseded',
  'unknown-version': 'unknown',
  unpinned: 'unknown',
  'unresolved-reference': 'unknown',
  'image-not-published': 'unknown',
};

/** One finding as the report lists it. */
export interface ReportFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  endOfPatch?: CalendarDay;
}

/** One reference of the workspace. `file`, `range`, `kind`, `subject`, `version` and `text` are those of the CLI's JSON report. */
export interface ReportRow {
  /** Path relative to its workspace folder, forward slashes. */
  file: string;
  /** The document's URI, to open it at `range`. */
  uri: string;
  /** 0-based LSP range (UTF-16 columns). */
  range: Range;
  kind: ReferenceKind;
  subject: string;
  version: string;
  text: string;
  status: ReportStatus;
  /** End of patch of the reference's support line or finding, when known. */
  endOfPatch?: CalendarDay;
  /** {@link SupportLine.id} of the timeline bar the reference belongs to. */
  line?: string;
  findings: ReportFinding[];
}

/** A bar of the timeline: a support line in use, with how many references use it and their worst status. */
export interface TimelineBar extends SupportLine {
  references: number;
  status: ReportStatus;
}

/** The whole report. */
export interface WorkspaceReport {
  asOf: CalendarDay;
  warningWindowDays: number;
  catalogGenerated: CalendarDay;
  catalogStale: boolean;
  /** Files analysed (the cells of a notebook count as one file). */
  files: number;
  /** References, ordered by status (worst first), then file and position. */
  rows: ReportRow[];
  /** Findings not about a reference (unused suppressions), by file. */
  fileFindings: Array<{ file: string; uri: string } & ReportFinding>;
  /** Bars ordered by end of patch, then label. */
  timeline: TimelineBar[];
  counts: Record<Severity, number>;
  /** Whether a workspace scan contributed (else only open documents). */
  scanned: boolean;
}

/** One analysed file for {@link buildWorkspaceReport}. */
export interface ReportInput {
  file: string;
  uri: string;
  analysis: Analysis;
}

const RANK: Record<ReportStatus, number> = { ended: 0, ending: 1, superseded: 2, unknown: 3, fine: 4 };

/** The worst status of a set of rule ids (`fine` when none of them sets one). */
export function statusOf(rules: Iterable<string>): ReportStatus {
  let worst: ReportStatus = 'fine';
  for (const r of rules) {
    const s = RULE_STATUS[r];
    if (s && RANK[s] < RANK[worst]) worst = s;
  }
  return worst;
}

function comparePosition(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

/** One reference of a {@link FileReport}: a {@link ReportRow} without the file (held once by the file report), its findings as indices into {@link FileReport.findings}. */
export interface FileReportRow extends Omit<ReportRow, 'file' | 'uri' | 'findings'> {
  /** Indices into {@link FileReport.findings}, in the analysis's order. */
  findings: number[];
}

/**
 * The part of the report one analysed file contributes, without the analysis: what
 * {@link mergeFileReports} needs (and the file's findings, for its diagnostics and the finding
 * counts). The language server keeps one per scanned file instead of the file's analysis.
 */
export interface FileReport {
  /** Path relative to its workspace folder, forward slashes. */
  file: string;
  uri: string;
  /** The analysis's as-of day and warning window (days). */
  asOf: CalendarDay;
  warningWindowDays: number;
  /** Every finding of the analysis, in its order (counted by severity in the report). */
  findings: ReportFinding[];
  /** The references, in the scan's order. */
  rows: FileReportRow[];
  /** Indices into {@link findings} of the findings not about a reference (unused suppressions). */
  other: number[];
  /** The support lines of {@link rows}, one per id, in the order of their first row. */
  lines: SupportLine[];
}

/** The per-file step of {@link buildWorkspaceReport}: a file's analysis as its {@link FileReport}. */
export function fileReportOf({ file, uri, analysis }: ReportInput): FileReport {
  const findings: ReportFinding[] = [];
  const other: number[] = [];
  const byRef = new Map<object, number[]>();
  for (const f of analysis.findings) {
    const index = findings.length;
    findings.push({ rule: f.rule, severity: f.severity, message: f.message, range: f.range, ...(f.endOfPatch ? { endOfPatch: f.endOfPatch } : {}) });
    if (!f.reference) {
      other.push(index);
      continue;
    }
    const list = byRef.get(f.reference) ?? [];
    list.push(index);
    byRef.set(f.reference, list);
  }
  const rows: FileReportRow[] = [];
  const lines = new Map<string, SupportLine>();
  for (const ref of analysis.scan.references) {
    const indices = byRef.get(ref) ?? [];
    const status = statusOf(indices.map((i) => findings[i].rule));
    let line: SupportLine | undefined;
    try {
      line = supportLineOf(ref, analysis.context);
    } catch {
      line = undefined; // a reference the catalog cannot place gets no bar
    }
    const endOfPatch = line?.endOfPatch ?? indices.map((i) => findings[i]).find((f) => f.endOfPatch)?.endOfPatch;
    rows.push({ range: ref.range, kind: ref.kind, subject: ref.subject, version: ref.version, text: ref.text, status, ...(endOfPatch ? { endOfPatch } : {}), ...(line ? { line: line.id } : {}), findings: indices });
    if (line && !lines.has(line.id)) lines.set(line.id, line);
  }
  return { file, uri, asOf: analysis.context.asOf, warningWindowDays: analysis.context.warningWindowDays, findings, rows, other, lines: [...lines.values()] };
}

/**
 * A file report packed to keep: its JSON, deflated (zlib raw deflate), as a one-byte string (each
 * character one byte of the deflated data). A single flat string holds nothing of the analysis (V8
 * cuts substrings such as reference texts, and messages built from them, as views into the file's
 * whole text, which stored objects would otherwise keep alive), and deflating takes the repeated
 * messages and keys of a file to a small part of their size. The deflate starts from a preset
 * dictionary of typical report parts ({@link PACK_DICTIONARY}), which halves the size of small
 * parts (a 10,000-file scan keeps thousands). {@link unpackFileReport} reads it back.
 */
export function packFileReport(report: FileReport): string {
  return deflateRawSync(JSON.stringify(report), { dictionary: packDictionary() }).toString('latin1');
}

let dictionary: Buffer | undefined;
/** {@link PACK_DICTIONARY} as bytes, made once. */
function packDictionary(): Buffer {
  return (dictionary ??= Buffer.from(PACK_DICTIONARY, 'latin1'));
}

/**
 * What the workspace scan keeps of an unopened file: its {@link FileReport} packed
 * ({@link packFileReport}), its findings counted by severity (for the summary) and the findings
 * themselves (for its diagnostics, published at once). Undefined for a file without references or
 * findings (nothing is kept).
 */
export interface ScannedPart {
  report: string;
  counts: Record<Severity, number>;
  findings: ReportFinding[];
}

/** The {@link ScannedPart} of a file's analysis; undefined when it has no references and no findings. */
export function scannedPartOf(input: ReportInput): ScannedPart | undefined {
  if (input.analysis.scan.references.length === 0 && input.analysis.findings.length === 0) return undefined;
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of input.analysis.findings) counts[f.severity]++;
  const report = fileReportOf(input);
  return { report: packFileReport(report), counts, findings: report.findings };
}

/** A file report from {@link packFileReport}: new objects, equal to the packed ones on the wire (`undefined` properties are dropped). */
export function unpackFileReport(packed: string): FileReport {
  return JSON.parse(inflateRawSync(Buffer.from(packed, 'latin1'), { dictionary: packDictionary() }).toString('utf8')) as FileReport;
}

/**
 * The merge step of {@link buildWorkspaceReport}: the report of files given as {@link FileReport}s
 * (in input order). `asOf` and the warning window are the first file's (the editor analyses every
 * file at the same day); with no files they come from `fallback`.
 */
export function mergeFileReports(
  files: readonly FileReport[],
  catalog: Catalog,
  fallback: { asOf: CalendarDay; warningWindowDays: number; catalogStale: boolean; scanned: boolean },
): WorkspaceReport {
  const rows: ReportRow[] = [];
  const fileFindings: WorkspaceReport['fileFindings'] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  const bars = new Map<string, TimelineBar>();
  const inputIndex = new Map<ReportRow, number>();
  for (const [index, fr] of files.entries()) {
    const { file, uri } = fr;
    for (const f of fr.findings) counts[f.severity]++;
    for (const i of fr.other) fileFindings.push({ file, uri, ...fr.findings[i] });
    for (const r of fr.rows) {
      const row: ReportRow = { file, uri, range: r.range, kind: r.kind, subject: r.subject, version: r.version, text: r.text, status: r.status, ...(r.endOfPatch ? { endOfPatch: r.endOfPatch } : {}), ...(r.line !== undefined ? { line: r.line } : {}), findings: r.findings.map((i) => fr.findings[i]) };
      rows.push(row);
      inputIndex.set(row, index);
      if (r.line !== undefined) {
        const bar = bars.get(r.line);
        if (!bar) bars.set(r.line, { ...fr.lines.find((l) => l.id === r.line)!, references: 1, status: r.status });
        else {
          bar.references++;
          if (RANK[r.status] < RANK[bar.status]) bar.status = r.status;
        }
      }
    }
  }
  // several inputs can share a file (the cells of an open notebook): they stay apart, in input order
  rows.sort((a, b) => RANK[a.status] - RANK[b.status] || (a.file < b.file ? -1 : a.file > b.file ? 1 : inputIndex.get(a)! - inputIndex.get(b)! || comparePosition(a.range, b.range)));
  const first = files[0];
  return {
    asOf: first?.asOf ?? fallback.asOf,
    warningWindowDays: first?.warningWindowDays ?? fallback.warningWindowDays,
    catalogGenerated: catalog.generated,
    catalogStale: fallback.catalogStale,
    files: new Set(files.map((i) => i.file)).size,
    rows,
    fileFindings,
    timeline: [...bars.values()].sort((a, b) => (a.endOfPatch ?? '9999') .localeCompare(b.endOfPatch ?? '9999') || a.label.localeCompare(b.label)),
    counts,
    scanned: fallback.scanned,
  };
}

/**
 * Builds the report from analysed files: {@link fileReportOf} of each, then
 * {@link mergeFileReports}. `asOf` and the warning window are the first file's (the editor
 * analyses every file at the same day); with no files they come from `fallback`.
 */
export function buildWorkspaceReport(
  inputs: readonly ReportInput[],
  catalog: Catalog,
  fallback: { asOf: CalendarDay; warningWindowDays: number; catalogStale: boolean; scanned: boolean },
): WorkspaceReport {
  return mergeFileReports(inputs.map(fileReportOf), catalog, fallback);
}

/** Escapes a Markdown table cell: backslashes, pipes and `<` (no HTML) escaped, line breaks as spaces. */
function mdCell(s: string): string {
  return s.replace(/[\\|<]/g, '\\$&').replace(/\r\n|\r|\n/g, ' ');
}

/** A Markdown table cell as a code span: backslashes are literal in code, so only pipes are escaped; backticks become `'`. */
function mdCode(s: string): string {
  return `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ')}\``;
}

/** The report as Markdown: a summary line, the timeline as a table, one table per status group and one of the findings not about a reference; locations are `file:line:column` (1-based). */
export function reportToMarkdown(report: WorkspaceReport): string {
  const out: string[] = ['# DL Lifecycle report', ''];
  out.push(`As of ${report.asOf} (warning window ${report.warningWindowDays} days), catalog dated ${report.catalogGenerated}${report.catalogStale ? ' (stale)' : ''}; ${report.files} file${report.files === 1 ? '' : 's'}, ${report.rows.length} reference${report.rows.length === 1 ? '' : 's'}.`, '');
  if (report.timeline.length) {
    out.push('## Support timeline', '', '| support line | released | end of patch | references | status |', '| --- | --- | --- | --- | --- |');
    for (const b of report.timeline) out.push(`| ${mdCell(b.label)} | ${b.released ?? ''} | ${b.endOfPatch ?? ''} | ${b.references} | ${b.status} |`);
    out.push('');
  }
  for (const status of REPORT_STATUSES) {
    const rows = report.rows.filter((r) => r.status === status);
    if (!rows.length) continue;
    out.push(`## ${STATUS_TITLES[status]} (${rows.length})`, '', '| location | reference | end of patch | findings |', '| --- | --- | --- | --- |');
    for (const r of rows) out.push(`| ${mdCell(`${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}`)} | ${mdCode(r.text)} | ${r.endOfPatch ?? ''} | ${mdCell(r.findings.map((f) => `${f.severity} ${f.rule}: ${f.message}`).join('; '))} |`);
    out.push('');
  }
  if (report.fileFindings.length) {
    out.push(`## Other findings (${report.fileFindings.length})`, '', '| location | finding |', '| --- | --- |');
    for (const f of report.fileFindings) out.push(`| ${mdCell(`${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`)} | ${mdCell(`${f.severity} ${f.rule}: ${f.message}`)} |`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * Quotes a CSV field (RFC 4180): fields with a comma, quote or line break are quoted, quotes
 * doubled. A field that starts with `=`, `+`, `-`, `@`, a tab or a CR, which a spreadsheet would
 * run as a formula, gets a leading `'` (the OWASP guard against CSV injection): reference texts and
 * file names come from the workspace.
 */
function csvField(s: string): string {
  const inert = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/** The report as CSV (RFC 4180, CRLF line ends): one record per reference; 1-based line and column. */
export function reportToCsv(report: WorkspaceReport): string {
  const header = ['status', 'file', 'line', 'column', 'kind', 'subject', 'version', 'reference', 'end_of_patch', 'rules', 'messages'];
  const lines = [header.join(',')];
  for (const r of report.rows) {
    lines.push(
      [r.status, r.file, String(r.range.start.line + 1), String(r.range.start.character + 1), r.kind, r.subject, r.version, r.text, r.endOfPatch ?? '', r.findings.map((f) => f.rule).join(' '), r.findings.map((f) => f.message).join(' | ')]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
