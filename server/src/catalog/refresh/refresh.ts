/**
 * Catalog refresh (`catalog.md` §Refresh): fetch the configured public sources, turn each answer
 * into an overlay of catalog parts, check that the bundled catalog with the overlay still passes
 * every schema check, and keep the overlays in a cache file written atomically (a temporary file
 * renamed over the old one). A source that fails keeps its last good overlay; the catalog in
 * force never changes because of a failure. The cache keeps overlays rather than a merged copy so
 * that a newer bundled catalog (after an upgrade) is merged with them instead of being masked.
 *
 * Nothing here reads the clock: the day stamped on an entry is passed in (`today`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CalendarDay } from '../../dates';
import { isCalendarDay } from '../../dates';
import type { Catalog } from '../catalog';
import type { BundledParts } from '../load';
import { buildCatalog, CatalogError } from '../load';
import type { FetchOptions, Fetcher } from './http';
import { FetchError, fetchText } from './http';
import type { CatalogParts } from './merge';
import { mergeParts } from './merge';
import type { RefreshSources, SourceKey } from './sources';
import {
  joinUrl,
  overlayFromSageMakerConfig,
  readEndOfLifeCycles,
  readOrganizationCatalog,
  SAGEMAKER_FRAMEWORK_FILES,
  SOURCE_NAMES,
  SourceShapeError,
} from './sources';
import { overlayFromEndOfLife } from './endOfLife';

/** One source's last good answer, as kept in the cache. */
export interface CacheEntry {
  source: SourceKey;
  /** The URLs read (without credentials). */
  urls: string[];
  /** The UTC day of the fetch. */
  fetched: CalendarDay;
  /** What the source said, in catalog-part shape, merged over the bundled catalog at load. */
  parts: CatalogParts;
}

/** The cache file (`catalog-cache.json`). */
export interface CacheFile {
  cache_version: 1;
  entries: Partial<Record<SourceKey, CacheEntry>>;
}

/** Name of the cache file inside the cache folder. */
export const CACHE_FILE_NAME = 'catalog-cache.json';

/** A catalog whose newest data (bundled `generated` or the latest refresh) is older than this many days is stale (`catalog.md`). */
export const STALE_AFTER_DAYS = 90;

/** The newest day of the catalog in force: the bundled catalog's `generated` or the latest fetch in the cache. */
export function newestDataDay(bundledGenerated: CalendarDay, cache: CacheFile | undefined): CalendarDay {
  return Object.values(cache?.entries ?? {}).reduce((newest, e) => (e && e.fetched > newest ? e.fetched : newest), bundledGenerated);
}

/** The order overlays are merged in: the organisation's data last, so it wins. */
const MERGE_ORDER: SourceKey[] = ['sagemaker', 'endoflife', 'organization'];

/**
 * The CLI's cache folder: `$DL_LIFECYCLE_CACHE_DIR`, else `$XDG_CACHE_HOME/dl-lifecycle`, else
 * `~/.cache/dl-lifecycle`. (The editor uses its global storage folder instead.)
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.DL_LIFECYCLE_CACHE_DIR) return env.DL_LIFECYCLE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'dl-lifecycle');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a cache file. A missing file is an empty cache.
 * @throws CatalogError when the file exists but is not a cache file (invalid JSON or shape)
 */
export function readCache(file: string): CacheFile {
  if (!existsSync(file)) return { cache_version: 1, entries: {} };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CatalogError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isRecord(value) || value.cache_version !== 1 || !isRecord(value.entries)) throw new CatalogError(`${file}: not a dl-lifecycle catalog cache (cache_version 1)`);
  const entries: CacheFile['entries'] = {};
  for (const key of MERGE_ORDER) {
    const e = value.entries[key];
    if (e === undefined) continue;
    if (!isRecord(e) || !isRecord(e.parts) || typeof e.fetched !== 'string' || !isCalendarDay(e.fetched) || !Array.isArray(e.urls)) {
      throw new CatalogError(`${file}: entry ${key} is malformed`);
    }
    entries[key] = { source: key, urls: e.urls.filter((u): u is string => typeof u === 'string'), fetched: e.fetched, parts: e.parts as CatalogParts };
  }
  return { cache_version: 1, entries };
}

