/**
 * `dl-lifecycle explain <subject>`: what the catalog and the rules say about one subject at
 * `--as-of`, as a hover would show it, from the shell. Subjects:
 *
 * - a framework and version: `pytorch 1.13`, `tensorflow 2.16.1`, `mxnet 1.9`;
 * - a requirement: `torch==2.1.0`, `tensorflow>=2.14,<2.16`;
 *
 * Exit codes: 0 explained, 2 usage error or a subject the catalog does not know.
 */
import { parseArgs } from 'node:util';
import { analyzeText } from '../../analysis';
import { resolveAsOf } from '../../asOf';
import type { Catalog, Framework } from '../../catalog/catalog';
import { normalizePackageName } from '../../catalog/catalog';
import type { Fact } from '../../model';
import { describeReference } from '../../rules/describe';
import { fileKindById } from '../../scanners/fileKinds';
import { CATALOG_OPTIONS, CATALOG_OPTIONS_USAGE, loadCliCatalog } from '../catalogOptions';
import type { CliIO } from '../io';
import { UsageError, wholeNumberOption } from '../io';

export const EXPLAIN_USAGE = `Usage: dl-lifecycle explain <subject> [options]

Prints what the lifecycle catalog and the rules say about one subject at --as-of: the answer a
hover gives in the editor.

Subjects:
  <framework> <version>   pytorch 1.13 · tensorflow 2.16.1 · mxnet 1.9 (a major.minor means its newest patch)
  <requirement>           torch==2.1.0 · 'tensorflow>=2.14,<2.16'

Options:
  --as-of YYYY-MM-DD      evaluation day (default: today, UTC)
  --warning-window DAYS   days before end of patch that count as ending soon (default: 90)
  --format FORMAT         text|json (default: text)
${CATALOG_OPTIONS_USAGE}  -h, --help              show this help
`;

/** What `explain` found out, for both output formats. */
export interface Explanation {
  subject: string;
  kind: 'framework-version';
  title: string;
  status?: string;
  facts: Fact[];
  findings: Array<{ rule: string; severity: string; message: string }>;
  asOf: string;
  catalog: string;
}

function findFramework(catalog: Catalog, name: string): Framework | undefined {
  const norm = normalizePackageName(name);
  return catalog.frameworkForPackage(norm) ?? catalog.frameworks.find((f) => f.id === norm || normalizePackageName(f.name) === norm);
}

/** The one-line requirements text that stands for the subject, or undefined when it is not a framework subject. */
function requirementFor(catalog: Catalog, args: string[]): string | undefined {
  if (args.length === 2) {
    const fw = findFramework(catalog, args[0]);
    if (!fw) throw new UsageError(`unknown framework '${args[0]}' (known: ${catalog.frameworks.map((f) => f.id).join(', ')})`);
    const version = args[1].replace(/^v/, '');
    if (/^\d+\.\d+$/.test(version)) return `${fw.packages[0]}==${version}.*`;
    if (/^\d+\.\d+\.\d+$/.test(version)) return `${fw.packages[0]}==${version}`;
    throw new UsageError(`'${args[1]}' is not a framework version (major.minor or major.minor.patch)`);
  }
  if (args.length === 1) {
    const name = /^[A-Za-z0-9._-]+/.exec(args[0])?.[0];
    if (name && findFramework(catalog, name) && name.length < args[0].length) return args[0];
  }
  return undefined;
}

/**
 * Explains a subject. @throws UsageError when the subject is not one the catalog knows
 */
export function explain(args: string[], catalog: Catalog, asOf: string, warningWindowDays: number): Explanation {
  const subject = args.join(' ');
  const line = requirementFor(catalog, args);
  if (line === undefined) throw new UsageError(`cannot explain '${subject}': give a framework and version (pytorch 1.13) or a requirement (torch==2.1.0)`);
  const kind = fileKindById('pip-requirements')!;
  const analysis = analyzeText(`${line}\n`, 'requirements.txt', kind, catalog, { asOf, warningWindowDays });
  const ref = analysis.scan.references[0];
  const d = ref ? describeReference(ref, analysis.context) : undefined;
  if (!ref || !d) throw new UsageError(`cannot explain '${subject}': '${line}' is not a framework pin the catalog can evaluate`);
  return {
    subject,
    kind: 'framework-version',
    title: d.title,
    status: d.status,
    facts: d.facts,
    findings: analysis.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
    asOf,
    catalog: catalog.generated,
  };
}

/** Renders an explanation as aligned text. */
export function explanationText(e: Explanation): string {
  const out = [`${e.title} (${e.subject})`];
  if (e.status) out.push(`  ${e.status.replace(/`/g, "'")}`);
  out.push('');
  const width = Math.max(...e.facts.map((f) => f.label.length), 0);
  for (const f of e.facts) {
    out.push(`  ${f.label.padEnd(width)}  ${f.value}`);
    if (f.source) out.push(`  ${''.padEnd(width)}  source: ${f.source}`);
  }
  out.push('');
  if (e.findings.length === 0) out.push('  No findings.');
  for (const f of e.findings) out.push(`  ${f.severity} ${f.rule}: ${f.message}`);
  out.push('', `Evaluated as of ${e.asOf} · catalog dated ${e.catalog}`);
  return `${out.join('\n')}\n`;
}

/** `dl-lifecycle explain <subject> [options]`; returns the exit code. @throws UsageError, CatalogError */
export function runExplain(argv: string[], io: CliIO): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...CATALOG_OPTIONS, 'as-of': { type: 'string' }, format: { type: 'string' }, 'warning-window': { type: 'string' } },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0].replace(/\. To specify.*$/, '')} (see dl-lifecycle explain --help)`);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('missing subject (see dl-lifecycle explain --help)');
  let asOf: string;
  try {
    asOf = resolveAsOf(values['as-of']);
  } catch {
    throw new UsageError(`--as-of must be a calendar day YYYY-MM-DD, got '${values['as-of']}'`);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got '${format}'`);
  const window = wholeNumberOption('--warning-window', values['warning-window'], 90);
  const catalog = loadCliCatalog(values, io);
  const e = explain(positionals, catalog, asOf, window);
  io.stdout(format === 'json' ? `${JSON.stringify(e, null, 2)}\n` : explanationText(e));
  return 0;
}
