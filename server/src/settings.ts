/**
 * Settings and identifiers shared by the VS Code client, the language server and the CLI
 * (declared once; both sides import this module).
 */
import { isCalendarDay } from './dates';
import type { SeveritySetting } from './model';
import type { RuleId } from './rules/ruleIds';
import { isRuleId, isSeveritySetting } from './rules/ruleIds';

/** The configuration section, `dlLifecycle.*` in VS Code settings. */
export const SETTINGS_SECTION = 'dlLifecycle';
/** Command ids contributed by the extension. */
export const COMMANDS = {
  showOutput: 'dlLifecycle.showOutput',
  refreshCatalog: 'dlLifecycle.refreshCatalog',
  scanWorkspace: 'dlLifecycle.scanWorkspace',
  showReport: 'dlLifecycle.showReport',
} as const;
/** Client → server request: scan the workspace folders (params {@link ScanWorkspaceParams}); answers {@link ScanWorkspaceResult}. */
export const SCAN_WORKSPACE_REQUEST = 'dlLifecycle/scanWorkspace';
/** Client → server request: the workspace report (no params); answers a `WorkspaceReport` (server/src/report/workspaceReport.ts). */
export const REPORT_REQUEST = 'dlLifecycle/report';
/** Server → client notification: the workspace's finding counts and catalog date changed ({@link WorkspaceSummary}). */
export const SUMMARY_NOTIFICATION = 'dlLifecycle/summary';

/** Parameters of {@link SCAN_WORKSPACE_REQUEST}. */
export interface ScanWorkspaceParams {
  /** `files.exclude` globs that are on (VS Code's setting, relative to each workspace folder). */
  exclude: string[];
  /** `startup`: the automatic scan at start, which is skipped above `dlLifecycle.workspaceScan.maxFiles`. */
  reason: 'command' | 'startup';
}

/** Answer of {@link SCAN_WORKSPACE_REQUEST}. */
export interface ScanWorkspaceResult {
  /** Files analysed (open documents count once, with their editor text). */
  files: number;
  /** Files of known kinds found; above `maxFiles` a start-up scan reads none of them. */
  found: number;
  cancelled: boolean;
  /** Why the scan did not run (`tooManyFiles` at start-up, `noCatalog`), if it did not. */
  skipped?: 'tooManyFiles' | 'noCatalog';
  /** Files left out, with why (over the size limit, binary, unreadable). */
  notes: Array<{ path: string; message: string }>;
}

/** Counts of the findings in the workspace (open documents and scanned files), by severity, and the catalog in force. */
export interface WorkspaceSummary {
  error: number;
  warning: number;
  information: number;
  hint: number;
  /** Whether a workspace scan has run (else the counts are those of open documents only). */
  scanned: boolean;
  catalogGenerated?: string;
  /** The catalog's newest data is older than the refresh's stale limit. */
  catalogStale: boolean;
}
/** Server notification: the catalog cache changed; reload the catalog and re-check open documents. */
export const CATALOG_CHANGED_NOTIFICATION = 'dlLifecycle/catalogCacheChanged';
/** Name of the output channel the client and server log to. */
export const OUTPUT_CHANNEL = 'DL Lifecycle';
/** The `source` of every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'dl-lifecycle';

/** Settings as the rules use them. */
export interface Settings {
  /** Fixed evaluation day, or undefined for today. */
  asOf?: string;
  warningWindowDays: number;
  severities: Partial<Record<RuleId, SeveritySetting>>;
  /**
   * `dlLifecycle.settingsOverridePolicyFile`: when true these settings win over a policy file's
   * `as-of`, `warning-window-days` and `[rules]`; when false (default) the policy file wins for the
   * keys it sets (policy/precedence.ts).
   */
  settingsOverridePolicyFile: boolean;
  /** `dlLifecycle.notebooks.scanMarkdown`: read Markdown cells of notebooks for DLC image URIs and DLAMI names; absent means false. */
  scanNotebookMarkdown?: boolean;
  /**
   * `dlLifecycle.textFiles.enabled`: search shell scripts, Makefiles and Markdown files open in the
   * editor for DLC image URIs, DLAMI names and SSM paths (the generic file kinds); absent means false.
   */
  scanTextFiles?: boolean;
  /** `dlLifecycle.workspaceScan.onStartup`: scan the workspace when the server starts (default true). */
  scanWorkspaceOnStartup: boolean;
  /** `dlLifecycle.workspaceScan.maxFiles`: above this many files of known kinds the start-up scan is skipped with a notice (default 5,000). */
  workspaceScanMaxFiles: number;
  /** `dlLifecycle.maxFileSize`: files larger than this many MB are not analysed, by the workspace scan or open (default 2). */
  maxFileSizeMb: number;
  /** `dlLifecycle.inlayHints.enabled`: an end-of-patch date after each framework pin (default false). */
  inlayHints: boolean;
  /** `dlLifecycle.codeLens.enabled`: "supported until D" / "ended D" above each image line (default false). */
  codeLens: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  asOf: undefined,
  warningWindowDays: 90,
  severities: {},
  settingsOverridePolicyFile: false,
  scanWorkspaceOnStartup: true,
  workspaceScanMaxFiles: 5000,
  maxFileSizeMb: 2,
  inlayHints: false,
  codeLens: false,
};

