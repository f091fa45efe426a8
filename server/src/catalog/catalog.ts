/**
 * The lifecycle catalog as the scanners and rules query it: frameworks and their package
 * aliases, framework versions (`major.minor`) with GA and end-of-patch dates, patch releases,
 * and the sources of every fact. Built from a validated {@link CatalogFile}; immutable.
 *
 * Scanners may ask what things *are* ({@link Catalog.frameworkForPackage}); only rules ask
 * about support, and always with an explicit `asOf` day.
 */
import picomatch from 'picomatch';
import { compare } from '@renovatebot/pep440';
import type { CalendarDay } from '../dates';
import { toEpochDay } from '../dates';
import type { DlcImageIndex } from './images';
import type { LifecycleFacts } from './lifecycle';
import type { NeuronReleases } from './neuron';
import type { CatalogFile, EndOfPatchBasis, SourceRow } from './schema';

/**
 * The parts of the catalog beyond frameworks, each given as a function that validates and indexes
 * the part; it runs on first use, once (so that start-up pays only for the parts a run needs).
 * A part is absent in a catalog built from `catalog.toml` alone (tests).
 */
export interface CatalogExtensions {
  /** DLC repositories, published tags, tag schemes and registries (`images.toml`). */
  images?: () => DlcImageIndex;
  /** Python and OS end of life, retired things, DLAMI families (`lifecycle.toml`). */
  lifecycle?: () => LifecycleFacts;
  /** Neuron SDK releases, their packages and end-of-support announcements (`neuron.toml`). */
  neuron?: () => NeuronReleases;
}

/** Runs a part's builder once and keeps its result. */
function once<T>(build: (() => T) | undefined): () => T | undefined {
  let done = false;
  let value: T | undefined;
  return () => {
    if (!done) {
      value = build?.();
      done = true;
    }
    return value;
  };
}

/**
 * A Hugging Face DLC line: the images of one repository built for one transformers version on one
 * framework version (`huggingface-pytorch-training` 4.36.0 on PyTorch 2.1.0). Its end of patch is
 * its framework version's (the DLC support policy is stated per framework version).
 */
export interface HuggingFaceLine {
  repository: string;
  /** `pytorch` or `tensorflow`. */
  framework: string;
  frameworkVersion: string;
  transformersVersion: string;
  /** The published tags of the line. */
  tags: string[];
}

/** A framework (PyTorch, TensorFlow, Apache MXNet) and how it is named in package managers. */
export interface Framework {
  id: string;
  name: string;
  packages: string[];
  packagePatterns: string[];
  discontinued?: { on: string; note: string; source: string; successor?: string };
}

/** One released `major.minor.patch` of a framework version. */
export interface PatchRelease {
  version: string;
  released?: CalendarDay;
  /** `stated` (a source states the day), `tag` (git tag date), `upper_bound` (released on or before). */
  dateKind?: 'stated' | 'tag' | 'upper_bound';
  source: string;
  evidence?: string;
}

/** A framework version (`major.minor`, the unit of support, DLAMI §Note) and its lifecycle facts. */
export interface FrameworkVersion {
  framework: string;
  /** `major.minor`. */
  version: string;
  ga?: CalendarDay;
  gaSource?: string;
  endOfPatch?: CalendarDay;
  endOfPatchBasis?: EndOfPatchBasis;
  endOfPatchSource?: string;
  endOfPatchInference?: CalendarDay;
  note?: string;
  /** Known final patch releases, ascending. */
  patches: PatchRelease[];
}

/** Normalises a Python package name as PEP 503 does: lowercase, runs of `-`, `_`, `.` become `-`. */
export function normalizePackageName(name: string): string {
  // most names are normalised already (`torch`, `scikit-learn`): checked without a copy
  for (let i = 0, dash = false; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const isDash = c === 45; // '-'
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || isDash) || (isDash && dash)) return name.toLowerCase().replace(/[-_.]+/g, '-');
    dash = isDash;
  }
  return name;
}

