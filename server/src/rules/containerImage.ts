/**
 * Rules for container image references (rules.md §Framework image rules, §Dependency rules,
 * §Registry and image rules): `end-of-patch`, `end-of-patch-soon`, `superseded-patch` (a warning for
 * images, DLAMI §Framework version (patch) upgrades), `python-end-of-life`, `os-end-of-life`,
 * `legacy-image`, `discontinued`, `image-not-published`, `registry-region-mismatch` and `unpinned`.
 *
 * DLC images (`family: 'dlc'`) are judged by their repository and tag as the catalog knows them: the
 * framework version of the tag (Hugging Face images through the framework version they are built
 * on: `huggingface-pytorch-*` → PyTorch), the end of patch of the table for the repository's job
 * (`catalog.endOfPatch(v, job)`: inference images of PyTorch 2.6 have their own), or the GA/EOP of
 * the image line in the DLC documentation data for repositories outside the framework table (`base`).
 * Neuron images are left to the Neuron SDK maintenance policy (Neuron §Dependency Software): their
 * framework version is not judged by the DLC framework table, their Python and OS are, and a tag's
 * `sdkX.Y.Z` part gets the Neuron SDK rules (`checkNeuronImage` in `neuronSdk.ts`).
 * Base images (`python`, `ubuntu`, `nvidia/cuda`, `pytorch/pytorch`, …) get the Python, OS and
 * framework rules without fixes (the catalog lists no Docker Hub tags). Mapped images (policy
 * `[[images]]`) get the framework, Python and OS rules from what the mapping captured.
 *
 * Rules never read the clock: `ctx.asOf` is the evaluation day.
 */
import type { DlcRepository, DlcImageLine, DlcTagParts } from '../catalog/images';
import { parseDlcTag } from '../catalog/images';
import type { Framework, FrameworkVersion } from '../catalog/catalog';
import { minorOf } from '../catalog/catalog';
import type { OsRelease, PythonRelease, RetiredThing } from '../catalog/lifecycle';
import type { CalendarDay } from '../dates';
import { addDays, daysBetween, toEpochDay } from '../dates';
import type { TagQuery, TagTarget } from '../fixes/imageTag';
import {
  accountFix,
  currentRepositoryFor,
  hasPlaceholder,
  latestPatchTarget,
  replacementTargets,
  repositoryMoveFix,
  tagFix,
  upgradeTargets,
  versionNumbers,
} from '../fixes/imageTag';
import type { Fact, Finding, Fix, ImageReference, Range, Reference, ReferenceKind, Severity } from '../model';
import type { RuleContext } from './context';
import type { ReferenceDescription } from './describe';
import { detached } from '../text';
import * as msg from './messages';
import { checkNeuronImage } from './neuronSdk';
import type { RuleId } from './ruleIds';
import { defaultSeverityOf } from './ruleIds';

/** What the catalog says about the framework version an image carries. */
export interface ImageEvaluation {
  /** The DLC repository, when the image is a DLC the catalog knows. */
  repo?: DlcRepository;
  /** The parsed DLC tag (DLC images with a tag that follows a scheme). */
  tagParts?: DlcTagParts;
  /** The framework of the framework table the version belongs to (PyTorch for `huggingface-pytorch-*`). */
  framework?: Framework;
  /** Display name of what the version is a version of: `PyTorch`, `Base (CUDA)`. */
  name: string;
  /** The framework version text as the image carries it (`2.1.0`, `2.6`). */
  version?: string;
  minor?: string;
  record?: FrameworkVersion;
  /** `inference` for inference repositories (they use the inference end of patch where the table has one). */
  job: 'training' | 'inference';
  /** The image line of the DLC documentation data that lists the tag, if any. */
  line?: DlcImageLine;
  endOfPatch?: CalendarDay;
  /** Where `endOfPatch` comes from, in words (after "End of patch …"). */
  endOfPatchBasis?: string;
  /** A Neuron image (Inferentia/Trainium): framework versions follow the Neuron SDK policy. */
  neuron: boolean;
}

const BASE_FRAMEWORKS: Readonly<Record<string, string>> = { 'pytorch/pytorch': 'pytorch', 'tensorflow/tensorflow': 'tensorflow' };
const ROLLING_TAGS = new Set(['latest', 'stable', 'nightly', 'edge', 'rolling', 'current', 'devel', 'runtime', 'base']);

