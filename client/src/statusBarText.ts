/**
 * What the DL Lifecycle status bar item says for a {@link WorkspaceSummary}: its text, its
 * Markdown tooltip and whether the catalog is stale. Pure (no `vscode` import), so that it runs
 * under plain Node; `statusBar.ts` puts it on the item.
 */
import type { WorkspaceSummary } from '../../server/src/settings';
import { COMMANDS } from '../../server/src/settings';

/** The status bar item's content. */
export interface StatusBarContent {
  /** Item text with a codicon: `$(error) DL Lifecycle: 3`, `$(warning) DL Lifecycle: 2` (errors + warnings), `$(check) DL Lifecycle` when there are none. */
  text: string;
  /** Markdown: counts per severity, scope (whole workspace or open files), catalog date, and links to the report and (when stale) the catalog refresh. */
  tooltip: string;
  /** What a screen reader says for the item (the text without codicons, spelled out). */
  accessibilityLabel: string;
  /** The catalog in force is older than the refresh's stale limit (the item then gets the warning background). */
  stale: boolean;
}

/** `1 error`, `2 warnings`, `3 information`, `1 hint`. */
function count(n: number, word: 'error' | 'warning' | 'information' | 'hint'): string {
  return `${n} ${word === 'information' || n === 1 ? word : `${word}s`}`;
}

/** Characters that Markdown would read as emphasis, code, links or HTML, backslash-escaped. */
function mdEscape(s: string): string {
  return s.replace(/[\\`*_{}[\]()|<>]/g, '\\$&');
}

/**
 * The status bar content for a summary. The number shown is errors + warnings (the findings that
 * need action); information and hints are only in the tooltip.
 */
export function statusBarText(summary: WorkspaceSummary): StatusBarContent {
  const serious = summary.error + summary.warning;
  const icon = summary.error > 0 ? '$(error)' : serious > 0 ? '$(warning)' : '$(check)';
  const text = serious > 0 ? `${icon} DL Lifecycle: ${serious}` : `${icon} DL Lifecycle`;
  const scope = summary.scanned ? 'whole workspace scanned' : 'open files only (the workspace has not been scanned)';
  const counts = `${count(summary.error, 'error')}, ${count(summary.warning, 'warning')}, ${count(summary.information, 'information')}, ${count(summary.hint, 'hint')}`;
  const catalog = summary.catalogGenerated
    ? `Catalog dated ${mdEscape(summary.catalogGenerated)}${summary.catalogStale ? ` — stale: run [DL Lifecycle: Refresh Catalog](command:${COMMANDS.refreshCatalog})` : ''}`
    : 'No catalog loaded';
  const tooltip = [`**DL Lifecycle** — ${scope}`, '', counts, '', catalog, '', `[Show the report](command:${COMMANDS.showReport})`].join('\n');
  const accessibilityLabel = `DL Lifecycle: ${serious > 0 ? `${count(summary.error, 'error')}, ${count(summary.warning, 'warning')}` : 'no errors or warnings'}${summary.catalogStale ? '; catalog stale' : ''}`;
  return { text, tooltip, accessibilityLabel, stale: summary.catalogStale };
}
