/**
 * Poetry version constraints → PEP 440 specifier clauses, with the offset of each version as
 * written, so that the framework rules (which read PEP 440 clauses) and the package-pin fixes
 * (which edit a clause's version text) work on `pyproject.toml` Poetry dependencies.
 *
 * Grammar read (Poetry "Dependency specification", poetry-core `parse_constraint`):
 * | written            | clauses                                  |
 * | ------------------ | ---------------------------------------- |
 * | `*`, `x`, empty    | none (any version)                       |
 * | `1.13.1`, `=1.13.1`, `==1.13.1` | `==1.13.1`                  |
 * | `1.13.*`, `1.13.x` | `==1.13.*`                               |
 * | `^1.13`            | `>=1.13` written, `<2.0` implied          |
 * | `^0.2.3`, `^0.0.3` | `>=0.2.3,<0.3`, `>=0.0.3,<0.0.4`          |
 * | `~1.13`, `~1.13.1`, `~1` | `>=1.13,<1.14`, `>=1.13.1,<1.14`, `>=1,<2` |
 * | `~=`, `>=`, `>`, `<`, `<=`, `!=` (`<>`), `===` | as in PEP 440 |
 * | `>=1.2,<2.0`, `>=1.2 <2.0` | both clauses (comma or space: and) |
 * | `^1.13 \|\| ^2.0`, `\|` | alternatives: one is chosen (see {@link parsePoetryConstraint}) |
 * A `v` before a version (`^v1.2`) is allowed and left out of the version range.
 * Requirement-specifier sets of PEP 440 (`requires-python`, Pipfile values) are a subset.
 */
import { compare, maxSatisfying, valid } from '@renovatebot/pep440';
import type { Range, SpecifierClause } from '../model';

/** A PEP 440 clause read from a constraint; `from`/`to` are offsets of the version as written in the constraint text. */
export interface ConstraintClause {
  operator: string;
  /** PEP 440 version text: as written, except wildcards `x`/`X` read as `*` and computed upper bounds. */
  version: string;
  from: number;
  to: number;
  /** The upper bound of `^`/`~`: not written (see `SpecifierClause.implied`). */
  implied?: boolean;
}

/** What {@link parsePoetryConstraint} read. */
export interface PoetryConstraintParse {
  /** The clauses of the chosen alternative; empty when it allows any version. */
  clauses: ConstraintClause[];
  /** How many `||` alternatives were written (1 without `||`). */
  alternatives: number;
  /** Offsets `[from, to)` of the constraint without surrounding spaces; from = to when empty. */
  from: number;
  to: number;
  /** Why the text is no constraint, with the offsets of the offending part; `clauses` is then empty. */
  error?: { from: number; to: number; message: string };
}

const OPERATORS = ['===', '==', '!=', '<>', '~=', '>=', '<=', '<', '>', '=', '^', '~'] as const;
const VERSION_CHAR = /[A-Za-z0-9_.*+!-]/;
const MAX_INPUT = 4096;

/** Release components of a version (`2.1.0rc1` → [2, 1, 0]); empty when it does not start with a number. */
function releaseOf(version: string): number[] {
  const m = /^\d{1,9}(?:\.\d{1,9}){0,8}/.exec(version);
  return m ? m[0].split('.').map(Number) : [];
}

/** The implied upper bound of `^` (bump the first non-zero component) or `~` (bump the minor, or the major when alone). */
function upperBound(op: '^' | '~', release: number[]): string {
  let at: number;
  if (op === '~') at = release.length === 1 ? 0 : 1;
  else {
    at = release.findIndex((n) => n !== 0);
    if (at < 0) at = release.length - 1;
  }
  const parts = release.slice(0, at + 1);
  parts[at] += 1;
  while (parts.length < 2) parts.push(0);
  return parts.join('.');
}

/** A wildcard version (`*`, `x`, `1.*`, `1.2.x`): `any` alone, else the `.*` form. */
function wildcard(version: string): 'any' | string | undefined {
  if (/^[*xX](?:\.[*xX]){0,3}$/.test(version)) return 'any';
  const m = /^(\d{1,9}(?:\.\d{1,9}){0,8})\.[*xX]$/.exec(version);
  return m ? `${m[1]}.*` : undefined;
}

/**
 * How a constraint is read: `poetry` (the whole grammar above) or `pep440` (a PEP 440 specifier
 * set as in `requires-python` and Pipfile values: an operator before every version, no `^`, `~`,
 * `=`, `<>`, `x` wildcards or `||`).
 */
export type ConstraintDialect = 'poetry' | 'pep440';

const PEP440_OPERATORS = new Set(['===', '==', '!=', '~=', '>=', '<=', '<', '>']);

