/**
 * Scanner for Terraform and Packer files in HCL syntax (`*.tf`, `*.tfvars`, `*.pkr.hcl`;
 * references.md "Terraform / HCL"), parsed with tree-sitter (the Terraform dialect of
 * `@tree-sitter-grammars/tree-sitter-hcl`). The syntax tree is turned into a small model of
 * entries and values (a block `resource "a" "b" { … }` reads as the nested object
 * `resource.a.b`, as Terraform's JSON syntax writes it), so that the same reader serves the JSON
 * syntax (`terraformJson.ts`). Every string is handed to the template recognisers
 * (`images/template.ts`) as pieces: literal text, values of variables and locals of the same file
 * (substituted, their ranges pointing into the value as written), and placeholders for what cannot
 * be resolved. It finds:
 *
 * - **SageMaker model images**: `resource "aws_sagemaker_model"` `primary_container { image = … }`
 *   and `container { image = … }`, recognised as a whole image (DLC, policy-mapped, base image). A
 *   value that cannot be resolved at all (`var.image` without a default) gets a note.
 * - **Image attributes** anywhere (an ECS task's `jsonencode([{ image = … }])`, a Kubernetes
 *   `container { image = … }`, `.tfvars` assignments): keys `image`, `image_uri`, `container_image`
 *   and `*_image`/`*_image_uri`, recognised as a whole image; base images only with a tag. A local
 *   or variable so named is read on its own only when no use site above substituted it.
 * - **`data "aws_sagemaker_prebuilt_ecr_image"`**: `repository_name` and `image_tag` judged together
 *   (`recognizeRepositoryAndTag`), each with its own range; the reference's range is the tag's.
 *   Each alternative of the tag (see "Values that choose") is reported once, paired with a
 *   repository alternative that makes it a DLC image: one chosen by the same condition as written
 *   (`var.pytorch_version != null ? "huggingface-pytorch-inference" : …` with
 *   `var.pytorch_version != null ? local.pytorch_image_tag[…] : …`), else the first whose
 *   repository publishes the tag (placeholders matching any text), else the first. A tag that no
 *   repository alternative makes a DLC image (a non-DLC repository) is not reported.
 * - **The SageMaker Hugging Face module**: `module "<name>"` whose `source` contains
 *   `sagemaker-huggingface` (registry address or git URL), or any module given `transformers_version`
 *   with `pytorch_version` or `tensorflow_version` (a local copy), the Terraform form of the SDK's
 *   `HuggingFaceModel` → {@link SdkFrameworkReference} (`call` `module.<name>`, `callRange` and
 *   range the label as written, job `inference`, framework `huggingface`): `transformers_version`,
 *   `pytorch_version` / `tensorflow_version` (`baseFrameworkVersion`) and `instance_type`, each at
 *   its literal (in a variable default or local when it came from one, named in `resolvedFrom` as
 *   written where it is defined: the variable's label, the local's name). A version argument that
 *   cannot be read as one literal gets a note; a `null` one is absent. The module has no
 *   `py_version`, so no reference carries one.
 * - **`data "aws_ami"` / `"aws_ami_ids"`**: each value of `filter { name = "name" values = […] }`
 *   as a DLAMI name filter, and `name_regex` when it is a simple regular expression (literal text,
 *   escaped metacharacters, `.*` / `.+`, anchors; `\.` is read as `.`; anything else, such as
 *   `\d` or groups, is skipped without a reference). `owners` is context only.
 * - **SSM parameters**: `data "aws_ssm_parameter"` (and Packer `"amazon-parameterstore"`) `name`,
 *   read as a whole; `resolve:ssm:/aws/service/…` strings are found by the string sweep.
 * - **Packer**: `source "amazon-*"` `source_ami_filter { filters = { name = … } }` and
 *   `source_ami`, `data "amazon-ami"` `filters = { name = … }`: DLAMI names and filters.
 * - **Elastic Inference**: `aws_sagemaker_endpoint_configuration` `production_variants`
 *   (and `shadow_production_variants`) `accelerator_type`, and `aws_sagemaker_notebook_instance`
 *   `accelerator_types`, when the value starts with `ml.eia` → {@link AcceleratorReference}.
 * - **Every other string** (quoted strings, templates, heredocs, strings inside `jsonencode(…)` and
 *   function calls, block labels): DLC and mapped images, DLAMI names and SSM paths inside it.
 *   Text that tree-sitter could not place in any string of a broken file (inside `ERROR` nodes) is
 *   searched the same way.
 *
 * Variables and locals: `var.x` (a `variable "x"` with a string or number `default`) and `local.x`
 * (an attribute of a `locals` block, or a Packer `local "x" { expression = … }`), used as a whole
 * value or inside a template (`"${var.account}.dkr.ecr.${var.region}.amazonaws.com/…:${var.tag}"`),
 * are substituted; chains of locals are followed. A name defined twice, a variable without a
 * default, any other expression (`data.…`, function calls other than `lookup`) and template
 * directives (`%{ if … }`) are placeholders, kept as written, and named in notes where they keep an
 * image from being judged. A value substituted into a reported reference is not reported again by
 * the string sweep. Escapes (`\"`, `\\`, `\uNNNN`, `$${`) are decoded, each mapped to the characters written.
 *
 * Values that choose (HCL syntax), as a whole value, inside a template or as the value of a
 * local or variable: a conditional `c ? a : b` yields the alternatives of `a` and of `b` (a `null`
 * branch yields none; `a ? x : b ? y : z` is read as HCL means it, though the grammar nests it the
 * other way); a map element `local.m[key]`, `var.m["k"]`, `local.m.k` or `lookup(m, key, fallback)`
 * yields the elements of the keys the key can take, or, when the key cannot be read, every element
 * of the map (and the fallback). Alternatives that take different branches of one condition
 * (conditions compared as written) are dropped. An alternative that is the whole value read and is
 * written apart from the use site (a map element, a branch inside a local) is reported where it is
 * written; one inside a longer template maps to the use site, its parts to where they are written.
 * At most {@link MAX_ALTERNATIVES} alternatives are judged per value; a note says when there are
 * more. The image attributes, prebuilt images, DLAMI values and accelerators above are judged in
 * each alternative, and so is every swept string.
 *
 * Lookalikes that are not matched (tested): ECR images of private accounts that are not DLC
 * registries (unless a policy mapping names them), AMI ids (`ami-0abc…`), AMI name filters of other
 * images (`amzn2-ami-hvm-*`), `image` attributes of other resources holding something that is not a
 * container image (`ubuntu-20-04-x64`, `debian-cloud/debian-11`), modules of other sources with
 * the same argument names, conditional instance types that are no accelerators.
 *
 * Not read: choices in the JSON syntax (an interpolation `"${var.gpu ? … : …}"` stays a
 * placeholder), `for` expressions, `try`/`coalesce` and other functions, maps of maps (an element
 * that is itself an object), a module's arguments given by a conditional or a map element.
 *
 * Comments (`#`, `//`, `/* … *\/`) are returned with the text after their marker (between `/*` and
 * `*\/` for block comments); one statement (line span) per attribute or object element that holds
 * a reference or a note, and per attribute whose value fed one. Ranges are LSP ranges (0-based
 * lines, UTF-16 characters) inside the text. Never throws.
 */
import type { Catalog } from '../catalog/catalog';
import type { AcceleratorReference, Comment, LineSpan, Located, Position, Range, Reference, ScanResult, SdkFrameworkReference } from '../model';
import type { ImageMapping } from '../policy/images';
import { matchesSegments, TextIndex } from '../text';
import type { TemplatePiece, TemplateScan } from './images/template';
import { literalPiece, recognizeRepositoryAndTag, scanTemplate } from './images/template';
import type { SyntaxNode, SyntaxTree } from './treeSitter';
import { parseWith } from './treeSitter';

/** Options of {@link scanTerraform} and `scanTerraformJson`. */
export interface TerraformScanOptions {
  /** A policy file's `[[images]]` mappings (internal images built on DLCs), passed to the image recogniser. */
  mappings?: readonly ImageMapping[];
}

/** The note of a scan made before the Terraform/HCL parser was loaded (or after loading it failed). */
export const TERRAFORM_PARSER_NOT_LOADED = 'the Terraform/HCL parser is not loaded';

/** A `var.name` or `local.name` reference. */
export interface TfTraversal {
  root: 'var' | 'local';
  name: string;
}

/**
 * A run of a string's value written at file offsets `[s, e)`: `text` is how it reads. `direct`:
 * written one for one (`text === file.slice(s, e)`); otherwise an escape (`\"`, `\u0041`, `$${`)
 * decoded to `text`.
 */
export interface TfRun {
  kind: 'run';
  text: string;
  s: number;
  e: number;
  direct: boolean;
}

/** An interpolation `${…}` or a template directive `%{…}` written at `[s, e)`. */
export interface TfInterp {
  kind: 'interp';
  s: number;
  e: number;
  /** The interpolation as written (`${var.tag}`), or the expression of a bare reference (`var.tag`). */
  written: string;
  /** Set when the interpolation is exactly `var.name` or `local.name`. */
  ref?: TfTraversal;
  /** The interpolation's expression when it chooses between values (a conditional, an index, `lookup`; HCL syntax only). */
  value?: TfValue;
  directive: boolean;
}

/** A string literal, template or heredoc: its offsets with quotes (`s`, `e`), its content's (`cs`, `ce`) and its parts. */
export interface TfString {
  s: number;
  e: number;
  cs: number;
  ce: number;
  parts: Array<TfRun | TfInterp>;
}

/**
 * A value of the model, at file offsets `[s, e)`: a string, a bare `var.x`/`local.x` reference, a
 * number, a list, an object (also a block's body), or any other expression (`other`, with the
 * values found inside it, e.g. the arguments of a function call).
 */
