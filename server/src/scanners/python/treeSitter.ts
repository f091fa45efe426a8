/**
 * The Python parser: the `python` grammar of the shared tree-sitter parsers (`../treeSitter.ts`),
 * under the names the Python and notebook scanners use.
 */
import type * as TreeSitter from 'web-tree-sitter';
import { initParsers, parseWith } from '../treeSitter';

export type { SyntaxNode as PythonNode, SyntaxTree as PythonTree } from '../treeSitter';

/**
 * The most indentation levels a Python text may open at once and still be parsed. Above about 550
 * levels (measured with tree-sitter-python 0.25 on web-tree-sitter 0.27), parsing corrupts the
 * WebAssembly runtime's memory and every later parse of the process fails, so such a text is not
 * parsed at all; real code stays far below this.
 */
export const MAX_PYTHON_INDENT_LEVELS = 200;

/**
 * An upper bound of the indentation levels a Python text opens at once: the depth of the stack of
 * increasing leading-whitespace widths of its lines that hold more than whitespace (a tab advances
 * to the next multiple of 8, as in Python's tokenizer; CR, LF and CRLF end lines). Lines inside
 * brackets count too, so the result is never below the depth Python's tokenizer reaches. Linear
 * in the text's length.
 */
export function pythonIndentLevels(text: string): number {
  const widths: number[] = [0];
  let deepest = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let width = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) width++;
      else if (c === 9) width = width - (width % 8) + 8;
      else if (c === 12) width = 0;
      else break;
    }
    const c = text.charCodeAt(i);
    if (i < n && c !== 10 && c !== 13) {
      while (width < widths[widths.length - 1]) widths.pop();
      if (width > widths[widths.length - 1]) {
        widths.push(width);
        if (widths.length - 1 > deepest) deepest = widths.length - 1;
      }
    }
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d === 10 || d === 13) break;
    }
    if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i++;
    i++;
  }
  return deepest;
}

/** Why a Python text is not parsed because of its indentation ({@link MAX_PYTHON_INDENT_LEVELS}), or undefined. */
export function pythonIndentationNote(text: string): string | undefined {
  return pythonIndentLevels(text) > MAX_PYTHON_INDENT_LEVELS ? `Python code not read: it is indented more than ${MAX_PYTHON_INDENT_LEVELS} levels deep` : undefined;
}

/** Loads the tree-sitter runtime and the Python grammar, once. @throws (rejects) as {@link initParsers} */
export function initPythonParser(): Promise<void> {
  return initParsers(['python']);
}

/**
 * Parses Python source; see {@link parseWith}. The caller frees the tree. Never throws.
 * @returns undefined also when the text is indented deeper than {@link MAX_PYTHON_INDENT_LEVELS} (not parsed)
 */
export function parsePython(text: string): TreeSitter.Tree | undefined {
  if (pythonIndentationNote(text)) return undefined;
  return parseWith('python', text);
}