/** The last path segment of a repository (`deep-learning-containers/pytorch-training` → `pytorch-training`). */
function lastSegment(repository: string): string {
  const i = repository.lastIndexOf('/');
  return i < 0 ? repository : repository.slice(i + 1);
}

/** The DLC repository record of an image, if the catalog knows it. */
export function dlcRepository(ref: ImageReference, ctx: RuleContext): DlcRepository | undefined {
  if (ref.image.family !== 'dlc') return undefined;
  const images = ctx.catalog.images;
  const name = ref.image.repository.text;
  return images?.repository(name) ?? images?.repository(lastSegment(name));
}

/** The framework of the framework table behind a DLC repository: its own, or the one a Hugging Face repository is built on. */
function repositoryFramework(repo: DlcRepository, ctx: RuleContext): Framework | undefined {
  return ctx.catalog.framework(repo.framework) ?? (repo.framework.startsWith('huggingface-') ? ctx.catalog.framework(repo.framework.slice('huggingface-'.length)) : undefined);
}

/** The image lines of a repository that carry framework version `v` (`12.8` matches lines `12.8.0` and `12.8.1`). */
function linesFor(repo: DlcRepository, v: string): DlcImageLine[] {
  const n = versionNumbers(v);
  return repo.lines.filter((l) => {
    const m = versionNumbers(l.version);
    return m.length > 0 && n.length > 0 && n.every((x, i) => (m[i] ?? 0) === x);
  });
}

/**
 * GA and end of patch of framework version `v` (a tag's framework version text) for the evaluation's
 * framework and job: the table's (the inference end of patch for inference images), else the latest
 * EOP of the repository's image lines of that version. Undefined when unknown; `ga` may be unknown.
 */
function supportWindow(ev: ImageEvaluation, v: string, ctx: RuleContext): { ga?: CalendarDay; end: CalendarDay } | undefined {
  if (ev.framework) {
    const record = ctx.catalog.frameworkVersion(ev.framework.id, minorOf(v) ?? '');
    const table = record ? ctx.catalog.endOfPatch(record, ev.job) : undefined;
    if (record && table) return { ga: record.ga, end: table };
  }
  if (!ev.repo) return undefined;
  const lines = linesFor(ev.repo, v).filter((l) => l.eop !== undefined);
  if (lines.length === 0) return undefined;
  const end = lines.map((l) => l.eop!).sort().at(-1)!;
  const gas = lines.map((l) => l.ga).filter((d): d is string => d !== undefined).sort();
  return { ga: gas[0], end };
}

/** True when framework version `v` is released (GA on or before `day`, when known) and its end of patch is after `day`. */
function supportedOn(ev: ImageEvaluation, v: string, ctx: RuleContext, day: CalendarDay, asOf: CalendarDay = day): boolean {
  const w = supportWindow(ev, v, ctx);
  if (w === undefined || !after(w.end, day) || (w.ga !== undefined && after(w.ga, asOf))) return false;
  // a patch released after `asOf` did not exist yet on that day
  const released = ev.framework && versionNumbers(v).length === 3 ? ctx.catalog.patchRelease(ev.framework.id, v)?.released : undefined;
  return released === undefined || !after(released, asOf);
}

/** What {@link evaluateImage} depends on besides the catalog: the image's family, repository and tag, the reference's subject and version. */
function imageKey(ref: ImageReference): string {
  const image = ref.image;
  return `${image.family}\u0000${image.repository.text}\u0000${image.tag?.text ?? ''}\u0000${ref.subject}\u0000${ref.version}`;
}

/** Evaluates the framework version of an image reference. Memoised per catalog by the image's identity and `asOf`-free inputs. */
export function evaluateImage(ref: ImageReference, ctx: RuleContext): ImageEvaluation {
  return ctx.catalog.memoized(`image-eval\u0000${imageKey(ref)}`, () => evaluateUncached(ref, ctx));
}

/**
 * The tag targets of an image's fixes for one purpose, memoised per catalog by what they depend on:
 * the image's evaluation key (its tag is part of it), `asOf` and the warning window. Targets are
 * shared between references (read-only); the fixes built from them are each reference's own.
 */
function memoTargets<T>(purpose: string, ref: ImageReference, ctx: RuleContext, compute: () => T): T {
  return ctx.catalog.memoized(`image-targets\u0000${purpose}\u0000${imageKey(ref)}\u0000${ctx.asOf}\u0000${ctx.warningWindowDays}`, compute);
}

