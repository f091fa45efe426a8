import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../server/src/analysis';
import type { Catalog } from '../../server/src/catalog/catalog';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import type { CalendarDay } from '../../server/src/dates';
import type { Range, Severity } from '../../server/src/model';
import type { ReportFinding, ReportInput, ReportRow, ReportStatus, TimelineBar, WorkspaceReport } from '../../server/src/report/workspaceReport';
import { buildWorkspaceReport, fileReportOf, mergeFileReports, packFileReport, scannedPartOf, statusOf, unpackFileReport } from '../../server/src/report/workspaceReport';
import type { SupportLine } from '../../server/src/rules/supportLine';
import { supportLineOf } from '../../server/src/rules/supportLine';
import { fileKindForPath } from '../../server/src/scanners/fileKinds';
import { initParsers } from '../../server/src/scanners/treeSitter';

// The language server keeps one packed FileReport (a JSON string) per scanned file instead of its analysis, and
// merges them for the report. These tests hold the split (fileReportOf per file, then
// mergeFileReports) to the report the one-pass build gave before it, over every fixture file.

const AS_OF = '2026-11-21';
const catalog = loadBundledCatalog();
const fallback = { asOf: AS_OF, warningWindowDays: 90, catalogStale: false, scanned: true };
const RANK: Record<ReportStatus, number> = { ended: 0, ending: 1, superseded: 2, unknown: 3, fine: 4 };
function comparePosition(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

/** The report as built in one pass over the analyses (the implementation before the split), as the oracle. */
function onePassReport(
  inputs: readonly ReportInput[],
  catalog: Catalog,
  fallback: { asOf: CalendarDay; warningWindowDays: number; catalogStale: boolean; scanned: boolean },
): WorkspaceReport {
  const rows: ReportRow[] = [];
  const fileFindings: WorkspaceReport['fileFindings'] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  const bars = new Map<string, TimelineBar>();
  const inputIndex = new Map<ReportRow, number>();
  for (const [index, { file, uri, analysis }] of inputs.entries()) {
    const byRef = new Map<object, ReportFinding[]>();
    for (const f of analysis.findings) {
      counts[f.severity]++;
      const item: ReportFinding = { rule: f.rule, severity: f.severity, message: f.message, range: f.range, ...(f.endOfPatch ? { endOfPatch: f.endOfPatch } : {}) };
      if (!f.reference) {
        fileFindings.push({ file, uri, ...item });
        continue;
      }
      const list = byRef.get(f.reference) ?? [];
      list.push(item);
      byRef.set(f.reference, list);
    }
    for (const ref of analysis.scan.references) {
      const findings = byRef.get(ref) ?? [];
      const status = statusOf(findings.map((f) => f.rule));
      let line: SupportLine | undefined;
      try {
        line = supportLineOf(ref, analysis.context);
      } catch {
        line = undefined; // a reference the catalog cannot place gets no bar
      }
      const endOfPatch = line?.endOfPatch ?? findings.find((f) => f.endOfPatch)?.endOfPatch;
      const row: ReportRow = { file, uri, range: ref.range, kind: ref.kind, subject: ref.subject, version: ref.version, text: ref.text, status, ...(endOfPatch ? { endOfPatch } : {}), ...(line ? { line: line.id } : {}), findings };
      rows.push(row);
      inputIndex.set(row, index);
      if (line) {
        const bar = bars.get(line.id);
        if (!bar) bars.set(line.id, { ...line, references: 1, status });
        else {
          bar.references++;
          if (RANK[status] < RANK[bar.status]) bar.status = status;
        }
      }
    }
  }
  // several inputs can share a file (the cells of an open notebook): they stay apart, in input order
  rows.sort((a, b) => RANK[a.status] - RANK[b.status] || (a.file < b.file ? -1 : a.file > b.file ? 1 : inputIndex.get(a)! - inputIndex.get(b)! || comparePosition(a.range, b.range)));
  const first = inputs[0]?.analysis.context;
  return {
    asOf: first?.asOf ?? fallback.asOf,
    warningWindowDays: first?.warningWindowDays ?? fallback.warningWindowDays,
    catalogGenerated: catalog.generated,
    catalogStale: fallback.catalogStale,
    files: new Set(inputs.map((i) => i.file)).size,
    rows,
    fileFindings,
    timeline: [...bars.values()].sort((a, b) => (a.endOfPatch ?? '9999') .localeCompare(b.endOfPatch ?? '9999') || a.label.localeCompare(b.label)),
    counts,
    scanned: fallback.scanned,
  };
}

/** Every fixture file of a kind the scanners know, analysed, as report inputs (sorted by path). */
function fixtureInputs(): ReportInput[] {
  const root = path.join(__dirname, '..', 'fixtures');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else files.push(abs);
    }
  };
  walk(root);
  const inputs: ReportInput[] = [];
  for (const abs of files) {
    const relative = path.relative(root, abs).split(path.sep).join('/');
    const kind = fileKindForPath(relative);
    if (!kind) continue;
    const analysis = analyzeText(readFileSync(abs, 'utf8'), abs, kind, catalog, { asOf: AS_OF, warningWindowDays: 90 });
    inputs.push({ file: relative, uri: `file:///w/${relative}`, analysis });
  }
  return inputs;
}

