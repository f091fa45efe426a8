/**
 * Rules for Deep Learning AMI references (names, EC2 name filters, SSM parameter paths):
 * `end-of-patch` / `end-of-patch-soon` (the framework version in the name or path, DLAMI §End of patch
 * date (Aging out)), `os-end-of-life` (DLAMI §Dependency end-of-support), `discontinued` (retired
 * families such as the multi-framework Conda DLAMI, DLAMI §End of patch date: multi-framework DLAMIs),
 * `pinned-ami-build` (a name pinned to one dated build, DLAMI §Will my instance be patched in place
 * while my workload is running?) and `unpinned` (a filter with only `*` for the framework version).
 *
 * Neuron DLAMI families are not judged by the DLAMI framework table (their framework versions follow
 * the Neuron SDK maintenance policy); their OS is. No framework-version fix is offered: the catalog
 * lists no published DLAMI names, and a fix must never propose an AMI that may not exist.
 * `superseded-patch` is not reported for DLAMIs for the same reason.
 */
import { checkNeuronDlami } from './neuronSdk';
import type { Framework, FrameworkVersion } from '../catalog/catalog';
import { minorOf } from '../catalog/catalog';
import type { DlamiFamily, OsRelease, RetiredThing } from '../catalog/lifecycle';
import { daysBetween, toEpochDay } from '../dates';
import type { Fact, Finding, Fix, DlamiReference } from '../model';
import type { RuleContext } from './context';
import { referenceFinding, retiredSince } from './containerImage';
import type { ReferenceDescription } from './describe';
import * as msg from './messages';

/** What the catalog says about a DLAMI reference. */
export interface DlamiEvaluation {
  family?: DlamiFamily;
  framework?: Framework;
  /** The framework version text (`2.0.1`), absent when the name has none or only wildcards. */
  version?: string;
  minor?: string;
  record?: FrameworkVersion;
  os?: { written: string; release: OsRelease };
  /** The retired things the family or name belongs to whose end is not after `asOf`. */
  retired: RetiredThing[];
  neuron: boolean;
}

const WILDCARD = /[*?]/;

/** Evaluates a DLAMI reference against the catalog. */
export function evaluateDlami(ref: DlamiReference, ctx: RuleContext): DlamiEvaluation {
  const { catalog } = ctx;
  const lifecycle = catalog.lifecycle;
  const family = lifecycle?.dlamiFamily(ref.dlami.family);
  const framework = family?.framework ? catalog.framework(family.framework) : undefined;
  const fv = ref.dlami.parts.frameworkVersion?.text;
  const version = fv && !WILDCARD.test(fv) && minorOf(fv) ? fv : undefined;
  const minor = version ? minorOf(version) : undefined;
  const record = framework && minor ? catalog.frameworkVersion(framework.id, minor) : undefined;
  const osText = ref.dlami.parts.os?.text;
  const osRelease = osText && !WILDCARD.test(osText) ? lifecycle?.osEol(osText) : undefined;
  const retiredList: RetiredThing[] = [];
  if (lifecycle && family) {
    for (const r of lifecycle.retiredForFamily(family.id)) retiredList.push(r);
    if (ref.dlami.form !== 'ssm-parameter') for (const r of lifecycle.retiredFor({ dlamiName: ref.text })) if (!retiredList.includes(r)) retiredList.push(r);
  }
  const day = toEpochDay(ctx.asOf);
  return {
    family,
    framework,
    version,
    minor,
    record,
    os: osText && osRelease ? { written: osText, release: osRelease } : undefined,
    retired: retiredList.filter((r) => !r.end || toEpochDay(r.end.effectiveDay) <= day),
    neuron: family?.accelerator === 'neuron',
  };
}

/** The facts shown with every finding of a DLAMI and in its hover (read-only, shared). */
function dlamiFacts(ref: DlamiReference, ev: DlamiEvaluation, ctx: RuleContext): readonly Fact[] {
  const { catalog } = ctx;
  const lifecycle = catalog.lifecycle;
  const facts: Fact[] = [];
  if (ev.family) facts.push({ label: 'DLAMI family', value: `${ev.family.name}${ev.family.multiFramework ? ' (multi-framework)' : ''}`, source: lifecycle?.sourceTitle(ev.family.sources[0]) });
  if (ev.framework && ev.version) {
    const what = `${ev.framework.name} ${ev.minor}`;
    if (ev.neuron) facts.push({ label: `${what} end of patch`, value: 'set by the Neuron SDK maintenance policy, not by the DLAMI framework table' });
    else if (ev.record?.endOfPatch) facts.push({ label: `${what} end of patch`, value: `${ev.record.endOfPatch} (${msg.relativeDays(daysBetween(ctx.asOf, ev.record.endOfPatch))})`, source: msg.endOfPatchBasisText(catalog, ev.record) });
  }
  if (ev.os) facts.push({ label: `${ev.os.release.name} end of life`, value: `${ev.os.release.endOfLife} (${msg.relativeDays(daysBetween(ctx.asOf, ev.os.release.endOfLife))})`, source: lifecycle?.sourceTitle(ev.os.release.source) });
  const date = ref.dlami.parts.date?.text;
  if (date) facts.push({ label: 'Build date', value: date });
  for (const r of ev.retired) facts.push({ label: `Retired: ${r.name}`, value: r.end ? `since ${r.end.on}` : firstLine(r.endNote ?? r.summary), source: lifecycle?.sourceTitle(r.end?.source ?? r.sources[0]) });
  return facts;
}

