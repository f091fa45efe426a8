/**
 * `dl-lifecycle catalog status` and `dl-lifecycle catalog update`: what catalog is in force
 * (bundled dates, cached sources and their dates), and a refresh from the configured public
 * sources into the cache (`catalog.md` §Refresh). `update` is the only command that uses the
 * network. Exit codes: 0 done, 1 `update` with a source that failed (the last good data stays),
 * 2 usage error.
 */
import { resolveAsOf } from '../../asOf';
import { daysBetween } from '../../dates';
import type { Catalog } from '../../catalog/catalog';
import { readBundledParts } from '../../catalog/load';
import { fetchText, proxyFromEnv } from '../../catalog/refresh/http';
import type { CacheFile } from '../../catalog/refresh/refresh';
import { loadCatalogWithCache, newestDataDay, refreshCatalog, STALE_AFTER_DAYS } from '../../catalog/refresh/refresh';
import type { RefreshSources } from '../../catalog/refresh/sources';
import { DEFAULT_REFRESH_SOURCES, SOURCE_NAMES } from '../../catalog/refresh/sources';
import { CATALOG_OPTIONS, CATALOG_OPTIONS_USAGE, cacheFileOf } from '../catalogOptions';
import type { CliIO } from '../io';
import { asOfOption, formatOption, parseCommandArgs, UsageError } from '../io';

export const CATALOG_USAGE = `Usage: dl-lifecycle catalog status [options]
       dl-lifecycle catalog update [options]

status   checks every part of the catalog in force against its schema (exit 2 with the first
         problem) and prints the bundled dates, the refreshed sources in the cache and their dates
update   fetches the SageMaker Python SDK image URI config and endoflife.date (and an organisation
         catalog when --organization-url is given), validates them and writes the cache atomically;
         a source that fails keeps its last good data. Exit code 1 when a source failed.

Options:
${CATALOG_OPTIONS_USAGE}  --format FORMAT         text|json (default: text)
  --as-of YYYY-MM-DD      the day staleness is measured at (status; default: today, UTC)
  --sagemaker-url URL     folder URL of the SDK's image_uri_config JSON files, or 'none'
  --endoflife-url URL     base URL of endoflife.date's product API, or 'none'
  --organization-url URL  an organisation's catalog JSON (default: none)
  --timeout SECONDS       time limit per request (default: 10)
  --max-size MB           size limit per answer (default: 10)
  --proxy URL             HTTP proxy (default: HTTPS_PROXY / HTTP_PROXY, honouring NO_PROXY)
  -h, --help              show this help
`;

function urlOption(name: string, value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`${name} must be an http(s) URL or 'none', got '${value}'`);
  }
  return value;
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!(n > 0)) throw new UsageError(`${name} must be a positive number, got '${text}'`);
  return n;
}

