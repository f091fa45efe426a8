/**
 * One Jupyter notebook cell, scanned as IPython runs it (IPython `inputtransformer2` and
 * `core/magics/packaging.py`):
 *
 * - a **code cell** is Python (the SageMaker SDK scanner, `scanPython`) plus the lines IPython
 *   turns into shell commands before Python sees them: `!cmd` / `!!cmd`, the line magics `%pip`,
 *   `%conda`, `%mamba`, `%micromamba`, `%sx`, `%system`, and the same magics written without `%`
 *   (`pip install …`, automagic). Such a line starts a logical Python line (not inside a string or
 *   brackets) and runs on over lines ending in `\`, which IPython joins with a space. Their
 *   pip/conda installs are read by the shell-install scanner (`shellInstalls.ts`).
 * - IPython hands `!` lines and `%pip` to the system shell as written, after expanding `{expr}`
 *   and `$name` (not guessed here: the word is marked as an expansion); `%conda` first splits its
 *   line with `shlex` and joins the words with spaces, which drops the quotes. So an unquoted `<` or
 *   `>` is a shell redirection, also in the middle of a word: `!pip install torch>=2.0` installs
 *   torch unpinned and writes pip's output to a file named `=2.0`. Such a pin is reported with no
 *   specifier and {@link PackagePin.shellRedirect} set (the `unpinned` rule explains it).
 * - a cell starting with `%%writefile NAME` holds the file NAME: it is scanned as that file kind
 *   (`requirements.txt`, `environment.yml`, `Dockerfile`, …); `%%bash`, `%%sh`, `%%script bash|sh`
 *   and `%%system` cells are shell scripts; `%%capture`, `%%time`, `%%timeit`, `%%prun` and
 *   `%%debug` cells are Python after the first line; other cell magics (`%%html`, `%%sql`, …) are
 *   not read.
 * - a **Markdown cell** is read only when asked ({@link CellScanOptions.scanMarkdown}): DLC image
 *   URIs and DLAMI names in its text. Raw cells and outputs are never read.
 *
 * Every range is an LSP range (0-based line, UTF-16 character) inside the cell's own text. Nothing
 * here throws: a failing part yields no references.
 */
import type { Catalog } from '../../catalog/catalog';
import type { Comment, LineSpan, Position, Reference, ScanResult } from '../../model';
import type { ImageMapping } from '../../policy/images';
import { TextIndex } from '../../text';
import type { FileKind } from '../fileKinds';
import { fileKindForPath } from '../fileKinds';
import { findDlamiReferences, findImageReferences } from '../images';
import { scanPython } from '../python/sagemakerSdk';
import type { DocPosition, MappedText } from '../shellInstalls';
import { scanShellInstalls } from '../shellInstalls';

/** The kind of a notebook cell, as nbformat (`cell_type`) and LSP (`NotebookCellKind`) tell it. */
export type NotebookCellKind = 'code' | 'markdown' | 'raw';

/** Options of {@link scanCell}. */
export interface CellScanOptions {
  /** The policy file's `[[images]]` mappings (internal images built on DLCs). */
  mappings?: readonly ImageMapping[];
  /** Read Markdown cells for DLC image URIs and DLAMI names (setting `dlLifecycle.notebooks.scanMarkdown`); default false. */
  scanMarkdown?: boolean;
}

/** Longest cell read (UTF-16 code units); longer cells are read up to this length. */
const MAX_CELL_LENGTH = 1_000_000;

const emptyScan = (): ScanResult => ({ references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] });

/**
 * Scans the source of one notebook cell.
 * @param source the cell's text as the editor or the `.ipynb` file holds it (any line breaks)
 * @param kind the cell's kind; `raw` cells yield nothing, Markdown cells only with `options.scanMarkdown`
 * @returns references, comments and statements (for suppression), includes, index URLs and notes,
 *   with ranges inside `source`; never throws
 */
export function scanCell(source: string, kind: NotebookCellKind, catalog: Catalog, options: CellScanOptions = {}): ScanResult {
  try {
    const text = typeof source !== 'string' ? '' : source.length > MAX_CELL_LENGTH ? source.slice(0, MAX_CELL_LENGTH) : source;
    if (kind === 'markdown') return options.scanMarkdown ? scanMarkdown(text, catalog, options) : emptyScan();
    if (kind !== 'code') return emptyScan();
    return scanCodeCell(text, catalog, options);
  } catch {
    return emptyScan();
  }
}

