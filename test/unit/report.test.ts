import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/src/analysis';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { daysBetween } from '../../server/src/dates';
import type { ReportRow, WorkspaceReport } from '../../server/src/report/workspaceReport';
import { buildWorkspaceReport, REPORT_STATUSES, reportToCsv, reportToMarkdown, STATUS_TITLES, statusOf } from '../../server/src/report/workspaceReport';
import { fileKindById } from '../../server/src/scanners/fileKinds';

const AS_OF = '2026-11-21';
const catalog = loadBundledCatalog();
const requirements = fileKindById('pip-requirements')!;
const analyze = (text: string, file = 'requirements.txt') => analyzeText(text, file, file.endsWith('Dockerfile') ? fileKindById('dockerfile')! : requirements, catalog, { asOf: AS_OF, warningWindowDays: 90 });
const fallback = { asOf: AS_OF, warningWindowDays: 90, catalogStale: false, scanned: true };

// torch 1.13 and TensorFlow 2.16 are past end of patch on AS_OF; torch 2.10 ends within 90 days; 2.12.0 has a later
// patch; 2.13.0 is the latest patch of a supported version; numpy is not a framework; torch 9.9 is not in the catalog
const TEXT = 'torch==1.13.1\ntensorflow==2.16.1\nnumpy==1.26.4\ntorch==9.9.0\ntorch==2.10.0\ntorch==2.12.0\ntorch==2.13.0\n';
const report = buildWorkspaceReport([{ file: 'requirements.txt', uri: 'file:///w/requirements.txt', analysis: analyze(TEXT) }], catalog, fallback);
const row = (text: string): ReportRow => {
  const r = report.rows.find((x) => x.text === text);
  assert.ok(r, `no row for ${text}`);
  return r;
};
const version = (framework: string, minor: string) => {
  const v = catalog.frameworkVersion(framework, minor);
  assert.ok(v?.ga && v.endOfPatch, `the bundled catalog dates ${framework} ${minor}`);
  return v;
};

