/**
 * Image URIs, DLAMI names and SSM paths assembled from pieces: a Terraform template
 * (`"${var.account}.dkr.ecr.${var.region}.amazonaws.com/pytorch-inference:${var.tag}"`), a
 * JavaScript template literal, a CloudFormation `!Sub`, or a repository and a tag written apart
 * (`aws_sagemaker_prebuilt_ecr_image`, CDK `ContainerImage.fromDlc(repo, tag)`).
 *
 * A scanner describes the string as {@link TemplatePiece}s (literal text, values substituted from
 * elsewhere in the file, unresolved interpolations kept as placeholders); this module runs the
 * ordinary recognisers (`imageUri.ts`, `dlami.ts`) over the assembled text and maps every range
 * back into the file: a part written inside one piece maps to its own characters; a part made of
 * several pieces maps to the text that holds them all (the template literal). What could not be
 * resolved is said in {@link ScanNote}s, never guessed.
 */
import type { Catalog } from '../../catalog/catalog';
import type { DlamiReference, ImageReference, Located, Position, Range, ScanNote } from '../../model';
import { findDlamiReferences, recognizeDlami } from './dlami';
import type { RecognizeOptions } from './imageUri';
import { findImageReferences, recognizeImage } from './imageUri';
import { mapRanges } from '../ranges';
import { positionBefore, rangesOverlap } from '../../text';

/** One piece of an assembled string. */
export interface TemplatePiece {
  /**
   * `literal`: text written in the template itself; `substituted`: the value of a variable,
   * local or constant written elsewhere (a Terraform variable `default`, a `const`); `placeholder`:
   * an interpolation that could not be resolved, kept as written (`${var.region}`) so that the
   * recognisers accept it where a template may put one (account, region).
   */
  kind: 'literal' | 'substituted' | 'placeholder';
  /** The piece's text as it reads in the assembled string. */
  text: string;
  /**
   * The file range the piece stands for: a literal's own characters, the interpolation
   * (`${var.tag}`) of substituted and placeholder pieces.
   */
  range: Range;
  /**
   * For `literal` and `substituted` pieces whose characters are written one for one in the file
   * (no escapes): the position of each offset of `text` (offset 0 … `text.length`). Absent: the
   * piece maps as a whole to `range` (or to `from.range` for substituted pieces).
   */
  at?: (offset: number) => Position;
  /** For `substituted` pieces: the name of what was substituted and the range of its value. */
  from?: { name: string; range: Range };
}

/** The assembled string and its pieces' offsets in it. */
interface Assembled {
  text: string;
  starts: number[];
}

function assemble(pieces: readonly TemplatePiece[]): Assembled {
  let text = '';
  const starts: number[] = [];
  for (const p of pieces) {
    starts.push(text.length);
    text += p.text;
  }
  return { text, starts };
}

/** Index of the piece holding offset `o` (the last piece for the end offset). */
function pieceAt(a: Assembled, pieces: readonly TemplatePiece[], o: number, preferEnd: boolean): number {
  let k = 0;
  for (let i = 0; i < pieces.length; i++) {
    const s = a.starts[i];
    const e = s + pieces[i].text.length;
    if (preferEnd ? o > s && o <= e : o >= s && o < e) return i;
    if (s <= o) k = i;
  }
  return k;
}

/**
 * A range of the assembled string → file range. Inside one piece with `at`: its own characters
 * (for a substituted piece, inside the value where it is written: what a fix edits). Across
 * pieces: from the first piece's start to the last one's end as written in the template, a
 * substituted piece counting as its interpolation (`${var.version}-gpu` for a tag made of a
 * variable and literal text; a fix replaces that text).
 */
function mapper(pieces: readonly TemplatePiece[], a: Assembled, anchor: Range): (r: Range) => Range {
  const n = a.text.length;
  return (r: Range): Range => {
    if (r.start.line !== 0 || r.end.line !== 0 || pieces.length === 0) return anchor;
    const s = Math.min(Math.max(r.start.character, 0), n);
    const t = Math.min(Math.max(r.end.character, s), n);
    const i = pieceAt(a, pieces, s, false);
    const j = t === s ? i : pieceAt(a, pieces, t, true);
    const pi = pieces[i];
    const pj = pieces[j];
    if (i === j) {
      if (pi.at) return { start: pi.at(s - a.starts[i]), end: pi.at(t - a.starts[i]) };
      return pi.from?.range ?? pi.range;
    }
    return {
      start: pi.at && pi.kind === 'literal' ? pi.at(s - a.starts[i]) : pi.range.start,
      end: pj.at && pj.kind === 'literal' ? pj.at(t - a.starts[j]) : pj.range.end,
    };
  };
}

/** Pieces whose offsets `[s, t)` of the assembled string overlap, in order. */
function piecesIn(pieces: readonly TemplatePiece[], a: Assembled, s: number, t: number): TemplatePiece[] {
  return pieces.filter((p, i) => a.starts[i] < t && a.starts[i] + p.text.length > s);
}

