/**
 * Inline suppression (rules.md §Severities, suppression, configuration), in the comment syntax of
 * the file kind:
 * - `# dl-lifecycle: ignore` alone on a line: ignores every finding of the next statement;
 * - the same at the end of a statement: ignores that statement's findings;
 * - `# dl-lifecycle: ignore superseded-patch, end-of-patch-soon`: only those rules;
 * - anything after ` -- ` is the reason, kept for people (`# dl-lifecycle: ignore -- pinned by vendor`);
 * - `# dl-lifecycle: ignore-file [rules]` anywhere: the whole file.
 * A directive that suppresses nothing is itself reported (`unused-suppression`, hint) so stale
 * ones get removed; an unknown rule id in a directive is reported the same way.
 */
import type { Comment, Finding, Fix, LineSpan, Range } from './model';
import { isRuleId } from './rules/ruleIds';

/** A parsed suppression directive. `rules` empty means all rules. */
export interface SuppressionDirective {
  scope: 'line' | 'file';
  rules: string[];
  reason?: string;
  comment: Comment;
  /** 0-based inclusive lines of the statement it applies to (line scope). */
  appliesTo?: LineSpan;
}

const DIRECTIVE = /^\s*dl-lifecycle\s*:\s*(ignore-file|ignore)(?=$|[\s,])(.*)$/;

/** Parses one comment's text (after the marker); undefined when it is no directive. */
export function parseDirective(comment: Comment): Omit<SuppressionDirective, 'appliesTo'> | undefined {
  const m = DIRECTIVE.exec(comment.text);
  if (!m) return undefined;
  let rest = m[2];
  let reason: string | undefined;
  const dash = rest.search(/(^|\s)--(\s|$)/);
  if (dash >= 0) {
    reason = rest.slice(dash).replace(/^\s*--\s*/, '').trim() || undefined;
    rest = rest.slice(0, dash);
  }
  const rules = rest.split(/[\s,]+/).filter(Boolean);
  return { scope: m[1] === 'ignore-file' ? 'file' : 'line', rules, reason, comment };
}

/** Finds the directives among a file's comments and attaches each line directive to its statement. */
export function findDirectives(comments: readonly Comment[], statements: readonly LineSpan[]): SuppressionDirective[] {
  const out: SuppressionDirective[] = [];
  for (const c of comments) {
    const d = parseDirective(c);
    if (!d) continue;
    let appliesTo: LineSpan | undefined;
    if (d.scope === 'line') {
      const line = c.range.start.line;
      appliesTo = c.standalone
        ? statements.find((s) => s.startLine > c.range.end.line)
        : statements.find((s) => s.startLine <= line && line <= s.endLine) ?? { startLine: line, endLine: line };
    }
    out.push({ ...d, appliesTo });
  }
  return out;
}

/** What {@link applySuppressions} returns: the findings that remain, and unused-directive findings. */
export interface SuppressionResult { findings: Finding[]; unused: Finding[] }

/**
 * Removes suppressed findings. Findings that cover no statement (e.g. about the file) are kept.
 * @param removeLineRange returns the range that deletes a directive (whole line for standalone comments)
 */
export function applySuppressions(
  findings: readonly Finding[],
  directives: readonly SuppressionDirective[],
  removeRange: (d: SuppressionDirective) => Range,
): SuppressionResult {
  const used = new Set<SuppressionDirective>();
  const kept = findings.filter((f) => {
    const hit = directives.find((d) => matches(d, f));
    if (hit) used.add(hit);
    return !hit;
  });
  const unused: Finding[] = [];
  for (const d of directives) {
    const unknown = d.rules.filter((r) => !isRuleId(r));
    if (used.has(d) && unknown.length === 0) continue;
    const fix: Fix = { title: 'Remove the unused dl-lifecycle suppression', edits: [{ range: removeRange(d), newText: '' }], safe: false };
    const message = unknown.length
      ? `Unknown rule ${unknown.map((r) => `'${r}'`).join(', ')} in dl-lifecycle suppression.`
      : d.scope === 'file'
        ? 'This dl-lifecycle ignore-file suppression suppresses nothing in this file.'
        : d.appliesTo
          ? 'This dl-lifecycle suppression suppresses nothing on the statement it applies to.'
          : 'This dl-lifecycle suppression is not followed by a statement.';
    unused.push({ rule: 'unused-suppression', severity: 'hint', message, range: d.comment.range, subject: 'dl-lifecycle', facts: [], fixes: unknown.length ? [] : [fix] });
  }
  return { findings: kept, unused };
}

function matches(d: SuppressionDirective, f: Finding): boolean {
  if (d.rules.length > 0 && !d.rules.includes(f.rule)) return false;
  if (d.scope === 'file') return true;
  if (!d.appliesTo) return false;
  const line = f.range.start.line;
  return d.appliesTo.startLine <= line && line <= d.appliesTo.endLine;
}
