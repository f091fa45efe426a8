/**
 * The DLC image catalog as scanners and rules query it: ECR repositories of AWS Deep Learning
 * Containers with their published tags, the tag schemes those tags follow, and the registries
 * (region → ECR account) that serve them. Built from a validated `server/data/images.toml`
 * ({@link parseImagesFile}); immutable; no I/O and no clock.
 *
 * The pure tag reader {@link parseDlcTagAt} / {@link parseDlcTag} is exported on its own so that
 * scanners can read a tag inside a larger text (an image URI in a Dockerfile) by its range.
 */
import { CatalogError, problemsError, schemaError } from './errors';
import { imagesFileSchema, TAG_PATTERN } from './imagesSchema';
import type { ImagesFile } from './imagesSchema';

// ---------------------------------------------------------------------------
// Tag reading

/** A part of a tag: its text and its 0-based UTF-16 offsets in the scanned string (`end` exclusive). */
export interface TagPart {
  text: string;
  start: number;
  end: number;
}

/**
 * The tag schemes found in the DLC data, told apart by the parts a tag carries:
 * - `full`: `2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`, `2.6-cpu-py312-ubuntu22.04-ec2-v1`, legacy `1.8.1-gpu-py36-cu111-ubuntu18.04`
 * - `short`: `2.9.0-gpu-py312`, `0.13-gpu-py312-ec2`, `1.10-cpu-py38`
 * - `legacy-py`: Python 2/3 tags of the pre-DLC SageMaker images and Triton, `4.1.0-gpu-py2`, `1.0.0-cpu-py3`, `23.12-py3`
 * - `amzn2023`: Amazon Linux 2023 tags without Python, `2.13.0-cu133-amzn2023-sagemaker`, `3.8.6-cu128-amzn2023`
 * - `neuron`: Inferentia/Trainium tags, `1.13.1-neuronx-py310-sdk2.15.0-ubuntu20.04`, `0.23.0-neuronx-sdk2.12.0`
 * - `huggingface`: `2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04`
 * - `engine`: a serving engine after the version, `0.36.0-lmi27.0.0-cu130`, `2.0.0-tgi0.6.0-gpu-py39-cu118-ubuntu20.04`, `2.0.1-sgm0.1.0-…`
 * - `minimal`: version and processor only, `2.18.0-gpu`, `1.13-gpu`
 * - `algorithm`: SageMaker algorithm images, `1.4-2`, `1.0-1-cpu-py3`, `1.5-1-arm64`
 * - `build`: build-numbered, `b9522-gpu-cu130-ubuntu24.04-v1`
 * - `rolling`: no framework version, `server-cuda-v2.0`, `omni-sagemaker-cuda-v1.4`, `serve-ml-cpu-v1`, `devel-cu129-amzn2023`, `latest`
 * - `toolkit`: a toolkit release instead of a framework version, `coach0.11-cpu-py3`
 */
export type DlcTagScheme =
  | 'full'
  | 'short'
  | 'legacy-py'
  | 'amzn2023'
  | 'neuron'
  | 'huggingface'
  | 'engine'
  | 'minimal'
  | 'algorithm'
  | 'build'
  | 'rolling'
  | 'toolkit';

/**
 * The parts of a DLC image tag. Every part is optional except the range of the whole tag; which
 * parts are present decides the {@link DlcTagScheme}.
 */
