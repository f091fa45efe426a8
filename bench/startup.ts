/**
 * `npm run bench -- startup`: start-up and memory of the language server, measured in fresh
 * processes. Machines are noisy: every table gives the median, min and max of its runs, and the
 * cold start is also given as a ratio to `node -e 0` measured in the same run.
 *
 * 1. Cold start of `node dist/server.js --stdio` over pipes, {@link COLD_RUNS} runs (after one run
 *    that warms the file cache). The clock starts just before the spawn; `initialize` is written at
 *    once (the server reads it when it is ready). Rows:
 *    - `initialize` answered: Node's start, loading the bundle, and what the server does before it
 *      answers (today: the tree-sitter grammars and the catalog's frameworks part). This is the bar's
 *      "cold start (initialize answered, catalog loaded)": the catalog is loaded before the answer;
 *      its other parts (images, lifecycle, Neuron) are loaded on first use, by the first analysis.
 *      Beside it, the server's main-thread CPU time until the answer and the time it waited for a
 *      CPU, from `/proc/<pid>/schedstat` (Linux): the wait is the machine's load, not the server's.
 *    - the server's "catalog dated … loaded" log, sent on `initialized` (which the client sends on
 *      the answer);
 *    - the first `publishDiagnostics` of a Dockerfile with a DLC image and of a Python file with a
 *      SageMaker SDK call, both opened right after `initialized`: they add the catalog parts the
 *      analyses use and the analyses.
 *    - `node -e …` (spawn to exit, and its main-thread CPU): the floor no Node program goes under.
 * 2. Catalog load by part (`catalog-load.js`) and tree-sitter start-up (`parsers-load.js`, the
 *    Python grammar alone and all grammars), {@link PROBE_RUNS} fresh processes each.
 * 3. Server memory after a workspace scan (the server started with the Node options and environment
 *    the extension uses, `SERVER_NODE_OPTIONS` and `SERVER_ENV`, as in every part; the scan reads
 *    the files in its worker process, whose memory is not the server's): the generated tree of `bench/tree.ts` (seeded) as the
 *    only workspace folder; `dlLifecycle/scanWorkspace` `{ exclude: [], reason: 'command' }` is sent
 *    after `initialized` and its answer awaited (default settings: the structured file kinds are
 *    read, scripts and Markdown are not). Then `VmRSS`, `RssAnon` (the process's own memory),
 *    `RssFile` (mapped files: mostly the Node binary) and `VmHWM` (peak) are read from
 *    `/proc/<pid>/status`, at once and after 2 s idle; also the scan's wall time and files/s. Two
 *    trees: the 10,000 files of the CLI benchmark (`out/bench/tree`), of which the scan reads the
 *    structured ones, and 16,000 files (`out/bench/tree-16k`) so that the scan reads at least 10,000.
 * 4. The `.vsix`: `npm run package` (a production build, then `vsce package`); the size of the
 *    package and of `dist/client.js`, `dist/server.js`, `dist/cli.js` and `dist/catalog.json` in it
 *    (`unzip -l`); then a shorter cold start of the production (minified) server, which is what
 *    ships. The package file is deleted and the development build restored afterwards. Skipped, with
 *    the reason, when `DL_BENCH_PACKAGE=0` or when packaging fails.
 *
 * `DL_BENCH_STARTUP=cold,rss` runs only the named parts (`cold`, `catalog`, `parsers`, `rss`,
 * `package`); `DL_BENCH_SERVER=path/server.js` measures another build of the server (parts 1 and 3).
 *
 * Bars (spec/quality.md): cold start ≤ 150 ms, RSS ≤ 80 MB after scanning 10,000 files, `.vsix` ≤ 2 MB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureTree, TREE_FILES, TREE_SEED } from './tree';
import { SERVER_ENV, SERVER_NODE_OPTIONS } from '../server/src/workspace/serverProcess';

/** Repository root (the bench bundles run from `out/bench/`, with the repository as working directory). */
const ROOT = process.cwd();
/** The server bundle measured: `dist/server.js`, or `DL_BENCH_SERVER` (another build of it, to compare). */
const SERVER = process.env.DL_BENCH_SERVER ? path.resolve(process.env.DL_BENCH_SERVER) : path.join(ROOT, 'dist', 'server.js');
const COLD_RUNS = 11;
const PROBE_RUNS = 9;

type Row = Record<string, string | number>;

/** Median of a list (mean of the middle two for an even count). */
function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