function evaluateUncached(ref: ImageReference, ctx: RuleContext): ImageEvaluation {
  const { catalog } = ctx;
  const image = ref.image;
  const repo = dlcRepository(ref, ctx);
  const tag = image.tag?.text;
  if (image.family === 'dlc') {
    const tagParts = tag && !hasPlaceholder(tag) ? parseDlcTag(tag) : undefined;
    const job = repo?.job === 'inference' ? 'inference' : 'training';
    const framework = repo ? repositoryFramework(repo, ctx) : catalog.framework(ref.subject);
    const neuron = repo?.accelerator === 'neuron' || repo?.accelerator === 'neuronx' || tagParts?.scheme === 'neuron';
    const line = repo && tag ? repo.lines.find((l) => l.tags.includes(tag)) : undefined;
    // a tag with placeholders is not parsed here; the recogniser read the parts outside them
    let version = tagParts?.frameworkVersion?.text ?? (tag && hasPlaceholder(tag) ? image.parts.frameworkVersion?.text : undefined);
    if (version && versionNumbers(version).length === 0) version = undefined; // algorithm `1.4-2`, build `b9522`
    if (!version && line) version = line.version; // rolling tags of a line (`devel-cu129-amzn2023`)
    const ev: ImageEvaluation = { repo, tagParts, framework, name: framework?.name ?? repo?.frameworkName ?? ref.subject, version, job, line, neuron };
    if (!version) return ev;
    ev.minor = minorOf(version);
    ev.record = framework && ev.minor ? catalog.frameworkVersion(framework.id, ev.minor) : undefined;
    const table = ev.record ? catalog.endOfPatch(ev.record, job) : undefined;
    if (line?.eop && line.eop !== table) {
      ev.endOfPatch = line.eop;
      ev.endOfPatchBasis = `published for this image line in the ${catalog.images?.source(line.source)?.title ?? line.source}`;
    } else if (table && ev.record) {
      ev.endOfPatch = table;
      ev.endOfPatchBasis = table === ev.record.endOfPatchInference && job === 'inference' ? `of inference images, published in the ${catalog.sourceTitle(ev.record.endOfPatchSource)}` : msg.endOfPatchBasisText(catalog, ev.record);
    }
    return ev;
  }
  // base and mapped images: the framework comes from the repository (`pytorch/pytorch`) or the mapping (subject)
  const framework = catalog.framework(BASE_FRAMEWORKS[image.repository.text.toLowerCase()] ?? ref.subject);
  let version = image.parts.frameworkVersion?.text ?? (framework ? ref.version : undefined);
  if (version && versionNumbers(minorOf(version) ?? '').length === 0) version = undefined;
  const ev: ImageEvaluation = { framework, name: framework?.name ?? ref.subject, version, job: 'training', neuron: false };
  if (!framework || !version) return ev;
  ev.minor = minorOf(version);
  ev.record = ev.minor ? catalog.frameworkVersion(framework.id, ev.minor) : undefined;
  if (ev.record?.endOfPatch) {
    ev.endOfPatch = ev.record.endOfPatch;
    ev.endOfPatchBasis = msg.endOfPatchBasisText(catalog, ev.record);
  }
  return ev;
}

/** The Python an image carries, with its end-of-life record: the tag's `py310` / `3.10` part. */
export function imagePython(ref: ImageReference, ctx: RuleContext): { written: string; release: PythonRelease; range: Range } | undefined {
  const part = ref.image.parts.python;
  const release = part ? ctx.catalog.lifecycle?.pythonEol(part.text) : undefined;
  return part && release ? { written: part.text, release, range: part.range } : undefined;
}

/** The OS an image carries, with its end-of-life record: the tag's `ubuntu20.04` part, or `ubuntu:18.04`'s `18.04` read with its repository. */
export function imageOs(ref: ImageReference, ctx: RuleContext): { written: string; release: OsRelease; range: Range } | undefined {
  const part = ref.image.parts.os;
  const lifecycle = ctx.catalog.lifecycle;
  if (!part || !lifecycle) return undefined;
  const release = lifecycle.osEol(part.text) ?? lifecycle.osEol(`${lastSegment(ref.image.repository.text)} ${part.text}`);
  return release ? { written: part.text, release, range: part.range } : undefined;
}

/** True when `day` is after `asOf` (a version or dependency is still supported on `asOf` when its end is on or after it). */
function after(day: CalendarDay | undefined, asOf: CalendarDay): boolean {
  return day !== undefined && toEpochDay(day) > toEpochDay(asOf);
}