let inputs: ReportInput[] = [];
before(async () => {
  await initParsers();
  inputs = fixtureInputs();
});

describe('workspace report split into a per-file step and a merge step', () => {
  it('the fixtures give a report with rows of several statuses, timeline bars and file findings', () => {
    const report = onePassReport(inputs, catalog, fallback);
    assert.ok(inputs.length >= 20, `${inputs.length} fixture files analysed`);
    assert.ok(new Set(report.rows.map((r) => r.status)).size >= 3, 'rows of at least three statuses');
    assert.ok(report.timeline.length >= 3, 'several timeline bars');
    assert.ok(report.counts.error + report.counts.warning > 0, 'findings counted');
  });

  it('buildWorkspaceReport gives the one-pass report (deep equal) over every fixture file, and over each file alone', () => {
    assert.deepEqual(buildWorkspaceReport(inputs, catalog, fallback), onePassReport(inputs, catalog, fallback));
    for (const input of inputs) assert.deepEqual(buildWorkspaceReport([input], catalog, fallback), onePassReport([input], catalog, fallback), input.file);
  });

  it('merging packed and unpacked file reports gives the same report on the wire (JSON) as the one-pass build, in any file order', () => {
    const detached = inputs.map((i) => unpackFileReport(packFileReport(fileReportOf(i))));
    assert.equal(JSON.stringify(mergeFileReports(detached, catalog, fallback)), JSON.stringify(onePassReport(inputs, catalog, fallback)));
    const reversed = [...inputs].reverse();
    assert.equal(JSON.stringify(mergeFileReports(reversed.map((i) => unpackFileReport(packFileReport(fileReportOf(i)))), catalog, fallback)), JSON.stringify(onePassReport(reversed, catalog, fallback)));
  });

  it('inputs that share a file (notebook cells) stay apart in input order, as in the one-pass build', () => {
    const withRefs = inputs.filter((i) => i.analysis.scan.references.length > 0).slice(0, 3);
    assert.equal(withRefs.length, 3);
    const cells = withRefs.map((i) => ({ ...i, file: 'notebook.ipynb' }));
    const merged = mergeFileReports(cells.map((i) => unpackFileReport(packFileReport(fileReportOf(i)))), catalog, fallback);
    assert.equal(JSON.stringify(merged), JSON.stringify(onePassReport(cells, catalog, fallback)));
    assert.equal(merged.files, 1);
  });

  it('a file report keeps one row per reference and every finding in the analysis order; an unpacked one shares no object with the analysis', () => {
    for (const input of inputs) {
      const report = fileReportOf(input);
      assert.equal(report.rows.length, input.analysis.scan.references.length, input.file);
      assert.deepEqual(report.findings.map((f) => [f.rule, f.message]), input.analysis.findings.map((f) => [f.rule, f.message]), input.file);
      const detached = unpackFileReport(packFileReport(report));
      assert.deepEqual(detached.findings.map((f) => f.range), input.analysis.findings.map((f) => f.range));
      for (const [i, f] of input.analysis.findings.entries()) assert.notEqual(detached.findings[i].range, f.range, 'a copy, not the analysis\'s range');
    }
  });

  it('a packed file report is unchanged when the analysis it came from is changed afterwards', () => {
    const input = inputs.find((i) => i.analysis.findings.length > 0 && i.analysis.scan.references.length > 0)!;
    const original = JSON.stringify([input.analysis.scan.references[0].range, input.analysis.findings[0].range]);
    const detached = unpackFileReport(packFileReport(fileReportOf(input)));
    const before = JSON.stringify(detached);
    input.analysis.scan.references[0].range.start.line += 1000;
    input.analysis.findings[0].range.end.character += 1000;
    try {
      assert.equal(JSON.stringify(detached), before);
    } finally {
      input.analysis.scan.references[0].range.start.line -= 1000;
      input.analysis.findings[0].range.end.character -= 1000;
    }
    assert.equal(JSON.stringify([input.analysis.scan.references[0].range, input.analysis.findings[0].range]), original);
    // a report not packed shares the analysis's ranges: the change shows through it
    const shared = fileReportOf(input);
    input.analysis.scan.references[0].range.start.line += 1000;
    try {
      assert.equal(shared.rows[0].range.start.line, input.analysis.scan.references[0].range.start.line);
      assert.notEqual(JSON.stringify(shared), JSON.stringify(detached));
    } finally {
      input.analysis.scan.references[0].range.start.line -= 1000;
    }
  });

  it('the part the workspace scan keeps of a file: its packed report, its findings counted by severity and listed; nothing for a file with neither', () => {
    let kept = 0;
    for (const input of inputs) {
      const part = scannedPartOf(input);
      if (input.analysis.scan.references.length === 0 && input.analysis.findings.length === 0) {
        assert.equal(part, undefined, input.file);
        continue;
      }
      kept++;
      assert.ok(part, input.file);
      const report = unpackFileReport(part.report);
      assert.equal(JSON.stringify(report), JSON.stringify(fileReportOf(input)));
      assert.deepEqual(part.findings, report.findings);
      for (const severity of ['error', 'warning', 'information', 'hint'] as const) {
        assert.equal(part.counts[severity], input.analysis.findings.filter((f) => f.severity === severity).length, `${input.file} ${severity}`);
      }
    }
    assert.ok(kept > 10, `${kept} files kept`);
    const empty = inputs.find((i) => i.analysis.scan.references.length === 0 && i.analysis.findings.length === 0);
    assert.ok(empty, 'a fixture without references or findings');
  });

  it('packing starts from the preset dictionary: parts are much smaller than deflated alone, and read back the same', () => {
    let withDictionary = 0;
    let alone = 0;
    for (const input of inputs) {
      const report = fileReportOf(input);
      const packed = packFileReport(report);
      assert.equal(JSON.stringify(unpackFileReport(packed)), JSON.stringify(report));
      withDictionary += packed.length;
      alone += deflateRawSync(JSON.stringify(report)).length;
    }
    assert.ok(withDictionary < alone * 0.8, `${withDictionary} bytes with the dictionary, ${alone} without`);
    // a part packed with the dictionary cannot be read without it
    assert.throws(() => inflateRawSync(Buffer.from(packFileReport(fileReportOf(inputs.find((i) => i.analysis.findings.length > 0)!)), 'latin1')));
  });
});