/** Median, min and max of a list of milliseconds, as table cells. */
function stats(values: number[], digits = 1): Row {
  const v = [...values].sort((a, b) => a - b);
  return { 'median ms': median(v).toFixed(digits), 'min ms': v[0].toFixed(digits), 'max ms': v[v.length - 1].toFixed(digits), runs: v.length };
}

// ---------------------------------------------------------------------------------------------
// A minimal LSP client over stdio (Content-Length framing), so that the clock sees the bytes.

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

/** A server process and a JSON-RPC connection to it; answers the server's requests like a plain client. */
export class Server {
  readonly proc;
  stderr = '';
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: Array<(m: Message, at: number) => void> = [];

  /** Starts `node [nodeArgs] serverJs --stdio` in `cwd`; by default with the Node options the extension starts the server with (and always its environment, SERVER_ENV). */
  constructor(cwd: string, nodeArgs: readonly string[] = SERVER_NODE_OPTIONS, serverJs = SERVER) {
    this.proc = spawn(process.execPath, [...nodeArgs, serverJs, '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...SERVER_ENV } });
    this.proc.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.proc.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`server exited (${code}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  private read(chunk: Buffer): void {
    const at = performance.now();
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message, at);
    }
  }

  private dispatch(m: Message, at: number): void {
    if (m.id !== undefined && m.method === undefined) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error.message));
      else p?.resolve(m.result);
      return;
    }
    if (m.id !== undefined && m.method !== undefined) this.write({ id: m.id, result: m.method === 'workspace/configuration' ? [{}] : null });
    for (const l of [...this.listeners]) l(m, at);
  }

  private write(m: Message): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...m });
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** Sends a request; resolves with its result and the clock (`performance.now()`) when the answer arrived. */
  request(method: string, params: unknown): Promise<{ result: unknown; at: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (result) => resolve({ result, at: performance.now() }), reject });
      this.write({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ method, params });
  }

  /** Resolves with the clock at the first notification that `test` accepts. @throws (rejects) after `timeoutMs` */
  waitFor(test: (m: Message) => boolean, timeoutMs = 120_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for a server message; stderr: ${this.stderr}`)), timeoutMs);
      const listener = (m: Message, at: number) => {
        if (!test(m)) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(at);
      };
      this.listeners.push(listener);
    });
  }

  /** Milliseconds the main thread has run on a CPU (`cpu`) and waited for one (`wait`) since it started; Linux only. */
  schedstat(): { cpu: number; wait: number } | undefined {
    return schedstatOf(this.proc.pid);
  }

  /** Memory in MB from `/proc/<pid>/status`: `VmRSS`, `RssAnon`, `RssFile`, `VmHWM` (peak RSS); Linux only. */
  memory(): { rss: number; anon: number; file: number; peak: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
      const mb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
      return { rss: mb('VmRSS'), anon: mb('RssAnon'), file: mb('RssFile'), peak: mb('VmHWM') };
    } catch {
      return undefined;
    }
  }

  /** `shutdown` and `exit`, then waits for the process to end (killed after 3 s). */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => (this.proc.exitCode !== null ? resolve() : this.proc.once('exit', () => resolve())));
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.proc.kill(), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/** The main thread's on-CPU and run-queue milliseconds from `/proc/<pid>/schedstat`; undefined off Linux. */
function schedstatOf(pid: number | string | undefined): { cpu: number; wait: number } | undefined {
  try {
    const [cpu, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return { cpu: cpu / 1e6, wait: wait / 1e6 };
  } catch {
    return undefined;
  }
}

/** `initialize` parameters of a plain client: settings in the initialization options, no configuration pull. */
export const initializeParams = (rootUri: string | null) => ({
  processId: process.pid,
  rootUri,
  workspaceFolders: rootUri ? [{ uri: rootUri, name: path.basename(rootUri) }] : null,
  capabilities: { workspace: { configuration: false, workspaceFolders: true }, window: { workDoneProgress: false } },
  initializationOptions: { settings: {} },
});

const isLog = (m: Message, re: RegExp) => m.method === 'window/logMessage' && re.test((m.params as { message: string }).message);
const isDiagnostics = (m: Message, uri: string) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri;

// ---------------------------------------------------------------------------------------------
// 1. Cold start

const DOCKERFILE = {
  uri: 'file:///bench-cold-start/Dockerfile',
  languageId: 'dockerfile',
  text: 'FROM 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker\nRUN pip install torch==1.13.1\n',
};
const PYTHON = {
  uri: 'file:///bench-cold-start/train.py',
  languageId: 'python',
  text: 'from sagemaker.pytorch import PyTorch\n\nestimator = PyTorch(entry_point="train.py", role=role, framework_version="1.13.1", py_version="py39", instance_type="ml.p3.2xlarge")\n',
};

/** Milliseconds from the spawn of one cold start. */
export interface ColdRun {
  initialize: number;
  /** Main-thread CPU time of the server when the answer arrived. */
  initializeCpu: number;
  /** Main-thread time the server waited for a CPU until then (the machine's load). */
  initializeWait: number;
  catalogLog: number;
  dockerfile: number;
  python: number;
}

/** One cold start of `serverJs` (see the module comment for what each time includes). */
export async function coldStartOnce(serverJs = SERVER): Promise<ColdRun> {
  const t0 = performance.now();
  const s = new Server(ROOT, SERVER_NODE_OPTIONS, serverJs);
  const catalogLog = s.waitFor((m) => isLog(m, /catalog dated \S+ loaded/));
  const docker = s.waitFor((m) => isDiagnostics(m, DOCKERFILE.uri));
  const python = s.waitFor((m) => isDiagnostics(m, PYTHON.uri));
  const init = await s.request('initialize', initializeParams(null));
  const sched = s.schedstat();
  s.notify('initialized', {});
  for (const doc of [DOCKERFILE, PYTHON]) s.notify('textDocument/didOpen', { textDocument: { ...doc, version: 1 } });
  const run = { initialize: init.at - t0, initializeCpu: sched?.cpu ?? NaN, initializeWait: sched?.wait ?? NaN, catalogLog: (await catalogLog) - t0, dockerfile: (await docker) - t0, python: (await python) - t0 };
  await s.stop();
  return run;
}

/** Spawn to exit of a Node program that prints its own schedstat: Node's start on this machine, and its main-thread CPU (NaN off Linux). */
function nodeFloorOnce(): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', "try { process.stdout.write(require('fs').readFileSync('/proc/self/schedstat', 'utf8')) } catch {}"], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', () => resolve({ wall: performance.now() - t0, cpu: Number(out.trim().split(/\s+/)[0]) / 1e6 }));
  });
}

