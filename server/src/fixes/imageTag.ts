/**
 * Fixes for container image references (rules.md §Fixes must be safe; issue "whole-tag fixes"):
 *
 * - **whole-tag rewrites**: the tag becomes another tag the catalog lists as published for the same
 *   repository, whose framework version is supported at `asOf`; processor and platform are kept, and
 *   the Python, CUDA and OS are those published with the chosen tag (found by
 *   `DlcImageIndex.nearestPublishedTags`). Offered as latest patch, nearest supported, latest supported.
 * - **account for the region**: the ECR account becomes the DLC (or algorithm) registry of the URI's region.
 * - **legacy → current repository**: a legacy repository becomes the one current repository that
 *   serves the same framework, job and accelerator (Graviton → arm64), with a published supported tag.
 *
 * Every edit targets a located part of the image (`image.tag.range`, `image.account.range`,
 * `image.repository.range`), which points into a Dockerfile `ARG` default when the text came from
 * one (`image.substitutedFrom`). No fix when the part holds a placeholder, or when the image is also
 * pinned by digest (the digest would win over the new tag). Never proposes an unpublished tag.
 */
import { minorOf } from '../catalog/catalog';
import type { Catalog } from '../catalog/catalog';
import type { DlcRepository, DlcTagParts, NearTag } from '../catalog/images';
import { parseDlcTag } from '../catalog/images';
import type { ContainerImage, Fix, TextEdit } from '../model';
import { imageTagTitle } from '../rules/messages';

/** What a tag search needs: the repository and tag to start from and what counts as supported. */
export interface TagQuery {
  catalog: Catalog;
  /** ECR repository name known to the catalog (`pytorch-training`). */
  repository: string;
  /** The tag as written (must parse as a DLC tag). */
  tag: string;
  /** True when a framework version text of a published tag (`2.1.0`, `2.6`) is supported at `asOf` (end of patch after `asOf`). */
  supported: (frameworkVersion: string) => boolean;
  /** True when the version's support lasts beyond the warning window: nearest targets prefer these. */
  comfortable?: (frameworkVersion: string) => boolean;
  /** Further condition on a candidate tag's parts (e.g. its Python and OS are not past end of life). */
  acceptParts?: (parts: DlcTagParts) => boolean;
}

/** A published tag a fix may move to, and why it was chosen. */
export interface TagTarget {
  tag: string;
  parts: DlcTagParts;
  /** `latest-patch`: same `major.minor`, newest published patch; `nearest` / `latest`: supported framework versions; `replacement`: nearest supported tag that satisfies `acceptParts`. */
  kind: 'latest-patch' | 'nearest' | 'latest' | 'replacement';
  frameworkVersion: string;
}

const PLACEHOLDER = /[${}%<>\s*]/;

/** Numeric components of a framework version text (`2.1.0` → [2, 1, 0]); [] when not `x.y[.z…]`. */
export function versionNumbers(v: string): number[] {
  return /^\d+(?:\.\d+)+$/.test(v) ? v.split('.').map(Number) : [];
}

