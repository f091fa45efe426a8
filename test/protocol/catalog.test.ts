/**
 * Protocol test of the refreshed catalog in the editor: the built server reads the cache file the
 * client names in its initialization options, and loads the catalog again when told the cache
 * changed (`dlLifecycle/catalogCacheChanged`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { CATALOG_CHANGED_NOTIFICATION } from '../../server/src/settings';
import type { Session } from './session';
import { start, stop } from './session';

/** A cache whose organisation entry gives PyTorch 2.16 (unknown to the bundled catalog) dates that ended before asOf. */
const CACHE = {
  cache_version: 1,
  entries: {
    organization: {
      source: 'organization',
      urls: ['https://example.org/catalog.json'],
      fetched: '2026-11-20',
      parts: {
        catalog: {
          sources: { 'org-table': { title: 'Example Corp support table' } },
          versions: [
            {
              framework: 'pytorch',
              version: '2.16',
              ga: '2025-01-01',
              ga_source: 'org-table',
              end_of_patch: '2026-01-01',
              end_of_patch_basis: 'table',
              end_of_patch_source: 'org-table',
              patches: [{ version: '2.16.0', released: '2025-01-01', source: 'org-table' }],
            },
          ],
        },
      },
    },
  },
};

describe('language server with a refreshed catalog cache', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-cache-lsp-'));
  const cacheFile = path.join(dir, 'catalog-cache.json');
  const uri = 'file:///workspace/requirements.txt';
  let s: Session;
  before(async () => {
    s = await start(false, { asOf: '2026-11-21' }, 'file:///workspace', { catalogCacheFile: cacheFile });
  });
  after(async () => {
    await stop(s);
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the bundled catalog while there is no cache, and the cache once the client says it changed', async () => {
    const first = s.next(uri, 1);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'pip-requirements', version: 1, text: 'torch==2.16.0\n' } });
    const before = await first;
    assert.deepEqual(before.diagnostics.map((d) => d.code), ['unknown-version'], 'the bundled catalog does not know PyTorch 2.16');

    writeFileSync(cacheFile, JSON.stringify(CACHE));
    const after = s.next(uri);
    await s.conn.sendNotification(CATALOG_CHANGED_NOTIFICATION);
    const published = await after;
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['end-of-patch']);
    assert.match(String(published.diagnostics[0].message), /PyTorch 2\.16 reached end of patch on 2026-01-01/);
    assert.ok(s.messages.some((m) => /refreshed data: organization 2026-11-20/.test(m)), s.messages.join('\n'));
  });

  it('a broken cache is reported in the log and the bundled catalog stays in force', async () => {
    writeFileSync(cacheFile, '{"cache_version": 1, "entries": {"organization": {"source": "organization"}}}');
    const next = s.next(uri);
    await s.conn.sendNotification(CATALOG_CHANGED_NOTIFICATION);
    const published = await next;
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['unknown-version']);
    assert.ok(s.messages.some((m) => /the catalog cache was not used: .*entry organization is malformed/.test(m)), s.messages.join('\n'));
  });
});
