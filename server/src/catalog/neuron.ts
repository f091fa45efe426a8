/**
 * AWS Neuron SDK releases, the package versions each release shipped, and Neuron announcements
 * (end of support, maintenance mode, deprecations), as the Neuron rules query them
 * (`docs/rules/neuron-*.md`; Neuron SDK maintenance policy §Neuron SDK version life-cycle and
 * §Dependency Software). Built from a validated {@link NeuronFile} (`server/data/neuron.toml`);
 * pure and immutable: no clock reads (every "as of" day is a parameter) and no I/O.
 *
 * Package names are compared PEP 503-normalised (`mx_neuron` = `mx-neuron`, `torch_xla` =
 * `torch-xla`). Package versions are compared as PEP 440 release numbers: `1.15.5.2.3.0` and
 * `1.15.5.2.3.0.0` are the same version.
 */
import type { CalendarDay } from '../dates';
import { normalizePackageName } from './catalog';
import { CatalogError, schemaError } from './errors';
import type { AnnouncementKind, NeuronFile, NeuronFramework, NeuronSubject } from './neuronSchema';
import { neuronFileSchema } from './neuronSchema';

export type { AnnouncementKind, NeuronFramework, NeuronSubject } from './neuronSchema';

/** One Neuron SDK release (`X.Y.Z`) and what it shipped. */
export interface NeuronRelease {
  version: string;
  /** Release day; absent when no source dates it (1.12.3). */
  date?: CalendarDay;
  /** Source id of `date` (`neuron-release-notes`, or `neuron-git-tags` for undated headings). */
  dateSource?: string;
  dateEvidence?: string;
  /** Other days printed for this release elsewhere in the docs (conflicts; `date` is the one used). */
  otherDates: readonly CalendarDay[];
  /** Commit date of the release's git tag when it differs from `date`. */
  tagDate?: CalendarDay;
  dateNote?: string;
  /** `neuron1` (1.x, Inf1 only) or `neuron2` (2.x). */
  line: 'neuron1' | 'neuron2';
  /** Instance families any package of the release supports (`inf1`, `inf2`, `trn1`, …). */
  instances: readonly string[];
  /** Instance family → Python `major.minor` versions its pip packages support in this release. */
  python: Readonly<Record<string, readonly string[]>>;
  /** Source ids of the manifests the packages come from (empty for releases before 1.10.0). */
  sources: readonly string[];
  /** Source id → `"<name> <version>"` entries that only that manifest lists (2.3.0–2.8.0). */
  onlyIn: Readonly<Record<string, readonly string[]>>;
  /** Why `packages` is empty (releases before 1.10.0; 2.22.1, a driver-only patch). */
  packagesNote?: string;
  /** PEP 503-normalised package name → versions shipped, ascending. Empty before 1.10.0 and for 2.22.1. */
  packages: Readonly<Record<string, readonly string[]>>;
}

/** A package name the Neuron manifests list. */
export interface NeuronPackage {
  /** PEP 503-normalised name. */
  name: string;
  /** Names as the manifests spell them (`mx_neuron`, `torch_xla`, `torch-xla`). */
  spellings: readonly string[];
  /** `pip` (a wheel), `os` (apt/yum package such as `aws-neuronx-dkms`), `library`, `installer`. */
  type: 'pip' | 'os' | 'library' | 'installer';
  /** Framework of a framework build (`torch-neuronx` → `pytorch`; see {@link frameworkPartOf}). */
  framework?: NeuronFramework;
  /** True when the name is also published outside Neuron (`torch-xla`, `efa-installer`, `islpy`). */
  shared: boolean;
  instances: readonly string[];
}

/** A Neuron announcement, structured as far as its statement allows. */
export interface NeuronAnnouncement {
  id: string;
  what: string;
  /**
   * `end-of-support` (announced, takes effect at `effectiveRelease` / after `lastRelease`),
   * `no-longer-supported` (in effect from `effectiveRelease`), `maintenance` (critical fixes only,
   * policy Phase 3), `deprecation`, `intent` (end announced with no release or day), `other`.
   */
  kind: AnnouncementKind;
  announced: CalendarDay;
  /** First release without support, `X.Y.Z` (`"starting with Neuron 2.29"` → `2.29.0`). */
  effectiveRelease?: string;
  /** Last release with support as written: `X.Y` (that whole line) or `X.Y.Z`. */
  lastRelease?: string;
  effectiveDate?: CalendarDay;
  subjects: readonly NeuronSubject[];
  note?: string;
  /** First paragraph of the announcement, cut to 300 characters. */
  statement: string;
  source: string;
  /** File of the announcement in the source repository. */
  path: string;
}

