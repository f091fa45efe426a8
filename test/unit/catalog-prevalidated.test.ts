/**
 * The bundled catalog validated at build time: the build writes every part as the schemas give it
 * and marks the file; a load indexes marked parts without checking them again, and checks every
 * other part (refresh caches, organisation catalogs, copies) as before.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { Catalog } from '../../server/src/catalog/catalog';
import {
  buildCatalog,
  bundledCatalogJson,
  CatalogError,
  isValidatedAtBuild,
  parseBundledCatalogJson,
  partsValidatedAtBuild,
  readCatalogFolder,
  validateCatalogParts,
  VALIDATED_KEY,
} from '../../server/src/catalog/load';
import type { CatalogParts } from '../../server/src/catalog/refresh/merge';
import { mergeParts } from '../../server/src/catalog/refresh/merge';
import { loadCatalogWithCache } from '../../server/src/catalog/refresh/refresh';

const root = path.join(__dirname, '..', '..');
const toml = readCatalogFolder(path.join(root, 'server', 'data'));
const json = bundledCatalogJson(toml.parts, toml.origins);
/** The parts as an unmarked `catalog.json` holds them (TOML as parsed, through JSON), which a load checks. */
const unmarkedParts = (): CatalogParts => JSON.parse(JSON.stringify(toml.parts)) as CatalogParts;
const AS_OF = '2026-11-21';