/** `r[group][key]` when it is a boolean; a problem (and undefined) when the group or value has another type; undefined when absent. `fallback` is named in the problem. */
function nestedBoolean(r: Record<string, unknown>, group: string, key: string, problems: string[], fallback = false): boolean | undefined {
  const g = r[group] as Record<string, unknown> | null | undefined;
  if (g === undefined || g === null) return undefined;
  const v = typeof g === 'object' ? g[key] : undefined;
  if (typeof v === 'boolean') return v;
  if (typeof g !== 'object' || (v !== undefined && v !== null)) problems.push(`${SETTINGS_SECTION}.${group}.${key} must be true or false (got ${JSON.stringify(v ?? g)}); using ${fallback}`);
  return undefined;
}

/**
 * Reads the `dlLifecycle` settings object as the editor sends it. Invalid values are dropped
 * with a problem message each (naming the setting), never thrown; the defaults stay in force.
 */
export function readSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings: Settings = { ...DEFAULT_SETTINGS, severities: {} };
  if (raw === null || raw === undefined) return { settings, problems };
  if (typeof raw !== 'object') return { settings, problems: [`${SETTINGS_SECTION} must be an object`] };
  const r = raw as Record<string, unknown>;
  if (r.asOf !== undefined && r.asOf !== null && r.asOf !== '') {
    if (typeof r.asOf === 'string' && isCalendarDay(r.asOf.trim())) settings.asOf = r.asOf.trim();
    else problems.push(`${SETTINGS_SECTION}.asOf must be a calendar day YYYY-MM-DD (got ${JSON.stringify(r.asOf)}); using today`);
  }
  if (r.warningWindowDays !== undefined && r.warningWindowDays !== null) {
    const n = r.warningWindowDays;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) settings.warningWindowDays = n;
    else problems.push(`${SETTINGS_SECTION}.warningWindowDays must be a whole number of days ≥ 0 (got ${JSON.stringify(n)}); using 90`);
  }
  if (r.settingsOverridePolicyFile !== undefined && r.settingsOverridePolicyFile !== null) {
    if (typeof r.settingsOverridePolicyFile === 'boolean') settings.settingsOverridePolicyFile = r.settingsOverridePolicyFile;
    else problems.push(`${SETTINGS_SECTION}.settingsOverridePolicyFile must be true or false (got ${JSON.stringify(r.settingsOverridePolicyFile)}); using false`);
  }
  const scanMarkdown = nestedBoolean(r, 'notebooks', 'scanMarkdown', problems);
  if (scanMarkdown !== undefined) settings.scanNotebookMarkdown = scanMarkdown;
  const scanText = nestedBoolean(r, 'textFiles', 'enabled', problems);
  if (scanText !== undefined) settings.scanTextFiles = scanText;
  const onStartup = nestedBoolean(r, 'workspaceScan', 'onStartup', problems, true);
  if (onStartup !== undefined) settings.scanWorkspaceOnStartup = onStartup;
  const maxFiles = (r.workspaceScan as Record<string, unknown> | null | undefined)?.maxFiles;
  if (maxFiles !== undefined && maxFiles !== null) {
    if (typeof maxFiles === 'number' && Number.isInteger(maxFiles) && maxFiles >= 0) settings.workspaceScanMaxFiles = maxFiles;
    else problems.push(`${SETTINGS_SECTION}.workspaceScan.maxFiles must be a whole number ≥ 0 (got ${JSON.stringify(maxFiles)}); using 5000`);
  }
  if (r.maxFileSize !== undefined && r.maxFileSize !== null) {
    if (typeof r.maxFileSize === 'number' && r.maxFileSize > 0) settings.maxFileSizeMb = r.maxFileSize;
    else problems.push(`${SETTINGS_SECTION}.maxFileSize must be a positive number of MB (got ${JSON.stringify(r.maxFileSize)}); using 2`);
  }
  const inlay = nestedBoolean(r, 'inlayHints', 'enabled', problems);
  if (inlay !== undefined) settings.inlayHints = inlay;
  const lens = nestedBoolean(r, 'codeLens', 'enabled', problems);
  if (lens !== undefined) settings.codeLens = lens;
  if (r.rules !== undefined && r.rules !== null) {
    if (typeof r.rules !== 'object') problems.push(`${SETTINGS_SECTION}.rules must be an object`);
    else {
      for (const [id, value] of Object.entries(r.rules as Record<string, unknown>)) {
        if (!isRuleId(id)) {
          problems.push(`${SETTINGS_SECTION}.rules: unknown rule '${id}'`);
          continue;
        }
        const sev = typeof value === 'string' ? value : (value as { severity?: unknown } | null)?.severity;
        if (isSeveritySetting(sev)) settings.severities[id] = sev;
        else problems.push(`${SETTINGS_SECTION}.rules.${id}.severity must be one of off, hint, information, warning, error`);
      }
    }
  }
  return { settings, problems };
}
