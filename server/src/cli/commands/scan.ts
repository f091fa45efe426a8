/**
 * `dl-lifecycle scan`: parses its options, scans the paths with the shared core and prints the
 * report. Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or input error.
 */
import { parseArgs } from 'node:util';
import { resolveAsOf } from '../../asOf';
import { loadBundledCatalog } from '../../catalog/load';
import type { Severity } from '../../model';
import { toJsonReport, toTextReport } from '../format';
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { scanPaths } from '../scan';

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
const FAIL_ON = ['error', 'warning', 'information', 'hint', 'never'] as const;

export const SCAN_USAGE = `Usage: dl-lifecycle scan [paths...] [options]

Scans files and folders (default: the current folder) for framework, image, AMI and Neuron SDK
references and judges them by AWS's lifecycle policies.

Options:
  --as-of YYYY-MM-DD      evaluation day (default: today, UTC)
  --fail-on LEVEL         error|warning|information|hint|never: exit 1 when a finding is at or above LEVEL (default: error)
  --format FORMAT         text|json (default: text)
  --exclude GLOB          leave out paths matching GLOB (relative to each scanned folder; repeatable)
  --warning-window DAYS   days before end of patch that end-of-patch-soon reports (default: 90)
  --max-file-size MB      skip files larger than this (default: 2)
  -h, --help              show this help
`;


/** `dl-lifecycle scan [paths...] [options]`; returns the exit code. @throws UsageError, InputError, CatalogError */
export function runScan(argv: string[], io: CliIO): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'as-of': { type: 'string' },
        'fail-on': { type: 'string' },
        format: { type: 'string' },
        exclude: { type: 'string', multiple: true },
        'warning-window': { type: 'string' },
        'max-file-size': { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0].replace(/\. To specify.*$/, '')} (see --help)`);
  }
  const { values, positionals: paths } = parsed;
  let asOf: string;
  try {
    asOf = resolveAsOf(values['as-of']);
  } catch {
    throw new UsageError(`--as-of must be a calendar day YYYY-MM-DD, got '${values['as-of']}'`);
  }
  const failOn = values['fail-on'] ?? 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join('|')}, got '${failOn}'`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got '${format}'`);
  const window = values['warning-window'] === undefined ? 90 : Number(values['warning-window']);
  if (!Number.isInteger(window) || window < 0) throw new UsageError(`--warning-window must be a whole number of days, got '${values['warning-window']}'`);
  const maxMb = values['max-file-size'] === undefined ? 2 : Number(values['max-file-size']);
  if (!(maxMb > 0)) throw new UsageError(`--max-file-size must be a positive number of MB, got '${values['max-file-size']}'`);

  const catalog = loadBundledCatalog();
  const result = scanPaths(paths, catalog, {
    cwd: io.cwd,
    asOf,
    warningWindowDays: window,
    exclude: values.exclude,
    maxFileBytes: Math.round(maxMb * 1024 * 1024),
  });
  if (format === 'json') {
    io.stdout(`${JSON.stringify(toJsonReport(result, asOf, catalog), null, 2)}\n`);
    for (const n of result.notes) io.stderr(`note: ${n.path}: ${n.message}\n`);
  } else {
    const color = io.isTTY && !io.env.NO_COLOR;
    io.stdout(toTextReport(result, asOf, catalog, color));
  }
  if (failOn === 'never') return 0;
  const threshold = RANK[failOn as Severity];
  const failing = result.files.some((f) => f.analysis.findings.some((x) => RANK[x.severity] >= threshold));
  return failing ? 1 : 0;
}
