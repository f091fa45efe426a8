/**
 * The files of the editor's workspace folders that the workspace scan reads: the same walk as the
 * CLI (`walk.ts`: `.gitignore` files, `node_modules` and `.git` skipped), plus VS Code's
 * `files.exclude` globs and the policy file's `exclude`. Knows nothing of LSP.
 */
import * as path from 'node:path';
import type { FileKind } from '../scanners/fileKinds';
import type { WalkNote } from './walk';
import { walk } from './walk';

/** A file of a workspace folder. `relative` is relative to `folder`, with forward slashes. */
export interface WorkspaceFile {
  folder: string;
  absolute: string;
  relative: string;
  kind: FileKind;
}

/** How {@link findWorkspaceFiles} chooses files. */
export interface WorkspaceFilesOptions {
  /** Globs relative to each folder that are left out (VS Code's `files.exclude` keys that are on). */
  exclude: string[];
  /** The kind a folder-relative path is read as, or undefined to leave it out. */
  kindFor: (relative: string) => FileKind | undefined;
  /** Leaves out a file or folder by absolute path (the policy file's `exclude`); a folder left out is not entered. */
  skip?: (absolute: string, isDirectory: boolean) => boolean;
}

/**
 * Lists the files of the folders (absolute paths) in folder order, then path order; a file inside
 * two folders (nested workspace folders) is listed once, under the first folder that holds it.
 * Notes name entries that could not be listed (paths relative to their folder).
 */
export function findWorkspaceFiles(folders: readonly string[], options: WorkspaceFilesOptions): { files: WorkspaceFile[]; notes: WalkNote[] } {
  const files: WorkspaceFile[] = [];
  const notes: WalkNote[] = [];
  const seen = new Set<string>();
  // VS Code's `files.exclude` globs have no `./` and match files or folders (`**/.git`, `build`)
  const exclude = options.exclude.flatMap((g) => (g.endsWith('/**') ? [g] : [g, `${g}/**`]));
  for (const folder of folders) {
    const w = walk(folder, { exclude, skip: options.skip, kindFor: options.kindFor });
    notes.push(...w.notes.map((n) => ({ path: path.join(folder, n.path), message: n.message })));
    for (const f of w.files) {
      if (seen.has(f.absolute)) continue;
      seen.add(f.absolute);
      files.push({ folder, absolute: f.absolute, relative: f.relative, kind: f.kind });
    }
  }
  return { files, notes };
}
