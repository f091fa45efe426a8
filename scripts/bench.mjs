// `npm run bench`: bundles bench/run.ts like the shipped code (esbuild, no keep-names) and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await esbuild.build({
  entryPoints: [join(root, 'bench/run.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
  outfile: join(root, 'out/bench/run.js'), mainFields: ['module', 'main'], logLevel: 'warning',
});
copyFileSync(join(root, 'server/data/catalog.toml'), join(root, 'out/bench/catalog.toml'));
const r = spawnSync(process.execPath, [join(root, 'out/bench/run.js')], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
