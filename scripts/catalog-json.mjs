// Turns the catalog's TOML parts (server/data/<part>.toml) into the one JSON file the bundles load.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import toml from 'toml';

export const CATALOG_PARTS = ['catalog', 'images', 'lifecycle', 'neuron'];

/** Writes `outFile` from the parts found in `root`/server/data; returns the part names written. */
export function writeCatalogJson(root, outFile) {
  const parts = {};
  for (const part of CATALOG_PARTS) {
    const file = join(root, 'server/data', `${part}.toml`);
    if (existsSync(file)) parts[part] = toml.parse(readFileSync(file, 'utf8'));
  }
  writeFileSync(outFile, JSON.stringify(parts));
  return Object.keys(parts);
}