/** The framework and Neuron parts of a framework build version. Offsets are `[start, end)` into the text given. */
export interface FrameworkPart {
  framework: NeuronFramework;
  /** Framework version, `major.minor.patch` (`2.1.2` of `2.1.2.2.3.0`). */
  version: string;
  /** The rest after the framework version and its dot (`2.3.0`, or `*` of `2.1.2.*`). */
  neuronPart: string;
  offsets: { version: [number, number]; neuronPart: [number, number] };
}

/** What {@link NeuronReleases.announcementsFor} is asked about; the shapes follow {@link NeuronSubject}. */
export type NeuronSubjectQuery =
  | { package: string; version?: string; instances?: readonly string[] }
  | { framework: NeuronFramework; version?: string; instances?: readonly string[] }
  | { python: string }
  | { os: string }
  | { instance: string }
  | { image: 'dlami' | 'dlc'; name?: string }
  | { feature: string };

/** When support for an announcement's subjects ends: the first release without it and that release's day, or the stated day. */
export interface SupportEnd {
  release?: NeuronRelease;
  date?: CalendarDay;
}

/**
 * Package name → framework of the Neuron framework builds whose versions start with
 * `major.minor.patch` of the framework (a naming convention of the Neuron packages, so it lives
 * here rather than in the data; the tests check every version in neuron.toml against it).
 */
const FRAMEWORK_BUILDS: Readonly<Record<string, NeuronFramework>> = {
  'torch-neuron': 'pytorch',
  'torch-neuronx': 'pytorch',
  'libtorch-neuronx-lite': 'pytorch',
  'tensorflow-neuron': 'tensorflow',
  'tensorflow-neuronx': 'tensorflow',
  'tensorflow-model-server-neuron': 'tensorflow',
  'tensorflow-model-server-neuronx': 'tensorflow',
  'mx-neuron': 'mxnet',
  'mxnet-neuron': 'mxnet',
  'jax-neuronx': 'jax',
};

const FRAMEWORK_VERSION_RE = /^(\s*)(\d+\.\d+\.\d+)\.([^\s,;]+)/;

/**
 * Splits a Neuron framework build version into its framework and Neuron parts:
 * `torch-neuronx` `2.1.2.2.3.0` → pytorch `2.1.2` + `2.3.0`; `tensorflow-neuron` `1.15.5.2.8.9.0` →
 * tensorflow `1.15.5` + `2.8.9.0`; `torch-neuron` `1.13.1.2.9.74.0` → pytorch `1.13.1` + `2.9.74.0`;
 * `torch-neuronx` `2.1.2.*` → `2.1.2` + `*`. Leading blanks are skipped; the version ends at a blank,
 * `,` or `;`.
 * @returns undefined when the package is not a framework build ({@link FRAMEWORK_BUILDS}), or the text does not start with `major.minor.patch.` followed by more (jax-neuronx
 *   `0.1.1` predates the framework-prefixed versions). Never throws.
 */
export function frameworkPartOf(packageName: string, version: string): FrameworkPart | undefined {
  if (typeof packageName !== 'string' || typeof version !== 'string') return undefined;
  const framework = FRAMEWORK_BUILDS[normalizePackageName(packageName.trim())];
  if (!framework) return undefined;
  const m = FRAMEWORK_VERSION_RE.exec(version);
  if (!m) return undefined;
  const start = m[1].length;
  const versionEnd = start + m[2].length;
  const neuronStart = versionEnd + 1;
  return {
    framework,
    version: m[2],
    neuronPart: m[3],
    offsets: { version: [start, versionEnd], neuronPart: [neuronStart, neuronStart + m[3].length] },
  };
}

/**
 * Orders package versions as PEP 440 does for the forms the Neuron manifests use: the epoch
 * (`1!2.0`) first, then release numbers numerically with trailing zeros ignored, then a
 * pre-release (`b0`, `rc1`, `.dev`) before the plain release, before a post or local part
 * (`+torchneuron7`), then text order. Never throws.
 */
