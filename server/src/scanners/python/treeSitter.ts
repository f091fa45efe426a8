/**
 * The Python parser: the `python` grammar of the shared tree-sitter parsers (`../treeSitter.ts`),
 * under the names the Python and notebook scanners use.
 */
import type * as TreeSitter from 'web-tree-sitter';
import { initParsers, parseWith } from '../treeSitter';

export type { SyntaxNode as PythonNode, SyntaxTree as PythonTree } from '../treeSitter';

/** Loads the tree-sitter runtime and the Python grammar, once. @throws (rejects) as {@link initParsers} */
export function initPythonParser(): Promise<void> {
  return initParsers(['python']);
}

/** Parses Python source; see {@link parseWith}. The caller frees the tree. Never throws. */
export function parsePython(text: string): TreeSitter.Tree | undefined {
  return parseWith('python', text);
}