function firstLine(text: string): string {
  return msg.firstSentence(text);
}

/** The `*`-for-the-date fix of `pinned-ami-build`: selects the newest build of the same name (not safe: a different AMI). */
function dateWildcardFix(ref: DlamiReference): Fix[] {
  const date = ref.dlami.parts.date;
  if (!date) return [];
  return [{ title: `Match the newest build: replace ${date.text} with *`, edits: [{ range: date.range, newText: '*' }], safe: false, preferred: true }];
}

/**
 * Runs the DLAMI rules on one DLAMI reference.
 * @returns findings with their default severities for DLAMIs (the caller applies user severities and `off`)
 */
export function checkDlami(ref: DlamiReference, ctx: RuleContext): Finding[] {
  const ev = evaluateDlami(ref, ctx);
  const facts = dlamiFacts(ref, ev, ctx);
  const out: Finding[] = [];
  const familyName = ev.family?.name ?? ref.dlami.family;
  for (const r of ev.retired) {
    out.push(referenceFinding('discontinued', msg.retiredMessage(r.name, `This DLAMI (${familyName})`, r.end?.on, r.summary, r.migration), ref, facts, [], { since: retiredSince(r) }));
  }
  const fvText = ref.dlami.parts.frameworkVersion?.text;
  if (ev.framework && ref.dlami.form !== 'ssm-parameter' && (fvText === undefined || /^[*?]+$/.test(fvText)) && !ev.version) {
    out.push(referenceFinding('unpinned', msg.unpinnedDlamiMessage(ref.text, familyName), ref, facts, []));
  }
  if (ev.framework && ev.record?.endOfPatch && ev.version && !ev.neuron) {
    const eop = ev.record.endOfPatch;
    const left = daysBetween(ctx.asOf, eop);
    const what = `${ev.framework.name} ${ev.minor}`;
    const basis = msg.endOfPatchBasisText(ctx.catalog, ev.record);
    const common = { version: ev.version, endOfPatch: eop };
    if (left < 0) out.push(referenceFinding('end-of-patch', msg.imageEndOfPatchMessage(what, 'DLAMIs', eop, -left, basis), ref, facts, [], { ...common, since: eop }));
    else if (left <= ctx.warningWindowDays) out.push(referenceFinding('end-of-patch-soon', msg.imageEndOfPatchSoonMessage(what, eop, left, basis), ref, facts, [], common));
  }
  if (ev.os && toEpochDay(ctx.asOf) > toEpochDay(ev.os.release.endOfLife)) {
    const r = ev.os.release;
    out.push(referenceFinding('os-end-of-life', msg.osEndOfLifeMessage(r.name, ev.os.written, r.endOfLife, daysBetween(r.endOfLife, ctx.asOf), 'DLAMIs'), ref, facts, [], { since: r.endOfLife }));
  }
  // a Neuron DLAMI's framework and OS follow the Neuron SDK policy's announcements
  if (ev.neuron) {
    const inf1 = /inf1/i.test(ref.dlami.family) || /\binf1\b/i.test(ref.text);
    out.push(...checkNeuronDlami(ref, { framework: ev.framework?.id, frameworkVersion: ev.version, accelerator: inf1 ? 'neuron' : 'neuronx', os: ev.os?.written ?? ref.dlami.parts.os?.text, familyName }, ctx));
  }
  const date = ref.dlami.parts.date;
  if (ref.dlami.form !== 'ssm-parameter' && date && /^\d{8}$/.test(date.text)) {
    const day = `${date.text.slice(0, 4)}-${date.text.slice(4, 6)}-${date.text.slice(6, 8)}`;
    out.push(referenceFinding('pinned-ami-build', msg.pinnedAmiBuildMessage(day, familyName, (ev.family?.ssmPatterns.length ?? 0) > 0), ref, facts, dateWildcardFix(ref)));
  }
  return out;
}

/** The hover description of a DLAMI reference: family, framework version and OS with their lifecycle, build date, retirement. */
export function describeDlami(ref: DlamiReference, ctx: RuleContext): ReferenceDescription {
  const ev = evaluateDlami(ref, ctx);
  const facts = [...dlamiFacts(ref, ev, ctx)];
  const title = ev.framework && ev.version ? `${ev.framework.name} ${ev.minor} DLAMI` : `${ev.family?.name ?? ref.dlami.family} DLAMI`;
  let status: string | undefined;
  if (ev.retired.length) status = `⚠ Discontinued: ${ev.retired.map((r) => r.name).join(', ')}.`;
  else if (ev.neuron) status = 'Neuron DLAMI: framework support follows the Neuron SDK maintenance policy.';
  else if (ev.record?.endOfPatch) {
    const left = daysBetween(ctx.asOf, ev.record.endOfPatch);
    status = left < 0 ? `⚠ End of patch reached ${msg.days(left)} ago.` : left <= ctx.warningWindowDays ? `Ends patch support in ${msg.days(left)}.` : `Supported: end of patch in ${msg.days(left)}.`;
  }
  if (ev.framework) {
    const supported = ctx.catalog.supportedVersions(ev.framework.id, ctx.asOf).map((s) => `${s.version} (until ${s.endOfPatch})`);
    facts.push({ label: 'Supported framework versions', value: supported.length ? supported.join(', ') : 'none' });
  }
  return { title, status, facts };
}