export function comparePackageVersions(a: string, b: string): number {
  const pa = splitVersion(a);
  const pb = splitVersion(b);
  if (pa.epoch !== pb.epoch) return pa.epoch < pb.epoch ? -1 : 1;
  const n = Math.max(pa.release.length, pb.release.length);
  for (let i = 0; i < n; i++) {
    const d = (pa.release[i] ?? 0) - (pb.release[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (pa.rank !== pb.rank) return pa.rank - pb.rank;
  return pa.rest < pb.rest ? -1 : pa.rest > pb.rest ? 1 : 0;
}

function splitVersion(v: string): { epoch: number; release: number[]; rank: number; rest: string } {
  const m = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(.*)$/i.exec(v.trim());
  if (!m) return { epoch: 0, release: [], rank: 3, rest: v };
  const rest = m[3].toLowerCase();
  const rank = rest === '' ? 1 : /^[.-]?(a|b|c|rc|alpha|beta|pre|preview|dev)\d*/.test(rest) ? 0 : 2;
  return { epoch: m[1] ? Number(m[1]) : 0, release: m[2].split('.').map(Number), rank, rest };
}

/** Key under which equal PEP 440 spellings of a version meet (`1.15.5.2.3.0.0` = `1.15.5.2.3`). */
function versionKey(v: string): string {
  let t = v.trim().toLowerCase();
  if (t.charCodeAt(0) === 118 /* v */) t = t.slice(1);
  if (!PLAIN_RELEASE_RE.test(t)) return t;
  let end = t.length;
  while (end > 2 && t.charCodeAt(end - 1) === 48 /* 0 */ && t.charCodeAt(end - 2) === 46 /* . */) end -= 2;
  return end === t.length ? t : t.slice(0, end);
}
const PLAIN_RELEASE_RE = /^\d+(\.\d+)*$/;

/** Compares Neuron SDK versions `X.Y.Z` (or `X.Y`, missing parts are 0) numerically. */
export function compareSdkVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the dotted numbers of `prefix` are the leading components of `version` (`2.7` of `2.7.0`, not of `2.70`). */
function prefixMatches(prefix: string, version: string): boolean {
  const p = prefix.split('.');
  const v = version.trim().split(/[.+]/);
  if (v.length < p.length) return false;
  return p.every((x, i) => /^\d+$/.test(v[i]) && Number(v[i]) === Number(x));
}

function pythonKey(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  const m = /^(?:python|py|cp)?\s*(\d)\.?(\d{1,2})(?:\.\d+)*$/.exec(t);
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

function osKey(text: string): string {
  const t = text.trim().toLowerCase().replace(/[\s_-]+/g, '');
  const u = /^ubuntu(\d\d)(?:\.(\d\d))?$/.exec(t);
  if (u) return `ubuntu${u[1]}.${u[2] ?? '04'}`;
  if (t === 'al2' || t === 'amazonlinux2') return 'amazonlinux2';
  if (t === 'al2023' || t === 'amazonlinux2023') return 'amazonlinux2023';
  return t;
}

function instanceKey(text: string): string {
  const t = text.trim().toLowerCase().replace(/^ml\./, '');
  return /^((?:inf|trn)\d+n?)/.exec(t)?.[1] ?? t;
}

function subjectKey(s: NeuronSubject): string {
  if ('package' in s) return `package:${s.package}`;
  if ('framework' in s && !('image' in s)) return `framework:${s.framework}`;
  if ('python' in s) return `python:${s.python}`;
  if ('os' in s) return `os:${s.os}`;
  if ('instance' in s) return `instance:${s.instance}`;
  if ('image' in s) return `image:${s.image}`;
  return `feature:${s.feature.toLowerCase()}`;
}

const intersects = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * The Neuron SDK releases and announcements. Per-reference lookups ({@link neuronRelease},
 * {@link release}, {@link announcementsFor}, {@link supportEnd}) are O(1) or O(log n) through indexes
 * built in the constructor; {@link releasesAllowing} is linear in the package's known versions.
 */
export class NeuronReleases {
  readonly generated: CalendarDay;
  readonly dataAsOf?: CalendarDay;
  /** Neuron conda packages: the last shipped with `lastRelease` (1.13.0); none from `endedWith` (1.14.0). Policy §Overview. */
  readonly conda: { lastRelease: string; endedWith: string; announced: CalendarDay; packages: Readonly<Record<string, readonly string[]>>; statement: string; source: string };
  private readonly list: readonly NeuronRelease[];
  private readonly byVersion = new Map<string, NeuronRelease>();
  /** Releases with a date, ordered by (date, version). */
  private readonly byDate: readonly NeuronRelease[];
  private readonly packageInfo = new Map<string, NeuronPackage>();
  /** Name → version key → the version (first spelling seen) and the releases that shipped it; built on first use ({@link versionIndex}). */
  private versionsOf: Map<string, Map<string, { version: string; releases: NeuronRelease[] }>> | undefined;
  private readonly sortedVersions = new Map<string, readonly string[]>();
  private readonly announcementList: readonly NeuronAnnouncement[];
  private readonly bySubject = new Map<string, NeuronAnnouncement[]>();
  private readonly order = new Map<NeuronAnnouncement, number>();
  private readonly ends = new Map<NeuronAnnouncement, SupportEnd>();
  private readonly sources: NeuronFile['sources'];

  constructor(file: NeuronFile) {
    this.generated = file.catalog.generated;
    this.dataAsOf = file.catalog.data_as_of;
    this.sources = file.sources;
    this.conda = {
      lastRelease: file.conda.last_release,
      endedWith: file.conda.ended_with,
      announced: file.conda.announced,
      packages: file.conda.packages,
      statement: file.conda.statement,
      source: file.conda.source,
    };
    for (const [name, p] of Object.entries(file.packages)) {
      this.packageInfo.set(name, { name, spellings: p.spellings, type: p.type, framework: FRAMEWORK_BUILDS[name], shared: p.shared ?? false, instances: p.instances });
    }
    this.list = file.releases.map((r) => {
      const rel: NeuronRelease = {
        version: r.version,
        date: r.date,
        dateSource: r.date_source,
        dateEvidence: r.date_evidence,
        otherDates: r.other_dates ?? EMPTY,
        tagDate: r.tag_date,
        dateNote: r.date_note,
        line: r.line,
        instances: r.instances ?? EMPTY,
        python: r.python ?? {},
        sources: r.sources,
        onlyIn: r.only_in ?? {},
        packagesNote: r.packages_note,
        packages: r.packages,
      };
      this.byVersion.set(r.version, rel);
      return rel;
    });
    this.byDate = this.list.filter((r) => r.date !== undefined).sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : compareSdkVersions(a.version, b.version)));
    this.announcementList = file.announcements.map((a, i) => {
      const ann: NeuronAnnouncement = {
        id: a.id,
        what: a.what,
        kind: a.kind,
        announced: a.announced,
        effectiveRelease: a.effective_release,
        lastRelease: a.last_release,
        effectiveDate: a.effective_date,
        subjects: a.subjects,
        note: a.note,
        statement: a.statement,
        source: a.source,
        path: a.path,
      };
      this.order.set(ann, i);
      for (const s of a.subjects) {
        const key = subjectKey(s);
        const at = this.bySubject.get(key);
        if (!at) this.bySubject.set(key, [ann]);
        else if (at[at.length - 1] !== ann) at.push(ann);
      }
      return ann;
    });
  }

  /** Every release, oldest (lowest version) first. */
  releases(): readonly NeuronRelease[] {
    return this.list;
  }

  /** The release `X.Y.Z` exactly (`2.15.0`), or undefined. */
  release(sdkVersion: string): NeuronRelease | undefined {
    return this.byVersion.get(sdkVersion.trim().replace(/^v/, ''));
  }

  /** The releases of a line `X.Y` (`2.28` → 2.28.0, 2.28.1), oldest first. */
  releasesInLine(line: string): NeuronRelease[] {
    const [x, y] = line.split('.');
    return this.list.filter((r) => {
      const [a, b] = r.version.split('.');
      return a === x && b === y;
    });
  }

  /**
   * The newest release dated on or before `asOf` (the newest dated release when `asOf` is not
   * given); undefined when none is. Binary search over the releases ordered by date.
   */
  latest(asOf?: CalendarDay): NeuronRelease | undefined {
    if (asOf === undefined) return this.byDate[this.byDate.length - 1];
    let lo = 0;
    let hi = this.byDate.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.byDate[mid].date! <= asOf) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.byDate[lo - 1] : undefined;
  }

  /**
   * The releases that shipped exactly `version` of `packageName` (any spelling: `mx_neuron`,
   * `MX-Neuron`), oldest first; empty when none did. Exact means equal as PEP 440 release numbers
   * (`1.15.5.2.3.0` = `1.15.5.2.3.0.0`); local parts must match too. O(1).
   */
  neuronRelease(packageName: string, version: string): readonly NeuronRelease[] {
    return this.versionIndex().get(normalizePackageName(packageName.trim()))?.get(versionKey(version))?.releases ?? EMPTY;
  }

  /** The package version index (name → version key → releases), built at the first package lookup: most files never look one up. */
  private versionIndex(): Map<string, Map<string, { version: string; releases: NeuronRelease[] }>> {
    if (!this.versionsOf) {
      const index = new Map<string, Map<string, { version: string; releases: NeuronRelease[] }>>();
      for (const rel of this.list) {
        for (const name in rel.packages) {
          let known = index.get(name);
          if (!known) index.set(name, (known = new Map()));
          for (const v of rel.packages[name]) {
            const vk = versionKey(v);
            const entry = known.get(vk);
            if (entry) entry.releases.push(rel);
            else known.set(vk, { version: v, releases: [rel] });
          }
        }
      }
      this.versionsOf = index;
    }
    return this.versionsOf;
  }

  /**
   * The releases whose version(s) of `packageName` satisfy `accept` (called once per distinct known
   * version, e.g. a PEP 440 specifier check), oldest first, each release once.
   */
  releasesAllowing(packageName: string, accept: (packageVersion: string) => boolean): NeuronRelease[] {
    const name = normalizePackageName(packageName.trim());
    const hit = new Set<NeuronRelease>();
    for (const v of this.packageVersions(name)) {
      if (accept(v)) for (const r of this.neuronRelease(name, v)) hit.add(r);
    }
    return this.list.filter((r) => hit.has(r));
  }

  /** Every known version of a package, ascending ({@link comparePackageVersions}); empty when unknown. */
  packageVersions(packageName: string): readonly string[] {
    const name = normalizePackageName(packageName.trim());
    let sorted = this.sortedVersions.get(name);
    if (!sorted) {
      sorted = [...(this.versionIndex().get(name)?.values() ?? [])].map((e) => e.version).sort(comparePackageVersions);
      this.sortedVersions.set(name, sorted);
    }
    return sorted;
  }

  /** What the manifests say about a package name (any spelling), or undefined. */
  package(packageName: string): NeuronPackage | undefined {
    return this.packageInfo.get(normalizePackageName(packageName.trim()));
  }

  /**
   * True for package names (any spelling) that the Neuron manifests list and that are Neuron's own:
   * names also published outside Neuron (`torch-xla`, `efa-installer`, `islpy`) are not.
   */
  isNeuronPackage(packageName: string): boolean {
    const p = this.package(packageName);
    return p !== undefined && !p.shared;
  }

  /** {@link frameworkPartOf} (pure; never throws). */
  frameworkPartOf(packageName: string, version: string): FrameworkPart | undefined {
    return frameworkPartOf(packageName, version);
  }

  /** Every announcement, in the file's order (by announcement day). */
  announcements(): readonly NeuronAnnouncement[] {
    return this.announcementList;
  }

  /**
   * Announcements with a subject matching `query`, in file order:
   * - `{ package, version?, instances? }`: subjects of that package (any spelling). With `version`,
   *   a subject's version must be a prefix of the framework part (framework builds: `torch-neuron`
   *   `1.9.1.2.5.8.0` matches `1.9`) or of the version; without it every subject of the package
   *   matches. A subject limited to instance families must share one with `instances`, or with the
   *   package's known instances when `instances` is not given.
   * - `{ framework, version?, instances? }`: the same for framework subjects.
   * - `{ python }` (`3.8`, `3.8.10`, `py38`), `{ os }` (`ubuntu20.04`, `Ubuntu 20`, `al2`),
   *   `{ instance }` (`inf1`, `ml.inf1.xlarge`), `{ image, name? }`, `{ feature }` (case-insensitive).
   * Index lookup by subject key, then a filter over the few announcements of that key.
   */
  announcementsFor(query: NeuronSubjectQuery): NeuronAnnouncement[] {
    if ('package' in query) {
      const name = normalizePackageName(query.package.trim());
      const comparable = query.version === undefined ? undefined : (frameworkPartOf(name, query.version)?.version ?? query.version);
      const instances = query.instances ?? this.packageInfo.get(name)?.instances;
      return this.matching(`package:${name}`, (s) => 'package' in s && this.versionAndInstances(s, comparable, instances));
    }
    if ('python' in query) {
      const key = pythonKey(query.python);
      return key ? this.matching(`python:${key}`, () => true) : [];
    }
    if ('os' in query) return this.matching(`os:${osKey(query.os)}`, () => true);
    if ('instance' in query) return this.matching(`instance:${instanceKey(query.instance)}`, () => true);
    if ('image' in query) {
      const name = query.name?.toLowerCase();
      return this.matching(`image:${query.image}`, (s) => 'image' in s && (name === undefined || s.name === undefined || s.name.toLowerCase() === name));
    }
    if ('framework' in query) {
      return this.matching(`framework:${query.framework}`, (s) => 'framework' in s && !('image' in s) && this.versionAndInstances(s, query.version, query.instances));
    }
    return this.matching(`feature:${query.feature.trim().toLowerCase()}`, () => true);
  }

  /**
   * Announcements about a Neuron package reference: its package subjects, plus, for framework builds
   * with a version, the framework subjects of its framework part limited to the package's instance
   * families (`torch-neuronx 2.7.0.2.12.22436` → PyTorch 2.7 on Trn/Inf2). In file order.
   */
  announcementsForPackage(packageName: string, version?: string): NeuronAnnouncement[] {
    const name = normalizePackageName(packageName.trim());
    const found = new Set(this.announcementsFor({ package: name, version }));
    const part = version === undefined ? undefined : frameworkPartOf(name, version);
    if (part) {
      const instances = this.packageInfo.get(name)?.instances;
      for (const a of this.announcementsFor({ framework: part.framework, version: part.version, instances })) found.add(a);
    }
    return [...found].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
  }

  /**
   * When support for an announcement's subjects ends: the first known release without it
   * (`effectiveRelease`, or the release after the `lastRelease` line / version; a release that was
   * never published, such as 1.20.0, resolves to the next one) and its day, or `effectiveDate`.
   * `release` is undefined while the release is not out (`2.33.0`). Memoised; O(log n) the first time.
   */
  supportEnd(a: NeuronAnnouncement): SupportEnd {
    let end = this.ends.get(a);
    if (!end) {
      let release: NeuronRelease | undefined;
      if (a.effectiveRelease) release = this.firstRelease((v) => compareSdkVersions(v, a.effectiveRelease!) >= 0);
      else if (a.lastRelease) {
        const last = a.lastRelease;
        const isLine = last.split('.').length === 2;
        release = this.firstRelease((v) => (isLine ? compareSdkVersions(v.split('.').slice(0, 2).join('.'), last) > 0 : compareSdkVersions(v, last) > 0));
      }
      end = { release, date: a.effectiveDate ?? release?.date };
      this.ends.set(a, end);
    }
    return end;
  }

  /** Title and locator of a source id, or undefined. */
  source(id: string | undefined): NeuronFile['sources'][string] | undefined {
    return id === undefined ? undefined : this.sources[id];
  }

  private firstRelease(atOrAfter: (version: string) => boolean): NeuronRelease | undefined {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (atOrAfter(this.list[mid].version)) hi = mid;
      else lo = mid + 1;
    }
    return this.list[lo];
  }

  private matching(key: string, keep: (s: NeuronSubject) => boolean): NeuronAnnouncement[] {
    const candidates = this.bySubject.get(key);
    if (!candidates) return [];
    return candidates.filter((a) => a.subjects.some((s) => subjectKey(s) === key && keep(s)));
  }

  private versionAndInstances(s: { version?: string; instances?: readonly string[] }, version: string | undefined, instances: readonly string[] | undefined): boolean {
    if (s.version !== undefined && version !== undefined && !prefixMatches(s.version, version)) return false;
    if (s.instances !== undefined && instances !== undefined && !intersects(s.instances, instances.map(instanceKey))) return false;
    return true;
  }
}

