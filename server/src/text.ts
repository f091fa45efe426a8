/**
 * Offsets and positions over a text. Offsets are UTF-16 code-unit indexes into the JS string;
 * positions are LSP positions (0-based line, UTF-16 character), computed with
 * `vscode-languageserver-textdocument`, whose line breaks (`\n`, `\r\n`, `\r`) match LSP's.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from './model';

export class TextIndex {
  private readonly doc: TextDocument;
  constructor(readonly text: string) {
    this.doc = TextDocument.create('untitled:dl-lifecycle', 'plaintext', 0, text);
  }
  positionAt(offset: number): Position {
    return this.doc.positionAt(offset);
  }
  offsetAt(position: Position): number {
    return this.doc.offsetAt(position);
  }
  get lineCount(): number {
    return this.doc.lineCount;
  }
}

/** True when `p` comes strictly before `q`. */
export function positionBefore(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.character < q.character);
}

/** True when two half-open ranges share at least one character. */
export function rangesOverlap(a: Range, b: Range): boolean {
  return positionBefore(a.start, b.end) && positionBefore(b.start, a.end);
}

/** True when `pos` lies within `range` (ends inclusive, so a cursor right after a word still hits it). */
export function rangeContains(range: Range, pos: Position): boolean {
  const afterStart = pos.line > range.start.line || (pos.line === range.start.line && pos.character >= range.start.character);
  const beforeEnd = pos.line < range.end.line || (pos.line === range.end.line && pos.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** Applies non-overlapping edits (in any order) to a text, with `TextDocument.applyEdits`. @throws Error on overlapping edits. */
export function applyEdits(text: string, edits: ReadonlyArray<{ range: Range; newText: string }>): string {
  return TextDocument.applyEdits(TextDocument.create('untitled:dl-lifecycle', 'plaintext', 0, text), [...edits]);
}

/**
 * A copy of a string that holds no reference to a longer string. V8 keeps a substring (`slice`,
 * regex matches) of 13 or more characters as a view of the string it was cut from, and a
 * concatenation as a pair of its parts, so a message built from a reference's text keeps the whole
 * document alive; values kept in caches beyond one analysis are detached first. Same characters.
 */
export function detached(s: string): string {
  // slicing a concatenation first flattens it into a new string of its own; the slice views that one
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/**
 * True when `text` is the literal `segments`, in order, joined by any texts: the first at its
 * start, the last at its end (`["2.1.0-", "-py310"]` matches `2.1.0-gpu-py310`). One segment alone
 * must equal the text. Used for the `*` globs of Neuron package versions (the glob split at its
 * stars) and for image tags built from a template with placeholders. Each segment is looked for
 * once, left to right, so the cost is linear in the text per segment however many segments there
 * are (a regular expression of `.*` per gap backtracks exponentially on `=**…*x`).
 */
export function matchesSegments(segments: readonly string[], text: string): boolean {
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (segments.length === 1) return text === first;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let at = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const found = text.indexOf(segments[i], at);
    if (found < 0 || found + segments[i].length > end) return false;
    at = found + segments[i].length;
  }
  return true;
}
