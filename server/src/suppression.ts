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

/**
 * Finds the directives among a file's comments and attaches each line directive to its statement:
 * a standalone directive to the first statement (in `statements` order) that starts after it, one at
 * the end of a line to the first statement that holds the line (else that line alone). Linear in the
 * comments and statements, plus a binary search per directive (statements in start order, as the
 * scanners give them; any other order falls back to a search of the whole list per directive).
 */
export function findDirectives(comments: readonly Comment[], statements: readonly LineSpan[]): SuppressionDirective[] {
  const out: SuppressionDirective[] = [];
  let index: StatementIndex | undefined;
  for (const c of comments) {
    const d = parseDirective(c);
    if (!d) continue;
    let appliesTo: LineSpan | undefined;
    if (d.scope === 'line') {
      index ??= statementIndex(statements);
      const line = c.range.start.line;
      appliesTo = c.standalone ? index.firstStartingAfter(c.range.end.line) : index.firstHolding(line) ?? { startLine: line, endLine: line };
    }
    out.push({ ...d, appliesTo });
  }
  return out;
}

/** Answers the two statement questions of {@link findDirectives} with the results of `Array.find` over `statements`. */
interface StatementIndex {
  /** The first statement whose start line is after `line`. */
  firstStartingAfter(line: number): LineSpan | undefined;
  /** The first statement whose lines include `line`. */
  firstHolding(line: number): LineSpan | undefined;
}

function statementIndex(statements: readonly LineSpan[]): StatementIndex {
  const n = statements.length;
  // running maxima: the first index whose start (end) exceeds (reaches) a line is the first index where the running maximum does
  const maxStart = new Array<number>(n);
  const maxEnd = new Array<number>(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const s = statements[i];
    maxStart[i] = i ? Math.max(maxStart[i - 1], s.startLine) : s.startLine;
    maxEnd[i] = i ? Math.max(maxEnd[i - 1], s.endLine) : s.endLine;
    if (i && s.startLine < statements[i - 1].startLine) sorted = false;
  }
  /** The first index whose value in the non-decreasing `a` satisfies `ok`, or n. */
  const first = (a: number[], ok: (v: number) => boolean) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ok(a[mid])) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return {
    firstStartingAfter: (line) => statements[first(maxStart, (v) => v > line)],
    firstHolding: (line) => {
      if (!sorted) return statements.find((s) => s.startLine <= line && line <= s.endLine);
      // in start order, the statements that start on or before `line` are a prefix; the first of them that reaches `line` holds it
      const i = first(maxEnd, (v) => v >= line);
      return i < n && statements[i].startLine <= line ? statements[i] : undefined;
    },
  };
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
  const first = firstMatching(directives, findings);
  const kept = findings.filter((f) => {
    const hit = first(f);
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

/**
 * For each finding, the first directive (in `directives` order) that matches it: its rules are
 * empty or name the finding's rule, and it is a file directive or a line directive whose statement
 * holds the finding's start line. Not every directive is tried: file directives are looked up by
 * rule, line directives by the finding lines their statement covers (directives of the same
 * statement share one entry).
 */
function firstMatching(directives: readonly SuppressionDirective[], findings: readonly Finding[]): (f: Finding) => SuppressionDirective | undefined {
  const fileDirectives: number[] = [];
  const spans = new Map<string, { span: LineSpan; directives: number[] }>();
  directives.forEach((d, i) => {
    if (d.scope === 'file') fileDirectives.push(i);
    else if (d.appliesTo) {
      const key = `${d.appliesTo.startLine}:${d.appliesTo.endLine}`;
      const entry = spans.get(key);
      if (entry) entry.directives.push(i);
      else spans.set(key, { span: d.appliesTo, directives: [i] });
    }
  });
  // the finding lines, and for each the statements (with their directives) that cover it
  const lines = [...new Set(findings.map((f) => f.range.start.line))].sort((a, b) => a - b);
  const covering = new Map<number, number[][]>();
  for (const { span, directives: ds } of spans.values()) {
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid] >= span.startLine) hi = mid;
      else lo = mid + 1;
    }
    for (let k = lo; k < lines.length && lines[k] <= span.endLine; k++) {
      const list = covering.get(lines[k]);
      if (list) list.push(ds);
      else covering.set(lines[k], [ds]);
    }
  }
  const ruleOk = (d: SuppressionDirective, rule: string) => d.rules.length === 0 || d.rules.includes(rule);
  const fileFirst = new Map<string, number>();
  return (f) => {
    let best = fileFirst.get(f.rule);
    if (best === undefined) fileFirst.set(f.rule, (best = fileDirectives.find((i) => ruleOk(directives[i], f.rule)) ?? Infinity));
    for (const ds of covering.get(f.range.start.line) ?? []) {
      for (const i of ds) {
        if (i >= best) break;
        if (ruleOk(directives[i], f.rule)) {
          best = i;
          break;
        }
      }
    }
    return best === Infinity ? undefined : directives[best];
  };
}
