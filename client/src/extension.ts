/**
 * The VS Code side of dl-lifecycle: starts the bundled language server (dist/server.js) over
 * Node IPC for requirements files and policy files, watches policy files on disk, and contributes
 * the "DL Lifecycle: Show Output" command.
 * All analysis happens in the server; this file is glue only.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { LanguageClient, RevealOutputChannelOn, TransportKind } from 'vscode-languageclient/node';
import { CATALOG_CHANGED_NOTIFICATION, COMMANDS, OUTPUT_CHANNEL, SETTINGS_SECTION } from '../../server/src/settings';
import { CatalogRefresher } from './catalogRefresh';
import { DOCUMENT_SELECTOR } from './selector';

let client: LanguageClient | undefined;

/** Policy files the server re-reads when they change on disk (workspace/didChangeWatchedFiles). */
export const POLICY_FILE_GLOBS = ['**/.dl-lifecycle.toml', '**/pyproject.toml'];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show(true)));

  const refresher = new CatalogRefresher(context, output, async () => {
    await client?.sendNotification(CATALOG_CHANGED_NOTIFICATION);
  });

  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: POLICY_FILE_GLOBS.map((glob) => {
        const watcher = vscode.workspace.createFileSystemWatcher(glob);
        context.subscriptions.push(watcher);
        return watcher;
      }),
    },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: { settings: vscode.workspace.getConfiguration(SETTINGS_SECTION), catalogCacheFile: refresher.cacheFile },
  };
  client = new LanguageClient('dlLifecycle', 'DL Lifecycle', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    output.appendLine(`The DL Lifecycle language server could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  refresher.start();
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
