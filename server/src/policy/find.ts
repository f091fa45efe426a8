/**
 * Finding the policy file of a file: walking up from its folder, the nearest folder that holds
 * `.dl-lifecycle.toml`, or a `pyproject.toml` with a `[tool.dl-lifecycle]` table, decides. When one
 * folder holds both, `.dl-lifecycle.toml` wins (as `ruff.toml` wins over `pyproject.toml` for ruff)
 * and the pyproject table is not read. The nearest policy applies alone: policies are not merged.
 * The walk stops at `stopAt` (the editor passes the workspace folder) or the filesystem root.
 *
 * Parses are cached by path and modification time (and size); a text given with
 * {@link PolicyFinder.setOverlay} (an open editor buffer) replaces the file's content.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Policy, PolicyKind, PolicyProblem } from './policyFile';
import { parsePolicy } from './policyFile';

/** The file name of a policy file of its own. */
export const POLICY_FILE_NAME = '.dl-lifecycle.toml';
/** The Python project file whose `[tool.dl-lifecycle]` table is a policy. */
export const PYPROJECT_FILE_NAME = 'pyproject.toml';

/** A policy file read from disk (or an overlay): its path, kind, valid content and problems. */
export interface LoadedPolicy {
  /** Absolute path of the policy file. */
  file: string;
  kind: PolicyKind;
  policy: Policy;
  problems: PolicyProblem[];
}

/** What the finder reads; injectable for tests. */
export interface PolicyFileSystem {
  /** `undefined` when the path is not a readable regular file. */
  stat(file: string): { mtimeMs: number; size: number } | undefined;
  /** @throws when the file cannot be read */
  read(file: string): string;
}

const nodeFileSystem: PolicyFileSystem = {
  stat(file) {
    try {
      const s = statSync(file);
      return s.isFile() ? { mtimeMs: s.mtimeMs, size: s.size } : undefined;
    } catch {
      return undefined;
    }
  },
  read: (file) => readFileSync(file, 'utf8'),
};

/** The policy kind a path names by its file name (`.dl-lifecycle.toml`, `pyproject.toml`), else undefined. */
export function policyKindOfPath(file: string): PolicyKind | undefined {
  const base = path.basename(file);
  return base === POLICY_FILE_NAME ? 'dl-lifecycle-toml' : base === PYPROJECT_FILE_NAME ? 'pyproject' : undefined;
}

/** Policy files larger than this are reported instead of parsed. */
const MAX_POLICY_BYTES = 1024 * 1024;

/** Most folders {@link PolicyFinder} remembers the policy file of (about 100 bytes each) before it starts over. */
export const MAX_CACHED_FOLDERS = 10_000;

/**
 * Finds and parses policy files, with caches. One finder serves a CLI run or a language server;
 * call {@link invalidate} when files appear, change or disappear (the editor's watched-file events).
 */
export class PolicyFinder {
  private readonly parsed = new Map<string, { stamp: string; loaded: LoadedPolicy | undefined }>();
  /**
   * Folder → the policy file found in it (null: none), re-checked by modification time at each use.
   * Emptied when it holds more than {@link MAX_CACHED_FOLDERS} folders (a long editor session opens
   * files in ever new folders; a lookup after that costs a few `stat` calls again).
   */
  private readonly inFolder = new Map<string, string | null>();
  private readonly overlays = new Map<string, string>();

  constructor(private readonly fs: PolicyFileSystem = nodeFileSystem) {}

  /** Uses `text` instead of the file's content (an open, maybe unsaved, editor buffer); `undefined` goes back to the disk. */
  setOverlay(file: string, text: string | undefined): void {
    if (text === undefined) this.overlays.delete(file);
    else this.overlays.set(file, text);
    this.inFolder.clear();
  }

  /**
   * Forgets which folders hold a policy file (after files were created or deleted). A known policy
   * file is checked for changes (modification time, size) at each use anyway.
   */
  invalidate(): void {
    this.inFolder.clear();
  }