export type TfValue =
  | { t: 'str'; s: number; e: number; str: TfString }
  | { t: 'ref'; s: number; e: number; ref: TfTraversal; written: string }
  | { t: 'num'; s: number; e: number }
  | { t: 'list'; s: number; e: number; items: TfValue[] }
  | { t: 'obj'; s: number; e: number; entries: TfEntry[] }
  | { t: 'other'; s: number; e: number; inner: TfValue[]; choice?: TfChoice };

/**
 * An expression that chooses its value among others (HCL syntax): a conditional `c ? a : b`
 * (`condition` is `c` as written, blanks collapsed), or an element of a map by key:
 * `local.m[key]`, `var.m["k"]`, `local.m.k` (`keyText`), `lookup(m, key, fallback)`.
 */
export type TfChoice =
  | { kind: 'conditional'; condition: string; then: TfValue; else: TfValue }
  | { kind: 'index'; collection: TfValue; key?: TfValue; keyText?: string; fallback?: TfValue };

/**
 * An attribute, object element or block (a block with labels reads as nested entries, one per
 * label) at `[s, e)`; `stmt` is the span whose lines make its statement (an attribute's whole text,
 * a block's header).
 */
export interface TfEntry {
  key: string;
  /** Where the key is written: an attribute's name, a block's type or label (a quoted label's content), an object key (a quoted key's content). */
  keyRange?: { s: number; e: number };
  value: TfValue;
  s: number;
  e: number;
  stmt: { s: number; e: number };
}

/** A file read into the model: what {@link readTerraformModel} judges. */
export interface TfModel {
  /** The top-level entries. */
  entries: TfEntry[];
  /** Every string of the file, in file order (for the sweep), including those inside expressions. */
  strings: TfString[];
  /** Every entry at any depth (for statements). */
  allEntries: TfEntry[];
  comments: Comment[];
  /** Text outside any string that the parser could not place (inside syntax errors): searched for references. */
  rawSpans: Array<{ s: number; e: number }>;
}

/** Nesting deeper than this is not read into the model (strings inside are still swept). */
const MAX_MODEL_DEPTH = 48;
/** Substitution chains longer than this are not followed. */
const MAX_SUBSTITUTION_DEPTH = 8;
/** An assembled value longer than this (UTF-16 code units) is not built. */
const MAX_ASSEMBLED = 8192;
const MAX_NOTE_EXPRESSION = 40;
/** A value that chooses (conditionals, map lookups) is read as at most this many alternatives; a note says when there are more. */
export const MAX_ALTERNATIVES = 32;

/**
 * One value an expression may take: its pieces, the strings written for it (not swept again when
 * it is reported), and the branch taken at each conditional on the way (by condition as written).
 */
interface Alternative {
  pieces: TemplatePiece[];
  used: TfString[];
  conds: ReadonlyMap<string, boolean>;
}

/**
 * Where the pieces being built are written: at the use site (`sub` absent), or in a value
 * substituted for an expression written at the use site (`sub.outer`), named `sub.from.name`.
 * `whole`: the value being read is the whole value of the use site (not one interpolation of a
 * longer template), so that a value chosen among others can stand where it is written.
 */
interface PieceContext {
  sub?: { outer: Range; from: { name: string; range: Range } };
  depth: number;
  visiting: ReadonlySet<string>;
  whole: boolean;
}

/** An alternative of one piece. */
function single(piece: TemplatePiece): Alternative {
  return { pieces: [piece], used: [], conds: new Map() };
}

/** The branches of two alternatives together, or undefined when they take different branches of one condition. */
function merged(a: ReadonlyMap<string, boolean>, b: ReadonlyMap<string, boolean>): ReadonlyMap<string, boolean> | undefined {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [k, v] of b) {
    if (out.has(k) && out.get(k) !== v) return undefined;
    out.set(k, v);
  }
  return out;
}

/** HCL quoted-template escapes with one character after the backslash. */
const SIMPLE_ESCAPES = new Map([
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['"', '"'],
  ['\\', '\\'],
]);

/**
 * Decodes template text written at `[a, b)`: HCL escapes in quoted templates (`\n`, `\r`, `\t`,
 * `\"`, `\\`, `\uNNNN`, `\UNNNNNNNN`) and, in quoted templates and heredocs alike, `$${` and `%%{`
 * (a literal `${` / `%{`). Other text makes direct runs. A malformed escape is kept as written.
 */
function decodeTemplateText(text: string, a: number, b: number, quoted: boolean): TfRun[] {
  const runs: TfRun[] = [];
  let runStart = a;
  let i = a;
  while (i < b) {
    const c = text[i];
    let decoded: string | undefined;
    let width = 0;
    if ((c === '$' || c === '%') && i + 2 < b && text[i + 1] === c && text[i + 2] === '{') {
      decoded = c;
      width = 2;
    } else if (quoted && c === '\\' && i + 1 < b) {
      const n = text[i + 1];
      const simple = SIMPLE_ESCAPES.get(n);
      if (simple !== undefined) {
        decoded = simple;
        width = 2;
      } else if (n === 'u' || n === 'U') {
        const len = n === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + len);
        const cp = hex.length === len && i + 2 + len <= b && /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : NaN;
        if (cp <= 0x10ffff) {
          decoded = String.fromCodePoint(cp);
          width = 2 + len;
        }
      }
    }
    if (decoded === undefined) {
      i++;
      continue;
    }
    if (i > runStart) runs.push({ kind: 'run', text: text.slice(runStart, i), s: runStart, e: i, direct: true });
    runs.push({ kind: 'run', text: decoded, s: i, e: i + width, direct: false });
    i += width;
    runStart = i;
  }
  if (b > runStart) runs.push({ kind: 'run', text: text.slice(runStart, b), s: runStart, e: b, direct: true });
  return runs;
}

/** An expression naming a prebuilt image data source: judged where the data source is declared, no note at its use. */
const PREBUILT_TRAVERSAL = /\bdata\.aws_sagemaker_prebuilt_ecr_image\./;

/** The `source` of the SageMaker Hugging Face Terraform module (registry address or git URL). */
const HF_MODULE_SOURCE = /sagemaker-huggingface/i;

const isImageKey = (key: string) => /(^|_)image(_uri)?$/i.test(key);

/** Path patterns: each element a key, `*` (any key) or a set of keys. */
type PathPattern = ReadonlyArray<string | readonly string[]>;

function matches(path: readonly string[], pattern: PathPattern): boolean {
  if (path.length !== pattern.length) return false;
  return pattern.every((p, i) => p === '*' || (typeof p === 'string' ? p === path[i] : p.includes(path[i])));
}

const MODEL_IMAGE: PathPattern = ['resource', 'aws_sagemaker_model', '*', ['primary_container', 'container'], 'image'];
const PREBUILT_IMAGE: PathPattern = ['data', 'aws_sagemaker_prebuilt_ecr_image', '*'];
const AMI_DATA: PathPattern = ['data', ['aws_ami', 'aws_ami_ids'], '*'];
const SSM_NAME: PathPattern = ['data', ['aws_ssm_parameter', 'amazon-parameterstore'], '*', 'name'];
const PACKER_AMI_DATA: PathPattern = ['data', 'amazon-ami', '*'];
const ACCELERATOR: PathPattern = ['resource', 'aws_sagemaker_endpoint_configuration', '*', ['production_variants', 'shadow_production_variants'], 'accelerator_type'];
const NOTEBOOK_ACCELERATORS: PathPattern = ['resource', 'aws_sagemaker_notebook_instance', '*', 'accelerator_types'];

/** `locals.x`, `variable.x.default`, Packer `local.x.expression`: values that use sites substitute. */
function isDefinition(path: readonly string[]): boolean {
  return (path[0] === 'locals' && path.length === 2) || (path.length === 3 && ((path[0] === 'variable' && path[2] === 'default') || (path[0] === 'local' && path[2] === 'expression')));
}

/** The objects a value is or holds (a block, an object, or a list of them: repeated blocks in JSON syntax). */
function objectsOf(v: TfValue | undefined): Array<Extract<TfValue, { t: 'obj' }>> {
  if (!v) return [];
  if (v.t === 'obj') return [v];
  if (v.t === 'list') return v.items.filter((x): x is Extract<TfValue, { t: 'obj' }> => x.t === 'obj');
  return [];
}

/** The values of every entry named `key` of the objects `v` is or holds. */
function valuesOf(v: TfValue | undefined, key: string): TfValue[] {
  const out: TfValue[] = [];
  for (const o of objectsOf(v)) for (const e of o.entries) if (e.key === key) out.push(e.value);
  return out;
}

/** The text of a string without interpolations, or undefined. */
function plainText(v: TfValue | undefined): string | undefined {
  if (!v || v.t !== 'str' || v.str.parts.some((p) => p.kind === 'interp')) return undefined;
  return v.str.parts.map((p) => (p.kind === 'run' ? p.text : '')).join('');
}

/** A character of a decoded string with the file offsets it is written at. */
interface Char {
  c: string;
  s: number;
  e: number;
  direct: boolean;
}

/**
 * Judges a file read into the model: finds the references described in the module comment.
 * Used by {@link scanTerraform} and `scanTerraformJson`; never throws (a failure in one construct
 * becomes a note, the rest is still read).
 */
export function readTerraformModel(text: string, model: TfModel, catalog: Catalog, options: TerraformScanOptions, index: TextIndex = new TextIndex(text)): ScanResult {
  const reader = new ModelReader(text, model, catalog, options, index);
  return reader.read();
}

/** Reads one {@link TfModel}; one per scan. */
class ModelReader {
  private readonly index: TextIndex;
  private readonly result: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  private readonly vars = new Map<string, TfValue | null>();
  private readonly locals = new Map<string, TfValue | null>();
  /** Strings that are not swept: values of the constructs read here, and values substituted into references. */
  private readonly consumed = new Set<TfString>();
  private readonly statementSpans: Array<{ s: number; e: number }> = [];
  /** Image-named locals and variable defaults: read after every use site, unless a use site consumed them. */
  private readonly deferred: TfEntry[] = [];
  /** Where each variable and local is defined (the variable's label, the local's name), by `var.x` / `local.x`. */
  private readonly definedAt = new Map<string, { s: number; e: number }>();
  /** While set, the names of the variables and locals substituted (for an SDK reference's `resolvedFrom`). */
  private hops: string[] | undefined;
  /** The last value read had more alternatives than {@link MAX_ALTERNATIVES}. */
  private capped = false;
  private budget = 0;

