/**
 * `npm run bench -- cli`: the CLI's workspace scan against ripgrep, in one run on the same tree.
 *
 * 1. Writes (or reuses) the generated tree of `bench/tree.ts` under `out/bench/tree/` (10,000 mixed
 *    files, seeded; a `.gitignore` leaves some folders out).
 * 2. Times, interleaved, {@link RUNS} runs (default 5, env `DL_LIFECYCLE_BENCH_RUNS`) after one
 *    warm-up run each (the warm-up also fills the page cache, so every tool reads from memory) of:
 *    - `node dist/cli.js scan <tree> --format json --fail-on never --as-of 2026-11-21 --no-cache`,
 *      stdout to /dev/null (as shipped: every file analysed on the main thread);
 *    - the same with `DL_LIFECYCLE_WORKERS=auto` (worker threads, one fewer than the cores, up to 3,
 *      analyse files beside the main thread), to show what the worker pool brings on this machine;
 *    - `rg` with the literal patterns of {@link RG_PATTERNS} and `--count`, once with `-j 2` and
 *      once with ripgrep's default thread count. The flags make ripgrep see the files we see:
 *      `--hidden` (we read dotfiles), `--no-require-git` (`.gitignore` files count outside a git
 *      repository, as for us), `-g '!{.git,.hg,.svn,node_modules}'` (folders we always skip) and
 *      `--max-filesize 2M` (our default size limit).
 * 3. Prints a table: median and slowest wall time, CPU time (user + system of the child, Linux),
 *    files/s and MB/s (over the files a `.gitignore`-respecting walk visits, the same number for
 *    every tool) and each time relative to `rg -j 2`. Goals (docs/performance.md): the scan within
 *    3× of `rg -j 2`, and at least 5,000 files/s on 2 cores.
 *
 * Real repositories are timed the same way when env `DL_LIFECYCLE_BENCH_REPO` names their folders
 * (several separated by `:`, `;` on Windows; relative to the repository root), e.g.
 *
 *     git clone --depth 1 https://github.com/aws/deep-learning-containers out/bench/dlc
 *     git clone --depth 1 https://github.com/aws/amazon-sagemaker-examples out/bench/sm-examples
 *     DL_LIFECYCLE_BENCH_REPO=out/bench/dlc:out/bench/sm-examples npm run bench -- cli
 *
 * Without ripgrep (`rg` not on PATH) the rg rows are skipped with a line saying how to install it.
 * Never a pass/fail test: machines are noisy, so read the medians and the ratios measured in the
 * same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEXT_KIND } from '../server/src/scanners/fileKinds';
import { walk } from '../server/src/workspace/walk';
import { ensureTree } from './tree';

const root = path.resolve(__dirname, '..', '..');
const cliJs = path.join(root, 'dist', 'cli.js');
const RUNS = Math.max(1, Number(process.env.DL_LIFECYCLE_BENCH_RUNS ?? 5) || 5);
const AS_OF = '2026-11-21';
const POOL_ROW = 'dl-lifecycle scan, DL_LIFECYCLE_WORKERS=auto';

/** Literal strings standing for what the scan looks for: framework pins, DLC URIs, SageMaker SDK calls, DLAMI names, SSM paths, Neuron and conda packages, base images. */
export const RG_PATTERNS = ['torch==', 'torch>=', 'tensorflow==', 'tensorflow-gpu', 'mxnet', 'pytorch=', 'dkr.ecr', 'public.ecr.aws', 'pytorch-training', 'pytorch-inference', 'tensorflow-training', 'tensorflow-inference', 'framework_version', 'image_uris', 'Deep Learning', '/aws/service/deeplearning', 'neuron', 'FROM '];

/** One command the bench times. */
interface Tool {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** Wall and CPU seconds of runs of one tool. */
interface Times {
  wall: number[];
  cpu: number[];
}

/** CPU seconds (user + system) used by waited-for children so far, from /proc/self/stat; undefined elsewhere. */
function childCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17
    return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
  } catch {
    return undefined;
  }
}

