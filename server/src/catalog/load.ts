/**
 * Loads and validates the lifecycle catalog. In the sources it is a set of TOML files in
 * `server/data/` (one per part: `catalog.toml` frameworks, and the other parts of
 * {@link CATALOG_PARTS}); the build turns them into one `dist/catalog.json` beside the bundles, so
 * that loading is a JSON parse plus the schema checks. Refreshed data from the user's cache is
 * merged over the bundled parts before the same checks (see `refresh/`).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as toml from 'toml';
import { Catalog } from './catalog';
import { CatalogError, problemsError, schemaError } from './errors';
import { parseImagesFile } from './images';
import { parseLifecycleFile } from './lifecycle';
import { parseNeuronFile } from './neuron';
import type { CatalogParts } from './refresh/merge';
import { catalogFileSchema } from './schema';

/** The parts of the catalog, each a TOML file `server/data/<part>.toml`; `catalog` is required. */
export const CATALOG_PARTS = ['catalog', 'images', 'lifecycle', 'neuron'] as const;

export { CatalogError } from './errors';

/**
 * Parses and validates catalog TOML text.
 * @param origin name of the file for messages
 * @throws CatalogError with the line/column of a TOML syntax error, or the key path of a schema error,
 *   or a dangling source id / unknown framework reference
 */
export function parseCatalog(text: string, origin = 'catalog.toml'): Catalog {
  return buildCatalog({ catalog: parseToml(text, origin) }, { catalog: origin });
}

/** Parses TOML text. @throws CatalogError naming `origin:line:column` */
export function parseToml(text: string, origin: string): Record<string, unknown> {
  try {
    return toml.parse(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as { line?: number; column?: number; location?: { start?: { line: number; column: number } }; message?: string };
    const line = err.location?.start?.line ?? err.line;
    const column = err.location?.start?.column ?? err.column ?? 1;
    const where = line !== undefined ? `${origin}:${line}:${column}` : origin;
    throw new CatalogError(`${where}: invalid TOML: ${err.message ?? String(e)}`, where);
  }
}

/**
 * Validates catalog parts (as parsed, or merged with refreshed data) and builds the catalog. The
 * frameworks part is validated now; the other parts on first use (see {@link Catalog.validateAllParts}).
 * @param origins names of the parts' files for messages (default `<part>.toml`)
 * @throws CatalogError naming the file and key path of the first problem
 */
export function buildCatalog(parts: CatalogParts, origins: Partial<Record<string, string>> = {}): Catalog {
  const origin = origins.catalog ?? 'catalog.toml';
  if (!parts.catalog) throw new CatalogError(`${origin}: missing`);
  const file = validateFrameworks(parts.catalog, origin);
  const at = (part: string) => origins[part] ?? `${part}.toml`;
  const { images, lifecycle, neuron } = parts;
  return new Catalog(file, {
    images: images ? () => parseImagesFile(images, at('images')) : undefined,
    lifecycle: lifecycle ? () => parseLifecycleFile(lifecycle, at('lifecycle')) : undefined,
    neuron: neuron ? () => parseNeuronFile(neuron, at('neuron')) : undefined,
  });
}

function validateFrameworks(raw: unknown, origin: string) {
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) throw schemaError(origin, parsed.error.issues[0]);
  const file = parsed.data;
  const frameworkIds = new Set(file.frameworks.map((f) => f.id));
  const problems: string[] = [];
  const checkSource = (id: string | undefined, where: string) => {
    if (id !== undefined && !(id in file.sources)) problems.push(`${where}: unknown source id ${JSON.stringify(id)}`);
  };
  file.frameworks.forEach((f, i) => checkSource(f.discontinued?.source, `frameworks[${i}].discontinued.source`));
  const seen = new Set<string>();
  file.versions.forEach((v, i) => {
    const where = `versions[${i}] (${v.framework} ${v.version})`;
    if (!frameworkIds.has(v.framework)) problems.push(`${where}: unknown framework ${JSON.stringify(v.framework)}`);
    if (seen.has(`${v.framework}@${v.version}`)) problems.push(`${where}: duplicate framework version`);
    seen.add(`${v.framework}@${v.version}`);
    checkSource(v.ga_source, `${where}.ga_source`);
    checkSource(v.end_of_patch_source, `${where}.end_of_patch_source`);
    if (v.end_of_patch !== undefined && v.end_of_patch_basis === undefined) problems.push(`${where}: end_of_patch without end_of_patch_basis`);
    v.patches.forEach((p, j) => {
      checkSource(p.source, `${where}.patches[${j}].source`);
      if (!p.version.startsWith(`${v.version}.`)) problems.push(`${where}.patches[${j}]: ${p.version} is not a patch of ${v.version}`);
    });
  });
  if (problems.length > 0) throw problemsError(origin, problems);
  return file;
}

/** Where the bundled catalog was read from, and its parts as parsed (not yet validated). */
export interface BundledParts {
  parts: CatalogParts;
  /** File name of each part for messages. */
  origins: Record<string, string>;
  /** `dist/catalog.json` when running bundled, else the `server/data` folder. */
  location: string;
}

/**
 * Reads the bundled catalog's parts: `catalog.json` beside the bundle (written by the build), or
 * the TOML files of `server/data/` when running from sources (tests).
 * @throws CatalogError when neither is found or a file cannot be parsed
 */
export function readBundledParts(): BundledParts {
  const json = path.join(__dirname, 'catalog.json');
  if (existsSync(json)) {
    let parts: CatalogParts;
    try {
      parts = JSON.parse(readFileSync(json, 'utf8')) as CatalogParts;
    } catch (e) {
      throw new CatalogError(`catalog.json: ${e instanceof Error ? e.message : String(e)}`);
    }
    const origins = Object.fromEntries(Object.keys(parts).map((p) => [p, `catalog.json#${p}`]));
    return { parts, origins, location: json };
  }
  const dataDir = path.join(__dirname, '..', '..', 'data');
  if (!existsSync(path.join(dataDir, 'catalog.toml'))) throw new CatalogError(`bundled catalog not found (looked for ${json} and ${dataDir})`);
  return readCatalogFolder(dataDir);
}

/** Reads the TOML part files of a folder laid out as `server/data/`. @throws CatalogError */
export function readCatalogFolder(dir: string): BundledParts {
  const parts: CatalogParts = {};
  const origins: Record<string, string> = {};
  for (const part of CATALOG_PARTS) {
    const file = path.join(dir, `${part}.toml`);
    if (!existsSync(file)) continue;
    parts[part] = parseToml(readFileSync(file, 'utf8'), `${part}.toml`);
    origins[part] = `${part}.toml`;
  }
  return { parts, origins, location: dir };
}

let bundled: Catalog | undefined;

/** The bundled catalog, parsed once per process. @throws CatalogError when it is missing or invalid. */
export function loadBundledCatalog(): Catalog {
  if (!bundled) {
    const { parts, origins } = readBundledParts();
    bundled = buildCatalog(parts, origins);
  }
  return bundled;
}