  constructor(private readonly text: string, private readonly model: TfModel, private readonly catalog: Catalog, private readonly options: TerraformScanOptions, index: TextIndex) {
    this.index = index;
  }

  private pos(offset: number): Position {
    return this.index.positionAt(Math.min(Math.max(offset, 0), this.text.length));
  }

  private range(s: number, e: number): Range {
    return { start: this.pos(s), end: this.pos(Math.max(s, e)) };
  }

  private readonly textAt = (r: Range): string => this.text.slice(this.index.offsetAt(r.start), this.index.offsetAt(r.end));

  read(): ScanResult {
    this.result.comments = this.model.comments;
    try {
      this.collectDefinitions();
      this.walk(this.model.entries, [], 0);
      for (const e of this.deferred) if (!(e.value.t === 'str' && this.consumed.has(e.value.str))) this.image(e, 'key');
      this.sweep();
    } catch (e) {
      this.result.notes.push({ range: this.range(0, 0), message: `could not read the Terraform file: ${e instanceof Error ? e.message : String(e)}` });
    }
    this.finish();
    return this.result;
  }

  /** Variable defaults and locals; a name defined twice is not resolved (null). */
  private collectDefinitions(): void {
    const define = (map: Map<string, TfValue | null>, entry: TfEntry, value: TfValue | undefined) => {
      map.set(entry.key, map.has(entry.key) || !value ? null : value);
      if (entry.keyRange) this.definedAt.set(`${map === this.vars ? 'var' : 'local'}.${entry.key}`, entry.keyRange);
    };
    for (const e of this.model.entries) {
      if (e.key === 'variable') {
        for (const o of objectsOf(e.value)) for (const v of o.entries) define(this.vars, v, valuesOf(v.value, 'default')[0]);
      } else if (e.key === 'locals') {
        for (const o of objectsOf(e.value)) for (const l of o.entries) define(this.locals, l, l.value);
      } else if (e.key === 'local') {
        // Packer: local "name" { expression = … }
        for (const o of objectsOf(e.value)) for (const l of o.entries) define(this.locals, l, valuesOf(l.value, 'expression')[0]);
      }
    }
  }

  private walk(entries: readonly TfEntry[], path: readonly string[], depth: number): void {
    if (depth > MAX_MODEL_DEPTH) return;
    for (const e of entries) {
      const p = [...path, e.key];
      try {
        this.entry(e, p);
      } catch (err) {
        this.result.notes.push({ range: this.range(e.s, e.e), message: `'${e.key}' skipped: ${err instanceof Error ? err.message : String(err)}` });
      }
      this.walkValue(e.value, p, depth + 1);
    }
  }

  private walkValue(v: TfValue, path: readonly string[], depth: number): void {
    if (depth > MAX_MODEL_DEPTH) return;
    if (v.t === 'obj') this.walk(v.entries, path, depth + 1);
    else if (v.t === 'list') for (const x of v.items) this.walkValue(x, path, depth + 1);
    else if (v.t === 'other') for (const x of v.inner) this.walkValue(x, path, depth + 1);
  }

  /** The constructs read by position (module comment); everything else is left to the sweep. */
  private entry(e: TfEntry, path: readonly string[]): void {
    const v = e.value;
    if (matches(path, MODEL_IMAGE)) this.image(e, 'model');
    else if (isDefinition(path)) {
      if (v.t === 'str' && isImageKey(path[1])) this.deferred.push(e);
    } else if (path.length === 2 && path[0] === 'module') this.huggingFaceModule(e);
    else if (isImageKey(e.key) && (v.t === 'str' || v.t === 'ref' || (v.t === 'other' && v.choice))) this.image(e, 'key');
    else if (matches(path, PREBUILT_IMAGE)) this.prebuilt(e);
    else if (matches(path, AMI_DATA)) this.amiData(e);
    else if (matches(path, SSM_NAME)) this.dlamiWhole(e, v);
    else if (path.length === 3 && path[0] === 'source' && path[1].startsWith('amazon-')) {
      for (const f of valuesOf(v, 'source_ami_filter')) for (const name of valuesOf(f, 'filters').flatMap((x) => valuesOf(x, 'name'))) this.dlamiWhole(e, name);
      for (const ami of valuesOf(v, 'source_ami')) this.dlamiWhole(e, ami);
    } else if (matches(path, PACKER_AMI_DATA)) {
      for (const name of valuesOf(v, 'filters').flatMap((x) => valuesOf(x, 'name'))) this.dlamiWhole(e, name);
    } else if (matches(path, ACCELERATOR)) this.accelerator(e, v);
    else if (matches(path, NOTEBOOK_ACCELERATORS) && v.t === 'list') for (const item of v.items) this.accelerator(e, item);
  }

  // ---- pieces -------------------------------------------------------------------------------

  /**
   * The alternatives of a whole value (a string, a bare reference, a number, or an expression that
   * chooses between such values), at most {@link MAX_ALTERNATIVES} (`this.capped` says when more
   * were left out); undefined when the value cannot be read at all. Never throws.
   */
  private valueAlts(v: TfValue): Alternative[] | undefined {
    this.budget = 0;
    this.capped = false;
    try {
      const alts = this.altsOf(v, { depth: 0, visiting: new Set(), whole: true });
      return alts?.length ? alts : undefined;
    } catch {
      // a value too large to assemble: nothing to judge
      return undefined;
    }
  }

  /** Alternatives of a value read in `ctx` (written at `at` when it is an expression of the use site); undefined for a value that is none of the readable kinds. */
  private altsOf(v: TfValue, ctx: PieceContext, at: Range = this.range(v.s, v.e)): Alternative[] | undefined {
    if (v.t === 'str') return this.stringAlts(v.str, ctx);
    if (v.t === 'ref') return this.refAlts(v.ref, v.written, this.range(v.s, v.e), ctx);
    if (v.t === 'num') {
      const text = this.text.slice(v.s, v.e);
      const at = (o: number) => this.pos(v.s + o);
      return [single(ctx.sub ? { kind: 'substituted', text, range: ctx.sub.outer, at, from: ctx.sub.from } : literalPiece(text, v.s, (o) => this.pos(o)))];
    }
    if (v.t === 'other' && v.choice) return this.choiceAlts(v.choice, ctx, at);
    return undefined;
  }

  /**
   * Alternatives of a string (one, unless an interpolation chooses). At the use site (`ctx.sub`
   * absent) runs are literal pieces; inside a value substituted for an expression (`ctx.sub`) they
   * are substituted pieces whose range is that expression and whose `at` points where they are written.
   */
  private stringAlts(str: TfString, ctx: PieceContext): Alternative[] {
    let alts: Alternative[] = [{ pieces: [], used: [str], conds: new Map() }];
    for (const part of str.parts) {
      if (++this.budget > 4000) throw new Error('the value is too large to assemble');
      if (part.kind === 'run') {
        const at = part.direct ? (o: number) => this.pos(part.s + o) : undefined;
        const piece: TemplatePiece = ctx.sub
          ? { kind: 'substituted', text: part.text, range: ctx.sub.outer, ...(at ? { at } : {}), from: ctx.sub.from }
          : part.direct
            ? literalPiece(part.text, part.s, (o) => this.pos(o))
            : { kind: 'literal', text: part.text, range: this.range(part.s, part.e) };
        for (const a of alts) a.pieces.push(piece);
      } else alts = this.product(alts, this.interpAlts(part, { ...ctx, whole: ctx.whole && str.parts.length === 1 }));
    }
    return alts;
  }

  /** Alternatives of an interpolation: the values it names or chooses between when the file sets them, else a placeholder. */
  private interpAlts(part: TfInterp, ctx: PieceContext): Alternative[] {
    const outer = ctx.sub?.outer ?? this.range(part.s, part.e);
    const placeholder = () => [single({ kind: 'placeholder', text: part.written, range: outer })];
    if (part.directive) return placeholder();
    if (part.ref) return this.resolve(part.ref, outer, ctx) ?? placeholder();
    return (part.value && this.altsOf(part.value, ctx, this.range(part.s, part.e))) || placeholder();
  }

  /** `var.x` / `local.x` written at `at`: its value's alternatives, or a placeholder. */
  private refAlts(ref: TfTraversal, written: string, at: Range, ctx: PieceContext): Alternative[] {
    const outer = ctx.sub?.outer ?? at;
    return this.resolve(ref, outer, ctx) ?? [single({ kind: 'placeholder', text: written, range: outer })];
  }

  /** The alternatives of `var.x` / `local.x` (substituted for `outer`), or undefined when the file does not set it to a readable value. */
  private resolve(ref: TfTraversal, outer: Range, ctx: PieceContext): Alternative[] | undefined {
    const name = `${ref.root}.${ref.name}`;
    const depth = ctx.depth + 1;
    if (depth > MAX_SUBSTITUTION_DEPTH || ctx.visiting.has(name)) return undefined;
    const value = (ref.root === 'var' ? this.vars : this.locals).get(ref.name);
    if (!value) return undefined;
    const next: PieceContext = { sub: { outer, from: { name, range: this.anchorOf(value) } }, depth, visiting: new Set(ctx.visiting).add(name), whole: ctx.whole };
    let alts: Alternative[] | undefined;
    if (value.t === 'ref') alts = this.resolve(value.ref, outer, next);
    else {
      alts = this.altsOf(value, next);
      if (alts?.some((a) => a.pieces.reduce((n, p) => n + p.text.length, 0) > MAX_ASSEMBLED)) return undefined;
    }
    if (alts) this.hops?.push(name);
    return alts;
  }

