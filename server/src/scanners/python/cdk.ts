/**
 * AWS CDK apps written in Python (references.md "AWS CDK"): the CDK calls that name an image, an AMI
 * or an accelerator, read by the Python scanner (`sagemakerSdk.ts`) as one more kind of call, with
 * its value reading (string literals and same-file constants). It finds, each where it is written:
 *
 * - `ContainerImage.from_dlc(repository_name, tag)` (`aws_cdk.aws_sagemaker_alpha`) and
 *   `DeepLearningContainerImage.from_deep_learning_container_image(repository_name, tag)`
 *   (generative-ai-cdk-constructs): a DLC image from a repository and a tag written apart (the
 *   reference's range is the tag's).
 * - `ContainerImage.from_registry("…")` (ECS), `CfnModel.ContainerDefinitionProperty(image=…)` and
 *   the `"image"` of dictionaries given to `CfnModel(primary_container={…}, containers=[{…}])`: the
 *   value as one image, base images included (`from_registry("python:3.8")`).
 * - `MachineImage.lookup(name=…)`, `LookupMachineImage(name=…)`, `MachineImage.from_ssm_parameter(…)`,
 *   `MachineImage.resolve_ssm_parameter_at_launch(…)`, `StringParameter.value_for_string_parameter(
 *   self, "/aws/service/…")` (and `value_for_typed_string_parameter[_v2]`, `value_from_lookup`,
 *   `from_string_parameter_name`): the name or path as one DLAMI reference.
 * - `"accelerator_type": "ml.eia…"` in the dictionaries of `CfnEndpointConfig(production_variants=[…])`
 *   and `AcceleratorType.of("ml.eia…")`: an accelerator reference. The keyword form
 *   (`CfnEndpointConfig.ProductionVariantProperty(accelerator_type=…)`) is left to the SDK scanner's
 *   Elastic Inference reading, which reports any call's `accelerator_type=` (not reported twice).
 *
 * Values: what the SDK scanner reads (a plain string literal, or a name assigned once in the same
 * function or module to one: a `substituted` piece pointing at that literal), plus f-strings whose
 * replacement fields are such names (`f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/…"`; other fields
 * are placeholders). A repository or tag that cannot be read is a placeholder: the tag then gets a
 * note, never a guess. A literal read here is marked in `consumed`, so the scanner's sweep over every
 * string does not report it again. Lookalikes: `lookup` on anything but `MachineImage`, `of` on
 * anything but `AcceleratorType`, and API-named calls whose value is not an image, AMI name or path.
 */
import type { Catalog } from '../../catalog/catalog';
import type { Located, Range, Reference, ScanNote } from '../../model';
import type { ImageMapping } from '../../policy/images';
import type { TextIndex } from '../../text';
import { repositoryAndTagScan, settleTemplateScan, shortened } from '../cdk';
import type { TemplatePiece, TemplateScan } from '../images/template';
import { scanTemplate } from '../images/template';
import type { PythonNode } from './treeSitter';

/** A value as the SDK scanner reads it: a located string with the constants it came through, or why it cannot be read. */
export type PythonValue = { located: Located; from: Array<{ name: string; range: Range }> } | { why?: string };

/** What the Python scanner lends the reading of one call. */
export interface CdkCallContext {
  text: string;
  index: TextIndex;
  catalog: Catalog;
  mappings?: readonly ImageMapping[];
  /** The SDK scanner's value reading, in the call's scope. */
  resolve(node: PythonNode): PythonValue;
  /** Where references and notes go. */
  references: Reference[];
  notes: ScanNote[];
  /** Content start offsets of string literals reported here; the string sweep skips them. */
  consumed: Set<number>;
}

type Form =
  | { form: 'repository-and-tag' }
  | { form: 'whole'; keyword: string; position?: number }
  | { form: 'model' }
  | { form: 'endpoint-config' }
  | { form: 'accelerator' };

/** Calls read here, by the last name of the callee. */
const CALLS: Readonly<Record<string, Form>> = {
  from_dlc: { form: 'repository-and-tag' },
  from_deep_learning_container_image: { form: 'repository-and-tag' },
  from_registry: { form: 'whole', keyword: 'name', position: 0 },
  ContainerDefinitionProperty: { form: 'whole', keyword: 'image' },
  lookup: { form: 'whole', keyword: 'name' },
  LookupMachineImage: { form: 'whole', keyword: 'name' },
  from_ssm_parameter: { form: 'whole', keyword: 'parameter_name', position: 0 },
  resolve_ssm_parameter_at_launch: { form: 'whole', keyword: 'parameter_name', position: 0 },
  value_for_string_parameter: { form: 'whole', keyword: 'parameter_name', position: 1 },
  value_for_typed_string_parameter: { form: 'whole', keyword: 'parameter_name', position: 1 },
  value_for_typed_string_parameter_v2: { form: 'whole', keyword: 'parameter_name', position: 1 },
  value_from_lookup: { form: 'whole', keyword: 'parameter_name', position: 1 },
  from_string_parameter_name: { form: 'whole', keyword: 'string_parameter_name', position: 2 },
  CfnModel: { form: 'model' },
  CfnEndpointConfig: { form: 'endpoint-config' },
  of: { form: 'accelerator' },
};
/** Calls whose callee's object must end in this name. */
const OBJECT_OF: Readonly<Record<string, string>> = { lookup: 'MachineImage', of: 'AcceleratorType' };

