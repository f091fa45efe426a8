/**
 * Neuron SDK rules (rules.md §Neuron SDK rules; the Neuron SDK maintenance policy, cited as
 * `Neuron §<section>`), for Neuron package pins (`PackagePinReference` with `subject: 'neuron'`:
 * pip, conda, Poetry, Pipenv and apt `aws-neuronx-*` pins) and Neuron DLC tags (`…-sdk2.15.0-…`).
 *
 * - **Version → release.** A pin resolves to the SDK releases that shipped its version
 *   (`NeuronReleases.neuronRelease`; `1.15.5.2.3.0` = `1.15.5.2.3.0.0`), a range or wildcard to
 *   the releases that shipped a version it allows (PEP 440 for pip-style pins, pre-releases only
 *   when no final release matches, as pip does; a Debian version or glob for apt pins, the
 *   `-revision` ignored). Only releases out on `asOf` count (dated on or before it, or undated): a
 *   version that only later releases shipped is not judged. The pin is judged at its **newest
 *   allowed release** and the highest version it allows (rules.md §Versions); a framework build's
 *   framework part (`2.1.2` of `torch-neuronx 2.1.2.2.3.0`) comes from `frameworkPartOf`. A
 *   version no release shipped is not judged; an exact version newer than every known version of
 *   the package gets `unknown-version` (hint). Unpinned pins and unknown packages get nothing.
 * - **`neuron-end-of-support`** (warning) / **`neuron-end-of-support-announced`** (information):
 *   an announcement of kind `end-of-support`, `no-longer-supported` or `intent` names what the
 *   reference is: its package (with the subject's version prefix and instance families), the
 *   framework version of its framework part (PyTorch 2.1 on trn1/trn2/inf2), and for DLC tags the
 *   Python, the OS (subjects for `dlc` or unscoped) and the repository. Scoped package subjects
 *   (`training`, `dlami`) are not a pin's. A package subject without a version in an announcement
 *   that also names a feature or an OS is about a part of the package (an API, protobuf, AL2
 *   support) and counts only when no release from the end on ships the package (Neuron Runtime
 *   1.x, NxD Training). An announcement whose first release without support is not after the first
 *   release that shipped the version does not cover it (Neuron shipped it after that end: the
 *   `torch-neuron` 1.9 builds of 2.18.0 after "2.13 is the last release with 1.9"); for DLC tags,
 *   the same holds for the tag's release. The end is in effect on `asOf` when the day of its first
 *   release without support (`supportEnd`) is on or before `asOf` (an undated release counts as
 *   out); otherwise it is announced (a future or unnamed release: Phase 2). Announcements made
 *   after `asOf` are not known on `asOf`. Announcements of the same thing (the notice and the "no
 *   longer supported" note) are grouped: the finding names the thing, the first release without
 *   support, its day, the first announcement day, and the clause (`Neuron §Dependency Software
 *   version life-cycle` for frameworks, Python and OS; `Neuron §Neuron SDK version life-cycle` for
 *   Neuron's own packages and DLCs). `since` is the day the end took effect. One finding per
 *   reference and rule; further things are named after "also"; ended things are not also announced.
 * - **`neuron-sdk-outdated`** (information): the newest allowed release is dated, its day + 365
 *   is before `asOf`, and a later release is out on `asOf` (Neuron §Neuron SDK version
 *   life-cycle: supported "for at least 12 months"; "We recommend users to upgrade to the latest
 *   Neuron SDK version"). `since` = release day + 365. Independent of the end-of-support rules.
 * - **`neuron-mixed-releases`** (warning, *beyond*), per file: the Neuron pins that resolve to
 *   releases share none. The reference release is the one the most pins allow (the newest among
 *   equals; a wildcard such as `2.*` allows many and so does not decide alone); each pin that does
 *   not allow it gets one finding, naming a pin of the reference release (an exact one when there
 *   is one). Also, a Neuron framework build none of whose allowed versions has a framework part
 *   that satisfies the framework pin of the same framework in the file (`torch-neuronx==2.1.2.*`
 *   with `torch==1.13.1`) gets one, on the Neuron pin; both reasons of one pin share one finding.
 * - **Fix** (`fixes/neuronAlign.ts`): "Align Neuron packages to SDK X.Y.Z", attached once per pin
 *   to its first finding among `neuron-mixed-releases`, `neuron-end-of-support`,
 *   `neuron-end-of-support-announced`, `neuron-sdk-outdated` whose rule is not turned off (a line
 *   offers it once; DLC tags get none: their tag fixes are the image rules'). Target: the newest
 *   release of the file's newest exact Neuron pin (of any pin when none is exact) when it is
 *   supported on `asOf` (not outdated, or the latest) and ships versions of the file's packages
 *   without an end announced or in effect; else the latest release out on `asOf`, not older than
 *   that one, that ships such versions of every package (supported releases first, then versions
 *   whose end is only announced); else the latest release out on `asOf`.
 *
 * Rules never read the clock: `ctx.asOf` is the evaluation day. Neuron DLAMI names and SSM paths
 * carry no SDK release and are not judged here.
 */
import { satisfies, valid } from '@renovatebot/pep440';
import { normalizePackageName } from '../catalog/catalog';
import type { FrameworkPart, NeuronAnnouncement, NeuronFramework, NeuronRelease, NeuronReleases, NeuronSubject, SupportEnd } from '../catalog/neuron';
import { comparePackageVersions, compareSdkVersions, frameworkPartOf } from '../catalog/neuron';
import type { CalendarDay } from '../dates';
import { addDays, daysBetween, toEpochDay } from '../dates';
import type { AlignContext, AlignPin, VersionStanding } from '../fixes/neuronAlign';
import { alignTarget, neuronAlignFix } from '../fixes/neuronAlign';
import type { DlamiReference, Fact, Finding, Fix, ImageReference, PackagePin, PackagePinReference, Reference } from '../model';
import { referenceFinding } from './containerImage';
import type { RuleContext } from './context';
import type { ReferenceDescription } from './describe';
import { detached, matchesSegments } from '../text';
import * as msg from './messages';

