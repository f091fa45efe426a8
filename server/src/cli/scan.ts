/**
 * `dl-lifecycle scan`: finds the files of known kinds under the given paths, follows `-r`/`-c`
 * includes inside the workspace, analyses every file with the same core as the language server
 * under its nearest policy file (policy/find.ts), and returns plain data for the formatters.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Analysis, AnalysisOptions } from '../analysis';
import { ruleContext } from '../analysis';
import type { Catalog } from '../catalog/catalog';
import type { CatalogParts } from '../catalog/refresh/merge';
import type { CalendarDay } from '../dates';
import type { LoadedPolicy } from '../policy/find';
import { isExcluded, PolicyFinder } from '../policy/find';
import type { ConfigLayer } from '../policy/precedence';
import { mergeLayers, policyLayer } from '../policy/precedence';
import { DEFAULT_WARNING_WINDOW_DAYS } from '../rules/context';
import type { FileKind } from '../scanners/fileKinds';
import { fileKindForPath, TEXT_KIND } from '../scanners/fileKinds';
import type { WalkNote } from '../workspace/walk';
import { DEFAULT_MAX_FILE_BYTES, walk } from '../workspace/walk';
import type { AnalysisPool, FileOutcome, WorkerInit } from './scanPool';
import { analyseFile, replyError, ScanPool, WORKER_SCRIPT, workerCount } from './scanPool';

/** One analysed file; `file` is relative to the current directory, with forward slashes. */
export interface ScannedFile {
  file: string;
  absolute: string;
  analysis: Analysis;
  /** The policy file the file was analysed under. */
  policy?: LoadedPolicy;
}

/** A scan's result. */
export interface ScanRun {
  files: ScannedFile[];
  notes: WalkNote[];
  /** Every policy file the scan consulted (for a file or a folder), by path; each with its problems. */
  policies: LoadedPolicy[];
  /** The evaluation days the files were analysed at, ascending (several when policy files set different `as-of`). */
  asOfDays: CalendarDay[];
  /** When worker threads took part ({@link scanPathsAsync}): how many, and how many files (analysed or skipped) they read. */
  workers?: { threads: number; files: number };
}

/**
 * Where the policy of each file comes from: the nearest policy file (walking up to the filesystem
 * root), one given file for everything, or none.
 */
export type PolicyChoice = { mode: 'nearest' } | { mode: 'file'; file: string } | { mode: 'none' };

/** A path given on the command line that does not exist (exit code 2). */
export class InputError extends Error {}

/**
 * Options of a scan. `asOf` and `warningWindowDays` are the values when neither a policy file nor
 * `commandLine` sets them (today, 90); `commandLine` holds what was given explicitly on the command
 * line, which wins over a policy file.
 */
export interface ScanOptions extends AnalysisOptions {
  /** Default `{ mode: 'none' }`. */
  policy?: PolicyChoice;
  /** Options given explicitly (`--as-of`, `--warning-window`): they override a policy file. */
  commandLine?: ConfigLayer;
  exclude?: string[];
  maxFileBytes?: number;
  /** Directory that relative output paths and the workspace boundary are measured from. */
  cwd: string;
  /**
   * Which text files the generic recognisers read in walked folders: `scripts` (default: shell
   * scripts, Makefiles) or `none`; `textGlobs` (root-relative globs) add more files, read as their
   * generic kind (Markdown) or as plain text. A file named on the command line is always read.
   */
  text?: { scripts: boolean; textGlobs?: string[] };
}

/**
 * The kind a walked path is read as under the text options: structured kinds always; script kinds
 * unless turned off; other files only when a `--text` glob matches them.
 */
export function walkedKind(relative: string, text: ScanOptions['text']): FileKind | undefined {
  const kind = fileKindForPath(relative);
  if (kind && !kind.generic) return kind;
  if (kind?.generic === 'scripts' && (text?.scripts ?? true)) return kind;
  const globs = text?.textGlobs ?? [];
  if (globs.length === 0) return undefined;
  let m = textMatchers.get(globs);
  if (!m) textMatchers.set(globs, (m = picomatch(globs, { dot: true })));
  return m(relative) ? (kind ?? TEXT_KIND) : undefined;
}
const textMatchers = new WeakMap<string[], (p: string) => boolean>();

