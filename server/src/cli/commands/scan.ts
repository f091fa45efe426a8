/**
 * `dl-lifecycle scan`: parses its options, scans the paths with the shared core and prints the
 * report (text, JSON, SARIF or JUnit XML). Exit codes: 0 clean; 1 a finding that is not baselined
 * is at or above `--fail-on`, or more findings that are not baselined are warnings or errors than
 * `--max-warnings` allows; 2 usage or input error (a missing or malformed `--baseline` file), or a
 * problem in a policy file (printed as `path:line:col: message` on stderr; the scan still runs
 * with the valid rest of the policy).
 *
 * With `--baseline FILE` (written by `dl-lifecycle baseline create`), findings the baseline
 * records are still reported, marked as baselined, and never fail the run (see `../baseline.ts`
 * for how findings are matched). `--as-of` pins the evaluation day, so that CI results do not
 * change as dates pass.
 */
import type { Catalog } from '../../catalog/catalog';
import type { CalendarDay } from '../../dates';
import type { Severity } from '../../model';
import type { BaselineUse } from '../baseline';
import { matchBaseline, readBaselineFile } from '../baseline';
import { toJsonReport, toTextReport } from '../format';
import { toJunitReport } from '../junit';
import { toSarifReport } from '../sarif';
import type { CliIO } from '../io';
import { asOfOption, formatOption, parseCommandArgs, UsageError, VERSION, wholeDaysOption } from '../io';
import { CATALOG_OPTIONS, CATALOG_OPTIONS_USAGE, loadCliCatalogParts } from '../catalogOptions';
import type { PolicyChoice, ScanRun } from '../scan';
import { displayPath, scanPathsAsync } from '../scan';

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
const FAIL_ON = ['error', 'warning', 'information', 'hint', 'never'] as const;

/** The `parseArgs` specs of the options that say what is scanned and how it is judged: shared by `scan` and `baseline create`. */
export const SCAN_INPUT_OPTIONS = {
  ...CATALOG_OPTIONS,
  'as-of': { type: 'string' },
  exclude: { type: 'string', multiple: true },
  'warning-window': { type: 'string' },
  'max-file-size': { type: 'string' },
  policy: { type: 'string' },
  'no-policy': { type: 'boolean' },
  text: { type: 'string', multiple: true },
  'no-text': { type: 'boolean' },
} as const;

/** The values of {@link SCAN_INPUT_OPTIONS} as `parseArgs` returns them. */
export interface ScanInputValues {
  'cache-dir'?: string;
  'no-cache'?: boolean;
  'as-of'?: string;
  exclude?: string[];
  'warning-window'?: string;
  'max-file-size'?: string;
  policy?: string;
  'no-policy'?: boolean;
  text?: string[];
  'no-text'?: boolean;
}

/** Usage lines of the options of {@link SCAN_INPUT_OPTIONS} but `--as-of` (each command words that one itself). */
export const SCAN_INPUT_USAGE = `  --exclude GLOB          leave out paths matching GLOB (relative to each scanned folder; repeatable)
  --warning-window DAYS   days before end of patch that end-of-patch-soon reports (default: 90)
  --max-file-size MB      skip files larger than this (default: 2)
  --text GLOB             also search files matching GLOB (e.g. '**/*.md') for image URIs, DLAMI
                          names and SSM paths (repeatable); shell scripts and Makefiles are searched
                          by default
  --no-text               do not search shell scripts and Makefiles
${CATALOG_OPTIONS_USAGE}  --policy FILE           use this policy file for every file (a .dl-lifecycle.toml, or a pyproject.toml
                          with [tool.dl-lifecycle]) instead of each file's nearest one
  --no-policy             use no policy file
`;