/** What a Neuron package pin resolves to. */
export interface NeuronPinEvaluation {
  /** PEP 503-normalised package name. */
  package: string;
  /** The releases out on `asOf` that shipped a version the pin allows, oldest first; empty when none did. */
  releases: readonly NeuronRelease[];
  /** The newest of {@link releases}: the release the pin is judged at. */
  release?: NeuronRelease;
  /** The package version judged: the exact pin, or the highest known version a range allows. */
  version?: string;
  /** Every known version the pin allows that a release out on `asOf` shipped, ascending. */
  versions: readonly string[];
  exact: boolean;
  /** The framework part of {@link version} (framework builds only). */
  framework?: FrameworkPart;
  /**
   * Why nothing is judged: no version, a specifier that cannot be read, a version newer than the
   * catalog's, one no release shipped, one only releases after `asOf` shipped (not out on `asOf`).
   */
  unresolved?: 'unpinned' | 'unreadable' | 'newer-than-catalog' | 'not-shipped' | 'after-as-of';
}

/** Announcement kinds that end support (`maintenance`, `deprecation` and `other` do not). */
const END_KINDS = new Set(['end-of-support', 'no-longer-supported', 'intent']);

const FRAMEWORK_NAMES: Readonly<Record<NeuronFramework, string>> = { pytorch: 'PyTorch', tensorflow: 'TensorFlow', mxnet: 'Apache MXNet', jax: 'JAX' };

/** A version without its PEP 440 local part (`2.1.2+cpu` → `2.1.2`). */
function withoutLocal(v: string): string {
  const i = v.indexOf('+');
  return i < 0 ? v : v.slice(0, i);
}

/** True when the dotted numbers of `prefix` lead `version` (`2.1` of `2.1.2`, not of `2.10`). */
function hasVersionPrefix(prefix: string, version: string): boolean {
  const p = prefix.split('.');
  const v = version.split(/[.+]/);
  return v.length >= p.length && p.every((x, i) => /^\d+$/.test(v[i]) && Number(v[i]) === Number(x));
}

/** An apt version (`2.20.22.0-c101c322e`, `2.*`, `2.22.14.0-*`, `1:2.3`) accepts a package version of the catalog (which carries no Debian revision). */
function aptAccepts(written: string, version: string): boolean {
  const w = written.replace(/^\d+:/, '');
  if (w.includes('*')) {
    const segments = w.split('*');
    return matchesSegments(segments, version) || matchesSegments(segments, `${version}-0`);
  }
  const upstream = w.split('-')[0];
  return upstream !== '' && comparePackageVersions(upstream, version) === 0;
}

/** The PEP 440 specifier of a pin (local parts dropped with `dropLocal`), or undefined when a clause cannot be read. */
function pep440Specifier(pin: PackagePin, dropLocal: boolean): string | undefined {
  const parts: string[] = [];
  for (const c of pin.clauses) {
    const v = dropLocal ? withoutLocal(c.version) : c.version;
    if (!valid(v.replace(/\.\*$/, '')) && !valid(v)) return undefined;
    parts.push(`${c.operator === '===' ? '==' : c.operator}${v}`);
  }
  return parts.join(',');
}

/**
 * The known versions among `versions` that `pin` accepts: apt pins by Debian version or glob,
 * other pins by PEP 440, pre-releases only when no final release matches; `dropLocal` ignores the
 * pin's local versions (`torch==2.1.2+cpu` accepts `2.1.2`). Undefined when the specifier cannot be
 * read. Never throws.
 */
export function acceptedVersions(pin: PackagePin, versions: readonly string[], dropLocal = false): string[] | undefined {
  // pure in the manager, the clauses, the versions and dropLocal: memoised (a file's framework pins are
  // checked against each Neuron framework build, and the align fix asks again for every pin)
  const key = `${pin.manager ?? ''}\u0000${dropLocal ? 1 : 0}\u0000${pin.clauses.map((c) => `${c.operator}${c.version}`).join(',')}\u0000${versions.join('\u0001')}`;
  let hit = acceptedMemo.get(key);
  if (hit === undefined && !acceptedMemo.has(key)) {
    hit = acceptedUncached(pin, versions, dropLocal)?.map(detached);
    if (acceptedMemo.size >= 5000) acceptedMemo.clear();
    acceptedMemo.set(detached(key), hit); // kept without the document text the pin came from
  }
  return hit && [...hit];
}
const acceptedMemo = new Map<string, readonly string[] | undefined>();

function acceptedUncached(pin: PackagePin, versions: readonly string[], dropLocal: boolean): string[] | undefined {
  if (pin.manager === 'apt') return versions.filter((v) => pin.clauses.every((c) => aptAccepts(c.version, v)));
  const spec = pep440Specifier(pin, dropLocal);
  if (spec === undefined) return undefined;
  const test = (prereleases: boolean) =>
    versions.filter((v) => {
      try {
        return satisfies(v, spec, { prereleases });
      } catch {
        return false; // a catalog version that is not PEP 440 (`14.09.x`)
      }
    });
  const final = test(false);
  return final.length ? final : test(true);
}

/**
 * True when `pin` accepts `version` among `known` versions of its package (see
 * {@link acceptedVersions}: a pre-release only when no known final release matches; the pin's local
 * versions are ignored for a version without one).
 */
export function pinAccepts(pin: PackagePin, version: string, known: readonly string[] = []): boolean {
  return (acceptedVersions(pin, known.includes(version) ? known : [...known, version], !version.includes('+')) ?? []).includes(version);
}

/**
 * Resolves a Neuron package pin to the SDK releases out on `ctx.asOf` (dated on or before it, or
 * undated) that shipped what it allows. Memoised per catalog by `asOf`, package, manager and clauses. Undefined when the catalog has no
 * Neuron data or does not list the package.
 */
