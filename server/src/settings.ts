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
export const COMMANDS = { showOutput: 'dlLifecycle.showOutput', refreshCatalog: 'dlLifecycle.refreshCatalog' } as const;
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
}

export const DEFAULT_SETTINGS: Settings = { asOf: undefined, warningWindowDays: 90, severities: {}, settingsOverridePolicyFile: false };

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
  const notebooks = r.notebooks as Record<string, unknown> | null | undefined;
  if (notebooks !== undefined && notebooks !== null) {
    const scan = typeof notebooks === 'object' ? notebooks.scanMarkdown : undefined;
    if (typeof scan === 'boolean') settings.scanNotebookMarkdown = scan;
    else if (typeof notebooks !== 'object' || (scan !== undefined && scan !== null)) {
      problems.push(`${SETTINGS_SECTION}.notebooks.scanMarkdown must be true or false (got ${JSON.stringify(scan ?? notebooks)}); using false`);
    }
  }
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
