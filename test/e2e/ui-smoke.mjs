#!/usr/bin/env node
// UI smoke test: what a person sees. Packages the extension (.vsix), installs it into a fresh
// code-server, opens test/e2e/workspace in headless chromium, opens requirements.txt from the
// explorer, and checks the squiggle, its hover and the Problems panel. Screenshots and logs go to
// .test-output/ui/. Prints `N passed, N failed`; exits non-zero when a check failed.
// Usage: node test/e2e/ui-smoke.mjs   (DL_LIFECYCLE_E2E_TIMEOUT seconds, default 180)
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureE2EEnvironment } from './setup.mjs';
import {
  CHROMIUM_ARGS,
  freePort,
  freshDir,
  isolatedEnv,
  log as logp,
  QUIET_EDITOR_SETTINGS,
  repoRoot,
  seconds,
  startGroup,
  stopOnSignals,
  waitForHttp,
  workspaceDir,
} from './lib.mjs';

const log = (m) => logp('ui', m);
const TIMEOUT_S = Number(process.env.DL_LIFECYCLE_E2E_TIMEOUT || 180);
const outDir = join(repoRoot, '.test-output', 'ui');
const vsix = join(outDir, 'dl-lifecycle.vsix');
const USER_SETTINGS = {
  ...QUIET_EDITOR_SETTINGS,
  'workbench.tips.enabled': false,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const results = [];
function check(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`${ok ? '  ✔' : '  ✘'} ${name}${detail ? `: ${detail}` : ''}`);
  return ok;
}

function runStep(what, cmd, args, opts = {}, cacheDir = '') {
  const shown = (a) => (cacheDir && a.startsWith(cacheDir) ? `<e2e cache>${a.slice(cacheDir.length)}` : a.startsWith(repoRoot) ? relative(repoRoot, a) || '.' : a);
  log(`${what}: ${[cmd === process.execPath ? 'node' : cmd, ...args].map(shown).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) {
    throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})${out ? `:\n${out}` : ''}`);
  }
  return out;
}

/** Polls `fn` (returns a value or undefined) until `deadline`. */
async function poll(fn, timeoutMs, intervalMs = 200) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return undefined;
}