/** Writes the cache atomically: a temporary file in the same folder, then a rename over the old one. */
export function writeCacheAtomically(file: string, cache: CacheFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(cache, null, 1)}\n`, { mode: 0o644 });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The bundled parts with every cached overlay merged over them, in {@link MERGE_ORDER}. */
export function applyCache(bundled: CatalogParts, cache: CacheFile): CatalogParts {
  let parts = bundled;
  for (const key of MERGE_ORDER) {
    const entry = cache.entries[key];
    if (entry) parts = mergeParts(parts, entry.parts);
  }
  return parts;
}

/** The catalog in force and what a user should know about how it was made. */
export interface LoadedCatalog {
  catalog: Catalog;
  /** The parts the catalog was built from (the bundled ones, with the cache applied when it was used) and their file names: a worker thread builds the same catalog from them. */
  parts: CatalogParts;
  origins: Record<string, string>;
  /** The cache that was applied (absent when there is none or it was not usable). */
  cache?: CacheFile;
  /** One line per problem with the cache (the bundled catalog is then used as it is). */
  problems: string[];
}

/**
 * The bundled catalog with the cache in `cacheFile` merged over it. A cache that cannot be read
 * or that makes the catalog invalid is left out with one problem line; the bundled catalog is
 * then in force. @throws CatalogError only when the bundled catalog itself is invalid
 */
export function loadCatalogWithCache(bundled: BundledParts, cacheFile: string | undefined): LoadedCatalog {
  const { origins } = bundled;
  const plain = () => ({ catalog: buildCatalog(bundled.parts, origins), parts: bundled.parts, origins });
  if (!cacheFile || !existsSync(cacheFile)) return { ...plain(), problems: [] };
  let cache: CacheFile;
  try {
    cache = readCache(cacheFile);
  } catch (e) {
    return { ...plain(), problems: [`the catalog cache was not used: ${(e as Error).message}`] };
  }
  try {
    const parts = applyCache(bundled.parts, cache);
    const catalog = buildCatalog(parts, origins);
    catalog.validateAllParts(); // a cache that breaks any part is not used
    return { catalog, parts, origins, cache, problems: [] };
  } catch (e) {
    return { ...plain(), problems: [`the catalog cache was not used: ${cacheFile}: ${(e as Error).message}`] };
  }
}

/** Settings of one refresh. */
export interface RefreshOptions {
  sources: RefreshSources;
  cacheFile: string;
  bundled: BundledParts;
  /** The UTC day stamped on new entries. */
  today: CalendarDay;
  /** The fetcher (default {@link fetchText}); the editor may pass one that uses its own networking. */
  fetch?: Fetcher;
  fetchOptions?: FetchOptions;
}

/** What a refresh did, per source. */
export interface RefreshReport {
  cacheFile: string;
  updated: Array<{ source: SourceKey; urls: string[]; summary: string }>;
  failed: Array<{ source: SourceKey; message: string }>;
  /** Sources turned off in the configuration. */
  skipped: SourceKey[];
  /** True when the cache file was rewritten. */
  written: boolean;
}

interface Fetched {
  url: string;
  value: unknown;
}

async function fetchJson(urls: string[], fetch: Fetcher, options: FetchOptions | undefined): Promise<Fetched[]> {
  return Promise.all(
    urls.map(async (url) => {
      const text = await fetch(url, options);
      try {
        return { url, value: JSON.parse(text) as unknown };
      } catch (e) {
        throw new SourceShapeError(`${url}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
    }),
  );
}

/** Adds the definition of `sourceId` to every part the overlay touches (each part checks its own source ids). */
function withSource(parts: CatalogParts, sourceId: string, definition: Record<string, string>): CatalogParts {
  const out: CatalogParts = {};
  for (const [name, part] of Object.entries(parts)) {
    const sources = isRecord(part.sources) ? part.sources : {};
    out[name] = { ...part, sources: { ...sources, [sourceId]: definition } };
  }
  return out;
}