/** Produced severity of a rule for a reference kind: its default (`off` produces `hint`; the analysis drops what is off). */
export function producedSeverity(rule: RuleId, kind: ReferenceKind): Severity {
  const s = defaultSeverityOf(rule, kind);
  return s === 'off' ? 'hint' : s;
}

/** A finding about `ref`; `since` only for dated rules. */
export function referenceFinding(rule: RuleId, message: string, ref: Reference, facts: readonly Fact[], fixes: Fix[], extra: Partial<Finding> = {}): Finding {
  const f: Finding = { rule, severity: producedSeverity(rule, ref.kind), message, range: ref.range, subject: ref.subject, facts, fixes, reference: ref, ...extra };
  if (f.since === undefined) delete f.since;
  return f;
}

/** The retired things an image belongs to, that are retired on `asOf` (their end is not in the future). */
function retiredFor(ref: ImageReference, ev: ImageEvaluation, ctx: RuleContext): RetiredThing[] {
  const lifecycle = ctx.catalog.lifecycle;
  const tag = ref.image.tag?.text;
  const repository = ev.repo?.name ?? (ref.image.family === 'dlc' ? lastSegment(ref.image.repository.text) : undefined);
  if (!lifecycle) return [];
  const found = lifecycle.retiredFor({
    repository: ref.image.family === 'dlc' ? repository : undefined,
    imageTag: tag && !hasPlaceholder(tag) ? tag : undefined,
    framework: ev.framework?.id,
  });
  return found.filter((r) => !r.end || !after(r.end.effectiveDay, ctx.asOf));
}

/**
 * The day a retirement started, for `Finding.since`: the end day, a month-only end counting from its
 * first day (as for framework package pins), else the announcement; undefined when the sources give none.
 */
export function retiredSince(r: RetiredThing): CalendarDay | undefined {
  const d = r.end ?? r.announced;
  if (!d) return undefined;
  return d.monthOnly ? `${d.on}-01` : d.on;
}

/**
 * The facts shown with every finding of an image and in its hover (shared between findings and
 * references: read-only). Memoised per catalog by the image's evaluation key, its tag parts and `asOf`.
 */
export function imageFacts(ref: ImageReference, ev: ImageEvaluation, ctx: RuleContext): readonly Fact[] {
  const p = ref.image.parts;
  const parts = FACT_PARTS.map((k) => p[k]?.text ?? '\u0001').join('\u0000');
  // kept beyond this analysis: the values (tag parts as written) are detached from the document text
  const detach = (f: Fact): Fact => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'string' ? detached(v) : v])) as unknown as Fact;
  return ctx.catalog.memoized(`image-facts\u0000${imageKey(ref)}\u0000${parts}\u0000${ctx.asOf}`, () => imageFactsUncached(ref, ev, ctx).map(detach));
}

/** The parts of an image its facts read. */
const FACT_PARTS = ['python', 'os', 'cuda', 'processor', 'platform', 'neuronSdk', 'transformersVersion'] as const;

function imageFactsUncached(ref: ImageReference, ev: ImageEvaluation, ctx: RuleContext): readonly Fact[] {
  const { catalog } = ctx;
  const facts: Fact[] = [];
  const images = catalog.images;
  if (ev.repo) {
    const r = ev.repo;
    facts.push({ label: 'Repository', value: `${r.name}: ${r.frameworkName} ${r.job}${r.accelerator ? `, ${r.accelerator}` : ''}${r.legacy ? ' (legacy)' : ''}`, source: r.sources.map((s) => images?.source(s)?.title ?? s)[0] });
    const tag = ref.image.tag?.text;
    if (tag && !hasPlaceholder(tag)) {
      const src = images?.tagSource(r.name, tag);
      facts.push({ label: 'Published', value: src ? 'yes' : 'not listed by the catalog', source: src ? images?.source(src)?.title ?? src : undefined });
    }
  }
  if (ev.version) {
    const what = ev.minor ? `${ev.name} ${ev.minor}` : `${ev.name} ${ev.version}`;
    if (ev.record?.ga) facts.push({ label: `${what} GA`, value: ev.record.ga, source: catalog.sourceTitle(ev.record.gaSource) });
    else if (ev.line?.ga) facts.push({ label: `${what} GA`, value: ev.line.ga, source: images?.source(ev.line.source)?.title });
    if (ev.neuron) facts.push({ label: `${what} end of patch`, value: 'set by the Neuron SDK maintenance policy, not by the DLC framework table' });
    else if (ev.endOfPatch) facts.push({ label: `${what} end of patch${ev.job === 'inference' && ev.record?.endOfPatchInference ? ' (inference images)' : ''}`, value: `${ev.endOfPatch} (${msg.relativeDays(daysBetween(ctx.asOf, ev.endOfPatch))})`, source: ev.endOfPatchBasis });
    const latest = ev.record ? catalog.latestPatch(ev.record) : undefined;
    if (latest) facts.push({ label: 'Latest patch', value: latest.released ? `${latest.version} (${msg.releasedText(latest.released, latest.dateKind)})` : latest.version, source: catalog.sourceTitle(latest.source) });
  }
  const py = imagePython(ref, ctx);
  if (py) facts.push({ label: `Python ${py.release.version} end of life`, value: `${py.release.endOfLife} (${msg.relativeDays(daysBetween(ctx.asOf, py.release.endOfLife))})`, source: catalog.lifecycle?.sourceTitle(py.release.source) });
  const os = imageOs(ref, ctx);
  if (os) facts.push({ label: `${os.release.name} end of life`, value: `${os.release.endOfLife} (${msg.relativeDays(daysBetween(ctx.asOf, os.release.endOfLife))})`, source: catalog.lifecycle?.sourceTitle(os.release.source) });
  for (const part of ['cuda', 'processor', 'platform', 'neuronSdk', 'transformersVersion'] as const) {
    const p = ref.image.parts[part];
    if (p) facts.push({ label: partLabel(part), value: p.text });
  }
  return facts;
}

