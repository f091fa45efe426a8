/**
 * Rule ids, their default severities and documentation pages. Shared by the server, the CLI and
 * the VS Code client (settings schema), so every side uses the same names.
 */
import type { ReferenceKind, Severity, SeveritySetting } from '../model';

export const RULES = {
  'end-of-patch': { defaultSeverity: 'warning', summary: 'The framework version is past its end-of-patch date.', since: 'the end-of-patch date' },
  'end-of-patch-soon': { defaultSeverity: 'information', summary: 'The framework version reaches end of patch within the warning window.' },
  'superseded-patch': {
    defaultSeverity: 'hint',
    defaultSeverityFor: { 'container-image': 'warning' },
    summary: 'A later patch release of the same framework version exists (for images: has images).',
    since: 'the release date of the later patch',
  },
  'unsupported-version': { defaultSeverity: 'warning', summary: 'The framework version is not in the support table and no end-of-patch date is known.' },
  'unknown-version': { defaultSeverity: 'hint', summary: 'The catalog does not know this version yet; refresh the catalog.' },
  unpinned: {
    defaultSeverity: 'off',
    // a notebook shell line whose unquoted `>=` the shell took as a redirect is a mistake, not a choice
    defaultSeverityFor: { 'container-image': 'hint', dlami: 'hint', 'shell-redirect': 'warning' },
    summary: 'The framework package, image (`:latest`, no tag) or DLAMI filter names no version, so nothing can be evaluated.',
  },
  discontinued: { defaultSeverity: 'warning', summary: 'The framework, accelerator, service or DLAMI family behind the reference is retired.', since: 'the date the thing was retired' },
  'python-end-of-life': { defaultSeverity: 'warning', summary: 'The Python an image or environment is built on is past its end of life.', since: 'the Python version\'s end of life' },
  'os-end-of-life': { defaultSeverity: 'warning', summary: 'The OS an image or DLAMI is built on is past its end of standard support.', since: 'the OS release\'s end of life' },
  'legacy-image': { defaultSeverity: 'warning', summary: 'An image from a legacy repository or the legacy registry accounts.' },
  'image-not-published': { defaultSeverity: 'information', summary: 'The catalog lists no such tag for the DLC repository.' },
  'registry-region-mismatch': { defaultSeverity: 'error', summary: 'The ECR account in the image URI does not serve DLC images in that region.' },
  'pinned-ami-build': { defaultSeverity: 'information', summary: 'A DLAMI name or filter pinned to one dated build instead of the newest build.' },
  'unused-suppression': { defaultSeverity: 'hint', summary: 'A dl-lifecycle suppression comment that suppresses nothing.' },
  'anaconda-channel': { defaultSeverity: 'information', summary: 'A conda environment installs from Anaconda\'s repository (`defaults`, `anaconda`, or no `channels:`); DLAMIs moved to conda-forge.' },
  'neuron-conda-package': {
    defaultSeverity: 'warning',
    summary: 'A Neuron package installed from conda: Neuron conda packages ended with Neuron 1.14.0 (1.13.0 was the last with them).',
    since: 'the day the end of Neuron conda packages was announced',
  },
  'neuron-end-of-support': {
    defaultSeverity: 'warning',
    summary: 'The Neuron SDK release, Neuron package, framework version, Python or OS a Neuron reference uses has reached end of support under a Neuron announcement.',
    since: 'the day the end of support took effect (the day of the first release without support)',
  },
  'neuron-end-of-support-announced': { defaultSeverity: 'information', summary: 'Neuron has announced an end of support for what a Neuron reference uses; it has not taken effect yet (policy Phase 2).' },
  'neuron-sdk-outdated': {
    defaultSeverity: 'information',
    summary: 'The Neuron SDK release of a Neuron reference is more than 12 months old and newer releases exist; Neuron recommends the latest release.',
    since: 'the day the release turned 12 months (365 days) old',
  },
  'neuron-mixed-releases': { defaultSeverity: 'warning', summary: 'The Neuron packages of one file belong to no common Neuron SDK release, or a Neuron framework build disagrees with the framework pin of the same file.' },
  'unresolved-reference': { defaultSeverity: 'hint', summary: 'Something that looks like a reference could not be read, e.g. an image assembled from an ARG without a default; it is not judged.' },
} as const satisfies Record<string, { defaultSeverity: SeveritySetting; defaultSeverityFor?: Partial<Record<SeverityClass, SeveritySetting>>; summary: string; since?: string }>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(id: string): id is RuleId {
  return RULE_ID_SET.has(id);
}
const RULE_ID_SET: ReadonlySet<string> = new Set(Object.keys(RULES));

/**
 * What a default severity can depend on: the reference kind, or `shell-redirect` for a package pin
 * that a shell redirect left unpinned (`!pip install torch>=2.0` in a notebook).
 */
export type SeverityClass = ReferenceKind | 'shell-redirect';

/**
 * The default severity of a rule for a kind of reference: `defaultSeverityFor[kind]` when the rule
 * has one (rules.md: `superseded-patch` is a warning for images and a hint for package pins;
 * `unpinned` is a hint for images and DLAMIs, off for package pins, and a warning for a pin a shell
 * redirect left unpinned), else `defaultSeverity`.
 * `defaultSeverity` is the one documented first and validated by the docs test.
 */
export function defaultSeverityOf(rule: RuleId, kind?: SeverityClass): SeveritySetting {
  const r: { defaultSeverity: SeveritySetting; defaultSeverityFor?: Partial<Record<SeverityClass, SeveritySetting>> } = RULES[rule];
  return (kind !== undefined ? r.defaultSeverityFor?.[kind] : undefined) ?? r.defaultSeverity;
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