/** Reads one `op version` term at `at`; returns the clauses and the offset after it, or an error. */
function readTerm(text: string, at: number, out: ConstraintClause[], dialect: ConstraintDialect): number | { message: string; to: number } {
  const start = at;
  const op = OPERATORS.find((o) => text.startsWith(o, at)) ?? '';
  if (dialect === 'pep440' && !PEP440_OPERATORS.has(op) && !(op === '' && text[at] === '*')) {
    return { message: op ? `${op} is not a PEP 440 operator` : 'a version without an operator (such as ==)', to: Math.max(at + op.length, start + 1) };
  }
  at += op.length;
  while (text[at] === ' ' || text[at] === '\t') at++;
  if (text[at] === 'v' && /\d/.test(text[at + 1] ?? '')) at++;
  const vStart = at;
  while (at < text.length && VERSION_CHAR.test(text[at])) at++;
  const version = text.slice(vStart, at);
  if (!version) return { message: op ? `${op} without a version` : `unexpected ${JSON.stringify(text[at] ?? '')}`, to: Math.max(at + 1, start + 1) };
  if (!/^[0-9*xX]/.test(version)) return { message: `${JSON.stringify(version)} is not a version`, to: at };
  if (dialect === 'pep440' && /[xX]/.test(version) && /(^|\.)[xX]$/.test(version)) return { message: `${version} is not a PEP 440 version`, to: at };
  const clause = (operator: string, v: string, implied?: boolean): ConstraintClause =>
    implied ? { operator, version: v, from: vStart, to: at, implied } : { operator, version: v, from: vStart, to: at };
  const wild = wildcard(version);
  switch (op) {
    case '':
    case '=':
    case '==':
      if (wild === 'any') return at;
      out.push(clause('==', wild ?? version));
      return at;
    case '!=':
    case '<>':
      if (wild === 'any') return { message: `${op}${version} excludes every version`, to: at };
      out.push(clause('!=', wild ?? version));
      return at;
    case '^':
    case '~': {
      const release = releaseOf(version);
      if (release.length === 0 || wild || !valid(version)) return { message: `${op}${version} is not a Poetry constraint`, to: at };
      out.push(clause('>=', version), clause('<', upperBound(op, release), true));
      return at;
    }
    default:
      if (wild === 'any') return { message: `${op}${version} has no version`, to: at };
      out.push(clause(op, version));
      return at;
  }
}

/** Reads one alternative (`and` of terms separated by commas or spaces) of `text[from, to)`. */
function readAlternative(text: string, from: number, to: number, dialect: ConstraintDialect): { clauses: ConstraintClause[] } | { error: { from: number; to: number; message: string } } {
  const clauses: ConstraintClause[] = [];
  const sub = text.slice(0, to);
  let at = from;
  for (;;) {
    while (at < to && (sub[at] === ' ' || sub[at] === '\t' || sub[at] === ',')) at++;
    if (at >= to) return { clauses };
    const r = readTerm(sub, at, clauses, dialect);
    if (typeof r !== 'number') return { error: { from: at, to: Math.min(r.to, to), message: r.message } };
    if (r < to && !/[\s,]/.test(sub[r])) return { error: { from: r, to: r + 1, message: `unexpected ${JSON.stringify(sub[r])} after a version` } };
    at = r;
  }
}

/** The PEP 440 specifier text of clauses (`>=1.13, <2.0`), as the rules build it. */
export function pep440Specifier(clauses: readonly ConstraintClause[] | readonly SpecifierClause[]): string {
  return clauses.map((c) => `${c.operator}${c.version}`).join(', ');
}