function partLabel(part: string): string {
  return ({ cuda: 'CUDA', processor: 'Processor', platform: 'Platform', neuronSdk: 'Neuron SDK', transformersVersion: 'Transformers' } as Record<string, string>)[part] ?? part;
}

/** The tag query of a DLC image for the fixes, or undefined when the image cannot be fixed (no repository, tag, or support data). */
function tagQuery(ref: ImageReference, ev: ImageEvaluation, ctx: RuleContext, acceptParts?: TagQuery['acceptParts']): TagQuery | undefined {
  const tag = ref.image.tag?.text;
  if (!ev.repo || !tag || !ev.tagParts || ev.neuron || (!ev.framework && ev.repo.lines.length === 0)) return undefined;
  const beyond = addDays(ctx.asOf, ctx.warningWindowDays);
  return {
    catalog: ctx.catalog,
    repository: ev.repo.name,
    tag,
    supported: (v) => supportedOn(ev, v, ctx, ctx.asOf),
    comfortable: (v) => supportedOn(ev, v, ctx, beyond, ctx.asOf),
    acceptParts: acceptParts ?? dependenciesSupported(ctx),
  };
}

/** A candidate's Python and OS (when its tag names them) are not past end of life on `asOf`. */
function dependenciesSupported(ctx: RuleContext): (parts: DlcTagParts) => boolean {
  const lifecycle = ctx.catalog.lifecycle;
  return (parts) => {
    const py = parts.python ? lifecycle?.pythonEol(parts.python.text) : undefined;
    const os = parts.os ? lifecycle?.osEol(parts.os.text) : undefined;
    return (!py || !after(ctx.asOf, py.endOfLife)) && (!os || !after(ctx.asOf, os.endOfLife));
  };
}

function versionLabel(ev: ImageEvaluation, t: TagTarget, kind: 'latest-patch' | 'nearest' | 'latest'): string {
  const v = kind === 'latest-patch' ? t.frameworkVersion : minorOf(t.frameworkVersion) ?? t.frameworkVersion;
  const word = kind === 'latest-patch' ? 'latest patch' : kind === 'nearest' ? 'nearest supported' : 'latest supported';
  return `${word}: ${ev.name} ${v}`;
}

/** Fixes that move the tag to supported framework versions: latest patch (when supported), nearest, latest. */
function upgradeFixes(ref: ImageReference, ev: ImageEvaluation, ctx: RuleContext, withLatestPatch: boolean): Fix[] {
  const targets = memoTargets(`upgrade\u0000${withLatestPatch}`, ref, ctx, () => {
    const q = tagQuery(ref, ev, ctx);
    return q ? { patch: withLatestPatch ? latestPatchTarget(q) : undefined, ...upgradeTargets(q) } : undefined;
  });
  if (!targets) return [];
  const fixes: Fix[] = [];
  const push = (f: Fix | undefined) => {
    if (f && !fixes.some((x) => x.edits[0].newText === f.edits[0].newText)) fixes.push(f);
  };
  const { patch, nearest, latest } = targets;
  if (patch) push(tagFix(ref.image, patch, versionLabel(ev, patch, 'latest-patch'), true));
  if (nearest) push(tagFix(ref.image, nearest, versionLabel(ev, nearest, 'nearest'), fixes.length === 0));
  if (latest) push(tagFix(ref.image, latest, versionLabel(ev, latest, 'latest'), false));
  return fixes;
}