async function overlayFor(key: SourceKey, options: RefreshOptions): Promise<{ urls: string[]; parts: CatalogParts; summary: string } | undefined> {
  const { sources, today } = options;
  const fetch = options.fetch ?? fetchText;
  if (key === 'sagemaker') {
    const cfg = sources.sagemakerImageUriConfig;
    if (!cfg) return undefined;
    const files = cfg.files.filter((f) => f in SAGEMAKER_FRAMEWORK_FILES);
    const answers = await fetchJson(files.map((f) => joinUrl(cfg.baseUrl, f)), fetch, options.fetchOptions);
    const sourceId = 'refresh-sagemaker-image-uri-config';
    let parts: CatalogParts = {};
    let count = 0;
    answers.forEach((a, i) => {
      const overlay = overlayFromSageMakerConfig(SAGEMAKER_FRAMEWORK_FILES[files[i]], a.value, sourceId);
      count += (overlay.catalog.versions as unknown[]).length;
      parts = mergeParts(parts, overlay);
    });
    parts = withSource(parts, sourceId, { title: 'SageMaker Python SDK image URI config (refreshed)', url: cfg.baseUrl, retrieved: today });
    return { urls: answers.map((a) => a.url), parts, summary: `${count} framework versions from ${files.length} files` };
  }
  if (key === 'endoflife') {
    const cfg = sources.endOfLife;
    if (!cfg) return undefined;
    const answers = await fetchJson(cfg.products.map((p) => joinUrl(cfg.baseUrl, `${p}/`)), fetch, options.fetchOptions);
    const sourceId = 'refresh-endoflife-date';
    let parts: CatalogParts = {};
    let count = 0;
    answers.forEach((a, i) => {
      const cycles = readEndOfLifeCycles(a.value);
      const overlay = overlayFromEndOfLife(cfg.products[i], cycles, sourceId);
      for (const part of Object.values(overlay)) for (const rows of Object.values(part)) if (Array.isArray(rows)) count += rows.length;
      parts = mergeParts(parts, overlay);
    });
    parts = withSource(parts, sourceId, { title: 'endoflife.date API (refreshed)', url: cfg.baseUrl, retrieved: today });
    return { urls: answers.map((a) => a.url), parts, summary: `${count} release cycles of ${cfg.products.join(', ')}` };
  }
  const url = sources.organizationCatalog;
  if (!url) return undefined;
  const [answer] = await fetchJson([url], fetch, options.fetchOptions);
  const org = readOrganizationCatalog(answer.value);
  return { urls: [url], parts: org.parts, summary: `organisation catalog dated ${org.generated} (${Object.keys(org.parts).join(', ') || 'no parts'})` };
}

function describe(e: unknown): string {
  if (e instanceof FetchError || e instanceof SourceShapeError || e instanceof CatalogError) return e.message;
  return `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * Refreshes every configured source, then writes the cache when at least one source gave new,
 * valid data. Never throws for a network, format or validation failure: those are in `failed`
 * and the previous entry of that source stays. @throws only for an unreadable existing cache file
 * that cannot be replaced (file system errors)
 */
export async function refreshCatalog(options: RefreshOptions): Promise<RefreshReport> {
  let previous: CacheFile;
  try {
    previous = readCache(options.cacheFile);
  } catch {
    previous = { cache_version: 1, entries: {} }; // a broken cache is replaced by the first good answer
  }
  const next: CacheFile = { cache_version: 1, entries: { ...previous.entries } };
  const report: RefreshReport = { cacheFile: options.cacheFile, updated: [], failed: [], skipped: [], written: false };
  const results = await Promise.all(
    MERGE_ORDER.map(async (key) => {
      try {
        return { key, result: await overlayFor(key, options) };
      } catch (e) {
        return { key, error: describe(e) };
      }
    }),
  );
  for (const { key, result, error } of results) {
    if (error !== undefined) {
      report.failed.push({ source: key, message: `${SOURCE_NAMES[key]}: ${error}` });
      continue;
    }
    if (!result) {
      report.skipped.push(key);
      continue;
    }
    const candidate: CacheFile = { cache_version: 1, entries: { ...next.entries, [key]: { source: key, urls: result.urls, fetched: options.today, parts: result.parts } } };
    try {
      buildCatalog(applyCache(options.bundled.parts, candidate), options.bundled.origins).validateAllParts();
    } catch (e) {
      report.failed.push({ source: key, message: `${SOURCE_NAMES[key]}: the data does not fit the catalog: ${describe(e)}` });
      continue;
    }
    next.entries = candidate.entries;
    report.updated.push({ source: key, urls: result.urls, summary: result.summary });
  }
  if (report.updated.length > 0) {
    writeCacheAtomically(options.cacheFile, next);
    report.written = true;
  }
  return report;
}