describe('workspace report: buildWorkspaceReport over real analyses (bundled catalog)', () => {
  it('the catalog facts the expectations rest on', () => {
    assert.ok(daysBetween(version('pytorch', '1.13').endOfPatch!, AS_OF) > 0);
    assert.ok(daysBetween(version('tensorflow', '2.16').endOfPatch!, AS_OF) > 0);
    const soon = daysBetween(AS_OF, version('pytorch', '2.10').endOfPatch!);
    assert.ok(soon > 0 && soon <= 90, `torch 2.10 ends ${soon} days after as-of`);
    assert.equal(catalog.latestPatch(version('pytorch', '2.13'))?.version, '2.13.0');
    assert.notEqual(catalog.latestPatch(version('pytorch', '2.12'))?.version, '2.12.0');
    assert.equal(catalog.frameworkVersion('pytorch', '9.9'), undefined);
  });

  it('one row per reference, with its status from its findings; numpy (not a framework) has none', () => {
    assert.deepEqual(
      report.rows.map((r) => [r.text, r.status]),
      [
        ['torch==1.13.1', 'ended'],
        ['tensorflow==2.16.1', 'ended'],
        ['torch==2.10.0', 'ending'],
        ['torch==2.12.0', 'superseded'],
        ['torch==9.9.0', 'unknown'],
        ['torch==2.13.0', 'fine'],
      ],
    );
    assert.ok(!report.rows.some((r) => r.text.startsWith('numpy')));
    assert.deepEqual(row('torch==1.13.1').findings.map((f) => f.rule), ['end-of-patch']);
    assert.deepEqual(row('torch==2.10.0').findings.map((f) => f.rule), ['end-of-patch-soon']);
    assert.deepEqual(row('torch==9.9.0').findings.map((f) => f.rule), ['unknown-version']);
    assert.deepEqual(row('torch==2.13.0').findings, []);
    assert.deepEqual(row('tensorflow==2.16.1').range, { start: { line: 1, character: 0 }, end: { line: 1, character: 18 } });
    assert.equal(row('tensorflow==2.16.1').uri, 'file:///w/requirements.txt');
  });

  it('rows are in REPORT_STATUSES order (worst first), which is also the order of the status ranks', () => {
    const ranks = report.rows.map((r) => REPORT_STATUSES.indexOf(r.status));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    assert.deepEqual(new Set(report.rows.map((r) => r.status)), new Set(REPORT_STATUSES), 'every status occurs');
    assert.equal(statusOf(['superseded-patch', 'end-of-patch', 'unpinned']), 'ended');
    assert.equal(statusOf(['registry-region-mismatch']), 'fine');
    for (const s of REPORT_STATUSES) assert.ok(STATUS_TITLES[s].length > 0);
  });

  it('timeline bars carry the catalog\'s GA and end-of-patch days, ordered by end of patch; rows point at their bar', () => {
    const expected = [
      ['pytorch', '1.13'],
      ['tensorflow', '2.16'],
      ['pytorch', '2.10'],
      ['pytorch', '2.12'],
      ['pytorch', '2.13'],
    ].map(([f, m]) => ({ id: `${f} ${m}`, released: version(f, m).ga, endOfPatch: version(f, m).endOfPatch }));
    assert.deepEqual(
      report.timeline.map((b) => ({ id: b.id, released: b.released, endOfPatch: b.endOfPatch })),
      expected,
    );
    assert.deepEqual(report.timeline.map((b) => b.status), ['ended', 'ended', 'ending', 'superseded', 'fine']);
    assert.deepEqual(report.timeline.map((b) => b.label), ['PyTorch 1.13', 'TensorFlow 2.16', 'PyTorch 2.10', 'PyTorch 2.12', 'PyTorch 2.13']);
    assert.equal(row('torch==1.13.1').line, 'pytorch 1.13');
    assert.equal(row('torch==1.13.1').endOfPatch, version('pytorch', '1.13').endOfPatch);
    assert.equal(row('torch==9.9.0').line, undefined, 'no bar for a version the catalog does not know');
    assert.equal(row('torch==9.9.0').endOfPatch, undefined);
  });

  it('counts findings by severity, and takes asOf, the window and the catalog date from the analyses', () => {
    const all = analyze(TEXT).findings;
    for (const s of ['error', 'warning', 'information', 'hint'] as const) assert.equal(report.counts[s], all.filter((f) => f.severity === s).length, s);
    assert.equal(report.counts.warning, 2);
    assert.equal(report.files, 1);
    assert.equal(report.asOf, AS_OF);
    assert.equal(report.warningWindowDays, 90);
    assert.equal(report.catalogGenerated, catalog.generated);
    assert.equal(report.scanned, true);
    assert.deepEqual(report.fileFindings, []);
  });

  it('several files: a bar counts the references of every file and takes their worst status; findings without a reference are file findings', () => {
    const r = buildWorkspaceReport(
      [
        { file: 'b/requirements.txt', uri: 'file:///w/b/requirements.txt', analysis: analyze('torch==2.13.0\nnumpy==1.26.4  # dl-lifecycle: ignore\n') },
        { file: 'a/requirements.txt', uri: 'file:///w/a/requirements.txt', analysis: analyze('torch==2.13.0\ntorch==1.13.1\n') },
      ],
      catalog,
      { ...fallback, scanned: false },
    );
    assert.equal(r.files, 2);
    assert.equal(r.scanned, false);
    const bar = r.timeline.find((b) => b.id === 'pytorch 2.13');
    assert.equal(bar?.references, 2);
    assert.equal(bar?.status, 'fine');
    assert.deepEqual(r.rows.map((x) => `${x.status} ${x.file} ${x.text}`), ['ended a/requirements.txt torch==1.13.1', 'fine a/requirements.txt torch==2.13.0', 'fine b/requirements.txt torch==2.13.0']);
    assert.deepEqual(r.fileFindings.map((f) => [f.file, f.rule, f.range.start.line]), [['b/requirements.txt', 'unused-suppression', 1]]);
    assert.equal(r.counts.hint, 1, 'the unused suppression is counted');
  });

  it('the cells of one notebook are one file, and their rows stay in cell order', () => {
    const r = buildWorkspaceReport(
      [
        { file: 'nb.ipynb', uri: 'cell:1', analysis: analyze('torch==2.13.0\n\ntorch==2.12.0\n') },
        { file: 'nb.ipynb', uri: 'cell:2', analysis: analyze('torch==2.13.0\n') },
      ],
      catalog,
      fallback,
    );
    assert.equal(r.files, 1);
    assert.deepEqual(r.rows.map((x) => `${x.uri}:${x.range.start.line}`), ['cell:1:2', 'cell:1:0', 'cell:2:0']);
  });

  it('no files: asOf and the window come from the fallback', () => {
    const r = buildWorkspaceReport([], catalog, { asOf: '2030-01-01', warningWindowDays: 30, catalogStale: true, scanned: false });
    assert.deepEqual([r.asOf, r.warningWindowDays, r.catalogStale, r.files, r.rows.length, r.timeline.length], ['2030-01-01', 30, true, 0, 0, 0]);
  });
});