/** Fixes for a dependency (Python, OS) past end of life: the nearest published supported tag whose Python and OS are supported. */
function dependencyFixes(ref: ImageReference, ev: ImageEvaluation, ctx: RuleContext, what: string): Fix[] {
  const targets = memoTargets('replacement\u00001', ref, ctx, () => {
    const q = tagQuery(ref, ev, ctx);
    return q ? replacementTargets(q, 1) : [];
  });
  return targets
    .map((t) => tagFix(ref.image, t, `nearest with a supported ${what}: ${ev.name} ${t.frameworkVersion}`, true))
    .filter((f): f is Fix => f !== undefined);
}

/** Why an image cannot be evaluated (`unpinned`), or undefined. A digest pins the image even without a tag. */
function unpinnedReason(ref: ImageReference, ev: ImageEvaluation): 'no-tag' | 'latest' | 'rolling' | undefined {
  const image = ref.image;
  if (image.digest) return undefined;
  if (!image.tag) return 'no-tag';
  const tag = image.tag.text;
  if (hasPlaceholder(tag)) return undefined;
  if (tag.toLowerCase() === 'latest') return 'latest';
  if (image.family === 'dlc' && ev.tagParts?.scheme === 'rolling' && !ev.line) return 'rolling';
  if (image.family === 'base' && ROLLING_TAGS.has(tag.toLowerCase())) return 'rolling';
  return undefined;
}

/** A published build of a listed tag: `…-v1.8` when `…-v1` or the tag without suffix is listed (the catalog lists lines, not every build). */
function publishedBuildOf(repository: string, tag: string, parts: DlcTagParts, ctx: RuleContext): boolean {
  const images = ctx.catalog.images!;
  if (!parts.suffix) return false;
  const base = tag.slice(0, parts.suffix.start - 1);
  const major = /^v\d+/.exec(parts.suffix.text)?.[0];
  return images.isPublished(repository, base) || (major !== undefined && major !== parts.suffix.text && images.isPublished(repository, `${base}-${major}`));
}

/** The legacy account record of the URI's account when it is a legacy account serving the URI's region, with the region's DLC account. */
function legacyAccountOf(ref: ImageReference, ctx: RuleContext): { account: string; region: string; note: string; current?: string } | undefined {
  const { account, region } = ref.image;
  const images = ctx.catalog.images;
  if (!images || !account || !region || account.placeholder || region.placeholder) return undefined;
  const legacy = images.legacyAccount(account.text);
  if (!legacy || !legacy.regions.includes(region.text)) return undefined;
  return { account: account.text, region: region.text, note: legacy.note, current: images.registryFor(region.text)?.account };
}

/**
 * `legacy-image`: a repository only in the legacy image lists and/or a legacy registry account (one
 * finding for both). Fix: the current repository (with the region's DLC account and a published
 * supported tag) when the catalog names one; the account alone when only the account is legacy.
 */
function legacyFinding(ref: ImageReference, ev: ImageEvaluation, ctx: RuleContext, facts: readonly Fact[]): Finding | undefined {
  const account = legacyAccountOf(ref, ctx);
  const legacyRepo = ev.repo?.legacy === true;
  if (!account && !legacyRepo) return undefined;
  const current = ev.repo && legacyRepo ? currentRepositoryFor(ctx.catalog, ev.repo) : ev.repo;
  const q = tagQuery(ref, ev, ctx);
  let fix: Fix | undefined;
  if (current && current !== ev.repo && q) fix = repositoryMoveFix(ref.image, current, q, account?.current);
  else if (current && account?.current) fix = accountFix(ref.image, account.current, account.region);
  if (fix) fix.safe = false; // a different registry or repository: a person decides
  const parts: string[] = [];
  if (legacyRepo) parts.push(msg.legacyRepositoryMessage(ev.repo!.name, current?.name));
  if (account) parts.push(msg.legacyAccountMessage(account.account, account.region, account.note, account.current));
  return referenceFinding('legacy-image', parts.join(' '), ref, facts, fix ? [fix] : []);
}

