// `npm run bench`: bundles bench/run.ts like the shipped code (esbuild, no keep-names) and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCatalogJson } from './catalog-json.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await esbuild.build({
  entryPoints: [join(root, 'bench/run.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
  outfile: join(root, 'out/bench/run.js'), mainFields: ['module', 'main'], logLevel: 'warning',
});
writeCatalogJson(root, join(root, 'out/bench/catalog.json'));
const r = spawnSync(process.execPath, [join(root, 'out/bench/run.js')], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