export function evaluateNeuronPin(ref: PackagePinReference, ctx: RuleContext): NeuronPinEvaluation | undefined {
  const neuron = ctx.catalog.neuron;
  const pkg = normalizePackageName(ref.pin.normalizedName);
  if (!neuron || !neuron.package(pkg)) return undefined;
  const key = `neuron-pin\u0000${ctx.asOf}\u0000${pkg}\u0000${ref.pin.manager ?? 'pip'}\u0000${ref.pin.clauses.map((c) => `${c.operator}${c.version}`).join(',')}`;
  return ctx.catalog.memoized(key, () => evaluateUncached(ref.pin, pkg, neuron, ctx.asOf));
}

function evaluateUncached(pin: PackagePin, pkg: string, neuron: NeuronReleases, asOf: CalendarDay): NeuronPinEvaluation {
  const clauses = pin.clauses;
  if (clauses.length === 0) return { package: pkg, releases: [], versions: [], exact: false, unresolved: 'unpinned' };
  const only = clauses.length === 1 ? clauses[0] : undefined;
  const exact = only !== undefined && (only.operator === '==' || only.operator === '===') && !only.version.includes('*');
  const known = neuron.packageVersions(pkg);
  const day = toEpochDay(asOf);
  const outOnAsOf = (r: NeuronRelease) => r.date === undefined || toEpochDay(r.date) <= day;
  const newerThanCatalog = (v: string) => known.length > 0 && comparePackageVersions(v, known[known.length - 1]) > 0;
  if (exact && pin.manager !== 'apt') {
    const version = only!.version.trim();
    const shippedBy = neuron.neuronRelease(pkg, version);
    const releases = shippedBy.filter(outOnAsOf);
    const unresolved = releases.length ? undefined : shippedBy.length ? 'after-as-of' : newerThanCatalog(version) ? 'newer-than-catalog' : 'not-shipped';
    return { package: pkg, releases, versions: releases.length ? [version] : [], release: releases[releases.length - 1], version, exact, framework: frameworkPartOf(pkg, version), unresolved };
  }
  const accepted = acceptedVersions(pin, known);
  if (accepted === undefined) return { package: pkg, releases: [], versions: [], exact, unresolved: 'unreadable' };
  // what the pin allows among the versions a release out on asOf shipped
  const onAsOf = accepted.filter((v) => neuron.neuronRelease(pkg, v).some(outOnAsOf));
  if (onAsOf.length === 0) {
    const written = exact ? only!.version.replace(/^\d+:/, '').split('-')[0] : undefined;
    const unresolved = accepted.length ? 'after-as-of' : written !== undefined && newerThanCatalog(written) ? 'newer-than-catalog' : 'not-shipped';
    return { package: pkg, releases: [], versions: [], exact, version: written, unresolved };
  }
  const set = new Set(onAsOf);
  const releases = neuron.releasesAllowing(pkg, (v) => set.has(v)).filter(outOnAsOf);
  const versions = [...onAsOf].sort(comparePackageVersions);
  const version = versions[versions.length - 1];
  return { package: pkg, releases, versions, release: releases[releases.length - 1], version, exact, framework: frameworkPartOf(pkg, version) };
}

// ---------------------------------------------------------------------------
// Announcements

/** One announcement that ends support for what a reference is, with the subject that matched. */
export interface NeuronEndItem {
  announcement: NeuronAnnouncement;
  /** What ended, in words (`PyTorch 2.1 on trn1, trn2, inf2`, `torch-neuron 1.5`, `Python 3.8`). */
  what: string;
  clause: string;
}

/** Several announcements about the same thing, judged on `asOf`. */
export interface NeuronEndGroup {
  what: string;
  clause: string;
  /** The first of the group's announcements (on or before `asOf`). */
  announced: CalendarDay;
  inEffect: boolean;
  /** For groups in effect: the day the end took effect, and its release when it is one. */
  since?: CalendarDay;
  release?: NeuronRelease;
  /** The announcement whose end is described (the earliest end). */
  primary: NeuronAnnouncement;
  end: SupportEnd;
  announcements: NeuronAnnouncement[];
}

function osName(os: string): string {
  const u = /^ubuntu(\d\d\.\d\d)$/.exec(os);
  if (u) return `Ubuntu ${u[1]}`;
  return os === 'amazonlinux2' ? 'Amazon Linux 2' : os === 'amazonlinux2023' ? 'Amazon Linux 2023' : os;
}

function withInstances(text: string, instances: readonly string[] | undefined): string {
  return instances?.length ? `${text} on ${instances.join(', ')}` : text;
}

/** The words for a subject, and its clause. */
function subjectWords(s: NeuronSubject, neuron: NeuronReleases): { what: string; clause: string } {
  if ('image' in s) return { what: `the ${s.name ?? s.image.toUpperCase()} ${s.image === 'dlc' ? 'DLC' : 'DLAMI'}`, clause: msg.NEURON_SDK_CLAUSE };
  if ('framework' in s) return { what: withInstances(`${FRAMEWORK_NAMES[s.framework]}${s.version ? ` ${s.version}` : ''}`, s.instances), clause: msg.NEURON_DEPENDENCY_CLAUSE };
  if ('python' in s) return { what: `Python ${s.python}`, clause: msg.NEURON_DEPENDENCY_CLAUSE };
  if ('os' in s) return { what: osName(s.os), clause: msg.NEURON_DEPENDENCY_CLAUSE };
  if ('package' in s) {
    const build = neuron.package(s.package)?.framework;
    const what = withInstances(s.version ? `${s.package} ${s.version}` : s.package, s.instances);
    return { what, clause: build && s.version ? msg.NEURON_DEPENDENCY_CLAUSE : msg.NEURON_SDK_CLAUSE };
  }
  return { what: 'instance' in s ? s.instance : s.feature, clause: msg.NEURON_SDK_CLAUSE };
}

