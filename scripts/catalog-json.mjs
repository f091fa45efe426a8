// Turns the catalog's TOML parts (server/data/<part>.toml) into the one JSON file the bundles load,
// after validating every part with the same schemas and cross-checks as the program
// (server/src/catalog/load.ts bundledCatalogJson, bundled here with esbuild): the file holds the parts
// as the schemas give them and is marked as validated, so that a load skips those checks.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import toml from 'toml';

export const CATALOG_PARTS = ['catalog', 'images', 'lifecycle', 'neuron'];

/** `bundledCatalogJson` of server/src/catalog/load.ts, bundled from the sources and loaded in this process. */
function loadValidator(root) {
  const built = esbuild.buildSync({
    stdin: { contents: "export { bundledCatalogJson } from './server/src/catalog/load';", resolveDir: root, loader: 'ts', sourcefile: 'catalog-validate.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    write: false,
    logLevel: 'warning',
    absWorkingDir: root,
  });
  const module = { exports: {} };
  const file = join(root, 'scripts', 'catalog-validate.js');
  new Function('module', 'exports', 'require', '__filename', '__dirname', built.outputFiles[0].text)(module, module.exports, createRequire(file), file, join(root, 'scripts'));
  return module.exports.bundledCatalogJson;
}

/**
 * Writes `outFile` from the parts found in `root`/server/data, validated; returns the part names written.
 * @throws Error naming the part, key and problem when a part does not pass the catalog's checks
 */
export function writeCatalogJson(root, outFile) {
  const parts = {};
  const origins = {};
  for (const part of CATALOG_PARTS) {
    const file = join(root, 'server/data', `${part}.toml`);
    if (!existsSync(file)) continue;
    parts[part] = toml.parse(readFileSync(file, 'utf8'));
    origins[part] = `server/data/${part}.toml`;
  }
  let text;
  try {
    text = loadValidator(root)(parts, origins);
  } catch (e) {
    throw new Error(`the bundled catalog is invalid: ${e instanceof Error ? e.message : String(e)}`);
  }
  writeFileSync(outFile, text);
  return Object.keys(parts);
}