/** The last names of the callees read here: the Python scanner reads calls ending in one of them. */
export const CDK_CALL_NAMES: ReadonlySet<string> = new Set(Object.keys(CALLS));

/**
 * Reads one call if it is one of the CDK calls above, adding references, notes and consumed
 * literals to `ctx`. @returns true when the call was one of them (the SDK reading is then skipped),
 * false otherwise. Never throws unless `ctx.resolve` does.
 */
export function readCdkCall(call: PythonNode, ctx: CdkCallContext): boolean {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!fn || !args || args.type !== 'argument_list') return false;
  const chain = nameChain(fn);
  const name = chain[chain.length - 1];
  const spec = name && Object.hasOwn(CALLS, name) ? CALLS[name] : undefined;
  if (!spec) return false;
  const object = OBJECT_OF[name];
  if (object && chain[chain.length - 2] !== object) return false;
  const { keywords, positional } = argumentsOf(args);
  const reader = new CdkCall(ctx);
  switch (spec.form) {
    case 'repository-and-tag': {
      const repository = keywords.get('repository_name') ?? positional[0];
      const tag = keywords.get('tag') ?? positional[1];
      if (repository && tag) reader.repositoryAndTag(repository, tag, call);
      break;
    }
    case 'whole': {
      const value = keywords.get(spec.keyword) ?? (spec.position === undefined ? undefined : positional[spec.position]);
      if (value) reader.whole(value);
      break;
    }
    case 'model':
      for (const d of dictionaries(keywords.get('primary_container'), keywords.get('containers'))) {
        const image = entry(d, 'image', ctx);
        if (image) reader.whole(image);
      }
      break;
    case 'endpoint-config':
      for (const d of dictionaries(undefined, keywords.get('production_variants'))) {
        const type = entry(d, 'accelerator_type', ctx);
        if (type) reader.accelerator(type);
      }
      break;
    case 'accelerator':
      if (positional[0]) reader.accelerator(positional[0]);
      break;
  }
  return true;
}

/** Reads the values of one call. */
class CdkCall {
  /** Placeholders made up for unresolved values that are not f-string fields, with what is written. */
  private readonly synthesized = new Map<TemplatePiece, string>();

  constructor(private readonly ctx: CdkCallContext) {}

  private pos(offset: number) {
    return this.ctx.index.positionAt(Math.min(Math.max(offset, 0), this.ctx.text.length));
  }

  private nodeRange(n: PythonNode): Range {
    return { start: this.pos(n.startIndex), end: this.pos(n.endIndex) };
  }

  private readonly textAt = (r: Range): string => this.ctx.text.slice(this.ctx.index.offsetAt(r.start), this.ctx.index.offsetAt(r.end));

  /** A located value (written one for one at its range) as a piece: literal, or substituted from the constant that holds it. */
  private located(v: { located: Located; from: Array<{ name: string; range: Range }> }, used: Range): TemplatePiece {
    const start = this.ctx.index.offsetAt(v.located.range.start);
    const at = (o: number) => this.pos(start + o);
    const holder = v.from[v.from.length - 1];
    return holder
      ? { kind: 'substituted', text: v.located.text, range: used, at, from: { name: holder.name, range: v.located.range } }
      : { kind: 'literal', text: v.located.text, range: v.located.range, at };
  }

  /**
   * The pieces of a value and the content offsets of the literals read; undefined when it cannot be
   * read (an f-string with escapes or `{{`, an expression that is not a string or constant).
   */
  private pieces(node: PythonNode): { pieces: TemplatePiece[]; sources: number[] } | undefined {
    if (node.type === 'string' && node.namedChildren.some((c) => c?.type === 'interpolation')) return this.fString(node);
    const v = this.ctx.resolve(node);
    if (!('located' in v)) return undefined;
    return { pieces: [this.located(v, this.nodeRange(node))], sources: [this.ctx.index.offsetAt(v.located.range.start)] };
  }

