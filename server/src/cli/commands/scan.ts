/**
 * `dl-lifecycle scan`: parses its options, scans the paths with the shared core and prints the
 * report. Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or input error, or a
 * problem in a policy file (printed as `path:line:col: message` on stderr; the scan still runs
 * with the valid rest of the policy).
 */
import type { Severity } from '../../model';
import { toJsonReport, toTextReport } from '../format';
import { toSarifReport } from '../sarif';
import type { CliIO } from '../io';
import { asOfOption, formatOption, parseCommandArgs, UsageError, VERSION, wholeDaysOption } from '../io';
import { CATALOG_OPTIONS, CATALOG_OPTIONS_USAGE, loadCliCatalog } from '../catalogOptions';
import type { PolicyChoice, ScanRun } from '../scan';
import { displayPath, scanPaths } from '../scan';

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
const FAIL_ON = ['error', 'warning', 'information', 'hint', 'never'] as const;

export const SCAN_USAGE = `Usage: dl-lifecycle scan [paths...] [options]

Scans files and folders (default: the current folder) for framework, image, AMI and Neuron SDK
references and judges them by AWS's lifecycle policies.

Options:
  --as-of YYYY-MM-DD      evaluation day (default: today, UTC)
  --fail-on LEVEL         error|warning|information|hint|never: exit 1 when a finding is at or above LEVEL (default: error)
  --format FORMAT         text|json|sarif (default: text); sarif is SARIF 2.1.0 for code scanning
  --exclude GLOB          leave out paths matching GLOB (relative to each scanned folder; repeatable)
  --warning-window DAYS   days before end of patch that end-of-patch-soon reports (default: 90)
  --max-file-size MB      skip files larger than this (default: 2)
  --text GLOB             also search files matching GLOB (e.g. '**/*.md') for image URIs, DLAMI
                          names and SSM paths (repeatable); shell scripts and Makefiles are searched
                          by default
  --no-text               do not search shell scripts and Makefiles
${CATALOG_OPTIONS_USAGE}  --policy FILE           use this policy file for every file (a .dl-lifecycle.toml, or a pyproject.toml
                          with [tool.dl-lifecycle]) instead of each file's nearest one
  --no-policy             use no policy file
  -h, --help              show this help

Each file is judged under its nearest policy file (.dl-lifecycle.toml, or pyproject.toml with a
[tool.dl-lifecycle] table, found by walking up from the file's folder). --as-of and
--warning-window override the policy file; --exclude adds to its exclude. A policy file with
problems is reported as 'path:line:col: message' lines on stderr, the scan runs with the valid
rest of it, and the exit code is 2.
`;


/** `dl-lifecycle scan [paths...] [options]`; returns the exit code. @throws UsageError, InputError, CatalogError */
export function runScan(argv: string[], io: CliIO): number {
  const { values, positionals: paths } = parseCommandArgs(
    argv,
    {
      ...CATALOG_OPTIONS,
      'as-of': { type: 'string' },
      'fail-on': { type: 'string' },
      format: { type: 'string' },
      exclude: { type: 'string', multiple: true },
      'warning-window': { type: 'string' },
      'max-file-size': { type: 'string' },
      policy: { type: 'string' },
      'no-policy': { type: 'boolean' },
      text: { type: 'string', multiple: true },
      'no-text': { type: 'boolean' },
    },
    '--help',
  );
  const asOf = asOfOption(values['as-of']);
  const failOn = values['fail-on'] ?? 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join('|')}, got '${failOn}'`);
  const format = formatOption(values.format, ['sarif'] as const);
  const window = wholeDaysOption('--warning-window', values['warning-window'], 90);
  if (values.policy !== undefined && values['no-policy']) throw new UsageError('--policy and --no-policy cannot be used together');
  const policy: PolicyChoice = values['no-policy'] ? { mode: 'none' } : values.policy !== undefined ? { mode: 'file', file: values.policy } : { mode: 'nearest' };
  const maxMb = values['max-file-size'] === undefined ? 2 : Number(values['max-file-size']);
  if (!(maxMb > 0)) throw new UsageError(`--max-file-size must be a positive number of MB, got '${values['max-file-size']}'`);

  const catalog = loadCliCatalog(values, io);
  const result = scanPaths(paths, catalog, {
    cwd: io.cwd,
    asOf,
    warningWindowDays: window,
    exclude: values.exclude,
    maxFileBytes: Math.round(maxMb * 1024 * 1024),
    policy,
    text: { scripts: !values['no-text'], textGlobs: values.text },
    commandLine: { asOf: values['as-of'] === undefined ? undefined : asOf, warningWindowDays: values['warning-window'] === undefined ? undefined : window },
  });
  const policyProblems = printPolicyProblems(result, io);
  const reportAsOf = result.asOfDays.length === 1 ? result.asOfDays[0] : asOf;
  if (format === 'json' || format === 'sarif') {
    const report = format === 'json' ? toJsonReport(result, reportAsOf, catalog, io.cwd) : toSarifReport(result, reportAsOf, catalog, VERSION);
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    for (const n of result.notes) io.stderr(`note: ${n.path}: ${n.message}\n`);
  } else {
    const color = io.isTTY && !io.env.NO_COLOR;
    io.stdout(toTextReport(result, reportAsOf, catalog, color, io.cwd));
  }
  if (policyProblems > 0) return 2;
  if (failOn === 'never') return 0;
  const threshold = RANK[failOn as Severity];
  const failing = result.files.some((f) => f.analysis.findings.some((x) => RANK[x.severity] >= threshold));
  return failing ? 1 : 0;
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
