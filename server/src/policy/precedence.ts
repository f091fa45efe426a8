/**
 * Which configuration wins: a policy file, the VS Code settings, the command line. Each source is a
 * {@link ConfigLayer}; layers are listed from the weakest to the strongest and the strongest layer
 * that sets a key decides it:
 * - editor, by default: settings < policy file (a project's policy is shared by everyone on it);
 * - editor with `dlLifecycle.settingsOverridePolicyFile`: policy file < settings;
 * - CLI: policy file < options given on the command line (`--as-of`, `--warning-window`).
 * A rule is decided as a whole by the strongest layer that names it (its escalation comes only from
 * that layer); when that layer gives no severity, the next weaker one that does (else the rule's
 * default) gives it. `exclude` globs never override: they add up.
 */
import type { AnalysisOptions } from '../analysis';
import type { CalendarDay } from '../dates';
import type { SeveritySetting } from '../model';
import type { RuleId } from '../rules/ruleIds';
import type { Settings } from '../settings';
import type { ImageMapping } from './images';
import type { Escalation, Policy, RulePolicy } from './policyFile';

/** What one configuration source sets; absent keys are left to weaker layers. */
export interface ConfigLayer {
  asOf?: CalendarDay;
  warningWindowDays?: number;
  rules?: Partial<Record<RuleId, RulePolicy>>;
  /** `[[images]]` mappings (only a policy file has them). */
  imageMappings?: readonly ImageMapping[];
}

/** A policy file as a layer. */
export function policyLayer(policy: Policy | undefined): ConfigLayer {
  if (!policy) return {};
  const layer: ConfigLayer = { asOf: policy.asOf, warningWindowDays: policy.warningWindowDays, rules: policy.rules };
  if (policy.images.length > 0) layer.imageMappings = policy.images;
  return layer;
}

/**
 * VS Code settings as a layer: `asOf` when set, the warning window always (the setting has a value,
 * 90 unless changed), and the rules listed in `dlLifecycle.rules`.
 */
export function settingsLayer(settings: Settings): ConfigLayer {
  const rules: Partial<Record<RuleId, RulePolicy>> = {};
  for (const [id, severity] of Object.entries(settings.severities) as Array<[RuleId, SeveritySetting]>) rules[id] = { severity };
  return { asOf: settings.asOf, warningWindowDays: settings.warningWindowDays, rules };
}

/** The layers of the editor, weakest first: the policy file wins unless the settings say they override it. */
export function editorLayers(settings: Settings, policy: Policy | undefined): ConfigLayer[] {
  const s = settingsLayer(settings);
  const p = policyLayer(policy);
  return settings.settingsOverridePolicyFile ? [p, s] : [s, p];
}

/**
 * Merges layers (weakest first) into the options of one analysis.
 * @param today the evaluation day when no layer sets `asOf` (UTC calendar day)
 * @param defaultWindow the warning window when no layer sets one (days)
 */
export function mergeLayers(layers: readonly ConfigLayer[], today: CalendarDay, defaultWindow: number): AnalysisOptions & { escalations: Partial<Record<RuleId, Escalation>> } {
  let asOf = today;
  let warningWindowDays = defaultWindow;
  let imageMappings: readonly ImageMapping[] | undefined;
  const severities: Partial<Record<RuleId, SeveritySetting>> = {};
  const escalations: Partial<Record<RuleId, Escalation>> = {};
  for (const layer of layers) {
    if (layer.asOf !== undefined) asOf = layer.asOf;
    if (layer.warningWindowDays !== undefined) warningWindowDays = layer.warningWindowDays;
    if (layer.imageMappings !== undefined) imageMappings = layer.imageMappings;
    for (const [id, rule] of Object.entries(layer.rules ?? {}) as Array<[RuleId, RulePolicy]>) {
      if (rule.severity !== undefined) severities[id] = rule.severity;
      if (rule.escalation) escalations[id] = rule.escalation;
      else delete escalations[id];
    }
  }
  return { asOf, warningWindowDays, severities, escalations, ...(imageMappings ? { imageMappings } : {}) };
}
