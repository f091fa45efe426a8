/**
 * The pipeline for one file: scanner → references → rules → findings, then suppression and
 * severities. The language server and the CLI both call {@link analyzeText}; neither holds logic
 * the other lacks.
 */
import { checkAccelerator } from './rules/accelerator';
import type { Catalog } from './catalog/catalog';
import type { CalendarDay } from './dates';
import { daysBetween } from './dates';
import type { Finding, Range, ScanNote, ScanResult, Severity, SeveritySetting } from './model';
import type { RuleContext } from './rules/context';
import { DEFAULT_WARNING_WINDOW_DAYS } from './rules/context';
import { checkContainerImage } from './rules/containerImage';
import { checkDlami } from './rules/dlami';
import { checkFrameworkPin } from './rules/frameworkVersion';
import { checkChannel, checkCondaPackage } from './rules/conda';
import { checkNeuronPin } from './rules/neuronSdk';
import { checkPythonVersion } from './rules/pythonVersion';
import { memoizedFindings } from './rules/rebase';
import { checkSdkFramework } from './rules/sagemakerSdk';
import type { RuleId, SeverityClass } from './rules/ruleIds';
import { defaultSeverityOf, isRuleId } from './rules/ruleIds';
import type { Escalation } from './policy/policyFile';
import type { ImageMapping } from './policy/images';
import type { FileKind } from './scanners/fileKinds';
import { applySuppressions, findDirectives } from './suppression';
import { TextIndex } from './text';

/** Settings of one analysis. */
export interface AnalysisOptions {
  asOf: CalendarDay;
  warningWindowDays?: number;
  severities?: Partial<Record<RuleId, SeveritySetting>>;
  /**
   * Per-rule escalation (policy file): a finding of the rule whose condition started
   * (`Finding.since`) `afterDays` or more days before `asOf` gets severity `to`.
   */
  escalations?: Partial<Record<RuleId, Escalation>>;
  /** The policy file's `[[images]]` mappings: internal images built on DLCs, judged as what they contain. */
  imageMappings?: readonly ImageMapping[];
}

/** The result of analysing one file. */
export interface Analysis {
  kind: FileKind;
  scan: ScanResult;
  findings: Finding[];
  context: RuleContext;
}

/**
 * The severity a finding gets under the settings; `off` drops it. Without a configured severity a
 * rule keeps the severity it produced unless its default for the reference's kind (`kind`, see
 * {@link defaultSeverityOf}) is `off`.
 */
export function effectiveSeverity(rule: string, produced: Severity, severities: Partial<Record<RuleId, SeveritySetting>>, kind?: SeverityClass): SeveritySetting {
  if (!isRuleId(rule)) return produced;
  const configured = severities[rule];
  if (configured) return configured;
  const def = defaultSeverityOf(rule, kind);
  return def === 'off' ? 'off' : produced;
}

/**
 * The severity of a finding under an escalation: `escalation.to` from `afterDays` days after the
 * day its condition started (`since`, a UTC calendar day) on, else `base`. A finding without a
 * start day never escalates. Day 0 is `since` itself: with `afterDays` 30 and an end of patch on
 * 2024-10-28, the finding escalates on 2024-11-27.
 */
export function escalatedSeverity(base: SeveritySetting, since: CalendarDay | undefined, escalation: Escalation | undefined, asOf: CalendarDay): SeveritySetting {
  if (!escalation || since === undefined) return base;
  return daysBetween(since, asOf) >= escalation.afterDays ? escalation.to : base;
}

/** Sets each finding's configured (and escalated) severity (the findings are fresh objects of this analysis) and drops those turned off. */
function withSeverities(findings: Finding[], context: RuleContext, escalations: Partial<Record<RuleId, Escalation>>): Finding[] {
  const kept: Finding[] = [];
  for (const f of findings) {
    const ref = f.reference;
    const severityClass = ref?.kind === 'framework-package-pin' && ref.pin.shellRedirect ? 'shell-redirect' : ref?.kind;
    let s = effectiveSeverity(f.rule, f.severity, context.severities, severityClass);
    if (isRuleId(f.rule)) s = escalatedSeverity(s, f.since, escalations[f.rule], context.asOf);
    if (s === 'off') continue;
    f.severity = s;
    kept.push(f);
  }
  return kept;
}

