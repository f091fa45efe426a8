/**
 * The "DL Lifecycle Report" editor panel: one webview panel showing the workspace report
 * ({@link renderReportHtml}), with its location links (open the document at the reference),
 * Markdown/CSV export (save dialog, then `workspace.fs.writeFile`) and "Scan workspace again".
 * The report comes from a {@link ReportSource} (the language server's report request); this
 * module knows nothing of the language client.
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceReport } from '../../../server/src/report/workspaceReport';
import type { ExportFormat, ReportMessage } from './messages';
import { EXPORTS, parseReportMessage, reportUris } from './messages';
import type { ReportHtmlOptions } from './reportHtml';
import { renderMessageHtml, renderReportHtml } from './reportHtml';

/** Where the panel gets its data: the report (null/undefined when none can be built, e.g. no catalog) and a workspace rescan. */
export interface ReportSource {
  fetch(): Promise<WorkspaceReport | null | undefined>;
  rescan(): Promise<void>;
}

/** The single report panel. Create or reveal it with {@link ReportPanel.show}. */
export class ReportPanel {
  /** The webview panel's view type. */
  static readonly viewType = 'dlLifecycle.report';
  private static instance: ReportPanel | undefined;

  /** The open report panel, if any. */
  static get current(): ReportPanel | undefined {
    return ReportPanel.instance;
  }

  /** The report shown (what exports write), undefined before the first successful fetch. */
  lastReport: WorkspaceReport | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly mediaRoot: vscode.Uri;
  /** Render generation: a fetch that finished after a newer one started is dropped. */
  private generation = 0;
  private disposed = false;
  /** JSON of the report the webview shows, undefined while it shows a message. */
  private shown: string | undefined;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private source: ReportSource,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw), undefined, this.disposables);
  }

  /**
   * Creates the panel (in the active editor column) or reveals the open one, then fetches and
   * renders the report. Resolves when the first render is done; fetch errors are shown in the panel.
   */
  static async show(context: vscode.ExtensionContext, source: ReportSource): Promise<ReportPanel> {
    const open = ReportPanel.instance;
    if (open) {
      open.source = source;
      open.panel.reveal();
      await open.refresh();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(ReportPanel.viewType, 'DL Lifecycle Report', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
      retainContextWhenHidden: false,
    });
    const created = new ReportPanel(panel, context, source);
    ReportPanel.instance = created;
    context.subscriptions.push({ dispose: () => created.dispose() });
    created.panel.webview.html = renderMessageHtml('DL Lifecycle Report', 'Building the report…', created.htmlOptions());
    await created.refresh();
    return created;
  }

  /** Fetches the report again and re-renders the panel (the previous report stays in {@link lastReport} if the fetch fails). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    let report: WorkspaceReport | null | undefined;
    try {
      report = await this.source.fetch();
    } catch (e) {
      if (this.stale(generation)) return;
      this.shown = undefined;
      this.panel.webview.html = renderMessageHtml('The report could not be built', e instanceof Error ? e.message : String(e), { ...this.htmlOptions(), retry: true });
      return;
    }
    if (this.stale(generation)) return;
    if (!report) {
      this.shown = undefined;
      this.panel.webview.html = renderMessageHtml('No report yet', 'The DL Lifecycle language server has no catalog loaded or is still starting. See DL Lifecycle: Show Output.', { ...this.htmlOptions(), retry: true });
      return;
    }
    // the server sends a summary after every change; an unchanged report is not re-rendered (no flicker, focus kept)
    const shown = JSON.stringify(report);
    this.lastReport = report;
    if (shown === this.shown) {
      void this.panel.webview.postMessage({ type: 'idle' });
      return;
    }
    this.shown = shown;
    this.panel.webview.html = renderReportHtml(report, this.htmlOptions());
  }

  /** Closes the panel. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ReportPanel.instance === this) ReportPanel.instance = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private stale(generation: number): boolean {
    return this.disposed || generation !== this.generation;
  }

  /** A fresh nonce and the webview URIs of the media files, for one render. */
  private htmlOptions(): ReportHtmlOptions {
    const webview = this.panel.webview;
    return {
      nonce: randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'report.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'report.css')).toString(),
    };
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message: ReportMessage | undefined = parseReportMessage(raw);
    if (!message) return;
    try {
      switch (message.type) {
        case 'open':
          return await this.open(message.uri, message.line, message.character);
        case 'export':
          return await this.export(message.format);
        case 'rescan':
          await this.source.rescan();
          return await this.refresh();
        case 'refresh':
          return await this.refresh();
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`DL Lifecycle report: ${e instanceof Error ? e.message : String(e)}`);
      void this.panel.webview.postMessage({ type: 'idle' });
    }
  }

  /** Opens a document the report links to, with the cursor at the 0-based position, beside the report when the report is in the first column. */
  private async open(uri: string, line: number, character: number): Promise<void> {
    // only documents of the report shown: the webview cannot make the editor open anything else
    if (!this.lastReport || !reportUris(this.lastReport).has(uri)) return;
    const position = new vscode.Position(line, character);
    const viewColumn = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(position, position), viewColumn, preview: true });
  }

  /** Asks where to save the report shown, in the format asked, and writes it (UTF-8). */
  private async export(format: ExportFormat): Promise<void> {
    const report = this.lastReport;
    if (!report) return;
    const { fileName, filters, render } = EXPORTS[format];
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : vscode.Uri.file(path.join(homedir(), fileName)), filters, saveLabel: 'Export', title: 'Export DL Lifecycle Report' });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(render(report)));
    const openIt = 'Open';
    void vscode.window.showInformationMessage(`DL Lifecycle report saved to ${vscode.workspace.asRelativePath(target)}.`, openIt).then((choice) => {
      if (choice === openIt) void vscode.window.showTextDocument(target);
    });
  }
}

/**
 * A command handler for `dlLifecycle.showReport`: shows the report panel, and reports a failure
 * as an error message instead of rejecting.
 */
export function showReportCommand(context: vscode.ExtensionContext, source: ReportSource): () => Promise<void> {
  return async () => {
    try {
      await ReportPanel.show(context, source);
    } catch (e) {
      void vscode.window.showErrorMessage(`DL Lifecycle report: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}
