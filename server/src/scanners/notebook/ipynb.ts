/**
 * Jupyter notebooks as files (`*.ipynb`, nbformat 4, and the `worksheets` of nbformat 3), for the
 * CLI: the JSON is read with `jsonc-parser` with offsets; each cell's `source` (one string or an
 * array of strings, joined as nbformat says) is decoded with, for every decoded UTF-16 code unit,
 * the span of the JSON text it was written as (`\"`, `\\`, `\n`, `\t`, `\uXXXX` including
 * surrogate pairs, raw characters). Each cell is scanned by {@link scanCell} and every range is
 * mapped back to the `.ipynb` file: a range's start to where its first character is written, its
 * end to just after its last character, so the text under a mapped range decodes to the cell
 * text it covers (across array items too).
 *
 * Code cells are read as Python unless the notebook's kernel (`metadata.kernelspec.language`,
 * `metadata.language_info.name`) or the cell (`metadata.vscode.languageId`) names another language.
 * Markdown cells only with `scanMarkdown`; outputs never.
 *
 * Suppression comments work per cell as in Python files. A cell stored as ONE JSON string has all
 * its lines on one line of the file: a suppression comment in such a cell applies to the whole cell.
 */
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { parseTree } from 'jsonc-parser';
import type { Catalog } from '../../catalog/catalog';
import type { Comment, LineSpan, Position, Range, ScanResult } from '../../model';
import { TextIndex } from '../../text';
import type { CellScanOptions, NotebookCellKind } from './cells';
import { scanCell } from './cells';
import { LastScanMemo } from '../lastScanMemo';

/** A cell source decoded from the JSON text: for each UTF-16 code unit of `text`, the JSON offsets `[starts[i], ends[i])` it was written as. */
export interface DecodedSource {
  text: string;
  starts: number[];
  ends: number[];
  /** The JSON offset an empty source (or the end of one) maps to: inside the last string's quotes. */
  endOffset: number;
}

/** Where one cell lies in the `.ipynb` file. */
export interface NotebookCellLayout {
  /** 0-based index of the cell in the notebook's cells (nbformat 3: across worksheets). */
  index: number;
  kind: NotebookCellKind;
  /** For each line of the cell's source (0-based), the `.ipynb` position where it starts. */
  lineStarts: Position[];
  /** The `.ipynb` range from the source's first character to just after its last. */
  range: Range;
}

/** A notebook's scan: the references etc. of all its cells in `.ipynb` positions, and where each cell lies. */
export interface NotebookScan extends ScanResult {
  cells: NotebookCellLayout[];
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Decodes one JSON string node (a `source` string or array item) of `json`, appending to `out`.
 * @returns false when the literal is not a valid JSON string (then `out` is unchanged)
 */
function decodeString(json: string, node: JsonNode, out: DecodedSource): boolean {
  if (node.type !== 'string' || json[node.offset] !== '"' || node.length < 2) return false;
  const chars: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const end = node.offset + node.length - 1;
  let i = node.offset + 1;
  while (i < end) {
    const c = json[i];
    if (c === '\\') {
      const n = json[i + 1];
      if (n === 'u') {
        const hex = json.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) return false;
        chars.push(String.fromCharCode(parseInt(hex, 16)));
        starts.push(i);
        ends.push(i + 6);
        i += 6;
      } else if (n !== undefined && Object.hasOwn(ESCAPES, n)) {
        chars.push(ESCAPES[n]);
        starts.push(i);
        ends.push(i + 2);
        i += 2;
      } else return false;
    } else {
      chars.push(c);
      starts.push(i);
      ends.push(i + 1);
      i++;
    }
  }
  const text = chars.join('');
  if (text !== node.value) return false;
  out.text += text;
  out.starts.push(...starts);
  out.ends.push(...ends);
  out.endOffset = end;
  return true;
}

/**
 * Decodes a cell's `source` node: a JSON string, or an array of strings joined without separators.
 * @returns undefined when the node is neither, or holds an invalid string
 */
export function decodeCellSource(json: string, node: JsonNode): DecodedSource | undefined {
  const out: DecodedSource = { text: '', starts: [], ends: [], endOffset: node.offset + 1 };
  if (node.type === 'string') return decodeString(json, node, out) ? out : undefined;
  if (node.type !== 'array') return undefined;
  out.endOffset = node.offset + 1;
  for (const item of node.children ?? []) if (!decodeString(json, item, out)) return undefined;
  return out;
}