/** True when a release at or after `from` ships `pkg` (at a version with `prefix`, when given). */
function shippedFrom(neuron: NeuronReleases, pkg: string, from: NeuronRelease, prefix?: string): boolean {
  return neuron.releases().some((r) => compareSdkVersions(r.version, from.version) >= 0 && (r.packages[pkg] ?? []).some((v) => prefix === undefined || hasVersionPrefix(prefix, frameworkPartOf(pkg, v)?.version ?? v)));
}

/**
 * The end announcements about a Neuron package at a version (its package subjects and the framework
 * subjects of its framework part), each with the subject that matched, framework subjects first.
 * Memoised per catalog; independent of `asOf`.
 */
export function packageEnds(pkg: string, version: string | undefined, ctx: RuleContext): readonly NeuronEndItem[] {
  const neuron = ctx.catalog.neuron;
  if (!neuron) return [];
  return ctx.catalog.memoized(`neuron-ends\u0000${pkg}\u0000${version ?? ''}`, () => {
    const info = neuron.package(pkg);
    const part = version === undefined ? undefined : frameworkPartOf(pkg, version);
    const comparable = part?.version ?? version;
    const first = version === undefined ? undefined : neuron.neuronRelease(pkg, version)[0];
    const out: NeuronEndItem[] = [];
    for (const a of neuron.announcementsForPackage(pkg, version)) {
      if (!END_KINDS.has(a.kind)) continue;
      const partOnly = a.subjects.some((s) => 'feature' in s || 'os' in s);
      const end = neuron.supportEnd(a);
      // Neuron shipped this version at or after the announced end: the end was not about it (or was reconsidered)
      if (first && end.release && compareSdkVersions(end.release.version, first.version) <= 0) continue;
      const ordered = [...a.subjects].sort((x, y) => Number('framework' in y) - Number('framework' in x));
      const match = ordered.find((s) => {
        if ('image' in s || ('scope' in s && s.scope !== undefined)) return false;
        const instances = 'instances' in s ? s.instances : undefined;
        if (instances && info && !instances.some((i) => info.instances.includes(i))) return false;
        const version = 'version' in s ? s.version : undefined;
        if (version !== undefined && (comparable === undefined || !hasVersionPrefix(version, comparable))) return false;
        if ('framework' in s) return part !== undefined && s.framework === part.framework;
        if (!('package' in s) || normalizePackageName(s.package) !== pkg) return false;
        // a package named beside a feature or an OS: only the whole package when no later release ships it
        if (version === undefined && instances === undefined && partOnly) return end.release !== undefined && !shippedFrom(neuron, pkg, end.release);
        return true;
      });
      if (match) out.push({ announcement: a, ...subjectWords(match, neuron) });
    }
    return out;
  });
}

/** The end announcements about what a Neuron DLC is: its Python, OS, framework version (on the repository's instance families) and repository. */
function imageEnds(info: NeuronImageInfo & { python?: string; os?: string }, ctx: RuleContext, scope: 'dlc' | 'dlami' = 'dlc'): NeuronEndItem[] {
  const neuron = ctx.catalog.neuron!;
  const out: NeuronEndItem[] = [];
  const seen = new Set<NeuronAnnouncement>();
  const add = (list: readonly NeuronAnnouncement[], keep: (s: NeuronSubject) => boolean) => {
    for (const a of list) {
      if (seen.has(a) || !END_KINDS.has(a.kind)) continue;
      const s = a.subjects.find(keep);
      if (!s) continue;
      seen.add(a);
      out.push({ announcement: a, ...subjectWords(s, neuron) });
    }
  };
  const fw = info.framework && info.framework in FRAMEWORK_NAMES ? (info.framework as NeuronFramework) : undefined;
  if (fw && info.frameworkVersion) {
    const instances = info.accelerator === 'neuron' ? ['inf1'] : ['trn1', 'trn2', 'inf2'];
    add(neuron.announcementsFor({ framework: fw, version: info.frameworkVersion, instances }), (s) => 'framework' in s && !('image' in s) && s.framework === fw && s.scope === undefined && (s.version === undefined || hasVersionPrefix(s.version, info.frameworkVersion!)) && (!s.instances || s.instances.some((i) => instances.includes(i))));
  }
  if (info.python) add(neuron.announcementsFor({ python: info.python }), (s) => 'python' in s);
  if (info.os) add(neuron.announcementsFor({ os: info.os }), (s) => 'os' in s && (s.scope === undefined || s.scope === scope));
  if (info.repository) add(neuron.announcementsFor({ image: 'dlc', name: info.repository }), (s) => 'image' in s && s.name?.toLowerCase() === info.repository!.toLowerCase());
  return out;
}

/**
 * Judges end announcements on `ctx.asOf`: announcements made after `asOf` are dropped; items whose
 * first release without support is not after `after` are dropped (DLC tags); the rest are grouped by
 * what they are about. Groups in effect come first, ordered by the day the end took effect.
 */
export function judgeEnds(items: readonly NeuronEndItem[], ctx: RuleContext, after?: NeuronRelease): { ended: NeuronEndGroup[]; announced: NeuronEndGroup[] } {
  const neuron = ctx.catalog.neuron!;
  const asOf = toEpochDay(ctx.asOf);
  const groups = new Map<string, NeuronEndGroup>();
  for (const { announcement: a, what, clause } of items) {
    if (toEpochDay(a.announced) > asOf) continue;
    const end = neuron.supportEnd(a);
    if (after && end.release && compareSdkVersions(end.release.version, after.version) <= 0) continue;
    const inEffect = end.date !== undefined ? toEpochDay(end.date) <= asOf : end.release !== undefined;
    let g = groups.get(what);
    if (!g) groups.set(what, (g = { what, clause, announced: a.announced, inEffect: false, primary: a, end, announcements: [] }));
    g.announcements.push(a);
    if (a.announced < g.announced) g.announced = a.announced;
    const since = end.date ?? end.release?.date ?? a.announced;
    if (inEffect && (!g.inEffect || since < g.since!)) Object.assign(g, { inEffect: true, since, release: end.release, primary: a, end });
    else if (!g.inEffect && earlierEnd(end, g.end)) Object.assign(g, { primary: a, end });
  }
  const all = [...groups.values()];
  const ended = all.filter((g) => g.inEffect).sort((x, y) => (x.since! < y.since! ? -1 : x.since! > y.since! ? 1 : 0));
  const announced = all.filter((g) => !g.inEffect).sort((x, y) => (earlierEnd(x.end, y.end) ? -1 : earlierEnd(y.end, x.end) ? 1 : 0));
  return { ended, announced };
}

