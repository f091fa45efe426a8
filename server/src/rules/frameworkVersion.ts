/**
 * Framework-version rules for package pins (rules.md §Framework image rules; DLAMI §When does
 * active support for my framework version end?):
 * `end-of-patch`, `end-of-patch-soon`, `superseded-patch`, `unsupported-version`,
 * `unknown-version`, `discontinued`, and `unpinned`.
 *
 * The unit of support is the framework version `major.minor` (DLAMI §Note). A range is evaluated
 * at the highest known release it allows (rules.md §Versions).
 */
import { compare, explain, maxSatisfying, valid } from '@renovatebot/pep440';
import type { Framework, FrameworkVersion, PatchRelease } from '../catalog/catalog';
import { compareMinor, minorOf } from '../catalog/catalog';
import type { CalendarDay } from '../dates';
import { addDays, daysBetween, isCalendarDay, toEpochDay } from '../dates';
import { packagePinEdits } from '../fixes/packagePin';
import type { Fact, Finding, Fix, PackagePinReference, Severity, TextEdit } from '../model';
import type { RuleContext } from './context';
import { detached } from '../text';
import * as msg from './messages';
import type { RuleId } from './ruleIds';
import { defaultSeverityOf, RULES } from './ruleIds';

/** What the catalog says about the version a reference resolves to. */
export interface VersionEvaluation {
  framework: Framework;
  /** The release the reference resolves to: the exact pin, or the highest known release a range allows. */
  resolved?: string;
  /** `major.minor` of `resolved`. */
  minor?: string;
  frameworkVersion?: FrameworkVersion;
  /** Why the version cannot be judged (`resolved` may still hold an exact pin newer than the catalog). */
  unresolved?: 'unpinned' | 'unreadable' | 'newer-than-catalog' | 'no-known-release';
  exact: boolean;
  /** For exact pins: the latest known patch of the same framework version, when it is later than the pin. */
  supersededBy?: PatchRelease;
}

/** The public part of a version (`1.13.1+cpu` → `1.13.1`), or undefined when it is not PEP 440. */
function publicVersion(v: string): string | undefined {
  return explain(v)?.public ?? undefined;
}

/**
 * Resolves the version a framework package pin refers to, using the catalog's known releases.
 * Memoised per catalog by subject and specifier (it depends on nothing else).
 */
export function evaluateVersion(ref: PackagePinReference, ctx: RuleContext): VersionEvaluation | undefined {
  const key = `eval\u0000${ref.subject}\u0000${ref.pin.clauses.map((c) => `${c.operator}${c.version}`).join(',')}`;
  return ctx.catalog.memoized(key, () => evaluateUncached(ref, ctx));
}

function evaluateUncached(ref: PackagePinReference, ctx: RuleContext): VersionEvaluation | undefined {
  const framework = ctx.catalog.framework(ref.subject);
  if (!framework) return undefined;
  const clauses = ref.pin.clauses;
  if (clauses.length === 0) return { framework, unresolved: 'unpinned', exact: false };
  const exactClause = clauses.length === 1 && (clauses[0].operator === '==' || clauses[0].operator === '===') && !clauses[0].version.includes('*');
  const newest = ctx.catalog.frameworkVersions(framework.id).at(-1)?.version;
  if (exactClause) {
    const pub = publicVersion(clauses[0].version);
    const minor = pub ? minorOf(pub) : undefined;
    if (!pub || !minor) return { framework, unresolved: 'unreadable', exact: true };
    if (newest && compareMinor(minor, newest) > 0) return { framework, resolved: pub, minor, unresolved: 'newer-than-catalog', exact: true };
    const frameworkVersion = ctx.catalog.frameworkVersion(framework.id, minor);
    const latest = frameworkVersion && ctx.catalog.latestPatch(frameworkVersion);
    const supersededBy = latest && compare(latest.version, pub) > 0 ? latest : undefined;
    return { framework, resolved: pub, minor, frameworkVersion, exact: true, supersededBy };
  }
  const spec = clauses.map((c) => `${c.operator}${c.version}`).join(', ');
  for (const c of clauses) if (!valid(c.version.replace(/\.\*$/, '')) && !valid(c.version)) return { framework, unresolved: 'unreadable', exact: false };
  let best: string | null = null;
  try {
    best = maxSatisfying(ctx.catalog.releases(framework.id), spec);
  } catch {
    return { framework, unresolved: 'unreadable', exact: false };
  }
  if (best) {
    const minor = minorOf(best)!;
    return { framework, resolved: best, minor, frameworkVersion: ctx.catalog.frameworkVersion(framework.id, minor), exact: false };
  }
  // nothing known satisfies it: either it asks for something newer than the catalog, or something that never was released
  const lowerBounds = clauses.filter((c) => ['==', '===', '~=', '>=', '>'].includes(c.operator)).map((c) => minorOf(c.version)).filter((m): m is string => !!m);
  if (newest && lowerBounds.some((m) => compareMinor(m, newest) > 0)) {
    const minor = lowerBounds.sort(compareMinor).at(-1)!;
    return { framework, minor, unresolved: 'newer-than-catalog', exact: false };
  }
  return { framework, unresolved: 'no-known-release', exact: false };
}

