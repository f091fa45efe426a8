/**
 * The HTML of the workspace report view (a VS Code webview), as a pure function of a
 * {@link WorkspaceReport}: a header (as-of day, warning window, catalog date, counts, the export and
 * rescan buttons), the support timeline as an inline SVG (with the same data as a table for screen
 * readers) and one table per lifecycle status. No `vscode` import, so it runs under plain Node.
 *
 * Security: the document carries a strict Content-Security-Policy (no inline styles, scripts only
 * with the per-render nonce) and every text that comes from the report is HTML-escaped. Behaviour
 * (clicks, keys) lives in `media/report.js`, looks in `media/report.css`; both only use the data
 * attributes and classes written here.
 */
import type { CalendarDay } from '../../../server/src/dates';
import { addDays, daysBetween, toEpochDay } from '../../../server/src/dates';
import type { Range, Severity } from '../../../server/src/model';
import type { ReportFinding, ReportRow, ReportStatus, TimelineBar, WorkspaceReport } from '../../../server/src/report/workspaceReport';
import { REPORT_STATUSES, STATUS_TITLES } from '../../../server/src/report/workspaceReport';

/** What the webview host supplies for one render: a fresh nonce, the webview's CSP source and the webview URIs of `media/report.js` and `media/report.css`. */
export interface ReportHtmlOptions {
  /** Random value (base64/hex) allowing the one script tag; new for every render. */
  nonce: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** `webview.asWebviewUri(media/report.js)` as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(media/report.css)` as a string. */
  styleUri: string;
}

/** Escapes text for HTML element content and (double- or single-quoted) attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A finding message as HTML: escaped, with its Markdown code spans (`` `torch==1.13.1` ``, as the
 * rules write them for hovers) shown as `<code>`; any other Markdown is left as text. A lone
 * backtick stays a backtick.
 */
export function messageHtml(message: string): string {
  return message
    .split(/(`[^`\n]+`)/)
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('');
}