/** `a` ends before `b` (a known release or day before an unknown one). */
function earlierEnd(a: SupportEnd, b: SupportEnd): boolean {
  const da = a.date ?? a.release?.date;
  const db = b.date ?? b.release?.date;
  if (da && db) return da < db;
  return da !== undefined && db === undefined;
}

/** A group as a message phrase. */
function phrase(g: NeuronEndGroup, ctx: RuleContext): msg.NeuronEndPhrase {
  const a = g.primary;
  const when = msg.neuronEndText({ release: g.end.release?.version, date: g.end.date ?? g.end.release?.date, effectiveRelease: a.effectiveRelease, lastRelease: a.lastRelease }, ctx.asOf);
  return { what: g.what, when, announced: g.announced, clause: g.clause };
}

/** How a package version stands on `ctx.asOf`: an end of support in effect, announced, or neither. Memoised per catalog. */
function standing(pkg: string, version: string, ctx: RuleContext): VersionStanding {
  return ctx.catalog.memoized(`neuron-standing\u0000${pkg}\u0000${version}\u0000${ctx.asOf}`, () => {
    const { ended, announced } = judgeEnds(packageEnds(pkg, version, ctx), ctx);
    return ended.length ? 'ended' : announced.length ? 'announced' : 'supported';
  });
}

// ---------------------------------------------------------------------------
// Facts

function releaseSource(r: NeuronRelease, neuron: NeuronReleases): string | undefined {
  return neuron.source(r.dateSource)?.title ?? r.dateSource;
}

function announcementFacts(groups: readonly NeuronEndGroup[], neuron: NeuronReleases): Fact[] {
  const facts: Fact[] = [];
  for (const g of groups) for (const a of g.announcements) facts.push({ label: `Announcement ${a.announced}`, value: `${a.what}: ${a.statement}`, source: `${neuron.source(a.source)?.title ?? a.source} (${a.path})` });
  return facts;
}

/** The release facts of a reference: its release(s) with their day, the framework part, the latest release. */
function releaseFacts(releases: readonly NeuronRelease[], part: FrameworkPart | undefined, ctx: RuleContext): Fact[] {
  const neuron = ctx.catalog.neuron!;
  const facts: Fact[] = [];
  const newest = releases[releases.length - 1];
  if (newest) {
    facts.push({ label: releases.length > 1 ? 'Neuron SDK releases' : 'Neuron SDK release', value: msg.releaseList(releases.map((r) => r.version)), source: neuron.source(newest.sources[0])?.title });
    if (newest.date) facts.push({ label: `Neuron ${newest.version} released`, value: `${newest.date} (${msg.relativeDays(daysBetween(ctx.asOf, newest.date))})`, source: releaseSource(newest, neuron) });
  }
  if (part) facts.push({ label: 'Framework part', value: `${FRAMEWORK_NAMES[part.framework]} ${part.version} (Neuron part ${part.neuronPart})` });
  const latest = neuron.latest(ctx.asOf);
  if (latest) facts.push({ label: 'Latest Neuron SDK release', value: latest.date ? `${latest.version} (${latest.date})` : latest.version, source: releaseSource(latest, neuron) });
  return facts;
}

// ---------------------------------------------------------------------------
// The file: mixed releases and the align fix

interface NeuronFileState {
  pins: Map<PackagePinReference, NeuronPinEvaluation>;
  mixed: Map<PackagePinReference, { messages: string[]; facts: Fact[] }>;
  fix?: Fix;
}

const fileStates = new WeakMap<readonly Reference[], { ctx: RuleContext; state: NeuronFileState }>();

function isNeuronPin(r: Reference): r is PackagePinReference {
  return r.kind === 'framework-package-pin' && r.subject === 'neuron';
}

/** `line N`, 1-based, of a reference. */
function lineOf(r: Reference): number {
  return r.range.start.line + 1;
}

/** The state of a file's Neuron pins (memoised per references array and rule context). */
function fileState(siblings: readonly Reference[], ctx: RuleContext): NeuronFileState {
  const hit = fileStates.get(siblings);
  if (hit && hit.ctx === ctx) return hit.state;
  const state = computeFileState(siblings, ctx);
  fileStates.set(siblings, { ctx, state });
  return state;
}

