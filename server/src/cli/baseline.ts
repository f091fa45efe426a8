/**
 * Baselines: the findings a project has accepted for now, recorded in a file to commit, so that CI
 * fails only on new ones (`dl-lifecycle baseline create`, `dl-lifecycle scan --baseline FILE`).
 *
 * A finding is identified by its key: the file (relative to the folder the CLI runs in, forward
 * slashes), the rule, the subject and the version; never its line, so that edits that move a
 * finding keep it baselined. A key may occur several times in a file (the same pin in two
 * sections), so the baseline records a count per key: of the run's findings with a key, the first
 * `count` in file and position order are baselined, and any further ones are new.
 *
 * The file is JSON, one finding key a line, sorted, so that it diffs well:
 *
 * ```json
 * {
 *   "version": 1,
 *   "tool": "dl-lifecycle",
 *   "asOf": "2026-11-21",
 *   "findings": [
 *     {"file": "requirements.txt", "rule": "end-of-patch", "subject": "pytorch", "version": "1.13.1", "count": 1}
 *   ]
 * }
 * ```
 *
 * Everything here is pure except {@link readBaselineFile}, which reads the file.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CalendarDay } from '../dates';
import { isCalendarDay } from '../dates';
import type { Finding } from '../model';
import type { ScanRun } from './scan';
import { InputError } from './scan';

/** The baseline file format version this CLI writes and reads. */
export const BASELINE_VERSION = 1;

/** What identifies a finding in a baseline; `version` is `''` for findings without one. */
export interface BaselineKey {
  /** Relative to the folder the CLI runs in, forward slashes (as the CLI prints paths). */
  file: string;
  rule: string;
  subject: string;
  version: string;
}

/** A key with how many findings of the run carried it when the baseline was made (a whole number, at least 1). */
export interface BaselineEntry extends BaselineKey {
  count: number;
}

/** A baseline file's content. `asOf` is the evaluation day (UTC calendar day) of the scan that made it. */
export interface Baseline {
  version: typeof BASELINE_VERSION;
  tool: 'dl-lifecycle';
  asOf: CalendarDay;
  /** Sorted by file, rule, subject, version; one entry per key. */
  findings: BaselineEntry[];
}

/** How a scan compares to a baseline. */
export interface BaselineMatch {
  /**
   * Per file of the run (index into `run.files`), per finding (index into its `analysis.findings`):
   * the baseline covers the finding.
   */
  baselined: boolean[][];
  /** How many findings of the run the baseline covers. */
  baselinedCount: number;
  /** How many findings of the run are not in the baseline. */
  newCount: number;
  /** How many findings the baseline records that the run no longer has: per key, its count minus the run's findings with that key, when positive (fixed or moved to another file). */
  noLongerOccur: number;
}

/** A baseline a scan is compared with: the file as given on the command line, and the comparison. */
export interface BaselineUse {
  file: string;
  match: BaselineMatch;
}

/** The key of a finding of `file` (a path as the CLI prints it). */
export function baselineKeyOf(file: string, f: Finding): BaselineKey {
  return { file, rule: f.rule, subject: f.subject, version: f.version ?? '' };
}

