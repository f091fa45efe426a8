/**
 * Container image references: the recogniser every scanner uses for image text (a Dockerfile
 * `FROM` argument, a Terraform/CDK/CloudFormation/SDK string, a shell or Markdown line).
 *
 * - {@link recognizeImage} classifies one whole reference: an AWS Deep Learning Container (private
 *   ECR of a DLC, SageMaker algorithm or legacy account, or `public.ecr.aws/deep-learning-containers`
 *   and `public.ecr.aws/neuron`), an internal image matched by a policy `[[images]]` mapping, or a
 *   well-known base image (see `baseImage.ts`).
 * - {@link findImageReferences} finds the DLC and mapped images inside arbitrary text.
 *
 * Tags of DLC images are read by the catalog's tag schemes (`catalog.images.parseDlcTag`), and
 * `published` is a lookup in the catalog's published tags. Placeholders of templates (`{region}`,
 * `${AWS::Region}`, `${var.region}`, `$REGION`, `%s`, `{}`, `<region>`, …) are accepted where a
 * template would put them and kept as written. The recognisers are pure, never throw, and work in
 * time linear in the input (every lookahead is bounded).
 */
import type { Catalog } from '../../catalog/catalog';
import type { DlcImageIndex, DlcTagParts } from '../../catalog/images';
import type { ContainerImage, ImagePartName, ImageReference, Located, Position, Range } from '../../model';
import type { ImageMapping, ImagePlaceholder } from '../../policy/images';
import { matchImage, MAX_IMAGE_LENGTH, splitPattern } from '../../policy/images';
import { classifyBaseImage } from './baseImage';

/**
 * Maps an offset (0-based UTF-16 code unit) of the recognised string to an LSP position in the
 * file it came from. Scanners pass `(o) => index.positionAt(base + o)` or a piecewise mapping for
 * substituted text (Dockerfile `ARG` defaults).
 */
export type OffsetToPosition = (offset: number) => Position;

/** Options of the image recognisers. */
export interface RecognizeOptions {
  /** A policy file's `[[images]]` mappings (internal images built on DLCs), in file order. */
  mappings?: readonly ImageMapping[];
}

/** A half-open offset span `[start, end)` in the recognised string. */
export interface Span {
  start: number;
  end: number;
}

/** The structure of one image reference, as offsets into the recognised string. */
export interface ParsedImage extends Span {
  /** The registry host (`763104351884.dkr.ecr.us-east-1.amazonaws.com`, `public.ecr.aws`, `docker.io`, `localhost:5000`). */
  host?: Span;
  /** Everything between the host and the tag/digest (`pytorch-training`, `library/ubuntu`, `deep-learning-containers/vllm`). */
  path: Span;
  tag?: Span;
  /** The digest without its `@` (`sha256:…`). */
  digest?: Span;
  /** Template placeholders found in the reference, in order. */
  placeholders: Span[];
}

/** Longest placeholder text (`${data.aws_caller_identity.current.account_id}` fits). */
const MAX_PLACEHOLDER = 96;
const MAX_TAG = 128;

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigitCode = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigitCode(c);
/** Characters of a literal image reference: `[A-Za-z0-9._-]`. */
const isRefChar = (c: number) => isIdentPart(c) || c === 46 || c === 45;

/** Offset after a run of `ok` characters from `i`, at most `max` long and not beyond `limit`. */
function runOf(text: string, i: number, limit: number, max: number, ok: (c: number) => boolean): number {
  const stop = Math.min(limit, i + max);
  let j = i;
  while (j < stop && ok(text.charCodeAt(j))) j++;
  return j;
}

/**
 * The end offset of a template placeholder starting at `i` (and ending at or before `limit`), or
 * -1. Forms: `${…}` (CloudFormation `${AWS::Region}`, Terraform `${var.region}`, shell
 * `${REGION}`), `$NAME`, `{{ … }}`, `{}`, `{name}` / `{0}` / `{self.region}` (Python format and
 * f-strings), `%s`, `%(name)s`, `<name>` (documentation). Bounded lookahead; never throws.
 */