export interface DlcTagParts {
  scheme: DlcTagScheme;
  /** Offsets of the whole tag in the scanned string. */
  start: number;
  end: number;
  /** `2.1.0`, `2.6`, `0.24.0.1.1.0`, algorithm versions `1.4-2`, build numbers `b9522`. */
  frameworkVersion?: TagPart;
  /** The version after `transformers` (`4.36.0` of `transformers4.36.0`). */
  transformersVersion?: TagPart;
  /** A serving engine or toolkit with its version: `tgi0.6.0`, `lmi27.0.0`, `optimum0.4.5`, `tei1.9.3`, `sgm0.1.0`, `synapseai1.4.1`, `coach0.11`. */
  engine?: TagPart;
  /** A word naming the image variant: `server`, `omni`, `serve-ml`, `devel`, `runtime`, `latest`, `full` (of `cpu-full`). */
  variant?: TagPart;
  /** `cpu`, `gpu`, `cuda`, `neuron`, `neuronx`, `inf`, `inf1`, `inf2`, `trn`, `trn1`, `hpu`. */
  processor?: TagPart;
  /** `arm64` (XGBoost/scikit-learn Graviton tags). */
  arch?: TagPart;
  /** `py2`, `py3`, `py36` … `py313`. */
  python?: TagPart;
  /** `cu121`. */
  cuda?: TagPart;
  /** `ubuntu20.04`, `amzn2023`, `al2023`, `amazonlinux2`. */
  os?: TagPart;
  /** `sdk2.15.0`. */
  neuronSdk?: TagPart;
  /** `sagemaker`, `ec2`, `e3`. */
  platform?: TagPart;
  /** Release suffix without its dash: `v1`, `v1.2` (always the last part). */
  suffix?: TagPart;
}

/** The result of {@link DlcImageIndex.parseDlcTag}: the parts, and whether the repository published the tag. */
export interface CheckedDlcTag extends DlcTagParts {
  /** Set when a known repository was named: true when the catalog lists this exact tag. */
  published?: boolean;
}

const MAX_TAG_LENGTH = 128; // Docker's limit
const PROCESSOR_KIND: Readonly<Record<string, string>> = {
  cpu: 'cpu',
  gpu: 'gpu',
  cuda: 'gpu',
  neuron: 'neuron',
  inf: 'neuron',
  inf1: 'neuron',
  neuronx: 'neuronx',
  inf2: 'neuronx',
  trn: 'neuronx',
  trn1: 'neuronx',
  hpu: 'hpu',
};
const PLATFORMS = new Set(['sagemaker', 'ec2', 'e3']);
const KEYWORDS = new Set([...Object.keys(PROCESSOR_KIND), ...PLATFORMS, 'arm64', 'full']);
const RE = {
  version: /^\d+(?:\.\d+)*$/,
  digits: /^\d+$/,
  build: /^b\d+$/,
  word: /^[a-z]+$/,
  python: /^py\d+$/,
  cuda: /^cu\d+$/,
  sdk: /^sdk\d+(?:\.\d+)*$/,
  os: /^(?:ubuntu\d+\.\d+|amzn\d+|al\d+|amazonlinux\d*)$/,
  suffix: /^v\d+(?:\.\d+)*$/,
  transformers: /^transformers\d+(?:\.\d+)*$/,
  engine: /^[a-z]+\d+(?:\.\d+)*$/,
};

type Slot = Exclude<keyof DlcTagParts, 'scheme' | 'start' | 'end'>;

/** Splits `text[start, end)` on `-`; undefined on an empty token or a character outside `[a-z0-9._]`. */
function tokens(text: string, start: number, end: number): TagPart[] | undefined {
  const out: TagPart[] = [];
  let from = start;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 45; // a virtual '-' closes the last token
    if (c === 45) {
      if (i === from) return undefined;
      out.push({ text: text.slice(from, i), start: from, end: i });
      from = i + 1;
    } else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 95)) {
      return undefined;
    }
  }
  return out;
}

const span = (a: TagPart, b: TagPart, text: string): TagPart => ({ text: text.slice(a.start, b.end), start: a.start, end: b.end });

/** The slot a token after the head fills, or undefined when it is not a tag component. */
function slotOf(tok: string): Slot | undefined {
  if (tok in PROCESSOR_KIND) return 'processor';
  if (PLATFORMS.has(tok)) return 'platform';
  if (tok === 'arm64') return 'arch';
  if (tok === 'full') return 'variant';
  if (RE.python.test(tok)) return 'python';
  if (RE.cuda.test(tok)) return 'cuda';
  if (RE.sdk.test(tok)) return 'neuronSdk';
  if (RE.os.test(tok)) return 'os';
  if (RE.suffix.test(tok)) return 'suffix';
  if (RE.transformers.test(tok)) return 'transformersVersion';
  if (RE.engine.test(tok)) return 'engine';
  return undefined;
}

