/**
 * Scanner for infrastructure YAML and JSON (references.md "CloudFormation / SAM / Kubernetes /
 * compose / CI YAML and JSON"): CloudFormation and SAM templates (read by `cloudFormation.ts`),
 * Kubernetes manifests, docker-compose files, GitHub Actions and GitLab CI workflows, CodeBuild
 * buildspecs, dev container and ECS task definition JSON, and any other YAML or JSON document.
 * YAML is read with the `yaml` parser (every document of a `---` stream, CloudFormation short-form
 * tags `!Sub`, `!Ref`, `!GetAtt`, … registered so that their nodes keep their offsets; unknown tags
 * are read as untagged nodes), JSON with `jsonc-parser`; a broken file yields what the parser
 * recovered.
 *
 * Outside CloudFormation it finds:
 * - `image:` / `Image:` / `ImageUri` values anywhere (Kubernetes `containers[]`/`initContainers[]`
 *   of any nested spec, compose `services.<name>.image`, GitHub Actions `jobs.<id>.services.<name>.image`,
 *   GitLab `image:` as a string or `{name:}`), a GitHub Actions job `container:` string, GitLab
 *   `services:` list entries (strings or `{name:}`) and `uses: docker://…` steps: each one image,
 *   recognised whole (DLC, policy-mapped or well-known base image such as `python:3.10`);
 *   `ImageId` values that are a DLAMI name or SSM path; `AcceleratorType` values `ml.eia…`;
 * - in every other string (`run:` scripts, `env:` values, buildspec commands, annotations): DLC and
 *   mapped images, DLAMI names and SSM parameter paths.
 * Interpolations inside strings (`${{ matrix.tag }}`, `${TAG}`, `$TAG`, `{{ .Values.tag }}`) are
 * placeholders: an image whose tag holds one is reported with a note saying what could not be
 * resolved.
 *
 * Not matched (lookalikes): `image:` values that are no image (`image: true`, `image: ./logo.png`),
 * private ECR images of accounts that are not DLC accounts (unless a policy mapping matches),
 * `ami-…` ids, anything in a conda environment document (top-level `dependencies:` or
 * `channels:`, read by the conda scanner; this also keeps `package.json` out), and files that
 * mention none of the words an image, AMI or accelerator reference needs (not parsed at all).
 *
 * Ranges are LSP ranges (0-based lines, UTF-16 characters) of the characters as written: inside
 * quotes, escapes and folded line breaks mapped to what they are written as, block scalars (`run: |`)
 * line by line. YAML comments are reported for suppression directives; one statement per line
 * span holding a reference. Never throws.
 */
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { parseTree } from 'jsonc-parser';
import type { CollectionTag, Document, ScalarTag, Scalar, Tags } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Catalog } from '../catalog/catalog';
import type { Comment, ScanResult } from '../model';
import type { ImageMapping } from '../policy/images';
import type { Piece, ScanMode, SourceNode, SourceString, WrittenText } from './cloudFormation';
import { CLOUDFORMATION_TAGS, Collector, isCloudFormation, isImageKey, modeForKey, scanCloudFormation, slicePieces } from './cloudFormation';
import { mapScalar, yamlComments } from './condaEnvironment';
import { placeholderEnd } from './images';
import { decodeCellSource } from './notebook/ipynb';
import { MAX_YAML_NESTING, tooDeepMessage, yamlNestingBound } from './yamlDepth';

/** Options of the infrastructure scanners. */
export interface InfrastructureScanOptions {
  /** A policy file's `[[images]]` mappings (internal images built on DLCs), passed to the image recogniser. */
  mappings?: readonly ImageMapping[];
}

/** Files larger than this (UTF-16 code units) are not parsed (a note says so). */
const MAX_TEXT = 2_000_000;
/** Nodes nested deeper than this are not read. */
const MAX_DEPTH = 200;

/**
 * The words without which a file holds no reference this scanner reports: image keys and values,
 * SSM dynamic references, ECR hosts, DLAMI names and SSM paths, accelerator types, job containers.
 */
const RELEVANT = /image|resolve:ssm|\.dkr\.ecr|public\.ecr\.aws|deep ?learning|\/aws\/service\/|acceleratortype|accelerator_type|container|docker:\/\//i;