function scanMarkdown(text: string, catalog: Catalog, options: CellScanOptions): ScanResult {
  const index = new TextIndex(text);
  const at = (o: number) => index.positionAt(o);
  const out = emptyScan();
  out.references.push(...findImageReferences(text, at, catalog, { mappings: options.mappings }), ...findDlamiReferences(text, at, catalog));
  return out;
}

/** A physical line: its text without the line break, where it starts, and where the next one starts. */
interface PhysicalLine { start: number; end: number; next: number }

function physicalLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    lines.push({ start, end: m.index, next: m.index + m[0].length });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: text.length, next: text.length });
  return lines;
}

/** Cell magics whose body is Python. */
const PYTHON_CELL_MAGICS = new Set(['capture', 'time', 'timeit', 'prun', 'debug']);
/** Cell magics whose body is a shell script. */
const SHELL_CELL_MAGICS = new Set(['bash', 'sh', 'system']);

function scanCodeCell(text: string, catalog: Catalog, options: CellScanOptions): ScanResult {
  const lines = physicalLines(text);
  const index = new TextIndex(text);
  const first = text.slice(lines[0].start, lines[0].end);
  // the arguments start at a character the blanks cannot take (as `.` reads it), so that the blanks are tried once: linear
  const cellMagic = /^%%([A-Za-z_][\w-]{0,50})(?:[ \t]+([^ \t\n\r\u2028\u2029].*))?$/.exec(first.trimEnd());
  if (cellMagic) {
    const name = cellMagic[1];
    const args = cellMagic[2] ?? '';
    const blanked = blank(text, [{ from: 0, to: lines[0].end }], false);
    if (name === 'writefile') {
      const target = writefileTarget(args);
      const kind = target === undefined ? undefined : fileKindForPath(target);
      // a notebook written by a notebook is not read again
      if (!kind || kind.id === 'notebook') return emptyScan();
      return kind.scan(blanked, catalog, target!, { mappings: options.mappings });
    }
    if (SHELL_CELL_MAGICS.has(name) || (name === 'script' && /^(\S*\/)?(bash|sh)\b/.test(args.trim()))) {
      const out = emptyScan();
      const body = lines.slice(1);
      for (const stmt of shellStatements(text, body)) scanShellStatement(text, stmt, catalog, index, out, false);
      return out;
    }
    if (!PYTHON_CELL_MAGICS.has(name)) return emptyScan();
    return scanPythonWithMagics(blanked, lines, 1, catalog, index, options);
  }
  return scanPythonWithMagics(text, lines, 0, catalog, index, options);
}