  /**
   * Alternatives of a conditional (both branches; a `null` branch is none) or of a map element
   * (the elements of the keys the key can take, or every element when the key cannot be read,
   * and `lookup`'s fallback), the choice written at `at` when it is an expression of the use site.
   * A branch or element written apart from the use site (in a local, a variable default, a map)
   * that is the whole value read is substituted where it is written: its pieces map to it, not to
   * the use site. Each alternative remembers the branch taken at each condition, and alternatives
   * that would take both branches of one condition are dropped.
   */
  private choiceAlts(choice: TfChoice, ctx: PieceContext, at: Range): Alternative[] | undefined {
    const out: Alternative[] = [];
    const apart = (v: TfValue, name: string, depth = ctx.depth): PieceContext => ({
      depth,
      visiting: ctx.visiting,
      whole: ctx.whole,
      sub: { outer: ctx.whole ? this.anchorOf(v) : (ctx.sub?.outer ?? at), from: { name, range: this.anchorOf(v) } },
    });
    if (choice.kind === 'conditional') {
      for (const [branch, taken] of [[choice.then, true], [choice.else, false]] as const) {
        const written = this.text.slice(branch.s, branch.e);
        if (branch.t === 'other' && !branch.choice && written.trim() === 'null') continue;
        const bctx = ctx.sub ? apart(branch, ctx.sub.from.name) : ctx;
        const alts = this.altsOf(branch, bctx) ?? [single({ kind: 'placeholder', text: written, range: bctx.sub?.outer ?? this.range(branch.s, branch.e) })];
        this.append(out, this.product([{ pieces: [], used: [], conds: new Map([[choice.condition, taken]]) }], alts));
      }
      return out.length ? out : undefined;
    }
    const coll = this.collection(choice.collection, ctx);
    if (!coll) return undefined;
    const keys = this.keysOf(choice, ctx);
    const element = (entry: TfEntry) => {
      const name = `${coll.name}[${JSON.stringify(entry.key)}]`;
      return this.altsOf(entry.value, coll.apart || ctx.sub ? apart(entry.value, name, ctx.depth + 1) : ctx) ?? [];
    };
    const fallback = () => (choice.fallback && this.altsOf(choice.fallback, ctx)) || [];
    if (!keys) {
      for (const entry of coll.obj.entries) this.append(out, element(entry));
      this.append(out, fallback());
    } else {
      for (const k of keys) {
        const entries = coll.obj.entries.filter((x) => x.key === k.text);
        const alts = entries.length ? entries.flatMap(element) : fallback();
        this.append(out, this.product([{ pieces: [], used: [], conds: k.conds }], alts));
      }
    }
    return out.length ? out : undefined;
  }

  /** The map an index reads: an object written there, or the map a variable default or local holds. */
  private collection(v: TfValue, ctx: PieceContext): { obj: Extract<TfValue, { t: 'obj' }>; name: string; apart: boolean } | undefined {
    if (v.t === 'obj') return { obj: v, name: ctx.sub?.from.name ?? '', apart: false };
    let value: TfValue | null | undefined = v;
    let name = '';
    const visiting = new Set(ctx.visiting);
    for (let depth = ctx.depth; value?.t === 'ref'; depth++) {
      name = `${value.ref.root}.${value.ref.name}`;
      if (depth > MAX_SUBSTITUTION_DEPTH || visiting.has(name)) return undefined;
      visiting.add(name);
      this.hops?.push(name);
      value = (value.ref.root === 'var' ? this.vars : this.locals).get(value.ref.name);
    }
    return value?.t === 'obj' ? { obj: value, name, apart: true } : undefined;
  }

  /** The keys an index can take, each with the branches that lead to it; undefined when a key cannot be read. */
  private keysOf(choice: Extract<TfChoice, { kind: 'index' }>, ctx: PieceContext): Array<{ text: string; conds: ReadonlyMap<string, boolean> }> | undefined {
    if (choice.keyText !== undefined) return [{ text: choice.keyText, conds: new Map() }];
    const alts = choice.key ? this.altsOf(choice.key, { depth: ctx.depth, visiting: ctx.visiting, whole: false }) : undefined;
    if (!alts || alts.some((a) => a.pieces.some((p) => p.kind === 'placeholder'))) return undefined;
    return alts.map((a) => ({ text: a.pieces.map((p) => p.text).join(''), conds: a.conds }));
  }

  /** Every alternative of `a` followed by every one of `b` whose branches agree, at most {@link MAX_ALTERNATIVES}. */
  private product(a: Alternative[], b: Alternative[]): Alternative[] {
    if (b.length === 1) {
      // the common case: extend each alternative in place
      const [y] = b;
      return a.filter((x) => {
        const conds = merged(x.conds, y.conds);
        if (!conds) return false;
        x.pieces.push(...y.pieces);
        x.used.push(...y.used);
        x.conds = conds;
        return true;
      });
    }
    const out: Alternative[] = [];
    for (const x of a) {
      for (const y of b) {
        const conds = merged(x.conds, y.conds);
        if (!conds) continue;
        if (out.length >= MAX_ALTERNATIVES) {
          this.capped = true;
          return out;
        }
        out.push({ pieces: [...x.pieces, ...y.pieces], used: [...x.used, ...y.used], conds });
      }
    }
    return out;
  }

  /** Appends alternatives to `out`, at most {@link MAX_ALTERNATIVES} in all. */
  private append(out: Alternative[], more: readonly Alternative[]): void {
    for (const a of more) {
      if (out.length >= MAX_ALTERNATIVES) {
        this.capped = true;
        return;
      }
      out.push(a);
    }
  }

  /**
   * `scanTemplate` without what it reads inside a placeholder's text (a complex interpolation such
   * as `${lookup(var.m, "…")}` can hold anything, but is no part of the value): an image whose
   * repository, or a DLAMI whose whole text, lies in one placeholder, and the notes about them.
   */
  private scanPieces(pieces: TemplatePiece[], anchor: Range, mode: 'whole' | 'find'): TemplateScan {
    const scan = scanTemplate(pieces, anchor, this.textAt, this.catalog, mode, { mappings: this.options.mappings });
    const placeholders = pieces.filter((p) => p.kind === 'placeholder').map((p) => rangeKey(p.range));
    if (placeholders.length === 0) return scan;
    const inside = (r: Range) => placeholders.includes(rangeKey(r));
    const dropped = new Set<string>();
    const images = scan.images.filter((i) => !inside(i.image.repository.range) || (dropped.add(rangeKey(i.range)), false));
    const dlamis = scan.dlamis.filter((d) => !inside(d.range));
    return { images, dlamis, notes: scan.notes.filter((n) => !dropped.has(rangeKey(n.range))) };
  }

  private anchorOf(v: TfValue): Range {
    return v.t === 'str' ? this.range(v.str.cs, v.str.ce) : this.range(v.s, v.e);
  }

  private consume(v: TfValue, alts: readonly Alternative[] | undefined): void {
    if (v.t === 'str') this.consumed.add(v.str);
    for (const a of alts ?? []) for (const s of a.used) this.consumed.add(s);
  }

  /** The note of a value with more alternatives than are judged. */
  private capNote(e: TfEntry, v: TfValue): void {
    this.note(v, `${quoteExpression(this.text.slice(v.s, v.e))} has more than ${MAX_ALTERNATIVES} alternatives: only the first ${MAX_ALTERNATIVES} are judged`, e);
  }

  // ---- constructs ---------------------------------------------------------------------------

  /**
   * An image attribute: a SageMaker model's (`model`: every image family, and a note when nothing
   * can be read) or any image key. A value that chooses (`var.gpu ? "…" : "…"`, `local.images[var.kind]`)
   * is judged in each of its alternatives.
   */
  private image(e: TfEntry, mode: 'model' | 'key'): void {
    const v = e.value;
    const alts = v.t === 'str' || v.t === 'ref' || (v.t === 'other' && v.choice) ? this.valueAlts(v) : undefined;
    const capped = this.capped;
    this.consume(v, alts);
    if (!alts) {
      const written = this.text.slice(v.s, v.e);
      if (mode === 'model' && v.t === 'other' && written.trim() !== 'null' && !PREBUILT_TRAVERSAL.test(written)) this.note(v, `${quoteExpression(written)} could not be resolved in this file: the image cannot be judged`, e);
      return;
    }
    if (capped) this.capNote(e, v);
    const unresolved = new Set<string>();
    for (const alt of alts) {
      const scan = this.scanPieces(alt.pieces, this.anchorOf(v), 'whole');
      const images = scan.images.filter((i) => mode === 'model' || i.image.family !== 'base' || i.image.tag !== undefined);
      this.add(e, { images, dlamis: scan.dlamis, notes: scan.notes });
      if (mode === 'model' && images.length === 0 && scan.dlamis.length === 0 && scan.notes.length === 0) {
        for (const p of alt.pieces) if (p.kind === 'placeholder' && !PREBUILT_TRAVERSAL.test(p.text)) unresolved.add(`'${p.text}'`);
      }
    }
    if (unresolved.size) this.note(v, `${[...unresolved].join(', ')} could not be resolved in this file: the image cannot be judged`, e);
  }

