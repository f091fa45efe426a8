/**
 * Loads and validates the bundled lifecycle catalog. The catalog ships as TOML beside the
 * bundles (`dist/catalog.toml`) and lives in the sources at `server/data/catalog.toml`.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as toml from 'toml';
import { Catalog } from './catalog';
import { catalogFileSchema } from './schema';

/** A catalog that cannot be read or does not match the schema; `message` names the place. */
export class CatalogError extends Error {
  constructor(message: string, readonly location?: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

/**
 * Parses and validates catalog TOML text.
 * @param origin name of the file for messages
 * @throws CatalogError with the line/column of a TOML syntax error, or the key path of a schema error,
 *   or a dangling source id / unknown framework reference
 */
export function parseCatalog(text: string, origin = 'catalog.toml'): Catalog {
  let raw: unknown;
  try {
    raw = toml.parse(text);
  } catch (e) {
    const err = e as { line?: number; column?: number; location?: { start?: { line: number; column: number } }; message?: string };
    const line = err.location?.start?.line ?? err.line;
    const column = err.location?.start?.column ?? err.column ?? 1;
    const where = line !== undefined ? `${origin}:${line}:${column}` : origin;
    throw new CatalogError(`${where}: invalid TOML: ${err.message ?? String(e)}`, where);
  }
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new CatalogError(`${origin}: ${key || '(root)'}: ${issue.message}`, key);
  }
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
  if (problems.length > 0) throw new CatalogError(`${origin}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems[0]);
  return new Catalog(file);
}

/**
 * Where the bundled catalog lives: beside the bundle (`dist/catalog.toml`) when running bundled,
 * or in `server/data/` when running from sources (tests).
 */
export function bundledCatalogPath(): string {
  const candidates = [path.join(__dirname, 'catalog.toml'), path.join(__dirname, '..', '..', 'data', 'catalog.toml')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new CatalogError(`bundled catalog not found (looked in ${candidates.join(', ')})`);
  return found;
}

let bundled: Catalog | undefined;

/** The bundled catalog, parsed once per process. @throws CatalogError when it is missing or invalid. */
export function loadBundledCatalog(): Catalog {
  if (!bundled) {
    const file = bundledCatalogPath();
    bundled = parseCatalog(readFileSync(file, 'utf8'), path.basename(file));
  }
  return bundled;
}
