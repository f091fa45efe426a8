#!/usr/bin/env node
// Runs the mocha suite of test/e2e/suite in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code (on headless Linux, run it under xvfb-run).
// On machines that cannot download it, prints one line saying so and exits 1: use
// `npm run test:e2e` (code-server) there.
// Usage (after `npm run build`): node test/e2e/run-electron.mjs
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSuite, repoRoot, requireBuiltExtension, workspaceDir } from './lib.mjs';

async function main() {
  requireBuiltExtension();
  const suite = await bundleSuite();
  const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
  const work = join(repoRoot, '.test-output', 'electron');
  const cachePath = join(repoRoot, '.test-output', 'vscode-test');

  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      cachePath,
      version: process.env.DL_LIFECYCLE_VSCODE_VERSION || 'stable',
      reporter: { report() {}, error() {} }, // the failure is reported below, in one line
    });
  } catch (e) {
    const why = (e?.cause?.code ?? e?.code ?? e?.message ?? String(e)).toString().split('\n')[0];
    console.error(`[electron] cannot download desktop VS Code on this machine (${why}); run \`npm run test:e2e\` (code-server) instead`);
    return 1;
  }

  const resultFile = join(work, 'suite-result.json');
  rmSync(work, { recursive: true, force: true });
  let exitCode = 0;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      launchArgs: [workspaceDir, '--disable-extensions', '--user-data-dir', join(work, 'user-data')],
      extensionTestsEnv: { DL_LIFECYCLE_E2E_RESULT_FILE: resultFile },
    });
  } catch (e) {
    console.error(`[electron] FAILED: ${e?.message ?? e}`);
    exitCode = 1;
  }
  const counts = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
  console.log(`${counts?.passed ?? 0} passed, ${counts?.failed ?? (exitCode ? 1 : 0)} failed`);
  if (!counts || counts.passed === 0 || counts.failed > 0) exitCode = 1;
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[electron] FAILED: ${e?.message ?? e}`);
    process.exit(1);
  },
);
