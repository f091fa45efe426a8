// Entry point of the end-to-end suite, the `extensionTestsPath` contract of @vscode/test-electron:
// VS Code loads this module in the extension host and awaits `run()`. Used unchanged by
// test/e2e/run-code-server.mjs (code-server's VS Code server) and test/e2e/run-electron.mjs (desktop).
// The runners bundle it with esbuild (test files are pulled in with require() so that they are
// evaluated after mocha's globals exist).
import { writeFileSync } from 'node:fs';
import { format } from 'node:util';
import Mocha from 'mocha';

/** The runners parse this line (after any console prefix) for the counts. */
export const RESULT_MARKER = 'DL_LIFECYCLE_E2E_RESULT';

/**
 * Every line the suite prints starts with this tag, already formatted: the code-server runner
 * forwards only tagged lines from the browser console (where the workbench log adds a prefix and
 * leaves printf-style format strings unformatted) and strips everything up to the tag.
 */
export const OUTPUT_TAG = '[dl-lifecycle-e2e]';

function print(...args: unknown[]): void {
  for (const line of format(...args).split('\n')) console.log(`${OUTPUT_TAG} ${line}`);
}

/** Prints the marker line and, when the runner asked for it, writes the counts to a file as well. */
function report(counts: { passed: number; failed: number; pending: number }): void {
  print(`${RESULT_MARKER} ${JSON.stringify(counts)}`);
  const file = process.env.DL_LIFECYCLE_E2E_RESULT_FILE;
  if (file) {
    try {
      writeFileSync(file, JSON.stringify(counts) + '\n');
    } catch (err) {
      console.error(`could not write ${file}: ${String(err)}`);
    }
  }
}

export function run(): Promise<void> {
  // Mocha's reporters write through Base.consoleLog (console.log by default).
  (Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void }).consoleLog = print;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: 'spec',
    grep: process.env.DL_LIFECYCLE_E2E_GREP || undefined,
  });
  // Define describe/it/before/after as globals, then load the (bundled) test modules.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'extension.test.ts', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./extension.test');
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_REQUIRE, {}, 'extension.test.ts', mocha);
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_POST_REQUIRE, globalThis, 'extension.test.ts', mocha);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, failures: failed = failures, pending = 0 } = runner.stats ?? {};
        report({ passed: passes, failed, pending });
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else if (passes === 0) reject(new Error('no test ran'));
        else resolve();
      });
    } catch (err) {
      print(err instanceof Error ? (err.stack ?? err.message) : String(err));
      report({ passed: 0, failed: 1, pending: 0 });
      reject(err);
    }
  });
}
