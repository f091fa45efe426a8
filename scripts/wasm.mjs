// The WebAssembly files the tree-sitter parsers load at run time (server/src/scanners/treeSitter.ts),
// and the esbuild alias that bundles web-tree-sitter's CommonJS build: its ESM build relies on
// `import.meta.url`, which is empty in a CommonJS bundle.
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

/** esbuild `alias` option: `web-tree-sitter` → its CommonJS build (resolved against the working directory). */
export const TREE_SITTER_ALIAS = { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' };

/** The runtime and grammar `.wasm` files, by package specifier. */
const WASM_FILES = [
  'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
  'tree-sitter-typescript/tree-sitter-typescript.wasm',
  'tree-sitter-typescript/tree-sitter-tsx.wasm',
  '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm',
];

/** Copies the `.wasm` files into `outDir`, beside the bundles that load them with `path.join(__dirname, …)`. */
export function copyWasm(root, outDir) {
  const resolve = createRequire(join(root, 'package.json')).resolve;
  for (const spec of WASM_FILES) {
    const from = resolve(spec);
    copyFileSync(from, join(outDir, basename(from)));
  }
}
