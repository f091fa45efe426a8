/**
 * The VS Code side of dl-lifecycle: starts the bundled language server (dist/server.js) over
 * Node IPC, watches policy files and workspace files on disk, and contributes the commands
 * (Show Output, Refresh Catalog, Scan Workspace, Show Report), the status bar item and the report
 * view. All analysis happens in the server; this file is glue only.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, TransportKind } from 'vscode-languageclient/node';
import type { WorkspaceReport } from '../../server/src/report/workspaceReport';
import type { ScanWorkspaceParams, ScanWorkspaceResult, WorkspaceSummary } from '../../server/src/settings';
import { CATALOG_CHANGED_NOTIFICATION, COMMANDS, OUTPUT_CHANNEL, REPORT_REQUEST, SCAN_WORKSPACE_REQUEST, SETTINGS_SECTION, SUMMARY_NOTIFICATION } from '../../server/src/settings';
import { SERVER_ENV, SERVER_NODE_OPTIONS } from '../../server/src/workspace/serverProcess';
import { CatalogRefresher } from './catalogRefresh';
import { ReportPanel } from './report/reportPanel';
import { DOCUMENT_SELECTOR } from './selector';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy } from './restartPolicy';
import { LifecycleStatusBar } from './statusBar';
import { statusBarText } from './statusBarText';

/** When this module was evaluated. */
const loadedAt = performance.now();
let client: LanguageClient | undefined;
/** Settles when the language server has started or failed to; requests wait for it. */
let clientReady: Promise<void> = Promise.resolve();

/** Policy files the server re-reads when they change on disk (workspace/didChangeWatchedFiles). */
export const POLICY_FILE_GLOBS = ['**/.dl-lifecycle.toml', '**/pyproject.toml'];
/** Workspace files: after a workspace scan, the server analyses an unopened file again when it changes on disk. */
export const WORKSPACE_FILE_GLOB = '**/*';
/** Workspace state key: the notice that the start-up scan was skipped for a large workspace was shown. */
const TOO_MANY_FILES_NOTICE = 'dlLifecycle.startupScanSkippedNoticeShown';

/** The workspace's last summary from the server, for the status bar and the report command. */
let lastSummary: WorkspaceSummary | undefined;

/**
 * What `activate` returns (`vscode.extensions.getExtension('dl-lifecycle.dl-lifecycle').exports`):
 * read-only views of what the extension shows, for other extensions and the end-to-end tests.
 */
export interface DlLifecycleApi {
  /** The workspace report as the server builds it now (what the report view shows). */
  report(): Promise<WorkspaceReport>;
  /** The report the open report view shows, if one is open. */
  shownReport(): WorkspaceReport | undefined;
  /** The last workspace summary (finding counts, catalog date), undefined before the first. */
  summary(): WorkspaceSummary | undefined;
  /** The status bar item's text and tooltip (Markdown), undefined before the first summary. */
  statusBar(): { text: string; tooltip: string } | undefined;
  /** Milliseconds `activate` took (the server starts after it, in the background). */
  activationMs: number;
  /** Milliseconds from the extension's module being evaluated to the end of `activate`. */
  sinceModuleLoadMs: number;
  /** Settles when the language server has started (or failed to start). */
  ready: Promise<void>;
}

/** VS Code's `files.exclude` globs that are on (a `{ when }` condition counts as on; the walk has no sibling test). */
function filesExclude(): string[] {
  const value = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(value)
    .filter(([, on]) => on === true || (typeof on === 'object' && on !== null))
    .map(([glob]) => glob);
}

/** Asks the server to scan the workspace folders; resolves to its answer (undefined when the server is not running). */
async function scanWorkspace(reason: ScanWorkspaceParams['reason']): Promise<ScanWorkspaceResult | undefined> {
  await clientReady;
  if (!client?.isRunning()) return undefined;
  const params: ScanWorkspaceParams = { exclude: filesExclude(), reason };
  return client.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, params);
}