/** A path as the CLI prints it: relative to `cwd` (the file name when it is `cwd` itself), forward slashes. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs) || path.basename(abs);
  return rel.split(path.sep).join('/');
}

/** The policy of each folder, and the analysis options of each policy, for one scan. */
class ScanPolicies {
  private readonly finder = new PolicyFinder();
  private readonly fixed: LoadedPolicy | undefined;
  private readonly options = new Map<LoadedPolicy | undefined, AnalysisOptions>();
  readonly consulted = new Set<LoadedPolicy>();

  /** @throws InputError when a `--policy` file does not exist or holds no policy */
  constructor(private readonly scan: ScanOptions) {
    const choice = scan.policy ?? { mode: 'none' };
    if (choice.mode === 'file') {
      const file = path.resolve(scan.cwd, choice.file);
      this.fixed = this.finder.load(file);
      if (!this.fixed) {
        const exists = statSync(file, { throwIfNoEntry: false })?.isFile();
        throw new InputError(exists ? `--policy ${choice.file}: no [tool.dl-lifecycle] table in it` : `--policy ${choice.file}: no such file`);
      }
      this.consulted.add(this.fixed);
    }
  }

  /** The policy that governs the entries of `folder` (absolute), listed among the consulted ones. */
  of(folder: string): LoadedPolicy | undefined {
    const found = this.lookup(folder);
    if (found) this.consulted.add(found);
    return found;
  }

  /** {@link of} without listing the policy as consulted; files do not change during a scan, so each folder is looked up once. */
  lookup(folder: string): LoadedPolicy | undefined {
    if (this.byFolder.has(folder)) return this.byFolder.get(folder);
    const choice = this.scan.policy ?? { mode: 'none' };
    const found = choice.mode === 'file' ? this.fixed : choice.mode === 'nearest' ? this.finder.nearest(folder) : undefined;
    this.byFolder.set(folder, found);
    return found;
  }
  private readonly byFolder = new Map<string, LoadedPolicy | undefined>();

  /** The policy's `exclude` leaves out a walked file, or a folder (judged by the folder's own nearest policy). */
  skips(absolute: string, isDirectory: boolean): boolean {
    return isExcluded(this.of(isDirectory ? absolute : path.dirname(absolute)), absolute, isDirectory);
  }

  /** Analysis options under a policy: command line > policy file > defaults. */
  optionsFor(policy: LoadedPolicy | undefined): AnalysisOptions {
    let o = this.options.get(policy);
    if (!o) {
      const { asOf, warningWindowDays, severities, escalations } = this.scan;
      o = policy || this.scan.commandLine
        ? mergeLayers([{ rules: Object.fromEntries(Object.entries(severities ?? {}).map(([id, severity]) => [id, { severity }])) }, policyLayer(policy?.policy), this.scan.commandLine ?? {}], asOf, warningWindowDays ?? DEFAULT_WARNING_WINDOW_DAYS)
        : { asOf, warningWindowDays, severities, escalations };
      this.options.set(policy, o);
    }
    return o;
  }
}

/** A file to read and analyse: where it is, the kind it is read as, and the scanned folder its includes must stay inside. */
interface QueueItem {
  abs: string;
  kind: FileKind;
  root: string;
}

/**
 * One scan's state: the queue of files (walked files in path order, then the files they include,
 * in the order they are found), the files taken (the first queue entry of each path) and their
 * results. Files must be taken and committed in queue order: then the queue, the notes and the
 * report do not depend on when each file's analysis finished.
 */
class ScanState {
  readonly queue: QueueItem[] = [];
  readonly notes: WalkNote[] = [];
  readonly policies: ScanPolicies;
  readonly maxBytes: number;
  private readonly files: ScannedFile[] = [];
  private readonly seen = new Set<string>();
  private readonly usePolicies: boolean;

  /** Walks the paths and fills the queue. @throws InputError, as {@link scanPaths} */
  constructor(
    paths: string[],
    private readonly catalog: Catalog,
    private readonly options: ScanOptions,
  ) {
    this.policies = new ScanPolicies(options);
    this.usePolicies = (options.policy ?? { mode: 'none' }).mode !== 'none';
    this.maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    for (const p of paths.length ? paths : ['.']) {
      const abs = path.resolve(options.cwd, p);
      let st;
      try {
        st = statSync(abs);
      } catch {
        throw new InputError(`no such file or directory: ${p}`);
      }
      if (st.isDirectory()) {
        const w = walk(abs, { exclude: options.exclude, skip: this.usePolicies ? (p, isDir) => this.policies.skips(p, isDir) : undefined, kindFor: (rel) => walkedKind(rel, options.text) });
        this.notes.push(...w.notes.map((n) => ({ path: displayPath(options.cwd, path.join(abs, n.path)), message: n.message })));
        for (const f of w.files) this.queue.push({ abs: f.absolute, kind: f.kind, root: abs });
      } else {
        // a file named on the command line is always read: as its kind, else as text
        this.queue.push({ abs, kind: fileKindForPath(abs) ?? TEXT_KIND, root: path.dirname(abs) });
      }
    }
  }