/** `dl-lifecycle catalog <status|update> [options]`. @throws UsageError, CatalogError */
export async function runCatalog(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...CATALOG_OPTIONS,
      format: { type: 'string' },
      'as-of': { type: 'string' },
      'sagemaker-url': { type: 'string' },
      'endoflife-url': { type: 'string' },
      'organization-url': { type: 'string' },
      timeout: { type: 'string' },
      'max-size': { type: 'string' },
      proxy: { type: 'string' },
    },
    'dl-lifecycle catalog --help',
  );
  const [sub, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (see dl-lifecycle catalog --help)`);
  const format = formatOption(values.format);
  if (sub === 'status') return status(values, format, io);
  if (sub === 'update') return update(values, format, io);
  throw new UsageError(sub ? `unknown catalog command '${sub}': use status or update` : 'missing catalog command: status or update (see dl-lifecycle catalog --help)');
}

/** What the catalog in force holds, counted (the figures the README quotes; `catalog status` prints them). */
export function catalogContents(catalog: Catalog): Record<string, number | string> {
  const images = catalog.images;
  const neuron = catalog.neuron?.releases() ?? [];
  return {
    frameworkVersions: catalog.frameworks.reduce((n, f) => n + catalog.frameworkVersions(f.id).length, 0),
    dlcRepositories: images?.repositories().length ?? 0,
    publishedTags: images?.repositories().reduce((n, r) => n + r.tags.length, 0) ?? 0,
    dlcRegions: images?.registryList('dlc').length ?? 0,
    pythonReleases: catalog.lifecycle?.pythonReleases.length ?? 0,
    osReleases: catalog.lifecycle?.osReleases.length ?? 0,
    dlamiFamilies: catalog.lifecycle?.dlamiFamilies.length ?? 0,
    neuronReleases: neuron.length ? `${neuron.length} (${neuron[0].version}–${neuron[neuron.length - 1].version})` : 0,
    neuronAnnouncements: catalog.neuron?.announcements().length ?? 0,
  };
}

function status(values: { 'cache-dir'?: string; 'no-cache'?: boolean; 'as-of'?: string }, format: string, io: CliIO): number {
  const asOf = asOfOption(values['as-of']);
  const bundled = readBundledParts();
  const cacheFile = cacheFileOf(values, io);
  const loaded = loadCatalogWithCache(bundled, values['no-cache'] ? undefined : cacheFile);
  loaded.catalog.validateAllParts(); // status vouches for every part (the build runs it); CatalogError → exit 2
  const parts = Object.entries(bundled.parts).map(([name, part]) => {
    const header = (part.catalog ?? {}) as { generated?: string; data_as_of?: string };
    return { part: name, generated: header.generated, dataAsOf: header.data_as_of };
  });
  const generated = loaded.catalog.generated;
  const age = daysBetween(generated, asOf);
  const newest = newestDataDay(generated, loaded.cache);
  const stale = daysBetween(newest, asOf) > STALE_AFTER_DAYS;
  const cache: CacheFile['entries'] = loaded.cache?.entries ?? {};
  const sources = Object.values(cache).map((e) => ({ source: e.source, name: SOURCE_NAMES[e.source], fetched: e.fetched, urls: e.urls }));
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ asOf, bundled: { generated, ageDays: age, stale, newestData: newest, parts }, contents: catalogContents(loaded.catalog), cacheFile, cacheUsed: loaded.cache !== undefined, refreshed: sources, problems: loaded.problems }, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  out.push(`Bundled catalog dated ${generated} (${age} days old at ${asOf})${stale ? ` — its newest data (${newest}) is older than ${STALE_AFTER_DAYS} days: run 'dl-lifecycle catalog update'` : ''}`);
  for (const p of parts) out.push(`  ${p.part.padEnd(10)} generated ${p.generated ?? '?'}${p.dataAsOf ? `, data as of ${p.dataAsOf}` : ''}`);
  out.push(`Contents: ${Object.entries(catalogContents(loaded.catalog)).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (values['no-cache']) out.push('Refreshed data: not used (--no-cache)');
  else if (sources.length === 0) out.push(`Refreshed data: none (${cacheFile})`);
  else {
    out.push(`Refreshed data in ${cacheFile}:`);
    for (const s of sources) out.push(`  ${s.name}: fetched ${s.fetched} from ${s.urls.length === 1 ? s.urls[0] : `${s.urls.length} URLs`}`);
  }
  for (const p of loaded.problems) out.push(`Note: ${p}`);
  io.stdout(`${out.join('\n')}\n`);
  return 0;
}

async function update(
  values: { 'cache-dir'?: string; 'sagemaker-url'?: string; 'endoflife-url'?: string; 'organization-url'?: string; timeout?: string; 'max-size'?: string; proxy?: string },
  format: string,
  io: CliIO,
): Promise<number> {
  const sagemakerUrl = urlOption('--sagemaker-url', values['sagemaker-url']);
  const endoflifeUrl = urlOption('--endoflife-url', values['endoflife-url']);
  const organizationUrl = urlOption('--organization-url', values['organization-url']);
  const timeoutMs = Math.round(positiveNumber('--timeout', values.timeout, 10) * 1000);
  const maxBytes = Math.round(positiveNumber('--max-size', values['max-size'], 10) * 1024 * 1024);
  const proxy = values.proxy === undefined ? undefined : urlOption('--proxy', values.proxy) ?? undefined;
  const d = DEFAULT_REFRESH_SOURCES;
  const sources: RefreshSources = {
    sagemakerImageUriConfig: sagemakerUrl === null ? null : { ...d.sagemakerImageUriConfig!, baseUrl: sagemakerUrl ?? d.sagemakerImageUriConfig!.baseUrl },
    endOfLife: endoflifeUrl === null ? null : { ...d.endOfLife!, baseUrl: endoflifeUrl ?? d.endOfLife!.baseUrl },
    organizationCatalog: organizationUrl ?? null,
  };
  const report = await refreshCatalog({
    sources,
    cacheFile: cacheFileOf(values, io),
    bundled: readBundledParts(),
    today: resolveAsOf(undefined),
    // an explicit --proxy for every URL; else the environment's, which NO_PROXY can rule out per host
    fetch: (url, options) => fetchText(url, { ...options, proxy: proxy ?? proxyFromEnv(url, io.env) }),
    fetchOptions: { timeoutMs, maxBytes },
  }).catch((e: unknown) => {
    throw new UsageError(`could not write the catalog cache: ${e instanceof Error ? e.message : String(e)}`);
  });
  if (format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    for (const u of report.updated) io.stdout(`updated ${SOURCE_NAMES[u.source]}: ${u.summary}\n`);
    for (const s of report.skipped) io.stdout(`skipped ${SOURCE_NAMES[s]} (turned off)\n`);
    io.stdout(report.written ? `cache written: ${report.cacheFile}\n` : `cache unchanged: ${report.cacheFile}\n`);
  }
  for (const f of report.failed) io.stderr(`dl-lifecycle: ${f.message}; the last good data stays in force\n`);
  return report.failed.length > 0 ? 1 : 0;
}