/** Runs a tool once with stdout to /dev/null; returns wall and CPU seconds. @throws Error when it fails */
function runOnce(tool: Tool): { wall: number; cpu: number } {
  const c0 = childCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(tool.command, tool.args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...tool.env }, maxBuffer: 64 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  const c1 = childCpuSeconds();
  // rg exits 1 when nothing matched
  if (r.error || (r.status !== 0 && !(tool.command === 'rg' && r.status === 1))) throw new Error(`${tool.name} failed (${r.error?.message ?? `exit ${r.status}`}): ${String(r.stderr).slice(0, 500)}`);
  return { wall, cpu: c0 === undefined || c1 === undefined ? NaN : c1 - c0 };
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** The 95th percentile by nearest rank (the slowest run with 5 runs). */
const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil(v.length * 0.95) - 1)];

/** The files a `.gitignore`-respecting walk visits under `dir` (what both tools look at), and their bytes. */
function inventory(dir: string): { files: number; bytes: number } {
  const w = walk(dir, { kindFor: () => TEXT_KIND });
  let bytes = 0;
  for (const f of w.files) bytes += statSync(f.absolute).size;
  return { files: w.files.length, bytes };
}

/** Whether ripgrep runs; prints how to install it when it does not. */
function haveRipgrep(): boolean {
  const r = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  if (!r.error && r.status === 0) {
    console.log(`ripgrep: ${r.stdout.split('\n')[0]}`);
    return true;
  }
  console.log('ripgrep (rg) was not found on PATH: the rg rows are skipped. Install it to compare:');
  console.log('  Debian/Ubuntu: sudo apt-get install ripgrep   Fedora: sudo dnf install ripgrep   macOS: brew install ripgrep   Windows: winget install BurntSushi.ripgrep.MSVC');
  return false;
}