const IDENTITY = (character: number): Position => ({ line: 0, character });

/**
 * Where the image's text came from when some of it is a substituted value: the value the tag is
 * written in when the whole tag is one, else the first substituted value inside the reference.
 */
function substitution(ref: ImageReference, pieces: readonly TemplatePiece[], a: Assembled): ImageReference['image']['substitutedFrom'] {
  const tag = ref.image.tag?.range;
  const inTag = tag ? piecesIn(pieces, a, tag.start.character, tag.end.character) : [];
  const whole = inTag.length === 1 && inTag[0].kind === 'substituted' ? inTag[0] : undefined;
  const from = (whole ?? piecesIn(pieces, a, ref.range.start.character, ref.range.end.character).find((p) => p.kind === 'substituted'))?.from;
  return from ? { variable: from.name, range: from.range } : undefined;
}

/** What a scan of a template found: references with file ranges, and notes on what was left unresolved. */
export interface TemplateScan {
  images: ImageReference[];
  dlamis: DlamiReference[];
  notes: ScanNote[];
}

/**
 * Recognises the image, DLAMI name or SSM path that an assembled string holds.
 * `mode: 'whole'`: the string is one reference (an `image =` attribute, a `fromRegistry` argument):
 * DLC, mapped and well-known base images, DLAMI names, filters and SSM paths are all recognised.
 * `mode: 'find'`: references are searched inside it (any string literal): DLC and mapped images,
 * DLAMI names and SSM paths, as {@link findImageReferences} and {@link findDlamiReferences} do.
 * `anchor` is the range of the whole template in the file (where notes point); `textAt` gives the
 * file's text at a range: a reference's `text` is what is written at its `range`, while `image.uri`
 * and the parts' texts are the resolved values (`image.substitutedFrom` says that some came from a
 * substituted value).
 *
 * Notes: an image whose tag (or repository) holds an unresolved placeholder gets one, naming the
 * placeholders (`${var.tag}`), as does a string that is evidently a DLC registry URI (`.dkr.ecr.`
 * of a DLC account, `public.ecr.aws/deep-learning-containers/`) that could not be read because of
 * a placeholder. Never throws.
 */
export function scanTemplate(
  pieces: readonly TemplatePiece[],
  anchor: Range,
  textAt: (r: Range) => string,
  catalog: Catalog,
  mode: 'whole' | 'find',
  options?: RecognizeOptions,
): TemplateScan {
  const out: TemplateScan = { images: [], dlamis: [], notes: [] };
  try {
    const a = assemble(pieces);
    if (a.text.trim() === '') return out;
    const map = mapper(pieces, a, anchor);
    let images: ImageReference[];
    let dlamis: DlamiReference[];
    if (mode === 'whole') {
      const image = recognizeImage(a.text, IDENTITY, catalog, options);
      const dlami = image ? undefined : recognizeDlami(a.text, IDENTITY, catalog);
      images = image ? [image] : [];
      dlamis = dlami ? [dlami] : [];
    } else {
      images = findImageReferences(a.text, IDENTITY, catalog, options);
      dlamis = findDlamiReferences(a.text, IDENTITY, catalog);
    }
    for (const ref of images) {
      const from = substitution(ref, pieces, a);
      const placeholders = placeholdersIn(pieces, a, ref.image.tag?.range ?? ref.image.repository.range, ref.image.repository.range);
      const mapped = mapRanges(ref, map);
      mapped.text = textAt(mapped.range);
      if (from) mapped.image.substitutedFrom = from;
      out.images.push(mapped);
      // the recogniser reads the tag parts outside placeholders (`1.13.1-transformers${v}-gpu-py39-…`): those are judged
      const partial = Object.keys(ref.image.parts).length > 0;
      if (placeholders.length) out.notes.push({ range: mapped.range, message: unresolvedMessage(placeholders, partial ? 'the parts of the tag around it are judged, the image as a whole is not' : 'its tag cannot be judged') });
    }
    for (const ref of dlamis) {
      const mapped = mapRanges(ref, map);
      mapped.text = textAt(mapped.range);
      out.dlamis.push(mapped);
    }
    if (images.length === 0 && dlamis.length === 0) {
      const ph = pieces.filter((p) => p.kind === 'placeholder');
      if (ph.length && looksLikeDlcUri(a.text)) out.notes.push({ range: anchor, message: unresolvedMessage(ph, 'the image cannot be read') });
    }
  } catch {
    // a template that cannot be read yields what was found before the failure
  }
  return out;
}

/** Placeholder pieces inside the tag span or the repository span of the assembled string. */
function placeholdersIn(pieces: readonly TemplatePiece[], a: Assembled, tag: Range, repository: Range): TemplatePiece[] {
  const inSpan = (r: Range) => piecesIn(pieces, a, r.start.character, r.end.character).filter((p) => p.kind === 'placeholder');
  return [...new Set([...inSpan(repository), ...inSpan(tag)])];
}