/** `registry-region-mismatch` of a private ECR DLC URI whose account is neither the region's DLC or algorithm account nor a legacy account of the region. */
function registryFindings(ref: ImageReference, ev: ImageEvaluation, ctx: RuleContext, facts: readonly Fact[]): Finding[] {
  const { account, region } = ref.image;
  const images = ctx.catalog.images;
  if (!images || !account || !region || account.placeholder || region.placeholder) return [];
  const dlc = images.registryFor(region.text);
  const algorithm = images.registryFor(region.text, 'sagemaker-algorithm');
  if (!dlc || account.text === dlc.account || account.text === algorithm?.account) return [];
  if (dlc.otherAccounts.some((o) => o.account === account.text)) return []; // the sources disagree: not judged
  if (legacyAccountOf(ref, ctx)) return []; // reported by legacy-image
  const expected = images.accountKind(account.text) === 'sagemaker-algorithm' && algorithm ? algorithm : dlc;
  const fix = accountFix(ref.image, expected.account, region.text);
  const serves = images.regionsForAccount(account.text);
  return [referenceFinding('registry-region-mismatch', msg.registryMismatchMessage(account.text, region.text, expected.account, serves), ref, facts, fix ? [fix] : [])];
}

/**
 * Runs the image rules on one container image reference.
 * @returns findings with their default severities for images (the caller applies user severities and `off`); [] when nothing applies
 */
export function checkContainerImage(ref: ImageReference, ctx: RuleContext): Finding[] {
  const { catalog, asOf } = ctx;
  const image = ref.image;
  const ev = evaluateImage(ref, ctx);
  const facts = imageFacts(ref, ev, ctx);
  const out: Finding[] = [];
  if (image.family === 'dlc') out.push(...registryFindings(ref, ev, ctx, facts));
  if (image.family === 'dlc') {
    const legacy = legacyFinding(ref, ev, ctx, facts);
    if (legacy) out.push(legacy);
  }
  for (const r of retiredFor(ref, ev, ctx)) {
    out.push(referenceFinding('discontinued', msg.retiredMessage(r.name, `${image.repository.text}${image.tag ? `:${image.tag.text}` : ''}`, r.end?.on, r.summary, r.migration), ref, facts, [], { since: retiredSince(r) }));
  }
  const unpinned = unpinnedReason(ref, ev);
  if (unpinned) {
    out.push(referenceFinding('unpinned', msg.unpinnedImageMessage(image.uri, unpinned), ref, facts, []));
    return out;
  }
  const tag = image.tag?.text;
  if (ev.repo && tag && ev.tagParts && !catalog.images!.isPublished(ev.repo.name, tag) && !publishedBuildOf(ev.repo.name, tag, ev.tagParts, ctx)) {
    const targets = memoTargets('replacement\u00003', ref, ctx, () => {
      const q = tagQuery(ref, ev, ctx);
      return q ? replacementTargets(q, 3) : [];
    });
    const fixes = targets.map((t, i) => tagFix(image, t, `published, supported: ${ev.name} ${t.frameworkVersion}`, i === 0)).filter((f): f is Fix => f !== undefined);
    out.push(referenceFinding('image-not-published', msg.notPublishedMessage(ev.repo.name, tag, catalog), ref, facts, fixes));
  }
  if (ev.version && ev.endOfPatch && !ev.neuron) {
    const left = daysBetween(asOf, ev.endOfPatch);
    const what = `${ev.name} ${ev.minor ?? ev.version}${ev.job === 'inference' && ev.record?.endOfPatchInference ? ' (inference images)' : ''}`;
    const basis = ev.endOfPatchBasis ?? 'source not recorded';
    const common = { version: ev.version, endOfPatch: ev.endOfPatch };
    if (left < 0) {
      out.push(referenceFinding('end-of-patch', msg.imageEndOfPatchMessage(what, 'images', ev.endOfPatch, -left, basis), ref, facts, upgradeFixes(ref, ev, ctx, false), { ...common, since: ev.endOfPatch }));
    } else {
      if (left <= ctx.warningWindowDays) out.push(referenceFinding('end-of-patch-soon', msg.imageEndOfPatchSoonMessage(what, ev.endOfPatch, left, basis), ref, facts, upgradeFixes(ref, ev, ctx, true), common));
      const patch = memoTargets('latest-patch', ref, ctx, () => {
        const q = ev.framework ? tagQuery(ref, ev, ctx, () => true) : undefined;
        return q ? latestPatchTarget(q) : undefined;
      });
      if (patch && ev.framework) {
        const release = catalog.patchRelease(ev.framework.id, patch.frameworkVersion);
        const fix = tagFix(image, patch, versionLabel(ev, patch, 'latest-patch'), true);
        out.push(
          referenceFinding('superseded-patch', msg.imageSupersededMessage(ev.name, ev.version, patch.frameworkVersion, release?.released, release?.dateKind, patch.tag), ref, facts, fix ? [fix] : [], {
            ...common,
            since: release?.released,
          }),
        );
      }
    }
  }
  const py = imagePython(ref, ctx);
  if (py && after(asOf, py.release.endOfLife)) {
    const ago = daysBetween(py.release.endOfLife, asOf);
    out.push(referenceFinding('python-end-of-life', msg.pythonEndOfLifeMessage(py.release.version, py.written, py.release.endOfLife, ago, 'images'), ref, facts, dependencyFixes(ref, ev, ctx, 'Python'), { since: py.release.endOfLife }));
  }
  const os = imageOs(ref, ctx);
  if (os && after(asOf, os.release.endOfLife)) {
    const ago = daysBetween(os.release.endOfLife, asOf);
    out.push(referenceFinding('os-end-of-life', msg.osEndOfLifeMessage(os.release.name, os.written, os.release.endOfLife, ago, 'images'), ref, facts, dependencyFixes(ref, ev, ctx, 'OS'), { since: os.release.endOfLife }));
  }
  // a Neuron DLC's `sdkX.Y.Z` part: the Neuron SDK rules
  if (ev.neuron && image.family === 'dlc') {
    out.push(...checkNeuronImage(ref, { repository: ev.repo?.name, framework: ev.framework?.id ?? ev.repo?.framework, frameworkVersion: ev.version, accelerator: ev.repo?.accelerator ?? ev.tagParts?.processor?.text }, ctx));
  }
  return out;
}