async function main() {
  const t0 = Date.now();
  const paths = await ensureE2EEnvironment();
  const entry = join(paths.codeServerDir, 'out', 'node', 'entry.js');

  mkdirSync(outDir, { recursive: true });
  const work = join(outDir, 'work');
  const dirs = freshDir(work, ['user-data', 'extensions', 'browser-profile']);
  const env = isolatedEnv(work);
  const config = join(work, 'config.yaml');
  const common = ['--config', config, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions];
  mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
  writeFileSync(join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2) + '\n');

  // 1. Package and install the extension as a user would get it.
  try {
    runStep('production build', process.execPath, ['scripts/build.mjs', '--production', '--quiet']);
    runStep('package', process.execPath, [join('node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', relative(repoRoot, vsix)]);
    // Put the development build (source maps, not minified) back into dist/ for everyone else.
    runStep('development build', process.execPath, ['scripts/build.mjs', '--quiet']);
    const installOut = runStep('install', paths.node24, [entry, ...common, '--install-extension', vsix], { env }, paths.dir);
    const installed = existsSync(dirs.extensions) && readFileSync(join(dirs.extensions, 'extensions.json'), 'utf8').includes('dl-lifecycle.dl-lifecycle');
    check('.vsix packaged and installed into code-server', installed, installed ? relative(repoRoot, vsix) : installOut);
    if (!installed) return;
  } catch (e) {
    check('.vsix packaged and installed into code-server', false, e.message);
    return;
  }

  // 2. Start code-server on the workspace.
  const port = await freePort();
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const serverLog = createWriteStream(join(work, 'code-server.log'));
  const server = startGroup(
    paths.node24,
    [
      entry,
      ...common,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspaceDir,
    ],
    { env, cwd: work, logStream: serverLog },
  );

  let context;
  stopOnSignals(async () => {
    if (context) await context.close().catch(() => {});
    await server.stop(2000);
  });
  const hardStop = setTimeout(() => {
    check('UI session within the time limit', false, `${TIMEOUT_S} s reached`);
    Promise.resolve(context?.close())
      .catch(() => {})
      .then(() => server.stop(2000))
      .finally(() => process.exit(summary()));
  }, TIMEOUT_S * 1000);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 60_000);
    log(`code-server listening on 127.0.0.1:${port} (${seconds(t0)})`);
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(dirs['browser-profile'], {
      executablePath: paths.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      // Our own SIGINT/SIGTERM handler closes the browser and then stops the server group.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      viewport: { width: 1400, height: 900 },
      env,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLog = createWriteStream(join(work, 'browser-console.log'));
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    const tBrowser = Date.now();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspaceDir)}`, { waitUntil: 'domcontentloaded' });

    // 3. Open requirements.txt from the explorer.
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'requirements.txt' }).first();
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    await row.click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await page.locator('.view-line', { hasText: 'torch==1.13.1' }).first().waitFor({ state: 'visible', timeout: 30_000 });

    // 4. The squiggle on the torch line.
    const squiggles = editor.locator('.squiggly-warning, .squiggly-error');
    let squiggle;
    try {
      await squiggles.first().waitFor({ state: 'attached', timeout: 30_000 });
      const torchBox = await editor.locator('.view-line', { hasText: 'torch==1.13.1' }).first().boundingBox();
      const boxes = [];
      for (const s of await squiggles.all()) boxes.push(await s.boundingBox());
      squiggle = boxes.find((b) => b && torchBox && b.y < torchBox.y + torchBox.height && b.y + b.height > torchBox.y);
      check('squiggle on the torch line', !!squiggle, `${boxes.length} squiggle(s) after ${seconds(tBrowser)} from browser launch`);
    } catch (e) {
      check('squiggle on the torch line', false, e.message.split('\n')[0]);
    }
    await page.screenshot({ path: join(outDir, 'squiggle.png') });

    // 5. Hover it.
    if (squiggle) {
      await page.mouse.move(squiggle.x + Math.min(squiggle.width / 2, 20), squiggle.y + squiggle.height / 2);
      const hover = page.locator('.monaco-hover:not(.hidden)');
      const text = await poll(async () => {
        const t = (await hover.allInnerTexts().catch(() => [])).join('\n');
        return t.includes('End of patch') ? t : undefined;
      }, 15_000);
      const last = text ?? (await hover.allInnerTexts().catch(() => [])).join('\n');
      check('hover on the squiggle mentions "End of patch"', !!text, JSON.stringify(last.replace(/\s+/g, ' ').slice(0, 300)));
      await page.screenshot({ path: join(outDir, 'hover.png') });
      await page.keyboard.press('Escape');
    } else {
      check('hover on the squiggle mentions "End of patch"', false, 'no squiggle to hover');
    }

    // 6. The Problems panel.
    await page.mouse.move(5, 5);
    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel');
    const problems = await poll(async () => {
      const t = (await markers.allInnerTexts().catch(() => [])).join('\n');
      return /end of patch/i.test(t) ? t : undefined;
    }, 15_000);
    const lastProblems = problems ?? (await markers.allInnerTexts().catch(() => [])).join('\n');
    check('Problems panel mentions "end of patch"', !!problems, JSON.stringify(lastProblems.replace(/\s+/g, ' ').slice(0, 300)));
    await page.screenshot({ path: join(outDir, 'problems.png') });
    consoleLog.end();
  } catch (e) {
    check('UI session', false, e.message.split('\n')[0]);
  } finally {
    clearTimeout(hardStop);
    if (context) await context.close().catch(() => {});
    await server.stop();
    serverLog.end();
    log(`done in ${seconds(t0)}; screenshots and logs in ${relative(repoRoot, outDir)}`);
  }
}

/** Prints `N passed, N failed` and returns the exit code. */
function summary() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main()
  .catch((e) => check('UI smoke', false, e?.message ?? String(e)))
  .finally(() => process.exit(summary()));
