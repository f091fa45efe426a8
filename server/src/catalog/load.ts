/**
 * Loads and validates the lifecycle catalog. In the sources it is a set of TOML files in
 * `server/data/` (one per part: `catalog.toml` frameworks, and the other parts of
 * {@link CATALOG_PARTS}); the build turns them into one `dist/catalog.json` beside the bundles, so
 * that loading is a JSON parse plus building the indexes: the build validates every part (schemas
 * and cross-checks, {@link bundledCatalogJson}) and marks the file as validated, so a load skips the
 * checks for the parts that are still as the build wrote them. Refreshed data from the user's cache
 * and an organisation catalog are merged over the bundled parts into new part objects, which are
 * always checked (see `refresh/`), as are the TOML files read from sources (tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as toml from 'toml';
import { Catalog } from './catalog';
import { CatalogError, problemsError, schemaError } from './errors';
import { DlcImageIndex, parseImagesFile, validateImagesFile } from './images';
import type { ImagesFile } from './imagesSchema';
import { LifecycleFacts, parseLifecycleFile, validateLifecycleFile } from './lifecycle';
import type { LifecycleFile } from './lifecycleSchema';
import { NeuronReleases, parseNeuronFile, validateNeuronFile } from './neuron';
import type { NeuronFile } from './neuronSchema';
import type { CatalogParts } from './refresh/merge';
import type { CatalogFile } from './schema';
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
 * Key of the bundled `catalog.json` that lists the parts the build validated (written by
 * {@link bundledCatalogJson}); it is not a part.
 */
export const VALIDATED_KEY = '$validated';

/**
 * The part objects of the bundled `catalog.json` that the build validated, marked by identity:
 * merging refreshed or organisation data over a part makes a new object, which is not marked and
 * is checked at load like any other.
 */
const validatedAtBuild = new WeakSet<object>();

/** Whether a part object is one the build validated (read from a marked bundled `catalog.json`, unchanged). */
export function isValidatedAtBuild(part: object | undefined): boolean {
  return part !== undefined && validatedAtBuild.has(part);
}

/**
 * The names of the parts that {@link isValidatedAtBuild}: what a thread that hands a copy of the
 * parts to a worker (structured clone loses the mark) passes along, for the worker's
 * {@link buildCatalog} `validatedAtBuild` option.
 */
export function partsValidatedAtBuild(parts: CatalogParts): string[] {
  return Object.keys(parts).filter((name) => isValidatedAtBuild(parts[name]));
}

/**
 * Validates catalog parts (as parsed, or merged with refreshed data) and builds the catalog. The
 * frameworks part is validated now; the other parts on first use (see {@link Catalog.validateAllParts}).
 * A part the build validated ({@link isValidatedAtBuild}) is not checked again, only indexed.
 * @param origins names of the parts' files for messages (default `<part>.toml`)
 * @param options.validatedAtBuild names of parts to index without checks although they are not
 *   marked: only for a copy of parts (a worker thread's, cloned) whose originals
 *   {@link partsValidatedAtBuild} named
 * @throws CatalogError naming the file and key path of the first problem
 */
export function buildCatalog(parts: CatalogParts, origins: Partial<Record<string, string>> = {}, options: { validatedAtBuild?: readonly string[] } = {}): Catalog {
  const origin = origins.catalog ?? 'catalog.toml';
  if (!parts.catalog) throw new CatalogError(`${origin}: missing`);
  const trusted = (name: string) => isValidatedAtBuild(parts[name]) || options.validatedAtBuild?.includes(name) === true;
  const file = trusted('catalog') ? (parts.catalog as unknown as CatalogFile) : validateFrameworks(parts.catalog, origin);
  const at = (part: string) => origins[part] ?? `${part}.toml`;
  const { images, lifecycle, neuron } = parts;
  return new Catalog(file, {
    images: images ? () => (trusted('images') ? new DlcImageIndex(images as unknown as ImagesFile) : parseImagesFile(images, at('images'))) : undefined,
    lifecycle: lifecycle ? () => (trusted('lifecycle') ? new LifecycleFacts(lifecycle as unknown as LifecycleFile) : parseLifecycleFile(lifecycle, at('lifecycle'))) : undefined,
    neuron: neuron ? () => (trusted('neuron') ? new NeuronReleases(neuron as unknown as NeuronFile) : parseNeuronFile(neuron, at('neuron'))) : undefined,
  });
}