/**
 * Validates a parsed `neuron.toml` (TOML or JSON as parsed) and builds the query object.
 * Cross-checks: every source id is defined; release versions are unique and ascending; a date has
 * its `date_source`; every package name of a release, of `[conda]` and of a package subject is in
 * `[packages]`; `only_in` entries name a version the release lists from a source it names; the
 * conda releases exist; announcement ids are unique.
 * @param origin name of the file for messages (`neuron.toml`, `catalog.json#neuron`)
 * @throws CatalogError `origin: key.path: message` for the first problem
 */
export function parseNeuronFile(raw: unknown, origin: string): NeuronReleases {
  return new NeuronReleases(validateNeuronFile(raw, origin));
}

/**
 * The checks of {@link parseNeuronFile} without building the query object: the file as the schema
 * gives it (defaults filled in). @throws CatalogError as {@link parseNeuronFile}
 */
export function validateNeuronFile(raw: unknown, origin: string): NeuronFile {
  const parsed = neuronFileSchema.safeParse(raw);
  if (!parsed.success) throw schemaError(origin, parsed.error.issues[0]);
  const file = parsed.data;
  const problems: Array<[string, string]> = [];
  const source = (id: string | undefined, where: string) => {
    if (id !== undefined && !Object.hasOwn(file.sources, id)) problems.push([where, `unknown source id ${JSON.stringify(id)}`]);
  };
  const knownPackage = (name: string, where: string) => {
    if (!Object.hasOwn(file.packages, name)) problems.push([where, `package ${JSON.stringify(name)} is not in [packages]`]);
  };
  const versions = new Set<string>();
  file.releases.forEach((r, i) => {
    const at = `releases[${i}]`;
    if (i > 0 && compareSdkVersions(file.releases[i - 1].version, r.version) >= 0) problems.push([`${at}.version`, `${r.version} is not after ${file.releases[i - 1].version}`]);
    versions.add(r.version);
    if (r.date !== undefined && r.date_source === undefined) problems.push([`${at}.date_source`, 'a date needs its date_source']);
    if (r.date === undefined && r.date_source !== undefined) problems.push([`${at}.date`, 'date_source without a date']);
    source(r.date_source, `${at}.date_source`);
    r.sources.forEach((s, j) => source(s, `${at}.sources[${j}]`));
    const hasPackages = Object.keys(r.packages).length > 0;
    if (hasPackages && r.sources.length === 0) problems.push([`${at}.sources`, 'packages without a source']);
    if (!hasPackages && r.packages_note === undefined) problems.push([`${at}.packages`, 'no packages and no packages_note']);
    for (const name of Object.keys(r.packages)) knownPackage(name, `${at}.packages.${name}`);
    for (const [s, entries] of Object.entries(r.only_in ?? {})) {
      source(s, `${at}.only_in.${s}`);
      if (!r.sources.includes(s)) problems.push([`${at}.only_in.${s}`, 'not one of the release\'s sources']);
      for (const e of entries) {
        const [name, version] = e.split(' ');
        if (!r.packages[name]?.includes(version)) problems.push([`${at}.only_in.${s}`, `${e} is not in the release's packages`]);
      }
    }
  });
  source(file.conda.source, 'conda.source');
  for (const v of [file.conda.last_release, file.conda.ended_with]) if (!versions.has(v)) problems.push(['conda', `release ${v} is not in [[releases]]`]);
  for (const name of Object.keys(file.conda.packages)) knownPackage(name, `conda.packages.${name}`);
  const ids = new Set<string>();
  file.announcements.forEach((a, i) => {
    const at = `announcements[${i}]`;
    if (ids.has(a.id)) problems.push([`${at}.id`, `duplicate id ${a.id}`]);
    ids.add(a.id);
    source(a.source, `${at}.source`);
    a.subjects.forEach((s, j) => {
      if ('package' in s) knownPackage(s.package, `${at}.subjects[${j}]`);
    });
  });
  if (problems.length > 0) {
    const [where, message] = problems[0];
    throw new CatalogError(`${origin}: ${where}: ${message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, where);
  }
  return file;
}

/** `origin: key.path: message` for a schema issue (`releases[3].date`). */
