/**
 * One start of the tree-sitter parsers in a fresh process, as the server and the CLI do it:
 * `parsers-load.js python` loads the runtime and the Python grammar, `parsers-load.js all` every
 * grammar (Python, TypeScript, TSX, Terraform). Prints JSON `{ ms }`. Run by `bench/startup.ts`.
 */
import type { Grammar } from '../server/src/scanners/treeSitter';
import { GRAMMARS, initParsers } from '../server/src/scanners/treeSitter';

const which: readonly Grammar[] = process.argv[2] === 'python' ? ['python'] : GRAMMARS;
const t0 = performance.now();
void initParsers(which).then(() => console.log(JSON.stringify({ ms: performance.now() - t0 })));