/**
 * Validates every part now (schemas and cross-checks, as {@link buildCatalog} and
 * {@link Catalog.validateAllParts} do) and returns them as the schemas give them: defaults filled
 * in, which is the form {@link buildCatalog} indexes without checking when the build marked it.
 * Parts other than {@link CATALOG_PARTS} are left out.
 * @param origins names of the parts' files for messages (default `<part>.toml`)
 * @throws CatalogError naming the file and key path of the first problem
 */
export function validateCatalogParts(parts: CatalogParts, origins: Partial<Record<string, string>> = {}): CatalogParts {
  const at = (part: string) => origins[part] ?? `${part}.toml`;
  if (!parts.catalog) throw new CatalogError(`${at('catalog')}: missing`);
  const out: CatalogParts = { catalog: validateFrameworks(parts.catalog, at('catalog')) };
  if (parts.images) out.images = validateImagesFile(parts.images, at('images')).file;
  if (parts.lifecycle) out.lifecycle = validateLifecycleFile(parts.lifecycle, at('lifecycle'));
  if (parts.neuron) out.neuron = validateNeuronFile(parts.neuron, at('neuron'));
  return out;
}

/**
 * The text of the bundled `catalog.json` (the build's `scripts/catalog-json.mjs` writes it): every
 * part validated by {@link validateCatalogParts} and written as the schemas give it, plus
 * {@link VALIDATED_KEY} naming them, so that {@link readBundledParts} can mark them and a load
 * skips their checks.
 * @throws CatalogError when a part is invalid (the build then fails)
 */
export function bundledCatalogJson(parts: CatalogParts, origins: Partial<Record<string, string>> = {}): string {
  const validated = validateCatalogParts(parts, origins);
  return JSON.stringify({ [VALIDATED_KEY]: Object.keys(validated), ...validated });
}

function validateFrameworks(raw: unknown, origin: string): CatalogFile {
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
 * the TOML files of `server/data/` when running from sources (tests). The parts that
 * `catalog.json` lists under {@link VALIDATED_KEY} are marked as validated by the build.
 * @throws CatalogError when neither is found or a file cannot be parsed
 */
export function readBundledParts(): BundledParts {
  const json = path.join(__dirname, 'catalog.json');
  if (existsSync(json)) {
    const parts = parseBundledCatalogJson(readFileSync(json, 'utf8'));
    const origins = Object.fromEntries(Object.keys(parts).map((p) => [p, `catalog.json#${p}`]));
    return { parts, origins, location: json };
  }
  const dataDir = path.join(__dirname, '..', '..', 'data');
  if (!existsSync(path.join(dataDir, 'catalog.toml'))) throw new CatalogError(`bundled catalog not found (looked for ${json} and ${dataDir})`);
  return readCatalogFolder(dataDir);
}

/**
 * Parses the text of the bundled `catalog.json` (as {@link bundledCatalogJson} writes it): its
 * parts, without {@link VALIDATED_KEY}, and with the parts that key names ({@link CATALOG_PARTS}
 * only) marked as validated by the build (see {@link isValidatedAtBuild}). A file without the key
 * gives unmarked parts, which a load checks.
 * @throws CatalogError when the text is not a JSON object
 */
export function parseBundledCatalogJson(text: string): CatalogParts {
  let parts: CatalogParts;
  try {
    parts = JSON.parse(text) as CatalogParts;
  } catch (e) {
    throw new CatalogError(`catalog.json: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parts !== 'object' || parts === null || Array.isArray(parts)) throw new CatalogError('catalog.json: not a JSON object');
  const names: unknown = parts[VALIDATED_KEY];
  delete parts[VALIDATED_KEY];
  if (Array.isArray(names)) {
    for (const name of names) {
      const part = typeof name === 'string' && (CATALOG_PARTS as readonly string[]).includes(name) ? parts[name] : undefined;
      if (typeof part === 'object' && part !== null && !Array.isArray(part)) validatedAtBuild.add(part);
    }
  }
  return parts;
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
