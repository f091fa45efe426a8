import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCatalog, readBundledParts } from '../../server/src/catalog/load';
import { overlayFromEndOfLife } from '../../server/src/catalog/refresh/endOfLife';
import { FetchError, fetchText, proxyFromEnv } from '../../server/src/catalog/refresh/http';
import { mergeParts } from '../../server/src/catalog/refresh/merge';
import type { RefreshSources } from '../../server/src/catalog/refresh/sources';
import { overlayFromSageMakerConfig, readEndOfLifeCycles, readOrganizationCatalog, SourceShapeError } from '../../server/src/catalog/refresh/sources';
import { loadCatalogWithCache, readCache, refreshCatalog } from '../../server/src/catalog/refresh/refresh';

const TODAY = '2026-11-21';

/** An SDK config with one version the bundled catalog lacks (2.16.0) and one it has (2.1.0). */
const SDK_PYTORCH = {
  training: {
    processors: ['cpu', 'gpu'],
    version_aliases: { '2.16': '2.16.0' },
    versions: { '2.1.0': { py_versions: ['py310'] }, '2.16.0': { py_versions: ['py312'] } },
  },
  inference: { versions: { '2.16.1': {} } },
};

let base = '';
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const url = req.url ?? '';
  if (url.startsWith('/good/')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(SDK_PYTORCH));
  } else if (url.startsWith('/badjson/')) {
    res.writeHead(200);
    res.end('{"training": ');
  } else if (url.startsWith('/wrongshape/')) {
    res.writeHead(200);
    res.end('[1, 2, 3]');
  } else if (url.startsWith('/error/')) {
    res.writeHead(500, 'Internal Server Error');
    res.end('oops');
  } else if (url.startsWith('/slow/')) {
    setTimeout(() => {
      if (!res.destroyed) res.end(JSON.stringify(SDK_PYTORCH));
    }, 3000);
  } else if (url.startsWith('/huge/')) {
    res.writeHead(200); // no content-length: the cap must hold while streaming
    res.end(`{"pad": "${'x'.repeat(200_000)}"}`);
  } else if (url.startsWith('/drop/')) {
    res.writeHead(200, { 'content-length': '5000' });
    res.write('{"training": {"versions": {');
    setTimeout(() => res.socket?.destroy(), 50);
  } else if (url.startsWith('/redirect/')) {
    res.writeHead(302, { location: '/good/pytorch.json' });
    res.end();
  } else if (url.startsWith('/org-invalid')) {
    res.writeHead(200);
    res.end(JSON.stringify({ schema_version: 1, generated: '2026-11-01', catalog: { versions: [{ framework: 'pytorch', version: '2.1', end_of_patch: '2026-13-45', end_of_patch_basis: 'table' }] } }));
  } else if (url.startsWith('/org')) {
    res.writeHead(200);
    res.end(
      JSON.stringify({
        schema_version: 1,
        generated: '2026-11-01',
        catalog: {
          sources: { 'org-policy': { title: 'Example Corp ML platform support table' } },
          versions: [{ framework: 'pytorch', version: '2.16', ga: '2026-10-01', ga_source: 'org-policy', end_of_patch: '2027-10-01', end_of_patch_basis: 'table', end_of_patch_source: 'org-policy' }],
        },
      }),
    );
  } else {
    res.writeHead(404);
    res.end();
  }
});

function sagemakerAt(prefix: string): RefreshSources {
  return { sagemakerImageUriConfig: { baseUrl: `${base}/${prefix}/`, files: ['pytorch.json'] }, endOfLife: null, organizationCatalog: null };
}