export function placeholderEnd(text: string, i: number, limit: number = text.length): number {
  const c = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  const closeAt = (from: number, close: string, forbid: RegExp): number => {
    const stop = Math.min(limit, from + MAX_PLACEHOLDER);
    for (let j = from; j < stop; j++) {
      if (text.startsWith(close, j)) return j > from && j + close.length <= limit ? j + close.length : -1;
      if (forbid.test(text[j])) return -1;
    }
    return -1;
  };
  if (c === 36 /* $ */) {
    if (next === 123 /* { */) return closeAt(i + 2, '}', /[{}\s"'`$]/);
    if (i + 1 < limit && isIdentStart(next)) return runOf(text, i + 1, limit, 64, isIdentPart);
    return -1;
  }
  if (c === 123 /* { */) {
    if (next === 123) return closeAt(i + 2, '}}', /[{}\n\r"'`]/);
    if (next === 125 /* } */) return i + 2 <= limit ? i + 2 : -1;
    if (i + 1 < limit && isIdentPart(next)) {
      const e = runOf(text, i + 1, limit, 64, (x) => isIdentPart(x) || x === 46 || x === 91 || x === 93);
      return e < limit && text.charCodeAt(e) === 125 ? e + 1 : -1;
    }
    return -1;
  }
  if (c === 37 /* % */) {
    if (next === 115 /* s */) return i + 2 <= limit ? i + 2 : -1;
    if (next === 40 /* ( */) {
      const e = runOf(text, i + 2, limit, 64, isIdentPart);
      return e > i + 2 && text.startsWith(')s', e) && e + 2 <= limit ? e + 2 : -1;
    }
    return -1;
  }
  if (c === 60 /* < */ && i + 1 < limit && isIdentStart(next)) {
    const e = runOf(text, i + 1, limit, 48, (x) => isIdentPart(x) || x === 45);
    return e < limit && text.charCodeAt(e) === 62 /* > */ ? e + 1 : -1;
  }
  return -1;
}

const PLACEHOLDER_LEADS = new Set([36, 123, 37, 60]);

/** True when `span` holds a placeholder. */
function hasPlaceholder(ph: readonly Span[], span: Span): boolean {
  return ph.some((p) => p.start >= span.start && p.end <= span.end);
}

/**
 * Calls `visit` with each offset of `span` that lies outside the placeholders `ph` (sorted), in
 * order; stops early when `visit` returns false. @returns false when it stopped early.
 */
function eachLiteral(ph: readonly Span[], span: Span, visit: (i: number) => boolean): boolean {
  let k = 0;
  for (let i = span.start; i < span.end; i++) {
    while (k < ph.length && ph[k].end <= i) k++;
    if (k < ph.length && ph[k].start <= i) {
      i = ph[k].end - 1;
      continue;
    }
    if (!visit(i)) return false;
  }
  return true;
}

/** Literal characters of `span` (outside placeholders) all satisfy `ok`. */
function literalsOk(text: string, ph: readonly Span[], span: Span, ok: (c: number) => boolean): boolean {
  return eachLiteral(ph, span, (i) => ok(text.charCodeAt(i)));
}

/** Splits `span` on `sep` outside placeholders. */
function splitOutside(text: string, ph: readonly Span[], span: Span, sep: number): Span[] {
  const out: Span[] = [];
  let from = span.start;
  eachLiteral(ph, span, (i) => {
    if (text.charCodeAt(i) === sep) {
      out.push({ start: from, end: i });
      from = i + 1;
    }
    return true;
  });
  out.push({ start: from, end: span.end });
  return out;
}

const DIGEST_RE = /^sha256:[0-9a-f]{64}$|^sha512:[0-9a-f]{128}$/;

/**
 * Reads the structure `[host/]path[:tag][@digest]` of the image reference `text[start, end)` as
 * Docker does (the first component is a host when it holds `.` or `:`, is `localhost`, or is a
 * placeholder), with template placeholders kept whole.
 * @returns undefined when the text is empty, longer than 512 characters, holds a character outside
 *   the reference alphabet (`[A-Za-z0-9._-/:@]` and placeholders), an empty component, an upper-case
 *   letter in the path, a tag over 128 characters, or a digest that is neither `sha256:<64 hex>`,
 *   `sha512:<128 hex>` nor a placeholder. Never throws.
 */
export function parseImageAt(text: string, start: number, end: number): ParsedImage | undefined {
  if (start < 0 || end > text.length || start >= end || end - start > MAX_IMAGE_LENGTH) return undefined;
  const placeholders: Span[] = [];
  const slashes: number[] = [];
  const colons: number[] = [];
  let at = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (PLACEHOLDER_LEADS.has(c)) {
      const e = placeholderEnd(text, i, end);
      if (e < 0) return undefined;
      placeholders.push({ start: i, end: e });
      i = e - 1;
    } else if (c === 47 /* / */) {
      if (at >= 0) return undefined;
      slashes.push(i);
    } else if (c === 58 /* : */) {
      colons.push(i);
    } else if (c === 64 /* @ */) {
      if (at >= 0) return undefined;
      at = i;
    } else if (!isRefChar(c)) {
      return undefined;
    }
  }
  const refEnd = at >= 0 ? at : end;
  let digest: Span | undefined;
  if (at >= 0) {
    digest = { start: at + 1, end };
    if (!DIGEST_RE.test(text.slice(digest.start, digest.end)) && !hasPlaceholder(placeholders, digest)) return undefined;
  }
  const comps: Span[] = [];
  let from = start;
  for (const s of slashes) {
    comps.push({ start: from, end: s });
    from = s + 1;
  }
  comps.push({ start: from, end: refEnd });
  if (comps.some((c) => c.start >= c.end)) return undefined;
  const first = comps[0];
  const firstText = text.slice(first.start, first.end);
  let host: Span | undefined;
  if (comps.length > 1 && (/[.:]/.test(firstText) || firstText === 'localhost' || hasPlaceholder(placeholders, first))) {
    host = first;
    comps.shift();
  }
  const last = comps[comps.length - 1];
  const tagColons = colons.filter((c) => c > last.start && c < refEnd);
  const otherColons = colons.filter((c) => c < refEnd && (c < last.start) && !(host && c > host.start && c < host.end));
  if (tagColons.length > 1 || otherColons.length > 0) return undefined;
  const pathEnd = tagColons.length === 1 ? tagColons[0] : refEnd;
  const path: Span = { start: comps[0].start, end: pathEnd };
  if (path.start >= path.end) return undefined;
  const lowerPath = (c: number) => (c >= 97 && c <= 122) || isDigitCode(c) || c === 46 || c === 45 || c === 95 || c === 47;
  if (!literalsOk(text, placeholders, path, lowerPath)) return undefined;
  let tag: Span | undefined;
  if (tagColons.length === 1) {
    tag = { start: tagColons[0] + 1, end: refEnd };
    if (tag.start >= tag.end || tag.end - tag.start > MAX_TAG || !literalsOk(text, placeholders, tag, isRefChar)) return undefined;
  }
  return { start, end, host, path, tag, digest, placeholders };
}

/** `text[s, e)` with its file range. */
export function located(text: string, s: number, e: number, at: OffsetToPosition): Located {
  return { text: text.slice(s, e), range: { start: at(s), end: at(e) } };
}

const REGION_RE = /^[a-z]{2,5}(?:-[a-z]{2,12}){1,3}-\d{1,2}$/;
const DEFAULT_DOMAINS = ['amazonaws.com', 'amazonaws.com.cn'];
const domainCache = new WeakMap<DlcImageIndex, ReadonlySet<string>>();

/** ECR DNS suffixes the catalog's registries use (`amazonaws.com`, `amazonaws.com.cn`, `c2s.ic.gov`, …). */
function ecrDomains(images: DlcImageIndex): ReadonlySet<string> {
  let set = domainCache.get(images);
  if (!set) {
    set = new Set([...DEFAULT_DOMAINS, ...images.registryList('dlc').map((g) => g.domain), ...images.registryList('sagemaker-algorithm').map((g) => g.domain)]);
    domainCache.set(images, set);
  }
  return set;
}

interface EcrHost {
  account: Span & { placeholder: boolean };
  region: Span & { placeholder: boolean };
}

/** Reads `<account>.dkr.ecr[-fips].<region>.<domain>`; undefined for other hosts. */
function readEcrHost(text: string, p: ParsedImage, images: DlcImageIndex): EcrHost | undefined {
  if (!p.host) return undefined;
  const segs = splitOutside(text, p.placeholders, p.host, 46 /* . */);
  if (segs.length < 5) return undefined;
  const [acc, dkr, ecr, reg] = segs;
  const word = (s: Span) => text.slice(s.start, s.end);
  if (word(dkr) !== 'dkr' || (word(ecr) !== 'ecr' && word(ecr) !== 'ecr-fips')) return undefined;
  const domain = { start: segs[4].start, end: p.host.end };
  if (!ecrDomains(images).has(word(domain)) && !hasPlaceholder(p.placeholders, domain)) return undefined;
  const accPh = hasPlaceholder(p.placeholders, acc);
  if (!(accPh ? literalsOk(text, p.placeholders, acc, (c) => isIdentPart(c) || c === 45) : /^\d{12}$/.test(word(acc)))) return undefined;
  const regPh = hasPlaceholder(p.placeholders, reg);
  if (!(regPh ? literalsOk(text, p.placeholders, reg, (c) => isIdentPart(c) || c === 45) : REGION_RE.test(word(reg)))) return undefined;
  return { account: { ...acc, placeholder: accPh }, region: { ...reg, placeholder: regPh } };
}

/** Tag parts of {@link DlcTagParts} that {@link ContainerImage.parts} carries. */
const DLC_PARTS: readonly ImagePartName[] = ['frameworkVersion', 'transformersVersion', 'engine', 'processor', 'python', 'cuda', 'os', 'neuronSdk', 'platform', 'suffix'];

/** Policy placeholders → image part names. */
const MAPPED_PARTS: Readonly<Record<ImagePlaceholder, ImagePartName>> = {
  framework_version: 'frameworkVersion',
  python: 'python',
  processor: 'processor',
  cuda: 'cuda',
  os: 'os',
  transformers_version: 'transformersVersion',
  neuron_sdk: 'neuronSdk',
};

function imageReference(text: string, p: ParsedImage, at: OffsetToPosition, image: ContainerImage, subject: string, version: string): ImageReference {
  return { kind: 'container-image', subject, version, text: text.slice(p.start, p.end), range: { start: at(p.start), end: at(p.end) }, image };
}

/** The common fields of a {@link ContainerImage} (repository, tag, digest, uri). */
function baseFields(text: string, p: ParsedImage, at: OffsetToPosition, repository: Span): Pick<ContainerImage, 'uri' | 'repository' | 'tag' | 'digest'> {
  return {
    uri: text.slice(p.start, p.end),
    repository: located(text, repository.start, repository.end, at),
    tag: p.tag ? located(text, p.tag.start, p.tag.end, at) : undefined,
    digest: p.digest ? located(text, p.digest.start, p.digest.end, at) : undefined,
  };
}

/** The DLC image `p` is, or undefined: a DLC/algorithm/legacy account, a known repository under a placeholder account, or a DLC public registry. */
function classifyDlc(text: string, p: ParsedImage, at: OffsetToPosition, images: DlcImageIndex): ImageReference | undefined {
  let registry: Span;
  let repository: Span;
  let ecr: EcrHost | undefined;
  if (!p.host) return undefined;
  const hostText = text.slice(p.host.start, p.host.end);
  if (hostText === 'public.ecr.aws') {
    const pub = images.publicRegistry(text.slice(p.host.start, p.path.end));
    if (!pub || !text.startsWith(`${pub.prefix}/`, p.host.start)) return undefined;
    registry = { start: p.host.start, end: p.host.start + pub.prefix.length };
    repository = { start: registry.end + 1, end: p.path.end };
    if (repository.start >= repository.end) return undefined;
  } else {
    ecr = readEcrHost(text, p, images);
    if (!ecr) return undefined;
    registry = p.host;
    repository = p.path;
    const repoName = text.slice(repository.start, repository.end);
    if (ecr.account.placeholder ? !images.repository(repoName) : images.accountKind(text.slice(ecr.account.start, ecr.account.end)) === undefined) return undefined;
  }
  const repoName = text.slice(repository.start, repository.end);
  const repo = images.repository(repoName);
  const image: ContainerImage = {
    family: 'dlc',
    ...baseFields(text, p, at, repository),
    registry: located(text, registry.start, registry.end, at),
    account: ecr ? { ...located(text, ecr.account.start, ecr.account.end, at), placeholder: ecr.account.placeholder } : undefined,
    region: ecr ? { ...located(text, ecr.region.start, ecr.region.end, at), placeholder: ecr.region.placeholder } : undefined,
    parts: {},
  };
  if (p.tag && !hasPlaceholder(p.placeholders, p.tag)) {
    const tagText = text.slice(p.tag.start, p.tag.end);
    const parsed = images.parseDlcTag(tagText, repo ? repoName : undefined);
    if (parsed) setTagParts(text, p.tag.start, parsed, at, image, []);
    if (repo) image.published = parsed?.published ?? images.isPublished(repoName, tagText);
  } else if (p.tag) readAroundPlaceholders(text, p, at, images, repo ? repoName : undefined, image);
  return imageReference(text, p, at, clean(image), repo?.framework ?? repoName, image.parts.frameworkVersion?.text ?? '');
}

/**
 * The parts of a tag with placeholders in it that lie outside them
 * (`1.13.1-transformers${var.transformers_version}-gpu-py39-cu117-ubuntu20.04`: framework version,
 * processor, Python, CUDA, OS). Each placeholder is read as a run of digits of its length (a version
 * stands there most often); a part that overlaps a placeholder is left out, and `published` is not
 * judged. Nothing is read when the tag does not parse that way (a placeholder for the processor).
 */
function readAroundPlaceholders(text: string, p: ParsedImage, at: OffsetToPosition, images: DlcImageIndex, repository: string | undefined, image: ContainerImage): void {
  const tag = p.tag!;
  const inTag = p.placeholders.filter((ph) => ph.start >= tag.start && ph.end <= tag.end);
  let standIn = '';
  let k = tag.start;
  for (const ph of inTag) {
    standIn += text.slice(k, ph.start) + '0'.repeat(ph.end - ph.start);
    k = ph.end;
  }
  standIn += text.slice(k, tag.end);
  const parsed = images.parseDlcTag(standIn, repository);
  if (parsed) setTagParts(text, tag.start, parsed, at, image, inTag);
}

/** Sets the image's tag scheme and the located parts of a parsed tag that starts at `tagStart`, leaving out parts that overlap a span of `skip`. */
function setTagParts(text: string, tagStart: number, parsed: DlcTagParts, at: OffsetToPosition, image: ContainerImage, skip: readonly Span[]): void {
  image.scheme = parsed.scheme;
  for (const name of DLC_PARTS) {
    const part = parsed[name as keyof DlcTagParts] as { start: number; end: number } | undefined;
    if (!part) continue;
    const s = tagStart + part.start;
    const e = tagStart + part.end;
    if (!skip.some((x) => x.start < e && x.end > s)) image.parts[name] = located(text, s, e, at);
  }
}

/** Drops optional fields left undefined, so that results compare cleanly. */
function clean(image: ContainerImage): ContainerImage {
  for (const k of Object.keys(image) as Array<keyof ContainerImage>) if (image[k] === undefined) delete image[k];
  return image;
}

/** The internal image a policy mapping matches, or undefined. */
function classifyMapped(text: string, p: ParsedImage | undefined, start: number, end: number, at: OffsetToPosition, mappings: readonly ImageMapping[]): ImageReference | undefined {
  if (mappings.length === 0) return undefined;
  const uri = text.slice(start, end);
  const m = matchImage(mappings, uri);
  if (!m) return undefined;
  const structure: ParsedImage = p ?? { start, end, path: { start, end }, placeholders: [] };
  const image: ContainerImage = {
    family: 'mapped',
    ...baseFields(text, structure, at, structure.path),
    registry: structure.host ? located(text, structure.host.start, structure.host.end, at) : undefined,
    parts: {},
  };
  for (const [name, span] of Object.entries(m.spans) as Array<[ImagePlaceholder, Span]>) {
    const part = MAPPED_PARTS[name];
    if (part) image.parts[part] = located(text, start + span.start, start + span.end, at);
  }
  return imageReference(text, structure, at, clean(image), m.framework, m.frameworkVersion ?? '');
}

/** Positions of a DLC template: offsets into the reference itself. */
const RELATIVE: OffsetToPosition = (character) => ({ line: 0, character });
/** Most distinct references remembered per catalog image index before the memo starts afresh. */
const DLC_MEMO_LIMIT = 4096;
const dlcMemo = new WeakMap<DlcImageIndex, Map<string, ImageReference | null>>();

/**
 * The DLC image `text[start, end)` is, or undefined: {@link classifyDlc} of the reference alone with
 * ranges relative to it, remembered per reference text (parsing and classifying depend only on
 * those characters and the catalog), then placed in the file with `at`. A file repeats the same
 * URIs; each distinct one is parsed and its tag read once.
 */
function cachedDlc(text: string, start: number, end: number, at: OffsetToPosition, images: DlcImageIndex): ImageReference | undefined {
  let memo = dlcMemo.get(images);
  if (!memo) dlcMemo.set(images, (memo = new Map()));
  const uri = text.slice(start, end);
  let shape = memo.get(uri);
  if (shape === undefined) {
    const p = parseImageAt(uri, 0, uri.length);
    shape = (p && classifyDlc(uri, p, RELATIVE, images)) || null;
    if (memo.size >= DLC_MEMO_LIMIT) memo.clear();
    memo.set(uri, shape);
  }
  return shape ? placed(shape, start, at) : undefined;
}

/** A fresh copy of the relative reference `shape` with every range moved to the file (`at(start + offset)`); key order kept. */
function placed(shape: ImageReference, start: number, at: OffsetToPosition): ImageReference {
  // every field of a located value is kept (its text, a placeholder flag, …); only its range is moved
  const move = <T extends { range: Range }>(l: T): T => ({ ...l, range: { start: at(start + l.range.start.character), end: at(start + l.range.end.character) } });
  const from = shape.image as unknown as Record<string, unknown>;
  const image: Record<string, unknown> = {};
  for (const k in from) {
    const v = from[k];
    if (k === 'parts') {
      const fromParts = v as Record<string, Located>;
      const parts: Record<string, Located> = {};
      for (const name in fromParts) parts[name] = move(fromParts[name]);
      image[k] = parts;
    } else if (v !== null && typeof v === 'object') image[k] = move(v as { range: Range });
    else image[k] = v;
  }
  const r = move(shape);
  return { kind: shape.kind, subject: shape.subject, version: shape.version, text: r.text, range: r.range, image: image as unknown as ContainerImage };
}

/** Whole-reference classification of `text[start, end)`; see {@link recognizeImage}. */
function classifyAt(text: string, start: number, end: number, at: OffsetToPosition, catalog: Catalog, options: RecognizeOptions | undefined, base: boolean): ImageReference | undefined {
  const images = catalog.images;
  const dlc = images ? cachedDlc(text, start, end, at, images) : undefined;
  if (dlc) return dlc;
  const mappings = options?.mappings ?? [];
  if (!base && mappings.length === 0) return undefined;
  const p = parseImageAt(text, start, end);
  const mapped = classifyMapped(text, p, start, end, at, mappings);
  if (mapped) return mapped;
  if (!base || !p) return undefined;
  const b = classifyBaseImage(text, p, catalog);
  if (!b) return undefined;
  const image: ContainerImage = {
    family: 'base',
    ...baseFields(text, p, at, b.repository),
    registry: b.registry ? located(text, b.registry.start, b.registry.end, at) : undefined,
    scheme: 'base',
    parts: {},
  };
  for (const [name, span] of Object.entries(b.parts) as Array<[ImagePartName, Span]>) image.parts[name] = located(text, span.start, span.end, at);
  return imageReference(text, p, at, clean(image), b.subject, image.parts.frameworkVersion?.text ?? '');
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xfeff || c === 0xa0;

/**
 * Classifies one image reference given as a whole string (a `FROM` argument, a quoted literal);
 * surrounding whitespace is ignored. In order: a DLC image (`family: 'dlc'`), an internal image a
 * policy `[[images]]` mapping matches (`mapped`), a well-known base image (`base`).
 * Every range is `{ start: at(s), end: at(e) }` of the exact substring it names.
 * @returns undefined when the text is none of these (including private ECR images of other accounts
 *   without a mapping). Never throws.
 */
export function recognizeImage(text: string, at: OffsetToPosition, catalog: Catalog, options?: RecognizeOptions): ImageReference | undefined {
  try {
    if (typeof text !== 'string') return undefined;
    let s = 0;
    let e = text.length;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e - s > MAX_IMAGE_LENGTH || s === e) return undefined;
    return classifyAt(text, s, e, at, catalog, options, true);
  } catch {
    return undefined;
  }
}

/**
 * The end of the run of reference characters (and placeholders) that starts at `from`: where a
 * space, quote, bracket, comma, `=` … ends it.
 */
function runEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isRefChar(c) || c === 47 || c === 58 || c === 64) i++;
    else if (PLACEHOLDER_LEADS.has(c)) {
      const e = placeholderEnd(text, i);
      if (e < 0) break;
      i = e;
    } else break;
  }
  return i;
}

