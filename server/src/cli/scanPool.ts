/**
 * Worker threads for `dl-lifecycle scan` (opt-in, env `DL_LIFECYCLE_WORKERS`: see {@link workerCount}):
 * a small pool that reads and analyses files beside the main thread, so that a scan of a large
 * workspace can use more cores. Each worker runs the CLI bundle
 * itself (`dist/cli.js`, started with a marker in `workerData`: see {@link isScanWorker}), builds
 * the same catalog from the parts the main thread loaded, loads the parsers, and answers one
 * message per file with the scan result and findings of {@link analyzeText} (plain data, cloned).
 * The main thread keeps the order: it takes files and commits their results in queue order (see
 * `scanPathsAsync` in `scan.ts`), so the report is the same as with no workers.
 *
 * Only the bundle can start workers (a worker runs a `.js` file); from sources (tests run by tsx)
 * {@link WORKER_SCRIPT} is undefined and scans run on the main thread.
 */
import type * as ChildProcesses from 'node:child_process';
import * as os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Analysis, AnalysisOptions } from '../analysis';
import { analyzeText } from '../analysis';
import type { Catalog } from '../catalog/catalog';
import { CatalogError } from '../catalog/errors';
import { buildCatalog } from '../catalog/load';
import type { CatalogParts } from '../catalog/refresh/merge';
import type { Finding, ScanResult } from '../model';
import type { FileKind } from '../scanners/fileKinds';
import { fileKindById, TEXT_KIND } from '../scanners/fileKinds';
import { initParsers } from '../scanners/treeSitter';
import { readTextFile } from '../workspace/walk';
import type { ScannedPart } from '../report/workspaceReport';
import { scannedPartOf } from '../report/workspaceReport';

/** What reading and analysing one file gave: why it was skipped, or its analysis. */
export type FileOutcome = { skipped: string } | { analysis: Analysis };

/**
 * Reads one file (at most `maxBytes`, not binary: see {@link readTextFile}) and analyses it as
 * `kind` under `options`; the same on the main thread and in a worker.
 */
export function analyseFile(abs: string, kind: FileKind, catalog: Catalog, options: AnalysisOptions, maxBytes: number): FileOutcome {
  const read = readTextFile(abs, maxBytes);
  if ('skipped' in read) return { skipped: read.skipped };
  return { analysis: analyzeText(read.text, abs, kind, catalog, options) };
}

/** The script a worker runs: the running bundle (`dist/cli.js`), or undefined when running from sources. */
export const WORKER_SCRIPT: string | undefined = __filename.endsWith('.js') ? __filename : undefined;

/** `workerData.role` of a scan worker. */
const ROLE = 'dl-lifecycle/scan-worker/1';

/** What a worker starts with: the catalog the main thread uses (its validated parts), and the size limit of the scan. */
export interface WorkerInit {
  parts: CatalogParts;
  origins: Record<string, string>;
  maxBytes: number;
}

/**
 * One file for a worker: `kind` is a {@link FileKind} id (`text` for {@link TEXT_KIND}). With
 * `report` (the file's path relative to its workspace folder, and its URI) the worker answers with
 * the file's {@link ScannedPart} instead of its scan (the language server's workspace scan).
 */
interface WorkerTask {
  id: number;
  abs: string;
  kind: string;
  options: AnalysisOptions;
  report?: { file: string; uri: string };
}

/** A worker's answer: the file skipped, its scan and findings (the rest of {@link Analysis} is rebuilt by the main thread), or an error. */
export type WorkerReply =
  | { id: number; skipped: string }
  | { id: number; scan: ScanResult; findings: Finding[] }
  /** For a task with `report`: the file's part (undefined: nothing to keep). */
  | { id: number; part: ScannedPart | undefined }
  | { id: number; error: { name: string; message: string } };

/** The environment variable that marks a child process started by {@link ScanPool} in `process` mode (its value is the role). */
const CHILD_ENV = 'DL_LIFECYCLE_SCAN_CHILD';

/** Whether this thread is a scan worker started by {@link ScanPool} (a worker thread, or a child process with an IPC channel). */
export function isScanWorker(): boolean {
  if (isMainThread) return process.env[CHILD_ENV] === ROLE && typeof process.send === 'function';
  return (workerData as { role?: unknown } | null)?.role === ROLE;
}

/** Where a scan worker gets its start-up data and tasks and sends its answers: the parent port of a worker thread, or a child process's IPC channel. */
interface WorkerChannel {
  /** The start-up data (a worker thread's `workerData`; a child's first message). */
  init(): Promise<WorkerInit>;
  post(message: WorkerReply | { ready: true }): void;
  onTask(handle: (task: WorkerTask) => void): void;
  /** Resolves when the pool closes the channel. */
  closed(): Promise<void>;
}

