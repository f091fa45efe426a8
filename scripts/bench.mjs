// `npm run bench [-- section...]`: bundles every bench/*.ts like the shipped code (esbuild, no
// keep-names) into out/bench/, then runs each section in a fresh process, in the order below, each
// printing its own table. Sections whose file does not exist are skipped with a line.
//   npm run bench                 every section
//   npm run bench -- lsp cli      only these sections
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCatalogJson } from './catalog-json.mjs';
import { copyWasm, TREE_SITTER_ALIAS } from './wasm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Sections: name, entry file, what it measures. */
export const SECTIONS = [
  ['analysis', 'bench/run.ts', 'analysis of one document per file kind at 50, 2,000 and 100,000 lines'],
  ['startup', 'bench/startup.ts', 'cold start, catalog and parser load, server RSS, package size'],
  ['lsp', 'bench/lspPeers.ts', 'edit to diagnostics over LSP stdio, against dockerfile-language-server-nodejs and yaml-language-server'],
  ['cli', 'bench/cliVsRg.ts', 'CLI workspace scan against ripgrep on a generated tree of 10,000 files'],
  ['soak', 'bench/soak.ts', 'RSS over 10,000 edits and 1,000 open/close cycles'],
  ['regex', 'bench/regex.ts', 'worst time of each scanner pattern on adversarial 100 KB input'],
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SECTIONS.some(([name]) => name === w));
if (unknown.length) {
  console.error(`unknown bench section(s): ${unknown.join(', ')}; sections: ${SECTIONS.map(([n]) => n).join(', ')}`);
  process.exit(2);
}

/** Kebab-case output name of a bench entry (`bench/lspPeers.ts` → `lsp-peers.js`). */
const outName = (file) => `${basename(file, '.ts').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.js`;
const entries = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.ts'));
await Promise.all(
  entries.map((f) =>
    esbuild.build({
      entryPoints: [join(root, 'bench', f)], bundle: true, platform: 'node', format: 'cjs', target: 'node18',
      outfile: join(root, 'out/bench', outName(f)), mainFields: ['module', 'main'], logLevel: 'warning', absWorkingDir: root, alias: TREE_SITTER_ALIAS,
    }),
  ),
);
writeCatalogJson(root, join(root, 'out/bench/catalog.json'));
copyWasm(root, join(root, 'out/bench'));

let failed = 0;
for (const [name, file, what] of SECTIONS) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n## ${name}: ${what}\n`);
  if (!existsSync(join(root, file))) {
    console.log(`(skipped: ${file} does not exist yet)`);
    continue;
  }
  const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'out/bench', outName(basename(file)))], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.log(`(section ${name} failed with exit code ${r.status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
