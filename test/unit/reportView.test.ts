import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { EXPORTS, parseReportMessage, reportUris } from '../../client/src/report/messages';
import type { ReportHtmlOptions } from '../../client/src/report/reportHtml';
import { escapeHtml, messageHtml, renderMessageHtml, renderReportHtml, timelineGeometry, TIMELINE_LAYOUT } from '../../client/src/report/reportHtml';
import { toEpochDay } from '../../server/src/dates';
import type { Range } from '../../server/src/model';
import type { ReportRow, ReportStatus, TimelineBar, WorkspaceReport } from '../../server/src/report/workspaceReport';
import { REPORT_STATUSES, STATUS_TITLES } from '../../server/src/report/workspaceReport';

const OPTS: ReportHtmlOptions = { nonce: 'bm9uY2UxMjM0NTY3ODkw', cspSource: 'https://file+.vscode-resource.example', scriptUri: 'https://file+.vscode-resource.example/ext/media/report.js', styleUri: 'https://file+.vscode-resource.example/ext/media/report.css' };
const HOSTILE = '<img src=x onerror=alert(1)>';
const AS_OF = '2026-11-21';

const range = (line: number, character: number, length = 10): Range => ({ start: { line, character }, end: { line, character: character + length } });
function row(status: ReportStatus, text: string, line: number, extra: Partial<ReportRow> = {}): ReportRow {
  return { file: 'requirements.txt', uri: 'file:///w/requirements.txt', range: range(line, 2), kind: 'framework-package-pin', subject: 'pytorch', version: '1.0', text, status, findings: [], ...extra };
}
const bar = (id: string, status: ReportStatus, released: string | undefined, endOfPatch: string | undefined, references = 1): TimelineBar => ({ id, label: id, ...(released ? { released } : {}), ...(endOfPatch ? { endOfPatch } : {}), references, status });

const TIMELINE: TimelineBar[] = [
  bar('PyTorch 1.13', 'ended', '2022-10-28', '2024-10-28'),
  bar('Old line', 'ended', undefined, '2025-06-01'),
  bar('PyTorch 2.10', 'ending', '2026-01-21', '2027-01-21', 2),
  bar('PyTorch 2.13', 'fine', '2026-07-20', '2027-07-20'),
];

/** Rows given out of status order on purpose: the view groups them. */
const REPORT: WorkspaceReport = {
  asOf: AS_OF,
  warningWindowDays: 90,
  catalogGenerated: '2026-08-01',
  catalogStale: true,
  files: 3,
  rows: [
    row('fine', 'torch==2.13.0', 6, { endOfPatch: '2027-07-20' }),
    row('unknown', HOSTILE, 3, { file: `dir/${HOSTILE}.txt`, uri: 'file:///w/x"onmouseover="alert(1)', findings: [{ rule: 'unknown-version', severity: 'hint', message: `not known: ${HOSTILE}`, range: range(3, 2) }] }),
    row('ended', 'torch==1.13.1', 0, { endOfPatch: '2024-10-28', findings: [{ rule: 'end-of-patch', severity: 'warning', message: 'PyTorch 1.13 reached end of patch', range: range(0, 2) }] }),
    row('ending', 'torch==2.10.0', 4, { endOfPatch: '2027-01-21', findings: [{ rule: 'end-of-patch-soon', severity: 'information', message: 'ends soon', range: range(4, 2) }] }),
    row('ended', 'tensorflow==2.16.1', 1, { file: 'b/requirements.txt', uri: 'file:///w/b/requirements.txt', endOfPatch: '2025-03-07' }),
  ],
  fileFindings: [{ file: 'requirements.txt', uri: 'file:///w/requirements.txt', rule: 'unused-suppression', severity: 'hint', message: 'suppresses nothing', range: range(8, 0) }],
  timeline: TIMELINE,
  counts: { error: 0, warning: 1, information: 1, hint: 2 },
  scanned: true,
};