function schemeOf(p: Omit<DlcTagParts, 'scheme'>, head: 'version' | 'algorithm' | 'build' | 'rolling' | 'toolkit'): DlcTagScheme {
  if (head !== 'version') return head;
  const kind = p.processor ? PROCESSOR_KIND[p.processor.text] : undefined;
  if (p.neuronSdk || kind === 'neuron' || kind === 'neuronx') return 'neuron';
  if (p.transformersVersion) return 'huggingface';
  if (p.engine) return 'engine';
  if (p.os) return p.python ? 'full' : 'amzn2023';
  if (p.python) return /^py\d$/.test(p.python.text) ? 'legacy-py' : 'short';
  return 'minimal';
}

/**
 * Reads the DLC image tag in `text[start, end)` (a whole tag, without the `repo:` before it).
 * Splits on `-` and classifies each token by the schemes the DLC data shows; every returned
 * part's offsets lie inside `[start, end)` and its `text` equals `text.slice(part.start, part.end)`.
 * Token patterns are anchored and free of nested quantifiers, so the work is linear in the length.
 *
 * @returns undefined when the range is empty or out of bounds, longer than 128 characters (Docker's
 *   limit), holds a character outside `[a-z0-9._-]`, has an empty token, a token that is no known
 *   tag component, a component twice, or a suffix that is not last. Never throws.
 */
export function parseDlcTagAt(text: string, start = 0, end: number = text.length): DlcTagParts | undefined {
  if (typeof text !== 'string' || !Number.isInteger(start) || !Number.isInteger(end)) return undefined;
  if (start < 0 || end > text.length || start >= end || end - start > MAX_TAG_LENGTH) return undefined;
  const toks = tokens(text, start, end);
  if (!toks) return undefined;
  const parts: Omit<DlcTagParts, 'scheme'> = { start, end };
  const first = toks[0];
  let i = 1;
  let head: 'version' | 'algorithm' | 'build' | 'rolling' | 'toolkit';
  if (RE.version.test(first.text)) {
    if (toks.length > 1 && RE.digits.test(toks[1].text)) {
      parts.frameworkVersion = span(first, toks[1], text); // `1.4-2`
      head = 'algorithm';
      i = 2;
    } else {
      parts.frameworkVersion = first;
      head = 'version';
    }
  } else if (RE.build.test(first.text)) {
    parts.frameworkVersion = first;
    head = 'build';
  } else if (RE.word.test(first.text) && !KEYWORDS.has(first.text)) {
    let last = first;
    if (toks.length > 1 && RE.word.test(toks[1].text) && !KEYWORDS.has(toks[1].text)) last = toks[i++]; // `serve-ml`
    parts.variant = span(first, last, text);
    head = 'rolling';
  } else if (RE.engine.test(first.text) && slotOf(first.text) === 'engine') {
    parts.engine = first;
    head = 'toolkit';
  } else {
    return undefined;
  }
  for (; i < toks.length; i++) {
    const tok = toks[i];
    const slot = slotOf(tok.text);
    if (!slot || parts[slot] !== undefined) return undefined;
    if (slot === 'suffix' && i !== toks.length - 1) return undefined;
    if (slot === 'transformersVersion') {
      const at = tok.start + 'transformers'.length;
      parts.transformersVersion = { text: text.slice(at, tok.end), start: at, end: tok.end };
    } else {
      parts[slot] = tok;
    }
  }
  return { scheme: schemeOf(parts, head), ...parts };
}

/** {@link parseDlcTagAt} over a whole string. */
export function parseDlcTag(tag: string): DlcTagParts | undefined {
  return parseDlcTagAt(tag, 0, typeof tag === 'string' ? tag.length : 0);
}

/**
 * The processor family a tag runs on: `cpu`, `gpu`, `neuron`, `neuronx` or `hpu`; a tag without a
 * processor but with a CUDA part (`2.13.0-cu133-amzn2023`) is `gpu`. Undefined when the tag says nothing.
 */
export function processorKind(parts: DlcTagParts): string | undefined {
  if (parts.processor) return PROCESSOR_KIND[parts.processor.text];
  return parts.cuda ? 'gpu' : undefined;
}

