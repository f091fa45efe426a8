/** What every CLI command shares: its IO, the version, the usage error (exit code 2) and the common options. */
import { parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<Parameters<typeof parseArgs>[0]>['options'] & object;
import { resolveAsOf } from '../asOf';
import type { CalendarDay } from '../dates';

export const VERSION = '0.1.0';

/** What a run writes and where it runs; commands are pure over these for tests. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** A bad command line: one line on stderr, exit code 2. */
export class UsageError extends Error {}

/**
 * Parses a command's arguments strictly (unknown options are errors); positionals allowed.
 * @param help where the user reads the options, for the message (`dl-lifecycle explain --help`)
 * @throws UsageError with the parser's first line
 */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(argv: string[], options: O, help: string) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0].replace(/\. To specify.*$/, '')} (see ${help})`);
  }
}

/** `--as-of`: the given calendar day, or today (UTC) when absent. @throws UsageError */
export function asOfOption(text: string | undefined): CalendarDay {
  try {
    return resolveAsOf(text);
  } catch {
    throw new UsageError(`--as-of must be a calendar day YYYY-MM-DD, got '${text}'`);
  }
}

/** `--format`: `text` (the default), `json`, or one of `more` formats the command also writes (`sarif`). @throws UsageError */
export function formatOption<T extends string = never>(text: string | undefined, more: readonly T[] = []): 'text' | 'json' | T {
  const format = text ?? 'text';
  const allowed: string[] = ['text', 'json', ...more];
  if (!allowed.includes(format)) throw new UsageError(`--format must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, got '${format}'`);
  return format as 'text' | 'json' | T;
}

/** A whole number of days (`--warning-window`); `undefined` gives `fallback`. @throws UsageError */
export function wholeDaysOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number of days, got '${text}'`);
  return n;
}
