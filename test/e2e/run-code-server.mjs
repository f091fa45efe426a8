#!/usr/bin/env node
// Runs the mocha suite of test/e2e/suite in a real VS Code extension host: code-server's bundled
// VS Code server (VS Code 1.139.1) on Node 24, with the workbench in headless chromium.
// Usage (after `npm run build`): node test/e2e/run-code-server.mjs
// Environment: DL_LIFECYCLE_E2E_TIMEOUT (seconds, default 180), DL_LIFECYCLE_E2E_VERBOSE=1 (echo all
// browser console lines), DL_LIFECYCLE_E2E_GREP (mocha grep). Logs: .test-output/e2e/.
// Prints `N passed, N failed`; exits 0 only when every test passed and at least one ran.
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureE2EEnvironment } from './setup.mjs';
import {
  CHROMIUM_ARGS,
  bundleSuite,
  freePort,
  freshDir,
  isolatedEnv,
  log as logp,
  parseResultMarker,
  QUIET_EDITOR_SETTINGS,
  remoteUri,
  repoRoot,
  requireBuiltExtension,
  seconds,
  startGroup,
  stopOnSignals,
  waitForHttp,
  workspaceDir,
} from './lib.mjs';

const log = (m) => logp('e2e', m);
const TIMEOUT_S = Number(process.env.DL_LIFECYCLE_E2E_TIMEOUT || 180);
const VERBOSE = process.env.DL_LIFECYCLE_E2E_VERBOSE === '1';
const MACHINE_SETTINGS = { ...QUIET_EDITOR_SETTINGS, 'git.enabled': false };
const OUTPUT_TAG = '[dl-lifecycle-e2e] '; // see test/e2e/suite/index.ts

async function main() {
  const t0 = Date.now();
  const paths = await ensureE2EEnvironment();
  requireBuiltExtension();
  const suite = await bundleSuite();
  log(`suite bundled: ${suite}`);

  const work = join(repoRoot, '.test-output', 'e2e');
  const dirs = freshDir(work, ['server-data', 'extensions', 'browser-profile']);
  const resultFile = join(work, 'suite-result.json');
  const env = isolatedEnv(work, { DL_LIFECYCLE_E2E_RESULT_FILE: resultFile });
  const serverLog = createWriteStream(join(work, 'server.log'));
  const consoleLog = createWriteStream(join(work, 'browser-console.log'));

  // Machine-scope settings of the remote side: keep the workbench quiet (no AI features, no gallery
  // checks, no welcome page, no git).
  mkdirSync(join(dirs['server-data'], 'data', 'Machine'), { recursive: true });
  writeFileSync(join(dirs['server-data'], 'data', 'Machine', 'settings.json'), JSON.stringify(MACHINE_SETTINGS, null, 2) + '\n');

  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const serverMain = join(paths.codeServerDir, 'lib', 'vscode', 'out', 'server-main.js');
  const server = startGroup(
    paths.node24,
    [
      serverMain,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--server-data-dir', dirs['server-data'],
      '--extensions-dir', dirs.extensions,
      '--disable-telemetry',
      '--disable-workspace-trust',
    ],
    { env, cwd: work, logStream: serverLog },
  );
  const tStart = Date.now(); // the time limit counts from here (a cold install above is not counted)
  let context;
  stopOnSignals(async () => {
    if (context) await context.close().catch(() => {});
    await server.stop(2000);
  });
  let counts;
  let exitCode;
  let failure;
  try {
    const version = await waitForHttp(`http://${authority}/version`, server, 60_000);
    log(`VS Code server ${version.trim()} listening on ${authority} (${seconds(t0)})`);

    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(dirs['browser-profile'], {
      executablePath: paths.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      // Our own SIGINT/SIGTERM handler closes the browser and then stops the server group.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env,
    });
    const page = context.pages()[0] ?? (await context.newPage());

    let settle;
    const exited = new Promise((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => {
      settle(Number(code));
    });
    page.on('console', (msg) => {
      const stamp = `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
      for (const line of msg.text().split('\n')) {
        consoleLog.write(`${stamp} [${msg.type()}] ${line}\n`);
        const at = line.indexOf(OUTPUT_TAG);
        if (at >= 0) {
          const text = line.slice(at + OUTPUT_TAG.length);
          const r = parseResultMarker(text);
          if (r) counts = r;
          else console.log(text);
        } else if (VERBOSE) {
          console.log(`[browser ${msg.type()}] ${line}`);
        }
      }
    });
    page.on('pageerror', (err) => consoleLog.write(`[pageerror] ${err.stack ?? err}\n`));

    const payload = [
      ['extensionDevelopmentPath', remoteUri(authority, repoRoot)],
      ['extensionTestsPath', remoteUri(authority, suite)],
      ['skipWelcome', 'true'],
    ];
    const url = `http://${authority}/?folder=${encodeURIComponent(workspaceDir)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`opening the workbench on ${workspaceDir}`);
    const deadline = Math.max(1, TIMEOUT_S * 1000 - (Date.now() - tStart));
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), deadline)));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: deadline });
    const result = await Promise.race([exited, timeout, server.exited.then((c) => `server exited (${c})`)]);
    clearTimeout(timer);
    if (typeof result === 'number') {
      exitCode = result;
    } else {
      failure = result === 'timeout' ? `time limit of ${TIMEOUT_S} s reached before the suite finished` : result;
      try {
        await page.screenshot({ path: join(work, 'timeout.png') });
      } catch {
        /* best effort */
      }
    }
    // Console messages may arrive just after the exit callback; the suite also writes the counts to a file.
    if (!counts) await new Promise((r) => setTimeout(r, 500));
    if (!counts && existsSync(resultFile)) counts = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch (e) {
    failure = e?.message ?? String(e);
  } finally {
    if (context) await context.close().catch(() => {});
    await server.stop();
    serverLog.end();
    consoleLog.end();
  }

  if (failure) console.error(`[e2e] FAILED: ${failure} (logs: ${join('.test-output', 'e2e')})`);
  if (exitCode !== undefined) log(`extension tests exited with code ${exitCode} after ${seconds(t0)}`);
  if (!counts && exitCode !== undefined) console.error('[e2e] FAILED: the suite printed no result line');
  const passed = counts?.passed ?? 0;
  const failed = counts?.failed ?? (failure || exitCode !== 0 ? 1 : 0);
  if (counts?.pending) log(`${counts.pending} pending`);
  console.log(`${passed} passed, ${failed} failed`);
  writeFileSync(join(work, 'result.json'), JSON.stringify({ passed, failed, exitCode: exitCode ?? null, failure: failure ?? null }, null, 2) + '\n');
  const ok = !failure && exitCode === 0 && counts && counts.failed === 0 && counts.passed > 0;
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`[e2e] FAILED: ${e?.message ?? e}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
