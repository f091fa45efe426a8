import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Catalog } from '../../server/src/catalog/catalog';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import type { ParallelScan, ScanOptions, ScanRun } from '../../server/src/cli/scan';
import { scanPaths, scanPathsAsync } from '../../server/src/cli/scan';
import type { AnalysisPool, WorkerReply } from '../../server/src/cli/scanPool';
import { analyseFile, MIN_FILES_FOR_WORKERS, workerCount } from '../../server/src/cli/scanPool';
import { initParsers } from '../../server/src/scanners/treeSitter';
import { root } from './runCli';

const AS_OF = '2026-11-21';

/**
 * A workspace of every kind the scan reads (the examples, with `-r` includes and an include cycle,
 * and the scanner fixtures), a policy file with an `[[images]]` mapping for one folder, and two
 * files skipped with a note: a binary one, and one over a 0.1 MB limit.
 */
function mixedWorkspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-workers-'));
  cpSync(path.join(root, 'examples'), path.join(dir, 'examples'), { recursive: true });
  for (const f of ['dockerfiles', 'python', 'notebooks', 'cdk', 'infrastructure', 'terraform', 'conda', 'python-envs']) {
    cpSync(path.join(root, 'test', 'fixtures', f), path.join(dir, 'fixtures', f), { recursive: true });
  }
  writeFileSync(path.join(dir, 'fixtures', 'terraform', '.dl-lifecycle.toml'), 'as-of = 2025-06-01\n\n[[images]]\npattern = "123456789012.dkr.ecr.*.amazonaws.com/ml-base:{framework_version}-gpu-{python}"\nframework = "pytorch"\n');
  mkdirSync(path.join(dir, 'blobs'));
  writeFileSync(path.join(dir, 'blobs', 'requirements.txt'), Buffer.from([0x74, 0x6f, 0x72, 0x00, 0x01, 0x02]));
  mkdirSync(path.join(dir, 'big'));
  writeFileSync(path.join(dir, 'big', 'requirements.txt'), 'numpy==1.26.4\n'.repeat(10_000));
  return dir;
}

/** A pool that analyses in this thread after a seeded random delay (0-3 ms), so answers come back out of order, cloned as a worker's would be. */
function delayedPool(catalog: Catalog, seed: number, failOn?: string): NonNullable<ParallelScan['startPool']> {
  return (size, init, _onFailure, onReady): AnalysisPool => {
    let state = seed;
    const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    let inFlight = 0;
    let ready = false;
    setTimeout(() => {
      ready = true; // as a real worker: no file before it has started
      onReady();
    }, 2);
    return {
      get hasRoom() {
        return ready && inFlight < size * 2;
      },
      get inFlight() {
        return inFlight;
      },
      submit(abs, kind, options, done) {
        inFlight++;
        setTimeout(() => {
          inFlight--;
          const id = 0;
          if (failOn && abs.endsWith(failOn)) return done({ id, error: { name: 'Error', message: `cannot analyse ${path.basename(abs)}` } });
          const o = analyseFile(abs, kind, catalog, options, init.maxBytes);
          const reply: WorkerReply = 'skipped' in o ? { id, skipped: o.skipped } : { id, scan: o.analysis.scan, findings: o.analysis.findings };
          done(structuredClone(reply));
        }, Math.floor(rand() * 4));
      },
      close: async () => undefined,
    };
  };
}

const withoutWorkers = (run: ScanRun) => {
  const { workers: _, ...rest } = run;
  return rest;
};