/** The value node of `key` in an object node. */
function property(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (const p of node.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k?.value === key) return v;
  }
  return undefined;
}

const stringAt = (node: JsonNode | undefined, ...keys: string[]): string | undefined => {
  let n = node;
  for (const k of keys) n = property(n, k);
  return n?.type === 'string' ? (n.value as string) : undefined;
};

/** The cells of a notebook (nbformat 4 `cells`, nbformat 3 `worksheets[].cells`). */
function cellNodes(root: JsonNode): JsonNode[] {
  const cells = property(root, 'cells');
  if (cells?.type === 'array') return cells.children ?? [];
  const worksheets = property(root, 'worksheets');
  return (worksheets?.children ?? []).flatMap((w) => property(w, 'cells')?.children ?? []);
}

const isPythonLanguage = (lang: string | undefined) => lang === undefined || /^(i?python[0-9.]*)$/i.test(lang.trim());

const emptyNotebook = (): NotebookScan => ({ references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [], cells: [] });

/**
 * Scans the text of a `.ipynb` file.
 * @returns the references, includes, comments, statements, index URLs and notes of every cell with
 *   ranges (LSP, UTF-16) in the `.ipynb` text, and the layout of each scanned cell
 *   ({@link notebookCellAt}); a file that is not notebook JSON yields one note. Never throws.
 */
export function scanNotebook(text: string, catalog: Catalog, options: CellScanOptions = {}): NotebookScan {
  const out = emptyNotebook();
  cellMemo.begin(text, [catalog, options.mappings, options.scanMarkdown === true]);
  try {
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (!root || root.type !== 'object') {
      const p = { line: 0, character: 0 };
      out.notes.push({ range: { start: p, end: p }, message: 'not a Jupyter notebook: the file is not a JSON object' });
      return out;
    }
    const file = new TextIndex(text);
    const kernelPython = isPythonLanguage(stringAt(root, 'metadata', 'kernelspec', 'language') ?? stringAt(root, 'metadata', 'language_info', 'name'));
    cellNodes(root).forEach((cell, index) => {
      const type = stringAt(cell, 'cell_type');
      const kind: NotebookCellKind = type === 'code' ? 'code' : type === 'markdown' || type === 'heading' ? 'markdown' : 'raw';
      if (kind === 'raw' || (kind === 'markdown' && !options.scanMarkdown)) return;
      if (kind === 'code' && !(kernelPython && isPythonLanguage(stringAt(cell, 'metadata', 'vscode', 'languageId')))) return;
      const sourceNode = property(cell, 'source') ?? property(cell, 'input');
      const source = sourceNode && decodeCellSource(text, sourceNode);
      if (!source || source.text === '') return;
      addCell(out, cellMemo.get(`${kind}\u0000${source.text}`, () => scanCell(source.text, kind, catalog, options)), source, file, index, kind);
    });
  } catch {
    return emptyNotebook();
  }
  return out;
}

/**
 * What the cells of the last notebook scan read, by cell kind and source text: the next version
 * of a notebook (an edit in one cell) scans only the cells whose source changed again, and takes
 * the others' results over. A cell is scanned from its own source alone ({@link scanCell} sees no
 * other cell, and its ranges are inside the cell), so the same kind and source give the same
 * result under the same catalog and options, which {@link addCell} only reads (it maps copies into
 * the file). What is kept and when it is reused is {@link LastScanMemo}'s.
 */
const cellMemo = new LastScanMemo<ScanResult>();

/** How many notebook cells have been scanned, not taken over from the last scan of the notebook (for tests). */
export function cellScans(): number {
  return cellMemo.computed;
}

const isPosition = (v: unknown): v is Position =>
  typeof v === 'object' && v !== null && typeof (v as Position).line === 'number' && typeof (v as Position).character === 'number' && Object.keys(v).length === 2;