  /** An f-string: its text as literal pieces, a field naming a constant as that constant's value, other fields as placeholders as written. */
  private fString(node: PythonNode): { pieces: TemplatePiece[]; sources: number[] } | undefined {
    const first = node.namedChildren[0];
    const raw = first?.type === 'string_start' && /r/i.test(first.text);
    const pieces: TemplatePiece[] = [];
    const sources: number[] = [];
    if (first?.type === 'string_start') sources.push(first.endIndex);
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'string_content') {
        const written = c.text;
        if ((!raw && written.includes('\\')) || written.includes('{{') || written.includes('}}')) return undefined;
        const start = c.startIndex;
        pieces.push({ kind: 'literal', text: written, range: this.nodeRange(c), at: (o) => this.pos(start + o) });
      } else if (c.type === 'interpolation') {
        const expr = c.childForFieldName('expression');
        const v = expr?.type === 'identifier' ? this.ctx.resolve(expr) : undefined;
        if (v && 'located' in v) {
          pieces.push(this.located(v, this.nodeRange(c)));
          sources.push(this.ctx.index.offsetAt(v.located.range.start));
        } else pieces.push({ kind: 'placeholder', text: c.text, range: this.nodeRange(c) });
      }
    }
    return { pieces, sources };
  }

  /** An unreadable value (not an f-string field) as a made-up `{…}` placeholder the recognisers accept (`{self.tag}`). */
  private placeholder(value: PythonNode): TemplatePiece {
    // a dotted name keeps its name (`{self.tag}`); any other expression is `{value}`, so that nothing inside it is read as literal text
    const chain = value.text.replace(/\s+/g, '');
    const name = chain.length <= 60 && /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(chain) ? chain : 'value';
    const piece: TemplatePiece = { kind: 'placeholder', text: `{${name}}`, range: this.nodeRange(value) };
    this.synthesized.set(piece, shortened(value.text));
    return piece;
  }

  private report(scan: TemplateScan, sources: readonly number[]): void {
    this.ctx.references.push(...scan.images, ...scan.dlamis);
    this.ctx.notes.push(...scan.notes);
    if (scan.images.length || scan.dlamis.length || scan.notes.length) for (const s of sources) this.ctx.consumed.add(s);
  }

  repositoryAndTag(repository: PythonNode, tag: PythonNode, call: PythonNode): void {
    const repo = this.pieces(repository) ?? { pieces: [this.placeholder(repository)], sources: [] };
    const t = this.pieces(tag) ?? { pieces: [this.placeholder(tag)], sources: [] };
    const at = { call: this.nodeRange(call), repository: this.nodeRange(repository) };
    this.report(repositoryAndTagScan(repo.pieces, t.pieces, at, this.synthesized, this.textAt, this.ctx.catalog), [...repo.sources, ...t.sources]);
  }

  whole(value: PythonNode): void {
    const read = this.pieces(value);
    if (!read) return;
    const scan = scanTemplate(read.pieces, this.nodeRange(value), this.textAt, this.ctx.catalog, 'whole', { mappings: this.ctx.mappings });
    this.report(settleTemplateScan(scan, read.pieces, this.synthesized, this.textAt), read.sources);
  }

  accelerator(value: PythonNode): void {
    const v = this.ctx.resolve(value);
    if (!('located' in v)) return;
    const type = v.located.text.trim();
    if (!type.toLowerCase().startsWith('ml.eia')) return;
    const start = this.ctx.index.offsetAt(v.located.range.start) + v.located.text.indexOf(type);
    const range = { start: this.pos(start), end: this.pos(start + type.length) };
    this.ctx.references.push({ kind: 'accelerator', subject: type, version: '', text: this.textAt(range), range });
    this.ctx.consumed.add(this.ctx.index.offsetAt(v.located.range.start));
  }
}

/** Keyword arguments by name and positional arguments in order (nothing after a `*args`/`**kwargs`). */
function argumentsOf(args: PythonNode): { keywords: Map<string, PythonNode>; positional: PythonNode[] } {
  const keywords = new Map<string, PythonNode>();
  const positional: PythonNode[] = [];
  let splat = false;
  for (const a of args.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = a.childForFieldName('value');
      if (name && value) keywords.set(name.text, value);
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
    else if (!splat) positional.push(a);
  }
  return { keywords, positional };
}

/** The names of a callee (`ec2.MachineImage.lookup` → `ec2`, `MachineImage`, `lookup`); '' for a part that is not a name. */
function nameChain(fn: PythonNode): string[] {
  const out: string[] = [];
  let n: PythonNode | null = fn;
  for (let depth = 0; n && depth < 16; depth++) {
    if (n.type === 'attribute') {
      out.unshift(n.childForFieldName('attribute')?.text ?? '');
      n = n.childForFieldName('object');
    } else {
      out.unshift(n.type === 'identifier' ? n.text : '');
      break;
    }
  }
  return out;
}

/** The dictionary literals of a single value and of a list value (`primary_container={…}`, `containers=[{…}, …]`). */
function dictionaries(single: PythonNode | undefined, list: PythonNode | undefined): PythonNode[] {
  const out: PythonNode[] = [];
  if (single?.type === 'dictionary') out.push(single);
  if (list && (list.type === 'list' || list.type === 'tuple')) for (const c of list.namedChildren) if (c?.type === 'dictionary') out.push(c);
  return out;
}

/** The value of a dictionary literal's entry whose key is the string `key`. */
function entry(dict: PythonNode, key: string, ctx: CdkCallContext): PythonNode | undefined {
  let found: PythonNode | undefined;
  for (const p of dict.namedChildren) {
    if (p?.type !== 'pair') continue;
    const k = p.childForFieldName('key');
    const v = k?.type === 'string' ? ctx.resolve(k) : undefined;
    if (v && 'located' in v && v.located.text === key) found = p.childForFieldName('value') ?? undefined;
  }
  return found;
}