/**
 * The hover description of an image: its parts and the lifecycle of each, the published tags of the
 * same line (or of the same framework version and processor), and the nearest supported tags.
 */
export function describeImage(ref: ImageReference, ctx: RuleContext): ReferenceDescription {
  const ev = evaluateImage(ref, ctx);
  const facts = [...imageFacts(ref, ev, ctx)];
  const image = ref.image;
  const where = ev.repo ? ` DLC (${ev.repo.name})` : image.family === 'base' ? ` base image (${image.repository.text})` : ` image (${image.repository.text})`;
  const title = ev.version ? `${ev.name} ${ev.minor ?? ev.version}${where}` : `${ev.name}${where}`;
  let status: string | undefined;
  const unpinned = unpinnedReason(ref, ev);
  if (unpinned) status = 'Not pinned: nothing to evaluate.';
  else if (ev.neuron) status = 'Neuron image: framework support follows the Neuron SDK maintenance policy.';
  else if (ev.endOfPatch) {
    const left = daysBetween(ctx.asOf, ev.endOfPatch);
    status = left < 0 ? `⚠ End of patch reached ${msg.days(left)} ago.` : left <= ctx.warningWindowDays ? `Ends patch support in ${msg.days(left)}.` : `Supported: end of patch in ${msg.days(left)}.`;
  } else if (ev.version) status = 'No end-of-patch date is known for this version.';
  const images = ctx.catalog.images;
  const tag = image.tag?.text;
  if (ev.repo && tag && ev.tagParts && images) {
    const sameLine = ev.line?.tags.filter((t) => t !== tag) ?? [];
    const minor = ev.minor;
    const sameVersion = sameLine.length
      ? sameLine
      : ev.repo.tags.filter((t) => {
          const p = parseDlcTag(t);
          return t !== tag && p?.frameworkVersion && minorOf(p.frameworkVersion.text) === minor && p.processor?.text === ev.tagParts!.processor?.text;
        });
    if (minor) facts.push({ label: ev.line ? 'Published tags of the same line' : `Published ${ev.repo.name} tags of ${ev.name} ${minor}`, value: sameVersion.length ? listText(sameVersion, 8) : 'none' });
    const q = tagQuery(ref, ev, ctx);
    if (q) {
      const near = replacementTargets(q, 3);
      facts.push({ label: 'Nearest supported tags', value: near.length ? near.map((t) => t.tag).join(', ') : 'none published' });
    }
  }
  return { title, status, facts };
}

function listText(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, … (${items.length} in all)` : items.join(', ');
}
