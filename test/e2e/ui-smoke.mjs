#!/usr/bin/env node
// UI smoke test: what a person sees. Packages the extension (.vsix), installs it into a fresh
// code-server, opens test/e2e/workspace in headless chromium, opens requirements.txt from the
// explorer, and checks the squiggle, its hover, the Problems panel, the quick fix menu, the status
// bar item and the report webview it opens (timeline, rows, no Content-Security-Policy violation).
// Screenshots and logs go to .test-output/ui/. Prints `N passed, N failed`; exits non-zero when a
// check failed.
// Usage: node test/e2e/ui-smoke.mjs [--screenshots <dir>]
//   DL_LIFECYCLE_E2E_TIMEOUT   seconds for the whole UI session (default 180)
//   --screenshots <dir> or DL_LIFECYCLE_SCREENSHOTS=<dir>: also write the README screenshots
//     diagnostic.png, hover.png, quick-fix.png and report.png (cropped, each well under 150 KB)
//     into <dir>, e.g. `npm run test:ui -- --screenshots docs/images`.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
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

/** Element id code-server gives the extension's status bar item: `<extension id, lower case>.<item id>`. */
const STATUS_ITEM_ID = 'dl-lifecycle.dl-lifecycle.dlLifecycle.status';
const REPORT_TITLE = 'DL Lifecycle Report';
/** README screenshots must stay small (bytes). */
const DOC_SHOT_LIMIT = 150 * 1024;
/** Console texts of Content-Security-Policy violations (chromium logs them as `Refused to …`). */
const CSP_TEXT = /Content Security Policy|Refused to/i;

/**
 * The README screenshot folder from `--screenshots <dir>` (or `--screenshots=<dir>`) or the
 * environment variable DL_LIFECYCLE_SCREENSHOTS, resolved against the current directory;
 * undefined when neither is given. Throws on `--screenshots` without a value.
 */
function screenshotsDirOption(argv = process.argv.slice(2)) {
  let dir = process.env.DL_LIFECYCLE_SCREENSHOTS || undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--screenshots') {
      dir = argv[i + 1];
      if (!dir || dir.startsWith('--')) throw new Error('--screenshots needs a folder');
      i++;
    } else if (argv[i].startsWith('--screenshots=')) {
      dir = argv[i].slice('--screenshots='.length);
    } else {
      throw new Error(`unknown argument ${argv[i]} (usage: ui-smoke.mjs [--screenshots <dir>])`);
    }
  }
  return dir ? resolve(dir) : undefined;
}
let docsDir;
try {
  docsDir = screenshotsDirOption();
} catch (e) {
  console.error(`ui-smoke: ${e.message}`);
  process.exit(2);
}

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

/** The smallest box (page pixels) holding every given box, grown by `pad` and clamped to the viewport. */
function unionBox(boxes, viewport, pad = 0) {
  const bs = boxes.filter(Boolean);
  if (!bs.length) return undefined;
  const x = Math.max(0, Math.floor(Math.min(...bs.map((b) => b.x)) - pad));
  const y = Math.max(0, Math.floor(Math.min(...bs.map((b) => b.y)) - pad));
  const right = Math.min(viewport.width, Math.ceil(Math.max(...bs.map((b) => b.x + b.width)) + pad));
  const bottom = Math.min(viewport.height, Math.ceil(Math.max(...bs.map((b) => b.y + b.height)) + pad));
  return { x, y, width: right - x, height: bottom - y };
}

/** `box` with its top moved down to `top` (page pixels), keeping its bottom. */
function fromTop(box, top) {
  if (!box || top <= box.y) return box;
  return { ...box, y: Math.floor(top), height: box.y + box.height - Math.floor(top) };
}

/** README screenshots written in this run: { name, bytes }. */
const docShots = [];

/** With --screenshots: writes `name` into the README screenshot folder, cropped to `clip` (page pixels). */
async function docShot(page, name, clip) {
  if (!docsDir) return;
  if (!clip) {
    log(`README screenshot ${name}: nothing to crop to; skipped`);
    return;
  }
  mkdirSync(docsDir, { recursive: true });
  const file = join(docsDir, name);
  await page.screenshot({ path: file, clip, type: 'png' });
  const bytes = statSync(file).size;
  docShots.push({ name, bytes });
  log(`README screenshot ${relative(repoRoot, file) || file}: ${clip.width}x${clip.height}, ${Math.round(bytes / 1024)} KB`);
}

/** The frame (any depth) whose document shows the report's support timeline, or undefined. */
async function findReportFrame(page) {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.isDetached()) continue;
    const n = await frame.locator('#timeline-heading').count().catch(() => 0);
    if (n > 0) return frame;
  }
  return undefined;
}