/** The scan's own summary of a tree (one run with its JSON kept): files analysed, references and findings. */
function scanSummary(dir: string): string {
  const r = spawnSync(process.execPath, [cliJs, 'scan', dir, '--format', 'json', '--fail-on', 'never', '--as-of', AS_OF, '--no-cache'], { cwd: root, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`dl-lifecycle scan failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  const report = JSON.parse(r.stdout) as { files: number; references: unknown[]; findings: unknown[] };
  const notes = r.stderr.split('\n').filter((l) => l.startsWith('note:')).length;
  return `dl-lifecycle analysed ${report.files.toLocaleString('en')} files: ${report.references.length.toLocaleString('en')} references, ${report.findings.length.toLocaleString('en')} findings, ${notes.toLocaleString('en')} notes (skipped files)`;
}

/** Times every tool on `dir` and prints the table. */
function benchTree(label: string, dir: string, rg: boolean): void {
  const rel = path.relative(root, dir) || '.';
  const inv = inventory(dir);
  console.log(`\n### ${label}: ${rel}\n`);
  console.log(`${inv.files.toLocaleString('en')} files, ${(inv.bytes / 1e6).toFixed(1)} MB after .gitignore (the files/s and MB/s denominators)`);
  const scan = ['scan', rel, '--format', 'json', '--fail-on', 'never', '--as-of', AS_OF, '--no-cache'];
  const rgArgs = ['-F', '--count', '--hidden', '--no-require-git', '--max-filesize', '2M', '-g', '!{.git,.hg,.svn,node_modules}', ...RG_PATTERNS.flatMap((p) => ['-e', p])];
  const tools: Tool[] = [
    { name: 'dl-lifecycle scan', command: process.execPath, args: [cliJs, ...scan], env: { DL_LIFECYCLE_WORKERS: '' } },
    { name: POOL_ROW, command: process.execPath, args: [cliJs, ...scan], env: { DL_LIFECYCLE_WORKERS: 'auto' } },
    ...(rg
      ? [
          { name: 'rg -j 2', command: 'rg', args: ['-j', '2', ...rgArgs, rel] },
          { name: `rg (default threads)`, command: 'rg', args: [...rgArgs, rel] },
        ]
      : []),
  ];
  console.log(scanSummary(rel));
  if (rg) {
    const r = spawnSync('rg', ['-l', ...rgArgs.filter((a) => a !== '--count'), rel], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    console.log(`rg found the patterns in ${r.stdout.split('\n').filter(Boolean).length.toLocaleString('en')} files`);
  }
  const times = new Map<string, Times>(tools.map((t) => [t.name, { wall: [], cpu: [] }]));
  for (const t of tools) runOnce(t); // warm-up: page cache, and the first start of node
  for (let i = 0; i < RUNS; i++) {
    for (const t of tools) {
      const { wall, cpu } = runOnce(t);
      times.get(t.name)!.wall.push(wall);
      times.get(t.name)!.cpu.push(cpu);
    }
  }
  const base = rg ? median(times.get('rg -j 2')!.wall) : undefined;
  console.table(
    tools.map((t) => {
      const x = times.get(t.name)!;
      const m = median(x.wall);
      return {
        tool: t.name,
        'median s': m.toFixed(3),
        'p95 s': p95(x.wall).toFixed(3),
        'CPU s': Number.isNaN(median(x.cpu)) ? '' : median(x.cpu).toFixed(2),
        'files/s': Math.round(inv.files / m).toLocaleString('en'),
        'MB/s': (inv.bytes / 1e6 / m).toFixed(1),
        '× rg -j 2': base === undefined ? '' : (m / base).toFixed(2),
      };
    }),
  );
  const ours = median(times.get('dl-lifecycle scan')!.wall);
  const pooled = median(times.get(POOL_ROW)!.wall);
  console.log(`DL_LIFECYCLE_WORKERS=auto (${Math.max(0, Math.min(os.availableParallelism(), 4) - 1)} worker threads and the main thread): ${(ours / pooled).toFixed(2)}× the speed of the default (main thread only), ${(median(times.get(POOL_ROW)!.cpu) / median(times.get('dl-lifecycle scan')!.cpu)).toFixed(2)}× its CPU time.`);
  if (base !== undefined) console.log(`dl-lifecycle scan takes ${(ours / base).toFixed(2)}× the time of rg -j 2 (goal ≤ 3×).`);
  console.log(`dl-lifecycle scan: ${Math.round(inv.files / ours).toLocaleString('en')} files/s (goal ≥ 5,000 files/s on 2 cores).`);
}

function main(): void {
  if (!existsSync(cliJs)) throw new Error(`${cliJs} is missing: run npm run build (npm run bench builds first)`);
  console.log(`${os.availableParallelism()} cores (availableParallelism), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${RUNS} timed runs of each tool, interleaved, after one warm-up run each.`);
  const rg = haveRipgrep();
  const t0 = performance.now();
  const tree = path.join(root, 'out', 'bench', 'tree');
  const m = ensureTree(tree);
  console.log(`generated tree: ${m.reused ? 'reused' : `written in ${((performance.now() - t0) / 1000).toFixed(1)} s`}: ${m.files.toLocaleString('en')} files, ${(m.bytes / 1e6).toFixed(1)} MB (${m.ignoredFiles.toLocaleString('en')} files, ${(m.ignoredBytes / 1e6).toFixed(1)} MB under folders a .gitignore leaves out), seed ${m.seed}, version ${m.version}`);
  benchTree('generated tree', tree, rg);
  const repos = (process.env.DL_LIFECYCLE_BENCH_REPO ?? '').split(path.delimiter).filter(Boolean);
  if (repos.length === 0) console.log('\n(set DL_LIFECYCLE_BENCH_REPO to a cloned repository to time it too, e.g. git clone --depth 1 https://github.com/aws/deep-learning-containers out/bench/dlc)');
  for (const repo of repos) {
    const dir = path.resolve(root, repo);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) console.log(`\nDL_LIFECYCLE_BENCH_REPO: ${repo} is not a folder: skipped.`);
    else benchTree('real repository', dir, rg);
  }
  console.log('\nOne run on a shared machine: compare the ratios measured in this run, not absolute times across runs.');
}

main();
