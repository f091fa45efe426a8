/**
 * Rule ids, their default severities and documentation pages. Shared by the server, the CLI and
 * the VS Code client (settings schema), so every side uses the same names.
 */
import type { Severity, SeveritySetting } from '../model';

export const RULES = {
  'end-of-patch': { defaultSeverity: 'warning', summary: 'The framework version is past its end-of-patch date.', since: 'the end-of-patch date' },
  'end-of-patch-soon': { defaultSeverity: 'information', summary: 'The framework version reaches end of patch within the warning window.' },
  'superseded-patch': { defaultSeverity: 'hint', summary: 'A later patch release of the same framework version exists.', since: 'the release date of the later patch' },
  'unsupported-version': { defaultSeverity: 'warning', summary: 'The framework version is not in the support table and no end-of-patch date is known.' },
  'unknown-version': { defaultSeverity: 'hint', summary: 'The catalog does not know this version yet; refresh the catalog.' },
  unpinned: { defaultSeverity: 'off', summary: 'The framework package is not pinned, so nothing can be evaluated.' },
  discontinued: { defaultSeverity: 'warning', summary: 'The framework itself is retired.', since: 'the date the framework was retired' },
  'unused-suppression': { defaultSeverity: 'hint', summary: 'A dl-lifecycle suppression comment that suppresses nothing.' },
} as const satisfies Record<string, { defaultSeverity: SeveritySetting; summary: string; since?: string }>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}

/**
 * Rules whose findings carry the day their condition started (`Finding.since`), so that a policy
 * file can escalate them some days after it; `since` in {@link RULES} names that day.
 */
export const DATED_RULE_IDS = RULE_IDS.filter((id) => 'since' in RULES[id]);
export function isDatedRule(id: string): boolean {
  return isRuleId(id) && 'since' in RULES[id];
}

/** Where a rule's page lives in the repository (linked from diagnostics through `codeDescription`). */
export const DOCS_BASE = 'https://github.com/dl-lifecycle/dl-lifecycle/blob/main/docs/rules/';
export function ruleDocsUrl(rule: string): string {
  return `${DOCS_BASE}${rule}.md`;
}

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'information', 'warning', 'error'];
export function isSeveritySetting(s: unknown): s is SeveritySetting {
  return typeof s === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(s);
}
export type { Severity, SeveritySetting };
