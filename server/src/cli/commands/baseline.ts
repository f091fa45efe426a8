/**
 * `dl-lifecycle baseline create [paths...] --output FILE`: scans like `dl-lifecycle scan` (the
 * same paths and options, but no report) and writes the findings as a baseline file to commit;
 * `dl-lifecycle scan --baseline FILE` then fails only on findings the file does not record (see
 * `../baseline.ts`). Exit codes: 0 written; 2 usage or input error, a file that cannot be written,
 * or a problem in a policy file (printed as `path:line:col: message` on stderr; no baseline is
 * written then, since it would record findings judged under part of the policy).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { baselineSize, buildBaseline, serializeBaseline } from '../baseline';
import type { CliIO } from '../io';
import { parseCommandArgs, UsageError } from '../io';
import { InputError } from '../scan';
import { checkScanInput, SCAN_INPUT_OPTIONS, SCAN_INPUT_USAGE, scanInput } from './scan';

export const BASELINE_USAGE = `Usage: dl-lifecycle baseline create [paths...] --output FILE [options]

Scans files and folders (default: the current folder) like 'dl-lifecycle scan' and records every
finding in FILE, a JSON baseline to commit. 'dl-lifecycle scan --baseline FILE' then still lists
those findings, marked baselined, and fails only on new ones. Findings are recorded by file
(relative to the current folder), rule, subject and version, not by line, with a count: moving
lines keeps a finding baselined; another copy of it in the same file is new. Run both commands
from the same folder.

Options:
  -o, --output FILE       the baseline file to write (required; replaced if it exists)
  --as-of YYYY-MM-DD      evaluation day (default: today, UTC); recorded in the file
${SCAN_INPUT_USAGE}  -h, --help              show this help
`;

/** `dl-lifecycle baseline create [paths...] --output FILE [options]`; resolves to the exit code. @throws UsageError, InputError, CatalogError */
export async function runBaseline(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...SCAN_INPUT_OPTIONS, output: { type: 'string', short: 'o' } }, 'dl-lifecycle baseline --help');
  const [sub, ...paths] = positionals;
  if (sub === undefined) throw new UsageError(`missing subcommand: baseline create (see dl-lifecycle baseline --help)`);
  if (sub !== 'create') throw new UsageError(`unknown subcommand 'baseline ${sub}' (see dl-lifecycle baseline --help)`);
  const output = values.output;
  if (output === undefined || output === '') throw new UsageError('baseline create needs --output FILE (see dl-lifecycle baseline --help)');
  checkScanInput(values);

  const { result, reportAsOf, policyProblems } = await scanInput(paths, values, io);
  for (const n of result.notes) io.stderr(`note: ${n.path}: ${n.message}\n`);
  if (policyProblems > 0) {
    io.stderr(`dl-lifecycle: ${output} not written: fix the policy file problems above first\n`);
    return 2;
  }
  const baseline = buildBaseline(result, reportAsOf);
  try {
    writeFileSync(path.resolve(io.cwd, output), serializeBaseline(baseline));
  } catch (e) {
    throw new InputError(`--output ${output}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const n = baselineSize(baseline);
  io.stdout(`${n} finding${n === 1 ? '' : 's'} recorded in ${output}\n`);
  return 0;
}
