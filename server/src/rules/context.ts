import type { Catalog } from '../catalog/catalog';
import type { CalendarDay } from '../dates';
import type { SeveritySetting } from '../model';
import type { RuleId } from './ruleIds';

/**
 * Everything a rule may use besides the reference: the catalog, the evaluation day and settings.
 * Rules never read the clock; `asOf` is always given.
 */
export interface RuleContext {
  catalog: Catalog;
  /** Evaluation day (UTC calendar day). */
  asOf: CalendarDay;
  /** Days before an end-of-patch date that `end-of-patch-soon` starts to report (default 90, Neuron §End-of-Support Announcement: three months' notice). */
  warningWindowDays: number;
  /** Per-rule severity overrides; absent rules keep their default. */
  severities: Partial<Record<RuleId, SeveritySetting>>;
}

export const DEFAULT_WARNING_WINDOW_DAYS = 90;