  /**
   * Reads one policy file.
   * @param kind by default from the file name; any other name is read as a `.dl-lifecycle.toml`
   * @returns undefined when the file does not exist, or is a `pyproject.toml` without a `[tool.dl-lifecycle]` table
   */
  load(file: string, kind: PolicyKind = policyKindOfPath(file) ?? 'dl-lifecycle-toml'): LoadedPolicy | undefined {
    const overlay = this.overlays.get(file);
    let stamp: string;
    let size = 0;
    if (overlay !== undefined) stamp = `overlay:${overlay}`;
    else {
      const st = this.fs.stat(file);
      if (!st) return undefined;
      stamp = `disk:${st.mtimeMs}:${st.size}`;
      size = st.size;
    }
    const cached = this.parsed.get(file);
    if (cached && cached.stamp === stamp) return cached.loaded;
    let text = overlay;
    let readProblem: string | undefined;
    if (text === undefined) {
      try {
        if (size > MAX_POLICY_BYTES) readProblem = `the policy file is larger than ${MAX_POLICY_BYTES / 1024 / 1024} MB; it is not read`;
        else text = this.fs.read(file);
      } catch (e) {
        readProblem = `the policy file cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
      }
    }
    let loaded: LoadedPolicy | undefined;
    if (text === undefined) {
      loaded = kind === 'pyproject' ? undefined : { file, kind, policy: { origin: file, kind, exclude: [], rules: {}, images: [] }, problems: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: readProblem!, key: '' }] };
    } else {
      const { policy, problems } = parsePolicy(text, file, kind);
      loaded = policy ? { file, kind, policy, problems } : undefined;
    }
    this.parsed.set(file, { stamp, loaded });
    return loaded;
  }

  /** The policy file in `folder` itself: `.dl-lifecycle.toml`, else a `pyproject.toml` with the table, else undefined. */
  private policyIn(folder: string): LoadedPolicy | undefined {
    const known = this.inFolder.get(folder);
    if (known === null) return undefined;
    const dlLifecycle = path.join(folder, POLICY_FILE_NAME);
    if (known !== undefined) {
      const again = this.load(known, known === dlLifecycle ? 'dl-lifecycle-toml' : 'pyproject');
      if (again) return again;
    }
    const found = this.load(dlLifecycle, 'dl-lifecycle-toml') ?? this.load(path.join(folder, PYPROJECT_FILE_NAME), 'pyproject');
    if (this.inFolder.size >= MAX_CACHED_FOLDERS) this.inFolder.clear();
    this.inFolder.set(folder, found ? found.file : null);
    return found;
  }

  /**
   * The nearest policy for files in `folder` (an absolute path): the folder's own, else its parent's,
   * up to and including `stopAt` (when `folder` is inside it) or the filesystem root.
   */
  nearest(folder: string, stopAt?: string): LoadedPolicy | undefined {
    let dir = path.resolve(folder);
    const stop = stopAt !== undefined && isInside(path.resolve(stopAt), dir) ? path.resolve(stopAt) : undefined;
    for (;;) {
      const found = this.policyIn(dir);
      if (found) return found;
      const parent = path.dirname(dir);
      if (dir === stop || parent === dir) return undefined;
      dir = parent;
    }
  }
}

/** True when `file` is `folder` or lies below it. */
export function isInside(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const matchers = new WeakMap<Policy, (p: string) => boolean>();

/**
 * True when the policy's `exclude` globs match `file` (absolute), or a folder between the policy
 * file's folder and it, as a path relative to the policy file's folder with forward slashes. Paths
 * outside that folder are never excluded. A folder (each one on the way, and `file` itself when
 * `isDirectory`) is also tried with a trailing slash (`build/`).
 */
export function isExcluded(loaded: LoadedPolicy | undefined, file: string, isDirectory = false): boolean {
  if (!loaded || loaded.policy.exclude.length === 0) return false;
  const base = path.dirname(loaded.file);
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  let match = matchers.get(loaded.policy);
  if (!match) {
    match = picomatch(loaded.policy.exclude, { dot: true });
    matchers.set(loaded.policy, match);
  }
  const parts = rel.split(path.sep);
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join('/');
    if (match(p) || ((i < parts.length || isDirectory) && match(`${p}/`))) return true;
  }
  return false;
}