export const SCAN_USAGE = `Usage: dl-lifecycle scan [paths...] [options]

Scans files and folders (default: the current folder) for framework, image, AMI and Neuron SDK
references and judges them by AWS's lifecycle policies.

Options:
  --as-of YYYY-MM-DD      evaluation day (default: today, UTC); pin CI results to a day so that
                          they do not change as dates pass
  --fail-on LEVEL         error|warning|information|hint|never: exit 1 when a finding that is not
                          baselined is at or above LEVEL (default: error)
  --max-warnings N        exit 1 when more than N findings that are not baselined are warnings or
                          errors (default: no limit); independent of --fail-on
  --baseline FILE         a baseline written by 'dl-lifecycle baseline create': the findings it
                          records are still listed, marked baselined, and never fail the run
  --format FORMAT         text|json|sarif|junit (default: text); sarif is SARIF 2.1.0 for code
                          scanning, junit is JUnit XML for CI test reports
${SCAN_INPUT_USAGE}  -h, --help              show this help

Each file is judged under its nearest policy file (.dl-lifecycle.toml, or pyproject.toml with a
[tool.dl-lifecycle] table, found by walking up from the file's folder). --as-of and
--warning-window override the policy file; --exclude adds to its exclude. A policy file with
problems is reported as 'path:line:col: message' lines on stderr, the scan runs with the valid
rest of it, and the exit code is 2.

Exit codes: 0 clean; 1 a finding at or above --fail-on, or more than --max-warnings warnings
(baselined findings count for neither); 2 a usage error, a path or --baseline file that cannot
be read, or a problem in the catalog or a policy file.
`;

/** What {@link scanInput} returns: the scan, the catalog it used, and the days it was judged at. */
export interface ScanInput {
  result: ScanRun;
  catalog: Catalog;
  /** `--as-of`, or today (UTC). */
  asOf: CalendarDay;
  /** The day the report names: the one evaluation day of the run, else `asOf` (policy files set several). */
  reportAsOf: CalendarDay;
  /** How many problems the policy files the scan used have (printed on stderr). */
  policyProblems: number;
}

/** Options of {@link SCAN_INPUT_OPTIONS} checked, without reading anything. @throws UsageError */
export function checkScanInput(values: ScanInputValues) {
  const asOf = asOfOption(values['as-of']);
  const window = wholeDaysOption('--warning-window', values['warning-window'], 90);
  if (values.policy !== undefined && values['no-policy']) throw new UsageError('--policy and --no-policy cannot be used together');
  const policy: PolicyChoice = values['no-policy'] ? { mode: 'none' } : values.policy !== undefined ? { mode: 'file', file: values.policy } : { mode: 'nearest' };
  const maxMb = values['max-file-size'] === undefined ? 2 : Number(values['max-file-size']);
  if (!(maxMb > 0)) throw new UsageError(`--max-file-size must be a positive number of MB, got '${values['max-file-size']}'`);
  return { asOf, window, policy, maxMb };
}

/**
 * Scans `paths` under the options of {@link SCAN_INPUT_OPTIONS} (checked with
 * {@link checkScanInput}); prints the problems of the policy files used on stderr.
 * @throws UsageError, InputError, CatalogError
 */
export async function scanInput(paths: string[], values: ScanInputValues, io: CliIO): Promise<ScanInput> {
  const { asOf, window, policy, maxMb } = checkScanInput(values);
  const { catalog, parts, origins } = loadCliCatalogParts(values, io);
  // with DL_LIFECYCLE_WORKERS, worker threads read and analyse files too (scanPool.ts); the result is the same
  const result = await scanPathsAsync(paths, catalog, {
    cwd: io.cwd,
    asOf,
    warningWindowDays: window,
    exclude: values.exclude,
    maxFileBytes: Math.round(maxMb * 1024 * 1024),
    policy,
    text: { scripts: !values['no-text'], textGlobs: values.text },
    commandLine: { asOf: values['as-of'] === undefined ? undefined : asOf, warningWindowDays: values['warning-window'] === undefined ? undefined : window },
  }, { parts, origins, env: io.env, mainThreadAnalyses: io.env.DL_LIFECYCLE_SCAN_MAIN_THREAD !== '0' });
  // how the work was shared, with DL_LIFECYCLE_SCAN_STATS=1 (benchmarks and tests; the report is the same either
  // way); DL_LIFECYCLE_WORKERS sets the number of worker threads, DL_LIFECYCLE_SCAN_MAIN_THREAD=0 leaves every file to them
  if (io.env.DL_LIFECYCLE_SCAN_STATS === '1') io.stderr(`dl-lifecycle: scan: ${result.files.length} files analysed; ${result.workers?.files ?? 0} read by ${result.workers?.threads ?? 0} worker threads, the rest on the main thread\n`);
  const policyProblems = printPolicyProblems(result, io);
  const reportAsOf = result.asOfDays.length === 1 ? result.asOfDays[0] : asOf;
  return { result, catalog, asOf, reportAsOf, policyProblems };
}

