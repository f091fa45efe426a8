/**
 * `dl-lifecycle scan --format sarif`: the scan as a SARIF 2.1.0 log (OASIS Static Analysis Results
 * Interchange Format), the format GitHub code scanning and other CI dashboards read.
 *
 * - One run; `tool.driver` names dl-lifecycle with its version and every rule of {@link RULES}
 *   (`id`, short description, `helpUri` to the rule's page, default level).
 * - One result per finding: `ruleId`/`ruleIndex`, `level` (`error`, `warning`, `note` for
 *   information and hints), the message, one location with the file relative to `%SRCROOT%` (the
 *   current folder) and a region in 1-based lines and columns counted in UTF-16 code units
 *   (`columnKind: utf16CodeUnits`, as LSP counts them); `partialFingerprints` keyed by file, rule,
 *   subject and version (not line), so that code scanning follows a finding when lines move.
 * - Each fix of a finding becomes a SARIF `fix` with its replacements.
 * - With a baseline (`scan --baseline`), each result carries the standard `baselineState`:
 *   `unchanged` for a baselined finding, `new` for the others. Baselined findings are not given
 *   `suppressions`: they are accepted for now, not judged wrong, and code scanning should keep
 *   their alerts open (GitHub tracks which alerts are new itself, by the fingerprints).
 */
import type { Catalog } from '../catalog/catalog';
import type { CalendarDay } from '../dates';
import type { Finding, Range, Severity } from '../model';
import { RULES } from '../rules/ruleIds';
import type { BaselineMatch } from './baseline';
import type { ScanRun } from './scan';

/** Where the rule pages are published (the repository's `docs/rules/`). */
const RULE_DOCS = 'https://github.com/dl-lifecycle/dl-lifecycle/blob/main/docs/rules';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A 0-based LSP range → a 1-based SARIF region (columns in UTF-16 code units, end column exclusive). */
function region(r: Range): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** The stable identity of a finding across edits that move it: file, rule, subject, version. */
function fingerprint(file: string, f: Finding): string {
  return [file, f.rule, f.subject, f.version ?? ''].join('|');
}

/**
 * The SARIF 2.1.0 log of a scan. `version` is dl-lifecycle's; `file`s of the run are relative to
 * the folder the report is read from (`%SRCROOT%`). `baseline`: the scan's comparison with a
 * baseline file, which sets each result's `baselineState`; without it no result has one.
 */
export function toSarifReport(run: ScanRun, asOf: CalendarDay, catalog: Catalog, version: string, baseline?: BaselineMatch): unknown {
  const ids = Object.keys(RULES) as Array<keyof typeof RULES>;
  const index = new Map<string, number>(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => ({
    id,
    shortDescription: { text: RULES[id].summary },
    helpUri: `${RULE_DOCS}/${id}.md`,
    defaultConfiguration: { level: RULES[id].defaultSeverity === 'off' ? 'none' : LEVEL[RULES[id].defaultSeverity as Severity] },
  }));
  const results = run.files.flatMap((file, fi) =>
    file.analysis.findings.map((f, xi) => {
      const artifactLocation = { uri: encodeURI(file.file), uriBaseId: '%SRCROOT%' };
      return {
        ruleId: f.rule,
        ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation, region: region(f.range) } }],
        partialFingerprints: { 'dlLifecycle/v1': fingerprint(file.file, f) },
        ...(baseline ? { baselineState: baseline.baselined[fi][xi] ? 'unchanged' : 'new' } : {}),
        ...(f.fixes.length
          ? {
              fixes: f.fixes.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [{ artifactLocation, replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) }],
              })),
            }
          : {}),
      };
    }),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'dl-lifecycle', version, informationUri: 'https://github.com/dl-lifecycle/dl-lifecycle', rules } },
        columnKind: 'utf16CodeUnits',
        properties: { asOf, catalogGenerated: catalog.generated },
        results,
      },
    ],
  };
}