/** Compares two `x.y[.z]` versions numerically, missing components as 0. */
export function compareVersions(a: string, b: string): number {
  const x = versionNumbers(a);
  const y = versionNumbers(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The candidate keeps what a fix must keep: the processor and the platform as written (both may be absent). */
function keepsShape(from: DlcTagParts, to: DlcTagParts): boolean {
  return from.processor?.text === to.processor?.text && from.platform?.text === to.platform?.text && from.arch?.text === to.arch?.text && from.variant?.text === to.variant?.text;
}

/** Same scheme and the same parts present (a full tag for a full tag, a short tag for a short tag). */
function sameLayout(a: DlcTagParts, b: DlcTagParts): boolean {
  const present = (p: DlcTagParts) => (['transformersVersion', 'engine', 'python', 'cuda', 'os', 'neuronSdk', 'suffix'] as const).filter((k) => p[k] !== undefined).join(',');
  return a.scheme === b.scheme && present(a) === present(b) && versionNumbers(a.frameworkVersion?.text ?? '').length === versionNumbers(b.frameworkVersion?.text ?? '').length;
}

/** Published, supported candidates of the query whose framework version passes `versions`, nearest first. */
function candidates(q: TagQuery, versions: (v: string) => boolean, limit = 60): NearTag[] {
  const images = q.catalog.images;
  const from = parseDlcTag(q.tag);
  if (!images || !from?.frameworkVersion) return [];
  return images
    .nearestPublishedTags(q.repository, q.tag, (v) => versionNumbers(v).length > 0 && versions(v) && q.supported(v), limit)
    .filter((c) => keepsShape(from, c.parts) && (!q.acceptParts || q.acceptParts(c.parts)) && images.isPublished(q.repository, c.tag));
}

/**
 * The newest published patch of the tag's own `major.minor`, when that version is supported and the
 * tag names an `x.y.z` patch older than it. Undefined otherwise.
 */
export function latestPatchTarget(q: TagQuery): TagTarget | undefined {
  const from = parseDlcTag(q.tag);
  const fv = from?.frameworkVersion?.text;
  if (!from || !fv || versionNumbers(fv).length !== 3) return undefined;
  const minor = minorOf(fv);
  const list = candidates(q, (v) => versionNumbers(v).length === 3 && minorOf(v) === minor && compareVersions(v, fv) > 0);
  // prefer the layout of the tag as written (only the version changes); any layout otherwise
  const same = list.filter((c) => sameLayout(from, c.parts));
  const pool = same.length ? same : list;
  const best = pool.reduce<NearTag | undefined>((b, c) => (!b || compareVersions(c.parts.frameworkVersion!.text, b.parts.frameworkVersion!.text) > 0 ? c : b), undefined);
  return best && { tag: best.tag, parts: best.parts, kind: 'latest-patch', frameworkVersion: best.parts.frameworkVersion!.text };
}

/**
 * The nearest and the latest supported framework version newer than the tag's `major.minor`, each as
 * the published tag nearest to the tag as written. `nearest` prefers versions whose support lasts
 * beyond the warning window (`comfortable`); `latest` is the newest version with the nearest's layout
 * and is left out when it is the same tag.
 */
export function upgradeTargets(q: TagQuery): { nearest?: TagTarget; latest?: TagTarget } {
  const fv = parseDlcTag(q.tag)?.frameworkVersion?.text;
  const minor = fv ? minorOf(fv) : undefined;
  if (!fv || !minor) return {};
  const list = candidates(q, (v) => minorOf(v) !== undefined && compareVersions(minorOf(v)!, minor) > 0);
  if (list.length === 0) return {};
  const nearest = list.find((c) => !q.comfortable || q.comfortable(c.parts.frameworkVersion!.text)) ?? list[0];
  const alike = list.filter((c) => sameLayout(nearest.parts, c.parts));
  const latest = alike.reduce((b, c) => (compareVersions(c.parts.frameworkVersion!.text, b.parts.frameworkVersion!.text) > 0 ? c : b), nearest);
  const target = (c: NearTag, kind: TagTarget['kind']): TagTarget => ({ tag: c.tag, parts: c.parts, kind, frameworkVersion: c.parts.frameworkVersion!.text });
  return { nearest: target(nearest, 'nearest'), latest: latest.tag !== nearest.tag ? target(latest, 'latest') : undefined };
}

/** Up to `limit` published supported tags nearest to the tag (any framework version, the tag's own first), satisfying `acceptParts`. */
export function replacementTargets(q: TagQuery, limit = 1): TagTarget[] {
  return candidates(q, () => true)
    .slice(0, limit)
    .map((c) => ({ tag: c.tag, parts: c.parts, kind: 'replacement' as const, frameworkVersion: c.parts.frameworkVersion!.text }));
}

/** True when a located text holds a template placeholder (`${TAG}`, `{version}`, `%s`, `<tag>`). */
export function hasPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/** The edit that replaces the whole tag, or undefined when the image has no tag, a placeholder in it, or a digest. */
export function tagEdit(image: ContainerImage, newTag: string): TextEdit | undefined {
  if (!image.tag || image.digest || hasPlaceholder(image.tag.text) || image.tag.text === newTag) return undefined;
  return { range: image.tag.range, newText: newTag };
}

/**
 * A whole-tag fix. `safe` only when the target differs from the tag in its framework version alone
 * (a latest-patch move keeping Python, CUDA, OS, platform and suffix); whole-tag changes of Python,
 * CUDA or OS need a person (rules.md §Fixes must be safe).
 */
export function tagFix(image: ContainerImage, target: TagTarget, label: string, preferred: boolean): Fix | undefined {
  const edit = tagEdit(image, target.tag);
  if (!edit) return undefined;
  const from = parseDlcTag(image.tag!.text);
  const onlyVersion =
    from !== undefined &&
    target.kind === 'latest-patch' &&
    (['transformersVersion', 'engine', 'variant', 'processor', 'arch', 'python', 'cuda', 'os', 'neuronSdk', 'platform', 'suffix'] as const).every((k) => from[k]?.text === target.parts[k]?.text);
  return { title: imageTagTitle(target.tag, label), edits: [edit], safe: onlyVersion, preferred, targetVersion: target.frameworkVersion };
}

/** The fix that replaces the account with the registry account of the URI's region (safe: the same image from the right registry). */
export function accountFix(image: ContainerImage, account: string, region: string): Fix | undefined {
  if (!image.account || image.account.placeholder || image.account.text === account) return undefined;
  return { title: `Use account ${account} (the registry of ${region})`, edits: [{ range: image.account.range, newText: account }], safe: true, preferred: true };
}

/**
 * The current repository of a legacy one, judged from the catalog: the single non-legacy repository
 * with the same framework, the same job and the same accelerator (`graviton` images moved to
 * `-arm64` repositories). Undefined when there is none or more than one (`sagemaker-pytorch` served
 * training and inference: no single successor), or when the repository is not legacy.
 */
export function currentRepositoryFor(catalog: Catalog, repo: DlcRepository): DlcRepository | undefined {
  if (!repo.legacy) return undefined;
  return catalog.memoized(`current-repo\u0000${repo.name}`, () => {
    const accel = repo.accelerator === 'graviton' ? 'arm64' : repo.accelerator;
    const hits = (catalog.images?.repositories() ?? []).filter((r) => !r.legacy && r.framework === repo.framework && r.job === repo.job && r.accelerator === accel);
    return hits.length === 1 ? hits[0] : undefined;
  });
}

/**
 * The fix that moves a legacy image to its current repository: the repository text, the tag (the same
 * tag when the current repository publishes it and it is supported, else the nearest supported
 * published one) and, with `account`, the account. Not safe (a different image). Undefined when no
 * published supported tag exists there, or a part cannot be edited.
 */
export function repositoryMoveFix(image: ContainerImage, current: DlcRepository, q: Omit<TagQuery, 'repository'>, account?: string): Fix | undefined {
  const images = q.catalog.images;
  const tag = image.tag?.text;
  if (!images || !tag || image.digest || hasPlaceholder(tag) || hasPlaceholder(image.repository.text)) return undefined;
  const fv = parseDlcTag(tag)?.frameworkVersion?.text;
  let target: string | undefined;
  if (images.isPublished(current.name, tag) && fv && q.supported(fv)) target = tag;
  else target = replacementTargets({ ...q, repository: current.name }, 1)[0]?.tag;
  if (!target) return undefined;
  const edits: TextEdit[] = [{ range: image.repository.range, newText: current.name }];
  if (target !== tag) edits.push({ range: image.tag!.range, newText: target });
  if (account && image.account && !image.account.placeholder && image.account.text !== account) edits.push({ range: image.account.range, newText: account });
  return { title: `Move to ${current.name}:${target} (current repository)`, edits, safe: false, preferred: false, targetVersion: parseDlcTag(target)?.frameworkVersion?.text };
}
