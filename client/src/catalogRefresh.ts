/**
 * Catalog refresh in the editor: the "DL Lifecycle: Refresh Catalog" command, the weekly
 * automatic refresh (setting `dlLifecycle.catalog.autoRefresh`, on by default) and the notice
 * when the catalog in force is older than 90 days. The refresh itself is the core's
 * (`server/src/catalog/refresh/`), run here in the extension host so that it goes through the
 * editor's networking (its proxy support); the cache is the extension's global storage, and the
 * language server is told to reload when it changed.
 *
 * Source URLs are read from user (global) settings only, never from workspace settings: a
 * workspace cannot point the catalog elsewhere (`catalog.md` §Refresh, untrusted workspaces).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveAsOf } from '../../server/src/asOf';
import { addDays, daysBetween } from '../../server/src/dates';
import { readBundledParts } from '../../server/src/catalog/load';
import { fetchText, proxyFromEnv } from '../../server/src/catalog/refresh/http';
import type { CacheFile, RefreshReport } from '../../server/src/catalog/refresh/refresh';
import { CACHE_FILE_NAME, newestDataDay, readCache, refreshCatalog, STALE_AFTER_DAYS } from '../../server/src/catalog/refresh/refresh';
import type { RefreshSources } from '../../server/src/catalog/refresh/sources';
import { DEFAULT_REFRESH_SOURCES, SOURCE_NAMES } from '../../server/src/catalog/refresh/sources';
import { COMMANDS, SETTINGS_SECTION } from '../../server/src/settings';

/** Days between automatic refreshes. */
export const AUTO_REFRESH_DAYS = 7;

/** A user-level setting's value: the global value or the default, never a workspace's. */
function userSetting<T>(key: string): T | undefined {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

function urlOrNull(value: string | undefined | null): string | null | undefined {
  if (value === undefined || value === null) return undefined;
  const t = value.trim();
  if (t === '' || t === 'none') return null;
  return t;
}

/** The sources to refresh from, per the user's settings. */
export function refreshSourcesFromSettings(): RefreshSources {
  const d = DEFAULT_REFRESH_SOURCES;
  const sagemaker = urlOrNull(userSetting<string>('catalog.sagemakerImageUriConfigUrl'));
  const endoflife = urlOrNull(userSetting<string>('catalog.endOfLifeUrl'));
  const organization = urlOrNull(userSetting<string>('catalog.organizationCatalogUrl'));
  return {
    sagemakerImageUriConfig: sagemaker === null ? null : { ...d.sagemakerImageUriConfig!, baseUrl: sagemaker ?? d.sagemakerImageUriConfig!.baseUrl },
    endOfLife: endoflife === null ? null : { ...d.endOfLife!, baseUrl: endoflife ?? d.endOfLife!.baseUrl },
    organizationCatalog: organization ?? null,
  };
}

export class CatalogRefresher {
  readonly cacheFile: string;
  private running: Promise<RefreshReport | undefined> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    /** Tells the language server that the cache changed. */
    private readonly cacheChanged: () => Promise<void>,
  ) {
    this.cacheFile = path.join(context.globalStorageUri.fsPath, CACHE_FILE_NAME);
  }

  /** Registers the command and runs the start-up checks (auto-refresh, stale notice) in the background. */
  start(): void {
    this.context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.refreshCatalog, () => this.refresh(true)));
    void this.startupChecks();
  }

  private readCacheQuietly(): CacheFile {
    try {
      return readCache(this.cacheFile);
    } catch (e) {
      this.output.warn(`catalog cache not usable: ${e instanceof Error ? e.message : String(e)}`);
      return { cache_version: 1, entries: {} };
    }
  }

  private async startupChecks(): Promise<void> {
    const today = resolveAsOf(undefined);
    const cache = this.readCacheQuietly();
    const fetched = Object.values(cache.entries).map((e) => e!.fetched).sort();
    const lastFetch = fetched[fetched.length - 1];
    if (vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('catalog.autoRefresh') !== false && (lastFetch === undefined || addDays(lastFetch, AUTO_REFRESH_DAYS) <= today)) {
      await this.refresh(false);
    }
    let generated: string | undefined;
    try {
      generated = (readBundledParts().parts.catalog?.catalog as { generated?: string } | undefined)?.generated;
    } catch {
      return; // the server reports a broken bundled catalog
    }
    if (!generated) return;
    const age = daysBetween(newestDataDay(generated, this.readCacheQuietly()), today);
    if (age > STALE_AFTER_DAYS && this.context.globalState.get<string>('staleNoticeShownFor') !== generated) {
      await this.context.globalState.update('staleNoticeShownFor', generated);
      const choice = await vscode.window.showInformationMessage(
        `DL Lifecycle: the lifecycle catalog's newest data is ${age} days old. Refresh it from the public sources?`,
        'Refresh Catalog',
      );
      if (choice === 'Refresh Catalog') await this.refresh(true);
    }
  }

  /**
   * Refreshes the catalog cache. A manual refresh shows progress (cancellable) and its outcome;
   * an automatic one only logs. Concurrent calls share one refresh.
   */
  refresh(manual: boolean): Promise<RefreshReport | undefined> {
    if (this.running) return this.running;
    const run = async (token?: vscode.CancellationToken): Promise<RefreshReport | undefined> => {
      const controller = new AbortController();
      token?.onCancellationRequested(() => controller.abort());
      const http = vscode.workspace.getConfiguration('http');
      const proxySetting = (http.get<string>('proxy') ?? '').trim();
      const strictSSL = http.get<boolean>('proxyStrictSSL') !== false;
      let report: RefreshReport;
      try {
        report = await refreshCatalog({
          sources: refreshSourcesFromSettings(),
          cacheFile: this.cacheFile,
          bundled: readBundledParts(),
          today: resolveAsOf(undefined),
          // the editor's http.proxy when set; else the environment's (NO_PROXY honoured per host)
          fetch: (url, options) => fetchText(url, { ...options, proxy: proxySetting || proxyFromEnv(url, process.env), strictSSL, signal: controller.signal }),
        });
      } catch (e) {
        const message = `DL Lifecycle: the catalog cache could not be written: ${e instanceof Error ? e.message : String(e)}`;
        this.output.error(message);
        if (manual) void vscode.window.showErrorMessage(message);
        return undefined;
      }
      for (const u of report.updated) this.output.info(`catalog refresh: ${SOURCE_NAMES[u.source]}: ${u.summary}`);
      for (const f of report.failed) this.output.warn(`catalog refresh: ${f.message}; the last good data stays in force`);
      if (report.written) await this.cacheChanged();
      if (manual) {
        if (report.failed.length === 0) void vscode.window.showInformationMessage(`DL Lifecycle: catalog refreshed (${report.updated.map((u) => SOURCE_NAMES[u.source]).join(', ') || 'nothing to do'}).`);
        else {
          const choice = await vscode.window.showWarningMessage(
            `DL Lifecycle: ${report.failed.length} of ${report.failed.length + report.updated.length} catalog sources could not be refreshed; the last good data stays in force. ${report.failed[0].message}`,
            'Show Output',
          );
          if (choice === 'Show Output') this.output.show(true);
        }
      }
      return report;
    };
    const promise = manual
      ? Promise.resolve(
          vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'DL Lifecycle: refreshing the catalog', cancellable: true }, (_p, token) => run(token)),
        )
      : run();
    this.running = promise.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