/** Answers of every part to a fixed set of queries, as comparable data. */
function answers(c: Catalog): unknown {
  c.validateAllParts();
  return {
    generated: c.generated,
    frameworks: c.frameworks,
    versions: c.frameworks.map((f) => c.frameworkVersions(f.id)),
    supported: c.supportedVersions('pytorch', AS_OF).map((v) => v.version),
    torch: c.frameworkForPackage('torch')?.id,
    images: c.images?.repositories(),
    registries: c.images?.registryList(),
    near: c.images?.nearestPublishedTags('pytorch-training', '1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker', () => true),
    huggingFace: c.huggingFaceLines().length,
    python: c.lifecycle?.pythonEol('py38'),
    neuron: c.neuron?.release('2.15.0'),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The marked bundled parts with `generated` of the frameworks part made invalid (the schema wants a calendar day). */
function markedWithBadDay(): CatalogParts {
  const data = JSON.parse(json) as Record<string, Record<string, Record<string, unknown>>>;
  data.catalog.catalog.generated = 'not a day';
  return parseBundledCatalogJson(JSON.stringify(data));
}

describe('catalog validated at build time', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-prevalidated-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every part with the list of validated parts, and reading it marks exactly those parts', () => {
    const raw = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(raw[VALIDATED_KEY], ['catalog', 'images', 'lifecycle', 'neuron']);
    const parts = parseBundledCatalogJson(json);
    assert.deepEqual(Object.keys(parts).sort(), ['catalog', 'images', 'lifecycle', 'neuron'], 'the mark is not a part');
    for (const name of Object.keys(parts)) assert.equal(isValidatedAtBuild(parts[name]), true, name);
    const unmarked = parseBundledCatalogJson(JSON.stringify({ ...raw, [VALIDATED_KEY]: ['catalog', 'nonsense'] }));
    assert.equal(isValidatedAtBuild(unmarked.catalog), true);
    assert.equal(isValidatedAtBuild(unmarked.images), false, 'a part the mark does not name is not marked');
    const none = parseBundledCatalogJson(JSON.stringify({ ...raw, [VALIDATED_KEY]: 'catalog' }));
    assert.equal(isValidatedAtBuild(none.catalog), false, 'a malformed mark marks nothing');
    assert.throws(() => parseBundledCatalogJson('[1]'), CatalogError);
    assert.throws(() => parseBundledCatalogJson('{'), CatalogError);
  });

  it('writes the parts as the schemas give them to a load of the unmarked file, and that form passes the checks unchanged', () => {
    const validated = validateCatalogParts(unmarkedParts());
    assert.deepEqual(parseBundledCatalogJson(json), validated, 'the marked file holds what checking the unmarked file gives');
    assert.deepEqual(validateCatalogParts(validated), validated, 'validating the written form again changes nothing');
    assert.notDeepEqual(validated.images, unmarkedParts().images, 'defaults are filled in (so the written form is not the TOML as parsed)');
  });

  it('a catalog built from the marked parts answers as one built from the unmarked parts with every check', () => {
    assert.deepEqual(answers(buildCatalog(parseBundledCatalogJson(json))), answers(buildCatalog(unmarkedParts())));
  });

  it('indexing marked parts does not modify them (they may be shared by several catalogs)', () => {
    const parts = deepFreeze(parseBundledCatalogJson(json));
    const before = JSON.stringify(parts);
    assert.doesNotThrow(() => answers(buildCatalog(parts)));
    assert.doesNotThrow(() => answers(buildCatalog(parts)));
    assert.equal(JSON.stringify(parts), before);
  });

  it('does not check a marked part again, but checks the same data unmarked, copied or merged', () => {
    const parts = markedWithBadDay();
    assert.equal(buildCatalog(parts).generated, 'not a day', 'the marked part is trusted');
    const bad = /catalog\.toml: catalog\.generated: must be a calendar day/;
    assert.throws(() => buildCatalog(structuredClone(parts)), (e: unknown) => e instanceof CatalogError && bad.test(e.message), 'a copy is not marked');
    const merged = mergeParts(parts, { catalog: { sources: { extra: { title: 'An extra source' } } } });
    assert.throws(() => buildCatalog(merged), (e: unknown) => e instanceof CatalogError && bad.test(e.message), 'a part merged with an overlay is checked');
    const otherMerged = mergeParts(parts, { neuron: { sources: { extra: { title: 'An extra source' } } } });
    assert.equal(isValidatedAtBuild(otherMerged.catalog), true, 'parts an overlay does not touch stay marked');
    assert.equal(isValidatedAtBuild(otherMerged.neuron), false);
  });

  it('a worker given a copy of the parts indexes the ones whose originals were marked, and checks the others', () => {
    const parts = markedWithBadDay();
    const merged = mergeParts(parts, { neuron: { sources: { extra: { title: 'An extra source' } } } });
    const names = partsValidatedAtBuild(merged);
    assert.deepEqual(names.sort(), ['catalog', 'images', 'lifecycle']);
    const copy = structuredClone(merged);
    assert.equal(buildCatalog(copy, {}, { validatedAtBuild: names }).generated, 'not a day', 'named parts are trusted in the copy');
    const broken = structuredClone(merged);
    (broken.neuron as { releases: unknown }).releases = 'not a list';
    const c = buildCatalog(broken, {}, { validatedAtBuild: names });
    assert.throws(() => c.neuron, (e: unknown) => e instanceof CatalogError && /neuron\.toml: releases: /.test(e.message), 'a part not named is checked');
  });

  it('a refresh cache that breaks a marked part is not used', () => {
    const bundled = { parts: parseBundledCatalogJson(json), origins: {}, location: 'catalog.json' };
    const cacheFile = path.join(dir, 'catalog-cache.json');
    const entry = { source: 'organization', urls: ['https://example.org/catalog.json'], fetched: AS_OF };
    writeFileSync(cacheFile, JSON.stringify({ cache_version: 1, entries: { organization: { ...entry, parts: { images: { registries: 'not a list' } } } } }));
    const broken = loadCatalogWithCache(bundled, cacheFile);
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0], /images\.toml: registries: /);
    assert.equal(broken.cache, undefined);
    const extra = { name: 'example-training', framework: 'example', framework_name: 'Example', job: 'training', processors: ['gpu'], platforms: ['sagemaker'], legacy: false, sources: ['org'], tags: { org: '1.0-gpu-py310' } };
    writeFileSync(cacheFile, JSON.stringify({ cache_version: 1, entries: { organization: { ...entry, parts: { images: { sources: { org: { title: 'Org' } }, repositories: [extra] } } } } }));
    const good = loadCatalogWithCache(bundled, cacheFile);
    assert.deepEqual(good.problems, []);
    assert.equal(good.catalog.images?.isPublished('example-training', '1.0-gpu-py310'), true);
  });

  it('the build refuses a part that does not pass the checks, naming the file and key', () => {
    const images = structuredClone(toml.parts.images!) as { registries: Array<Record<string, unknown>> };
    images.registries[0].account = '12345';
    assert.throws(() => bundledCatalogJson({ ...toml.parts, images }, toml.origins), (e: unknown) => e instanceof CatalogError && /images\.toml: registries\[0\]\.account: must be a 12-digit AWS account id/.test(e.message));
  });

  it('scripts/catalog-json.mjs writes the validated, marked catalog.json', () => {
    const out = path.join(dir, 'catalog.json');
    const script = `import { writeCatalogJson } from ${JSON.stringify(pathToFileURL(path.join(root, 'scripts', 'catalog-json.mjs')).href)};\nwriteCatalogJson(${JSON.stringify(root)}, ${JSON.stringify(out)});`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), json);
  });
});