function computeFileState(siblings: readonly Reference[], ctx: RuleContext): NeuronFileState {
  const neuron = ctx.catalog.neuron!;
  const pins = new Map<PackagePinReference, NeuronPinEvaluation>();
  for (const r of siblings) {
    if (!isNeuronPin(r)) continue;
    const ev = evaluateNeuronPin(r, ctx);
    if (ev) pins.set(r, ev);
  }
  const mixed = new Map<PackagePinReference, { messages: string[]; facts: Fact[] }>();
  const add = (r: PackagePinReference, message: string, facts: Fact[]) => {
    const m = mixed.get(r);
    if (m) {
      m.messages.push(message);
      m.facts.push(...facts);
    } else mixed.set(r, { messages: [message], facts });
  };
  const resolved = [...pins].filter(([, ev]) => ev.release !== undefined);
  // the reference release: the one the most pins allow (the newest among equals)
  const votes = new Map<NeuronRelease, number>();
  for (const [, ev] of resolved) for (const r of ev.releases) votes.set(r, (votes.get(r) ?? 0) + 1);
  let reference: NeuronRelease | undefined;
  for (const [r, n] of votes) if (!reference || n > votes.get(reference)! || (n === votes.get(reference)! && compareSdkVersions(r.version, reference.version) > 0)) reference = r;
  if (reference && votes.get(reference)! < resolved.length) {
    const allowing = resolved.filter(([, ev]) => ev.releases.includes(reference!));
    // name an exact pin of the reference release when there is one (a wildcard says little)
    const [oref, oev] = allowing.find(([, ev]) => ev.exact) ?? allowing[0];
    for (const [r, ev] of resolved) {
      if (ev.releases.includes(reference)) continue;
      add(r, msg.neuronMixedReleasesMessage(r.text, ev.releases.map((x) => x.version), oref.text, lineOf(oref), oev.releases.map((x) => x.version)), [
        { label: `${r.pin.name} releases`, value: msg.releaseList(ev.releases.map((x) => x.version)) },
        { label: `${oref.pin.name} releases`, value: msg.releaseList(oev.releases.map((x) => x.version)) },
      ]);
    }
  }
  // a framework build beside a framework pin that asks for another version
  const frameworkPins = siblings.filter((r): r is PackagePinReference => r.kind === 'framework-package-pin' && r.subject !== 'neuron' && ctx.catalog.framework(r.subject) !== undefined);
  // the framework pins that accept none of a build list's versions depend only on the framework and
  // the list: found once per (framework, list) rather than once per Neuron pin (a file may hold many
  // Neuron pins of the same builds and many framework pins: that product was quadratic)
  const disagreeing = new Map<string, PackagePinReference[]>();
  for (const [r, ev] of pins) {
    const part = ev.framework;
    if (!part) continue;
    // the framework versions of the builds the pin allows (one for an exact pin)
    const built = [...new Set(ev.versions.map((v) => frameworkPartOf(ev.package, v)?.version).filter((v): v is string => v !== undefined))];
    const builtText = msg.releaseList(built).replace(/ \(\d+ releases\)$/, '');
    const listKey = `${part.framework}\u0000${built.join('\u0001')}`;
    let against = disagreeing.get(listKey);
    if (against === undefined) {
      against = [];
      // whether a specifier accepts none of the built versions, by specifier (a file may pin a framework many times alike)
      const disagrees = new Map<string, boolean>();
      for (const f of frameworkPins) {
        if (f.subject !== part.framework || f.pin.clauses.length === 0) continue;
        const spec = f.pin.clauses.map((c) => `${c.operator}${c.version}`).join(',');
        let no = disagrees.get(spec);
        if (no === undefined) {
          const accepted = acceptedVersions({ ...f.pin, manager: 'pip' }, built, true);
          disagrees.set(spec, (no = accepted !== undefined && accepted.length === 0));
        }
        if (no) against.push(f);
      }
      disagreeing.set(listKey, against);
    }
    for (const f of against) add(r, msg.neuronFrameworkMismatchMessage(r.text, FRAMEWORK_NAMES[part.framework], builtText, f.text, lineOf(f)), [{ label: `${f.pin.name} pin`, value: f.text }]);
  }
  // the align fix of the file
  let fix: Fix | undefined;
  if (resolved.length) {
    const alignPins: AlignPin[] = resolved.map(([ref, ev]) => ({ ref, package: ev.package, version: ev.version, framework: ev.framework }));
    const actx = alignContext(neuron, ctx);
    // the newest pin: of the exact pins when there are any (`2.*` allows the newest release of all)
    const exact = resolved.filter(([, ev]) => ev.exact);
    const newest = (exact.length ? exact : resolved).map(([, ev]) => ev.release!).reduce((a, b) => (compareSdkVersions(a.version, b.version) >= 0 ? a : b));
    // the target depends on the pins' packages, versions and framework parts (how many of each, not
    // where they are written nor their order), the newest release and asOf: memoised per catalog
    const pinsKey = alignPins.map((p) => `${p.package}\u0001${p.version ?? ''}\u0001${p.framework?.framework ?? ''}\u0001${p.framework?.version ?? ''}`).sort().join('\u0002');
    const target = ctx.catalog.memoized(`neuron-align-target\u0000${ctx.asOf}\u0000${newest.version}\u0000${pinsKey}`, () => alignTarget(alignPins, newest, actx));
    if (target) fix = neuronAlignFix(alignPins, frameworkPins, target, actx);
  }
  return { pins, mixed, fix };
}

/** What the align fix needs from the rules: which releases and versions are supported on `asOf`. */
function alignContext(neuron: NeuronReleases, ctx: RuleContext): AlignContext {
  const latest = neuron.latest(ctx.asOf);
  const accepted = new Map<string, boolean>();
  return {
    neuron,
    asOf: ctx.asOf,
    standing: (pkg, version) => standing(pkg, version, ctx),
    supported: (r) => r === latest || (r.date !== undefined && toEpochDay(r.date) <= toEpochDay(ctx.asOf) && !outdatedOn(r, ctx.asOf)),
    accepts: (pin, version) => {
      // asked for every pin of the file: by package, manager, specifier and version
      const key = `${pin.normalizedName}\u0000${pin.manager ?? ''}\u0000${pin.clauses.map((c) => `${c.operator}${c.version}`).join(',')}\u0000${version}`;
      let yes = accepted.get(key);
      if (yes === undefined) accepted.set(key, (yes = pinAccepts(pin, version, neuron.packageVersions(pin.normalizedName))));
      return yes;
    },
  };
}

/** The release's 12 months (365 days) are over before `asOf`. */
function outdatedOn(r: NeuronRelease, asOf: CalendarDay): boolean {
  return r.date !== undefined && toEpochDay(addDays(r.date, 365)) < toEpochDay(asOf);
}

// ---------------------------------------------------------------------------
// Rules