/** Numeric components of a version part (`2.1.0` → [2, 1, 0], `1.4-2` → [1, 4, 2], `b9522` → [9522]). */
function versionNumbers(v: string): number[] {
  return v
    .replace(/^[a-z]+/, '')
    .split(/[.-]/)
    .map((x) => Number.parseInt(x, 10) || 0);
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// ---------------------------------------------------------------------------
// The index

/** A line of the DLC docs data (one image configuration) with its GA/EOP dates. */
export interface DlcImageLine {
  version: string;
  processor: string;
  platform: string;
  python?: string;
  os?: string;
  ga?: string;
  eop?: string;
  tags: readonly string[];
  source: string;
}

/** An ECR repository of DLC images and what its images are. */
export interface DlcRepository {
  name: string;
  /** `pytorch`, `tensorflow`, `mxnet` (the ids of `catalog.toml`) or another lowercase id (`huggingface-pytorch`, `vllm`, …). */
  framework: string;
  frameworkName: string;
  job: 'training' | 'inference' | 'training-inference' | 'base' | 'evaluation';
  /** Normalised processor families: `cpu`, `gpu`, `neuron`, `neuronx`, `hpu`. */
  processors: readonly string[];
  /** `sagemaker`, `ec2`, `e3`. */
  platforms: readonly string[];
  accelerator?: 'neuron' | 'neuronx' | 'eia' | 'graviton' | 'arm64' | 'habana' | 'trcomp';
  /** True when neither the current DLC docs data nor the current Neuron DLC README lists the repository. */
  legacy: boolean;
  /** ECR Public prefixes that also serve the repository. */
  publicRegistries: readonly string[];
  /** Source ids that list tags of this repository. */
  sources: readonly string[];
  /** Every published tag, sorted. */
  tags: readonly string[];
  lines: readonly DlcImageLine[];
}

/** A private ECR registry: the account that serves DLC images in a region. */
export interface DlcRegistry {
  kind: 'dlc' | 'sagemaker-algorithm';
  region: string;
  account: string;
  /** ECR DNS suffix: `amazonaws.com`, `amazonaws.com.cn`, … */
  domain: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`. */
  partition: string;
  source: string;
  confirmedBy: readonly string[];
  otherAccounts: ReadonlyArray<{ account: string; source: string }>;
}

/** How an account relates to DLC images. */
export type AccountKind = 'dlc' | 'sagemaker-algorithm' | 'legacy';

/** A tag suggested by {@link DlcImageIndex.nearestPublishedTags}. */
export interface NearTag {
  tag: string;
  parts: DlcTagParts;
  /** The source id the tag is listed under. */
  source: string;
}

interface Candidate {
  tag: string;
  parts: DlcTagParts;
  numbers: number[];
  /** The version numbers without trailing zeros: `2.10` and `2.10.0` share one key. */
  versionKey: string;
  variantKey: string;
  shapeKey: string;
  looseKey: string;
}

interface RepoIndex {
  repo: DlcRepository;
  tagSource: Map<string, string>;
  candidates?: Candidate[];
}

const PART_ORDER: readonly Slot[] = ['frameworkVersion', 'transformersVersion', 'engine', 'variant', 'processor', 'arch', 'python', 'cuda', 'os', 'neuronSdk', 'platform', 'suffix'];

function keysOf(parts: DlcTagParts): { variantKey: string; shapeKey: string; looseKey: string } {
  const looseKey = `${processorKind(parts) ?? ''}|${parts.platform?.text ?? ''}`;
  const engineName = parts.engine ? parts.engine.text.replace(/[\d.]+$/, '') : '';
  const variantKey = `${parts.scheme}|${looseKey}|${parts.arch?.text ?? ''}|${parts.variant?.text ?? ''}|${engineName}`;
  const present = PART_ORDER.filter((s) => parts[s] !== undefined).join(',');
  const depth = (part?: TagPart) => (part ? part.text.split('.').length : 0);
  return { variantKey, shapeKey: `${variantKey}|${present}|${depth(parts.frameworkVersion)}|${depth(parts.transformersVersion)}`, looseKey };
}

/** Expands one tag pattern (`{a,b}-rest` → `a-rest`, `b-rest`). */
export function expandTagPattern(pattern: string): string[] {
  if (!pattern.startsWith('{')) return [pattern];
  const close = pattern.indexOf('}');
  const rest = pattern.slice(close + 1);
  return pattern
    .slice(1, close)
    .split(',')
    .map((h) => h + rest);
}

/**
 * Expands a repository's `[repositories.tags]` blocks: tag → the source id it is listed under
 * (the first one), plus the patterns that do not match the pattern grammar (with their line numbers).
 */
function expandTags(blocks: Readonly<Record<string, string>>): { tags: Map<string, string>; bad: Array<{ source: string; line: number; pattern: string }> } {
  const tags = new Map<string, string>();
  const bad: Array<{ source: string; line: number; pattern: string }> = [];
  for (const [source, block] of Object.entries(blocks)) {
    const lines = block.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const pattern = lines[n].trim();
      if (!pattern) continue;
      if (!TAG_PATTERN.test(pattern)) bad.push({ source, line: n + 1, pattern });
      else for (const t of expandTagPattern(pattern)) if (!tags.has(t)) tags.set(t, source);
    }
  }
  return { tags, bad };
}

/**
 * The DLC image catalog. Lookups by repository, tag, region and account are hash lookups built in
 * the constructor; the per-repository index used by {@link nearestPublishedTags} is built on first
 * use and kept.
 */
export class DlcImageIndex {
  readonly generated: string;
  readonly dataAsOf?: string;
  private readonly sources: ImagesFile['sources'];
  private readonly repos = new Map<string, RepoIndex>();
  private readonly registries = new Map<string, DlcRegistry>();
  private readonly accountRegions = new Map<string, string[]>();
  private readonly accountKinds = new Map<string, AccountKind>();
  private readonly legacyAccounts = new Map<string, { regions: readonly string[]; note: string; source: string }>();
  private readonly publicPrefixes: ReadonlyArray<{ prefix: string; kind: 'dlc' | 'neuron'; source: string }>;
  private readonly partitions: ReadonlyArray<{ re: RegExp; partition: string; domain: string; source: string }>;

  /**
   * @param file a file that passed {@link parseImagesFile}'s validation.
   * @param expanded tag → source id per repository when the caller has already expanded the patterns.
   */
  constructor(file: ImagesFile, expanded?: ReadonlyMap<string, Map<string, string>>) {
    this.generated = file.catalog.generated;
    this.dataAsOf = file.catalog.data_as_of;
    this.sources = file.sources;
    for (const r of file.repositories) {
      const tagSource = expanded?.get(r.name) ?? expandTags(r.tags).tags;
      const repo: DlcRepository = {
        name: r.name,
        framework: r.framework,
        frameworkName: r.framework_name,
        job: r.job,
        processors: r.processors,
        platforms: r.platforms,
        accelerator: r.accelerator,
        legacy: r.legacy,
        publicRegistries: r.public_registries,
        sources: r.sources,
        tags: [...tagSource.keys()].sort(),
        lines: r.lines.map((l) => ({ ...l })),
      };
      this.repos.set(r.name, { repo, tagSource });
    }
    for (const g of file.registries) {
      this.registries.set(`${g.kind}|${g.region}`, {
        kind: g.kind,
        region: g.region,
        account: g.account,
        domain: g.domain,
        partition: g.partition,
        source: g.source,
        confirmedBy: g.confirmed_by,
        otherAccounts: g.other_accounts,
      });
      if (g.kind === 'dlc') {
        const list = this.accountRegions.get(g.account) ?? [];
        list.push(g.region);
        this.accountRegions.set(g.account, list);
      }
      if (this.accountKinds.get(g.account) !== 'dlc') this.accountKinds.set(g.account, g.kind);
    }
    for (const list of this.accountRegions.values()) list.sort();
    for (const l of file.legacy_registries) {
      this.legacyAccounts.set(l.account, { regions: l.regions, note: l.note, source: l.source });
      if (!this.accountKinds.has(l.account)) this.accountKinds.set(l.account, 'legacy');
    }
    this.publicPrefixes = file.public_registries.map((p) => ({ prefix: p.prefix, kind: p.kind, source: p.source }));
    this.partitions = file.partitions.map((p) => ({ re: new RegExp(p.region_pattern), partition: p.partition, domain: p.domain, source: p.source }));
  }

  /** The repository record of an ECR repository name (`pytorch-training`), if the catalog knows it. */
  repository(name: string): DlcRepository | undefined {
    return this.repos.get(name)?.repo;
  }

  /** Every repository, sorted by name. */
  repositories(): DlcRepository[] {
    return [...this.repos.values()].map((r) => r.repo).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Reads a tag as {@link parseDlcTag} does; when `repository` names a known repository, also says
   * whether that repository published the exact tag (`published`). Never throws.
   */
  parseDlcTag(tag: string, repository?: string): CheckedDlcTag | undefined {
    const parts = parseDlcTag(tag);
    if (!parts || repository === undefined) return parts;
    const r = this.repos.get(repository);
    return r ? { ...parts, published: r.tagSource.has(tag) } : parts;
  }

  /** True when the catalog lists `tag` as published in `repository` (hash lookup). */
  isPublished(repository: string, tag: string): boolean {
    return this.repos.get(repository)?.tagSource.has(tag) ?? false;
  }

  /** The source id a published tag is listed under (the first source that lists it), if published. */
  tagSource(repository: string, tag: string): string | undefined {
    return this.repos.get(repository)?.tagSource.get(tag);
  }

  /**
   * Published tags of `repository` closest to `tag` whose framework version satisfies `accept`
   * (called with the tag's `frameworkVersion` text, e.g. `2.1.0` or `2.6`), at most `limit`,
   * one tag per framework version. Candidates are taken from the narrowest group that has any, widening
   * as needed: same scheme, processor family, platform, variant and part layout (e.g. short tags for a
   * short tag) → same scheme, processor family and platform → same processor family and platform →
   * same processor family (a GPU tag never gets a CPU suggestion; a tag without processor gets any).
   * Order: the same `major.minor` at the same or a newer patch (nearest first), then newer versions
   * (nearest first), then older ones (nearest first). Within a version the tag sharing the most of
   * python, CUDA, OS and suffix with `tag` wins. The input tag itself is never returned.
   * @returns [] when the repository is unknown or `tag` has no framework version.
   */
  nearestPublishedTags(repository: string, tag: string, accept: (frameworkVersion: string) => boolean, limit = 3): NearTag[] {
    const r = this.repos.get(repository);
    const target = parseDlcTag(tag);
    if (!r || !target?.frameworkVersion || limit <= 0) return [];
    const candidates = this.candidatesOf(r);
    const keys = keysOf(target);
    const tv = versionNumbers(target.frameworkVersion.text);
    const kind = processorKind(target);
    const levels: Array<(c: Candidate) => boolean> = [
      (c) => c.shapeKey === keys.shapeKey,
      (c) => c.variantKey === keys.variantKey,
      (c) => c.looseKey === keys.looseKey,
      (c) => kind === undefined || processorKind(c.parts) === kind,
    ];
    const chosen = new Set<string>(); // framework versions already suggested (`2.10` and `2.10.0` count as one)
    const verdicts = new Map<string, boolean>();
    const accepted = (v: string) => {
      let ok = verdicts.get(v);
      if (ok === undefined) {
        ok = accept(v) === true;
        verdicts.set(v, ok);
      }
      return ok;
    };
    const score = (c: Candidate) =>
      (c.parts.python?.text === target.python?.text ? 8 : 0) +
      (c.parts.cuda?.text === target.cuda?.text ? 4 : 0) +
      (c.parts.os?.text === target.os?.text ? 2 : 0) +
      (c.parts.suffix?.text === target.suffix?.text ? 1 : 0);
    const out: Candidate[] = [];
    for (const inLevel of levels) {
      if (out.length >= limit) break;
      const best = new Map<string, Candidate>();
      for (const c of candidates) {
        if (c.tag === tag || chosen.has(c.versionKey) || !inLevel(c) || !accepted(c.parts.frameworkVersion!.text)) continue;
        const prev = best.get(c.versionKey);
        if (!prev || score(c) > score(prev) || (score(c) === score(prev) && c.tag < prev.tag)) best.set(c.versionKey, c);
      }
      const ranked = [...best.values()].sort((a, b) => this.closeness(tv, a.numbers, b.numbers));
      for (const c of ranked) {
        if (out.length >= limit) break;
        out.push(c);
        chosen.add(c.versionKey);
      }
    }
    return out.map((c) => ({ tag: c.tag, parts: c.parts, source: r.tagSource.get(c.tag)! }));
  }

  /** Sort order of two candidate versions relative to the target version `t`. */
  private closeness(t: readonly number[], a: readonly number[], b: readonly number[]): number {
    const group = (v: readonly number[]) => {
      const cmp = compareNumbers(v, t);
      if (cmp >= 0 && v[0] === t[0] && (v[1] ?? 0) === (t[1] ?? 0)) return 0;
      return cmp > 0 ? 1 : 2;
    };
    const ga = group(a);
    const gb = group(b);
    if (ga !== gb) return ga - gb;
    return ga === 2 ? compareNumbers(b, a) : compareNumbers(a, b);
  }

  private candidatesOf(r: RepoIndex): Candidate[] {
    if (!r.candidates) {
      const list: Candidate[] = [];
      for (const tag of r.repo.tags) {
        const parts = parseDlcTag(tag);
        if (!parts?.frameworkVersion) continue;
        const numbers = versionNumbers(parts.frameworkVersion.text);
        const trimmed = [...numbers];
        while (trimmed.length > 1 && trimmed[trimmed.length - 1] === 0) trimmed.pop();
        list.push({ tag, parts, numbers, versionKey: trimmed.join('.'), ...keysOf(parts) });
      }
      r.candidates = list;
    }
    return r.candidates;
  }

  /** The DLC registry (or, with `kind`, the SageMaker algorithm registry) of a region: `{ account, domain, partition, … }`. */
  registryFor(region: string, kind: DlcRegistry['kind'] = 'dlc'): DlcRegistry | undefined {
    return this.registries.get(`${kind}|${region}`);
  }

  /** Every registry row of a kind, sorted by region. */
  registryList(kind: DlcRegistry['kind'] = 'dlc'): DlcRegistry[] {
    return [...this.registries.values()].filter((g) => g.kind === kind).sort((a, b) => a.region.localeCompare(b.region));
  }

  /** Regions whose DLC registry is `account`, sorted (`763104351884` → us-east-1, us-west-2, …). */
  regionsForAccount(account: string): readonly string[] {
    return this.accountRegions.get(account) ?? [];
  }

  /** True when `account` serves DLC images in some region (the DLC registries, not the algorithm or legacy ones). */
  isDlcAccount(account: string): boolean {
    return this.accountKinds.get(account) === 'dlc';
  }

  /** What an account is to the catalog: a DLC registry, the SageMaker algorithm registry, a legacy account; undefined for others. */
  accountKind(account: string): AccountKind | undefined {
    return this.accountKinds.get(account);
  }

  /** True when `account` is a legacy framework-image account (the `520713654638` pattern, the pre-23.12 Triton account). */
  isLegacyAccount(account: string): boolean {
    return this.legacyAccounts.has(account);
  }

  /** The legacy record of an account (regions, note, source). */
  legacyAccount(account: string): { regions: readonly string[]; note: string; source: string } | undefined {
    return this.legacyAccounts.get(account);
  }

  /**
   * The ECR Public registry a URI (or its `host/namespace` prefix) belongs to:
   * `public.ecr.aws/deep-learning-containers/vllm:0.13-gpu-py312` → `{ prefix, kind: 'dlc' }`.
   */
  publicRegistry(uri: string): { prefix: string; kind: 'dlc' | 'neuron'; source: string } | undefined {
    return this.publicPrefixes.find((p) => uri === p.prefix || uri.startsWith(`${p.prefix}/`) || uri.startsWith(`${p.prefix}:`));
  }

  /** Partition and ECR domain of any region code by the partition rules (first match), e.g. `eusc-de-east-1` → aws-eusc, amazonaws.eu. */
  partitionFor(region: string): { partition: string; domain: string; source: string } | undefined {
    const hit = this.partitions.find((p) => p.re.test(region));
    return hit ? { partition: hit.partition, domain: hit.domain, source: hit.source } : undefined;
  }

  /** Title and locator of a source id. */
  source(id: string): ImagesFile['sources'][string] | undefined {
    return this.sources[id];
  }
}

// ---------------------------------------------------------------------------
// Loading

/** `origin: key.path: message` for the first schema issue, the form `parseCatalog` reports. */
/**
 * Validates a parsed `images.toml` (the value `toml.parse` returns) and builds the index.
 * @param origin file name for messages
 * @throws CatalogError `origin: key.path: message` for a schema error, or `origin: where: problem`
 *   for a failed cross-check: unknown source id, duplicate repository or (kind, region) registry,
 *   bad tag pattern, a partition rule that does not give a registry's partition/domain, or a docs
 *   line whose tag the repository does not list.
 */
export function parseImagesFile(raw: unknown, origin: string): DlcImageIndex {
  const { file, expanded } = validateImagesFile(raw, origin);
  return new DlcImageIndex(file, expanded);
}

/**
 * The checks of {@link parseImagesFile} without building the index: the file as the schema gives it
 * (defaults filled in), and each repository's tags expanded (tag → source id).
 * @throws CatalogError as {@link parseImagesFile}
 */
export function validateImagesFile(raw: unknown, origin: string): { file: ImagesFile; expanded: Map<string, Map<string, string>> } {
  const parsed = imagesFileSchema.safeParse(raw);
  if (!parsed.success) throw schemaError(origin, parsed.error.issues[0]);
  const file = parsed.data;
  const problems: string[] = [];
  const known = (id: string, where: string) => {
    if (!(id in file.sources)) problems.push(`${where}: unknown source id ${JSON.stringify(id)}`);
  };
  const rules: Array<{ re: RegExp; partition: string; domain: string }> = [];
  file.partitions.forEach((p, i) => {
    known(p.source, `partitions[${i}].source`);
    try {
      rules.push({ re: new RegExp(p.region_pattern), partition: p.partition, domain: p.domain });
    } catch {
      problems.push(`partitions[${i}].region_pattern: not a regular expression`);
    }
  });
  const regKeys = new Set<string>();
  file.registries.forEach((g, i) => {
    const where = `registries[${i}] (${g.kind} ${g.region})`;
    known(g.source, `${where}.source`);
    g.confirmed_by.forEach((id, j) => known(id, `${where}.confirmed_by[${j}]`));
    g.other_accounts.forEach((o, j) => known(o.source, `${where}.other_accounts[${j}].source`));
    if (regKeys.has(`${g.kind}|${g.region}`)) problems.push(`${where}: duplicate registry for the region`);
    regKeys.add(`${g.kind}|${g.region}`);
    const rule = rules.find((r) => r.re.test(g.region));
    if (!rule || rule.partition !== g.partition || rule.domain !== g.domain) problems.push(`${where}: partition/domain do not follow the partition rules`);
  });
  file.legacy_registries.forEach((l, i) => known(l.source, `legacy_registries[${i}].source`));
  file.public_registries.forEach((p, i) => known(p.source, `public_registries[${i}].source`));
  const expanded = new Map<string, Map<string, string>>();
  file.repositories.forEach((r, i) => {
    const where = `repositories[${i}] (${r.name})`;
    if (expanded.has(r.name)) problems.push(`${where}: duplicate repository`);
    r.sources.forEach((id, j) => known(id, `${where}.sources[${j}]`));
    for (const id of Object.keys(r.tags)) {
      known(id, `${where}.tags.${id}`);
      if (!r.sources.includes(id)) problems.push(`${where}.tags.${id}: source not in the repository's sources`);
    }
    const { tags: listed, bad } = expandTags(r.tags);
    for (const b of bad) problems.push(`${where}.tags.${b.source} line ${b.line}: ${JSON.stringify(b.pattern)} is not a tag pattern`);
    expanded.set(r.name, listed);
    r.lines.forEach((l, j) => {
      known(l.source, `${where}.lines[${j}].source`);
      for (const t of l.tags) if (!listed.has(t)) problems.push(`${where}.lines[${j}]: tag ${t} is not among the repository's tags`);
      if (l.ga && l.eop && l.ga > l.eop) problems.push(`${where}.lines[${j}]: ga ${l.ga} after eop ${l.eop}`);
    });
  });
  if (problems.length > 0) {
    throw problemsError(origin, problems);
  }
  return { file, expanded };
}