function emptyScan(): ScanResult {
  return { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
}

const CUSTOM_TAGS: Array<ScalarTag | CollectionTag> = CLOUDFORMATION_TAGS.flatMap((name): Array<ScalarTag | CollectionTag> => {
  const tag = `!${name}`;
  return [
    { tag, resolve: (value: string) => value },
    { tag, collection: 'seq', resolve: (value) => value },
    { tag, collection: 'map', resolve: (value) => value },
  ];
});

/** The schema's tags and the CloudFormation tags (one concatenation, as a function: an array is concatenated tag by tag). */
const withCloudFormationTags = (tags: Tags): Tags => [...tags, ...CUSTOM_TAGS];

/**
 * Scans a YAML file (every document of it): CloudFormation/SAM templates, Kubernetes manifests,
 * compose files, CI workflows, any other YAML.
 * @param text the whole file
 * @param catalog the bundled or loaded catalog (DLC registries and tags, DLAMI families)
 * @param options the policy file's image mappings
 * @returns image, DLAMI and accelerator references with ranges of their text as written, YAML
 *   comments, one statement per line span holding a reference, notes for what could not be
 *   resolved or read. A file that mentions none of the relevant words is not parsed (empty result).
 *   Never throws.
 */
export function scanInfrastructureYaml(text: string, catalog: Catalog, options: InfrastructureScanOptions = {}): ScanResult {
  return scanWith(text, catalog, options, 'YAML', (c) => {
    const comments = yamlComments(text, c.pos);
    if (yamlNestingBound(text) > MAX_YAML_NESTING) {
      c.note(0, 0, tooDeepMessage('YAML file'));
      return comments;
    }
    const docs = parseAllDocuments(text, { customTags: withCloudFormationTags, strict: false, uniqueKeys: false, prettyErrors: false });
    for (const doc of Array.from(docs)) {
      try {
        readYamlDocument(doc, text, c);
      } catch (e) {
        const [s, end] = doc.range ?? [0, 0];
        c.note(s, end, `YAML document not read: ${messageOf(e)}`);
      }
    }
    return comments;
  });
}

/**
 * Scans a JSON file: CloudFormation/SAM templates (long-form intrinsics `{"Fn::Sub": …}`,
 * `{"Ref": …}`), ECS task definitions, dev container files, Kubernetes manifests as JSON, any
 * other JSON (comments and trailing commas are accepted; JSON has no comment the result reports).
 * @returns as {@link scanInfrastructureYaml}, without comments. Never throws.
 */
export function scanInfrastructureJson(text: string, catalog: Catalog, options: InfrastructureScanOptions = {}): ScanResult {
  return scanWith(text, catalog, options, 'JSON', (c) => {
    const errors: ParseError[] = [];
    const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    const root = tree ? fromJson(tree, text, 0) : undefined;
    if (root) readDocument(root, c, false);
    else if (errors.length) c.note(0, 0, 'JSON file not read: it is not valid JSON');
    return [];
  });
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The cheap decision, the size limit and the failure note around one file's reading: `read` fills
 * the collector and returns the file's comments; an exception becomes a note and what was
 * collected before it is kept.
 */
function scanWith(text: string, catalog: Catalog, options: InfrastructureScanOptions, format: string, read: (c: Collector) => Comment[]): ScanResult {
  if (typeof text !== 'string' || !RELEVANT.test(text)) return emptyScan();
  const c = new Collector(text, catalog, { mappings: options.mappings });
  if (text.length > MAX_TEXT) {
    c.note(0, 0, `file not read: larger than ${MAX_TEXT} characters`);
    return c.result([]);
  }
  let comments: Comment[] = [];
  try {
    comments = read(c);
  } catch (e) {
    c.note(0, 0, `${format} file not read: ${messageOf(e)}`);
  }
  return c.result(comments);
}

/** A YAML document: its nodes as {@link SourceNode}s, then read; one note when a document with a syntax error may have lost references. */
function readYamlDocument(doc: Document, text: string, c: Collector): void {
  const ctx: YamlContext = { text, doc, cache: new Map(), aliases: false };
  const root = fromYaml(doc.contents, ctx, 0);
  const error = doc.errors[0];
  if (error && root && !isCondaEnvironment(root) && !isGoTemplate(text, doc.range)) {
    const [s, e] = error.pos;
    c.note(s, Math.max(s, e), `YAML syntax error: ${error.message.split('\n')[0]}; this document was read as far as the parser recovered`);
  }
  if (root) readDocument(root, c, ctx.aliases);
}

/** A document of a Helm chart or other Go template (`{{- if … }}`): not YAML until rendered, its syntax errors are not reported. */
function isGoTemplate(text: string, range: readonly number[] | undefined): boolean {
  const part = range ? text.slice(range[0], range[2] ?? range[1]) : text;
  return /\{\{-?\s*(?:if|else|end|range|with|include|define|template|toYaml|\.|\$|-|\/\*)/.test(part);
}

/** A conda environment document: top-level `dependencies:` or `channels:` (read by the conda scanner, not here). */
function isCondaEnvironment(root: SourceNode): boolean {
  return root.kind === 'map' && !isCloudFormation(root) && root.entries.some((e) => e.key === 'dependencies' || e.key === 'channels');
}

/**
 * Reads one document: a template with `cloudFormation.ts`, any other (but a conda environment) with
 * {@link walk}. `shared`: some nodes are reached more than once (YAML aliases).
 */
function readDocument(root: SourceNode, c: Collector, shared: boolean): void {
  if (isCloudFormation(root)) scanCloudFormation(root, c);
  else if (!isCondaEnvironment(root)) walk(root, 'find', c, 0, false, shared ? new Map() : undefined);
}

// ---------------------------------------------------------------------------
// Documents other than CloudFormation

/**
 * Walks a document: strings are scanned in `mode`; a mapping gives each value the mode of its key.
 * `imageMap`: the mapping is an image given as `{name: …}` (GitLab), whose `name` is the image.
 * `walked`: the (node, mode) pairs read so far, when nodes may be shared.
 */
function walk(node: SourceNode, mode: ScanMode, c: Collector, depth: number, imageMap: boolean, walked: Map<SourceNode, Set<string>> | undefined): void {
  if (depth > MAX_DEPTH) return;
  if (walked) {
    // a node reached through several aliases is read once per way of reading it
    const key = `${mode}${imageMap ? '+' : ''}`;
    let modes = walked.get(node);
    if (!modes) walked.set(node, (modes = new Set()));
    if (modes.has(key)) return;
    modes.add(key);
  }
  if (node.kind === 'string') {
    if (c.mayHold(node.value, mode)) c.scan(interpolated(node, c), c.range(node.start, node.end), mode);
    return;
  }
  if (node.kind === 'seq') {
    for (const item of node.items) walk(item, mode, c, depth + 1, imageMap || (mode === 'whole' && item.kind === 'map'), walked);
    return;
  }
  if (node.kind !== 'map') return;
  for (const { key: k, value } of node.entries) {
    if (!value) continue;
    if (imageMap && k === 'name') walk(value, 'whole', c, depth + 1, false, walked);
    else if (isImageKey(k) && value.kind === 'map') walk(value, 'find', c, depth + 1, true, walked);
    else if (k === 'container' && value.kind === 'string') walk(value, 'whole', c, depth + 1, false, walked);
    else if (k === 'services' && value.kind === 'seq') walk(value, 'whole', c, depth + 1, false, walked);
    else if (k === 'uses' && value.kind === 'string' && value.value.startsWith('docker://')) {
      const pieces = interpolated(value, c);
      c.scan(slicePieces(pieces, 'docker://'.length, value.value.length), c.range(value.start, value.end), 'whole');
    } else walk(value, modeForKey(k), c, depth + 1, false, walked);
  }
}

/**
 * The pieces of a string with its interpolations as placeholders: GitHub Actions `${{ … }}`,
 * shell and compose `${…}` and `$NAME`, Helm and Jinja `{{ … }}` (a CloudFormation
 * `{{resolve:…}}` dynamic reference stays literal). A `${{ … }}` is given to the recognisers as
 * `{{ … }}` and named as written in notes.
 */
function interpolated(node: SourceString, c: Collector): Piece[] {
  const v = node.value;
  const out: Piece[] = [];
  let from = 0;
  let i = 0;
  const placeholder = (s: number, e: number, text: string) => {
    if (s > from) out.push(...c.pieces(node, from, s));
    const range = c.spanRange(node, s, e);
    out.push({ kind: 'placeholder', text, range, written: v.slice(s, e) });
    from = e;
  };
  while (i < v.length) {
    const ch = v.charCodeAt(i);
    if (ch !== 36 /* $ */ && ch !== 123 /* { */) {
      i++;
      continue;
    }
    if (v.startsWith('{{resolve:', i)) {
      const close = v.indexOf('}}', i);
      i = close < 0 ? v.length : close + 2;
      continue;
    }
    if (v.startsWith('${{', i)) {
      const found = v.slice(i, i + 200).indexOf('}}', 3);
      const close = found < 0 ? -1 : i + found;
      if (close > 0 && !/[\r\n]/.test(v.slice(i, close))) {
        const inner = v.slice(i + 3, close).replace(/[{}"'`]/g, '_').slice(0, 80);
        placeholder(i, close + 2, `{{${inner}}}`);
        i = close + 2;
        continue;
      }
    }
    const e = ch === 36 || v.charCodeAt(i + 1) === 123 ? placeholderEnd(v, i) : -1;
    if (e > i) {
      placeholder(i, e, v.slice(i, e));
      i = e;
    } else i++;
  }
  if (from < v.length) out.push(...c.pieces(node, from));
  return out;
}

// ---------------------------------------------------------------------------
// YAML → SourceNode

interface YamlContext {
  text: string;
  doc: Document;
  /** Nodes read so far (an alias reads its anchored node once); null while a node is being read. */
  cache: Map<unknown, SourceNode | null>;
  /** The document has an alias (a node may be reached more than once). */
  aliases: boolean;
}

function fromYaml(n: unknown, ctx: YamlContext, depth: number): SourceNode | undefined {
  if (depth > MAX_DEPTH || n === null || n === undefined) return undefined;
  if (isAlias(n)) {
    ctx.aliases = true;
    let target: unknown;
    try {
      target = n.resolve(ctx.doc);
    } catch {
      return undefined;
    }
    return fromYaml(target, ctx, depth + 1);
  }
  const cached = ctx.cache.get(n);
  if (cached !== undefined) return cached ?? undefined;
  ctx.cache.set(n, null);
  const node = readYamlNode(n, ctx, depth);
  ctx.cache.set(n, node ?? null);
  return node;
}

function readYamlNode(n: unknown, ctx: YamlContext, depth: number): SourceNode | undefined {
  const tagOf = (x: { tag?: string }) => (typeof x.tag === 'string' && x.tag.startsWith('!') ? x.tag : undefined);
  if (isScalar(n)) {
    if (!n.range) return undefined;
    const [s, e] = n.range;
    const tag = tagOf(n);
    if (n.value === null || n.value === undefined) return { kind: 'other', start: s, end: e, tag };
    if (typeof n.value === 'string') {
      const [cs, ce] = n.type === 'QUOTE_SINGLE' || n.type === 'QUOTE_DOUBLE' ? [s + 1, Math.max(s + 1, e - 1)] : [s, e];
      const value = n.value;
      return new LazyString(value, cs, ce, tag, () => writtenYaml(ctx.text, value, n, ce));
    }
    // numbers and booleans: the text as written (`2.10`, `true`)
    const source = ctx.text.slice(s, e);
    const plain = n.type === 'PLAIN' && source.length > 0 && !/[\r\n]/.test(source);
    const value = plain ? source : String(n.value);
    return new LazyString(value, s, e, tag, () => (plain ? contiguous(s, value) : undefined));
  }
  if (isMap(n)) {
    const [s, , e] = n.range ?? [0, 0, 0];
    const entries: Array<{ key: string; value?: SourceNode }> = [];
    for (const pair of n.items) {
      const k = isAlias(pair.key) ? fromYaml(pair.key, ctx, depth + 1) : isScalar(pair.key) ? fromYaml(pair.key, ctx, depth + 1) : undefined;
      if (k?.kind !== 'string') continue;
      entries.push({ key: k.value, value: fromYaml(pair.value, ctx, depth + 1) });
    }
    return { kind: 'map', entries, start: s, end: e, tag: tagOf(n) };
  }
  if (isSeq(n)) {
    const [s, , e] = n.range ?? [0, 0, 0];
    const items: SourceNode[] = [];
    for (const item of n.items) {
      const x = fromYaml(item, ctx, depth + 1);
      if (x) items.push(x);
    }
    return { kind: 'seq', items, start: s, end: e, tag: tagOf(n) };
  }
  return undefined;
}

/**
 * A string node whose `written` mapping is computed the first time it is read: most strings of a
 * large file are never scanned.
 */
class LazyString implements SourceString {
  readonly kind = 'string';
  private cached?: { value: WrittenText | undefined };
  constructor(
    readonly value: string,
    readonly start: number,
    readonly end: number,
    readonly tag: string | undefined,
    private readonly compute: () => WrittenText | undefined,
  ) {}
  get written(): WrittenText | undefined {
    return (this.cached ??= { value: this.compute() }).value;
  }
}

/** Offsets `[s, s + n)` written one for one. */
function contiguous(s: number, text: string): WrittenText {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    starts.push(s + i);
    ends.push(s + i + 1);
  }
  return { text, starts, ends };
}

/** Where each character of a YAML string scalar is written (plain, quoted or block), or undefined when that cannot be followed. */
function writtenYaml(text: string, value: string, node: Scalar, contentEnd: number): WrittenText | undefined {
  let offsets: readonly number[] | undefined;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') offsets = blockOffsets(text, node);
  else offsets = mapScalar(text, node)?.offsets;
  if (!offsets || offsets.length !== value.length) return undefined;
  // a character ends where the next one written after it starts (an escape, a folded break), or after itself
  const ends: number[] = new Array<number>(offsets.length);
  let next = contentEnd;
  for (let k = offsets.length - 1; k >= 0; k--) {
    const st = offsets[k];
    ends[k] = text[st] === value[k] ? st + 1 : Math.max(st + 1, next);
    if (k > 0 && offsets[k - 1] < st) next = st;
  }
  return { text: value, starts: offsets, ends };
}

/**
 * The offset of each character of a literal (`|`) or folded (`>`) block scalar's value: content
 * lines after the indentation character by character, line breaks (kept or folded to a space) at
 * the break (an explicit indentation indicator counts from the header line's indentation).
 * Undefined when the alignment does not reproduce the parser's value.
 */
function blockOffsets(text: string, node: Scalar): number[] | undefined {
  const value = node.value as string;
  const [s, e] = node.range ?? [0, 0];
  let i = s;
  while (i < e && text[i] !== '\n' && text[i] !== '\r') i++;
  // an explicit indentation indicator counts from the indentation of the line the header is on
  const explicit = /^[|>][-+]?([1-9])|^[|>]([1-9])/.exec(text.slice(s, i));
  const headerLine = Math.max(text.lastIndexOf('\n', s - 1), text.lastIndexOf('\r', s - 1)) + 1;
  // the indentation of the header line's node: spaces and block sequence indicators (`  - run: |2`)
  const lineIndent = /^[ ]*(?:-[ ]+)*/.exec(text.slice(headerLine, s))?.[0].length ?? 0;
  const breakEnd = (at: number) => (text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1);
  const lines: Array<{ start: number; end: number; brk: boolean }> = [];
  let ls = i < e ? breakEnd(i) : e;
  while (ls < e) {
    let le = ls;
    while (le < e && text[le] !== '\n' && text[le] !== '\r') le++;
    lines.push({ start: ls, end: le, brk: le < e });
    ls = le < e ? breakEnd(le) : e;
  }
  let indent = explicit ? lineIndent + Number(explicit[1] ?? explicit[2]) : -1;
  for (const l of explicit ? [] : lines) {
    let k = l.start;
    while (k < l.end && text[k] === ' ') k++;
    if (k < l.end) {
      indent = k - l.start;
      break;
    }
  }
  const offsets: number[] = [];
  let v = 0;
  for (const l of lines) {
    if (indent >= 0 && l.end - l.start > indent) {
      for (let k = l.start + indent; k < l.end; k++) {
        if (value[v] !== text[k]) return undefined;
        offsets.push(k);
        v++;
      }
    }
    if (l.brk && v < value.length && (value[v] === '\n' || value[v] === ' ')) {
      offsets.push(l.end);
      v++;
    }
  }
  return v === value.length ? offsets : undefined;
}

// ---------------------------------------------------------------------------
// JSON → SourceNode

function fromJson(n: JsonNode, text: string, depth: number): SourceNode | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const s = n.offset;
  const e = n.offset + n.length;
  switch (n.type) {
    case 'object': {
      const entries: Array<{ key: string; value?: SourceNode }> = [];
      for (const p of n.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k?.type !== 'string' || typeof k.value !== 'string') continue;
        entries.push({ key: k.value, value: v ? fromJson(v, text, depth + 1) : undefined });
      }
      return { kind: 'map', entries, start: s, end: e };
    }
    case 'array': {
      const items: SourceNode[] = [];
      for (const child of n.children ?? []) {
        const x = fromJson(child, text, depth + 1);
        if (x) items.push(x);
      }
      return { kind: 'seq', items, start: s, end: e };
    }
    case 'string': {
      if (typeof n.value !== 'string') return undefined;
      const value = n.value;
      const quoted = text[s] === '"' && n.length >= 2;
      return new LazyString(value, quoted ? s + 1 : s, quoted ? e - 1 : e, undefined, () => {
        const decoded = decodeCellSource(text, n);
        return decoded && decoded.text === value ? decoded : undefined;
      });
    }
    case 'number':
    case 'boolean': {
      const value = text.slice(s, e);
      return new LazyString(value, s, e, undefined, () => contiguous(s, value));
    }
    default:
      return { kind: 'other', start: s, end: e };
  }
}