/** The facts about a framework version that hovers and reports show. */
/** Memoised per catalog and shared between callers: read-only. */
export function frameworkVersionFacts(ev: VersionEvaluation, ctx: RuleContext): readonly Fact[] {
  const key = `facts\u0000${ev.framework.id}\u0000${ev.frameworkVersion?.version ?? ''}\u0000${ctx.asOf}`;
  return ctx.catalog.memoized(key, () => factsUncached(ev, ctx));
}

function factsUncached(ev: VersionEvaluation, ctx: RuleContext): Fact[] {
  const { catalog } = ctx;
  const v = ev.frameworkVersion;
  const facts: Fact[] = [];
  if (!v) return facts;
  if (v.ga) facts.push({ label: 'GA', value: v.ga, source: catalog.sourceTitle(v.gaSource) });
  if (v.endOfPatch) {
    const d = daysBetween(ctx.asOf, v.endOfPatch);
    const rel = d >= 0 ? `in ${msg.days(d)}` : `${msg.days(d)} ago`;
    facts.push({ label: 'End of patch', value: `${v.endOfPatch} (${d === 0 ? 'today' : rel})`, source: msg.endOfPatchBasisText(catalog, v) });
  }
  if (v.endOfPatchInference) facts.push({ label: 'End of patch (inference images)', value: v.endOfPatchInference });
  const latest = catalog.latestPatch(v);
  if (latest) facts.push({ label: 'Latest patch', value: latest.released ? `${latest.version} (${msg.releasedText(latest.released, latest.dateKind)})` : latest.version, source: catalog.sourceTitle(latest.source) });
  if (v.note) facts.push({ label: 'Note', value: v.note });
  return facts;
}

/** Supported targets for a bump from `minor`, following rules.md §Fixes must be safe. */
export function bumpTargets(ev: VersionEvaluation, ctx: RuleContext): { nearest?: string; latest?: string } {
  const key = `targets\u0000${ev.framework.id}\u0000${ev.minor ?? ''}\u0000${ctx.asOf}\u0000${ctx.warningWindowDays}`;
  return ctx.catalog.memoized(key, () => bumpTargetsUncached(ev, ctx));
}

function bumpTargetsUncached(ev: VersionEvaluation, ctx: RuleContext): { nearest?: string; latest?: string } {
  const supported = ctx.catalog.supportedVersions(ev.framework.id, ctx.asOf);
  if (supported.length === 0) return {};
  const beyondWindow = toEpochDay(addDays(ctx.asOf, ctx.warningWindowDays));
  const later = ev.minor ? supported.filter((v) => compareMinor(v.version, ev.minor!) > 0) : supported;
  const comfortable = later.filter((v) => toEpochDay(v.endOfPatch!) > beyondWindow);
  const nearestV = comfortable[0] ?? later[0];
  const latestV = supported[supported.length - 1];
  const nearest = nearestV ? ctx.catalog.latestPatch(nearestV)?.version : undefined;
  const latest = latestV && compareMinor(latestV.version, ev.minor ?? '0.0') > 0 ? ctx.catalog.latestPatch(latestV)?.version : undefined;
  return { nearest, latest: latest !== nearest ? latest : undefined };
}

/** A fix of a pin, before its edits: they depend on where the pin is written (see {@link instantiate}). */
interface FixSpec {
  title: string;
  target: string;
  safe: boolean;
  preferred: boolean;
}

/** A finding of a pin, before its range, edits and reference (see {@link instantiate}). */
interface FindingTemplate {
  rule: RuleId;
  severity: Severity;
  message: string;
  version: string | undefined;
  endOfPatch: CalendarDay | undefined;
  facts: readonly Fact[];
  fixes: FixSpec[];
  since?: CalendarDay;
}