  /** Whether a queue entry is analysed: the first entry of its path (also the cycle protection for `-r` includes). Call once per entry, in queue order. */
  take(item: QueueItem): boolean {
    if (this.seen.has(item.abs)) return false;
    this.seen.add(item.abs);
    return true;
  }

  /** The analysis options of a file: those of its policy (not yet listed as consulted). */
  optionsOf(item: QueueItem): AnalysisOptions {
    return this.policies.optionsFor(this.usePolicies ? this.policies.lookup(path.dirname(item.abs)) : undefined);
  }

  /** Analyses a taken file on this thread. */
  analyseHere(item: QueueItem): FileOutcome {
    return analyseFile(item.abs, item.kind, this.catalog, this.optionsOf(item), this.maxBytes);
  }

  /** Records a taken file's outcome and queues the files it includes. Call in queue order. */
  commit(item: QueueItem, outcome: FileOutcome): void {
    const { cwd } = this.options;
    if ('skipped' in outcome) {
      this.notes.push({ path: displayPath(cwd, item.abs), message: outcome.skipped });
      return;
    }
    const analysis = outcome.analysis;
    const policy = this.usePolicies ? this.policies.of(path.dirname(item.abs)) : undefined;
    this.files.push({ file: displayPath(cwd, item.abs), absolute: item.abs, analysis, policy });
    // a Dockerfile's `pip install -r` names a path inside the image, not a file beside the Dockerfile
    for (const inc of item.kind.includesAreLocal ? analysis.scan.includes : []) {
      const target = path.resolve(path.dirname(item.abs), inc.path);
      const fromRoot = path.relative(item.root, target);
      const inside = !fromRoot.startsWith('..') && !path.isAbsolute(fromRoot);
      if (!inside) {
        this.notes.push({ path: displayPath(cwd, item.abs), message: `include ${inc.path} is outside the workspace; not followed` });
        continue;
      }
      let exists = false;
      try {
        exists = statSync(target).isFile();
      } catch {
        /* reported below */
      }
      if (!exists) {
        this.notes.push({ path: displayPath(cwd, item.abs), message: `include ${inc.path} not found` });
        continue;
      }
      // an included file is read as the kind that includes it, whatever its name (`-r deps/base.in`)
      if (!this.seen.has(target)) this.queue.push({ abs: target, kind: item.kind, root: item.root });
    }
  }

  /** Analyses every queued file on this thread. */
  runHere(): void {
    for (let next = 0; next < this.queue.length; next++) {
      const item = this.queue[next];
      if (this.take(item)) this.commit(item, this.analyseHere(item));
    }
  }

