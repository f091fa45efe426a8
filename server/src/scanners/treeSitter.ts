/**
 * The tree-sitter parsers: `web-tree-sitter` (the WebAssembly tree-sitter runtime) with the grammars
 * of `tree-sitter-python` (Python, notebooks, CDK in Python), `tree-sitter-typescript` (TypeScript,
 * and its TSX grammar for JavaScript, JSX and TSX) and `@tree-sitter-grammars/tree-sitter-hcl`
 * (its Terraform dialect, for `*.tf`, `*.tfvars` and Packer `*.pkr.hcl`).
 *
 * Loading is asynchronous and lazy: nothing is read until {@link initParsers} is first called (the
 * language server calls it while initialising, the CLI before a command that analyses files);
 * after that {@link parseWith} is synchronous, so scanners stay synchronous. The runtime is loaded
 * once and each grammar once (about 7 ms per grammar; see docs/performance.md).
 *
 * Where the `.wasm` files are found, first match wins:
 * - beside the running script (`path.join(__dirname, …)`): the bundles in `dist/` (and the bench
 *   bundle in `out/bench/`), to which the build copies them (`scripts/wasm.mjs`);
 * - the installed packages (`require.resolve('tree-sitter-python/tree-sitter-python.wasm')`, …):
 *   running from sources (tests).
 *
 * The runtime module is required inside {@link initParsers}, so importing this file costs nothing
 * for runs that never parse code. Bundles must alias `web-tree-sitter` to its CommonJS build (the
 * ESM build relies on `import.meta.url`).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree as SyntaxTree } from 'web-tree-sitter';

/** The grammars dl-lifecycle parses with. */
export type Grammar = 'python' | 'typescript' | 'tsx' | 'terraform';

/** Every grammar, in the order {@link initParsers} loads them by default. */
export const GRAMMARS: readonly Grammar[] = ['python', 'typescript', 'tsx', 'terraform'];

/** Each grammar's `.wasm` file and the package specifier it resolves from. */
const GRAMMAR_WASM: Record<Grammar, { file: string; specifier: string }> = {
  python: { file: 'tree-sitter-python.wasm', specifier: 'tree-sitter-python/tree-sitter-python.wasm' },
  typescript: { file: 'tree-sitter-typescript.wasm', specifier: 'tree-sitter-typescript/tree-sitter-typescript.wasm' },
  tsx: { file: 'tree-sitter-tsx.wasm', specifier: 'tree-sitter-typescript/tree-sitter-tsx.wasm' },
  terraform: { file: 'tree-sitter-terraform.wasm', specifier: '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm' },
};

const RUNTIME_WASM = 'web-tree-sitter.wasm';

let runtimeLoading: Promise<typeof TreeSitter> | undefined;
/** The runtime's `Edit` class, once the runtime is loaded. */
let EditOf: typeof TreeSitter.Edit | undefined;
const parsers = new Map<Grammar, TreeSitter.Parser>();
const loading = new Map<Grammar, Promise<void>>();
const failures = new Map<Grammar, string>();

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

function loadRuntime(): Promise<typeof TreeSitter> {
  runtimeLoading ??= (async () => {
    // required here, not imported at the top: only runs that parse code pay for the runtime
    const runtime = require('web-tree-sitter') as typeof TreeSitter;
    const runtimeWasm = wasmPath(RUNTIME_WASM, `web-tree-sitter/${RUNTIME_WASM}`);
    await runtime.Parser.init({ locateFile: (name: string) => (name.endsWith('.wasm') ? runtimeWasm : name) });
    EditOf = runtime.Edit;
    return runtime;
  })();
  return runtimeLoading;
}

async function loadGrammar(grammar: Grammar): Promise<void> {
  const runtime = await loadRuntime();
  const { file, specifier } = GRAMMAR_WASM[grammar];
  const language = await runtime.Language.load(wasmPath(file, specifier));
  const p = new runtime.Parser();
  p.setLanguage(language);
  parsers.set(grammar, p);
}

/**
 * Loads the tree-sitter runtime and the given grammars (default: all), each once; later calls with
 * the same grammars return the same promise. Every grammar is tried even when another fails.
 * @throws (rejects with) an Error whose message names each grammar that could not be loaded and
 *   why; the failure is kept ({@link parserFailure}) and {@link parseWith} then returns undefined
 *   for that grammar
 */
export function initParsers(grammars: readonly Grammar[] = GRAMMARS): Promise<void> {
  const key = grammars.join(',');
  let p = initialising.get(key);
  if (!p) initialising.set(key, (p = loadAll(grammars)));
  return p;
}
const initialising = new Map<string, Promise<void>>();

async function loadAll(grammars: readonly Grammar[]): Promise<void> {
  const results = await Promise.allSettled(
    grammars.map((g) => {
      let p = loading.get(g);
      if (!p) {
        p = loadGrammar(g).catch((e: unknown) => {
          failures.set(g, e instanceof Error ? e.message : String(e));
          throw e;
        });
        loading.set(g, p);
      }
      return p;
    }),
  );
  const failed = grammars.filter((_, i) => results[i].status === 'rejected');
  if (failed.length) throw new Error(failed.map((g) => `the ${labelOf(g)} parser could not be loaded: ${failures.get(g)}`).join('; '));
}

