// Helpers shared by the end-to-end runners in test/e2e/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const workspaceDir = join(repoRoot, 'test', 'e2e', 'workspace');
export const suiteOutfile = join(repoRoot, 'out', 'e2e', 'suite', 'index.js');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Editor settings that keep code-server quiet and offline in the harnesses (no start page, updates, AI or telemetry). */
export const QUIET_EDITOR_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
};

export const RESULT_MARKER = 'DL_LIFECYCLE_E2E_RESULT';

export function log(prefix, msg) {
  console.log(`[${prefix}] ${msg}`);
}

export function seconds(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

/** Fails early with a clear message when the extension has not been built. */
export function requireBuiltExtension() {
  const missing = ['dist/client.js', 'dist/server.js'].filter((f) => !existsSync(join(repoRoot, f)));
  if (missing.length) {
    throw new Error(`extension not built (missing ${missing.join(', ')}): run \`npm run build\` first`);
  }
}

/** Bundles test/e2e/suite/index.ts (and the test files it requires) into out/e2e/suite/index.js. */
export async function bundleSuite() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: ['test/e2e/suite/index.ts'],
    outfile: suiteOutfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // mocha's parallel mode (require.resolve of its worker files) is not used by the suite.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return suiteOutfile;
}

/** A fresh work folder (removed first) with the given subfolders. */
export function freshDir(dir, subdirs = []) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const out = {};
  for (const s of subdirs) {
    out[s] = join(dir, s);
    mkdirSync(out[s], { recursive: true });
  }
  return out;
}

/** Environment that keeps code-server / the VS Code server inside `work`. */
export function isolatedEnv(work, extra = {}) {
  const env = { ...process.env, ...extra };
  env.XDG_CONFIG_HOME = join(work, 'xdg-config');
  env.XDG_DATA_HOME = join(work, 'xdg-data');
  env.XDG_CACHE_HOME = join(work, 'xdg-cache');
  env.XDG_RUNTIME_DIR = join(work, 'xdg-runtime');
  env.TMPDIR = join(work, 'tmp');
  for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'TMPDIR']) {
    mkdirSync(env[k], { recursive: true, mode: 0o700 });
  }
  // Values from an outer VS Code / code-server must not leak into the one under test.
  for (const k of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$|CODE_SERVER_)/.test(k)) delete env[k];
  }
  return env;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server in its own process group and session (setsid), output to `logStream`.
 * Returns { child, exited: Promise<code>, stop() }; stop() sends SIGTERM to the whole group,
 * then SIGKILL after `graceMs`.
 */
export function startGroup(cmd, args, { env, cwd, logStream }) {
  const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });
  let exitCode;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? signal;
      resolve(exitCode);
    });
    child.on('error', (err) => {
      exitCode = `spawn error: ${err.message}`;
      resolve(exitCode);
    });
  });
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  async function stop(graceMs = 5000) {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // group already gone
    }
    const deadline = Date.now() + graceMs;
    while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive()) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  return { child, exited, stop, hasExited: () => exitCode !== undefined, exitCode: () => exitCode };
}

/** On Ctrl-C / SIGTERM, runs `cleanup` (the servers run in their own process groups and would not
 *  get the signal) and exits 130. */
export function stopOnSignals(cleanup) {
  const handler = (sig) => {
    console.error(`[e2e] ${sig}: stopping`);
    Promise.resolve()
      .then(cleanup)
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** Polls `url` until it answers 2xx; fails early when `server` exits. */
export async function waitForHttp(url, server, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (server.hasExited()) throw new Error(`server exited (${server.exitCode()}) before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return await res.text();
      lastErr = `HTTP ${res.status}`;
    } catch (e) {
      lastErr = e?.cause?.code ?? e?.message ?? String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${url} (${lastErr})`);
}

/** Parses the suite's result marker out of one console line. */
export function parseResultMarker(line) {
  const i = line.indexOf(RESULT_MARKER);
  if (i < 0) return undefined;
  const m = /\{[^}]*\}/.exec(line.slice(i + RESULT_MARKER.length));
  if (!m) return undefined;
  try {
    const r = JSON.parse(m[0]);
    if (Number.isInteger(r.passed) && Number.isInteger(r.failed)) return r;
  } catch {
    /* not the marker */
  }
  return undefined;
}

export function remoteUri(authority, absPath) {
  return `vscode-remote://${authority}${absPath.split('/').map(encodeURIComponent).join('/')}`;
}
