/** Output of `dl-lifecycle scan`: `--format json` (the stable shape of the README) and grouped text. */
import type { Catalog } from '../catalog/catalog';
import type { CalendarDay } from '../dates';
import type { Position, ScanResult, Severity } from '../model';
import { notebookCellAt } from '../scanners/notebook/ipynb';
import type { BaselineUse } from './baseline';
import type { ScanRun } from './scan';
import { displayPath } from './scan';

/** For a position in a notebook (`.ipynb`): `cell` and `cellLine`, 0-based (the cell's index in the notebook, the line in its source); else nothing. */
function cellFields(scan: ScanResult, pos: Position): { cell?: number; cellLine?: number } {
  const at = notebookCellAt(scan, pos);
  return at ? { cell: at.cell, cellLine: at.line } : {};
}

/**
 * The JSON report. Fields are only ever added, never renamed. `policies` lists the policy files
 * the scan used (`file` relative to `cwd`), with what each sets and its problems (0-based LSP ranges).
 * References and findings in notebooks also carry `cell` and `cellLine` (0-based); their `range`
 * stays a range in the `.ipynb` file. With a `baseline` (`scan --baseline`), every finding also
 * carries `baselined` (true or false) and the report ends with `baseline`: the file, how many
 * findings are baselined and new, and how many baselined findings no longer occur; without one,
 * neither field is written.
 */
export function toJsonReport(run: ScanRun, asOf: CalendarDay, catalog: Catalog, cwd?: string, baseline?: BaselineUse): unknown {
  const report = {
    asOf,
    catalog: { generated: catalog.generated },
    files: run.files.length,
    references: run.files.flatMap((f) =>
      f.analysis.scan.references.map((r) => ({ file: f.file, range: r.range, ...cellFields(f.analysis.scan, r.range.start), kind: r.kind, subject: r.subject, version: r.version, text: r.text })),
    ),
    findings: run.files.flatMap((f, fi) =>
      f.analysis.findings.map((x, xi) => ({
        file: f.file,
        range: x.range,
        ...cellFields(f.analysis.scan, x.range.start),
        rule: x.rule,
        severity: x.severity,
        message: x.message,
        subject: x.subject,
        version: x.version,
        endOfPatch: x.endOfPatch,
        fixes: x.fixes.map((fix) => ({ title: fix.title, edits: fix.edits })),
        ...(baseline ? { baselined: baseline.match.baselined[fi][xi] } : {}),
      })),
    ),
    policies: run.policies.map((p) => ({
      file: cwd === undefined ? p.file : displayPath(cwd, p.file),
      kind: p.kind,
      asOf: p.policy.asOf,
      warningWindowDays: p.policy.warningWindowDays,
      exclude: p.policy.exclude,
      rules: p.policy.rules,
      images: p.policy.images.map((m) => ({ pattern: m.pattern, framework: m.framework })),
      problems: p.problems,
    })),
  };
  if (!baseline) return report;
  const { baselinedCount, newCount, noLongerOccur } = baseline.match;
  return { ...report, baseline: { file: baseline.file, baselined: baselinedCount, new: newCount, noLongerOccur } };
}

const COLORS: Record<Severity, string> = { error: '31', warning: '33', information: '36', hint: '90' };

/**
 * Grouped human output; ANSI colours when `color` is true; the summary names the policy file used
 * (relative to `cwd`). With a `baseline`, baselined findings get a dim `(baselined)` after their
 * rule, and the summary says how many findings are baselined and new, and how many baselined
 * findings no longer occur (when any).
 */
export function toTextReport(run: ScanRun, asOf: CalendarDay, catalog: Catalog, color: boolean, cwd?: string, baseline?: BaselineUse): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  let refs = 0;
  for (const [fi, f] of run.files.entries()) {
    refs += f.analysis.scan.references.length;
    if (f.analysis.findings.length === 0) continue;
    out.push(paint('1', f.file));
    for (const [xi, x] of f.analysis.findings.entries()) {
      counts[x.severity]++;
      // in a notebook: the cell and the line within it, 1-based
      const cell = notebookCellAt(f.analysis.scan, x.range.start);
      const at = (cell ? `cell ${cell.cell + 1}, line ${cell.line + 1}` : `${x.range.start.line + 1}:${x.range.start.character + 1}`).padEnd(7);
      out.push(`  ${paint('2', at)} ${paint(COLORS[x.severity], x.severity.padEnd(11))} ${x.message}  ${paint('2', x.rule)}${baseline?.match.baselined[fi][xi] ? ` ${paint('2', '(baselined)')}` : ''}`);
      for (const fix of x.fixes) out.push(`  ${' '.repeat(at.length)} ${' '.repeat(11)} ${paint('32', 'fix:')} ${fix.title}`);
    }
    out.push('');
  }
  for (const n of run.notes) out.push(paint('2', `note: ${n.path}: ${n.message}`));
  if (run.notes.length) out.push('');
  const total = counts.error + counts.warning + counts.information + counts.hint;
  const parts = (Object.keys(counts) as Severity[]).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}${counts[s] === 1 || s === 'information' ? '' : 's'}`);
  const days = run.asOfDays.length > 1 ? run.asOfDays.join(' / ') : asOf;
  const used = new Set(run.files.map((f) => f.policy?.file).filter((p): p is string => p !== undefined));
  const policy = used.size === 0 ? '' : used.size === 1 && cwd !== undefined ? `; policy ${displayPath(cwd, [...used][0])}` : `; ${used.size} policy file${used.size === 1 ? '' : 's'}`;
  const b = baseline?.match;
  const baselined = b ? `; ${b.baselinedCount} baselined, ${b.newCount} new` : '';
  const gone = b?.noLongerOccur ? `; ${b.noLongerOccur} baselined finding${b.noLongerOccur === 1 ? '' : 's'} no longer occur${b.noLongerOccur === 1 ? 's' : ''}` : '';
  const summary = `${total} finding${total === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''} in ${run.files.length} file${run.files.length === 1 ? '' : 's'}, ${refs} reference${refs === 1 ? '' : 's'}${baselined}; as of ${days}, catalog dated ${catalog.generated}${policy}${gone}`;
  const open = b ? b.newCount : total;
  out.push(open ? paint('1', summary) : paint('32', summary));
  return out.join('\n') + '\n';
}