/** Cold starts of `serverJs` interleaved with the Node floor; prints the table and the verdict. */
async function coldStartOf(serverJs: string, runs: number, label: string): Promise<void> {
  if (!existsSync(serverJs)) throw new Error(`${serverJs} is missing: run npm run build`);
  await coldStartOnce(serverJs); // warms the file cache; not counted
  const cold: ColdRun[] = [];
  const floor: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < runs; i++) {
    floor.push(await nodeFloorOnce());
    cold.push(await coldStartOnce(serverJs));
  }
  const col = (k: keyof ColdRun) => cold.map((r) => r[k]);
  const cpuKnown = !Number.isNaN(median(col('initializeCpu')));
  console.table([
    { task: 'node -e (spawn to exit: the floor)', ...stats(floor.map((f) => f.wall)) },
    ...(cpuKnown ? [{ task: '  its main-thread CPU', ...stats(floor.map((f) => f.cpu)) }] : []),
    { task: 'spawn → initialize answered', ...stats(col('initialize')) },
    ...(cpuKnown
      ? [
          { task: '  server main-thread CPU until then', ...stats(col('initializeCpu')) },
          { task: '  server main-thread wait for a CPU until then', ...stats(col('initializeWait')) },
        ]
      : []),
    { task: 'spawn → "catalog dated … loaded" log', ...stats(col('catalogLog')) },
    { task: 'spawn → first diagnostics, Dockerfile (DLC image)', ...stats(col('dockerfile')) },
    { task: 'spawn → first diagnostics, Python (SageMaker SDK)', ...stats(col('python')) },
  ]);
  const init = median(col('initialize'));
  const floorWall = median(floor.map((f) => f.wall));
  let line = `${label}: spawn → initialize answered, median ${init.toFixed(1)} ms = ${(init / floorWall).toFixed(2)}× node -e — bar ≤ 150 ms: ${init <= 150 ? 'met' : 'NOT met'}.`;
  if (cpuKnown) {
    const cpu = median(col('initializeCpu'));
    line += ` Main-thread CPU until then ${cpu.toFixed(1)} ms = ${(cpu / median(floor.map((f) => f.cpu))).toFixed(2)}× node -e; it waited ${median(col('initializeWait')).toFixed(1)} ms for a CPU (load of the machine).`;
  }
  console.log(line);
}

