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

/** One file for a worker: `kind` is a {@link FileKind} id (`text` for {@link TEXT_KIND}). */
interface WorkerTask {
  id: number;
  abs: string;
  kind: string;
  options: AnalysisOptions;
}

/** A worker's answer: the file skipped, its scan and findings (the rest of {@link Analysis} is rebuilt by the main thread), or an error. */
export type WorkerReply = { id: number; skipped: string } | { id: number; scan: ScanResult; findings: Finding[] } | { id: number; error: { name: string; message: string } };

/** Whether this thread is a scan worker started by {@link ScanPool}. */
export function isScanWorker(): boolean {
  return !isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE;
}

const kindOf = (id: string): FileKind | undefined => (id === TEXT_KIND.id ? TEXT_KIND : fileKindById(id));

/**
 * The body of a scan worker: builds the catalog, loads the parsers (a grammar that cannot be
 * loaded yields the same notes as on the main thread) and answers tasks until the main thread
 * closes the port. Resolves to 0 then.
 */
export async function serveScanWorker(): Promise<number> {
  const init = workerData as WorkerInit & { role: string };
  const port = parentPort!;
  const catalog = buildCatalog(init.parts, init.origins);
  await initParsers().catch(() => undefined);
  port.postMessage({ ready: true });
  return new Promise((resolve) => {
    port.on('message', (task: WorkerTask) => {
      let reply: WorkerReply;
      try {
        const kind = kindOf(task.kind);
        if (!kind) throw new Error(`unknown file kind ${task.kind}`);
        const outcome = analyseFile(task.abs, kind, catalog, task.options, init.maxBytes);
        reply = 'skipped' in outcome ? { id: task.id, skipped: outcome.skipped } : { id: task.id, scan: outcome.analysis.scan, findings: outcome.analysis.findings };
      } catch (e) {
        reply = { id: task.id, error: { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) } };
      }
      try {
        port.postMessage(reply);
      } catch (e) {
        // a result that cannot be cloned: said, not lost
        port.postMessage({ id: task.id, error: { name: 'Error', message: `${task.abs}: result not transferable: ${e instanceof Error ? e.message : String(e)}` } });
      }
    });
    port.on('close', () => resolve(0));
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
  /** Sends one file (call only when {@link hasRoom}); `done` gets the answer, later (never synchronously). */
  submit(abs: string, kind: FileKind, options: AnalysisOptions, done: (r: WorkerReply) => void): void;
  /** Stops every worker. */
  close(): Promise<void>;
}

/** A pool of scan workers; tasks go to the least busy worker, answers come back through callbacks. */
export class ScanPool implements AnalysisPool {
  private readonly workers: Array<{ worker: Worker; busy: number; ready: boolean }> = [];
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
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { workerData: { ...init, role: ROLE }, stdout: false, stderr: false });
      const slot = { worker, busy: 0, ready: false };
      worker.on('message', (r: WorkerReply | { ready: true }) => {
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
      });
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`a scan worker stopped (exit code ${code})`));
      });
      this.workers.push(slot);
    }
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
  submit(abs: string, kind: FileKind, options: AnalysisOptions, done: (r: WorkerReply) => void): void {
    const slot = this.workers.filter((w) => w.ready).reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    this.pending.set(id, { slot, done });
    const task: WorkerTask = { id, abs, kind: kind.id, options };
    slot.worker.postMessage(task);
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