/** `major.minor` of a version text such as `2.1.0`, `2.1`, `2.1.0+cpu`; undefined if it has no two numeric parts. */
export function minorOf(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/**
 * Compares patch releases `major.minor.patch` (the only form the schema allows) numerically, which is
 * their PEP 440 order, without a PEP 440 parse per comparison (the catalog sorts every version's
 * patches when it is built).
 */
function comparePatch(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  return Number(x[0]) - Number(y[0]) || Number(x[1]) - Number(y[1]) || Number(x[2]) - Number(y[2]);
}

/** Compares `major.minor` texts numerically. */
export function compareMinor(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

export class Catalog {
  readonly generated: CalendarDay;
  readonly dataAsOf?: CalendarDay;
  readonly frameworks: readonly Framework[];
  private readonly sources: Record<string, SourceRow>;
  private readonly byPackage = new Map<string, Framework>();
  private readonly patternMatchers: Array<{ match: (s: string) => boolean; framework: Framework }> = [];
  private readonly versions = new Map<string, FrameworkVersion[]>();
  private readonly releaseLists = new Map<string, string[]>();
  private readonly supportedByDay = new Map<string, FrameworkVersion[]>();
  private readonly memo = new Map<string, unknown>();
  /** {@link frameworkForPackage} answers of the name patterns (null: no framework). */
  private readonly byPackagePattern = new Map<string, Framework | null>();
  /** {@link framework}'s index, built on first use. */
  private byId?: Map<string, Framework>;
  private readonly parts: { images: () => DlcImageIndex | undefined; lifecycle: () => LifecycleFacts | undefined; neuron: () => NeuronReleases | undefined };

  constructor(file: CatalogFile, extensions: CatalogExtensions = {}) {
    this.parts = { images: once(extensions.images), lifecycle: once(extensions.lifecycle), neuron: once(extensions.neuron) };
    this.generated = file.catalog.generated;
    this.dataAsOf = file.catalog.data_as_of;
    this.sources = file.sources;
    this.frameworks = file.frameworks.map((f) => ({
      id: f.id,
      name: f.name,
      packages: f.packages,
      packagePatterns: f.package_patterns,
      discontinued: f.discontinued,
    }));
    for (const f of this.frameworks) {
      for (const p of f.packages) this.byPackage.set(p, f);
      for (const pattern of f.packagePatterns) this.patternMatchers.push({ match: picomatch(pattern), framework: f });
      this.versions.set(f.id, []);
    }
    for (const row of file.versions) {
      const list = this.versions.get(row.framework);
      if (!list) continue; // validated in load.ts
      list.push({
        framework: row.framework,
        version: row.version,
        ga: row.ga,
        gaSource: row.ga_source,
        endOfPatch: row.end_of_patch,
        endOfPatchBasis: row.end_of_patch_basis,
        endOfPatchSource: row.end_of_patch_source,
        endOfPatchInference: row.end_of_patch_inference,
        note: row.note,
        patches: row.patches
          .map((p) => ({ version: p.version, released: p.released, dateKind: p.date_kind, source: p.source, evidence: p.evidence }))
          .sort((a, b) => comparePatch(a.version, b.version)),
      });
    }
    for (const list of this.versions.values()) list.sort((a, b) => compareMinor(a.version, b.version));
  }

  /** The framework a PEP 503-normalised package name installs (`torch` → PyTorch), if any. Lookalikes such as `torchvision` are not aliases. */
  frameworkForPackage(normalizedName: string): Framework | undefined {
    const direct = this.byPackage.get(normalizedName);
    if (direct) return direct;
    // every other package name of a file comes here: a map of its own, keyed by the name as it is
    // (no key built per call), bounded and holding copies of the names like `memoized`
    const hit = this.byPackagePattern.get(normalizedName);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.patternMatchers.find((m) => m.match(normalizedName))?.framework;
    if (this.byPackagePattern.size >= 5000) this.byPackagePattern.clear();
    this.byPackagePattern.set(normalizedName.length < 13 ? normalizedName : ` ${normalizedName}`.slice(1), found ?? null);
    return found;
  }

  /** The framework of an id (`pytorch`), if the catalog lists it (the first of that id). */
  framework(id: string): Framework | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (const f of this.frameworks) if (!this.byId.has(f.id)) this.byId.set(f.id, f);
    }
    return this.byId.get(id);
  }

  /** Every known version of a framework, oldest first. */
  frameworkVersions(frameworkId: string): readonly FrameworkVersion[] {
    return this.versions.get(frameworkId) ?? [];
  }

  /** The framework version (`major.minor`) record, if the catalog knows it. */
  frameworkVersion(frameworkId: string, minor: string): FrameworkVersion | undefined {
    return this.frameworkVersions(frameworkId).find((v) => v.version === minor);
  }

  /** Every known final release `x.y.z` of a framework, ascending. */
  releases(frameworkId: string): string[] {
    let list = this.releaseLists.get(frameworkId);
    if (!list) {
      list = this.frameworkVersions(frameworkId).flatMap((v) => v.patches.map((p) => p.version));
      this.releaseLists.set(frameworkId, list);
    }
    return list;
  }

  /** The newest known patch release of a framework version. */
  latestPatch(v: FrameworkVersion): PatchRelease | undefined {
    return v.patches[v.patches.length - 1];
  }

  /** The patch release record of an exact `x.y.z`, if known. */
  patchRelease(frameworkId: string, version: string): PatchRelease | undefined {
    const minor = minorOf(version);
    const fv = minor ? this.frameworkVersion(frameworkId, minor) : undefined;
    return fv?.patches.find((p) => compare(p.version, version) === 0);
  }

  /**
   * Framework versions whose end of patch is after `asOf` and that have a known release, oldest
   * first: the versions a fix may move to (rules.md §Fixes must be safe).
   */
  supportedVersions(frameworkId: string, asOf: CalendarDay): FrameworkVersion[] {
    const key = `${frameworkId}@${asOf}`;
    let list = this.supportedByDay.get(key);
    if (!list) {
      const day = toEpochDay(asOf);
      list = this.frameworkVersions(frameworkId).filter(
        (v) => v.endOfPatch !== undefined && toEpochDay(v.endOfPatch) >= day && v.patches.length > 0,
      );
      if (this.supportedByDay.size > 1000) this.supportedByDay.clear();
      this.supportedByDay.set(key, list);
    }
    return list;
  }

  /** DLC repositories, published tags and registries; validated and indexed on first use. @throws CatalogError when the part is invalid */
  get images(): DlcImageIndex | undefined {
    return this.parts.images();
  }

  /** Python and OS end of life, retired things, DLAMI families; validated and indexed on first use. @throws CatalogError */
  get lifecycle(): LifecycleFacts | undefined {
    return this.parts.lifecycle();
  }

  /** Neuron SDK releases and announcements; validated and indexed on first use. @throws CatalogError */
  get neuron(): NeuronReleases | undefined {
    return this.parts.neuron();
  }

  /** Validates and indexes every part now (refresh and tests: a catalog must be whole before it is kept). @throws CatalogError */
  validateAllParts(): void {
    void this.images;
    void this.lifecycle;
    void this.neuron;
  }

  /**
   * Framework version records as the rules see them: for a `job` of `inference`, a version's
   * inference end of patch when the table gives one (PyTorch 2.6 inference images were supported
   * longer than training images), else the common one.
   */
  endOfPatch(v: FrameworkVersion, job?: 'training' | 'inference'): CalendarDay | undefined {
    return job === 'inference' && v.endOfPatchInference ? v.endOfPatchInference : v.endOfPatch;
  }

  /**
   * The Hugging Face DLC lines (transformers version × framework version per repository), read
   * from the published tags of the `huggingface-pytorch-*` and `huggingface-tensorflow-*`
   * repositories; empty without image data. Sorted by repository, framework and transformers version.
   */
  huggingFaceLines(): readonly HuggingFaceLine[] {
    return this.memoized('huggingface-lines', () => {
      const lines = new Map<string, HuggingFaceLine>();
      for (const repo of this.images?.repositories() ?? []) {
        const m = /^huggingface-(pytorch|tensorflow)-/.exec(repo.name);
        if (!m) continue;
        for (const tag of repo.tags) {
          const parts = this.images!.parseDlcTag(tag, repo.name);
          const fv = parts?.frameworkVersion?.text;
          const tv = parts?.transformersVersion?.text;
          if (!fv || !tv) continue;
          const key = `${repo.name}\u0000${fv}\u0000${tv}`;
          const line = lines.get(key) ?? { repository: repo.name, framework: m[1], frameworkVersion: fv, transformersVersion: tv, tags: [] };
          line.tags.push(tag);
          lines.set(key, line);
        }
      }
      return [...lines.values()].sort(
        (a, b) => a.repository.localeCompare(b.repository) || compare(a.frameworkVersion, b.frameworkVersion) || compare(a.transformersVersion, b.transformersVersion),
      );
    });
  }

  /**
   * Returns the answer memoised under `key`, computing it once. For pure answers derived from the
   * (immutable) catalog and the key's inputs only; bounded (cleared past 5,000 entries).
   */
  memoized<T>(key: string, compute: () => T): T {
    // a key is often built from document text (package names, tags): it is stored as a copy of its
    // own, so that the memo does not keep documents alive (see `detached` in text.ts)
    const hit = this.memo.get(key);
    if (hit !== undefined || this.memo.has(key)) return hit as T;
    const value = compute();
    if (this.memo.size >= 5000) this.memo.clear();
    this.memo.set(key.length < 13 ? key : ` ${key}`.slice(1), value);
    return value;
  }

  /** Title and locator of a source id, for messages and hovers. Unknown ids come back as themselves. */
  source(id: string | undefined): SourceRow | undefined {
    return id ? this.sources[id] : undefined;
  }
  sourceTitle(id: string | undefined): string {
    if (!id) return 'unknown source';
    return this.sources[id]?.title ?? id;
  }
}