/** `torch-neuronx 2.1.2.2.3.0 (Neuron SDK 2.20.0)`, `neuronx-cc==2.* (at 2.27.5334.0, Neuron SDK 2.32.0)`. */
function pinHolder(ref: PackagePinReference, ev: NeuronPinEvaluation): string {
  const at = ev.release ? `Neuron SDK ${ev.release.version}` : '';
  return ev.exact && ev.version ? `${ref.pin.name} ${ev.version} (${at})` : `${ref.text} (at ${ev.version}, ${at})`;
}

/** The end-of-support, announced and outdated findings of a reference judged at release `release`. */
function lifecycleFindings(ref: Reference, holder: string, release: NeuronRelease | undefined, ended: NeuronEndGroup[], announced: NeuronEndGroup[], baseFacts: Fact[], ctx: RuleContext, version?: string): Finding[] {
  const neuron = ctx.catalog.neuron!;
  const out: Finding[] = [];
  const extra = version === undefined ? {} : { version };
  if (ended.length) {
    const facts = [...baseFacts, ...announcementFacts(ended, neuron), { label: 'Policy', value: ended[0].clause }];
    out.push(referenceFinding('neuron-end-of-support', msg.neuronEndOfSupportMessage(holder, ended.map((g) => phrase(g, ctx))), ref, facts, [], { ...extra, since: ended[0].since }));
  }
  // what has ended is not also "announced"
  const pending = announced.filter((g) => !ended.some((e) => e.what === g.what));
  if (pending.length) {
    const facts = [...baseFacts, ...announcementFacts(pending, neuron), { label: 'Policy', value: pending[0].clause }];
    out.push(referenceFinding('neuron-end-of-support-announced', msg.neuronEndAnnouncedMessage(holder, pending.map((g) => phrase(g, ctx))), ref, facts, [], extra));
  }
  const latest = neuron.latest(ctx.asOf);
  if (release?.date && outdatedOn(release, ctx.asOf) && latest && compareSdkVersions(latest.version, release.version) > 0) {
    const ago = daysBetween(release.date, ctx.asOf);
    const facts = [...baseFacts, { label: 'Policy', value: `${msg.NEURON_SDK_CLAUSE}: supported for at least 12 months` }];
    out.push(referenceFinding('neuron-sdk-outdated', msg.neuronOutdatedMessage(holder, release.version, release.date, ago, latest.version, latest.date), ref, facts, [], { ...extra, since: addDays(release.date, 365) }));
  }
  return out;
}

/**
 * Runs the Neuron rules on one Neuron package pin.
 * @param siblings every reference of the same file (for `neuron-mixed-releases` and the align fix)
 * @returns findings with their default severities; [] when the catalog has no Neuron data, the
 *   package is unknown, or the pin is not a Neuron pin
 */
export function checkNeuronPin(ref: PackagePinReference, siblings: readonly Reference[], ctx: RuleContext): Finding[] {
  if (ref.subject !== 'neuron' || !ctx.catalog.neuron) return [];
  const ev = evaluateNeuronPin(ref, ctx);
  if (!ev) return [];
  // a pin of `siblings` is in the state of `siblings` already (its pins are every Neuron pin of it
  // that evaluates, as `ref` does): only a pin seen there for the first time needs the linear search
  const known = fileStates.get(siblings);
  const state = known && known.ctx === ctx && known.state.pins.has(ref) ? known.state : fileState(siblings.includes(ref) ? siblings : [...siblings, ref], ctx);
  const out: Finding[] = [];
  if (ev.unresolved === 'newer-than-catalog') {
    out.push(referenceFinding('unknown-version', `The catalog (dated ${ctx.catalog.generated}) does not know ${ref.pin.name} ${ev.version}: no Neuron SDK release it lists shipped it; refresh the catalog.`, ref, [], []));
  }
  const mixed = state.mixed.get(ref);
  if (mixed) out.push(referenceFinding('neuron-mixed-releases', mixed.messages.join(' '), ref, mixed.facts, [], ev.version ? { version: ev.version } : {}));
  if (!ev.release) return out;
  const { ended, announced } = judgeEnds(packageEnds(ev.package, ev.version, ctx), ctx);
  const base = releaseFacts(ev.releases, ev.framework, ctx);
  out.push(...lifecycleFindings(ref, pinHolder(ref, ev), ev.release, ended, announced, base, ctx, ev.version));
  // the align fix once per pin, on its first finding in FIX_CARRIERS order among the rules not turned off (a line offers it once)
  const carrier = FIX_CARRIERS.filter((rule) => ctx.severities[rule] !== 'off')
    .map((rule) => out.find((f) => f.rule === rule))
    .find((f) => f !== undefined);
  if (carrier && state.fix) carrier.fixes = [{ ...state.fix, edits: [...state.fix.edits] }];
  return out;
}

/** The findings that carry the align fix, in the order one is chosen per pin. */
const FIX_CARRIERS = ['neuron-mixed-releases', 'neuron-end-of-support', 'neuron-end-of-support-announced', 'neuron-sdk-outdated'] as const;

/** What a Neuron DLC tag says besides its SDK release, read by the image rules. */
export interface NeuronImageInfo {
  /** DLC repository name (`pytorch-inference-neuronx`). */
  repository?: string;
  /** Framework id of the repository (`pytorch`, `tensorflow`, `jax`). */
  framework?: string;
  /** Framework version of the tag (`2.1.2`). */
  frameworkVersion?: string;
  /** `neuron` (Inf1) or `neuronx` (Trn/Inf2). */
  accelerator?: string;
}

/**
 * Runs `neuron-end-of-support`, `neuron-end-of-support-announced` and `neuron-sdk-outdated` on a
 * Neuron DLC whose tag names its SDK release (`sdk2.15.0`): the release's age, and the end
 * announcements about its framework version, Python, OS and repository whose first release without
 * support comes after the tag's release. No fix (the image fixes are the tag rules').
 * @returns [] when the tag has no `sdkX.Y.Z` part the catalog knows, or the catalog has no Neuron data
 */