describe('catalog refresh from a local HTTP server', () => {
  let dir: string;
  let cacheFile: string;
  const bundled = readBundledParts();
  const refresh = (sources: RefreshSources, fetchOptions = { timeoutMs: 500, maxBytes: 100_000 }) =>
    refreshCatalog({ sources, cacheFile, bundled, today: TODAY, fetchOptions });

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-refresh-'));
    cacheFile = path.join(dir, 'cache', 'catalog-cache.json');
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('good data: the cache is written and the merged catalog knows the new version, keeping bundled dates', async () => {
    assert.equal(loadCatalogWithCache(bundled, cacheFile).catalog.frameworkVersion('pytorch', '2.16'), undefined, 'precondition: the bundled catalog lacks 2.16');
    const report = await refresh(sagemakerAt('good'));
    assert.deepEqual(report.failed, []);
    assert.equal(report.written, true);
    assert.deepEqual(report.updated.map((u) => u.source), ['sagemaker']);
    const loaded = loadCatalogWithCache(bundled, cacheFile);
    assert.deepEqual(loaded.problems, []);
    const v216 = loaded.catalog.frameworkVersion('pytorch', '2.16');
    assert.ok(v216, 'pytorch 2.16 should come from the refreshed SDK config');
    assert.deepEqual(v216.patches.map((p) => p.version), ['2.16.0', '2.16.1']);
    assert.equal(v216.endOfPatch, undefined, 'the SDK gives no dates');
    const v21 = loaded.catalog.frameworkVersion('pytorch', '2.1');
    assert.equal(v21?.endOfPatch, loadCatalogWithCache(bundled, undefined).catalog.frameworkVersion('pytorch', '2.1')?.endOfPatch, 'bundled dates stay');
    assert.ok(v21?.patches.find((p) => p.version === '2.1.0')?.released, 'bundled patch dates stay');
    assert.equal(readCache(cacheFile).entries.sagemaker?.fetched, TODAY);
  });

  const failures: Array<[string, RefreshSources | (() => RefreshSources), RegExp, { timeoutMs: number; maxBytes: number }?]> = [
    ['invalid JSON', () => sagemakerAt('badjson'), /not valid JSON/],
    ['a wrong shape', () => sagemakerAt('wrongshape'), /expected a JSON object of job scopes/],
    ['HTTP 500', () => sagemakerAt('error'), /HTTP 500/],
    ['a slow answer past the timeout', () => sagemakerAt('slow'), /no complete answer within 0\.5 s/],
    ['an oversize body', () => sagemakerAt('huge'), /more than the 100000-byte limit/],
    ['a dropped connection', () => sagemakerAt('drop'), /closed before the answer was complete|socket hang up|aborted/],
    ['a connection refused', () => ({ ...sagemakerAt('good'), sagemakerImageUriConfig: { baseUrl: 'http://127.0.0.1:9/', files: ['pytorch.json'] } }), /ECONNREFUSED/],
    [
      'data that breaks the catalog schema',
      () => ({ sagemakerImageUriConfig: null, endOfLife: null, organizationCatalog: `${base}/org-invalid` }),
      /does not fit the catalog: .*end_of_patch: must be a calendar day/,
    ],
  ];
  for (const [name, sources, message] of failures) {
    it(`${name}: one clear message, the cache file untouched, the last good catalog in force`, async () => {
      const before = readFileSync(cacheFile);
      const report = await refresh(typeof sources === 'function' ? sources() : sources);
      assert.equal(report.failed.length, 1, JSON.stringify(report));
      assert.match(report.failed[0].message, message);
      assert.doesNotMatch(report.failed[0].message, /\n/, 'one line');
      assert.equal(report.written, false);
      assert.deepEqual(readFileSync(cacheFile), before, 'cache file must not change');
      const loaded = loadCatalogWithCache(bundled, cacheFile);
      assert.ok(loaded.catalog.frameworkVersion('pytorch', '2.16'), 'the last good data stays in force');
    });
  }

  it('an organisation catalog is merged last and wins; redirects are followed', async () => {
    const report = await refresh({ sagemakerImageUriConfig: { baseUrl: `${base}/redirect/`, files: ['pytorch.json'] }, endOfLife: null, organizationCatalog: `${base}/org` });
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.updated.map((u) => u.source).sort(), ['organization', 'sagemaker']);
    const v216 = loadCatalogWithCache(bundled, cacheFile).catalog.frameworkVersion('pytorch', '2.16');
    assert.equal(v216?.endOfPatch, '2027-10-01');
    assert.equal(v216?.patches.length, 2, 'patches from the SDK stay');
  });

  it('a corrupt cache file is reported once and the bundled catalog is used', () => {
    const corrupt = path.join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"cache_version": 1, "entries": ');
    const loaded = loadCatalogWithCache(bundled, corrupt);
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0], /not valid JSON/);
    assert.equal(loaded.catalog.frameworkVersion('pytorch', '2.16'), undefined);
  });
});

