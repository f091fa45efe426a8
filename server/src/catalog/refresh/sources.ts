/**
 * The public sources a catalog refresh reads (`catalog.md` §Refresh), and how each answer is
 * turned into an overlay of catalog parts (see `merge.ts`):
 *
 * - the SageMaker Python SDK's image URI configuration (`image_uri_config/<framework>.json`):
 *   framework versions and patch releases AWS publishes images for;
 * - endoflife.date's JSON API (`/api/v1/products/<product>/`): Python and OS release cycles;
 * - an organisation's catalog JSON: catalog parts in the bundled catalog's own shape.
 *
 * Converters are pure: JSON value in, overlay out, {@link SourceShapeError} when the value does not
 * have the documented shape. Nothing here touches the network or the disk.
 */
import type { CalendarDay } from '../../dates';
import { isCalendarDay } from '../../dates';
import type { CatalogParts } from './merge';

/** A source's answer did not have the shape its converter reads; `message` says where. */
export class SourceShapeError extends Error {}

/** Where the refresh reads from; every URL is configurable (settings, CLI options). */
export interface RefreshSources {
  /** Folder URL of the SDK's `image_uri_config` JSON files, and the files to read; null turns it off. */
  sagemakerImageUriConfig: { baseUrl: string; files: string[] } | null;
  /** Base URL of endoflife.date's product API and the products to read; null turns it off. */
  endOfLife: { baseUrl: string; products: string[] } | null;
  /** URL of an organisation's catalog JSON, or null (the default) for none. */
  organizationCatalog: string | null;
}

/** The SDK files that carry the frameworks the catalog tracks. */
export const SAGEMAKER_FRAMEWORK_FILES: Record<string, string> = {
  'pytorch.json': 'pytorch',
  'tensorflow.json': 'tensorflow',
  'mxnet.json': 'mxnet',
};

export const DEFAULT_REFRESH_SOURCES: RefreshSources = {
  sagemakerImageUriConfig: {
    baseUrl: 'https://raw.githubusercontent.com/aws/sagemaker-python-sdk/master-v2/src/sagemaker/image_uri_config/',
    files: Object.keys(SAGEMAKER_FRAMEWORK_FILES),
  },
  endOfLife: { baseUrl: 'https://endoflife.date/api/v1/products/', products: ['python', 'ubuntu', 'amazon-linux'] },
  organizationCatalog: null,
};

/** The cache key and display name of each source. */
export const SOURCE_NAMES = {
  sagemaker: 'SageMaker Python SDK image URI config',
  endoflife: 'endoflife.date',
  organization: 'organisation catalog',
} as const;
export type SourceKey = keyof typeof SOURCE_NAMES;

