// `npm run bench`: bundles bench/run.ts like the shipped code (esbuild, no keep-names) and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCatalogJson } from './catalog-json.mjs';
import { copyWasm, TREE_SITTER_ALIAS } from './wasm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = (entry, outfile) => esbuild.build({
  entryPoints: [join(root, entry)], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
  outfile: join(root, outfile), mainFields: ['module', 'main'], logLevel: 'warning', absWorkingDir: root, alias: TREE_SITTER_ALIAS,
});
await bundle('bench/run.ts', 'out/bench/run.js');
await bundle('bench/catalogLoad.ts', 'out/bench/catalog-load.js');
await bundle('bench/parsersLoad.ts', 'out/bench/parsers-load.js');
writeCatalogJson(root, join(root, 'out/bench/catalog.json'));
copyWasm(root, join(root, 'out/bench'));
const r = spawnSync(process.execPath, [join(root, 'out/bench/run.js')], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
