/** What every CLI command shares: its IO, the version, and the usage error (exit code 2). */

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

/** Parses `--as-of`-style whole-number options; `undefined` gives `fallback`. @throws UsageError */
export function wholeNumberOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number, got '${text}'`);
  return n;
}