function workerChannel(): WorkerChannel {
  if (!isMainThread) {
    const port = parentPort!;
    return {
      init: () => Promise.resolve(workerData as WorkerInit),
      post: (m) => port.postMessage(m),
      onTask: (handle) => port.on('message', handle),
      closed: () => new Promise((resolve) => port.on('close', () => resolve())),
    };
  }
  const inits: Array<(init: WorkerInit) => void> = [];
  let handler: ((task: WorkerTask) => void) | undefined;
  // the first message is the start-up data, the others tasks
  process.on('message', (m: WorkerInit | WorkerTask) => {
    const first = inits.shift();
    if (first) first(m as WorkerInit);
    else handler?.(m as WorkerTask);
  });
  return {
    init: () => new Promise((resolve) => inits.push(resolve)),
    post: (m) => void process.send!(m),
    onTask: (handle) => (handler = handle),
    closed: () => new Promise((resolve) => process.once('disconnect', () => resolve())),
  };
}

const kindOf = (id: string): FileKind | undefined => (id === TEXT_KIND.id ? TEXT_KIND : fileKindById(id));

/**
 * The body of a scan worker: builds the catalog, loads the parsers (a grammar that cannot be
 * loaded yields the same notes as on the main thread) and answers tasks until the main thread
 * closes the port. Resolves to 0 then.
 */
export async function serveScanWorker(): Promise<number> {
  const channel = workerChannel();
  const init = await channel.init();
  const catalog = buildCatalog(init.parts, init.origins);
  await initParsers().catch(() => undefined);
  channel.post({ ready: true });
  return new Promise((resolve) => {
    channel.onTask((task: WorkerTask) => {
      let reply: WorkerReply;
      try {
        const kind = kindOf(task.kind);
        if (!kind) throw new Error(`unknown file kind ${task.kind}`);
        const outcome = analyseFile(task.abs, kind, catalog, task.options, init.maxBytes);
        if ('skipped' in outcome) reply = { id: task.id, skipped: outcome.skipped };
        else if (task.report) reply = { id: task.id, part: scannedPartOf({ ...task.report, analysis: outcome.analysis }) };
        else reply = { id: task.id, scan: outcome.analysis.scan, findings: outcome.analysis.findings };
      } catch (e) {
        reply = { id: task.id, error: { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) } };
      }
      try {
        channel.post(reply);
      } catch (e) {
        // a result that cannot be cloned: said, not lost
        channel.post({ id: task.id, error: { name: 'Error', message: `${task.abs}: result not transferable: ${e instanceof Error ? e.message : String(e)}` } });
      }
    });
    void channel.closed().then(() => resolve(0));
  });
}

/** The error a worker reported, as the main thread would have thrown it. */
export function replyError(error: { name: string; message: string }): Error {
  return error.name === 'CatalogError' ? new CatalogError(error.message) : new Error(error.message);
}

/**
 * How many worker threads a scan of `files` files starts besides the main thread (which analyses
 * files too), from env `DL_LIFECYCLE_WORKERS`: unset, empty or `0`: none (the default: on 2 cores
 * the pool costs more CPU than it saves, see docs/performance.md); a whole number N: N (at most
 * 64); `auto`: one fewer than the cores, up to 3, for scans of at least
 * {@link MIN_FILES_FOR_WORKERS} files. Anything else: none. None when workers cannot start
 * (`canStart`: by default, when there is a bundle to run, {@link WORKER_SCRIPT}).
 */
export function workerCount(env: NodeJS.ProcessEnv, files: number, cores = os.availableParallelism(), canStart = WORKER_SCRIPT !== undefined): number {
  const set = env.DL_LIFECYCLE_WORKERS?.trim().toLowerCase();
  if (!canStart || !set) return 0;
  if (set === 'auto') return files < MIN_FILES_FOR_WORKERS ? 0 : Math.max(0, Math.min(cores, 4) - 1);
  return /^\d+$/.test(set) ? Math.min(Number(set), 64) : 0;
}

/** Below this many files `DL_LIFECYCLE_WORKERS=auto` starts no worker (starting one costs about as much as analysing 100 files). */
export const MIN_FILES_FOR_WORKERS = 200;

/** Files sent to one worker before it answers: enough to keep it busy between messages, few enough that the last ones do not wait long. */
const IN_FLIGHT = 16;

/** What the scan needs of a pool: room for another file, sending one, and closing. */
export interface AnalysisPool {
  /** Whether a started worker can take another file now. */
  readonly hasRoom: boolean;
  /** Files sent and not yet answered. */
  readonly inFlight: number;
  /** Sends one file (call only when {@link hasRoom}); `done` gets the answer, later (never synchronously). `report`: see {@link WorkerTask}. */
  submit(abs: string, kind: FileKind, options: AnalysisOptions, done: (r: WorkerReply) => void, report?: { file: string; uri: string }): void;
  /** Stops every worker. */
  close(): Promise<void>;
}