/** Builds the rule context of an analysis. */
export function ruleContext(catalog: Catalog, options: AnalysisOptions): RuleContext {
  return {
    catalog,
    asOf: options.asOf,
    warningWindowDays: options.warningWindowDays ?? DEFAULT_WARNING_WINDOW_DAYS,
    severities: options.severities ?? {},
  };
}

/**
 * Analyses the text of one file of a known kind.
 * @param path the file's path (used by the scanner to tell constraints from requirements)
 * @returns references, findings (suppressed ones removed, unused suppressions added, severities applied)
 *   sorted by position. Never throws for bad input; a scanner failure yields no findings.
 */
export function analyzeText(text: string, path: string, kind: FileKind, catalog: Catalog, options: AnalysisOptions): Analysis {
  const context = ruleContext(catalog, options);
  const scan = kind.scan(text, catalog, path, { mappings: options.imageMappings });
  const raw: Finding[] = [];
  // rules that judge a reference on its own memoise its findings by what it says (rules/rebase.ts)
  for (const ref of scan.references) {
    if (ref.kind === 'framework-package-pin') {
      if (catalog.framework(ref.subject)) raw.push(...checkFrameworkPin(ref, context));
      if (ref.pin.manager === 'conda') raw.push(...checkCondaPackage(ref, context));
      if (ref.subject === 'neuron') raw.push(...checkNeuronPin(ref, scan.references, context));
    } else if (ref.kind === 'container-image') raw.push(...memoizedFindings(ref, context, ref.kind, () => checkContainerImage(ref, context)));
    else if (ref.kind === 'dlami') raw.push(...memoizedFindings(ref, context, ref.kind, () => checkDlami(ref, context)));
    else if (ref.kind === 'python-version') raw.push(...memoizedFindings(ref, context, ref.kind, () => checkPythonVersion(ref, context)));
    else if (ref.kind === 'package-channel') raw.push(...checkChannel(ref, scan.references, context));
    else if (ref.kind === 'sdk-framework') raw.push(...memoizedFindings(ref, context, ref.kind, () => checkSdkFramework(ref, context)));
    else if (ref.kind === 'accelerator') raw.push(...memoizedFindings(ref, context, ref.kind, () => checkAccelerator(ref, context)));
  }
  // what the scanner could not read is said, not guessed (an image from an ARG without a default)
  for (const note of scan.notes) raw.push(unresolvedFinding(note));
  // severities first, so that a rule turned off is not "suppressed" (and its directive reported unused)
  const escalations = options.escalations ?? {};
  const configured = withSeverities(raw, context, escalations);
  const directives = findDirectives(scan.comments, scan.statements);
  let index: TextIndex | undefined; // only needed to delete unused directives
  const { findings, unused } = applySuppressions(configured, directives, (d) => removalRange((index ??= new TextIndex(text)), d.comment.range, d.comment.standalone));
  const all = [...findings, ...withSeverities(unused, context, escalations)];
  all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
  return { kind, scan, findings: all, context };
}

/** The `unresolved-reference` finding of a scanner note. */
function unresolvedFinding(note: ScanNote): Finding {
  return { rule: 'unresolved-reference', severity: 'hint', message: `${note.message.charAt(0).toUpperCase()}${note.message.slice(1)}.`.replace(/\.\.$/, '.'), range: note.range, subject: '', facts: [], fixes: [] };
}

/** The range that deletes a comment: the whole line for a standalone one, else the comment and the spaces before it. */
function removalRange(index: TextIndex, range: Range, standalone: boolean): Range {
  const text = index.text;
  if (standalone && range.start.line + 1 < index.lineCount) {
    return { start: { line: range.start.line, character: 0 }, end: { line: range.start.line + 1, character: 0 } };
  }
  let start = index.offsetAt(range.start);
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { start: index.positionAt(start), end: range.end };
}

/**
 * The edit that inserts a suppression directive for `rule` above the statement that starts on
 * `line`, indented like it, in the file kind's comment syntax.
 */
export function suppressionEdit(text: string, kind: FileKind, line: number, rule: string): { range: Range; newText: string } {
  const index = new TextIndex(text);
  const lineStart = index.offsetAt({ line, character: 0 });
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const pos = { line, character: 0 };
  return { range: { start: pos, end: pos }, newText: `${indent}${kind.lineComment} dl-lifecycle: ignore ${rule}${eol}` };
}