export function checkNeuronImage(ref: ImageReference, info: NeuronImageInfo, ctx: RuleContext): Finding[] {
  const neuron = ctx.catalog.neuron;
  const part = ref.image.parts.neuronSdk?.text;
  const m = part ? /^sdk(\d+\.\d+\.\d+)$/i.exec(part) : null;
  const release = m && neuron ? neuron.release(m[1]) : undefined;
  if (!release) return [];
  const full = { ...info, python: ref.image.parts.python?.text, os: ref.image.parts.os?.text };
  const { ended, announced } = judgeEnds(imageEnds(full, ctx), ctx, release);
  const base = releaseFacts([release], undefined, ctx);
  return lifecycleFindings(ref, `This Neuron DLC (Neuron SDK ${release.version})`, release, ended, announced, base, ctx);
}

/**
 * Runs `neuron-end-of-support` and `neuron-end-of-support-announced` on a Neuron DLAMI name, filter
 * or SSM path (`Deep Learning AMI Neuron PyTorch 1.13 (Ubuntu 20.04) *`). The names carry no SDK
 * release (each build ships the latest one), so the announcements about what the name does carry are
 * judged by their dates alone: its framework version (`info.framework`, `info.frameworkVersion`;
 * `accelerator` `neuron` for Inf1 families) and its OS (announcements scoped to DLAMIs or to
 * everything; Neuron §Dependency Software version life-cycle). No `neuron-sdk-outdated` (no
 * release) and no fix (move to a supported family).
 * @returns [] when the catalog has no Neuron data
 */
export function checkNeuronDlami(ref: DlamiReference, info: NeuronImageInfo & { os?: string; familyName: string }, ctx: RuleContext): Finding[] {
  if (!ctx.catalog.neuron) return [];
  const { ended, announced } = judgeEnds(imageEnds({ ...info, repository: undefined }, ctx, 'dlami'), ctx);
  return lifecycleFindings(ref, `This Neuron DLAMI (${info.familyName})`, undefined, ended, announced, [], ctx);
}

/** The support phase of a release and what ended or is announced, in words (hover status). */
function phaseText(release: NeuronRelease | undefined, ended: NeuronEndGroup[], announced: NeuronEndGroup[], ctx: RuleContext): string {
  if (ended.length) return `⚠ End of support since ${ended[0].since}: ${ended.map((g) => g.what).join(', ')} (${ended[0].clause}).`;
  if (announced.length) {
    const g = announced[0];
    const day = g.end.date ?? g.end.release?.date;
    return `End of support announced${day ? ` for ${day}` : ''}: ${announced.map((x) => x.what).join(', ')} (announced ${g.announced}; ${g.clause}).`;
  }
  if (release && outdatedOn(release, ctx.asOf)) return `Outdated: Neuron SDK ${release.version} is more than 12 months old (${msg.NEURON_SDK_CLAUSE}).`;
  return release ? `Supported: Neuron SDK ${release.version} has no end of support in effect or announced.` : 'No Neuron SDK release is known for this pin.';
}

/** `neuronx-cc 2.13.66.0; torch-neuronx …; aws-neuronx-dkms 2.16.7.0; …` of a release without `skip`: pip packages first, at most `max` packages. */
function componentsText(release: NeuronRelease, skip: string, neuron: NeuronReleases, max: number): string {
  const pipFirst = (n: string) => (neuron.package(n)?.type === 'pip' ? 0 : 1);
  const names = Object.keys(release.packages)
    .filter((n) => n !== skip)
    .sort((a, b) => pipFirst(a) - pipFirst(b) || (a < b ? -1 : a > b ? 1 : 0));
  const shown = names.slice(0, max).map((n) => {
    const vs = release.packages[n];
    return `${n} ${vs.length > 3 ? `${vs.slice(-3).join(', ')} (+${vs.length - 3})` : vs.join(', ')}`;
  });
  return `${shown.join('; ')}${names.length > max ? `; … (${names.length} packages)` : ''}`;
}

/**
 * The hover of a Neuron package pin: its SDK release(s) and day, the other components of the newest
 * release, the framework part, the support phase on `asOf` (supported, end of support announced,
 * ended, outdated) with the announcements and their sources. Undefined when the package is unknown.
 */
export function describeNeuronPin(ref: PackagePinReference, ctx: RuleContext): ReferenceDescription | undefined {
  const neuron = ctx.catalog.neuron;
  const ev = evaluateNeuronPin(ref, ctx);
  if (!neuron || !ev) return undefined;
  const title = ev.release ? `${ref.pin.name} ${ev.version ?? ''} · Neuron SDK ${ev.release.version}`.replace('  ', ' ') : `${ref.pin.name} (Neuron package)`;
  if (!ev.release) {
    const known = neuron.packageVersions(ev.package);
    const status =
      ev.unresolved === 'unpinned'
        ? 'Not pinned: no Neuron SDK release to evaluate.'
        : ev.unresolved === 'unreadable'
          ? 'The version specifier could not be read.'
          : ev.unresolved === 'after-as-of'
            ? `Only Neuron SDK releases after ${ctx.asOf} shipped a version this pin allows: not judged as of ${ctx.asOf}.`
            : `No Neuron SDK release in the catalog (dated ${ctx.catalog.generated}) shipped a version this pin allows.`;
    return { title, status, facts: known.length ? [{ label: 'Known versions', value: `${known[0]} … ${known[known.length - 1]} (${known.length})` }] : [] };
  }
  const { ended, announced } = judgeEnds(packageEnds(ev.package, ev.version, ctx), ctx);
  const facts = releaseFacts(ev.releases, ev.framework, ctx);
  facts.push({ label: `Other components of Neuron ${ev.release.version}`, value: componentsText(ev.release, ev.package, neuron, 16), source: neuron.source(ev.release.sources[0])?.title });
  facts.push(...announcementFacts([...ended, ...announced], neuron));
  const status = `${ev.exact ? '' : `Resolves to ${ev.version} (the highest known version \`${ref.pin.specifier}\` allows). `}${phaseText(ev.release, ended, announced, ctx)}`;
  return { title, status, facts };
}