describe('dl-lifecycle scan on worker threads', () => {
  it('gives the same scan as one thread, whatever order the answers come back in', async () => {
    await initParsers();
    const catalog = loadBundledCatalog();
    const dir = mixedWorkspace();
    const options: ScanOptions = { cwd: dir, asOf: AS_OF, policy: { mode: 'nearest' }, maxFileBytes: 100_000 };
    // the command line names a walked file again: it is analysed once
    const paths = ['.', 'examples/training/requirements.txt'];
    const expected = scanPaths(paths, catalog, options);
    assert.ok(expected.files.length > 40, `a scan of many kinds (${expected.files.length} files)`);
    assert.ok(expected.files.some((f) => f.file === 'examples/common/requirements-base.txt'), 'includes are followed');
    assert.deepEqual(expected.policies.map((p) => path.basename(p.file)), ['.dl-lifecycle.toml']);
    assert.deepEqual(expected.asOfDays, ['2025-06-01', AS_OF]);
    assert.ok(expected.notes.some((n) => n.path === 'blobs/requirements.txt' && /binary/.test(n.message)));
    assert.ok(expected.notes.some((n) => n.path === 'big/requirements.txt' && /over the/.test(n.message)));
    const read = expected.files.length + expected.notes.filter((n) => n.message.startsWith('skipped')).length;

    for (const seed of [1, 7, 42]) {
      const onlyWorkers = await scanPathsAsync(paths, catalog, options, { parts: {}, origins: {}, env: {}, startPool: delayedPool(catalog, seed), mainThreadAnalyses: false });
      assert.deepEqual(withoutWorkers(onlyWorkers), expected, `seed ${seed}, every file on the workers`);
      assert.deepEqual(onlyWorkers.workers, { threads: 2, files: read });
      const shared = await scanPathsAsync(paths, catalog, options, { parts: {}, origins: {}, env: { DL_LIFECYCLE_WORKERS: '3' }, startPool: delayedPool(catalog, seed) });
      assert.deepEqual(withoutWorkers(shared), expected, `seed ${seed}, the main thread analysing too`);
      assert.equal(shared.workers?.threads, 3);
    }
  });

  it("a worker's error fails the scan with its message", async () => {
    await initParsers();
    const catalog = loadBundledCatalog();
    const dir = mixedWorkspace();
    await assert.rejects(
      scanPathsAsync(['.'], catalog, { cwd: dir, asOf: AS_OF }, { parts: {}, origins: {}, env: {}, startPool: delayedPool(catalog, 3, 'main.tf'), mainThreadAnalyses: false }),
      /cannot analyse main\.tf/,
    );
  });

  it('starts as many workers as DL_LIFECYCLE_WORKERS says: none by default, one fewer than the cores (up to 3) with auto', () => {
    const many = MIN_FILES_FOR_WORKERS;
    assert.equal(workerCount({}, 100_000, 8, true), 0, 'off by default');
    assert.equal(workerCount({ DL_LIFECYCLE_WORKERS: '0' }, many, 8, true), 0);
    assert.equal(workerCount({ DL_LIFECYCLE_WORKERS: ' 5 ' }, 3, 2, true), 5, 'a number wins over the file count and the cores');
    assert.equal(workerCount({ DL_LIFECYCLE_WORKERS: 'auto' }, many, 2, true), 1);
    assert.equal(workerCount({ DL_LIFECYCLE_WORKERS: 'AUTO' }, many, 8, true), 3);
    assert.equal(workerCount({ DL_LIFECYCLE_WORKERS: 'auto' }, many, 1, true), 0);
    assert.equal(workerCount({ DL_LIFECYCLE_WORKERS: 'auto' }, many - 1, 8, true), 0, 'too few files');
    assert.equal(workerCount({ DL_LIFECYCLE_WORKERS: '4' }, many, 8, false), 0, 'no bundle to run');
    assert.equal(workerCount({ DL_LIFECYCLE_WORKERS: 'two' }, many, 8, true), 0);
  });

  it('the built CLI reports the same with worker threads as without (JSON, notes, exit code)', () => {
    const dir = mixedWorkspace();
    const run = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'scan', '.', '--format', 'json', '--as-of', AS_OF, '--max-file-size', '0.1', '--fail-on', 'warning', '--no-cache'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DL_LIFECYCLE_SCAN_STATS: '1', ...env } });
      const stats = r.stderr.split('\n').filter((l) => l.startsWith('dl-lifecycle: scan:'));
      return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('dl-lifecycle: scan:')), stats };
    };
    const one = run({ DL_LIFECYCLE_WORKERS: '0' });
    const pool = run({ DL_LIFECYCLE_WORKERS: '2', DL_LIFECYCLE_SCAN_MAIN_THREAD: '0' });
    const report = JSON.parse(one.stdout) as { files: number; findings: unknown[] };
    assert.ok(report.files > 40 && report.findings.length > 40, 'a scan with findings');
    assert.equal(one.code, 1);
    assert.match(one.stats[0], /; 0 read by 0 worker threads/);
    const skipped = one.stderr.filter((l) => l.startsWith('note:') && /skipped/.test(l)).length;
    assert.equal(skipped, 2);
    assert.equal(pool.stats[0], `dl-lifecycle: scan: ${report.files} files analysed; ${report.files + skipped} read by 2 worker threads, the rest on the main thread`);
    assert.equal(pool.code, one.code);
    assert.equal(pool.stdout, one.stdout);
    assert.deepEqual(pool.stderr, one.stderr);
  });
});