  /**
   * `data "aws_sagemaker_prebuilt_ecr_image"`: `repository_name` and `image_tag` together. Each
   * alternative of the tag is reported once, with a repository alternative that makes it a DLC
   * image: one taken under the same conditions (`var.pt != null ? "huggingface-pytorch-…" : …`
   * pairs with `var.pt != null ? local.pytorch_tags[…] : …`), preferring a repository that
   * publishes the tag (placeholders matching anything), then the first. When nothing can be read
   * and either value cannot be resolved in the file, a note names what was not resolved.
   */
  private prebuilt(e: TfEntry): void {
    for (const o of objectsOf(e.value)) {
      const repo = o.entries.find((x) => x.key === 'repository_name');
      const tag = o.entries.find((x) => x.key === 'image_tag');
      if (!repo || !tag) continue;
      const repoAlts = this.valueAlts(repo.value);
      const repoCapped = this.capped;
      const tagAlts = this.valueAlts(tag.value);
      const tagCapped = this.capped;
      const unresolved: string[] = [];
      for (const [entry, alts] of [[repo, repoAlts], [tag, tagAlts]] as const) {
        if (!alts) unresolved.push(`${entry.key} = ${quoteExpression(this.text.slice(entry.value.s, entry.value.e))}`);
        else for (const a of alts) for (const p of a.pieces) if (p.kind === 'placeholder') unresolved.push(`'${p.text}'`);
      }
      const found: TemplateScan = { images: [], dlamis: [], notes: [] };
      try {
        for (const t of tagAlts && repoAlts ? tagAlts : []) {
          const candidates: TemplateScan[] = [];
          for (const r of repoAlts!) {
            if (!merged(r.conds, t.conds)) continue;
            // notes point at the tag as written (the placeholders of the registry and the colon map there too)
            const scan = recognizeRepositoryAndTag(r.pieces, t.pieces, this.anchorOf(tag.value), this.textAt, this.catalog);
            if (scan.images.length) candidates.push(scan);
          }
          const best = candidates.length > 1 ? this.bestPairing(candidates, t.pieces) : candidates[0];
          if (best) {
            found.images.push(...best.images);
            // a note is about the tag (the registry and the colon are not written): it lies where the image does
            found.notes.push(...best.notes.map((n) => (best.images.length === 1 ? { ...n, range: best.images[0].range } : n)));
          }
        }
      } catch {
        // a value that cannot be recognised: what was found stays
      }
      this.consume(repo.value, repoAlts);
      this.consume(tag.value, tagAlts);
      if (repoCapped) this.capNote(repo, repo.value);
      if (tagCapped) this.capNote(tag, tag.value);
      if (found.images.length) this.add(tag, found, repo);
      else if (unresolved.length) this.note(tag.value, `${[...new Set(unresolved)].join(', ')} could not be resolved in this file: the prebuilt image cannot be judged`, tag);
    }
  }

  /**
   * Of the repository alternatives that make a tag a DLC image, the first whose repository
   * publishes the tag (exactly, or with each placeholder of the tag matching any text), else the first.
   */
  private bestPairing(candidates: readonly TemplateScan[], tag: readonly TemplatePiece[]): TemplateScan {
    if (tag.filter((p) => p.kind === 'placeholder').length > 4) return candidates[0];
    // the literal texts between placeholders, matched in order (linear: no regular expression of `.*`s to backtrack)
    const segments = [''];
    for (const p of tag) {
      if (p.kind === 'placeholder') segments.push('');
      else segments[segments.length - 1] += p.text;
    }
    const publishes = (scan: TemplateScan) => {
      const image = scan.images[0].image;
      if (image.published) return true;
      return this.catalog.images?.repository(image.repository.text)?.tags.some((t) => matchesSegments(segments, t)) ?? false;
    };
    return candidates.find(publishes) ?? candidates[0];
  }

  /**
   * `module "<name>" { source = "…sagemaker-huggingface…" }` (or a module given the SDK's argument
   * names `transformers_version` and `pytorch_version`/`tensorflow_version`): the module that deploys a
   * Hugging Face model to a SageMaker endpoint, read as the SDK's `HuggingFaceModel` (an
   * {@link SdkFrameworkReference}, job `inference`): `transformers_version`, `pytorch_version` /
   * `tensorflow_version` and `instance_type`, each with the range of its literal (in a variable
   * default or local when it came from one, named in `resolvedFrom` where it is defined). A version
   * argument that cannot be read as one value gets a note. `call` is `module.<name>`, `callRange`
   * the block's label.
   */
  private huggingFaceModule(e: TfEntry): void {
    for (const o of objectsOf(e.value)) {
      const arg = (key: string) => o.entries.find((x) => x.key === key);
      const source = plainText(arg('source')?.value);
      // by its source, or (a local copy, `source = "../../"`) by the SDK's argument names
      const bySource = source !== undefined && HF_MODULE_SOURCE.test(source);
      const byArguments = arg('transformers_version') !== undefined && (arg('pytorch_version') !== undefined || arg('tensorflow_version') !== undefined);
      if (!(bySource || byArguments) || !e.keyRange) continue;
      const callRange = this.range(e.keyRange.s, e.keyRange.e);
      const label = this.textAt(callRange);
      const call = `module.${label}`;
      const hops: string[] = [];
      const read = (key: string, noted: boolean): Located | undefined => {
        const entry = arg(key);
        if (!entry) return undefined;
        const v = entry.value;
        const written = this.text.slice(v.s, v.e);
        if (v.t === 'other' && !v.choice && written.trim() === 'null') return undefined;
        this.hops = [];
        const alts = this.valueAlts(v);
        const used = this.hops;
        this.hops = undefined;
        this.consume(v, alts);
        const located = alts?.length === 1 ? this.locatedOf(alts[0]) : undefined;
        if (located) {
          hops.push(...used.reverse());
          this.statementOf(located.range);
          this.statementSpans.push(entry.stmt);
          return located;
        }
        if (!noted) return undefined;
        const placeholders = alts?.length === 1 ? [...new Set(alts[0].pieces.filter((p) => p.kind === 'placeholder').map((p) => `'${p.text}'`))] : [];
        const what = placeholders.length ? placeholders.join(', ') : quoteExpression(written);
        this.note(v, `${what} could not be resolved in this file: ${key} of ${call} is not judged`, entry);
        return undefined;
      };
      const sdk: SdkFrameworkReference['sdk'] = { call, callRange, job: 'inference', framework: 'huggingface' };
      const transformers = read('transformers_version', true);
      const pytorch = read('pytorch_version', true);
      const tensorflow = read('tensorflow_version', true);
      const instanceType = read('instance_type', false);
      if (transformers) sdk.transformersVersion = transformers;
      if (pytorch) sdk.baseFrameworkVersion = { ...pytorch, framework: 'pytorch' };
      else if (tensorflow) sdk.baseFrameworkVersion = { ...tensorflow, framework: 'tensorflow' };
      if (instanceType) sdk.instanceType = instanceType;
      const resolvedFrom: Array<{ name: string; range: Range }> = [];
      for (const name of hops) {
        const at = this.definedAt.get(name);
        const range = at && this.range(at.s, at.e);
        if (range && !resolvedFrom.some((f) => f.name === this.textAt(range))) resolvedFrom.push({ name: this.textAt(range), range });
      }
      if (resolvedFrom.length) sdk.resolvedFrom = resolvedFrom;
      const subject = sdk.baseFrameworkVersion ? `huggingface-${sdk.baseFrameworkVersion.framework}` : 'huggingface';
      this.result.references.push({ kind: 'sdk-framework', subject, version: sdk.baseFrameworkVersion?.text ?? '', text: label, range: callRange, sdk });
      this.statementSpans.push(e.stmt);
    }
  }

  /** `data "aws_ami"`: name filters, `name_regex`, and `owners` (context, not swept). */
  private amiData(e: TfEntry): void {
    for (const o of objectsOf(e.value)) {
      for (const x of o.entries) {
        if (x.key === 'filter') {
          for (const f of objectsOf(x.value)) {
            const nameEntry = f.entries.find((y) => y.key === 'name');
            if (plainText(nameEntry?.value) !== 'name') continue;
            for (const values of f.entries.filter((y) => y.key === 'values')) {
              const items = values.value.t === 'list' ? values.value.items : [values.value];
              for (const item of items) this.dlamiWhole(values, item);
            }
          }
        } else if (x.key === 'name_regex') this.nameRegex(x);
        else if (x.key === 'owners') this.consumeAll(x.value);
      }
    }
  }

  private consumeAll(v: TfValue): void {
    if (v.t === 'str') this.consumed.add(v.str);
    else if (v.t === 'list') for (const x of v.items) this.consumeAll(x);
  }

  /** A value that is one DLAMI name, filter or SSM path as a whole (images are not looked for), in each of its alternatives. */
  private dlamiWhole(e: TfEntry, v: TfValue): void {
    if (v.t !== 'str' && v.t !== 'ref' && !(v.t === 'other' && v.choice)) return;
    const alts = this.valueAlts(v);
    if (this.capped) this.capNote(e, v);
    this.consume(v, alts);
    for (const alt of alts ?? []) this.add(e, this.scanDlami(alt.pieces, this.anchorOf(v)));
  }

  /**
   * Recognises a DLAMI in whole mode. A filter that ends in ` *` right after a version
   * (`Deep Learning AMI GPU PyTorch 2.0.1 *`), which the name templates do not accept because the
   * `*` stands for the OS in parentheses and the build date, is tried again with that `*` read as
   * `(*) *`, both parts then pointing at the `*` written.
   */
  private scanDlami(pieces: TemplatePiece[], anchor: Range): TemplateScan {
    const first = this.scanPieces(pieces, anchor, 'whole');
    const result: TemplateScan = { images: [], dlamis: first.dlamis, notes: first.dlamis.length ? first.notes : [] };
    const assembled = pieces.map((p) => p.text).join('');
    if (result.dlamis.length || !/\d \*$/.test(assembled)) return result;
    const last = pieces[pieces.length - 1];
    const n = last.text.length;
    const head: TemplatePiece[] = n > 1 ? [{ ...last, text: last.text.slice(0, -1), ...(last.at ? { range: { start: last.at(0), end: last.at(n - 1) } } : {}) }] : [];
    const star: TemplatePiece = { kind: last.kind, text: '(*) *', range: last.at ? { start: last.at(n - 1), end: last.at(n) } : last.range, ...(last.from ? { from: last.from } : {}) };
    const second = this.scanPieces([...pieces.slice(0, -1), ...head, star], anchor, 'whole');
    return { images: [], dlamis: second.dlamis, notes: second.dlamis.length ? second.notes : [] };
  }

