/**
 * The Python parser: `web-tree-sitter` (WebAssembly tree-sitter runtime) with the
 * `tree-sitter-python` grammar. Loading is asynchronous and lazy: nothing is read until
 * {@link initPythonParser} is first called (the language server calls it while initialising, the
 * CLI before a command that analyses files); after that {@link parsePython} is synchronous, so
 * scanners stay synchronous.
 *
 * Where the two `.wasm` files are found, first match wins:
 * - beside the running script (`path.join(__dirname, …)`): the bundles in `dist/` (and the bench
 *   bundle in `out/bench/`), to which the build copies both files;
 * - the installed packages (`require.resolve('web-tree-sitter/web-tree-sitter.wasm')`,
 *   `require.resolve('tree-sitter-python/tree-sitter-python.wasm')`): running from sources (tests).
 *
 * The runtime module itself is required inside {@link initPythonParser}, so importing this file
 * costs nothing for runs that never analyse Python. Bundles must alias `web-tree-sitter` to its
 * CommonJS build (the ESM build relies on `import.meta.url`).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';

export type { Node as PythonNode, Tree as PythonTree } from 'web-tree-sitter';

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

let parser: TreeSitter.Parser | undefined;
let loading: Promise<void> | undefined;
let failure: string | undefined;

/**
 * The path of a `.wasm` file: beside the running script when the build copied it there, else from
 * the installed package. @throws Error naming the file when neither exists
 */
function wasmPath(file: string, packageSpecifier: string): string {
  const beside = path.join(__dirname, file);
  if (existsSync(beside)) return beside;
  try {
    return require.resolve(packageSpecifier);
  } catch {
    throw new Error(`${file} was found neither beside the program nor in the installed packages`);
  }
}

async function load(): Promise<void> {
  // required here, not imported at the top: only runs that analyse Python pay for the runtime
  const runtime = require('web-tree-sitter') as typeof TreeSitter;
  const runtimeWasm = wasmPath(RUNTIME_WASM, `web-tree-sitter/${RUNTIME_WASM}`);
  await runtime.Parser.init({ locateFile: (name: string) => (name.endsWith('.wasm') ? runtimeWasm : name) });
  const language = await runtime.Language.load(wasmPath(PYTHON_WASM, `tree-sitter-python/${PYTHON_WASM}`));
  const p = new runtime.Parser();
  p.setLanguage(language);
  parser = p;
}

/**
 * Loads the tree-sitter runtime and the Python grammar, once; later calls return the same promise.
 * @throws (rejects with) an Error whose message says what could not be loaded; the failure is kept
 *   ({@link pythonParserFailure}) and {@link parsePython} then returns undefined
 */
export function initPythonParser(): Promise<void> {
  loading ??= load().catch((e: unknown) => {
    failure = e instanceof Error ? e.message : String(e);
    throw new Error(`the Python parser could not be loaded: ${failure}`);
  });
  return loading;
}

/** True once {@link initPythonParser} has finished successfully. */
export function isPythonParserReady(): boolean {
  return parser !== undefined;
}

/** Why loading the Python parser failed, if it did. */
export function pythonParserFailure(): string | undefined {
  return failure;
}

/**
 * Parses Python source text (any text: syntax errors become `ERROR` nodes, never exceptions).
 * Node offsets of the tree (`startIndex`, `endIndex`) are UTF-16 code-unit indexes into `text`
 * and positions are 0-based rows and UTF-16 columns, as in LSP.
 * The caller owns the tree and must free it with `tree.delete()`.
 * @returns undefined before {@link initPythonParser} has finished, after it failed, or when the
 *   parse fails; never throws
 */
export function parsePython(text: string): TreeSitter.Tree | undefined {
  if (!parser || typeof text !== 'string') return undefined;
  try {
    return parser.parse(text) ?? undefined;
  } catch {
    parser.reset();
    return undefined;
  }
}
