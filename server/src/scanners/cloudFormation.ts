/**
 * CloudFormation and SAM templates (YAML or JSON), and the pieces every infrastructure document
 * reader shares (`infrastructure.ts` reads the files into {@link SourceNode}s and walks Kubernetes
 * manifests, compose files and CI workflows; this module collects what is found).
 *
 * A template is a document whose top-level mapping has `AWSTemplateFormatVersion`, a
 * `Transform` naming `AWS::Serverless-2016-10-31`, or `Resources` whose values have
 * `Type: AWS::…`. In it:
 * - `Image`, `ImageUri` values (any resource: `AWS::SageMaker::Model` `PrimaryContainer.Image` and
 *   `Containers[].Image`, ECS `ContainerDefinitions[].Image`, SAM `ImageUri`) are each one image:
 *   DLC, policy-mapped or well-known base image; `ImageId` values only when they are a DLAMI name,
 *   name filter or SSM parameter path (`ami-…` ids carry nothing);
 * - `{{resolve:ssm:/aws/service/deeplearning/…}}` dynamic references (the path inside is the
 *   reference), and the `Default` of a parameter of type
 *   `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>` (or `AWS::EC2::Image::Id`);
 * - `AcceleratorType` (an endpoint configuration's `ProductionVariants[]`) and
 *   `AcceleratorTypes` (a notebook instance) values that start with `ml.eia` (Elastic Inference);
 * - every other string (user data, outputs, descriptions, parameter defaults, mapping values) is
 *   searched for DLC images, DLAMI names and SSM paths.
 *
 * Intrinsic functions, short (`!Sub`) or long (`Fn::Sub`), are evaluated as far as the template
 * itself says: `Fn::Sub` (a string, or `[string, {vars}]`: a var given in the map is a
 * `substituted` piece; `${AWS::Region}`, `${AWS::AccountId}`, resources and attributes stay
 * `placeholder` pieces; a `${Param}` whose parameter has a `Default` is `substituted` from the
 * default, where a fix edits it), `Ref` to a parameter with a `Default`, `Fn::Join` of literals and
 * references, `Fn::FindInMap` (every value of the mapping a non-literal key may select is tried,
 * each reported where it is written), `Fn::If` (both branches), `Fn::Select` of a literal list,
 * `Fn::Base64`. Anything else is a placeholder that is named in a note when it hides a tag.
 * A value reported through a use (an `Image: !Ref Param`) is not reported again by the sweep of
 * the parameters and mappings. Never throws.
 */
import type { Catalog } from '../catalog/catalog';
import type { AcceleratorReference, Comment, DlamiReference, ImageReference, LineSpan, Located, Position, Range, Reference, ScanNote, ScanResult } from '../model';
import { positionBefore, rangesOverlap, TextIndex } from '../text';
import type { RecognizeOptions } from './images';
import type { TemplatePiece } from './images/template';
import { literalPiece, scanTemplate, settleParts } from './images/template';

// ---------------------------------------------------------------------------
// The documents both readers produce

/** A string as written in the file: for each UTF-16 code unit of `text`, the file offsets `[starts[i], ends[i])` it was written as. */
export interface WrittenText {
  text: string;
  starts: readonly number[];
  ends: readonly number[];
}

interface NodeBase {
  /** File offsets of the node: for strings, the content (inside quotes; a block scalar from its header). */
  start: number;
  end: number;
  /** A YAML tag as written (`!Sub`, `!Ref`), if any. */
  tag?: string;
}

/** A mapping; keys are read as strings. */
export interface SourceMap extends NodeBase {
  kind: 'map';
  entries: Array<{ key: string; value?: SourceNode }>;
}

/** A sequence. */
export interface SourceSeq extends NodeBase {
  kind: 'seq';
  items: SourceNode[];
}

/** A string, number or boolean scalar, read as the string it is written as (`2.10` stays `2.10`). */
export interface SourceString extends NodeBase {
  kind: 'string';
  value: string;
  /** Where each character of `value` is written; absent when that cannot be followed (the scalar then maps as a whole). */
  written?: WrittenText;
}

/** A null or otherwise empty node. */
export interface SourceOther extends NodeBase {
  kind: 'other';
}