  /**
   * `name_regex`: a regular expression (Go RE2, matched anywhere in the name). Only a simple one is
   * read: literal text, escaped metacharacters (`\.` `\(` `\)` …), `.*` and `.+` (read as `*`), an
   * unescaped `.` (read as itself), a leading `^` and a trailing `$`. A regular expression without
   * `$` matches names that start with what it reads as; that text is recognised as it is (a name
   * with its OS but no build date reads as a name; nothing is added where nothing is written).
   * Anything else is skipped, with no reference.
   */
  private nameRegex(e: TfEntry): void {
    const v = e.value;
    if (v.t !== 'str') return;
    this.consumed.add(v.str);
    if (v.str.parts.some((p) => p.kind === 'interp')) return;
    const chars: Char[] = [];
    for (const r of v.str.parts as TfRun[]) {
      if (r.direct) for (let k = 0; k < r.text.length; k++) chars.push({ c: r.text[k], s: r.s + k, e: r.s + k + 1, direct: true });
      else chars.push({ c: r.text, s: r.s, e: r.e, direct: false });
    }
    const tokens = simpleRegex(chars);
    if (!tokens || tokens.length === 0) return;
    const pieces: TemplatePiece[] = [];
    let k = 0;
    while (k < tokens.length) {
      if (tokens[k].direct) {
        let j = k;
        while (j + 1 < tokens.length && tokens[j + 1].direct && tokens[j + 1].s === tokens[j].e) j++;
        pieces.push(literalPiece(tokens.slice(k, j + 1).map((t) => t.c).join(''), tokens[k].s, (o) => this.pos(o)));
        k = j + 1;
      } else {
        pieces.push({ kind: 'literal', text: tokens[k].c, range: this.range(tokens[k].s, tokens[k].e) });
        k++;
      }
    }
    this.add(e, this.scanDlami(pieces, this.range(v.str.cs, v.str.ce)));
  }

  /** An Elastic Inference accelerator type (`ml.eia…`) written as one string, here or in a variable/local (each alternative of a choice). */
  private accelerator(e: TfEntry, v: TfValue): void {
    const alts = this.valueAlts(v);
    if (v.t === 'str') this.consumed.add(v.str);
    for (const alt of alts ?? []) {
      const located = this.locatedOf(alt);
      if (!located || !/^ml\.eia/i.test(located.text)) continue;
      const ref: AcceleratorReference = { kind: 'accelerator', subject: located.text, version: '', text: located.text, range: located.range };
      this.result.references.push(ref);
      this.statementOf(located.range);
      this.statementSpans.push(e.stmt);
      for (const s of alt.used) this.consumed.add(s);
    }
  }

  /** The value of an alternative written as one piece, one for one (no escapes), without its surrounding blanks; undefined otherwise. */
  private locatedOf(alt: Alternative): Located | undefined {
    const [p, ...rest] = alt.pieces;
    if (!p || rest.length || p.kind === 'placeholder' || !p.at) return undefined;
    const lead = p.text.length - p.text.trimStart().length;
    const value = p.text.trim();
    if (value === '') return undefined;
    const range = { start: p.at(lead), end: p.at(lead + value.length) };
    return { text: this.textAt(range), range };
  }

  private note(v: TfValue, message: string, e: TfEntry): void {
    const range = this.anchorOf(v);
    this.result.notes.push({ range, message });
    this.statementSpans.push(e.stmt);
  }

  /** The innermost entry holding an offset (built on first use: the model is complete by then). */
  private innermost?: (offset: number) => TfEntry | undefined;

  /** Adds what a construct found; `e` (and `also`) are the use sites whose statements hold it. */
  private add(e: TfEntry | undefined, scan: TemplateScan, also?: TfEntry): void {
    const refs: Reference[] = [...scan.images, ...scan.dlamis];
    this.result.references.push(...refs);
    this.result.notes.push(...scan.notes);
    for (const r of [...refs.map((x) => x.range), ...scan.notes.map((n) => n.range)]) this.statementOf(r);
    if (e && (refs.length || scan.notes.length)) {
      this.statementSpans.push(e.stmt);
      if (also) this.statementSpans.push(also.stmt);
    }
  }

  /** Records the statement of the innermost entry holding a range's start (or the range's own lines). */
  private statementOf(r: Range): void {
    const o = this.index.offsetAt(r.start);
    const best = (this.innermost ??= innermostEntries(this.model.allEntries))(o);
    if (best) this.statementSpans.push(best.stmt);
    else this.result.statements.push({ startLine: r.start.line, endLine: r.end.line });
  }

  // ---- sweep --------------------------------------------------------------------------------

  /**
   * Every string not read above, in find mode: first those with interpolations that name a
   * variable or local (so that a value substituted into a reference is consumed before it would be
   * swept on its own), then the others; then the raw text of syntax errors.
   */
  private sweep(): void {
    const hasRef = (s: TfString) => s.parts.some((p) => p.kind === 'interp' && (p.ref !== undefined || p.value !== undefined));
    const order = [...this.model.strings.filter(hasRef), ...this.model.strings.filter((s) => !hasRef(s))];
    for (const str of order) {
      if (this.consumed.has(str)) continue;
      for (const alt of this.valueAlts({ t: 'str', s: str.s, e: str.e, str }) ?? []) {
        const out = this.scanPieces(alt.pieces, this.range(str.cs, str.ce), 'find');
        const images = out.images.filter((i) => i.image.family !== 'base');
        if (images.length || out.dlamis.length || out.notes.length) {
          for (const s of alt.used) this.consumed.add(s);
          this.add(undefined, { images, dlamis: out.dlamis, notes: out.notes });
        }
      }
    }
    for (const span of this.model.rawSpans) {
      const raw = this.text.slice(span.s, span.e);
      if (raw.trim() === '') continue;
      const out = this.scanPieces([literalPiece(raw, span.s, (o) => this.pos(o))], this.range(span.s, span.e), 'find');
      this.add(undefined, { images: out.images.filter((i) => i.image.family !== 'base'), dlamis: out.dlamis, notes: out.notes });
    }
  }