/** A report with one row whose texts are chosen by the test. */
function oneRow(text: string, message: string, file = 'requirements.txt'): WorkspaceReport {
  const range = { start: { line: 2, character: 4 }, end: { line: 2, character: 4 + text.length } };
  return {
    asOf: AS_OF,
    warningWindowDays: 90,
    catalogGenerated: '2026-11-01',
    catalogStale: false,
    files: 1,
    rows: [{ file, uri: 'file:///w/x', range, kind: 'container-image', subject: 'pytorch', version: '2.1', text, status: 'ended', endOfPatch: '2024-10-04', findings: [{ rule: 'end-of-patch', severity: 'warning', message, range }] }],
    fileFindings: [],
    timeline: [],
    counts: { error: 0, warning: 1, information: 0, hint: 0 },
    scanned: true,
  };
}

/** Splits RFC 4180 CSV (CRLF records, quoted fields with doubled quotes) into records of fields. */
function parseCsv(csv: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && csv[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      (record = []), (field = ''), i++;
    } else field += c;
  }
  return records;
}

describe('workspace report: exports', () => {
  it('CSV: a header, one record per reference, 1-based positions; commas, quotes and line breaks are quoted (RFC 4180)', () => {
    const hostile = 'img:"1,2"\nnext';
    const csv = reportToCsv(oneRow(hostile, 'says "hi", twice\r\nok'));
    assert.ok(csv.endsWith('\r\n'));
    assert.ok(csv.includes('"img:""1,2""\nnext"'), csv);
    const records = parseCsv(csv);
    assert.equal(records.length, 2);
    assert.deepEqual(records[0], ['status', 'file', 'line', 'column', 'kind', 'subject', 'version', 'reference', 'end_of_patch', 'rules', 'messages']);
    assert.deepEqual(records[1], ['ended', 'requirements.txt', '3', '5', 'container-image', 'pytorch', '2.1', hostile, '2024-10-04', 'end-of-patch', 'says "hi", twice\r\nok']);
    assert.ok(reportToCsv(oneRow('plain', 'plain message')).split('\r\n')[1].startsWith('ended,requirements.txt,3,5,'), 'unquoted when nothing needs quoting');
  });

  it('CSV cells that a spreadsheet would run as a formula start with an apostrophe', () => {
    for (const text of ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\t=1']) {
      const records = parseCsv(reportToCsv(oneRow(text, `${text} message`)));
      assert.equal(records[1][7], `'${text}`);
      assert.equal(records[1][10], `'${text} message`);
    }
    assert.equal(parseCsv(reportToCsv(oneRow('torch==2.1', 'a-b')))[1][7], 'torch==2.1', 'other cells are unchanged');
  });

  it('CSV of the real report has one record per row', () => {
    const records = parseCsv(reportToCsv(report));
    assert.equal(records.length, report.rows.length + 1);
    assert.deepEqual(records.slice(1).map((r) => r[7]), report.rows.map((r) => r.text));
  });

  it('Markdown: pipes are escaped in cells and code spans, line breaks become spaces, HTML is not passed through', () => {
    const md = reportToMarkdown(oneRow('a|b`c', 'x | y\nz <img src=x onerror=alert(1)>', 'dir|x/req.txt'));
    const line = md.split('\n').find((l) => l.startsWith('| dir'));
    assert.ok(line, md);
    assert.equal(line, "| dir\\|x/req.txt:3:5 | `a\\|b'c` | 2024-10-04 | warning end-of-patch: x \\| y z \\<img src=x onerror=alert(1)> |");
    // the row has exactly the 4 cells of the header: no unescaped pipe splits it
    assert.equal(line.split(/(?<!\\)\|/).length - 2, 4);
    assert.ok(!/<img/.test(md.replace(/\\</g, '')), 'no raw <img');
  });

  it('Markdown of the real report: the summary, the timeline table and one section per status in order', () => {
    const md = reportToMarkdown(report);
    assert.match(md, new RegExp(`As of ${AS_OF} \\(warning window 90 days\\), catalog dated ${catalog.generated}; 1 file, 6 references\\.`));
    const v = version('pytorch', '1.13');
    assert.ok(md.includes(`| PyTorch 1.13 | ${v.ga} | ${v.endOfPatch} | 1 | ended |`), md);
    const headings = md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    assert.deepEqual(headings, ['Support timeline', ...REPORT_STATUSES.map((s) => `${STATUS_TITLES[s]} (${report.rows.filter((r) => r.status === s).length})`)]);
    assert.match(md, /\| requirements\.txt:2:1 \| `tensorflow==2\.16\.1` \|/);
  });
});