/** The Content-Security-Policy of the report: nothing by default; images, styles and fonts from the webview's own resources; scripts only with the nonce. */
export function reportCsp(opts: Pick<ReportHtmlOptions, 'nonce' | 'cspSource'>): string {
  return `default-src 'none'; img-src ${opts.cspSource} data:; style-src ${opts.cspSource}; script-src 'nonce-${opts.nonce}'; font-src ${opts.cspSource};`;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/** `1 error`, `2 warnings`, `3 information` (uncountable). */
export function countLabel(n: number, severity: Severity): string {
  return `${n} ${severity === 'information' || n === 1 ? severity : `${severity}s`}`;
}

// ---------------------------------------------------------------------------------------------
// Timeline geometry

/** Where one {@link TimelineBar} is drawn, in SVG user units (x to the right, y down). */
export interface TimelineBarGeometry {
  bar: TimelineBar;
  /** Left edge: the release day, or the plot's left edge when the release day is unknown. */
  x: number;
  /** At least {@link MIN_BAR_WIDTH}, so that a short line stays visible. */
  width: number;
  y: number;
  height: number;
  /** Baseline of the bar's label (left column, right-aligned at `labelX`). */
  labelY: number;
  /** No release day: the bar starts at the first day shown and continues beyond it. */
  openStart: boolean;
  /** No end-of-patch day: the bar runs to the last day shown. */
  openEnd: boolean;
}

/** The whole timeline drawing; every x is `plot.left + (day - start) * pxPerDay`. */
export interface TimelineGeometry {
  width: number;
  height: number;
  /** First day shown (1 January of the earliest year), UTC calendar day. */
  start: CalendarDay;
  /** Day after the last day shown (1 January after the latest year). */
  end: CalendarDay;
  /** Horizontal scale: SVG units per calendar day. */
  pxPerDay: number;
  /** The drawing area of the bars (the labels are left of `plot.left`). */
  plot: { left: number; right: number; top: number; bottom: number };
  /** Right edge of the label column (labels are right-aligned there). */
  labelX: number;
  /** x of the as-of day. */
  asOfX: number;
  /** The warning window, from the as-of day to as-of + warningWindowDays. */
  window: { x: number; width: number; end: CalendarDay };
  /** One tick per 1 January from `start` to `end`, inclusive. */
  ticks: Array<{ x: number; year: number }>;
  /** In the report's timeline order (end of patch, then label). */
  bars: TimelineBarGeometry[];
}

/** Layout constants of the timeline (SVG user units). */
export const TIMELINE_LAYOUT = { axisHeight: 30, rowHeight: 24, barHeight: 14, bottomMargin: 20, rightMargin: 16, maxLabelWidth: 240, labelGap: 8 } as const;
/** Narrowest bar drawn, so that a line released and ended within days is still visible. */
export const MIN_BAR_WIDTH = 2;

/**
 * Computes the timeline's geometry for a drawing `width` units wide: the days shown run from
 * 1 January of the earliest year among the bars' release and end-of-patch days, the as-of day and
 * the warning window's end, to 1 January after the latest of them; bars without a release day
 * start at the first day shown (`openStart`), bars without an end of patch run to the end
 * (`openEnd`). The warning window is shaded from as-of to as-of + `warningWindowDays`.
 * Pure; no clock.
 */
export function timelineGeometry(report: Pick<WorkspaceReport, 'asOf' | 'warningWindowDays' | 'timeline'>, width: number): TimelineGeometry {
  const L = TIMELINE_LAYOUT;
  const windowEnd = addDays(report.asOf, Math.max(0, report.warningWindowDays));
  const days: CalendarDay[] = [report.asOf, windowEnd];
  for (const b of report.timeline) {
    if (b.released) days.push(b.released);
    if (b.endOfPatch) days.push(b.endOfPatch);
  }
  days.sort();
  const firstYear = Number(days[0].slice(0, 4));
  const lastYear = Number(days[days.length - 1].slice(0, 4));
  const start = `${String(firstYear).padStart(4, '0')}-01-01`;
  const end = `${String(lastYear + 1).padStart(4, '0')}-01-01`;
  const labelX = Math.min(L.maxLabelWidth, Math.round(width * 0.3));
  const left = labelX + L.labelGap;
  const right = Math.max(left + 1, width - L.rightMargin);
  const top = L.axisHeight;
  const bottom = top + report.timeline.length * L.rowHeight;
  const startDay = toEpochDay(start);
  const pxPerDay = (right - left) / (toEpochDay(end) - startDay);
  const x = (day: CalendarDay): number => left + (toEpochDay(day) - startDay) * pxPerDay;
  const bars = report.timeline.map((bar, i): TimelineBarGeometry => {
    const x0 = bar.released ? x(bar.released) : left;
    const x1 = bar.endOfPatch ? x(bar.endOfPatch) : right;
    const y = top + i * L.rowHeight + (L.rowHeight - L.barHeight) / 2;
    return { bar, x: x0, width: Math.max(MIN_BAR_WIDTH, x1 - x0), y, height: L.barHeight, labelY: y + L.barHeight - 3, openStart: !bar.released, openEnd: !bar.endOfPatch };
  });
  const ticks: TimelineGeometry['ticks'] = [];
  for (let year = firstYear; year <= lastYear + 1; year++) ticks.push({ x: x(`${String(year).padStart(4, '0')}-01-01`), year });
  const asOfX = x(report.asOf);
  return {
    width,
    height: bottom + L.bottomMargin,
    start,
    end,
    pxPerDay,
    plot: { left, right, top, bottom },
    labelX,
    asOfX,
    window: { x: asOfX, width: x(windowEnd) - asOfX, end: windowEnd },
    ticks,
    bars,
  };
}

/** Rounds an SVG coordinate to 0.1 unit. */
function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** Shortens a label for the label column (the full label is in the bar's title and the table). */
function shortLabel(label: string, max = 34): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** `ended`, `ending` … as words for titles and the table. */
const STATUS_WORDS: Readonly<Record<ReportStatus, string>> = { ended: 'ended', ending: 'ending soon', superseded: 'superseded', unknown: 'not judged', fine: 'supported' };

function barTitle(b: TimelineBar): string {
  const refs = `${b.references} reference${b.references === 1 ? '' : 's'}`;
  return `${b.label}: released ${b.released ?? 'unknown'}, end of patch ${b.endOfPatch ?? 'unknown'} (${STATUS_WORDS[b.status]}, ${refs})`;
}

/** The timeline as an inline SVG plus a visually hidden table with the same data. */
function renderTimeline(report: WorkspaceReport): string {
  if (!report.timeline.length) return '<p class="note">No framework version or image line in use has known support dates.</p>';
  const g = timelineGeometry(report, 900);
  const out: string[] = [];
  const summary = `Support timeline of ${report.timeline.length} framework version${report.timeline.length === 1 ? '' : 's'} and image lines from ${g.start.slice(0, 4)} to ${Number(g.end.slice(0, 4)) - 1}; as of ${report.asOf}, warning window ${report.warningWindowDays} days. The table below lists the same data.`;
  out.push(`<svg class="timeline" viewBox="0 0 ${g.width} ${n(g.height)}" role="img" aria-label="${escapeHtml(summary)}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`);
  out.push(`<title>${escapeHtml(summary)}</title>`);
  out.push(`<rect class="window" x="${n(g.window.x)}" y="${n(g.plot.top - 4)}" width="${n(g.window.width)}" height="${n(g.plot.bottom - g.plot.top + 4)}"><title>Warning window: ${escapeHtml(report.asOf)} to ${escapeHtml(g.window.end)} (${escapeHtml(report.warningWindowDays)} days)</title></rect>`);
  for (const t of g.ticks) {
    out.push(`<line class="tick" x1="${n(t.x)}" y1="${n(g.plot.top - 10)}" x2="${n(t.x)}" y2="${n(g.plot.bottom)}"/>`);
    if (t.x < g.plot.right - 20) out.push(`<text class="tick-label" x="${n(t.x + 3)}" y="${n(g.plot.top - 12)}">${t.year}</text>`);
  }
  for (const b of g.bars) {
    const cls = `bar status-${b.bar.status}${b.openStart ? ' open-start' : ''}${b.openEnd ? ' open-end' : ''}`;
    out.push(`<g class="${cls}"><title>${escapeHtml(barTitle(b.bar))}</title>`);
    out.push(`<text class="bar-label" x="${n(g.labelX)}" y="${n(b.labelY)}" text-anchor="end">${escapeHtml(shortLabel(b.bar.label))}</text>`);
    out.push(`<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="2"/>`);
    // an open start is drawn as a chevron at the left edge: the line began before the first day shown, or its release day is unknown
    if (b.openStart) out.push(`<path class="open-marker" d="M${n(b.x + 8)} ${n(b.y + 2)} L${n(b.x + 3)} ${n(b.y + b.height / 2)} L${n(b.x + 8)} ${n(b.y + b.height - 2)}"/>`);
    if (b.openEnd) out.push(`<path class="open-marker" d="M${n(b.x + b.width - 8)} ${n(b.y + 2)} L${n(b.x + b.width - 3)} ${n(b.y + b.height / 2)} L${n(b.x + b.width - 8)} ${n(b.y + b.height - 2)}"/>`);
    out.push('</g>');
  }
  out.push(`<line class="asof" x1="${n(g.asOfX)}" y1="${n(g.plot.top - 6)}" x2="${n(g.asOfX)}" y2="${n(g.plot.bottom + 3)}"><title>As of ${escapeHtml(report.asOf)}</title></line>`);
  // the as-of label goes under the plot, away from the year labels
  const anchor = g.asOfX > g.plot.right - 80 ? 'end' : 'start';
  out.push(`<text class="asof-label" x="${n(anchor === 'end' ? g.asOfX - 3 : g.asOfX + 3)}" y="${n(g.plot.bottom + 14)}" text-anchor="${anchor}">as of ${escapeHtml(report.asOf)}</text>`);
  out.push('</svg>');
  out.push('<ul class="legend" aria-hidden="true">');
  for (const s of REPORT_STATUSES) if (report.timeline.some((b) => b.status === s)) out.push(`<li><span class="swatch status-${s}"></span>${escapeHtml(STATUS_WORDS[s])}</li>`);
  out.push(`<li><span class="swatch window"></span>warning window (${escapeHtml(report.warningWindowDays)} days)</li></ul>`);
  out.push('<table class="sr-only"><caption>Support timeline</caption><thead><tr><th scope="col">Support line</th><th scope="col">Released</th><th scope="col">End of patch</th><th scope="col">References</th><th scope="col">Status</th></tr></thead><tbody>');
  for (const b of report.timeline) {
    out.push(`<tr><th scope="row">${escapeHtml(b.label)}</th><td>${escapeHtml(b.released ?? 'unknown')}</td><td>${escapeHtml(b.endOfPatch ?? 'unknown')}</td><td>${escapeHtml(b.references)}</td><td>${escapeHtml(STATUS_WORDS[b.status])}</td></tr>`);
  }
  out.push('</tbody></table>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Rows

/** `file:line:column`, 1-based, as editors and the CLI print locations. */
export function locationLabel(file: string, range: Range): string {
  return `${file}:${range.start.line + 1}:${range.start.character + 1}`;
}

/** The button that opens `uri` at the range's start (0-based LSP line and UTF-16 character in the data attributes). */
function locationButton(file: string, uri: string, range: Range): string {
  const label = locationLabel(file, range);
  return `<button type="button" class="loc" data-uri="${escapeHtml(uri)}" data-line="${range.start.line}" data-character="${range.start.character}" title="Open ${escapeHtml(label)}">${escapeHtml(label)}</button>`;
}

/** The end-of-patch cell: the day and how far it is from the as-of day. */
function endOfPatchCell(asOf: CalendarDay, day: CalendarDay | undefined): string {
  if (!day) return '<span class="muted">unknown</span>';
  const d = daysBetween(asOf, day);
  const rel = d < 0 ? `${-d} day${d === -1 ? '' : 's'} ago` : d === 0 ? 'today' : `in ${d} day${d === 1 ? '' : 's'}`;
  return `<time datetime="${escapeHtml(day)}">${escapeHtml(day)}</time> <span class="muted">(${rel})</span>`;
}

function findingsList(findings: readonly ReportFinding[]): string {
  if (!findings.length) return '<span class="muted">none</span>';
  const items = findings.map((f) => `<li><span class="sev sev-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</span> <code class="rule">${escapeHtml(f.rule)}</code> ${messageHtml(f.message)}</li>`);
  return `<ul class="findings">${items.join('')}</ul>`;
}

function rowHtml(asOf: CalendarDay, r: ReportRow): string {
  return `<tr class="row status-${r.status}"><td>${locationButton(r.file, r.uri, r.range)}</td><td><code class="ref">${escapeHtml(r.text)}</code></td><td>${endOfPatchCell(asOf, r.endOfPatch)}</td><td>${findingsList(r.findings)}</td></tr>`;
}

function groupHtml(report: WorkspaceReport, status: ReportStatus, rows: readonly ReportRow[]): string {
  const id = `group-${status}`;
  return [
    `<section class="group status-${status}" aria-labelledby="${id}">`,
    `<h2 id="${id}"><span class="swatch status-${status}" aria-hidden="true"></span>${escapeHtml(STATUS_TITLES[status])} <span class="count">(${rows.length})</span></h2>`,
    '<table class="rows"><thead><tr><th scope="col">Location</th><th scope="col">Reference</th><th scope="col">End of patch</th><th scope="col">Findings</th></tr></thead><tbody>',
    ...rows.map((r) => rowHtml(report.asOf, r)),
    '</tbody></table></section>',
  ].join('\n');
}

function fileFindingsHtml(report: WorkspaceReport): string {
  if (!report.fileFindings.length) return '';
  const rows = report.fileFindings.map((f) => `<tr><td>${locationButton(f.file, f.uri, f.range)}</td><td>${findingsList([f])}</td></tr>`);
  return [
    '<section class="group" aria-labelledby="group-other">',
    `<h2 id="group-other">Other findings <span class="count">(${report.fileFindings.length})</span></h2>`,
    '<table class="rows"><thead><tr><th scope="col">Location</th><th scope="col">Finding</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></section>',
  ].join('\n');
}

function headerHtml(report: WorkspaceReport): string {
  const total = SEVERITIES.reduce((s, k) => s + report.counts[k], 0);
  const counts = total ? SEVERITIES.filter((k) => report.counts[k] > 0).map((k) => `<span class="sev sev-${k}">${escapeHtml(countLabel(report.counts[k], k))}</span>`).join(' ') : 'none';
  const windowEnd = addDays(report.asOf, Math.max(0, report.warningWindowDays));
  const scope = report.scanned ? 'whole workspace scanned' : 'open files only';
  return [
    '<header>',
    '<h1>DL Lifecycle report</h1>',
    '<dl class="facts">',
    `<div><dt>As of</dt><dd><time datetime="${escapeHtml(report.asOf)}">${escapeHtml(report.asOf)}</time></dd></div>`,
    `<div><dt>Warning window</dt><dd>${escapeHtml(report.warningWindowDays)} days (until ${escapeHtml(windowEnd)})</dd></div>`,
    `<div><dt>Catalog</dt><dd>dated ${escapeHtml(report.catalogGenerated)}${report.catalogStale ? ' <span class="badge stale" title="Run DL Lifecycle: Refresh Catalog">stale</span>' : ''}</dd></div>`,
    `<div><dt>Files</dt><dd>${escapeHtml(report.files)} (${scope})</dd></div>`,
    `<div><dt>References</dt><dd>${escapeHtml(report.rows.length)}</dd></div>`,
    `<div><dt>Findings</dt><dd>${counts}</dd></div>`,
    '</dl>',
    '<div class="actions">',
    `<button type="button" class="primary" data-action="rescan">${report.scanned ? 'Scan workspace again' : 'Scan workspace'}</button>`,
    '<button type="button" class="secondary" data-action="export" data-format="markdown">Export Markdown</button>',
    '<button type="button" class="secondary" data-action="export" data-format="csv">Export CSV</button>',
    '<span class="status" role="status" aria-live="polite"></span>',
    '</div>',
    '</header>',
  ].join('\n');
}

/** The document frame: CSP meta, stylesheet, `body`, the nonce'd script. */
function documentHtml(title: string, body: string, opts: ReportHtmlOptions): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(reportCsp(opts))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<link rel="stylesheet" href="${escapeHtml(opts.styleUri)}">`,
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body>',
    '<main>',
    body,
    '</main>',
    `<script nonce="${escapeHtml(opts.nonce)}" src="${escapeHtml(opts.scriptUri)}"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The report as a complete HTML document for the webview. Rows are grouped by
 * {@link REPORT_STATUSES} (worst first) under their {@link STATUS_TITLES}; empty groups are left
 * out; with no references an empty state says so. Every location is a `<button class="loc">` with
 * `data-uri`, `data-line` and `data-character` (0-based LSP position of the reference's start).
 */
export function renderReportHtml(report: WorkspaceReport, opts: ReportHtmlOptions): string {
  const parts: string[] = [headerHtml(report)];
  if (!report.rows.length) {
    parts.push('<section class="empty" aria-labelledby="empty-title">', '<h2 id="empty-title">No references found</h2>');
    parts.push(`<p>No deep-learning framework version, container image, DLAMI or Neuron package was found in the ${escapeHtml(report.files)} file${report.files === 1 ? '' : 's'} analysed.</p>`);
    if (!report.scanned) parts.push('<p>Only open files were analysed. Scan the workspace to include files that are not open.</p>');
    parts.push('</section>');
  } else {
    parts.push('<section class="timeline-section" aria-labelledby="timeline-heading">', '<h2 id="timeline-heading">Support timeline</h2>', renderTimeline(report), '</section>');
    for (const status of REPORT_STATUSES) {
      const rows = report.rows.filter((r) => r.status === status);
      if (rows.length) parts.push(groupHtml(report, status, rows));
    }
  }
  parts.push(fileFindingsHtml(report));
  return documentHtml('DL Lifecycle Report', parts.join('\n'), opts);
}

/**
 * A document with a heading and one message (loading, or why there is no report), with the same
 * CSP, stylesheet and script as the report. `retry` adds a "Try again" button (`data-action="refresh"`).
 */
export function renderMessageHtml(title: string, message: string, opts: ReportHtmlOptions & { retry?: boolean }): string {
  const body = [`<section class="message" aria-labelledby="message-title"><h1 id="message-title">${escapeHtml(title)}</h1>`, `<p>${escapeHtml(message)}</p>`];
  if (opts.retry) body.push('<div class="actions"><button type="button" class="primary" data-action="refresh">Try again</button></div>');
  body.push('</section>');
  return documentHtml('DL Lifecycle Report', body.join('\n'), opts);
}