export async function activate(context: vscode.ExtensionContext): Promise<DlLifecycleApi> {
  const activateStart = performance.now();
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show(true)));
  const statusBar = new LifecycleStatusBar(context);

  const refresher = new CatalogRefresher(context, output, async () => {
    await client?.sendNotification(CATALOG_CHANGED_NOTIFICATION);
  });

  const api: DlLifecycleApi = {
    report: () => reportSource.fetch(),
    shownReport: () => ReportPanel.current?.lastReport,
    summary: () => lastSummary,
    statusBar: () => (statusBar.summary ? statusBarText(statusBar.summary) : undefined),
    activationMs: 0,
    sinceModuleLoadMs: 0,
    get ready() {
      return clientReady;
    },
  };
  const reportSource = {
    fetch: async (): Promise<WorkspaceReport> => {
      await clientReady;
      const report = client?.isRunning() ? await client.sendRequest<WorkspaceReport | null>(REPORT_REQUEST) : null;
      if (!report) throw new Error('the DL Lifecycle language server is not running or has no catalog; see the output channel');
      return report;
    },
    rescan: async (): Promise<void> => {
      await scanWorkspace('command');
    },
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.scanWorkspace, async () => {
      const result = await scanWorkspace('command');
      if (result?.skipped === 'noCatalog') void vscode.window.showErrorMessage('DL Lifecycle: no catalog is loaded; see the output channel.');
      else if (result && result.notes.length) output.info(`Workspace scan: ${result.notes.length} files skipped (see above).`);
      return result;
    }),
    vscode.commands.registerCommand(COMMANDS.showReport, async () => {
      // the report covers unopened files once the workspace has been scanned
      if (!lastSummary?.scanned && vscode.workspace.workspaceFolders?.length) await scanWorkspace('command');
      return ReportPanel.show(context, reportSource);
    }),
  );

  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    // the server's Node options (memory: full GCs after a workspace scan) are shared with the benchmarks
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS], env: { ...process.env, ...SERVER_ENV } } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6019'], env: { ...process.env, ...SERVER_ENV } } },
  };
  const watcher = (glob: string) => {
    const w = vscode.workspace.createFileSystemWatcher(glob);
    context.subscriptions.push(w);
    return w;
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: [...POLICY_FILE_GLOBS.map(watcher), watcher(WORKSPACE_FILE_GLOB)],
    },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: { settings: vscode.workspace.getConfiguration(SETTINGS_SECTION), catalogCacheFile: refresher.cacheFile },
    errorHandler: {
      // a request that fails is not a reason to stop the server; a server that keeps failing is
      error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
      closed: () => {
        const { restart, crashes } = restarts.onCrash(Date.now());
        if (restart) {
          output.warn(`The DL Lifecycle language server stopped unexpectedly; restarting it (${crashes} of at most ${MAX_RESTARTS} restarts in ${RESTART_WINDOW_MS / 60000} minutes).`);
          return { action: CloseAction.Restart, handled: true };
        }
        return { action: CloseAction.DoNotRestart, message: `The DL Lifecycle language server stopped ${crashes} times in ${RESTART_WINDOW_MS / 60000} minutes and will not be restarted. See the output (DL Lifecycle: Show Output); reload the window to try again.` };
      },
    },
  };
  const restarts = new RestartPolicy();
  client = new LanguageClient('dlLifecycle', 'DL Lifecycle', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification(SUMMARY_NOTIFICATION, (summary: WorkspaceSummary) => {
      lastSummary = summary;
      statusBar.update(summary);
      void ReportPanel.current?.refresh();
    }),
  );
  // the server starts in the background: activation does not wait for it (the start-up scan does)
  const started = client;
  clientReady = started.start().then(
    () => {
      refresher.start();
      if (vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('workspaceScan.onStartup', true) && vscode.workspace.workspaceFolders?.length) {
        void startupScan(context, output);
      }
    },
    (e: unknown) => {
      output.error(`The DL Lifecycle language server could not start: ${e instanceof Error ? e.message : String(e)}`);
      refresher.start();
    },
  );
  api.activationMs = performance.now() - activateStart;
  api.sinceModuleLoadMs = performance.now() - loadedAt;
  output.info(`activated in ${api.activationMs.toFixed(1)} ms (${api.sinceModuleLoadMs.toFixed(1)} ms since the module was loaded)`);
  return api;
}

/** The start-up scan; when the workspace is over the file limit, a notice once per workspace offers the command. */
async function startupScan(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
  let result: ScanWorkspaceResult | undefined;
  try {
    result = await scanWorkspace('startup');
  } catch (e) {
    output.error(`Workspace scan failed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (result?.skipped !== 'tooManyFiles' || context.workspaceState.get(TOO_MANY_FILES_NOTICE)) return;
  await context.workspaceState.update(TOO_MANY_FILES_NOTICE, true);
  const limit = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>('workspaceScan.maxFiles', 5000);
  const choice = await vscode.window.showInformationMessage(
    `DL Lifecycle did not scan this workspace at start-up: it has ${result.found} files of the kinds it reads (limit ${limit}, dlLifecycle.workspaceScan.maxFiles). Open files are still checked.`,
    'Scan Workspace',
  );
  if (choice === 'Scan Workspace') await vscode.commands.executeCommand(COMMANDS.scanWorkspace);
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