/** Trailing punctuation a sentence or a template puts after a reference. */
const TRAILING = new Set([46, 44, 58, 59, 45, 47, 64, 95]);

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && TRAILING.has(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Where the account before a `.dkr.ecr` at `anchor` starts (12 digits or a placeholder), or -1. */
function accountStart(text: string, anchor: number): number {
  const s = anchor - 12;
  if (s >= 0 && /^\d{12}$/.test(text.slice(s, anchor)) && (s === 0 || !isRefChar(text.charCodeAt(s - 1)))) return s;
  for (let q = Math.max(0, anchor - MAX_PLACEHOLDER - 4); q < anchor; q++) {
    if (PLACEHOLDER_LEADS.has(text.charCodeAt(q)) && placeholderEnd(text, q, anchor) === anchor) return q;
  }
  return -1;
}

const PUBLIC_HOST = 'public.ecr.aws/';

/**
 * Every DLC image (and, with `options.mappings`, every mapped internal image) inside arbitrary text:
 * a shell line, a Markdown paragraph, a template string. Candidates start at a private ECR account
 * before `.dkr.ecr.` or at `public.ecr.aws/`, and run to the first character that cannot be in a
 * reference (space, quote, bracket, comma, `=`, …); trailing `.`, `,`, `:`, `;` are dropped. Base
 * images are not searched for (a word like `python:3.10` is too common in prose); use
 * {@link recognizeImage} on the text a file format marks as an image.
 * @returns references in text order, never overlapping; [] on any failure. Never throws.
 */
export function findImageReferences(text: string, at: OffsetToPosition, catalog: Catalog, options?: RecognizeOptions): ImageReference[] {
  try {
    if (typeof text !== 'string' || text.length === 0) return [];
    const found: Found[] = [];
    let cachedFrom = -1;
    let cachedEnd = -1;
    const endOfRun = (from: number) => {
      if (!(from >= cachedFrom && from < cachedEnd)) {
        cachedFrom = from;
        cachedEnd = runEnd(text, from);
      }
      return cachedEnd;
    };
    const anchors: Array<{ start: number; from: number }> = [];
    for (let i = text.indexOf('.dkr.ecr', 0); i >= 0; i = text.indexOf('.dkr.ecr', i + 1)) {
      const s = accountStart(text, i);
      if (s >= 0) anchors.push({ start: s, from: i });
    }
    for (let i = text.indexOf(PUBLIC_HOST, 0); i >= 0; i = text.indexOf(PUBLIC_HOST, i + 1)) {
      if (i === 0 || !isRefChar(text.charCodeAt(i - 1))) anchors.push({ start: i, from: i });
    }
    anchors.sort((x, y) => x.start - y.start);
    let after = 0;
    for (const a of anchors) {
      if (a.start < after) continue;
      const e = trimEnd(text, a.start, endOfRun(a.from));
      const ref = e - a.start <= MAX_IMAGE_LENGTH ? classifyAt(text, a.start, e, at, catalog, options, false) : undefined;
      if (ref) {
        found.push({ start: a.start, end: e, ref });
        after = e;
      }
    }
    const mappings = options?.mappings ?? [];
    if (mappings.length > 0) findMapped(text, at, mappings, found);
    return found.sort((x, y) => x.start - y.start).map((f) => f.ref);
  } catch {
    return [];
  }
}

/** A reference found in free text with its offsets. */
interface Found extends Span {
  ref: ImageReference;
}

/** Mapped images in free text: each run of reference characters that starts with a mapping's leading literal and is not taken by a DLC image. */
function findMapped(text: string, at: OffsetToPosition, mappings: readonly ImageMapping[], found: Found[]): void {
  const taken = [...found];
  const leads = mappings.map((m) => {
    const split = splitPattern(m.pattern);
    const first = 'parts' in split ? split.parts[0] : undefined;
    return first && 'literal' in first ? first.literal : '';
  });
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const e0 = isRefChar(c) || c === 47 || c === 58 || c === 64 || PLACEHOLDER_LEADS.has(c) ? runEnd(text, i) : i;
    if (e0 === i) {
      i++;
      continue;
    }
    const e = trimEnd(text, i, e0);
    while (k < taken.length && taken[k].end <= i) k++;
    const overlaps = k < taken.length && taken[k].start < e0;
    if (!overlaps && e > i && e - i <= MAX_IMAGE_LENGTH && leads.some((l) => text.startsWith(l, i))) {
      const ref = classifyMapped(text, parseImageAt(text, i, e), i, e, at, mappings);
      if (ref) found.push({ start: i, end: e, ref });
    }
    i = e0;
  }
}
