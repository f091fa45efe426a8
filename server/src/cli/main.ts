/**
 * The `dl-lifecycle` command line: parses the command word and hands the rest to one module per
 * command (`commands/*.ts`). Exit codes: 0 clean, 1 findings (not baselined) at or above
 * `--fail-on` or over `--max-warnings`, 2 usage, input, catalog or policy-file error (one line
 * per problem on stderr).
 */
import { CatalogError } from '../catalog/load';
import { BASELINE_USAGE, runBaseline } from './commands/baseline';
import { CATALOG_USAGE, runCatalog } from './commands/catalog';
import { EXPLAIN_USAGE, runExplain } from './commands/explain';
import { runScan, SCAN_USAGE } from './commands/scan';
import type { CliIO } from './io';
import { UsageError, VERSION } from './io';
import { InputError } from './scan';
import { isScanWorker, serveScanWorker } from './scanPool';
import { initParsers } from '../scanners/treeSitter';

export type { CliIO } from './io';

export const USAGE = `Usage: dl-lifecycle <command> [arguments] [options]

Finds deep-learning framework, container image, AMI and Neuron SDK references and judges them by
AWS's published lifecycle policies.

Commands:
  scan [paths...]         scan files and folders (default: the current folder) and report findings
  baseline create [paths...] --output FILE
                          record the current findings, so that 'scan --baseline FILE' fails only on new ones
  explain <subject>       what the catalog and the rules say about one framework version or requirement
  catalog status|update   show the catalog in force; refresh it from public sources (the only network use)

Run 'dl-lifecycle <command> --help' for the options of a command.
  -h, --help              show this help
  -v, --version           show the version
`;

/** A command; `analyses`: it analyses files, so the Python parser is loaded before it runs. */
type Command = { usage: string; run: (args: string[], io: CliIO) => number | Promise<number>; analyses?: boolean };
const COMMANDS: Record<string, Command> = {
  scan: { usage: SCAN_USAGE, run: runScan, analyses: true },
  baseline: { usage: BASELINE_USAGE, run: runBaseline, analyses: true },
  explain: { usage: EXPLAIN_USAGE, run: runExplain, analyses: true },
  catalog: { usage: CATALOG_USAGE, run: runCatalog },
};

/**
 * Runs one command line; resolves to the exit code (never rejects). In a scan worker thread
 * (the bundle started by the scan's worker pool, see `scanPool.ts`) it serves the pool instead.
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  if (isScanWorker()) return serveScanWorker();
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || e instanceof CatalogError) {
      io.stderr(`dl-lifecycle: ${e.message}\n`);
      return 2;
    }
    io.stderr(`dl-lifecycle: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

function dispatch(argv: string[], io: CliIO): number | Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`missing command (see --help)`);
  if (first === '-h' || first === '--help' || first === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) throw new UsageError(first.startsWith('-') ? `missing command before '${first}' (see --help)` : `unknown command '${first}' (see --help)`);
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout(command.usage);
    return 0;
  }
  if (!command.analyses) return command.run(rest, io);
  // loaded once before any analysis; a grammar that cannot be loaded gives one line here, and the
  // files it parses (Python, CDK, Terraform) yield only a note saying so
  return initParsers()
    .catch((e: unknown) => io.stderr(`dl-lifecycle: ${e instanceof Error ? e.message : String(e)}; files of that language are not analysed\n`))
    .then(() => command.run(rest, io));
}