/** Maps cell positions to `.ipynb` positions through a decoded source. */
class CellMap {
  private readonly cell: TextIndex;
  constructor(private readonly source: DecodedSource, private readonly file: TextIndex) {
    this.cell = new TextIndex(source.text);
  }
  /** The JSON offset where cell offset `o` starts (the end of the source for `o` at its end). */
  private startOffset(o: number): number {
    const n = this.source.starts.length;
    return o < n ? this.source.starts[Math.max(0, o)] : n > 0 ? this.source.ends[n - 1] : this.source.endOffset;
  }
  start(p: Position): Position {
    return this.file.positionAt(this.startOffset(this.cell.offsetAt(p)));
  }
  range(r: Range): Range {
    const s = this.cell.offsetAt(r.start);
    const e = this.cell.offsetAt(r.end);
    const start = this.file.positionAt(this.startOffset(s));
    const end = e > s ? this.file.positionAt(this.source.ends[e - 1]) : start;
    return { start, end };
  }
  /** The `.ipynb` line of the first and of the last character of cell line `line`. */
  lineSpan(startLine: number, endLine: number): LineSpan {
    const first = this.cell.offsetAt({ line: startLine, character: 0 });
    const lastStart = this.cell.offsetAt({ line: endLine, character: 0 });
    const lastEnd = this.cell.offsetAt({ line: endLine + 1, character: 0 });
    const last = lastEnd > lastStart ? lastEnd - 1 : lastStart;
    return { startLine: this.file.positionAt(this.startOffset(first)).line, endLine: this.file.positionAt(this.startOffset(last)).line };
  }
  get lineCount(): number {
    return this.cell.lineCount;
  }
  /** Deep copy of `value` with every range and position mapped. */
  map<T>(value: T): T {
    if (Array.isArray(value)) return value.map((v) => this.map(v)) as T;
    if (typeof value !== 'object' || value === null) return value;
    if (isPosition(value)) return this.start(value) as T;
    const v = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const range = isPosition(v.start) && isPosition(v.end) ? this.range({ start: v.start, end: v.end }) : undefined;
    for (const [k, x] of Object.entries(v)) out[k] = range && (k === 'start' || k === 'end') ? range[k] : this.map(x);
    return out as T;
  }
}

/** Adds one cell's scan to the notebook's, mapped to `.ipynb` positions. */
function addCell(out: NotebookScan, scan: ScanResult, source: DecodedSource, file: TextIndex, index: number, kind: NotebookCellKind): void {
  const map = new CellMap(source, file);
  const statements = scan.statements.map((s) => map.lineSpan(s.startLine, s.endLine));
  const comments = scan.comments.map((c): Comment => {
    const mapped = map.map(c);
    if (!c.standalone) return mapped;
    // a standalone comment on the same file line as its statement (a one-string source) applies to that line
    const k = scan.statements.findIndex((s) => s.startLine > c.range.end.line);
    return k >= 0 && statements[k].startLine === mapped.range.end.line ? { ...mapped, standalone: false } : mapped;
  });
  out.references.push(...scan.references.map((r) => map.map(r)));
  out.includes.push(...scan.includes.map((i) => map.map(i)));
  out.comments.push(...comments);
  out.statements.push(...statements);
  out.indexUrls.push(...scan.indexUrls);
  out.notes.push(...scan.notes.map((n) => map.map(n)));
  const lineStarts: Position[] = [];
  for (let l = 0; l < map.lineCount; l++) lineStarts.push(map.start({ line: l, character: 0 }));
  const last = source.text.length;
  out.cells.push({ index, kind, lineStarts, range: map.range({ start: { line: 0, character: 0 }, end: new TextIndex(source.text).positionAt(last) }) });
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/**
 * The cell and the line within it (both 0-based) of a `.ipynb` position, for the notebook's scan
 * (a {@link NotebookScan}); undefined for other scans and for positions outside every scanned cell.
 */
export function notebookCellAt(scan: ScanResult, pos: Position): { cell: number; line: number } | undefined {
  const cells = (scan as Partial<NotebookScan>).cells;
  if (!Array.isArray(cells)) return undefined;
  for (const c of cells) {
    if (!before(c.range.start, pos) || !before(pos, c.range.end)) continue;
    let line = 0;
    for (let l = 0; l < c.lineStarts.length; l++) if (before(c.lineStarts[l], pos)) line = l;
    return { cell: c.index, line };
  }
  return undefined;
}
