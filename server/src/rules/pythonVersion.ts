/**
 * `python-end-of-life` for the Python version a file asks for ({@link PythonVersionReference}:
 * `python=3.8` in a conda environment, `python-3.8.10-….tar.bz2` in a conda explicit lock file,
 * and what other scanners report the same way). Rules.md §Dependency rules; DLAMI §Dependency
 * end-of-support: every image or environment built on a Python past its end of life is no longer
 * maintained. Dates: `catalog.lifecycle.pythonEol` (endoflife.date). Images are judged in
 * `containerImage.ts`; this module only handles Python version references.
 *
 * The version judged is `ref.version` read by `normalizePythonVersion` (`3.8`, `3.8.10`, `3.8.*`);
 * a text that names no single minor (`>=3.8`) is not judged. The end-of-life day itself is still
 * supported. Rules never read the clock: `ctx.asOf` is the evaluation day.
 */
import type { PythonRelease } from '../catalog/lifecycle';
import { addDays, daysBetween, toEpochDay } from '../dates';
import type { Fact, Finding, Fix, PythonVersionReference } from '../model';
import { referenceFinding } from './containerImage';
import type { RuleContext } from './context';
import type { ReferenceDescription } from './describe';
import * as msg from './messages';

/** The end-of-life record of the Python a reference names, or undefined (unknown version, no lifecycle data). */
export function pythonRelease(ref: PythonVersionReference, ctx: RuleContext): PythonRelease | undefined {
  return ctx.catalog.lifecycle?.pythonEol(ref.version);
}

const after = (day: string, asOf: string) => toEpochDay(day) > toEpochDay(asOf);

/**
 * The nearest later Python minor that is released on `asOf` and not past end of life: preferably
 * one whose end of life is beyond the warning window, else any still supported. Undefined when
 * there is none.
 */
export function nearestSupportedPython(release: PythonRelease, ctx: RuleContext): PythonRelease | undefined {
  const all = ctx.catalog.lifecycle?.pythonReleases ?? [];
  const [maj, min] = release.version.split('.').map(Number);
  const later = all
    .filter((p) => {
      const [a, b] = p.version.split('.').map(Number);
      return a === maj && b > min && !after(p.released, ctx.asOf) && after(p.endOfLife, ctx.asOf);
    })
    .sort((x, y) => Number(x.version.split('.')[1]) - Number(y.version.split('.')[1]));
  const beyond = addDays(ctx.asOf, ctx.warningWindowDays);
  return later.find((p) => after(p.endOfLife, beyond)) ?? later[0];
}

/**
 * The version text a fix writes for `target`, in the shape of the text as written: `3.8` → `3.10`,
 * `3.8.*` → `3.10.*`, `3.8.10` → the target's latest patch (`3.10.19`) when the catalog knows it.
 * Undefined when the written text has another shape.
 */
export function pythonFixText(written: string, target: PythonRelease): string | undefined {
  if (/^\d+\.\d+$/.test(written)) return target.version;
  if (/^\d+\.\d+\.\*$/.test(written)) return `${target.version}.*`;
  if (/^\d+\.\d+\.\d+$/.test(written)) return target.latestPatch && target.latestPatch.startsWith(`${target.version}.`) ? target.latestPatch : undefined;
  return undefined;
}

/** The facts about a Python release that hovers and findings show. */
function pythonFacts(release: PythonRelease, ctx: RuleContext): Fact[] {
  const lifecycle = ctx.catalog.lifecycle;
  const source = lifecycle?.sourceTitle(release.source);
  const facts: Fact[] = [{ label: `Python ${release.version} released`, value: release.released, source }];
  if (release.endOfBugfix) facts.push({ label: 'End of bug fixes', value: release.endOfBugfix, source });
  facts.push({ label: 'End of life', value: `${release.endOfLife} (${msg.relativeDays(daysBetween(ctx.asOf, release.endOfLife))})`, source });
  if (release.latestPatch) facts.push({ label: 'Latest patch', value: release.latestPatch, source });
  if (release.dlamiDeprecated) facts.push({ label: 'DLAMI deprecation', value: release.dlamiDeprecated.on, source: lifecycle?.sourceTitle(release.dlamiDeprecated.source) });
  return facts;
}

/**
 * Runs `python-end-of-life` on one Python version reference.
 * Fix: the nearest later supported Python minor, written in the same shape, when the reference has a
 * single version (`python=3.8`, `python==3.8.10`, `python 3.8.*`; not a range such as
 * `python>=3.8,<3.9`, whose bounds would have to move together) and is not `locked` (lock-file URL).
 * The fix is not *safe*: other packages of the environment may have no build for the new Python.
 * @returns findings with their default severities; [] when the Python is supported or unknown
 */
export function checkPythonVersion(ref: PythonVersionReference, ctx: RuleContext): Finding[] {
  const release = pythonRelease(ref, ctx);
  if (!release || !after(ctx.asOf, release.endOfLife)) return [];
  const ago = daysBetween(release.endOfLife, ctx.asOf);
  const fixes: Fix[] = [];
  const single = !/[<>,~!|]/.test(ref.text);
  const target = nearestSupportedPython(release, ctx);
  const newText = target && single && !ref.locked ? pythonFixText(ref.version, target) : undefined;
  if (target && newText) {
    fixes.push({ title: msg.pythonBumpTitle(newText, target.version), edits: [{ range: ref.versionRange, newText }], safe: false, preferred: true, targetVersion: newText });
  }
  const carrier = ref.locked ? 'locked environments' : 'environments';
  return [referenceFinding('python-end-of-life', msg.pythonEndOfLifeMessage(release.version, ref.version, release.endOfLife, ago, carrier), ref, pythonFacts(release, ctx), fixes, { since: release.endOfLife, version: release.version })];
}

/** The hover of a Python version reference: release, end of life and its source, the nearest supported minor. */
export function describePythonVersion(ref: PythonVersionReference, ctx: RuleContext): ReferenceDescription | undefined {
  const release = pythonRelease(ref, ctx);
  if (!release) return undefined;
  const left = daysBetween(ctx.asOf, release.endOfLife);
  const status = left < 0 ? `⚠ End of life reached ${msg.days(left)} ago.` : left <= ctx.warningWindowDays ? `End of life in ${msg.days(left)}.` : `Supported: end of life in ${msg.days(left)}.`;
  const facts = pythonFacts(release, ctx);
  if (left < 0) {
    const target = nearestSupportedPython(release, ctx);
    facts.push({ label: 'Nearest supported Python', value: target ? `${target.version} (end of life ${target.endOfLife})` : 'none' });
  }
  return { title: `Python ${release.version}`, status, facts };
}
