/**
 * `dl-lifecycle scan`: finds the files of known kinds under the given paths, follows `-r`/`-c`
 * includes inside the workspace, analyses every file with the same core as the language server,
 * and returns plain data for the formatters.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { Analysis, AnalysisOptions } from '../analysis';
import { analyzeText } from '../analysis';
import type { Catalog } from '../catalog/catalog';
import type { FileKind } from '../scanners/fileKinds';
import { fileKindForPath } from '../scanners/fileKinds';
import type { WalkNote } from '../workspace/walk';
import { DEFAULT_MAX_FILE_BYTES, readTextFile, walk } from '../workspace/walk';

/** One analysed file; `file` is relative to the current directory, with forward slashes. */
export interface ScannedFile { file: string; absolute: string; analysis: Analysis }

export interface ScanRun { files: ScannedFile[]; notes: WalkNote[] }

/** A path given on the command line that does not exist (exit code 2). */
export class InputError extends Error {}

export interface ScanOptions extends AnalysisOptions {
  exclude?: string[];
  maxFileBytes?: number;
  /** Directory that relative output paths and the workspace boundary are measured from. */
  cwd: string;
}

function display(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs) || path.basename(abs);
  return rel.split(path.sep).join('/');
}

/**
 * Scans paths (files or directories).
 * @throws InputError when a path does not exist
 */
export function scanPaths(paths: string[], catalog: Catalog, options: ScanOptions): ScanRun {
  const notes: WalkNote[] = [];
  const queue: Array<{ abs: string; kind: FileKind; root: string }> = [];
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(options.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new InputError(`no such file or directory: ${p}`);
    }
    if (st.isDirectory()) {
      const w = walk(abs, { exclude: options.exclude });
      notes.push(...w.notes.map((n) => ({ path: display(options.cwd, path.join(abs, n.path)), message: n.message })));
      for (const f of w.files) queue.push({ abs: f.absolute, kind: f.kind, root: abs });
    } else {
      const kind = fileKindForPath(abs);
      if (!kind) {
        notes.push({ path: display(options.cwd, abs), message: 'skipped: not a file kind dl-lifecycle reads' });
        continue;
      }
      queue.push({ abs, kind, root: path.dirname(abs) });
    }
  }
  const seen = new Set<string>();
  const files: ScannedFile[] = [];
  for (let next = 0; next < queue.length; next++) {
    const item = queue[next];
    if (seen.has(item.abs)) continue; // also the cycle protection for -r includes
    seen.add(item.abs);
    const read = readTextFile(item.abs, maxBytes);
    if ('skipped' in read) {
      notes.push({ path: display(options.cwd, item.abs), message: read.skipped });
      continue;
    }
    const analysis = analyzeText(read.text, item.abs, item.kind, catalog, options);
    files.push({ file: display(options.cwd, item.abs), absolute: item.abs, analysis });
    for (const inc of analysis.scan.includes) {
      const target = path.resolve(path.dirname(item.abs), inc.path);
      const fromRoot = path.relative(item.root, target);
      const inside = !fromRoot.startsWith('..') && !path.isAbsolute(fromRoot);
      if (!inside) {
        notes.push({ path: display(options.cwd, item.abs), message: `include ${inc.path} is outside the workspace; not followed` });
        continue;
      }
      let exists = false;
      try {
        exists = statSync(target).isFile();
      } catch {
        /* reported below */
      }
      if (!exists) {
        notes.push({ path: display(options.cwd, item.abs), message: `include ${inc.path} not found` });
        continue;
      }
      // an included file is read as the kind that includes it, whatever its name (`-r deps/base.in`)
      if (!seen.has(target)) queue.push({ abs: target, kind: item.kind, root: item.root });
    }
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, notes };
}