function unresolvedMessage(placeholders: readonly TemplatePiece[], consequence: string): string {
  const names = [...new Set(placeholders.map((p) => `'${p.text}'`))].join(', ');
  return `${names} could not be resolved in this file: ${consequence}`;
}

/** The literal parts name a DLC registry: a private ECR host or the DLC public registries. */
function looksLikeDlcUri(text: string): boolean {
  return text.includes('.dkr.ecr.') || text.includes('public.ecr.aws/deep-learning-containers/') || text.includes('public.ecr.aws/neuron/');
}

/**
 * Pieces for a string literal whose characters are written one for one from file offset `start`
 * (`positionAt` maps file offsets to positions): one literal piece.
 */
export function literalPiece(text: string, start: number, positionAt: (offset: number) => Position): TemplatePiece {
  return { kind: 'literal', text, range: { start: positionAt(start), end: positionAt(start + text.length) }, at: (o) => positionAt(start + o) };
}

/**
 * An image given as a repository and a tag written apart (`aws_sagemaker_prebuilt_ecr_image`'s
 * `repository_name` and `image_tag`, CDK `ContainerImage.fromDlc(repository, tag)`): recognised
 * as `<DLC registry>/<repository>:<tag>` when the repository is a DLC repository of the catalog.
 * The image's `uri` is `repository:tag`; the reference's `range` is the tag's (what a fix edits),
 * its `text` what is written there, and it has no registry, account or region. `anchor` is the range of the whole construct (the call, the
 * block). @returns undefined when the repository is not a DLC repository. Never throws.
 */
export function recognizeRepositoryAndTag(repository: TemplatePiece[], tag: TemplatePiece[], anchor: Range, textAt: (r: Range) => string, catalog: Catalog): TemplateScan {
  const registry: TemplatePiece = { kind: 'placeholder', text: '{account}.dkr.ecr.{region}.amazonaws.com/', range: anchor };
  const colon: TemplatePiece = { kind: 'placeholder', text: ':', range: anchor };
  const scan = scanTemplate([registry, ...repository, colon, ...tag], anchor, textAt, catalog, 'whole');
  const images: ImageReference[] = [];
  for (const ref of scan.images) {
    if (ref.image.family !== 'dlc') continue;
    const { registry: _r, account: _a, region: _g, ...image } = ref.image;
    const uri = `${image.repository.text}${image.tag ? `:${image.tag.text}` : ''}`;
    const at = image.tag ?? image.repository;
    images.push({ ...ref, text: textAt(at.range), range: at.range, image: { ...image, uri } });
  }
  return { images, dlamis: [], notes: images.length ? scan.notes : [] };
}

/**
 * True for an image with neither tag nor digest that ends where its string literal ends
 * (`stringEnd`, the position after the string's content). In code such a string is a repository a
 * tag is appended to later (`repository = f"{account}.dkr.ecr.{region}.amazonaws.com/pytorch-inference"`
 * then `f"{repository}:{tag}"`), not an untagged image: code scanners leave it out.
 */
export function isRepositoryPrefix(ref: ImageReference, stringEnd: Position): boolean {
  return !ref.image.tag && !ref.image.digest && ref.range.end.line === stringEnd.line && ref.range.end.character === stringEnd.character;
}

/** The note code scanners give a {@link isRepositoryPrefix repository prefix} instead of a reference: seen, not judged. */
export function repositoryPrefixNote(ref: ImageReference): ScanNote {
  const repo = ref.image.repository.text;
  return { range: ref.range, message: `the tag of the ${repo} image is not in this string (the code adds it): the image cannot be judged here` };
}

/**
 * Makes the located parts of a reference read as what is written at their ranges, for scanners
 * whose pieces are not all written one for one (CDK arguments, CloudFormation intrinsics). A part
 * whose range is reversed fails; a part that reads as written passes; a part over a substituted
 * value (`substituted`: its interpolation or the value's range) passes with the value as its text;
 * a part over a placeholder whose text is a stand-in for what is written (`rewritten`) takes the
 * written text. Any other part fails: the reference cannot be placed in the file.
 * @returns false when some part fails (parts before it may have been rewritten). Never throws unless `textAt` does.
 */
export function settleParts(parts: ReadonlyArray<Located | undefined>, textAt: (r: Range) => string, substituted: readonly Range[], rewritten: readonly Range[]): boolean {
  for (const l of parts) {
    if (!l) continue;
    if (positionBefore(l.range.end, l.range.start)) return false;
    const written = textAt(l.range);
    if (written === l.text || substituted.some((r) => rangesOverlap(r, l.range))) continue;
    if (!rewritten.some((r) => rangesOverlap(r, l.range))) return false;
    l.text = written;
  }
  return true;
}
