/**
 * The DL Lifecycle status bar item: the workspace's errors + warnings, a tooltip with every count,
 * the scope and the catalog date, the warning background when the catalog is stale; a click opens
 * the report (`dlLifecycle.showReport`). Content from {@link statusBarText}.
 */
import * as vscode from 'vscode';
import type { WorkspaceSummary } from '../../server/src/settings';
import { COMMANDS } from '../../server/src/settings';
import { statusBarText } from './statusBarText';

/** The status bar item (id {@link LifecycleStatusBar.id}, right side, priority 100), hidden until the first summary. */
export class LifecycleStatusBar implements vscode.Disposable {
  /** Status bar item id (users can hide it by this id). */
  static readonly id = 'dlLifecycle.status';
  private readonly item: vscode.StatusBarItem;
  /** The summary shown, undefined before the first {@link update}. */
  summary: WorkspaceSummary | undefined;

  /** Creates the (hidden) item on the right, priority 100; disposed with the extension. */
  constructor(context: vscode.ExtensionContext) {
    this.item = vscode.window.createStatusBarItem(LifecycleStatusBar.id, vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'DL Lifecycle';
    this.item.command = COMMANDS.showReport;
    context.subscriptions.push(this);
  }

  /** Shows the summary (and the item, which stays hidden until the first update). */
  update(summary: WorkspaceSummary): void {
    this.summary = summary;
    const content = statusBarText(summary);
    this.item.text = content.text;
    const tooltip = new vscode.MarkdownString(content.tooltip, true);
    tooltip.isTrusted = { enabledCommands: [COMMANDS.showReport, COMMANDS.refreshCatalog] };
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: content.accessibilityLabel, role: 'button' };
    this.item.backgroundColor = content.stale ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