function coldStart(): Promise<void> {
  return coldStartOf(SERVER, COLD_RUNS, `Cold start of ${path.relative(ROOT, SERVER)}`);
}

// ---------------------------------------------------------------------------------------------
// 2. Catalog and parsers, in fresh processes

function probe<T>(file: string, args: string[] = []): T {
  const r = spawnSync(process.execPath, [path.join(__dirname, file), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Catalog load at start-up, in fresh processes (the first use of each part is what a start pays). */
function catalogLoad(): void {
  const runs = Array.from({ length: PROBE_RUNS }, () => probe<Record<string, number>>('catalog-load.js'));
  const labels: Record<string, string> = {
    start: 'process start → frameworks part built (Node, bundle, read, build)',
    read: 'read + JSON.parse catalog.json',
    frameworks: 'frameworks part (at start)',
    images: 'images part: first use',
    lifecycle: 'lifecycle part: first use',
    neuron: 'neuron part: first use',
    all: 'read + every part, first use in the process',
    warmAll: 'every part again (warm)',
    validateAll: 'every part with every check (a copy: as a refresh cache gets)',
  };
  console.table(Object.entries(labels).filter(([key]) => runs[0][key] !== undefined).map(([key, task]) => ({ task, ...stats(runs.map((x) => x[key])) })));
  const how = runs[0].prevalidated ? 'validated by the build, so a load indexes it without checking it again' : 'NOT marked as validated by the build: checked at load';
  console.log(`The bundled catalog is ${how}. Bar (docs/performance.md): loading the catalog and building its indexes ≤ 50 ms; start-up pays the frameworks part, the others are paid on first use.`);
}

/** Parser start-up: the runtime with the Python grammar alone, and with every grammar. */
function parsersLoad(): void {
  const time = (which: string) => Array.from({ length: PROBE_RUNS }, () => probe<{ ms: number }>('parsers-load.js', [which]).ms);
  const python = time('python');
  const all = time('all');
  console.table([
    { task: 'tree-sitter runtime + Python grammar', ...stats(python) },
    { task: 'tree-sitter runtime + all four grammars', ...stats(all) },
  ]);
  console.log(`All grammars take ${(median(all) / median(python)).toFixed(2)}× the Python grammar alone at start-up.`);
}

// ---------------------------------------------------------------------------------------------
// 3. Memory after a workspace scan

interface ScanRun {
  files: number;
  ms: number;
  before?: ReturnType<Server['memory']>;
  after?: ReturnType<Server['memory']>;
  idle?: ReturnType<Server['memory']>;
}

async function scanOnce(root: string): Promise<ScanRun> {
  const s = new Server(root);
  try {
    await s.request('initialize', initializeParams(pathToFileURL(root).href));
    s.notify('initialized', {});
    await new Promise((r) => setTimeout(r, 500));
    const before = s.memory();
    const t0 = performance.now();
    const answer = await s.request('dlLifecycle/scanWorkspace', { exclude: [], reason: 'command' });
    const result = answer.result as { files: number; cancelled: boolean };
    if (result.cancelled) throw new Error('the workspace scan was cancelled');
    const after = s.memory();
    await new Promise((r) => setTimeout(r, 2000));
    return { files: result.files, ms: answer.at - t0, before, after, idle: s.memory() };
  } finally {
    await s.stop();
  }
}

async function scanRss(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('(skipped: memory is read from /proc, Linux only)');
    return;
  }
  const trees = [
    { label: `${TREE_FILES.toLocaleString('en')}-file tree`, root: path.join(ROOT, 'out/bench/tree'), files: TREE_FILES },
    { label: '16,000-file tree', root: path.join(ROOT, 'out/bench/tree-16k'), files: 16_000 },
  ];
  const rows: Row[] = [];
  let bar: ScanRun | undefined;
  const mb = (n: number | undefined) => (n === undefined ? '' : n.toFixed(1));
  for (const t of trees) {
    const m = ensureTree(t.root, TREE_SEED, t.files);
    const r = await scanOnce(t.root);
    if (r.files >= 10_000) bar ??= r;
    rows.push({
      workspace: `${t.label} (${(m.bytes / 1e6).toFixed(0)} MB)`,
      'files scanned': r.files,
      'scan s': (r.ms / 1000).toFixed(1),
      'files/s': Math.round(r.files / (r.ms / 1000)),
      'RSS before': mb(r.before?.rss),
      'RSS after': mb(r.after?.rss),
      'RSS 2 s later': mb(r.idle?.rss),
      'RssAnon 2 s later': mb(r.idle?.anon),
      'RssFile 2 s later': mb(r.idle?.file),
      'peak RSS': mb(r.idle?.peak),
    });
  }
  console.table(rows);
  console.log('(MB. RssAnon is the process\'s own memory; RssFile is mapped files, mostly the Node binary, shared and reclaimable.)');
  if (bar?.idle) console.log(`Server RSS after scanning ${bar.files.toLocaleString('en')} files: ${bar.idle.rss.toFixed(1)} MB (RssAnon ${bar.idle.anon.toFixed(1)} MB) — bar ≤ 80 MB: ${bar.idle.rss <= 80 ? 'met' : 'NOT met'}.`);
}

// ---------------------------------------------------------------------------------------------
// 4. Package size, and the cold start of the production build

async function packageSize(): Promise<void> {
  if (process.env.DL_BENCH_PACKAGE === '0') {
    console.log('(package size skipped: DL_BENCH_PACKAGE=0)');
    return;
  }
  const vsix = path.join(ROOT, 'dl-lifecycle.vsix');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const pack = spawnSync(npm, ['run', 'package'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
  try {
    if (pack.status !== 0 || !existsSync(vsix)) {
      const why = `${pack.error?.message ?? ''}${pack.stderr ?? ''}${pack.stdout ?? ''}`.trim().split('\n').slice(-5).join(' | ');
      console.log(`(package size skipped: npm run package failed: ${why})`);
      return;
    }
    const size = statSync(vsix).size;
    const rows: Row[] = [{ file: 'dl-lifecycle.vsix (compressed)', KB: (size / 1024).toFixed(0) }];
    const list = spawnSync('unzip', ['-l', vsix], { encoding: 'utf8' });
    if (list.status === 0) {
      for (const name of ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/catalog.json']) {
        const line = list.stdout.split('\n').find((l) => l.trim().endsWith(`extension/${name}`));
        if (line) rows.push({ file: `${name} (uncompressed, in the package)`, KB: (Number(line.trim().split(/\s+/)[0]) / 1024).toFixed(0) });
      }
      const total = /^\s*(\d+)\s+(\d+) files?\s*$/m.exec(list.stdout);
      if (total) rows.push({ file: `all ${total[2]} files (uncompressed)`, KB: (Number(total[1]) / 1024).toFixed(0) });
    } else {
      rows.push({ file: '(unzip -l failed: sizes inside the package not shown)', KB: '' });
    }
    console.table(rows);
    console.log(`.vsix: ${(size / 1024 / 1024).toFixed(2)} MB — bar ≤ 2 MB: ${size <= 2 * 1024 * 1024 ? 'met' : 'NOT met'}.`);
    if (!process.env.DL_BENCH_SERVER) {
      console.log('\n### cold start of the production build (dist/server.js as packaged: minified)');
      await coldStartOf(path.join(ROOT, 'dist', 'server.js'), 7, 'Cold start of the production build');
    }
  } finally {
    rmSync(vsix, { force: true });
    // npm run package left a production build in dist/: restore the development build the other sections use
    spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  }
}

/** The parts of this section, in order; `DL_BENCH_STARTUP=cold,rss` runs only those named. */
const PARTS: Array<[string, string, () => unknown]> = [
  ['cold', `cold start (fresh server processes over stdio, ${COLD_RUNS} runs)`, coldStart],
  ['catalog', `catalog load by part (${PROBE_RUNS} fresh processes)`, catalogLoad],
  ['parsers', `tree-sitter parser start-up (${PROBE_RUNS} fresh processes each)`, parsersLoad],
  ['rss', 'server memory after a workspace scan', scanRss],
  ['package', 'package size (npm run package)', packageSize],
];

async function main(): Promise<void> {
  const only = process.env.DL_BENCH_STARTUP?.split(',').map((s) => s.trim()).filter(Boolean);
  if (process.env.DL_BENCH_SERVER) console.log(`(server: ${SERVER})`);
  for (const [name, title, run] of PARTS) {
    if (only?.length && !only.includes(name)) continue;
    console.log(`\n### ${title}`);
    await run();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
