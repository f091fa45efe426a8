/**
 * Walks a workspace for files dl-lifecycle can read: respects `.gitignore` files (root and nested,
 * with the `ignore` package's gitignore semantics) and `--exclude` globs, and skips `node_modules`
 * and `.git`. {@link readTextFile} then reads each file once, skipping binary files and files over
 * the size limit with a reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { FileKind } from '../scanners/fileKinds';
import { fileKindForPath } from '../scanners/fileKinds';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

/** A file found by the walk, with its path relative to the walk root (forward slashes). */
export interface WalkedFile { absolute: string; relative: string; kind: FileKind }
/** Something the walk skipped and why. */
export interface WalkNote { path: string; message: string }

export interface WalkOptions {
  /** Globs over root-relative paths to leave out (`legacy/**`). */
  exclude?: string[];
  /** Leaves out more entries by their absolute path (a policy file's `exclude`); a folder left out is not entered. */
  skip?: (absolute: string, isDirectory: boolean) => boolean;
  /** The kind a root-relative path is read as, or undefined to leave it out (default: {@link fileKindForPath}). */
  kindFor?: (relative: string) => FileKind | undefined;
}

/**
 * Reads a file as UTF-8 text with one stat and one read, or says why it is skipped: over
 * `maxBytes`, binary (a NUL byte in the first 8 KiB, as git tells), or unreadable.
 */
export function readTextFile(file: string, maxBytes: number): { text: string } | { skipped: string } {
  try {
    const size = statSync(file).size;
    if (size > maxBytes) return { skipped: `skipped: ${(size / 1024 / 1024).toFixed(1)} MB is over the ${(maxBytes / 1024 / 1024).toFixed(0)} MB limit` };
    const bytes = readFileSync(file);
    if (bytes.subarray(0, 8192).includes(0)) return { skipped: 'skipped: binary file' };
    return { text: bytes.toString('utf8') };
  } catch (e) {
    return { skipped: `skipped: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

/**
 * Walks `root` (a directory) and returns the files of known kinds, in path order (not yet read).
 */
export function walk(root: string, options: WalkOptions = {}): { files: WalkedFile[]; notes: WalkNote[] } {
  const files: WalkedFile[] = [];
  const notes: WalkNote[] = [];
  const excluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : () => false;
  const visit = (dir: string, rel: string, ignores: Array<{ base: string; ig: Ignore }>) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      notes.push({ path: rel || '.', message: `skipped: cannot list (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      return;
    }
    let scoped = ignores;
    const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (gi) {
      try {
        scoped = [...ignores, { base: rel, ig: ignore().add(readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        /* unreadable .gitignore: ignore nothing more */
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (ALWAYS_SKIPPED.has(e.name)) continue;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const isDir = e.isDirectory();
      if (isIgnored(scoped, childRel, isDir) || excluded(childRel) || (isDir && excluded(`${childRel}/`))) continue;
      const abs = path.join(dir, e.name);
      if (isDir) {
        if (!options.skip?.(abs, true)) visit(abs, childRel, scoped);
      } else if (e.isFile()) {
        const kind = (options.kindFor ?? fileKindForPath)(childRel);
        if (kind && !options.skip?.(abs, false)) files.push({ absolute: abs, relative: childRel, kind });
      }
    }
  };
  visit(root, '', []);
  return { files, notes };
}

function isIgnored(ignores: Array<{ base: string; ig: Ignore }>, rel: string, isDir: boolean): boolean {
  for (const { base, ig } of ignores) {
    const sub = base ? rel.slice(base.length + 1) : rel;
    if (!sub) continue;
    if (ig.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}