/** Runs `title` from the command palette (F1): returns whether the palette listed it (then it was run with Enter). */
async function runFromPalette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(title);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  const listed = await row.waitFor({ state: 'visible', timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  await page.keyboard.press(listed ? 'Enter' : 'Escape');
  return listed;
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
    /** Content-Security-Policy violations logged by any frame: { text, url, at } (at: ms since epoch). */
    const cspMessages = [];
    page.on('console', (m) => {
      consoleLog.write(`[${m.type()}] ${m.text()}\n`);
      if (CSP_TEXT.test(m.text())) cspMessages.push({ text: m.text(), url: m.location()?.url ?? '', at: Date.now() });
    });
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
      const hoverBox = await hover.first().boundingBox().catch(() => null);
      // from just above the torch line (the comment line above it is left out)
      await docShot(page, 'hover.png', fromTop(unionBox([hoverBox, squiggle], page.viewportSize(), 16), squiggle.y - 4));
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
    // README: the editor with the squiggle above the Problems panel (the side bar left out), in a
    // lower window so that the editor's empty lines take less room.
    if (docsDir) {
      const full = page.viewportSize();
      await page.setViewportSize({ width: full.width, height: 640 });
      await page.waitForTimeout(500);
      const editorBox = await page.locator('.part.editor').first().boundingBox().catch(() => null);
      const panelBox = await page.locator('.part.panel').first().boundingBox().catch(() => null);
      await docShot(page, 'diagnostic.png', unionBox([editorBox, panelBox], page.viewportSize()));
      await page.setViewportSize(full);
      await page.waitForTimeout(500);
    }
    const editorPart = await page.locator('.part.editor').first().boundingBox().catch(() => null);

    // 7. The quick fix menu: cursor on the torch line, Ctrl+.
    if (squiggle) {
      await page.mouse.click(squiggle.x + Math.min(squiggle.width / 2, 20), squiggle.y + squiggle.height / 2);
      // away from the squiggle, so that its hover does not cover the menu
      if (editorPart) await page.mouse.move(editorPart.x + editorPart.width - 40, editorPart.y + editorPart.height - 40);
      await page.keyboard.press('Control+Period');
      const menu = page.locator('.action-widget');
      const menuText = await poll(async () => {
        const t = (await menu.allInnerTexts().catch(() => [])).join('\n');
        return /Bump torch/i.test(t) ? t : undefined;
      }, 15_000);
      const lastMenu = menuText ?? (await menu.allInnerTexts().catch(() => [])).join('\n');
      check('quick fix menu (Ctrl+.) on the torch line offers "Bump torch"', !!menuText, JSON.stringify(lastMenu.replace(/\s+/g, ' ').slice(0, 300)));
      await page.screenshot({ path: join(outDir, 'quickfix.png') });
      if (menuText) {
        const menuBox = await menu.first().boundingBox().catch(() => null);
        const torchLine = await editor.locator('.view-line', { hasText: 'torch==1.13.1' }).first().boundingBox().catch(() => null);
        const clip = unionBox([menuBox, torchLine && { ...torchLine, width: Math.min(torchLine.width, 420) }], page.viewportSize(), 16);
        await docShot(page, 'quick-fix.png', torchLine ? fromTop(clip, torchLine.y - 4) : clip);
      }
      await page.keyboard.press('Escape');
    } else {
      check('quick fix menu (Ctrl+.) on the torch line offers "Bump torch"', false, 'no squiggle to put the cursor on');
    }

    // 8. The status bar item. Hide the panel first (Ctrl+J), so that the report gets the height.
    await page.keyboard.press('Control+KeyJ');
    const statusItem = await poll(async () => {
      const byId = page.locator(`.statusbar [id="${STATUS_ITEM_ID}"]`);
      if ((await byId.count()) > 0) return { how: `id "${STATUS_ITEM_ID}"`, item: byId.first() };
      const byLabel = page.locator('.statusbar .statusbar-item[aria-label*="DL Lifecycle"], .statusbar .statusbar-item:has([aria-label*="DL Lifecycle"])');
      if ((await byLabel.count()) > 0) return { how: 'aria-label containing "DL Lifecycle"', item: byLabel.first() };
      return undefined;
    }, 20_000);
    let statusOk = false;
    if (statusItem) {
      const visible = await statusItem.item.isVisible();
      const text = (await statusItem.item.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
      const aria = (await statusItem.item.locator('[aria-label]').first().getAttribute('aria-label').catch(() => null)) ?? (await statusItem.item.getAttribute('aria-label'));
      statusOk = check('status bar item visible and mentions "DL Lifecycle"', visible && text.includes('DL Lifecycle'), `found by ${statusItem.how}; text ${JSON.stringify(text)}, aria-label ${JSON.stringify(aria)}`);
    } else {
      check('status bar item visible and mentions "DL Lifecycle"', false, `no element with id "${STATUS_ITEM_ID}" or aria-label "DL Lifecycle" in .statusbar`);
    }

    // 9. The report: click the status bar item (the command palette when that fails).
    const reportTab = page.locator('.tabs-container .tab', { hasText: REPORT_TITLE }).first();
    const tReport = Date.now();
    let openedBy = '';
    if (statusOk) {
      await statusItem.item.click();
      const opened = await reportTab.waitFor({ state: 'visible', timeout: 20_000 }).then(
        () => true,
        () => false,
      );
      check('clicking the status bar item opens the report', opened, opened ? `"${REPORT_TITLE}" tab after ${seconds(tReport)}` : `no "${REPORT_TITLE}" tab after ${seconds(tReport)}`);
      if (opened) openedBy = 'status bar';
    } else {
      check('clicking the status bar item opens the report', false, 'no status bar item to click');
    }
    if (!openedBy && (await runFromPalette(page, 'DL Lifecycle: Show Report'))) {
      if (await reportTab.waitFor({ state: 'visible', timeout: 20_000 }).then(() => true, () => false)) openedBy = 'command palette';
    }

    // 10. The report's content (nested webview iframes) and its CSP.
    let reportFrame;
    if (openedBy) {
      reportFrame = await poll(() => findReportFrame(page), 30_000, 300);
      if (reportFrame) {
        const svgBars = await reportFrame.locator('svg.timeline g.bar rect').count();
        const svgVisible = await reportFrame.locator('svg.timeline').first().isVisible();
        check('report shows the support timeline (svg with bars)', svgVisible && svgBars > 0, `${svgBars} bar(s), opened from the ${openedBy} after ${seconds(tReport)}`);
        const refs = (await reportFrame.locator('table.rows code.ref').allInnerTexts()).map((t) => t.trim());
        const torchRow = refs.find((t) => /^torch\b/i.test(t)) ?? refs.find((t) => /torch|pytorch/i.test(t));
        check('report lists a torch/pytorch row', !!torchRow, torchRow ? `${JSON.stringify(torchRow)} among ${refs.length} row(s)` : JSON.stringify(refs.slice(0, 8)));
        // the stylesheet (a webview resource allowed by the CSP) is in force
        const styled = await reportFrame.evaluate(() => {
          const el = document.querySelector('.sr-only');
          return !!el && getComputedStyle(el).position === 'absolute';
        });
        await page.waitForTimeout(1000); // late resource loads would log their violations by now
        const fromReport = cspMessages.filter((m) => m.at >= tReport);
        check(
          'report: stylesheet applied and no Content-Security-Policy violation',
          styled && fromReport.length === 0,
          `stylesheet ${styled ? 'applied' : 'NOT applied'}; ${fromReport.length} violation(s)${fromReport.length ? `: ${fromReport.map((m) => `${m.text} (${m.url})`).join(' | ').slice(0, 400)}` : ''}`,
        );
      } else {
        check('report shows the support timeline (svg with bars)', false, `no frame with the "Support timeline" heading among ${page.frames().length} frame(s) after ${seconds(tReport)}`);
      }
    } else {
      check('report shows the support timeline (svg with bars)', false, 'the report did not open (status bar item nor command palette)');
    }
    await page.screenshot({ path: join(outDir, 'report.png') });
    if (reportFrame) {
      const reportBox = await page.locator('.part.editor').first().boundingBox().catch(() => null);
      await docShot(page, 'report.png', reportBox && { ...reportBox, height: Math.min(reportBox.height, 720) });
      // Control: an inline style (not allowed by the report's CSP) must be refused and seen above.
      const before = cspMessages.length;
      await reportFrame.evaluate(() => {
        const style = document.createElement('style');
        style.textContent = 'body { outline: 1px solid red; }';
        document.head.appendChild(style);
      });
      const seen = await poll(async () => (cspMessages.length > before ? cspMessages[before] : undefined), 5_000);
      check('a CSP violation provoked in the report is detected (control)', !!seen, seen ? JSON.stringify(seen.text.slice(0, 160)) : 'an injected inline <style> logged no violation');
    }

    // 11. The command palette lists and runs "DL Lifecycle: Show Report" (back to the editor first).
    if (openedBy === 'status bar') {
      await page.locator('.tabs-container .tab', { hasText: 'requirements.txt' }).first().click();
      const listed = await runFromPalette(page, 'DL Lifecycle: Show Report');
      const active = listed && (await page.locator('.tabs-container .tab.active', { hasText: REPORT_TITLE }).first().waitFor({ state: 'visible', timeout: 15_000 }).then(() => true, () => false));
      check('command palette runs "DL Lifecycle: Show Report" (report tab active again)', active, listed ? '' : 'not listed in the palette');
    }
    if (docsDir) {
      const big = docShots.filter((d) => d.bytes >= DOC_SHOT_LIMIT);
      check(
        `README screenshots written to ${relative(repoRoot, docsDir) || docsDir}, each under ${DOC_SHOT_LIMIT / 1024} KB`,
        docShots.length === 4 && big.length === 0,
        docShots.map((d) => `${d.name} ${Math.round(d.bytes / 1024)} KB`).join(', '),
      );
    }
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