  /** Deduplicates references and notes (a value used twice is reported once), sorts, and sets statements. */
  private finish(): void {
    const seen = new Set<string>();
    const key = rangeKey;
    this.result.references = this.result.references.filter((r) => {
      const extra = r.kind === 'container-image' ? `${r.image.uri}|${r.image.tag ? key(r.image.tag.range) : ''}|${key(r.image.repository.range)}` : r.kind === 'dlami' ? r.dlami.family : '';
      const k = `${r.kind}|${key(r.range)}|${r.text}|${extra}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const seenNotes = new Set<string>();
    this.result.notes = this.result.notes.filter((n) => {
      const k = `${key(n.range)}|${n.message}`;
      if (seenNotes.has(k)) return false;
      seenNotes.add(k);
      return true;
    });
    const byPosition = (a: Range, b: Range) => a.start.line - b.start.line || a.start.character - b.start.character;
    this.result.references.sort((a, b) => byPosition(a.range, b.range));
    this.result.notes.sort((a, b) => byPosition(a.range, b.range));
    const spans: LineSpan[] = [...this.result.statements, ...this.statementSpans.map((s) => ({ startLine: this.pos(s.s).line, endLine: this.pos(Math.max(s.s, s.e)).line }))];
    const unique = new Map(spans.map((s) => [`${s.startLine}:${s.endLine}`, s]));
    this.result.statements = [...unique.values()].sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  }
}

/** A range as a key for sets and maps. */
function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** A regular expression token: the character it reads as and the offsets written. */
type RegexToken = Char;

/**
 * Reads a simple regular expression as an EC2 name filter (see `nameRegex`): tokens with the
 * offsets of what produced them, or undefined when the expression is not simple.
 */
function simpleRegex(chars: readonly Char[]): RegexToken[] | undefined {
  const out: RegexToken[] = [];
  let i = 0;
  let end = chars.length;
  if (chars[0]?.c === '^') i = 1;
  if (end > i && chars[end - 1].c === '$' && !(end - 2 >= i && chars[end - 2].c === '\\')) end--;
  while (i < end) {
    const ch = chars[i];
    if (ch.c === '\\') {
      const n = chars[i + 1];
      if (!n || i + 1 >= end || !/^[.()[\]{}+*?^$|\\/-]$/.test(n.c)) return undefined;
      out.push({ c: n.c, s: ch.s, e: n.e, direct: false });
      i += 2;
    } else if (ch.c === '.') {
      const n = chars[i + 1];
      if (n && i + 1 < end && (n.c === '*' || n.c === '+')) {
        out.push({ c: '*', s: ch.s, e: n.e, direct: false });
        i += 2;
      } else if (n && i + 1 < end && n.c === '?') return undefined;
      else {
        out.push(ch);
        i++;
      }
    } else if ('()[]{}+*?|^$'.includes(ch.c)) return undefined;
    else {
      out.push(ch);
      i++;
    }
  }
  return out;
}

/** An expression as written, shortened for a note and quoted (`'lookup(var.images, "gpu")'`). */
function quoteExpression(written: string): string {
  const flat = written.replace(/\s+/g, ' ');
  return `'${flat.length > MAX_NOTE_EXPRESSION ? `${flat.slice(0, MAX_NOTE_EXPRESSION)}…` : flat}'`;
}

// ---- HCL syntax tree → model ------------------------------------------------------------------

const STRING_NODES = new Set(['string_lit', 'quoted_template', 'heredoc_template']);

/** Reads the tree-sitter tree of an HCL file into a {@link TfModel}. */
class HclModelBuilder {
  private readonly strings = new Map<number, TfString>();
  private readonly allEntries: TfEntry[] = [];
  /** Conditionals made by re-reading a left-nested conditional (see `choiceOf`). */
  private readonly reassociated = new WeakSet<TfValue>();

  constructor(private readonly text: string, private readonly index: TextIndex) {}

  build(tree: SyntaxTree): TfModel {
    const root = tree.rootNode;
    const { comments, rawSpans } = this.walkAll(tree);
    let entries: TfEntry[] = [];
    try {
      entries = this.body(root, 0);
    } catch {
      // the model stays partial; strings are still swept
    }
    const strings = [...this.strings.values()].sort((a, b) => a.s - b.s);
    return { entries, strings, allEntries: this.allEntries, comments, rawSpans };
  }

  /**
   * Comments, every string node, and the text of syntax errors not covered by strings or comments,
   * collected by the parser in one call (no recursion here: deep nesting cannot overflow the stack,
   * and no node object is made for the nodes in between).
   */
  private walkAll(tree: SyntaxTree): { comments: Comment[]; rawSpans: Array<{ s: number; e: number }> } {
    const comments: Comment[] = [];
    const errors: Array<{ s: number; e: number }> = [];
    const covered: Array<{ s: number; e: number }> = [];
    const root = tree.rootNode;
    // two queries: the runtime returns nothing for a list that mixes ERROR with other types
    const errorNodes = root.descendantsOfType('ERROR');
    if (root.type === 'ERROR') errorNodes.unshift(root);
    const found = [...root.descendantsOfType(['comment', 'string_lit', 'quoted_template', 'heredoc_template']), ...errorNodes];
    for (const node of found) {
      if (!node) continue;
      const type = node.type;
      if (type === 'comment') {
        comments.push(this.comment(node.startIndex, node.endIndex));
        covered.push({ s: node.startIndex, e: node.endIndex });
      } else if (type === 'ERROR') {
        // outermost errors only (errors come in document order, parents before children)
        const last = errors[errors.length - 1];
        if (!last || node.startIndex >= last.e) errors.push({ s: node.startIndex, e: node.endIndex });
      } else {
        const str = this.stringOf(node);
        if (str) covered.push({ s: str.s, e: str.e });
      }
    }
    return { comments, rawSpans: subtract(errors, covered) };
  }

  private comment(start: number, nodeEnd: number): Comment {
    const t = this.text;
    let lineStart = start;
    while (lineStart > 0 && t[lineStart - 1] !== '\n' && t[lineStart - 1] !== '\r') lineStart--;
    const standalone = t.slice(lineStart, start).trim() === '';
    if (t.startsWith('/*', start)) {
      const close = nodeEnd - start >= 4 && t.startsWith('*/', nodeEnd - 2) ? nodeEnd - 2 : nodeEnd;
      return { text: t.slice(start + 2, close), range: { start: this.pos(start), end: this.pos(nodeEnd) }, standalone };
    }
    const marker = t.startsWith('//', start) ? 2 : 1;
    let end = start;
    while (end < nodeEnd && t[end] !== '\r' && t[end] !== '\n') end++;
    return { text: t.slice(start + marker, end), range: { start: this.pos(start), end: this.pos(end) }, standalone };
  }

  private pos(o: number): Position {
    return this.index.positionAt(Math.min(Math.max(o, 0), this.text.length));
  }

  /**
   * The model string of a string node (memoised by offset), or undefined when it has no quote or
   * heredoc start. `depth` counts the expressions and strings it is nested in (interpolations hold
   * expressions, which hold strings).
   */
  private stringOf(node: SyntaxNode, depth = 0): TfString | undefined {
    const known = this.strings.get(node.startIndex);
    if (known) return known;
    const kids = node.children;
    const interps = kids.filter((k): k is SyntaxNode => k !== null && (k.type === 'template_interpolation' || k.type === 'template_directive'));
    let cs: number;
    let ce: number;
    let quoted = true;
    if (node.type === 'heredoc_template') {
      quoted = false;
      const ids = kids.filter((k): k is SyntaxNode => k !== null && k.type === 'heredoc_identifier');
      const open = ids[0];
      if (!open) return undefined;
      cs = lineAfter(this.text, open.endIndex, node.endIndex);
      const close = ids.length > 1 ? ids[ids.length - 1] : undefined;
      ce = close && close.endIndex > close.startIndex ? lineStartOf(this.text, close.startIndex, cs) : node.endIndex;
    } else {
      const open = kids[0];
      if (!open || open.type !== 'quoted_template_start') return undefined;
      const close = kids[kids.length - 1];
      cs = open.endIndex;
      ce = close && close !== open && close.type === 'quoted_template_end' && close.endIndex > close.startIndex ? close.startIndex : node.endIndex;
    }
    if (ce < cs) ce = cs;
    const parts: Array<TfRun | TfInterp> = [];
    let at = cs;
    for (const k of interps) {
      if (k.startIndex < at || k.endIndex > ce) continue;
      parts.push(...decodeTemplateText(this.text, at, k.startIndex, quoted));
      parts.push(this.interp(k, depth + 1));
      at = k.endIndex;
    }
    parts.push(...decodeTemplateText(this.text, at, ce, quoted));
    const str: TfString = { s: node.startIndex, e: node.endIndex, cs, ce, parts };
    this.strings.set(node.startIndex, str);
    return str;
  }

  private interp(k: SyntaxNode, depth: number): TfInterp {
    const written = this.text.slice(k.startIndex, k.endIndex);
    const directive = k.type === 'template_directive';
    const expr = directive ? undefined : named(k).find((c) => c.type === 'expression');
    const ref = expr ? traversalOf(named(expr), this.text) : undefined;
    const value = expr && !ref ? this.expression(expr, depth + 1) : undefined;
    const chooses = value?.t === 'other' && value.choice !== undefined;
    return { kind: 'interp', s: k.startIndex, e: k.endIndex, written, directive, ...(ref ? { ref } : {}), ...(chooses ? { value } : {}) };
  }

  /** The entries of a body (or of the file, or of the attributes and blocks recovered inside a syntax error). */
  private body(node: SyntaxNode, depth: number): TfEntry[] {
    const out: TfEntry[] = [];
    if (depth > MAX_MODEL_DEPTH) return out;
    for (const c of named(node)) {
      if (c.type === 'attribute') {
        const e = this.attribute(c, depth);
        if (e) out.push(e);
      } else if (c.type === 'block') {
        const e = this.block(c, depth);
        if (e) out.push(e);
      } else if (c.type === 'body' || c.type === 'ERROR') out.push(...this.body(c, depth + 1));
    }
    return out;
  }

  private attribute(node: SyntaxNode, depth: number): TfEntry | undefined {
    const kids = named(node);
    const name = kids.find((c) => c.type === 'identifier');
    const expr = kids.find((c) => c.type === 'expression');
    if (!name || !expr) return undefined;
    const e: TfEntry = { key: this.slice(name), keyRange: { s: name.startIndex, e: name.endIndex }, value: this.expression(expr, depth + 1), s: node.startIndex, e: node.endIndex, stmt: { s: node.startIndex, e: node.endIndex } };
    this.allEntries.push(e);
    return e;
  }

  private block(node: SyntaxNode, depth: number): TfEntry | undefined {
    const kids = named(node);
    const type = kids[0];
    if (!type || type.type !== 'identifier') return undefined;
    const labels: Array<{ key: string; keyRange: { s: number; e: number } }> = [];
    let bodyNode: SyntaxNode | undefined;
    let headerEnd = node.endIndex;
    for (const k of kids.slice(1)) {
      if (k.type === 'block_start') headerEnd = k.endIndex;
      else if (k.type === 'body') bodyNode = k;
      else if (headerEnd === node.endIndex && k.type === 'identifier') labels.push({ key: this.slice(k), keyRange: { s: k.startIndex, e: k.endIndex } });
      else if (headerEnd === node.endIndex && k.type === 'string_lit') {
        const s = this.stringOf(k, depth);
        const key = s ? s.parts.map((p) => (p.kind === 'run' ? p.text : p.written)).join('') : this.slice(k);
        labels.push({ key, keyRange: s ? { s: s.cs, e: s.ce } : { s: k.startIndex, e: k.endIndex } });
      }
    }
    const stmt = { s: node.startIndex, e: headerEnd };
    let value: TfValue = { t: 'obj', s: node.startIndex, e: node.endIndex, entries: bodyNode ? this.body(bodyNode, depth + 1) : [] };
    for (const label of labels.reverse()) value = { t: 'obj', s: node.startIndex, e: node.endIndex, entries: [{ ...label, value, s: node.startIndex, e: node.endIndex, stmt }] };
    const e: TfEntry = { key: this.slice(type), keyRange: { s: type.startIndex, e: type.endIndex }, value, s: node.startIndex, e: node.endIndex, stmt };
    this.allEntries.push(e);
    return e;
  }

  private slice(n: SyntaxNode): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }

  /** An `expression` node (or any node standing for a value) → model value. */
  private expression(node: SyntaxNode, depth: number): TfValue {
    const s = node.startIndex;
    const e = node.endIndex;
    if (depth > MAX_MODEL_DEPTH) return { t: 'other', s, e, inner: [] };
    const kids = named(node);
    const ref = node.type === 'expression' ? traversalOf(kids, this.text) : undefined;
    if (ref) return { t: 'ref', s, e, ref, written: this.slice(node) };
    if (kids.length === 1) {
      const k = kids[0];
      // a parenthesised expression reads as what it holds
      if (k.type === 'expression') return this.expression(k, depth + 1);
      if (k.type === 'literal_value' || k.type === 'template_expr') {
        const inner = named(k)[0];
        if (inner && STRING_NODES.has(inner.type)) {
          const str = this.stringOf(inner, depth);
          if (str) return { t: 'str', s, e, str };
        }
        if (inner?.type === 'numeric_lit') return { t: 'num', s: inner.startIndex, e: inner.endIndex };
        return { t: 'other', s, e, inner: [] };
      }
      if (k.type === 'collection_value') {
        const c = named(k).find((x) => x.type === 'tuple' || x.type === 'object');
        if (c?.type === 'tuple') {
          return { t: 'list', s, e, items: named(c).filter((x) => x.type === 'expression').map((x) => this.expression(x, depth + 1)) };
        }
        if (c?.type === 'object') {
          const entries: TfEntry[] = [];
          for (const el of named(c)) if (el.type === 'object_elem') {
            const entry = this.objectElement(el, depth + 1);
            if (entry) entries.push(entry);
          }
          return { t: 'obj', s, e, entries };
        }
      }
    }
    const inner = this.inner(node, depth + 1);
    const choice = this.choiceOf(kids, inner);
    return { t: 'other', s, e, inner, ...(choice ? { choice } : {}) };
  }

  /**
   * The choice an expression makes (its named children `kids`, the values read inside it `inner`):
   * a conditional, `lookup(map, key[, fallback])`, `var.m[key]` / `local.m[key]`, `local.m.k`.
   */
  private choiceOf(kids: readonly SyntaxNode[], inner: readonly TfValue[]): TfChoice | undefined {
    const k = kids[0];
    if (kids.length === 1 && k.type === 'conditional' && inner.length === 3) {
      const condition = named(k).find((c) => c.type === 'expression');
      if (!condition) return undefined;
      const [test, then, otherwise] = inner;
      // the grammar reads `a ? b : c ? d : e` as `(a ? b : c) ? d : e`; HCL means `a ? b : (c ? d : e)`
      const nested = named(condition);
      if (nested.length === 1 && nested[0].type === 'conditional' && test.t === 'other' && test.choice?.kind === 'conditional') return this.rightNested(test.choice, then, otherwise);
      return { kind: 'conditional', condition: conditionText(this.slice(condition)), then, else: otherwise };
    }
    if (kids.length === 1 && k.type === 'function_call' && (inner.length === 2 || inner.length === 3)) {
      const fn = named(k).find((c) => c.type === 'identifier');
      if (!fn || this.slice(fn) !== 'lookup') return undefined;
      return { kind: 'index', collection: inner[0], key: inner[1], ...(inner[2] ? { fallback: inner[2] } : {}) };
    }
    const ref = kids.length === 3 ? traversalOf(kids.slice(0, 2), this.text) : undefined;
    if (!ref) return undefined;
    const collection: TfValue = { t: 'ref', s: kids[0].startIndex, e: kids[1].endIndex, ref, written: this.text.slice(kids[0].startIndex, kids[1].endIndex) };
    const last = kids[2];
    if (last.type === 'index' && named(last)[0]?.type === 'new_index' && inner.length === 1) return { kind: 'index', collection, key: inner[0] };
    const attr = last.type === 'get_attr' ? named(last).find((c) => c.type === 'identifier') : undefined;
    return attr ? { kind: 'index', collection, keyText: this.slice(attr) } : undefined;
  }

  /** `left` with its last condition `c` replaced by `c ? then : otherwise` (see `choiceOf`). */
  private rightNested(left: Extract<TfChoice, { kind: 'conditional' }>, then: TfValue, otherwise: TfValue): TfChoice {
    const tail = left.else;
    const e = otherwise.e;
    const last: TfValue =
      tail.t === 'other' && tail.choice?.kind === 'conditional' && this.reassociated.has(tail)
        ? { ...tail, e, inner: [...tail.inner, then, otherwise], choice: this.rightNested(tail.choice, then, otherwise) }
        : { t: 'other', s: tail.s, e, inner: [tail, then, otherwise], choice: { kind: 'conditional', condition: conditionText(this.text.slice(tail.s, tail.e)), then, else: otherwise } };
    this.reassociated.add(last);
    return { ...left, else: last };
  }

  private objectElement(node: SyntaxNode, depth: number): TfEntry | undefined {
    const exprs = named(node).filter((c) => c.type === 'expression');
    if (exprs.length < 2) return undefined;
    const keyValue = this.expression(exprs[0], depth + 1);
    const bare = named(exprs[0]);
    const isName = bare.length === 1 && bare[0].type === 'variable_expr';
    const key = isName ? this.slice(bare[0]) : (plainText(keyValue) ?? '');
    const keyRange = isName ? { s: bare[0].startIndex, e: bare[0].endIndex } : keyValue.t === 'str' ? { s: keyValue.str.cs, e: keyValue.str.ce } : undefined;
    const e: TfEntry = { key, ...(keyRange ? { keyRange } : {}), value: this.expression(exprs[1], depth + 1), s: node.startIndex, e: node.endIndex, stmt: { s: node.startIndex, e: node.endIndex } };
    this.allEntries.push(e);
    return e;
  }

  /** The values inside another expression (function arguments, conditional branches, `for` bodies). */
  private inner(node: SyntaxNode, depth: number): TfValue[] {
    const out: TfValue[] = [];
    if (depth > MAX_MODEL_DEPTH) return out;
    for (const c of named(node)) {
      if (c.type === 'expression') out.push(this.expression(c, depth + 1));
      else if (!STRING_NODES.has(c.type)) out.push(...this.inner(c, depth + 1));
    }
    return out;
  }
}

/** A condition as written, blanks collapsed: conditionals with the same text choose together. */
function conditionText(written: string): string {
  return written.replace(/\s+/g, ' ').trim();
}

/** The named children of a node, comments left out (one call: each node object costs a crossing into the parser). */
function named(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

/** `var.name` / `local.name` when an expression node's children (`kids`) are exactly that traversal. */
function traversalOf(kids: readonly SyntaxNode[], text: string): TfTraversal | undefined {
  if (kids.length !== 2 || kids[0].type !== 'variable_expr' || kids[1].type !== 'get_attr') return undefined;
  const root = text.slice(kids[0].startIndex, kids[0].endIndex).trim();
  const attr = named(kids[1]).find((c) => c.type === 'identifier');
  if ((root !== 'var' && root !== 'local') || !attr) return undefined;
  return { root, name: text.slice(attr.startIndex, attr.endIndex) };
}

/** The offset after the line break that follows `from` (a heredoc's first content line), at most `limit`. */
function lineAfter(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r' && text[i + 1] === '\n') i++;
  return Math.min(i + 1, limit);
}

/** The start of the line holding `at`, not before `floor`. */
function lineStartOf(text: string, at: number, floor: number): number {
  let i = at;
  while (i > floor && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/**
 * For offsets, the innermost of `entries` holding them: the shortest entry with `s <= offset < e`,
 * the first in `entries` among equally short ones; undefined when none holds the offset. One sweep
 * over the entries' ends (O(n log n)), then a binary search per offset, instead of a pass over
 * every entry per offset.
 */
function innermostEntries(entries: readonly TfEntry[]): (offset: number) => TfEntry | undefined {
  const bounds = [...new Set(entries.flatMap((x) => [x.s, x.e]))].sort((a, b) => a - b);
  const byStart = entries.map((_, i) => i).sort((a, b) => entries[a].s - entries[b].s);
  // a binary heap of the entries holding the current segment, shortest (then first) on top; ended ones leave lazily
  const heap: number[] = [];
  const less = (a: number, b: number) => entries[a].e - entries[a].s - (entries[b].e - entries[b].s) || a - b;
  const push = (i: number) => {
    let k = heap.push(i) - 1;
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (less(heap[k], heap[up]) >= 0) break;
      [heap[k], heap[up]] = [heap[up], heap[k]];
      k = up;
    }
  };
  const pop = () => {
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let k = 0; ; ) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && less(heap[l], heap[m]) < 0) m = l;
      if (r < heap.length && less(heap[r], heap[m]) < 0) m = r;
      if (m === k) break;
      [heap[k], heap[m]] = [heap[m], heap[k]];
      k = m;
    }
  };
  // best[k]: the innermost entry holding every offset of [bounds[k], bounds[k + 1])
  const best: Array<TfEntry | undefined> = [];
  let next = 0;
  for (const b of bounds) {
    while (next < byStart.length && entries[byStart[next]].s <= b) push(byStart[next++]);
    while (heap.length && entries[heap[0]].e <= b) pop();
    best.push(heap.length ? entries[heap[0]] : undefined);
  }
  return (offset) => {
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bounds[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : best[lo - 1];
  };
}

/** The parts of `spans` not covered by `covered` (both lists of half-open offset spans). */
function subtract(spans: ReadonlyArray<{ s: number; e: number }>, covered: ReadonlyArray<{ s: number; e: number }>): Array<{ s: number; e: number }> {
  const cov = [...covered].sort((a, b) => a.s - b.s);
  const out: Array<{ s: number; e: number }> = [];
  for (const span of spans) {
    let at = span.s;
    for (const c of cov) {
      if (c.e <= at || c.s >= span.e) continue;
      if (c.s > at) out.push({ s: at, e: c.s });
      at = Math.max(at, c.e);
    }
    if (at < span.e) out.push({ s: at, e: span.e });
  }
  return out;
}

/**
 * Scans a Terraform or Packer file in HCL syntax (`*.tf`, `*.tfvars`, `*.pkr.hcl`) for container
 * images, DLAMI names and filters, SSM parameter paths, Elastic Inference accelerators and the
 * versions given to the SageMaker Hugging Face module (see the module comment; references.md
 * "Terraform / HCL").
 * Synchronous: the Terraform/HCL grammar must have been loaded with `initParsers()` before;
 * otherwise the result holds one note, {@link TERRAFORM_PARSER_NOT_LOADED}, and no references.
 * @param text the whole file (a BOM and any line endings are accepted)
 * @param catalog recognises DLC images and DLAMI families
 * @param options the policy file's image mappings
 * @returns references, comments (text after `#` / `//`, between `/*` and `*\/`), statements and
 *   notes with LSP ranges (0-based lines, UTF-16 characters); `includes` and `indexUrls` are
 *   always empty. Never throws.
 */
export function scanTerraform(text: string, catalog: Catalog, options: TerraformScanOptions = {}): ScanResult {
  const empty: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  const origin = { line: 0, character: 0 };
  if (typeof text !== 'string') return empty;
  // a BOM reads as a space: offsets stay those of the text
  const tree = parseWith('terraform', text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  if (!tree) return { ...empty, notes: [{ range: { start: origin, end: origin }, message: TERRAFORM_PARSER_NOT_LOADED }] };
  try {
    const index = new TextIndex(text);
    const model = new HclModelBuilder(text, index).build(tree);
    return readTerraformModel(text, model, catalog, options, index);
  } catch (e) {
    return { ...empty, notes: [{ range: { start: origin, end: origin }, message: `could not read the Terraform file: ${e instanceof Error ? e.message : String(e)}` }] };
  } finally {
    tree.delete();
  }
}
