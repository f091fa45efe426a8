/**
 * `dl-lifecycle scan`: finds the files of known kinds under the given paths, follows `-r`/`-c`
 * includes inside the workspace, analyses every file with the same core as the language server
 * under its nearest policy file (policy/find.ts), and returns plain data for the formatters.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Analysis, AnalysisOptions } from '../analysis';
import { analyzeText } from '../analysis';
import type { Catalog } from '../catalog/catalog';
import type { CalendarDay } from '../dates';
import type { LoadedPolicy } from '../policy/find';
import { isExcluded, PolicyFinder } from '../policy/find';
import type { ConfigLayer } from '../policy/precedence';
import { mergeLayers, policyLayer } from '../policy/precedence';
import { DEFAULT_WARNING_WINDOW_DAYS } from '../rules/context';
import type { FileKind } from '../scanners/fileKinds';
import { fileKindForPath, TEXT_KIND } from '../scanners/fileKinds';
import type { WalkNote } from '../workspace/walk';
import { DEFAULT_MAX_FILE_BYTES, readTextFile, walk } from '../workspace/walk';

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

  /** The policy that governs the entries of `folder` (absolute); files do not change during a scan, so each folder is looked up once. */
  of(folder: string): LoadedPolicy | undefined {
    if (this.byFolder.has(folder)) return this.byFolder.get(folder);
    const choice = this.scan.policy ?? { mode: 'none' };
    const found = choice.mode === 'file' ? this.fixed : choice.mode === 'nearest' ? this.finder.nearest(folder) : undefined;
    if (found) this.consulted.add(found);
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

/**
 * Scans paths (files or directories). Walked files are analysed under their policy (see
 * {@link PolicyChoice}) and left out when its `exclude` matches them; files named on the command line
 * and included files (`-r`) are always analysed.
 * @throws InputError when a path does not exist, or a `--policy` file does not exist or holds no policy
 */
export function scanPaths(paths: string[], catalog: Catalog, options: ScanOptions): ScanRun {
  const policies = new ScanPolicies(options);
  const usePolicies = (options.policy ?? { mode: 'none' }).mode !== 'none';
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
      const w = walk(abs, { exclude: options.exclude, skip: usePolicies ? (p, isDir) => policies.skips(p, isDir) : undefined, kindFor: (rel) => walkedKind(rel, options.text) });
      notes.push(...w.notes.map((n) => ({ path: displayPath(options.cwd, path.join(abs, n.path)), message: n.message })));
      for (const f of w.files) queue.push({ abs: f.absolute, kind: f.kind, root: abs });
    } else {
      // a file named on the command line is always read: as its kind, else as text
      queue.push({ abs, kind: fileKindForPath(abs) ?? TEXT_KIND, root: path.dirname(abs) });
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
      notes.push({ path: displayPath(options.cwd, item.abs), message: read.skipped });
      continue;
    }
    const policy = usePolicies ? policies.of(path.dirname(item.abs)) : undefined;
    const analysis = analyzeText(read.text, item.abs, item.kind, catalog, policies.optionsFor(policy));
    files.push({ file: displayPath(options.cwd, item.abs), absolute: item.abs, analysis, policy });
    // a Dockerfile's `pip install -r` names a path inside the image, not a file beside the Dockerfile
    for (const inc of item.kind.includesAreLocal ? analysis.scan.includes : []) {
      const target = path.resolve(path.dirname(item.abs), inc.path);
      const fromRoot = path.relative(item.root, target);
      const inside = !fromRoot.startsWith('..') && !path.isAbsolute(fromRoot);
      if (!inside) {
        notes.push({ path: displayPath(options.cwd, item.abs), message: `include ${inc.path} is outside the workspace; not followed` });
        continue;
      }
      let exists = false;
      try {
        exists = statSync(target).isFile();
      } catch {
        /* reported below */
      }
      if (!exists) {
        notes.push({ path: displayPath(options.cwd, item.abs), message: `include ${inc.path} not found` });
        continue;
      }
      // an included file is read as the kind that includes it, whatever its name (`-r deps/base.in`)
      if (!seen.has(target)) queue.push({ abs: target, kind: item.kind, root: item.root });
    }
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const consulted = [...policies.consulted].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const days = new Set(files.map((f) => f.analysis.context.asOf));
  if (days.size === 0) days.add(options.commandLine?.asOf ?? options.asOf);
  return { files, notes, policies: consulted, asOfDays: [...days].sort() };
}