/** A node of a YAML or JSON document. */
export type SourceNode = SourceMap | SourceSeq | SourceString | SourceOther;

/** The value of `key` in a mapping (the first one, as CloudFormation reads duplicates). */
export function entryOf(node: SourceNode | undefined, key: string): SourceNode | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.entries.find((e) => e.key === key)?.value;
}

/** The string value of a node, if it is a string. */
const stringOf = (node: SourceNode | undefined): string | undefined => (node?.kind === 'string' ? node.value : undefined);

// ---------------------------------------------------------------------------
// What a string is, by the key that holds it

/**
 * How a string is read: `whole` (it is one image or AMI: an `image:` value), `ami` (an `ImageId`:
 * a DLAMI name, filter or SSM path only), `accelerator` (an accelerator type), `find` (references
 * are searched inside it).
 */
export type ScanMode = 'whole' | 'ami' | 'find' | 'accelerator';

const IMAGE_KEYS = new Set(['image', 'Image', 'ImageUri', 'ImageURI', 'imageUri', 'imageURI', 'image_uri']);
const AMI_KEYS = new Set(['ImageId', 'imageId', 'image_id']);
const ACCELERATOR_KEYS = new Set(['AcceleratorType', 'AcceleratorTypes', 'acceleratorType', 'accelerator_type']);

/** The mode of a value by the key that holds it. */
export function modeForKey(key: string): ScanMode {
  if (IMAGE_KEYS.has(key)) return 'whole';
  if (AMI_KEYS.has(key)) return 'ami';
  if (ACCELERATOR_KEYS.has(key)) return 'accelerator';
  return 'find';
}

/** True for a key whose value is an image (`image`, `Image`, `ImageUri`, …). */
export const isImageKey = (key: string): boolean => IMAGE_KEYS.has(key);

// ---------------------------------------------------------------------------
// Collecting references

/** A template piece; `written` is how a placeholder whose `text` had to be rewritten for the recognisers is written (`${{ matrix.tag }}`). */
export type Piece = TemplatePiece & { written?: string };

/** One assembled value: pieces in order. */
type Alt = Piece[];

/** Words without which `find` mode finds nothing in a string (DLC registries, DLAMI names, SSM paths). */
const FIND_WORDS = /\.dkr\.ecr|public\.ecr\.aws\/|deep ?learning|\/aws\/service\//i;

/** A value that is one SSM dynamic reference: the text before the parameter name, and the name. */
const DYNAMIC_SSM = /^(\s*\{\{resolve:ssm(?:-secure)?:)([^:}\s]+)(?::\d+)?\}\}\s*$/;