describe('refresh building blocks', () => {
  it('fetchText refuses other schemes and bad URLs with a FetchError', async () => {
    await assert.rejects(fetchText('file:///etc/passwd'), (e: unknown) => e instanceof FetchError && e.failure === 'bad-url');
    await assert.rejects(fetchText('not a url'), (e: unknown) => e instanceof FetchError && e.failure === 'bad-url');
  });

  it('proxyFromEnv honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY, never for loopback', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://plain:8080', NO_PROXY: 'internal.example,.corp.example' };
    assert.equal(proxyFromEnv('https://endoflife.date/api/v1/products/python/', env), 'http://proxy:3128');
    assert.equal(proxyFromEnv('http://example.org/x', env), 'http://plain:8080');
    assert.equal(proxyFromEnv('https://internal.example/x', env), undefined);
    assert.equal(proxyFromEnv('https://a.corp.example/x', env), undefined);
    assert.equal(proxyFromEnv('http://127.0.0.1:8080/x', env), undefined);
    assert.equal(proxyFromEnv('https://endoflife.date/', {}), undefined);
  });

  it('the SDK converter reads versions and aliases of every scope and rejects other shapes', () => {
    const overlay = overlayFromSageMakerConfig('pytorch', SDK_PYTORCH, 's');
    assert.deepEqual(overlay.catalog.versions, [
      { framework: 'pytorch', version: '2.1', patches: [{ version: '2.1.0', source: 's' }] },
      { framework: 'pytorch', version: '2.16', patches: [{ version: '2.16.0', source: 's' }, { version: '2.16.1', source: 's' }] },
    ]);
    assert.throws(() => overlayFromSageMakerConfig('pytorch', { training: { processors: [] } }, 's'), SourceShapeError);
  });

  it('endoflife.date answers are read in the v1 and the older array shape', () => {
    const v1 = { schema_version: '1.2.0', result: { name: 'python', releases: [{ name: '3.13', releaseDate: '2024-10-07', isEol: false, eoasFrom: '2026-10-01', eolFrom: '2029-10-31', latest: { name: '3.13.9' } }] } };
    assert.deepEqual(readEndOfLifeCycles(v1), [
      { cycle: '3.13', released: '2024-10-07', endOfLife: '2029-10-31', endOfActiveSupport: '2026-10-01', endOfExtendedSupport: undefined, latest: '3.13.9' },
    ]);
    const old = [{ cycle: '20.04', releaseDate: '2020-04-23', eol: '2025-05-31', extendedSupport: '2030-04-02', latest: '20.04.6' }, { cycle: '4.10', eol: true }];
    assert.deepEqual(readEndOfLifeCycles(old).map((c) => [c.cycle, c.endOfLife, c.endOfExtendedSupport]), [
      ['20.04', '2025-05-31', '2030-04-02'],
      ['4.10', undefined, undefined],
    ]);
    assert.throws(() => readEndOfLifeCycles({ result: {} }), SourceShapeError);
  });

  it('endoflife.date cycles become lifecycle rows the bundled catalog accepts; untracked cycles are left out', () => {
    const python = overlayFromEndOfLife('python', [{ cycle: '3.15', released: '2026-10-01', endOfLife: '2031-10-31', latest: '3.15.0' }, { cycle: '3.16', endOfLife: '2032-10-31' }], 'src');
    assert.deepEqual(python.lifecycle.python, [{ version: '3.15', released: '2026-10-01', end_of_life: '2031-10-31', latest_patch: '3.15.0', source: 'src' }], 'a cycle without a release day is left out');
    const ubuntu = overlayFromEndOfLife('ubuntu', [
      { cycle: '26.04', released: '2026-04-23', endOfLife: '2031-05-29', endOfExtendedSupport: '2036-04-30' },
      { cycle: '25.10', released: '2025-10-09', endOfLife: '2026-07-09' },
      { cycle: '25.04', released: '2025-04-17', endOfLife: '2026-01-15' },
    ], 'src');
    assert.deepEqual((ubuntu.lifecycle.os as Array<{ version: string }>).map((r) => r.version), ['26.04'], 'interim releases are left out');
    const al = overlayFromEndOfLife('amazon-linux', [
      { cycle: '2023', released: '2023-03-15', endOfLife: '2029-06-30' },
      { cycle: '2018.03', released: '2018-03-07', endOfLife: '2023-12-31' },
      { cycle: '2017.09', released: '2017-09-01', endOfLife: '2023-12-31' },
    ], 'src');
    assert.deepEqual((al.lifecycle.os as Array<{ version: string }>).map((r) => r.version), ['2023', '1']);
    const sourceDef = { sources: { src: { title: 'endoflife.date API (refreshed)' } } };
    const overlay = mergeParts({}, { lifecycle: { ...python.lifecycle, ...sourceDef } });
    const merged = mergeParts(mergeParts(readBundledParts().parts, overlay), { lifecycle: { os: [...(ubuntu.lifecycle.os as object[]), ...(al.lifecycle.os as object[])], ...sourceDef } });
    const catalog = buildCatalog(merged);
    assert.equal(catalog.lifecycle?.pythonEol('3.15')?.endOfLife, '2031-10-31');
    assert.equal(catalog.lifecycle?.osEol('ubuntu26.04')?.endOfLife, '2031-05-29', 'the refreshed day replaces the bundled one');
    assert.equal(catalog.lifecycle?.osEol('amzn2023')?.endOfLife, '2029-06-30');
  });

  it('an organisation catalog must say schema_version 1 and name known parts', () => {
    assert.throws(() => readOrganizationCatalog({ schema_version: 2, generated: '2026-01-01' }), /schema_version must be 1/);
    assert.throws(() => readOrganizationCatalog({ schema_version: 1, generated: '2026-01-01', extra: {} }), /unknown key "extra"/);
    assert.deepEqual(readOrganizationCatalog({ schema_version: 1, generated: '2026-01-01', catalog: { catalog: { x: 1 }, versions: [] } }).parts, { catalog: { versions: [] } });
  });

  it('merging keeps base fields, unions string lists, merges patches by version and appends new rows', () => {
    const merged = mergeParts(
      { catalog: { catalog: { generated: '2026-01-01' }, versions: [{ framework: 'f', version: '1.0', ga: '2020-01-01', patches: [{ version: '1.0.0', released: '2020-01-01' }] }] }, images: { repositories: [{ name: 'r', tags: ['a', 'b'] }] } },
      { catalog: { catalog: { generated: '1999-01-01' }, versions: [{ framework: 'f', version: '1.0', patches: [{ version: '1.0.0', source: 's' }, { version: '1.0.1' }] }, { framework: 'f', version: '1.1' }] }, images: { repositories: [{ name: 'r', tags: ['b', 'c'] }] } },
    );
    assert.deepEqual(merged.catalog.catalog, { generated: '2026-01-01' }, 'the header stays');
    assert.deepEqual(merged.catalog.versions, [
      { framework: 'f', version: '1.0', ga: '2020-01-01', patches: [{ version: '1.0.0', released: '2020-01-01', source: 's' }, { version: '1.0.1' }] },
      { framework: 'f', version: '1.1' },
    ]);
    assert.deepEqual(merged.images.repositories, [{ name: 'r', tags: ['a', 'b', 'c'] }]);
  });
});