function bumpFixes(ref: PackagePinReference, ev: VersionEvaluation, ctx: RuleContext): FixSpec[] {
  const { nearest, latest } = bumpTargets(ev, ctx);
  const fixes: FixSpec[] = [];
  const add = (target: string | undefined, what: 'nearest' | 'latest', preferred: boolean) => {
    if (!target) return;
    fixes.push({ title: msg.bumpTitle(ref.pin.name, target, what, ev.framework, ref.pin.hasHashes), target, safe: !ref.pin.hasHashes && preferred, preferred });
  };
  add(nearest, 'nearest', true);
  add(latest, 'latest', false);
  return fixes;
}

/** A finding template (kept beyond this analysis: its texts are detached from the document text the pin came from). */
function finding(rule: RuleId, severity: Severity, message: string, ev: VersionEvaluation, ctx: RuleContext, fixes: FixSpec[] = [], since?: CalendarDay): FindingTemplate {
  const version = ev.resolved ?? ev.minor;
  const f: FindingTemplate = {
    rule,
    severity,
    message: detached(message),
    version: version === undefined ? undefined : detached(version),
    endOfPatch: ev.frameworkVersion?.endOfPatch,
    facts: frameworkVersionFacts(ev, ctx),
    fixes: fixes.map((x) => ({ ...x, title: detached(x.title), target: detached(x.target) })),
  };
  if (since !== undefined) f.since = since;
  return f;
}

/**
 * The findings of a pin from their templates: the pin's range and reference, and for each fix the
 * edits that move this pin to its target (a fix whose pin cannot be moved is left out).
 */
function instantiate(templates: readonly FindingTemplate[], ref: PackagePinReference): Finding[] {
  // the findings of a pin often offer the same targets: the edits of a target are computed once
  // per pin (each fix gets its own copies)
  const byTarget = new Map<string, TextEdit[] | undefined>();
  const editsTo = (target: string): TextEdit[] | undefined => {
    let edits = byTarget.get(target);
    if (edits === undefined && !byTarget.has(target)) byTarget.set(target, (edits = packagePinEdits(ref.pin, target)));
    else if (edits) edits = edits.map((e) => ({ ...e }));
    return edits;
  };
  return templates.map((t) => {
    const fixes: Fix[] = [];
    for (const x of t.fixes) {
      const edits = editsTo(x.target);
      if (edits) fixes.push({ title: x.title, edits, safe: x.safe, preferred: x.preferred, targetVersion: x.target });
    }
    const f: Finding = { rule: t.rule, severity: t.severity, message: t.message, range: ref.range, subject: ref.subject, version: t.version, endOfPatch: t.endOfPatch, facts: t.facts, fixes, reference: ref };
    if (t.since !== undefined) f.since = t.since;
    return f;
  });
}

/** A catalog day as a calendar day: `2023-09-14` as is, a month `2023-09` as its first day, anything else undefined. */
function dayOf(text: string | undefined): CalendarDay | undefined {
  if (text === undefined) return undefined;
  if (isCalendarDay(text)) return text;
  return /^\d{4}-\d{2}$/.test(text) && isCalendarDay(`${text}-01`) ? `${text}-01` : undefined;
}

function defaultSeverity(rule: RuleId): Severity {
  const s = RULES[rule].defaultSeverity;
  return s === 'off' ? 'hint' : s;
}

/**
 * Runs the framework-version rules on one framework package pin.
 * @returns findings with their default severities (the caller applies user severities and `off`)
 */
export function checkFrameworkPin(ref: PackagePinReference, ctx: RuleContext): Finding[] {
  // what the findings say depends on the pin's text, not on where it is written: memoised per
  // catalog by that text, `asOf` and the warning window (a file may pin a framework many times alike)
  const pin = ref.pin;
  const redirect = pin.shellRedirect ? `${pin.shellRedirect.text}\u0001${pin.shellRedirect.target}` : '';
  const key = `fw-pin\u0000${ref.subject}\u0000${pin.name}\u0000${ref.version}\u0000${pin.specifier}\u0000${pin.clauses.map((c) => `${c.operator}${c.version}`).join(',')}\u0000${pin.hasHashes ? 1 : 0}\u0000${redirect}\u0000${ctx.asOf}\u0000${ctx.warningWindowDays}`;
  return instantiate(ctx.catalog.memoized(key, () => pinTemplates(ref, ctx)), ref);
}