/** Joins a folder URL and a file name (`…/config/` + `pytorch.json`). */
export function joinUrl(base: string, name: string): string {
  return base.endsWith('/') ? `${base}${name}` : `${base}/${name}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PATCH = /^(\d+)\.(\d+)\.(\d+)$/;

/**
 * Framework versions and patch releases named by one SDK `image_uri_config` file: every
 * `x.y.z` key under a scope's `versions` (training, inference, …) and every alias target.
 * @param framework the catalog framework id the file is about (`pytorch` for `pytorch.json`)
 * @param sourceId the source id the rows cite (defined in the overlay's `sources`)
 * @returns an overlay with a `catalog.versions` row per `major.minor` holding its patches (no dates:
 *   the SDK gives none; dates already in the catalog are kept by the merge)
 * @throws SourceShapeError when the value is not an object of scopes with `versions` objects
 */
export function overlayFromSageMakerConfig(framework: string, value: unknown, sourceId: string): CatalogParts {
  if (!isRecord(value)) throw new SourceShapeError('expected a JSON object of job scopes');
  const scopes = Object.values(value).filter(isRecord);
  const withVersions = scopes.filter((s) => isRecord(s.versions));
  if (withVersions.length === 0) throw new SourceShapeError('no scope has a "versions" object');
  const patches = new Map<string, Set<string>>();
  const add = (v: string) => {
    const m = PATCH.exec(v);
    if (!m) return;
    const minor = `${Number(m[1])}.${Number(m[2])}`;
    const set = patches.get(minor) ?? new Set<string>();
    set.add(`${minor}.${Number(m[3])}`);
    patches.set(minor, set);
  };
  for (const scope of withVersions) {
    for (const key of Object.keys(scope.versions as Record<string, unknown>)) add(key);
    if (isRecord(scope.version_aliases)) for (const target of Object.values(scope.version_aliases)) if (typeof target === 'string') add(target);
  }
  const versions = [...patches.entries()].map(([version, set]) => ({
    framework,
    version,
    patches: [...set].map((p) => ({ version: p, source: sourceId })),
  }));
  return { catalog: { versions } };
}

/** One release cycle as endoflife.date's API gives it, reduced to what the catalog keeps. */
export interface EndOfLifeCycle {
  cycle: string;
  released?: CalendarDay;
  endOfLife?: CalendarDay;
  /** End of active support (`eoas`, Python's end of bug fixes), when the product has one. */
  endOfActiveSupport?: CalendarDay;
  /** End of extended support (`eoes`), when the product has one. */
  endOfExtendedSupport?: CalendarDay;
  latest?: string;
}

const dayOrUndefined = (v: unknown): CalendarDay | undefined => (typeof v === 'string' && isCalendarDay(v) ? v : undefined);

/**
 * Reads an endoflife.date product answer: the v1 API shape (`{ result: { releases: [{ name,
 * releaseDate, eolFrom, eoesFrom, latest: { name } }] } }`) or the older array shape (`[{ cycle,
 * releaseDate, eol, latest }]`, where `eol` may be a day or a boolean).
 * @throws SourceShapeError when neither shape is found
 */
export function readEndOfLifeCycles(value: unknown): EndOfLifeCycle[] {
  let rows: unknown[];
  if (isRecord(value) && isRecord(value.result) && Array.isArray(value.result.releases)) rows = value.result.releases;
  else if (Array.isArray(value)) rows = value;
  else throw new SourceShapeError('expected { result: { releases: [...] } } (API v1) or an array of cycles');
  const cycles: EndOfLifeCycle[] = [];
  for (const row of rows) {
    if (!isRecord(row)) continue;
    const cycle = typeof row.name === 'string' ? row.name : typeof row.cycle === 'string' ? row.cycle : typeof row.cycle === 'number' ? String(row.cycle) : undefined;
    if (!cycle) continue;
    const latest = isRecord(row.latest) && typeof row.latest.name === 'string' ? row.latest.name : typeof row.latest === 'string' ? row.latest : undefined;
    cycles.push({
      cycle,
      released: dayOrUndefined(row.releaseDate),
      endOfLife: dayOrUndefined(row.eolFrom) ?? dayOrUndefined(row.eol),
      endOfActiveSupport: dayOrUndefined(row.eoasFrom) ?? dayOrUndefined(row.support),
      endOfExtendedSupport: dayOrUndefined(row.eoesFrom) ?? dayOrUndefined(row.extendedSupport),
      latest,
    });
  }
  if (cycles.length === 0) throw new SourceShapeError('no release cycles in the answer');
  return cycles;
}

/** The shape of an organisation's catalog JSON: a version, its date, and catalog parts. */
export interface OrganizationCatalog {
  schema_version: 1;
  generated: CalendarDay;
  parts: CatalogParts;
}

const PART_NAMES = new Set(['catalog', 'images', 'lifecycle', 'neuron']);

/**
 * Reads an organisation's catalog JSON: `{ "schema_version": 1, "generated": "YYYY-MM-DD",
 * "catalog": {…}, "images": {…}, "lifecycle": {…}, "neuron": {…} }`, each part optional and in the
 * shape of the bundled TOML file of the same name (rows are merged over the bundled rows by key).
 * @throws SourceShapeError on another shape or an unknown top-level key
 */
export function readOrganizationCatalog(value: unknown): OrganizationCatalog {
  if (!isRecord(value)) throw new SourceShapeError('expected a JSON object');
  if (value.schema_version !== 1) throw new SourceShapeError(`schema_version must be 1, got ${JSON.stringify(value.schema_version)}`);
  if (typeof value.generated !== 'string' || !isCalendarDay(value.generated)) throw new SourceShapeError('generated must be a calendar day YYYY-MM-DD');
  const parts: CatalogParts = {};
  for (const [key, part] of Object.entries(value)) {
    if (key === 'schema_version' || key === 'generated') continue;
    if (!PART_NAMES.has(key)) throw new SourceShapeError(`unknown key ${JSON.stringify(key)} (expected catalog, images, lifecycle or neuron)`);
    if (!isRecord(part)) throw new SourceShapeError(`${key} must be an object`);
    const { catalog: _header, ...tables } = part;
    parts[key] = tables;
  }
  return { schema_version: 1, generated: value.generated, parts };
}