/** The highest of `releases` an alternative allows, or undefined (none, or unreadable). */
function highestAllowed(clauses: readonly ConstraintClause[], releases: readonly string[]): string | undefined {
  if (clauses.length === 0) return releases.at(-1);
  try {
    return maxSatisfying([...releases], pep440Specifier(clauses)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** A sort key of an alternative without a known release: its upper bound (none = highest). */
function upperOf(clauses: readonly ConstraintClause[]): string | undefined {
  const uppers = clauses.filter((c) => c.operator === '<' || c.operator === '<=' || c.operator === '==' || c.operator === '===');
  if (uppers.length === 0) return undefined;
  return uppers.map((c) => c.version.replace(/\.\*$/, '.999999')).sort((a, b) => safeCompare(a, b))[0];
}

function safeCompare(a: string, b: string): number {
  try {
    return compare(a, b);
  } catch {
    return a < b ? -1 : a > b ? 1 : 0;
  }
}

/**
 * Reads a Poetry version constraint (or a PEP 440 specifier set, which is a subset).
 * With `||` alternatives, the one the framework rules would read at the highest release is
 * chosen: the rules evaluate a range at the highest known release it allows, so the chosen
 * alternative is the one allowing the highest of `releases` (the catalog's known releases of the
 * framework); when none allows a known release, the one with the highest upper bound (none being
 * highest), the later one on a tie.
 * @param text the constraint as decoded from its TOML string
 * @param releases known final releases, ascending (may be empty)
 * @param dialect `pep440` rejects what only Poetry accepts
 * @returns clauses with offsets into `text`; never throws (unreadable text gives `error`)
 */
export function parsePoetryConstraint(text: string, releases: readonly string[] = [], dialect: ConstraintDialect = 'poetry'): PoetryConstraintParse {
  const from = text.length - text.trimStart().length;
  const to = Math.max(from, text.trimEnd().length);
  if (text.length > MAX_INPUT) return { clauses: [], alternatives: 0, from, to, error: { from, to, message: 'the constraint is too long to read' } };
  const bounds: Array<[number, number]> = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (text[i] !== '|') continue;
    if (dialect === 'pep440') return { clauses: [], alternatives: 1, from, to, error: { from: i, to: i + 1, message: '| alternatives are not PEP 440' } };
    bounds.push([start, i]);
    if (text[i + 1] === '|') i++;
    start = i + 1;
  }
  bounds.push([start, to]);
  const alternatives: ConstraintClause[][] = [];
  for (const [a, b] of bounds) {
    const r = readAlternative(text, a, b, dialect);
    if ('error' in r) return { clauses: [], alternatives: bounds.length, from, to, error: r.error };
    if (text.slice(a, b).trim() === '' && bounds.length > 1) return { clauses: [], alternatives: bounds.length, from, to, error: { from: Math.max(from, a - 1), to: Math.max(a, b), message: 'empty alternative' } };
    alternatives.push(r.clauses);
  }
  let chosen = alternatives[alternatives.length - 1];
  if (alternatives.length > 1) {
    let best: { clauses: ConstraintClause[]; high?: string; upper?: string } | undefined;
    for (const clauses of alternatives) {
      const high = highestAllowed(clauses, releases);
      const upper = upperOf(clauses);
      const better = !best
        || (high && (!best.high || safeCompare(high, best.high) >= 0))
        || (!high && !best.high && (upper === undefined || (best.upper !== undefined && safeCompare(upper, best.upper) >= 0)));
      if (better) best = { clauses, high, upper };
    }
    chosen = best!.clauses;
  }
  return { clauses: chosen, alternatives: alternatives.length, from, to };
}

/** Clauses with document ranges: `range` maps offsets `[from, to)` of the constraint text to the document. */
export function specifierClauses(clauses: readonly ConstraintClause[], range: (from: number, to: number) => Range): SpecifierClause[] {
  return clauses.map((c) => {
    const out: SpecifierClause = { operator: c.operator, version: c.version, versionRange: range(c.from, c.to) };
    if (c.implied) out.implied = true;
    return out;
  });
}

/**
 * The one Python `major.minor` a constraint pins, with the offsets of the text a fix edits, or
 * undefined when it allows more than one minor version or cannot be moved by editing one version:
 * - `==3.8.*`, `3.8.*`, `~=3.8.0`, `~3.8`, `~3.8.1` (Poetry): the `3.8` of the text;
 * - `==3.8`, `==3.8.10`, `3.8.10` (Poetry, exact): the whole version;
 * - lower bounds (`>=3.8`), `^3.8`, `~=3.8` (any 3.x from 3.8) and two written bounds
 *   (`>=3.8,<3.9`, which one edit cannot move) pin no single version.
 * `!=` clauses are ignored; `||` alternatives never pin.
 */
export function pinnedMinor(parse: PoetryConstraintParse): { minor: string; from: number; to: number } | undefined {
  if (parse.error || parse.alternatives !== 1) return undefined;
  const cs = parse.clauses.filter((c) => c.operator !== '!=');
  const minorPrefix = (c: ConstraintClause) => {
    const m = /^(\d{1,4})\.(\d{1,4})/.exec(c.version);
    return m ? { minor: `${Number(m[1])}.${Number(m[2])}`, from: c.from, to: c.from + m[0].length } : undefined;
  };
  if (cs.length === 1) {
    const [c] = cs;
    if (c.operator === '==' && c.version.endsWith('.*')) return minorPrefix(c);
    if ((c.operator === '==' || c.operator === '===') && releaseOf(c.version).length >= 2) {
      const p = minorPrefix(c);
      return p && { minor: p.minor, from: c.from, to: c.to };
    }
    if (c.operator === '~=' && releaseOf(c.version).length === 3) return minorPrefix(c);
    return undefined;
  }
  if (cs.length === 2 && cs[0].operator === '>=' && cs[1].implied && cs[1].operator === '<') {
    const p = minorPrefix(cs[0]);
    const upper = releaseOf(cs[1].version);
    const lower = releaseOf(cs[0].version);
    if (p && upper.length === 2 && lower.length >= 2 && upper[0] === lower[0] && upper[1] === lower[1] + 1) return p;
  }
  return undefined;
}
