/**
 * `dl-lifecycle scan --format junit`: the scan as JUnit XML, the test report format most CI
 * systems show (GitLab, Jenkins, Azure Pipelines, CircleCI, GitHub test-report actions).
 *
 * - `<testsuites name="dl-lifecycle">` with the totals; one `<testsuite>` per file that has
 *   references or findings (`name` is the file relative to the current folder, forward slashes).
 * - One `<testcase>` per finding, in position order, named `line:column rule: what`
 *   (1-based line and UTF-16 column): a `<failure>` when the finding is at or above `--fail-on`,
 *   `<skipped>` when it would fail but is baselined, else passing with the message as
 *   `<system-out>`. One passing `<testcase>` per reference no finding is about.
 * - `classname` and `file` are the file, `line` the 1-based line.
 * - No clock, no timings: the report of the same files on the same `--as-of` is the same.
 *
 * Text is escaped for XML 1.0; characters XML 1.0 cannot hold at all (control characters other
 * than tab and line breaks, unpaired surrogates) become U+FFFD.
 */
import type { Finding, Reference, Severity } from '../model';
import type { BaselineMatch } from './baseline';
import type { ScanRun } from './scan';

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** Characters XML 1.0 does not allow, escaped or not. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Escapes text for XML 1.0 element content and double- or single-quoted attribute values: `&`,
 * `<`, `>`, `"`, `'`, and line breaks and tabs as character references (so that attribute values
 * keep them); characters XML cannot hold become U+FFFD.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]);
}
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Escapes element content: as {@link escapeXml}, but quotes, tabs and line feeds stay as they are (content keeps them). */
function escapeContent(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>\r]/g, (c) => ENTITIES[c]);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

interface Case {
  line: number;
  character: number;
  xml: string;
  failed: boolean;
  skipped: boolean;
}

/**
 * The JUnit XML report of a scan. `failOn`: findings at or above this severity (and not
 * baselined) are failures (`never`: none). `baseline`: the scan's comparison with a baseline
 * file; baselined findings that would fail are reported as skipped.
 */
export function toJunitReport(run: ScanRun, failOn: Severity | 'never', baseline?: BaselineMatch): string {
  const threshold = failOn === 'never' ? Infinity : RANK[failOn];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const [fi, file] of run.files.entries()) {
    const { findings, scan } = file.analysis;
    if (findings.length === 0 && scan.references.length === 0) continue;
    const cases: Case[] = [];
    const about = new Set<Reference>();
    for (const [xi, f] of findings.entries()) {
      if (f.reference) about.add(f.reference);
      cases.push(findingCase(file.file, f, RANK[f.severity] >= threshold, baseline?.baselined[fi][xi] ?? false));
    }
    for (const r of scan.references) {
      if (about.has(r)) continue;
      const { line, character } = r.range.start;
      const name = `${line + 1}:${character + 1} ${r.text}`;
      cases.push({ line, character, failed: false, skipped: false, xml: `    <testcase${attrs({ classname: file.file, name, file: file.file, line: line + 1 })}/>` });
    }
    cases.sort((a, b) => a.line - b.line || a.character - b.character);
    const f = cases.filter((c) => c.failed).length;
    const s = cases.filter((c) => c.skipped).length;
    tests += cases.length;
    failures += f;
    skipped += s;
    suites.push(`  <testsuite${attrs({ name: file.file, tests: cases.length, failures: f, errors: 0, skipped: s })}>\n${cases.map((c) => c.xml).join('\n')}\n  </testsuite>`);
  }
  const body = suites.length ? `\n${suites.join('\n')}\n` : '\n';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: 'dl-lifecycle', tests, failures, errors: 0, skipped })}>${body}</testsuites>\n`;
}

/** The test case of one finding: failed (at or above the threshold, not baselined), skipped (would fail, baselined) or passed. */
function findingCase(file: string, f: Finding, atThreshold: boolean, baselined: boolean): Case {
  const { line, character } = f.range.start;
  const what = f.reference?.text ?? [f.subject, f.version].filter(Boolean).join(' ');
  const head = `    <testcase${attrs({ classname: file, name: `${line + 1}:${character + 1} ${f.rule}: ${what}`, file, line: line + 1 })}>`;
  const detail = [`${file}:${line + 1}:${character + 1}: ${f.severity}: ${f.message} (${f.rule})`, ...f.fixes.map((x) => `fix: ${x.title}`)].join('\n');
  if (atThreshold && !baselined) {
    return { line, character, failed: true, skipped: false, xml: `${head}\n      <failure${attrs({ message: f.message, type: f.rule })}>${escapeContent(detail)}</failure>\n    </testcase>` };
  }
  if (atThreshold) {
    return { line, character, failed: false, skipped: true, xml: `${head}\n      <skipped${attrs({ message: `baselined: ${f.message}` })}/>\n    </testcase>` };
  }
  return { line, character, failed: false, skipped: false, xml: `${head}\n      <system-out>${escapeContent(detail)}</system-out>\n    </testcase>` };
}