/** Characters a `${…}` placeholder of the recognisers cannot hold. */
const NOT_IN_PLACEHOLDER = /[{}\s"'`$]/g;

/** `${name}` as a placeholder the recognisers accept (the name made safe and at most 80 characters). */
function placeholderText(name: string): string {
  const safe = name.replace(NOT_IN_PLACEHOLDER, '_').slice(0, 80);
  return `\${${safe || '_'}}`;
}

const truncate = (s: string) => {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
};

/** The range does not end before it starts. */
const ordered = (r: Range): boolean => !positionBefore(r.end, r.start);
const rangeKey = (r: Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

/**
 * Gathers the references of one file: scans assembled strings with `scanTemplate`, keeps what is
 * found through a use of a value (an image key, a substitution) before what the sweep of every
 * string finds at the same place, and builds the {@link ScanResult}. Never throws.
 */
export class Collector {
  private readonly index: TextIndex;
  private readonly uses: Reference[] = [];
  private readonly sweeps: Reference[] = [];
  private readonly notes: ScanNote[] = [];

  constructor(
    readonly text: string,
    readonly catalog: Catalog,
    readonly options: RecognizeOptions,
  ) {
    this.index = new TextIndex(text);
  }

  /**
   * False for a string that cannot hold what `mode` looks for: in `find` mode (without policy
   * mappings) a string without an ECR host, `Deep Learning` or `/aws/service/`. Saves building
   * pieces for the many strings of a large file.
   */
  mayHold(text: string, mode: ScanMode): boolean {
    return mode !== 'find' || (this.options.mappings?.length ?? 0) > 0 || FIND_WORDS.test(text);
  }

  /** The position of a file offset (clamped into the text). */
  readonly pos = (offset: number): Position => this.index.positionAt(Math.min(Math.max(offset, 0), this.text.length));

  /** The range of file offsets `[s, e)`. */
  range(s: number, e: number): Range {
    return { start: this.pos(s), end: this.pos(Math.max(s, e)) };
  }

  /** The file's text at a range. */
  readonly textAt = (r: Range): string => this.text.slice(this.index.offsetAt(r.start), this.index.offsetAt(r.end));

  /** Adds a note at file offsets `[s, e)`. */
  note(s: number, e: number, message: string): void {
    this.notes.push({ range: this.range(s, e), message });
  }

  /** The file range of characters `[from, to)` of a string's value (the whole string when its characters cannot be followed). */
  spanRange(node: SourceString, from: number, to: number): Range {
    const w = node.written;
    if (!w || w.starts.length === 0) return this.range(node.start, node.end);
    const n = w.starts.length;
    const f = Math.min(Math.max(from, 0), n);
    const t = Math.min(Math.max(to, f), n);
    if (t === f) {
      const at = f < n ? w.starts[f] : w.ends[n - 1];
      return this.range(at, at);
    }
    return this.range(w.starts[f], w.ends[t - 1]);
  }

  /**
   * Literal pieces for characters `[from, to)` of a string: each run written one for one in the
   * file is one piece that maps character by character; an escape or folded line break is a piece
   * of its own that maps to what it is written as.
   */
  pieces(node: SourceString, from = 0, to = node.value.length): Piece[] {
    const value = node.value.slice(from, to);
    if (value.length === 0) return [];
    const w = node.written;
    if (!w) return [{ kind: 'literal', text: value, range: this.range(node.start, node.end) }];
    const out: Piece[] = [];
    const oneForOne = (k: number) => w.ends[k] === w.starts[k] + 1 && this.text[w.starts[k]] === node.value[k];
    let k = from;
    while (k < to) {
      if (!oneForOne(k)) {
        out.push({ kind: 'literal', text: node.value[k], range: this.range(w.starts[k], w.ends[k]) });
        k++;
        continue;
      }
      let j = k + 1;
      while (j < to && oneForOne(j) && w.starts[j] === w.starts[j - 1] + 1) j++;
      out.push(literalPiece(node.value.slice(k, j), w.starts[k], this.pos));
      k = j;
    }
    return out;
  }

  /**
   * Scans one assembled string. `anchor` is the range of the whole value in the file (where notes
   * point). In `whole` and `ami` modes a value that is one `{{resolve:ssm:…}}` dynamic reference is
   * read as the parameter path inside it.
   */
  scan(pieces: readonly Piece[], anchor: Range, mode: ScanMode): void {
    try {
      if (mode === 'accelerator') {
        this.accelerator(pieces);
        return;
      }
      let ps = pieces;
      const assembled = pieces.map((p) => p.text).join('');
      if (assembled.trim() === '' || !this.mayHold(assembled, mode)) return;
      if (mode !== 'find') {
        const m = DYNAMIC_SSM.exec(assembled);
        if (m) ps = slicePieces(pieces, m[1].length, m[1].length + m[2].length);
      }
      const scan = scanTemplate(ps, anchor, this.textAt, this.catalog, mode === 'find' ? 'find' : 'whole', this.options);
      const use = mode !== 'find' || ps.some((p) => p.kind === 'substituted');
      const sink = use ? this.uses : this.sweeps;
      const rewritten = ps.filter((p) => p.kind === 'placeholder' && this.textAt(p.range) !== p.text).map((p) => p.range);
      const substituted = ps.filter((p) => p.kind === 'substituted').flatMap((p) => (p.from ? [p.range, p.from.range] : [p.range]));
      if (mode !== 'ami') {
        for (const ref of scan.images) {
          if (ordered(ref.range) && this.faithful(located(ref), rewritten, substituted)) sink.push(ref);
          else this.unmappable(ref, anchor);
        }
      }
      for (const ref of scan.dlamis) {
        if (ordered(ref.range) && this.faithful(Object.values(ref.dlami.parts), rewritten, [])) sink.push(ref);
        else this.unmappable(ref, anchor);
      }
      const found = scan.dlamis.length + (mode === 'ami' ? 0 : scan.images.length);
      const notes = mode === 'ami' ? [] : scan.notes;
      for (const n of notes) this.notes.push({ range: ordered(n.range) ? n.range : anchor, message: rewriteNames(n.message, ps) });
      if (mode === 'ami' && found === 0) this.amiNote(ps, assembled, anchor);
    } catch {
      // a value that cannot be read yields nothing
    }
  }

  /**
   * True when every located part reads as what is written at its range; a part over a rewritten
   * placeholder takes the text written there, a part over a substituted value is exempt (its text
   * is the value, its range where the value or the interpolation is written).
   */
  private faithful(parts: ReadonlyArray<Located | undefined>, rewritten: readonly Range[], substituted: readonly Range[]): boolean {
    return settleParts(parts, this.textAt, substituted, rewritten);
  }

  /** A note instead of a reference whose parts cannot be placed in the file (at the reference, or at the value when even that cannot). */
  private unmappable(ref: Reference, anchor: Range): void {
    const ok = ordered(ref.range);
    const text = ok ? ref.text : this.textAt(anchor);
    this.notes.push({ range: ok ? ref.range : anchor, message: `cannot map the positions inside '${truncate(text)}'; not judged` });
  }

  /** A note for an `ImageId` that names a Deep Learning AMI through unresolved placeholders. */
  private amiNote(pieces: readonly Piece[], assembled: string, anchor: Range): void {
    const ph = pieces.filter((p) => p.kind === 'placeholder');
    if (ph.length === 0 || !/\/aws\/service\/|deep ?learning/i.test(assembled)) return;
    const names = [...new Set(ph.map((p) => `'${p.written ?? p.text}'`))].join(', ');
    this.notes.push({ range: anchor, message: `${names} could not be resolved in this file: the AMI cannot be read` });
  }

  /** An `ml.eia…` accelerator type written in one piece. */
  private accelerator(pieces: readonly Piece[]): void {
    const nonEmpty = pieces.filter((p) => p.text.length > 0);
    if (nonEmpty.length !== 1) return;
    const p = nonEmpty[0];
    const body = p.text.trim();
    if (!body.startsWith('ml.eia') || !p.at || p.kind === 'placeholder') return;
    const off = p.text.indexOf(body);
    const range = { start: p.at(off), end: p.at(off + body.length) };
    if (this.textAt(range) !== body) return;
    const ref: AcceleratorReference = { kind: 'accelerator', subject: body, version: '', text: body, range };
    this.uses.push(ref);
  }

  /**
   * The scan result: references found through uses first (one per place), then sweep references
   * that overlap none of them, in file order; notes once each; one statement per line span holding
   * a reference or a note.
   */
  result(comments: Comment[]): ScanResult {
    const references: Reference[] = [];
    const seen = new Set<string>();
    const key = (r: Reference) => `${r.kind}|${rangeKey(r.range)}|${r.text}`;
    for (const r of this.uses) {
      if (seen.has(key(r))) continue;
      seen.add(key(r));
      references.push(r);
    }
    const used = [...references];
    for (const r of this.sweeps) {
      if (seen.has(key(r)) || used.some((u) => rangesOverlap(u.range, r.range))) continue;
      seen.add(key(r));
      references.push(r);
    }
    references.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    const notes: ScanNote[] = [];
    const noteKeys = new Set<string>();
    for (const n of this.notes) {
      const k = `${rangeKey(n.range)}|${n.message}`;
      if (noteKeys.has(k)) continue;
      noteKeys.add(k);
      notes.push(n);
    }
    const statements: LineSpan[] = [];
    const spanKeys = new Set<string>();
    for (const r of [...references.map((x) => x.range), ...notes.map((n) => n.range)]) {
      const k = `${r.start.line}:${r.end.line}`;
      if (spanKeys.has(k)) continue;
      spanKeys.add(k);
      statements.push({ startLine: r.start.line, endLine: r.end.line });
    }
    statements.sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
    return { references, includes: [], comments, statements, indexUrls: [], notes };
  }
}

/** Every located part of an image reference. */
function located(ref: ImageReference): Array<Located | undefined> {
  const i = ref.image;
  return [i.registry, i.account, i.region, i.repository, i.tag, i.digest, ...Object.values(i.parts)];
}

/** A note message with each rewritten placeholder named as it is written. */
function rewriteNames(message: string, pieces: readonly Piece[]): string {
  let m = message;
  for (const p of pieces) if (p.written !== undefined && p.written !== p.text) m = m.split(`'${p.text}'`).join(`'${p.written}'`);
  return m;
}

/** The pieces covering characters `[s, t)` of the assembled string (pieces that map character by character are cut). */
export function slicePieces(pieces: readonly Piece[], s: number, t: number): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const p of pieces) {
    const ps = at;
    const pe = at + p.text.length;
    at = pe;
    if (pe <= s || ps >= t) continue;
    if (ps >= s && pe <= t) {
      out.push(p);
      continue;
    }
    const a = Math.max(s, ps) - ps;
    const b = Math.min(t, pe) - ps;
    const pAt = p.at;
    if (!pAt || p.kind === 'placeholder') {
      out.push(p);
      continue;
    }
    const range = p.kind === 'literal' ? { start: pAt(a), end: pAt(b) } : p.range;
    out.push({ ...p, text: p.text.slice(a, b), range, at: (o: number) => pAt(o + a) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// CloudFormation

/** Short-form intrinsic function tags of CloudFormation YAML (`!Sub` is `Fn::Sub`). */
export const CLOUDFORMATION_TAGS: readonly string[] = [
  'Sub', 'Ref', 'GetAtt', 'FindInMap', 'Join', 'If', 'Select', 'Split', 'Base64', 'ImportValue', 'GetAZs', 'Equals', 'Not', 'And', 'Or',
  'Condition', 'Cidr', 'Transform', 'Length', 'ToJsonString', 'ForEach',
];
const SHORT_TAGS = new Set(CLOUDFORMATION_TAGS.map((t) => `!${t}`));

/** At most this many alternatives of one value are tried (`Fn::FindInMap` over regions, `Fn::If`). */
const MAX_ALTS = 32;
/** Intrinsic functions nested deeper than this are placeholders. */
const MAX_EVAL_DEPTH = 12;
/** Nodes nested deeper than this are not walked. */
const MAX_WALK_DEPTH = 200;

/**
 * True when a document's top-level mapping is a CloudFormation or SAM template:
 * `AWSTemplateFormatVersion`, a `Transform` naming `AWS::Serverless…`, or `Resources` with a
 * `Type: AWS::…` resource.
 */
export function isCloudFormation(root: SourceNode): boolean {
  if (root.kind !== 'map') return false;
  if (entryOf(root, 'AWSTemplateFormatVersion')) return true;
  const transform = entryOf(root, 'Transform');
  const transforms = transform?.kind === 'seq' ? transform.items : transform ? [transform] : [];
  if (transforms.some((t) => stringOf(t)?.startsWith('AWS::Serverless'))) return true;
  const resources = entryOf(root, 'Resources');
  return resources?.kind === 'map' && resources.entries.some((e) => stringOf(entryOf(e.value, 'Type'))?.startsWith('AWS::') === true);
}

/** A template parameter: its `Default` when it is a string (or number) written in the template. */
interface Parameter {
  defaultValue?: SourceString;
}

/** What a template declares that intrinsic functions refer to. */
interface Template {
  c: Collector;
  parameters: Map<string, Parameter>;
  mappings: Map<string, SourceMap>;
  /** (node, mode) pairs walked already: aliases of one anchored node are read once. */
  walked: Map<SourceNode, Set<ScanMode>>;
}

function readTemplate(root: SourceMap, c: Collector): Template {
  const parameters = new Map<string, Parameter>();
  const params = entryOf(root, 'Parameters');
  if (params?.kind === 'map') {
    for (const e of params.entries) {
      if (parameters.has(e.key)) continue;
      const d = entryOf(e.value, 'Default');
      parameters.set(e.key, { defaultValue: d?.kind === 'string' ? d : undefined });
    }
  }
  const mappings = new Map<string, SourceMap>();
  const maps = entryOf(root, 'Mappings');
  if (maps?.kind === 'map') for (const e of maps.entries) if (e.value?.kind === 'map' && !mappings.has(e.key)) mappings.set(e.key, e.value);
  return { c, parameters, mappings, walked: new Map() };
}

/** The function and argument of an intrinsic function node (`!Sub x`, `{"Fn::Sub": x}`, `{Ref: x}`), else undefined. */
function intrinsic(node: SourceNode): { fn: string; arg: SourceNode | undefined } | undefined {
  if (node.tag && SHORT_TAGS.has(node.tag)) {
    const name = node.tag.slice(1);
    // the node without its tag (its other properties, getters included, through the prototype)
    const arg = Object.create(node, { tag: { value: undefined, enumerable: true } }) as SourceNode;
    return { fn: name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`, arg };
  }
  if (node.kind === 'map' && node.entries.length === 1) {
    const k = node.entries[0].key;
    if (k === 'Ref' || k.startsWith('Fn::')) return { fn: k, arg: node.entries[0].value };
  }
  return undefined;
}

/**
 * Reads one CloudFormation/SAM template document into the collector: every section but
 * `Parameters` and `Mappings` first (so that a value is reported through its use), then parameter
 * defaults (`ami` mode for AMI-typed parameters, else `find`) and mapping values (`find`).
 * Never throws.
 */
export function scanCloudFormation(root: SourceNode, c: Collector): void {
  if (root.kind !== 'map') return;
  const t = readTemplate(root, c);
  for (const e of root.entries) {
    if (!e.value || e.key === 'Parameters' || e.key === 'Mappings') continue;
    walk(e.value, 'find', t, 1);
  }
  const params = entryOf(root, 'Parameters');
  if (params?.kind === 'map') {
    for (const p of params.entries) {
      if (p.value?.kind !== 'map') continue;
      const type = stringOf(entryOf(p.value, 'Type')) ?? '';
      for (const e of p.value.entries) {
        if (e.value) walk(e.value, e.key === 'Default' && type.includes('AWS::EC2::Image::Id') ? 'ami' : 'find', t, 3);
      }
    }
  }
  const maps = entryOf(root, 'Mappings');
  if (maps) walk(maps, 'find', t, 1);
}

function walk(node: SourceNode, mode: ScanMode, t: Template, depth: number): void {
  if (depth > MAX_WALK_DEPTH) return;
  let modes = t.walked.get(node);
  if (!modes) t.walked.set(node, (modes = new Set()));
  if (modes.has(mode)) return;
  modes.add(mode);
  const fn = intrinsic(node);
  if (fn) {
    walkIntrinsic(node, fn.fn, fn.arg, mode, t, depth);
    return;
  }
  if (node.kind === 'string') {
    if (t.c.mayHold(node.value, mode)) t.c.scan(t.c.pieces(node), t.c.range(node.start, node.end), mode);
  }
  else if (node.kind === 'seq') for (const item of node.items) walk(item, mode, t, depth + 1);
  else if (node.kind === 'map') for (const e of node.entries) if (e.value) walk(e.value, modeForKey(e.key), t, depth + 1);
}

function walkIntrinsic(node: SourceNode, fn: string, arg: SourceNode | undefined, mode: ScanMode, t: Template, depth: number): void {
  if (!arg) return;
  switch (fn) {
    case 'Fn::If':
      if (arg.kind === 'seq') for (const branch of arg.items.slice(1, 3)) walk(branch, mode, t, depth + 1);
      return;
    case 'Fn::Base64':
      walk(arg, mode, t, depth + 1);
      return;
    case 'Ref':
    case 'Fn::Sub':
    case 'Fn::Join':
    case 'Fn::FindInMap':
    case 'Fn::Select': {
      const template = fn === 'Fn::Sub' ? (arg.kind === 'seq' ? arg.items[0] : arg) : undefined;
      const anchorNode = template?.kind === 'string' ? template : node;
      const anchor = t.c.range(anchorNode.start, anchorNode.end);
      for (const alt of evaluate(node, t, 0)) t.c.scan(alt, anchor, mode);
      return;
    }
    default:
      walk(arg, 'find', t, depth + 1);
  }
}

/** A placeholder piece named `name` standing for `node`. */
function placeholder(node: SourceNode, name: string, t: Template): Piece {
  const range = t.c.range(node.start, node.end);
  return { kind: 'placeholder', text: placeholderText(name), range };
}

/**
 * A value written elsewhere, as substituted pieces standing for the interpolation `interp`: each
 * literal piece keeps its mapping into the value (what a fix edits); placeholders stay
 * placeholders, standing for the interpolation too (so that pieces stay in file order).
 */
function substitute(alt: Alt, name: string, interp: Range, valueRange?: Range): Alt {
  return alt.map((p): Piece => {
    if (p.kind === 'placeholder') return { ...p, range: interp };
    const from = p.kind === 'substituted' && p.from ? p.from : { name, range: valueRange ?? p.range };
    return { kind: 'substituted', text: p.text, range: interp, at: p.at, from };
  });
}

/** Every combination of one alternative of each part, in order, at most {@link MAX_ALTS}. */
function product(parts: readonly Alt[][]): Alt[] {
  let out: Alt[] = [[]];
  for (const options of parts) {
    const opts = options.length ? options : [[]];
    const next: Alt[] = [];
    for (const a of out) {
      for (const o of opts) {
        if (next.length >= MAX_ALTS) break;
        next.push([...a, ...o]);
      }
    }
    out = next;
  }
  return out;
}

/** The alternatives a value node assembles to (each a list of pieces); [] for `AWS::NoValue`. */
function evaluate(node: SourceNode, t: Template, depth: number): Alt[] {
  if (depth > MAX_EVAL_DEPTH) return [[placeholder(node, 'Fn', t)]];
  const fn = intrinsic(node);
  if (!fn) {
    if (node.kind === 'string') return [t.c.pieces(node)];
    return [[placeholder(node, node.kind === 'map' ? 'map' : 'list', t)]];
  }
  const arg = fn.arg;
  if (!arg) return [[placeholder(node, fn.fn, t)]];
  switch (fn.fn) {
    case 'Ref':
      return evaluateRef(arg, t);
    case 'Fn::Sub':
      return evaluateSub(node, arg, t, depth);
    case 'Fn::Join':
      return evaluateJoin(node, arg, t, depth);
    case 'Fn::FindInMap':
      return evaluateFindInMap(node, arg, t, depth);
    case 'Fn::If':
      if (arg.kind !== 'seq') return [[placeholder(node, fn.fn, t)]];
      return arg.items.slice(1, 3).flatMap((b) => evaluate(b, t, depth + 1)).slice(0, MAX_ALTS);
    case 'Fn::Select': {
      const index = Number(stringOf(arg.kind === 'seq' ? arg.items[0] : undefined));
      const list = arg.kind === 'seq' ? arg.items[1] : undefined;
      if (list?.kind === 'seq' && Number.isInteger(index) && index >= 0 && index < list.items.length) return evaluate(list.items[index], t, depth + 1);
      return [[placeholder(node, fn.fn, t)]];
    }
    case 'Fn::Base64':
      return evaluate(arg, t, depth + 1);
    case 'Fn::GetAtt': {
      const name = arg.kind === 'seq' ? arg.items.map((i) => stringOf(i) ?? '').join('.') : (stringOf(arg) ?? fn.fn);
      return [[placeholder(node, name, t)]];
    }
    default:
      return [[placeholder(node, fn.fn, t)]];
  }
}

/** `Ref`: a pseudo parameter or resource is a placeholder; a parameter with a `Default` the default, substituted. */
function evaluateRef(arg: SourceNode, t: Template): Alt[] {
  const name = stringOf(arg)?.trim();
  if (name === undefined) return [[placeholder(arg, 'Ref', t)]];
  if (name === 'AWS::NoValue') return [];
  const interp = t.c.range(arg.start, arg.end);
  return [resolveName(name, interp, t, textOf(name))];
}

const textOf = (name: string) => `\${${name}}`;

/** A name of a template (`${Name}` or `Ref Name`): a parameter default (substituted) or a placeholder. */
function resolveName(name: string, interp: Range, t: Template, written: string): Alt {
  const p = name.startsWith('AWS::') ? undefined : t.parameters.get(name);
  if (p?.defaultValue) {
    const d = p.defaultValue;
    return substitute(t.c.pieces(d), name, interp, t.c.range(d.start, d.end));
  }
  const text = placeholderText(name);
  return [{ kind: 'placeholder', text, range: interp, written: written === text ? undefined : written }];
}

/** `Fn::Sub`: literal text, `${!…}` escapes, `${Var}` from the vars map, parameters, or placeholders. */
function evaluateSub(node: SourceNode, arg: SourceNode, t: Template, depth: number): Alt[] {
  const template = arg.kind === 'seq' ? arg.items[0] : arg;
  const vars = arg.kind === 'seq' && arg.items[1]?.kind === 'map' ? arg.items[1] : undefined;
  if (template?.kind !== 'string') return [[placeholder(node, 'Fn::Sub', t)]];
  const v = template.value;
  const parts: Alt[][] = [];
  let from = 0;
  let i = v.indexOf('${');
  while (i >= 0) {
    if (i > from) parts.push([t.c.pieces(template, from, i)]);
    if (v[i + 2] === '!') {
      // `${!Literal}` writes `${Literal}`
      parts.push([[{ kind: 'literal', text: '${', range: t.c.spanRange(template, i, i + 3) }]]);
      from = i + 3;
    } else {
      const close = v.indexOf('}', i + 2);
      if (close < 0) break;
      const name = v.slice(i + 2, close).trim();
      const interp = t.c.spanRange(template, i, close + 1);
      const written = v.slice(i, close + 1);
      const value = vars?.entries.find((e) => e.key === name)?.value;
      if (value) {
        const range = t.c.range(value.start, value.end);
        parts.push(evaluate(value, t, depth + 1).map((alt) => substitute(alt, name, interp, value.kind === 'string' ? range : undefined)));
      } else parts.push([resolveName(name, interp, t, written)]);
      from = close + 1;
    }
    i = v.indexOf('${', from);
  }
  if (from < v.length) parts.push([t.c.pieces(template, from)]);
  return product(parts);
}

/** `Fn::Join [delimiter, [values]]`. */
function evaluateJoin(node: SourceNode, arg: SourceNode, t: Template, depth: number): Alt[] {
  if (arg.kind !== 'seq' || arg.items.length < 2) return [[placeholder(node, 'Fn::Join', t)]];
  const [delimiter, list] = arg.items;
  const sep: Alt = delimiter.kind === 'string' ? t.c.pieces(delimiter) : [placeholder(delimiter, 'delimiter', t)];
  const values = list.kind === 'seq' && !intrinsic(list) ? list.items : [list];
  const parts: Alt[][] = [];
  values.forEach((item, k) => {
    if (k > 0 && sep.length) parts.push([sep]);
    parts.push(evaluate(item, t, depth + 1));
  });
  return product(parts);
}

/** The literal keys a `Fn::FindInMap` key selects, or undefined when it may select any. */
function literalKeys(node: SourceNode | undefined, t: Template, depth: number): string[] | undefined {
  if (!node) return undefined;
  const alts = evaluate(node, t, depth + 1);
  if (alts.length === 0 || alts.some((a) => a.some((p) => p.kind === 'placeholder'))) return undefined;
  return alts.map((a) => a.map((p) => p.text).join(''));
}

/** `Fn::FindInMap [Map, TopKey, SecondKey]`: every value the keys may select, each substituted from where it is written. */
function evaluateFindInMap(node: SourceNode, arg: SourceNode, t: Template, depth: number): Alt[] {
  const [mapNode, topNode, secondNode] = arg.kind === 'seq' ? arg.items : [];
  const mapName = stringOf(mapNode);
  const mapping = mapName === undefined ? undefined : t.mappings.get(mapName);
  if (!mapping) return [[placeholder(node, 'Fn::FindInMap', t)]];
  const tops = literalKeys(topNode, t, depth);
  const seconds = literalKeys(secondNode, t, depth);
  const interp = t.c.range(node.start, node.end);
  const out: Alt[] = [];
  for (const top of mapping.entries) {
    if (tops && !tops.includes(top.key)) continue;
    if (top.value?.kind !== 'map') continue;
    for (const second of top.value.entries) {
      if (seconds && !seconds.includes(second.key)) continue;
      const value = second.value;
      if (value?.kind !== 'string' || out.length >= MAX_ALTS) continue;
      out.push(substitute(t.c.pieces(value), `${mapName}.${top.key}.${second.key}`, interp, t.c.range(value.start, value.end)));
    }
  }
  return out.length ? out : [[placeholder(node, 'Fn::FindInMap', t)]];
}