const html = renderReportHtml(REPORT, OPTS);
const tags = (name: string, text = html): string[] => text.match(new RegExp(`<${name}\\b[^>]*>`, 'g')) ?? [];
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('report view: security', () => {
  it('the document has a strict Content-Security-Policy meta as the first thing in <head>', () => {
    const metas = tags('meta').filter((m) => /http-equiv="Content-Security-Policy"/.test(m));
    assert.equal(metas.length, 1);
    const csp = unescape(attr(metas[0], 'content')!);
    assert.equal(csp, `default-src 'none'; img-src ${OPTS.cspSource} data:; style-src ${OPTS.cspSource}; script-src 'nonce-${OPTS.nonce}'; font-src ${OPTS.cspSource};`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.ok(html.indexOf(metas[0]) < html.indexOf('<link'), 'CSP before any resource');
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  });

  it('the only script is the nonce\'d media script, with no inline code; the only style is the stylesheet', () => {
    const scripts = tags('script');
    assert.equal(scripts.length, 1);
    assert.equal(attr(scripts[0], 'nonce'), OPTS.nonce);
    assert.equal(attr(scripts[0], 'src'), OPTS.scriptUri);
    assert.match(html, /<script [^>]*><\/script>/, 'no inline script body');
    assert.deepEqual(tags('link').map((l) => attr(l, 'href')), [OPTS.styleUri]);
    assert.equal(tags('style').length, 0);
  });

  it('no style attributes, no inline event handlers, no javascript: URLs', () => {
    for (const doc of [html, renderMessageHtml('t', 'm', { ...OPTS, retry: true })]) {
      assert.doesNotMatch(doc, /\sstyle=/i);
      // attribute names of every tag, with the quoted values taken out (a value may quote hostile text)
      for (const tag of doc.match(/<[a-z][^>]*>/gi) ?? []) assert.doesNotMatch(tag.replace(/"[^"]*"/g, '""'), /\son[a-z]+=|\sstyle=/i, tag);
      assert.doesNotMatch(doc, /javascript:/i);
    }
  });

  it('hostile reference text, file, message and URI come out inert (escaped)', () => {
    assert.ok(!html.includes(HOSTILE), 'raw markup from the report');
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes(`<code class="ref">${escapeHtml(HOSTILE)}</code>`));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes(`not known: ${escapeHtml(HOSTILE)}`));
    // the attribute value cannot be closed by the URI: it stays one data-uri value
    const button = tags('button').find((b) => (attr(b, 'data-uri') ?? '').includes('onmouseover'));
    assert.ok(button);
    assert.equal(unescape(attr(button, 'data-uri')!), 'file:///w/x"onmouseover="alert(1)');
    assert.equal(attr(button, 'onmouseover'), undefined);
    assert.equal(escapeHtml(`a&b<c>"d'`), 'a&amp;b&lt;c&gt;&quot;d&#39;');
  });

  it('code spans of finding messages are shown as code, escaped; other backticks stay text', () => {
    assert.equal(messageHtml('Pin `torch==1.13.1` to `2.5.*`.'), 'Pin <code>torch==1.13.1</code> to <code>2.5.*</code>.');
    assert.equal(messageHtml('`<img src=x onerror=alert(1)>` & `a'), '<code>&lt;img src=x onerror=alert(1)&gt;</code> &amp; `a');
    assert.equal(messageHtml('no code `` here'), 'no code `` here');
    fc.assert(
      fc.property(fc.string(), (m) => {
        const out = messageHtml(m);
        // nothing but <code> tags is produced, and the text without them is the escaped message without its span backticks
        assert.equal(out.replace(/<\/?code>/g, '').includes('<'), false);
        assert.equal(out.replace(/<\/?code>/g, ''), escapeHtml(m.replace(/`([^`\n]+)`/g, '$1')));
      }),
    );
  });

  it('hostile timeline labels and option values are escaped too', () => {
    const doc = renderReportHtml({ ...REPORT, timeline: [bar(HOSTILE, 'ended', '2024-01-01', '2025-01-01')] }, { ...OPTS, nonce: 'a"b', scriptUri: 'x"><script>alert(1)</script>' });
    assert.ok(!doc.includes('<img'));
    assert.equal(tags('script', doc).length, 1);
    assert.equal(unescape(attr(tags('script', doc)[0], 'nonce')!), 'a"b');
  });
});

describe('report view: content', () => {
  it('header: as-of day, window, catalog date marked stale, counts, and the three buttons', () => {
    assert.match(html, new RegExp(`<dt>As of</dt><dd><time datetime="${AS_OF}">${AS_OF}</time>`));
    assert.match(html, /<dt>Warning window<\/dt><dd>90 days \(until 2027-02-19\)/);
    assert.match(html, /<dt>Catalog<\/dt><dd>dated 2026-08-01 <span class="badge stale"[^>]*>stale<\/span>/);
    assert.match(html, /<dt>Files<\/dt><dd>3 \(whole workspace scanned\)/);
    assert.match(html, /<dt>References<\/dt><dd>5</);
    assert.match(html, />1 warning<\/span> <span class="sev sev-information">1 information<\/span> <span class="sev sev-hint">2 hints</);
    const buttons = tags('button').filter((b) => attr(b, 'data-action'));
    assert.deepEqual(buttons.map((b) => [attr(b, 'data-action'), attr(b, 'data-format')]), [['rescan', undefined], ['export', 'markdown'], ['export', 'csv']]);
    assert.match(html, />Scan workspace again<\/button>/);
    assert.match(html, />Export Markdown<\/button>/);
    assert.match(html, />Export CSV<\/button>/);
    const fresh = renderReportHtml({ ...REPORT, catalogStale: false, scanned: false }, OPTS);
    assert.doesNotMatch(fresh, /stale/);
    assert.match(fresh, /open files only/);
  });

  it('rows are grouped in REPORT_STATUSES order under STATUS_TITLES with counts; empty groups are left out', () => {
    const present = REPORT_STATUSES.filter((s) => REPORT.rows.some((r) => r.status === s));
    assert.deepEqual(present, ['ended', 'ending', 'unknown', 'fine'], 'the fixture leaves superseded empty');
    const at = present.map((s) => html.indexOf(`id="group-${s}"`));
    assert.ok(at.every((i) => i > 0));
    assert.deepEqual(at, [...at].sort((a, b) => a - b), 'groups in status order');
    assert.ok(!html.includes('id="group-superseded"'));
    assert.ok(!html.includes(escapeHtml(STATUS_TITLES.superseded)));
    for (const s of present) assert.ok(html.includes(`${escapeHtml(STATUS_TITLES[s])} <span class="count">(${REPORT.rows.filter((r) => r.status === s).length})</span>`), s);
    // within the ended group, both ended rows, before the ending group starts
    const ended = html.slice(html.indexOf('id="group-ended"'), html.indexOf('id="group-ending"'));
    assert.ok(ended.includes('torch==1.13.1') && ended.includes('tensorflow==2.16.1'));
  });

  it('each row and file finding has a keyboard-reachable location button with data-uri, data-line and data-character', () => {
    const locs = tags('button').filter((b) => /class="loc"/.test(b));
    assert.equal(locs.length, REPORT.rows.length + REPORT.fileFindings.length);
    for (const b of locs) {
      assert.match(b, /^<button type="button"/, 'a real button: focusable, Enter activates it');
      assert.ok(attr(b, 'data-uri'));
      assert.match(attr(b, 'data-line')!, /^\d+$/);
      assert.match(attr(b, 'data-character')!, /^\d+$/);
    }
    const tf = locs.find((b) => attr(b, 'data-uri') === 'file:///w/b/requirements.txt')!;
    assert.deepEqual([attr(tf, 'data-line'), attr(tf, 'data-character')], ['1', '2']);
    assert.match(html, /data-uri="file:\/\/\/w\/b\/requirements.txt" data-line="1" data-character="2" title="Open b\/requirements.txt:2:3">b\/requirements.txt:2:3<\/button>/);
  });

  it('rows show the end of patch relative to as-of and each finding with severity, rule and message', () => {
    assert.match(html, /<time datetime="2024-10-28">2024-10-28<\/time> <span class="muted">\(754 days ago\)<\/span>/);
    assert.match(html, /<time datetime="2027-01-21">2027-01-21<\/time> <span class="muted">\(in 61 days\)<\/span>/);
    assert.match(html, /<li><span class="sev sev-warning">warning<\/span> <code class="rule">end-of-patch<\/code> PyTorch 1.13 reached end of patch<\/li>/);
    assert.match(html, /id="group-other">Other findings <span class="count">\(1\)<\/span>/);
  });

  it('the timeline: one bar per TimelineBar, the as-of line, the shaded window, year ticks, and an accessible table', () => {
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    assert.match(tags('svg')[0], /role="img"/);
    assert.match(attr(tags('svg')[0], 'aria-label')!, /Support timeline of 4 framework versions/);
    const bars = svg.match(/<g class="bar [^"]*">/g) ?? [];
    assert.equal(bars.length, TIMELINE.length);
    assert.deepEqual(bars.map((g) => /status-(\w+)/.exec(g)![1]), TIMELINE.map((b) => b.status));
    assert.equal(bars.filter((g) => g.includes('open-start')).length, 1, 'the bar without a release day is open');
    for (const b of TIMELINE) assert.ok(svg.includes(`<title>${escapeHtml(b.label)}: released ${b.released ?? 'unknown'}, end of patch ${b.endOfPatch}`), b.label);
    assert.equal((svg.match(/<line class="asof"/g) ?? []).length, 1);
    assert.equal((svg.match(/<rect class="window"/g) ?? []).length, 1);
    assert.ok(svg.includes(`as of ${AS_OF}`));
    const years = [...svg.matchAll(/<text class="tick-label"[^>]*>(\d{4})<\/text>/g)].map((m) => Number(m[1]));
    assert.deepEqual(years, [2022, 2023, 2024, 2025, 2026, 2027]);
    const table = html.slice(html.indexOf('<table class="sr-only">'), html.indexOf('</table>', html.indexOf('<table class="sr-only">')));
    assert.equal((table.match(/<tr><th scope="row">/g) ?? []).length, TIMELINE.length);
    assert.ok(table.includes('<th scope="row">Old line</th><td>unknown</td><td>2025-06-01</td><td>1</td><td>ended</td>'));
    assert.ok(table.includes('<th scope="row">PyTorch 2.10</th><td>2026-01-21</td><td>2027-01-21</td><td>2</td><td>ending soon</td>'));
  });

  it('empty state without references: no timeline, no groups, a message, and the buttons still there', () => {
    const empty = renderReportHtml({ ...REPORT, rows: [], timeline: [], fileFindings: [], files: 2, scanned: false }, OPTS);
    assert.match(empty, /<h2 id="empty-title">No references found<\/h2>/);
    assert.match(empty, /in the 2 files analysed/);
    assert.match(empty, /Only open files were analysed/);
    assert.doesNotMatch(empty, /<svg|id="group-|class="loc"/);
    assert.match(empty, />Scan workspace<\/button>/);
    assert.equal(tags('button', empty).filter((b) => attr(b, 'data-action') === 'export').length, 2);
  });

  it('a message document (loading, failure) escapes its text and offers a retry button only when asked', () => {
    const doc = renderMessageHtml('Failed', `boom ${HOSTILE}`, { ...OPTS, retry: true });
    assert.ok(!doc.includes('<img'));
    assert.match(doc, /<button type="button" class="primary" data-action="refresh">Try again<\/button>/);
    assert.doesNotMatch(renderMessageHtml('Loading', '…', OPTS), /data-action/);
    assert.match(doc, /Content-Security-Policy/);
  });
});

describe('report view: timelineGeometry', () => {
  const width = 900;
  const g = timelineGeometry(REPORT, width);
  const x = (day: string) => g.plot.left + (toEpochDay(day) - toEpochDay(g.start)) * g.pxPerDay;

  it('the days shown run from 1 January of the earliest year to 1 January after the latest', () => {
    assert.equal(g.start, '2022-01-01');
    assert.equal(g.end, '2028-01-01');
    assert.ok(Math.abs(g.pxPerDay * (toEpochDay(g.end) - toEpochDay(g.start)) - (g.plot.right - g.plot.left)) < 1e-9, 'the days fill the plot');
    assert.ok(g.plot.left > 0 && g.plot.right <= width && g.plot.left < g.plot.right);
    assert.deepEqual(g.ticks.map((t) => t.year), [2022, 2023, 2024, 2025, 2026, 2027, 2028]);
    assert.equal(g.ticks[0].x, g.plot.left);
    assert.ok(Math.abs(g.ticks.at(-1)!.x - g.plot.right) < 1e-9);
    for (let i = 1; i < g.ticks.length; i++) assert.ok(g.ticks[i].x > g.ticks[i - 1].x);
  });

  it('bars run from release to end of patch; the as-of line is after ended bars and inside running ones', () => {
    const [ended, open, ending, fine] = g.bars;
    assert.deepEqual(g.bars.map((b) => b.bar.label), TIMELINE.map((b) => b.label));
    assert.ok(Math.abs(ended.x - x('2022-10-28')) < 1e-9);
    assert.ok(Math.abs(ended.x + ended.width - x('2024-10-28')) < 1e-9);
    assert.ok(ended.x + ended.width < g.asOfX, 'ended before as-of');
    assert.ok(ending.x < g.asOfX && g.asOfX < ending.x + ending.width, 'as-of inside a running bar');
    assert.ok(fine.x < g.asOfX && g.asOfX < fine.x + fine.width);
    assert.ok(Math.abs(g.asOfX - x(AS_OF)) < 1e-9);
    // the end of the ending bar is inside the warning window, the fine bar's after it
    assert.ok(ending.x + ending.width > g.window.x && ending.x + ending.width < g.window.x + g.window.width);
    assert.ok(fine.x + fine.width > g.window.x + g.window.width);
    assert.equal(open.openStart, true);
    assert.equal(open.x, g.plot.left, 'a bar without a release day starts at the first day shown');
    assert.ok(Math.abs(open.x + open.width - x('2025-06-01')) < 1e-9);
    assert.ok(g.bars.every((b) => !b.openEnd));
  });

  it('the window starts at as-of and its width is proportional to warningWindowDays', () => {
    assert.equal(g.window.x, g.asOfX);
    assert.equal(g.window.end, '2027-02-19');
    assert.ok(Math.abs(g.window.width - 90 * g.pxPerDay) < 1e-9);
    const g180 = timelineGeometry({ ...REPORT, warningWindowDays: 180 }, width);
    assert.equal(g180.start, g.start, 'same days shown');
    assert.ok(Math.abs(g180.window.width - 2 * g.window.width) < 1e-9);
    assert.equal(timelineGeometry({ ...REPORT, warningWindowDays: 0 }, width).window.width, 0);
  });

  it('rows stack downwards, one per bar, under the axis; the height covers them', () => {
    for (let i = 0; i < g.bars.length; i++) {
      assert.equal(g.bars[i].y, TIMELINE_LAYOUT.axisHeight + i * TIMELINE_LAYOUT.rowHeight + (TIMELINE_LAYOUT.rowHeight - TIMELINE_LAYOUT.barHeight) / 2);
      assert.equal(g.bars[i].height, TIMELINE_LAYOUT.barHeight);
    }
    assert.equal(g.plot.bottom, TIMELINE_LAYOUT.axisHeight + g.bars.length * TIMELINE_LAYOUT.rowHeight);
    assert.ok(g.height > g.bars.at(-1)!.y + g.bars.at(-1)!.height);
  });

  it('a window or as-of later than every bar widens the days shown; a bar without end of patch runs to the end; tiny bars stay visible', () => {
    const late = timelineGeometry({ asOf: '2030-12-01', warningWindowDays: 90, timeline: [bar('a', 'ended', '2024-01-01', undefined), bar('b', 'ended', '2025-03-01', '2025-03-02')] }, 600);
    assert.equal(late.end, '2032-01-01', 'the window ends in 2031');
    assert.equal(late.bars[0].openEnd, true);
    assert.ok(Math.abs(late.bars[0].x + late.bars[0].width - late.plot.right) < 1e-9);
    assert.ok(late.bars[1].width >= 2);
    assert.equal(late.width, 600);
    const none = timelineGeometry({ asOf: AS_OF, warningWindowDays: 90, timeline: [] }, 400);
    assert.deepEqual([none.start, none.end, none.bars.length], ['2026-01-01', '2028-01-01', 0]);
  });
});

describe('report view: webview messages', () => {
  it('accepts the messages media/report.js sends and nothing else', () => {
    assert.deepEqual(parseReportMessage({ type: 'open', uri: 'file:///w/a', line: 3, character: 0 }), { type: 'open', uri: 'file:///w/a', line: 3, character: 0 });
    assert.deepEqual(parseReportMessage({ type: 'export', format: 'csv' }), { type: 'export', format: 'csv' });
    assert.deepEqual(parseReportMessage({ type: 'export', format: 'markdown' }), { type: 'export', format: 'markdown' });
    assert.deepEqual(parseReportMessage({ type: 'rescan', extra: 1 }), { type: 'rescan' });
    assert.deepEqual(parseReportMessage({ type: 'refresh' }), { type: 'refresh' });
    for (const bad of [null, 'open', {}, { type: 'open', uri: 'u', line: -1, character: 0 }, { type: 'open', uri: 'u', line: 1.5, character: 0 }, { type: 'open', uri: '', line: 0, character: 0 }, { type: 'open', uri: 'u', line: '1', character: 0 }, { type: 'export', format: 'html' }, { type: 'eval' }]) {
      assert.equal(parseReportMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('exports: default file names, filters and the renderers; the report\'s URIs', () => {
    assert.equal(EXPORTS.markdown.fileName, 'dl-lifecycle-report.md');
    assert.equal(EXPORTS.csv.fileName, 'dl-lifecycle-report.csv');
    assert.deepEqual(Object.values(EXPORTS.csv.filters), [['csv']]);
    assert.deepEqual(Object.values(EXPORTS.markdown.filters), [['md']]);
    assert.match(EXPORTS.markdown.render(REPORT), /^# DL Lifecycle report/);
    assert.match(EXPORTS.csv.render(REPORT), /^status,file,line,column,/);
    assert.deepEqual([...reportUris(REPORT)].sort(), ['file:///w/b/requirements.txt', 'file:///w/requirements.txt', 'file:///w/x"onmouseover="alert(1)']);
  });
});
