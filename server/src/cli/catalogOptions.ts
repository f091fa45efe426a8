/**
 * The catalog a CLI command uses: the bundled catalog with the refresh cache merged over it
 * (`~/.cache/dl-lifecycle/catalog-cache.json` unless `--cache-dir` says otherwise), or the
 * bundled catalog alone with `--no-cache`. Reading the cache is local; only
 * `dl-lifecycle catalog update` goes to the network.
 */
import * as path from 'node:path';
import type { Catalog } from '../catalog/catalog';
import { readBundledParts } from '../catalog/load';
import type { CatalogParts } from '../catalog/refresh/merge';
import { applyCache, CACHE_FILE_NAME, defaultCacheDir, loadCatalogWithCache } from '../catalog/refresh/refresh';
import type { CliIO } from './io';

/** `parseArgs` option specs shared by every command that reads the catalog. */
export const CATALOG_OPTIONS = {
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const;

export const CATALOG_OPTIONS_USAGE = `  --cache-dir DIR         folder of the refreshed catalog cache (default: ~/.cache/dl-lifecycle)
  --no-cache              use the bundled catalog only, not refreshed data
`;

/** The cache file the options name. */
export function cacheFileOf(values: { 'cache-dir'?: string }, io: CliIO): string {
  const dir = values['cache-dir'] ? path.resolve(io.cwd, values['cache-dir']) : defaultCacheDir(io.env);
  return path.join(dir, CACHE_FILE_NAME);
}

/**
 * Loads the catalog for a command; a cache that cannot be used is reported on stderr (one line)
 * and the bundled catalog is used. @throws CatalogError when the bundled catalog is invalid
 */
export function loadCliCatalog(values: { 'cache-dir'?: string; 'no-cache'?: boolean }, io: CliIO): Catalog {
  return loadCliCatalogParts(values, io).catalog;
}

/**
 * {@link loadCliCatalog}, with the parts the catalog was built from (the bundled parts, with the
 * cache applied when it was used) and their origins: what a scan worker needs to build the same
 * catalog. @throws CatalogError when the bundled catalog is invalid
 */
export function loadCliCatalogParts(values: { 'cache-dir'?: string; 'no-cache'?: boolean }, io: CliIO): { catalog: Catalog; parts: CatalogParts; origins: Record<string, string> } {
  const bundled = readBundledParts();
  const loaded = loadCatalogWithCache(bundled, values['no-cache'] ? undefined : cacheFileOf(values, io));
  for (const p of loaded.problems) io.stderr(`dl-lifecycle: note: ${p}\n`);
  return { catalog: loaded.catalog, parts: loaded.cache ? applyCache(bundled.parts, loaded.cache) : bundled.parts, origins: bundled.origins };
}
