import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The repository root. */
export const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

/** An empty refresh cache folder, so that no cache on this machine changes what the CLI reports. */
const noCache = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-nocache-'));

/** Runs the built CLI (dist/cli.js) in `cwd` without colours; returns its exit code and output. */
export function runCli(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DL_LIFECYCLE_CACHE_DIR: noCache } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