/** How a {@link ScanPool} runs its workers. */
export interface ScanPoolOptions {
  /**
   * Where the workers' stdout and stderr go: by default into this process's own streams; given,
   * each chunk is passed to it instead (a language server speaking LSP on stdout).
   */
  output?: (text: string) => void;
  /**
   * Child processes (`child_process.fork` of the script, with Node's default options and an IPC
   * channel using structured clone) instead of worker threads: everything a worker allocated
   * (its heap, the parsers' WebAssembly memory, the allocator's arenas, the pages of code it ran)
   * leaves with it when it ends, which a worker thread's memory does not all do.
   */
  processes?: boolean;
}

/** One started worker, thread or process: sends a task or a message, and ends it. */
interface WorkerSlot {
  busy: number;
  ready: boolean;
  send(message: WorkerTask): void;
  stop(): Promise<void>;
}

/** A pool of scan workers; tasks go to the least busy worker, answers come back through callbacks. */
export class ScanPool implements AnalysisPool {
  private readonly workers: WorkerSlot[] = [];
  private readonly pending = new Map<number, { slot: { busy: number }; done: (r: WorkerReply) => void }>();
  private nextId = 0;
  private closed = false;

  /**
   * Starts `size` workers running `script`.
   * @param onFailure called once when a worker dies or fails to start (the scan cannot finish)
   * @param onReady called when a worker has started and can take files
   */
  constructor(
    size: number,
    script: string,
    init: WorkerInit,
    private readonly onFailure: (e: Error) => void,
    private readonly onReady: () => void,
    options: ScanPoolOptions = {},
  ) {
    for (let i = 0; i < size; i++) this.workers.push(options.processes ? this.startProcess(script, init, options.output) : this.startThread(script, init, options.output));
  }

  /** Handles a worker's message: its start, or the answer to a task. */
  private receive(slot: WorkerSlot, r: WorkerReply | { ready: true }): void {
    if ('ready' in r) {
      // no file is sent before: meanwhile the main thread analyses them
      slot.ready = true;
      this.onReady();
      return;
    }
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    p.slot.busy--;
    p.done(r);
  }

  private startThread(script: string, init: WorkerInit, output?: (text: string) => void): WorkerSlot {
    const worker = new Worker(script, { workerData: { ...init, role: ROLE }, stdout: output !== undefined, stderr: output !== undefined });
    if (output) for (const stream of [worker.stdout, worker.stderr]) stream.on('data', (chunk: Buffer | string) => output(String(chunk)));
    const slot: WorkerSlot = { busy: 0, ready: false, send: (task) => worker.postMessage(task), stop: () => worker.terminate().then(() => undefined) };
    worker.on('message', (r: WorkerReply | { ready: true }) => this.receive(slot, r));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`a scan worker stopped (exit code ${code})`));
    });
    return slot;
  }

  private startProcess(script: string, init: WorkerInit, output?: (text: string) => void): WorkerSlot {
    // required here, by the scans that fork: loading node:child_process takes about 18 ms of a process start
    const { fork } = require('node:child_process') as typeof ChildProcesses;
    const child = fork(script, [], { env: { ...process.env, [CHILD_ENV]: ROLE }, execArgv: [], serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    for (const [stream, own] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) stream?.on('data', (chunk: Buffer) => (output ? output(String(chunk)) : own.write(chunk)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const slot: WorkerSlot = {
      busy: 0,
      ready: false,
      send: (task) => void child.send(task),
      stop: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill();
        return exited;
      },
    };
    child.on('message', (r: WorkerReply | { ready: true }) => this.receive(slot, r));
    child.on('error', (e) => this.fail(e));
    child.on('exit', (code, signal) => {
      if (!this.closed) this.fail(new Error(`a scan worker process stopped (${signal ?? `exit code ${code}`})`));
    });
    child.send(init);
    return slot;
  }

  private fail(e: Error): void {
    if (this.closed) return;
    this.onFailure(e);
  }

  /** Whether a started worker can take another file now. */
  get hasRoom(): boolean {
    return this.workers.some((w) => w.ready && w.busy < IN_FLIGHT);
  }

  /** Files sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends one file to the least busy started worker (call only when {@link hasRoom}); `done` gets the answer. */
  submit(abs: string, kind: FileKind, options: AnalysisOptions, done: (r: WorkerReply) => void, report?: { file: string; uri: string }): void {
    const slot = this.workers.filter((w) => w.ready).reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    this.pending.set(id, { slot, done });
    slot.send({ id, abs, kind: kind.id, options, ...(report ? { report } : {}) });
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}