/** `--max-warnings`: a whole number (at least 0), or no limit when absent. @throws UsageError */
function maxWarningsOption(text: string | undefined): number {
  if (text === undefined) return Infinity;
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--max-warnings must be a whole number (0 or more), got '${text}'`);
  return n;
}

/** `dl-lifecycle scan [paths...] [options]`; resolves to the exit code. @throws UsageError, InputError, CatalogError */
export async function runScan(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals: paths } = parseCommandArgs(
    argv,
    {
      ...SCAN_INPUT_OPTIONS,
      'fail-on': { type: 'string' },
      'max-warnings': { type: 'string' },
      baseline: { type: 'string' },
      format: { type: 'string' },
    },
    '--help',
  );
  const failOn = values['fail-on'] ?? 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join('|')}, got '${failOn}'`);
  const format = formatOption(values.format, ['sarif', 'junit'] as const);
  const maxWarnings = maxWarningsOption(values['max-warnings']);
  checkScanInput(values);
  const baselineFile = values.baseline;
  const recorded = baselineFile === undefined ? undefined : readBaselineFile(baselineFile, io.cwd);

  const { result, catalog, reportAsOf, policyProblems } = await scanInput(paths, values, io);
  const baseline: BaselineUse | undefined = recorded && baselineFile !== undefined ? { file: baselineFile, match: matchBaseline(result, recorded) } : undefined;
  if (format === 'text') {
    const color = io.isTTY && !io.env.NO_COLOR;
    io.stdout(toTextReport(result, reportAsOf, catalog, color, io.cwd, baseline));
  } else {
    if (format === 'junit') io.stdout(toJunitReport(result, failOn as Severity | 'never', baseline?.match));
    else {
      const report = format === 'json' ? toJsonReport(result, reportAsOf, catalog, io.cwd, baseline) : toSarifReport(result, reportAsOf, catalog, VERSION, baseline?.match);
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    }
    for (const n of result.notes) io.stderr(`note: ${n.path}: ${n.message}\n`);
  }
  if (policyProblems > 0) return 2;

  // what may fail the run: the findings that are not baselined
  const open = result.files.flatMap((f, fi) => f.analysis.findings.filter((_, xi) => !baseline?.match.baselined[fi][xi]));
  const warnings = open.filter((x) => RANK[x.severity] >= RANK.warning).length;
  const tooMany = warnings > maxWarnings;
  if (tooMany) io.stderr(`dl-lifecycle: ${warnings} finding${warnings === 1 ? '' : 's'} at warning or above${baseline ? ' not in the baseline' : ''}, more than --max-warnings ${maxWarnings}\n`);
  const failing = failOn !== 'never' && open.some((x) => RANK[x.severity] >= RANK[failOn as Severity]);
  return failing || tooMany ? 1 : 0;
}

/** Prints each problem of the policy files the scan used as `path:line:col: message` (1-based line and UTF-16 column) on stderr; returns how many. */
function printPolicyProblems(run: ScanRun, io: CliIO): number {
  let count = 0;
  for (const p of run.policies) {
    const file = displayPath(io.cwd, p.file);
    for (const x of p.problems) {
      io.stderr(`${file}:${x.range.start.line + 1}:${x.range.start.character + 1}: ${x.message}\n`);
      count++;
    }
  }
  return count;
}