/** The file name of `%%writefile [-a|--append] NAME` (quotes removed), or undefined. */
function writefileTarget(args: string): string | undefined {
  const words = args.trim().split(/\s+/).filter((w) => w !== '-a' && w !== '--append');
  const name = words.join(' ').replace(/^(['"])(.*)\1$/, '$2').trim();
  return name === '' ? undefined : name;
}

/** Groups physical lines into statements joined at trailing `\`, from line `from` on. */
function shellStatements(text: string, lines: readonly PhysicalLine[]): Array<{ lines: PhysicalLine[]; from: number }> {
  const out: Array<{ lines: PhysicalLine[]; from: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const group = [lines[i]];
    while (endsWithBackslash(text, lines[group.length - 1 + i]) && i + group.length < lines.length) group.push(lines[i + group.length]);
    out.push({ lines: group, from: lines[i].start });
    i += group.length - 1;
  }
  return out;
}

const endsWithBackslash = (text: string, line: PhysicalLine) => line.end > line.start && text[line.end - 1] === '\\';

/** A line IPython turns into a shell command or an install magic, by what starts it (after indentation). */
const ESCAPE_LINE = /^[ \t]*(?:(!!?)|%(pip|conda|mamba|micromamba|sx|system)(?=$|[ \t])|(pip|conda|mamba|micromamba)[ \t]+install(?=$|[ \t]))/;

/**
 * Scans Python text (the cell, or its body after a cell magic line) whose shell and magic lines
 * are read as shell commands and blanked before the Python scanner sees the rest.
 */
function scanPythonWithMagics(text: string, lines: readonly PhysicalLine[], fromLine: number, catalog: Catalog, index: TextIndex, options: CellScanOptions): ScanResult {
  const out = emptyScan();
  const blanks: Array<{ from: number; to: number }> = [];
  const starts = logicalLineStarts(text, lines, fromLine);
  for (let li = fromLine; li < lines.length; li++) {
    if (!starts.has(li)) continue;
    const line = lines[li];
    const m = ESCAPE_LINE.exec(text.slice(line.start, line.end));
    if (!m) continue;
    let last = li;
    while (endsWithBackslash(text, lines[last]) && last + 1 < lines.length) last++;
    const indent = /^[ \t]*/.exec(text.slice(line.start, line.end))![0].length;
    // where the command starts: after `!`/`!!`, after `%`, or at the bare magic's name
    const magic = m[2] ?? m[3];
    const skip = m[1] ? m[1].length : magic === 'sx' || magic === 'system' ? 1 + magic.length : m[2] ? 1 : 0;
    const from = line.start + indent + skip;
    const stmt = { lines: lines.slice(li, last + 1), from };
    scanShellStatement(text, stmt, catalog, index, out, true, magic === 'conda' || magic === 'mamba' || magic === 'micromamba');
    blanks.push({ from: line.start + indent, to: lines[last].end });
    li = last;
  }
  const python = blanks.length ? blank(text, blanks, true) : text;
  let py: ScanResult;
  try {
    // a cell may use what an earlier cell imported: parse it even without SageMaker words (and for its comments)
    py = scanPython(python, catalog, { mappings: options.mappings, alwaysParse: true });
  } catch {
    py = emptyScan();
  }
  const merged: ScanResult = {
    references: [...py.references, ...out.references],
    includes: [...py.includes, ...out.includes],
    comments: [...py.comments, ...out.comments],
    // the Python statement of a blanked magic line (`0`) is the magic's own statement
    statements: [...py.statements.filter((p) => !out.statements.some((m) => m.startLine <= p.startLine && p.startLine <= m.endLine)), ...out.statements],
    indexUrls: [...py.indexUrls, ...out.indexUrls],
    notes: [...py.notes, ...out.notes],
  };
  merged.references.sort(byStart);
  merged.comments.sort(byStart);
  merged.statements.sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  return merged;
}

const byStart = (a: { range: { start: Position } }, b: { range: { start: Position } }) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/**
 * Replaces the characters of `spans` with spaces, keeping line breaks (so every offset and
 * position stays where it was). With `keepStatement`, a span's first character becomes `0`, a
 * Python expression statement, so that an indented block holding only a magic line stays valid.
 */
function blank(text: string, spans: ReadonlyArray<{ from: number; to: number }>, keepStatement: boolean): string {
  const chars = text.split('');
  for (const { from, to } of spans) {
    for (let i = from; i < to; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
    if (keepStatement && to > from) chars[from] = '0';
  }
  return chars.join('');
}

/**
 * The indexes of physical lines (from `fromLine` on) that start a logical Python line: not inside
 * a string, brackets or a `\` continuation. A line IPython reads as a shell or magic line is
 * skipped whole (with its continuations): its quotes are the shell's, not Python's.
 */
function logicalLineStarts(text: string, lines: readonly PhysicalLine[], fromLine: number): Set<number> {
  const starts = new Set<number>();
  let quote = '';
  let triple = false;
  let depth = 0;
  let continued = false;
  for (let li = fromLine; li < lines.length; li++) {
    const line = lines[li];
    if (quote === '' && depth === 0 && !continued) {
      starts.add(li);
      if (ESCAPE_LINE.test(text.slice(line.start, line.end))) {
        while (endsWithBackslash(text, lines[li]) && li + 1 < lines.length) li++;
        continue;
      }
    }
    let comment = false;
    for (let i = line.start; i < line.end; i++) {
      const c = text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote && (!triple || (text[i + 1] === quote && text[i + 2] === quote))) {
          if (triple) i += 2;
          quote = '';
          triple = false;
        }
      } else if (c === '#') {
        comment = true;
        break;
      } else if (c === '"' || c === "'") {
        quote = c;
        triple = text[i + 1] === c && text[i + 2] === c;
        if (triple) i += 2;
      } else if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    }
    continued = !comment && endsWithBackslash(text, line);
    // a one-quoted string ends at the end of its line (unless continued with `\`)
    if (quote && !triple && !continued) quote = '';
  }
  return starts;
}

/** A shell redirection found inside a word: the operator's offset, the text from it to the end of the word as written, and its target file. */
interface Redirect { at: number; text: string; end: number; target: string }

/**
 * Reads one shell statement: joins its continuation lines with a space (as IPython does), finds
 * its comments and the redirections written inside words, and reports its installs.
 * @param ipython the line is an IPython `!`/magic line: `{expr}` is an expansion
 * @param dequote `%conda`-style magics: quotes are removed before the shell reads the line
 */
function scanShellStatement(
  text: string,
  stmt: { lines: PhysicalLine[]; from: number },
  catalog: Catalog,
  index: TextIndex,
  out: ScanResult,
  ipython: boolean,
  dequote = false,
): void {
  const pos: DocPosition = (o) => index.positionAt(o);
  let src = joinLines(text, stmt.lines, stmt.from);
  if (src.text.trim() === '') return;
  out.statements.push({ startLine: pos(stmt.lines[0].start).line, endLine: pos(stmt.lines[stmt.lines.length - 1].start).line } satisfies LineSpan);
  if (ipython) src = markPythonExpansions(src);
  if (dequote) src = shlexJoin(src);
  const { text: prepared, redirects, comments } = separateRedirects(src, text);
  out.comments.push(...comments.map((c) => ({ text: text.slice(c.from + 1, c.to), range: { start: pos(c.from), end: pos(c.to) }, standalone: false }) satisfies Comment));
  const before = out.references.length;
  scanShellInstalls(prepared, catalog, pos, out);
  for (const ref of out.references.slice(before)) attachRedirect(ref, redirects, text, index.offsetAt(ref.range.end), pos);
}

/** The end of the physical line holding document offset `at`. */
function lineEndAt(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The statement's text with each trailing `\` and line break replaced by one space (mapped to the `\`). */
function joinLines(text: string, lines: readonly PhysicalLine[], from: number): MappedText {
  const chars: string[] = [];
  const offsets: number[] = [];
  lines.forEach((line, k) => {
    const start = k === 0 ? from : line.start;
    const continued = k < lines.length - 1;
    const end = continued ? line.end - 1 : line.end;
    for (let i = start; i < end; i++) {
      chars.push(text[i]);
      offsets.push(i);
    }
    if (continued) {
      chars.push(' ');
      offsets.push(line.end - 1);
    }
  });
  return { text: chars.join(''), offsets };
}

/**
 * IPython expands `{expr}` in shell and magic lines before the shell runs them: marks each as a
 * shell expansion (`${expr}`) so that its word is not guessed. `{sys.executable}` as the command
 * (`!{sys.executable} -m pip install …`) is the kernel's Python.
 */
function markPythonExpansions(src: MappedText): MappedText {
  const exe = /^(\s*)\{sys\.executable\}/.exec(src.text);
  let text = src.text;
  let offsets = [...src.offsets];
  if (exe) {
    const at = exe[1].length;
    const len = '{sys.executable}'.length;
    text = `${text.slice(0, at)}python${text.slice(at + len)}`;
    offsets = [...offsets.slice(0, at), ...offsets.slice(at, at + 6), ...offsets.slice(at + len)];
  }
  if (!text.includes('{')) return { text, offsets };
  const chars: string[] = [];
  const offs: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{' && text[i - 1] !== '$' && text[i + 1] !== '{' && text[i - 1] !== '{') {
      chars.push('$');
      offs.push(offsets[i]);
    }
    chars.push(text[i]);
    offs.push(offsets[i]);
  }
  return { text: chars.join(''), offsets: offs };
}

/**
 * `%conda`: Python's `shlex.split` then `' '.join`: the quotes are gone before the shell reads the
 * line. Words keep the offsets of their characters; each joining space maps to the end of the word before it.
 */
function shlexJoin(src: MappedText): MappedText {
  const chars: string[] = [];
  const offs: number[] = [];
  const t = src.text;
  let inWord = false;
  let i = 0;
  const push = (k: number) => {
    if (!inWord && chars.length) {
      chars.push(' ');
      offs.push(offs[offs.length - 1]);
    }
    inWord = true;
    chars.push(t[k]);
    offs.push(src.offsets[k]);
  };
  while (i < t.length) {
    const c = t[i];
    if (c === ' ' || c === '\t') {
      inWord = false;
      i++;
    } else if (c === "'") {
      let k = i + 1;
      for (; k < t.length && t[k] !== "'"; k++) push(k);
      if (k === i + 1) inWord = true;
      i = k + 1;
    } else if (c === '"') {
      let k = i + 1;
      for (; k < t.length && t[k] !== '"'; k++) {
        if (t[k] === '\\' && (t[k + 1] === '"' || t[k + 1] === '\\')) k++;
        push(k);
      }
      if (k === i + 1) inWord = true;
      i = k + 1;
    } else if (c === '\\' && i + 1 < t.length) {
      push(i + 1);
      i += 2;
    } else {
      push(i);
      i++;
    }
  }
  return { text: chars.join(''), offsets: offs };
}

/**
 * Finds what the shell reads differently from a requirement: comments (`#` at a word start) and
 * redirections inside a word (`torch>=2.0`: the word is `torch`, `>` redirects to `=2.0`). Returns
 * the text with a space before each such operator (mapped to the operator), so the shell splitter
 * ends the word there and drops the redirection, the redirections found, and the comments as
 * document offsets `[from, to)` (to the end of the physical line).
 */
function separateRedirects(src: MappedText, doc: string): { text: MappedText; redirects: Redirect[]; comments: Array<{ from: number; to: number }> } {
  const t = src.text;
  const chars: string[] = [];
  const offs: number[] = [];
  const redirects: Redirect[] = [];
  const comments: Array<{ from: number; to: number }> = [];
  let word = '';
  const push = (k: number) => {
    chars.push(t[k]);
    offs.push(src.offsets[k]);
  };
  const isBreak = (c: string) => c === ' ' || c === '\t' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '\n' || c === '\r';
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (isBreak(c)) {
      word = '';
      push(i++);
    } else if (c === "'" || c === '"') {
      const close = t.indexOf(c, i + 1);
      let end = close < 0 ? t.length : close + 1;
      if (c === '"') {
        end = i + 1;
        while (end < t.length && t[end] !== '"') end += t[end] === '\\' ? 2 : 1;
        end = Math.min(end + 1, t.length);
      }
      for (let k = i; k < end; k++) push(k);
      word += 'q';
      i = end;
    } else if (c === '\\') {
      push(i);
      if (i + 1 < t.length) push(i + 1);
      word += 'e';
      i += 2;
    } else if (c === '#' && word === '') {
      const from = src.offsets[i];
      comments.push({ from, to: lineEndAt(doc, from) });
      while (i < t.length && t[i] !== '\n') push(i++);
    } else if ((c === '<' || c === '>') && !/^\d+$/.test(word)) {
      // a redirection (glued to a word, the shell ends the word here)
      let end = i;
      while (end < t.length && !isBreak(t[end]) && t[end] !== "'" && t[end] !== '"') end++;
      let op = i;
      while (op < end && (t[op] === '<' || t[op] === '>' || t[op] === '&')) op++;
      let targetEnd = op;
      while (targetEnd < end && t[targetEnd] !== '<' && t[targetEnd] !== '>') targetEnd++;
      redirects.push({ at: src.offsets[i], text: t.slice(i, end), end: src.offsets[end - 1] + 1, target: t.slice(op, targetEnd) });
      if (word !== '') {
        chars.push(' ');
        offs.push(src.offsets[i]);
      }
      while (i < op) push(i++);
      word = '';
    } else {
      word += c;
      push(i++);
    }
  }
  return { text: { text: chars.join(''), offsets: offs }, redirects, comments };
}

/**
 * Marks a pin that a redirection made unpinned: `torch>=2.0` (the word ends where the redirection
 * starts) or `torch >=2.0` (only blanks between). @param end the document offset where the pin ends
 */
function attachRedirect(ref: Reference, redirects: readonly Redirect[], doc: string, end: number, pos: DocPosition): void {
  if (ref.kind !== 'framework-package-pin' || ref.pin.specifier !== '' || redirects.length === 0) return;
  // `> /dev/null`, `>log.txt` are meant as redirections; `>=2.0`, `<2` were meant as versions
  const hit = redirects.find((r) => r.at >= end && /^[ \t]*$/.test(doc.slice(end, r.at)) && /^=?v?\d/.test(r.target));
  if (!hit) return;
  ref.pin.shellRedirect = { text: hit.text, target: hit.target, range: { start: pos(hit.at), end: pos(hit.end) } };
}

/**
 * The file kind of one notebook cell as an editor sends it (a `vscode-notebook-cell:` text
 * document): scanned by {@link scanCell} as a cell of `kind`, with `#` suppression comments (code
 * cells are Python). Markdown cells are read only with `scanMarkdown`.
 */
export function notebookCellKind(kind: NotebookCellKind, options: { scanMarkdown?: boolean } = {}): FileKind {
  return {
    id: `notebook-${kind}-cell`,
    languageIds: [],
    patterns: [],
    lineComment: '#',
    scan: (text, catalog, _path, scanOptions) => scanCell(text, kind, catalog, { mappings: scanOptions?.mappings, scanMarkdown: options.scanMarkdown }),
    includesAreLocal: false,
    // code cells are Python (or, with %%writefile, another kind that may parse); Markdown is read as text
    parses: kind === 'code',
  };
}