/** The user-facing name of a grammar's language (`Terraform/HCL`), for messages and notes. */
export function labelOf(g: Grammar): string {
  return g === 'tsx' ? 'JavaScript/TSX' : g === 'typescript' ? 'TypeScript' : g === 'terraform' ? 'Terraform/HCL' : 'Python';
}

/** True once the grammar has been loaded by {@link initParsers}. */
export function isParserReady(grammar: Grammar): boolean {
  return parsers.has(grammar);
}

/** Why loading a grammar failed, if it did. */
export function parserFailure(grammar: Grammar): string | undefined {
  return failures.get(grammar);
}


/**
 * Parses source text with one grammar (any text: syntax errors become `ERROR` nodes, never
 * exceptions). Node offsets of the tree (`startIndex`, `endIndex`) are UTF-16 code-unit indexes
 * into `text` and positions are 0-based rows and UTF-16 columns, as in LSP.
 * The caller owns the tree and must free it with `tree.delete()`.
 *
 * When `text` is an edit of the text this grammar parsed last (the next version of an open
 * document), the tree is parsed incrementally, as tree-sitter is designed to be used: the last
 * tree is told the edit (the span between the texts' common prefix and common suffix) and the
 * parser reuses its unchanged subtrees; see {@link reparse}. The result is the tree a full parse
 * gives (test/unit/scanners/incrementalParse.test.ts compares them node by node).
 * @returns undefined before {@link initParsers} has loaded the grammar, after it failed, or when
 *   the parse fails; never throws
 */
export function parseWith(grammar: Grammar, text: string): TreeSitter.Tree | undefined {
  const parser = parsers.get(grammar);
  if (!parser || typeof text !== 'string') return undefined;
  const last = lastParse.get(grammar);
  lastParse.delete(grammar);
  try {
    const tree = (last && incrementalParse.enabled && reparse(parser, last, text)) || parser.parse(text) || undefined;
    if (tree) lastParse.set(grammar, { text, tree: tree.copy() });
    return tree;
  } catch {
    parser.reset();
    return undefined;
  } finally {
    last?.tree.delete();
  }
}

/**
 * The last text each grammar parsed and a copy of its tree (a copy shares the tree's nodes: it
 * costs a reference count, not memory), for {@link reparse}. One per grammar: two documents edited
 * in turn are parsed in full.
 */
const lastParse = new Map<Grammar, { text: string; tree: TreeSitter.Tree }>();

/**
 * Incremental parsing is on by default; the test that compares it with full parses turns it off.
 * `reused` counts the parses that were incremental (read by that test and by benchmarks).
 */
export const incrementalParse = { enabled: true, reused: 0 };

/**
 * The tree of `text` parsed incrementally from the last parse (`last`, whose tree this edits), or
 * undefined when a full parse is due:
 * - the text did not change (a re-analysis after a settings change, a benchmark of one text: they
 *   measure a full parse), or the edit spans more than a quarter of the text (another file: the
 *   CLI, notebook cells, a workspace scan);
 * - the incremental tree has a syntax error: tree-sitter recovers from errors by costs that can
 *   weigh the reused subtrees differently from a fresh parse, so a broken text is parsed in full,
 *   and every result equals a full parse's.
 */
function reparse(parser: TreeSitter.Parser, last: { text: string; tree: TreeSitter.Tree }, text: string): TreeSitter.Tree | undefined {
  const old = last.text;
  if (old === text) return undefined;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  // never split a surrogate pair: the edit starts and ends on whole characters
  if (p > 0 && isHighSurrogate(text.charCodeAt(p - 1))) p--;
  if (s > 0 && isLowSurrogate(text.charCodeAt(text.length - s))) s--;
  const oldEnd = old.length - s;
  const newEnd = text.length - s;
  if (!EditOf || oldEnd - p + (newEnd - p) > text.length / 4) return undefined;
  last.tree.edit(new EditOf({ startIndex: p, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition: pointAt(text, p), oldEndPosition: pointAt(old, oldEnd), newEndPosition: pointAt(text, newEnd) }));
  const tree = parser.parse(text, last.tree);
  if (!tree) return undefined;
  if (!tree.rootNode.hasError) {
    incrementalParse.reused++;
    return tree;
  }
  tree.delete();
  return undefined;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The tree-sitter point of an offset: rows end at `\n` only, columns count UTF-16 code units. */
function pointAt(text: string, offset: number): TreeSitter.Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Whether the scanners take their shortcuts: walks of error-free trees that ask the runtime for the
 * nodes of the types they read (`descendantsOfType`, one walk inside WebAssembly) instead of moving
 * a cursor over every node (the Python and the TypeScript/CDK scanners). On by default; turned off
 * only by the test that proves the shortcuts change no result (test/unit/scanners/shortcuts.test.ts:
 * every fixture and generated document, and mutated texts, analysed both ways) and by benchmarks.
 */
export const scanShortcuts = { enabled: true };