/** The findings {@link checkFrameworkPin} makes of a pin, as templates (they depend only on what the memo key names). */
function pinTemplates(ref: PackagePinReference, ctx: RuleContext): FindingTemplate[] {
  const ev = evaluateVersion(ref, ctx);
  if (!ev) return [];
  const out: FindingTemplate[] = [];
  const fw = ev.framework;
  if (fw.discontinued) out.push(finding('discontinued', defaultSeverity('discontinued'), msg.discontinuedMessage(fw), ev, ctx, [], dayOf(fw.discontinued.on)));
  if (ev.unresolved === 'unpinned') {
    const message = ref.pin.shellRedirect ? msg.shellRedirectMessage(fw, ref.pin.name, ref.pin.shellRedirect) : msg.unpinnedMessage(fw, ref.pin.name);
    out.push(finding('unpinned', ref.pin.shellRedirect ? defaultSeverityOf('unpinned', 'shell-redirect') as Severity : defaultSeverity('unpinned'), message, ev, ctx));
    return out;
  }
  if (ev.unresolved === 'newer-than-catalog') {
    out.push(finding('unknown-version', defaultSeverity('unknown-version'), msg.unknownVersionMessage(fw, ev.minor!, ctx.catalog, false), ev, ctx));
    return out;
  }
  if (ev.unresolved === 'unreadable') {
    out.push(finding('unresolved-reference', defaultSeverity('unresolved-reference'), msg.unreadableSpecifierMessage(fw, ref.pin.name, ref.pin.specifier), ev, ctx));
    return out;
  }
  if (ev.unresolved) return out;
  const minor = ev.minor!;
  const v = ev.frameworkVersion;
  const known = ctx.catalog.frameworkVersions(fw.id);
  if (!v) {
    const reason = known.length && compareMinor(minor, known[0].version) < 0
      ? `it is older than every version in the support table (oldest known: ${known[0].version})`
      : 'it was never in the support table';
    out.push(finding('unsupported-version', defaultSeverity('unsupported-version'), msg.unsupportedMessage(fw, minor, ctx.catalog, reason), ev, ctx, bumpFixes(ref, ev, ctx)));
    return out;
  }
  if (!v.endOfPatch) {
    const newerDated = known.some((k) => k.endOfPatch && compareMinor(k.version, minor) > 0);
    if (!v.ga && !newerDated) {
      // an open-ended range (`torch>=1.8`) names no version: it resolves to whatever is newest, which the
      // catalog cannot judge yet; only pins and bounded ranges are reported
      const bounded = ref.pin.clauses.some((c) => c.operator === '<' || c.operator === '<=' || c.operator === '==' || c.operator === '===' || c.operator === '~=');
      if (bounded) out.push(finding('unknown-version', defaultSeverity('unknown-version'), msg.unknownVersionMessage(fw, ev.exact ? minor : `${minor} (highest release allowed by ${ref.version})`, ctx.catalog, true), ev, ctx));
    } else {
      out.push(finding('unsupported-version', defaultSeverity('unsupported-version'), msg.unsupportedMessage(fw, minor, ctx.catalog, 'no end-of-patch date is known for it'), ev, ctx, bumpFixes(ref, ev, ctx)));
    }
    return out;
  }
  const left = daysBetween(ctx.asOf, v.endOfPatch);
  if (left < 0) {
    out.push(finding('end-of-patch', defaultSeverity('end-of-patch'), msg.endOfPatchMessage(fw, v, -left, ctx.catalog), ev, ctx, bumpFixes(ref, ev, ctx), v.endOfPatch));
    return out;
  }
  if (left <= ctx.warningWindowDays) {
    out.push(finding('end-of-patch-soon', defaultSeverity('end-of-patch-soon'), msg.endOfPatchSoonMessage(fw, v, left, ctx.catalog), ev, ctx, bumpFixes(ref, ev, ctx)));
  }
  const latest = ev.supersededBy;
  if (latest) {
    const fixes: FixSpec[] = [{ title: msg.bumpTitle(ref.pin.name, latest.version, 'latest-patch', fw, ref.pin.hasHashes), target: latest.version, safe: !ref.pin.hasHashes, preferred: true }];
    out.push(finding('superseded-patch', defaultSeverity('superseded-patch'), msg.supersededMessage(fw, ev.resolved!, latest.version, latest.released, latest.dateKind), ev, ctx, fixes, dayOf(latest.released)));
  }
  return out;
}