  /** The scan's result, files sorted by path. */
  result(): ScanRun {
    const files = [...this.files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const consulted = [...this.policies.consulted].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const days = new Set(files.map((f) => f.analysis.context.asOf));
    if (days.size === 0) days.add(this.options.commandLine?.asOf ?? this.options.asOf);
    return { files, notes: this.notes, policies: consulted, asOfDays: [...days].sort() };
  }
}

/**
 * Scans paths (files or directories) on this thread. Walked files are analysed under their policy
 * (see {@link PolicyChoice}) and left out when its `exclude` matches them; files named on the
 * command line and included files (`-r`) are always analysed.
 * @throws InputError when a path does not exist, or a `--policy` file does not exist or holds no policy
 */
export function scanPaths(paths: string[], catalog: Catalog, options: ScanOptions): ScanRun {
  const state = new ScanState(paths, catalog, options);
  state.runHere();
  return state.result();
}

/**
 * What a parallel scan needs: the catalog parts (as validated) the main thread's catalog was built
 * from, so that each worker builds the same catalog, and the environment that says how many
 * workers to start (`DL_LIFECYCLE_WORKERS`, see {@link workerCount}).
 */
export interface ParallelScan {
  parts: CatalogParts;
  origins: Record<string, string>;
  env: NodeJS.ProcessEnv;
  /**
   * Starts the pool (default: {@link ScanPool} over worker threads running the bundle). Given, it
   * is used from sources too, with `DL_LIFECYCLE_WORKERS` (or 2) as its size: for tests.
   */
  startPool?: (size: number, init: WorkerInit, onFailure: (e: Error) => void, onReady: () => void) => AnalysisPool;
  /** Whether the main thread analyses files too while the workers do (default true). */
  mainThreadAnalyses?: boolean;
}

/**
 * {@link scanPaths}, with the files read and analysed by a pool of worker threads and the main
 * thread together when `DL_LIFECYCLE_WORKERS` asks for workers and the scan runs from the bundle
 * (see {@link workerCount}; else all on the main thread);
 * the result is the same as {@link scanPaths}'s, plus {@link ScanRun.workers}. Files are handed
 * out in queue order and their results committed in queue order, so includes are found, and notes
 * written, as on one thread, whatever order the answers come in.
 * @throws InputError as {@link scanPaths}; the error a worker met analysing a file; Error when a worker dies
 */
export async function scanPathsAsync(paths: string[], catalog: Catalog, options: ScanOptions, parallel?: ParallelScan): Promise<ScanRun> {
  const state = new ScanState(paths, catalog, options);
  const size = !parallel ? 0 : parallel.startPool && !parallel.env.DL_LIFECYCLE_WORKERS ? 2 : workerCount(parallel.env, state.queue.length, undefined, parallel.startPool ? true : undefined);
  if (!parallel || size === 0) {
    state.runHere();
    return state.result();
  }
  const start = parallel.startPool ?? ((n, init, onFailure, onReady) => new ScanPool(n, WORKER_SCRIPT!, init, onFailure, onReady));
  const mainAnalyses = parallel.mainThreadAnalyses ?? true;
  const { queue } = state;
  const taken: boolean[] = [];
  const outcomes = new Map<number, FileOutcome>();
  let sent = 0; // queue entries handed out (taken or not)
  let committed = 0; // queue entries committed
  let byWorkers = 0;
  let pool: AnalysisPool | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true;
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      let local = false; // the main thread analysed a file and lets the workers' answers in before the next
      const pump = (): void => {
        if (failed || !pool) return;
        const p = pool;
        try {
          for (;;) {
            // commit what is ready, in queue order (may queue included files)
            while (committed < sent) {
              if (!taken[committed]) {
                committed++;
                continue;
              }
              const outcome = outcomes.get(committed);
              if (!outcome) break;
              outcomes.delete(committed);
              state.commit(queue[committed], outcome);
              committed++;
            }
            if (sent === queue.length || !p.hasRoom) break;
            // hand out the next entries while a worker has room
            while (sent < queue.length && p.hasRoom) {
              const index = sent++;
              const item = queue[index];
              taken[index] = state.take(item);
              if (!taken[index]) continue;
              const kind = item.kind;
              const fileOptions = state.optionsOf(item);
              p.submit(item.abs, kind, fileOptions, (r) => {
                if ('error' in r) return fail(replyError(r.error));
                byWorkers++;
                if ('part' in r) return fail(new Error('a scan worker answered with a report part, which the CLI does not ask for'));
                outcomes.set(index, 'skipped' in r ? { skipped: r.skipped } : { analysis: { kind, scan: r.scan, findings: r.findings, context: ruleContext(catalog, fileOptions) } });
                pump();
              });
            }
          }
          if (committed === queue.length && p.inFlight === 0) return resolve();
          // the main thread analyses too (the next file in the queue), then lets the workers' answers in
          if (mainAnalyses && sent < queue.length && !local) {
            const index = sent++;
            taken[index] = state.take(queue[index]);
            if (taken[index]) outcomes.set(index, state.analyseHere(queue[index]));
            local = true;
            setImmediate(() => {
              local = false;
              pump();
            });
          }
        } catch (e) {
          fail(e);
        }
      };
      pool = start(size, { parts: parallel.parts, origins: parallel.origins, maxBytes: state.maxBytes }, fail, pump);
      pump();
    });
  } finally {
    await (pool as AnalysisPool | undefined)?.close();
  }
  return { ...state.result(), workers: { threads: size, files: byWorkers } };
}
