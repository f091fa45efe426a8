// Bundles the VS Code client, the language server and the CLI into one file each in dist/,
// and writes the bundled catalog's TOML parts (server/data/<part>.toml) beside them as one catalog.json
// (validated and marked as validated by the build, so that a load only indexes it; the tests validate the TOML files). Usage: node scripts/build.mjs [--production] [--quiet] [--watch]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCatalogJson } from './catalog-json.mjs';
import { copyWasm, TREE_SITTER_ALIAS } from './wasm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const quiet = process.argv.includes('--quiet');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: quiet ? 'warning' : 'info',
  mainFields: ['module', 'main'],
  absWorkingDir: root,
  alias: TREE_SITTER_ALIAS,
};

mkdirSync(join(root, 'dist'), { recursive: true });
copyWasm(root, join(root, 'dist'));
writeCatalogJson(root, join(root, 'dist/catalog.json'));
rmSync(join(root, 'dist/catalog.toml'), { force: true });

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);

// the bundled catalog must pass every schema and cross-check before anything ships it
const check = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'catalog', 'status', '--no-cache', '--format', 'json'], { encoding: 'utf8' });
if (check.status !== 0) {
  process.stderr.write(`build: the bundled catalog is invalid: ${check.stderr || check.stdout}`);
  process.exit(1);
}