/** A key as one string, unambiguous whatever the parts contain. */
function keyId(k: BaselineKey): string {
  return JSON.stringify([k.file, k.rule, k.subject, k.version]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders keys by file, rule, subject, version (code unit order, independent of the locale). */
export function compareBaselineKeys(a: BaselineKey, b: BaselineKey): number {
  return compareText(a.file, b.file) || compareText(a.rule, b.rule) || compareText(a.subject, b.subject) || compareText(a.version, b.version);
}

/** Adds up entries with the same key and sorts them by {@link compareBaselineKeys}. */
function normalize(entries: Iterable<BaselineEntry>): BaselineEntry[] {
  const byKey = new Map<string, BaselineEntry>();
  for (const e of entries) {
    const id = keyId(e);
    const seen = byKey.get(id);
    if (seen) seen.count += e.count;
    else byKey.set(id, { file: e.file, rule: e.rule, subject: e.subject, version: e.version, count: e.count });
  }
  return [...byKey.values()].sort(compareBaselineKeys);
}

/** The baseline of a scan: every finding of every file, counted by key. `asOf` is the scan's evaluation day. */
export function buildBaseline(run: ScanRun, asOf: CalendarDay): Baseline {
  const entries = run.files.flatMap((file) => file.analysis.findings.map((f) => ({ ...baselineKeyOf(file.file, f), count: 1 })));
  return { version: BASELINE_VERSION, tool: 'dl-lifecycle', asOf, findings: normalize(entries) };
}

/** The number of findings a baseline records (the sum of its counts). */
export function baselineSize(baseline: Baseline): number {
  return baseline.findings.reduce((n, e) => n + e.count, 0);
}

/** The baseline file's text: JSON with one entry a line, in the order of `baseline.findings`, ending with a line break. */
export function serializeBaseline(baseline: Baseline): string {
  const entry = (e: BaselineEntry) =>
    `    {"file": ${JSON.stringify(e.file)}, "rule": ${JSON.stringify(e.rule)}, "subject": ${JSON.stringify(e.subject)}, "version": ${JSON.stringify(e.version)}, "count": ${e.count}}`;
  const findings = baseline.findings.length ? `[\n${baseline.findings.map(entry).join(',\n')}\n  ]` : '[]';
  return `{\n  "version": ${baseline.version},\n  "tool": ${JSON.stringify(baseline.tool)},\n  "asOf": ${JSON.stringify(baseline.asOf)},\n  "findings": ${findings}\n}\n`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads and checks a baseline file's text. Fields the format does not know are ignored; entries
 * with the same key are added up.
 * @param name how the file is named in messages (the `--baseline` value)
 * @throws InputError `--baseline NAME: <what is wrong>` when the text is not JSON or not a version 1 baseline
 */
export function parseBaseline(text: string, name: string): Baseline {
  const fail = (what: string): never => {
    throw new InputError(`--baseline ${name}: ${what}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(data)) return fail('not a baseline file (expected a JSON object with "version", "tool", "asOf" and "findings")');
  if (data.tool !== 'dl-lifecycle') fail(`"tool" must be "dl-lifecycle", got ${JSON.stringify(data.tool) ?? 'nothing'}`);
  if (data.version !== BASELINE_VERSION) fail(`"version" must be ${BASELINE_VERSION}, got ${JSON.stringify(data.version) ?? 'nothing'}${typeof data.version === 'number' && data.version > BASELINE_VERSION ? ' (written by a newer dl-lifecycle)' : ''}`);
  if (typeof data.asOf !== 'string' || !isCalendarDay(data.asOf)) fail(`"asOf" must be a calendar day YYYY-MM-DD, got ${JSON.stringify(data.asOf) ?? 'nothing'}`);
  if (!Array.isArray(data.findings)) return fail(`"findings" must be a list, got ${JSON.stringify(data.findings) ?? 'nothing'}`);
  const entries: BaselineEntry[] = data.findings.map((e: unknown, i: number) => {
    const at = `findings[${i}]`;
    if (!isObject(e)) return fail(`${at} must be an object with "file", "rule", "subject", "version" and "count"`);
    for (const field of ['file', 'rule'] as const) if (typeof e[field] !== 'string' || e[field] === '') fail(`${at}.${field} must be a non-empty string, got ${JSON.stringify(e[field]) ?? 'nothing'}`);
    for (const field of ['subject', 'version'] as const) if (typeof e[field] !== 'string') fail(`${at}.${field} must be a string, got ${JSON.stringify(e[field]) ?? 'nothing'}`);
    if (typeof e.count !== 'number' || !Number.isInteger(e.count) || e.count < 1) fail(`${at}.count must be a whole number of at least 1, got ${JSON.stringify(e.count) ?? 'nothing'}`);
    return { file: e.file as string, rule: e.rule as string, subject: e.subject as string, version: e.version as string, count: e.count as number };
  });
  return { version: BASELINE_VERSION, tool: 'dl-lifecycle', asOf: data.asOf as CalendarDay, findings: normalize(entries) };
}

/**
 * Reads a baseline file.
 * @param file the path as given (relative to `cwd`), also how messages name it
 * @throws InputError `--baseline FILE: no such file`, `cannot read (…)`, or what {@link parseBaseline} finds wrong
 */
export function readBaselineFile(file: string, cwd: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`--baseline ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(e)})`}`);
  }
  return parseBaseline(text, file);
}

/**
 * Compares a scan with a baseline. For each key, the run's first `count` findings with it (files
 * in the run's order, findings of a file by start position) are baselined; further ones are new.
 * Keys the run has fewer findings of than recorded count toward `noLongerOccur`.
 */
export function matchBaseline(run: ScanRun, baseline: Baseline): BaselineMatch {
  const left = new Map<string, number>(baseline.findings.map((e) => [keyId(e), e.count]));
  let baselinedCount = 0;
  let newCount = 0;
  const baselined = run.files.map((file) => {
    const findings = file.analysis.findings;
    const flags = findings.map(() => false);
    const order = findings.map((_, i) => i).sort((a, b) => {
      const x = findings[a].range.start;
      const y = findings[b].range.start;
      return x.line - y.line || x.character - y.character || a - b;
    });
    for (const i of order) {
      const id = keyId(baselineKeyOf(file.file, findings[i]));
      const n = left.get(id) ?? 0;
      if (n > 0) {
        left.set(id, n - 1);
        flags[i] = true;
        baselinedCount++;
      } else {
        newCount++;
      }
    }
    return flags;
  });
  let noLongerOccur = 0;
  for (const n of left.values()) noLongerOccur += n;
  return { baselined, baselinedCount, newCount, noLongerOccur };
}
