/**
 * Scanner for AWS CDK apps written in TypeScript or JavaScript (references.md "AWS CDK"): `*.ts`,
 * `*.mts`, `*.cts` are parsed with tree-sitter's TypeScript grammar, `*.tsx`, `*.js`, `*.jsx`,
 * `*.mjs`, `*.cjs` with its TSX grammar (which parses JavaScript too; see {@link cdkGrammarForPath}).
 * Nothing is read with regular expressions over the source. It finds, each where it is written:
 *
 * - `ContainerImage.fromDlc(repositoryName, tag[, accountId])` (`@aws-cdk/aws-sagemaker-alpha`) and
 *   `DeepLearningContainerImage.fromDeepLearningContainerImage(repositoryName, tag[, accountId])`
 *   (generative-ai-cdk-constructs, whose many `public static readonly` members, written
 *   `this.fromDeepLearningContainerImage(…)`, are each one reference): a DLC image from a repository and a tag written apart; the reference's range is the
 *   tag's (what a fix edits).
 * - `ContainerImage.fromRegistry("…")` (ECS, Batch): the argument as one image, base images
 *   included (`fromRegistry('python:3.8')`).
 * - `MachineImage.lookup({ name: "Deep Learning AMI …" })`, `new LookupMachineImage({ name })`,
 *   `MachineImage.fromSsmParameter("/aws/service/deeplearning/…")`,
 *   `MachineImage.resolveSsmParameterAtLaunch(…)`, `StringParameter.valueForStringParameter(this,
 *   "/aws/service/…")` (and `valueForTypedStringParameter[V2]`, `valueFromLookup`,
 *   `fromStringParameterName`): the name or parameter path as one DLAMI reference.
 * - `new CfnModel(scope, id, { primaryContainer: { image }, containers: [{ image }] })`: each image as
 *   one image, base images included.
 * - `acceleratorType: 'ml.eia…'` in any object (`CfnEndpointConfig` production variants, the alpha
 *   `EndpointConfig` variants) and `AcceleratorType.of('ml.eia…')`: an {@link AcceleratorReference}
 *   (Amazon Elastic Inference) with the type as written.
 * - Every other string literal, template literal and string concatenation: DLC (and policy-mapped)
 *   images, DLAMI names and SSM parameter paths inside it. Base images are not searched for there
 *   (`'python:3.10'` is too common in code).
 *
 * Values: a string or template literal; an identifier bound once by `const` to such a value (or to
 * another such constant) in the same file, seen from the scope it is used in (module, function,
 * block); a `+` concatenation of these. A constant's text is a `substituted` piece pointing at its
 * literal (`image.substitutedFrom` names it), so a fix edits the constant. Anything else in a
 * template (`${this.region}`, `${Aws.REGION}`, `${props.tag}`, an imported name, a `let`, a
 * parameter) is a `placeholder`: the recognisers accept it as an account or region, and a tag or
 * repository that holds one gets a note (`unresolved-reference`) instead of a guess. An unresolved
 * expression that is not written as an interpolation (a bare `props.tag` argument, an operand of
 * `+`) is a placeholder too, but as its text is not what the file holds, an image whose tag or
 * repository holds one is not reported (only its note), and an account or region that is one reads
 * as written (see {@link settleTemplateScan}). Escape sequences are decoded (the image in
 * `"…\n763104351884.dkr.ecr…"` is found); a reference part that holds one does not read as
 * written, so that reference is not reported but noted.
 *
 * Lookalikes that are not matched: `ContainerImage.fromAsset('./dir')`,
 * `MachineImage.latestAmazonLinux2()`, `ami-0abc…` ids, private ECR images of accounts that are not
 * DLC accounts (unless a policy mapping names them), `fromDlc` with a repository that is not a DLC
 * repository, `lookup` on anything but `MachineImage`, and any API-named call whose argument is not
 * an image, AMI name or SSM path. A value is reported once: a literal read by one of the calls
 * above is not searched again as a plain string.
 *
 * Comments: `// …` (text after `//`) and `/* … *\/` (text between the markers), for suppression
 * directives (`// dl-lifecycle: ignore end-of-patch`). Statements: the innermost statement (and
 * object property) holding each reference.
 *
 * Cost: files that mention none of {@link mayReferenceCdk}'s words are not parsed (most TS/JS files
 * of a workspace). Ranges are LSP ranges (0-based lines, UTF-16 characters); never throws.
 */
import type { Catalog } from '../catalog/catalog';
import type { AcceleratorReference, Comment, ImageReference, Located, Range, Reference, ScanNote, ScanResult } from '../model';
import type { ImageMapping } from '../policy/images';
import { rangesOverlap, TextIndex } from '../text';
import { placeholderEnd } from './images';
import type { TemplatePiece, TemplateScan } from './images/template';
import { isRepositoryPrefix, recognizeRepositoryAndTag, repositoryPrefixNote, scanTemplate, settleParts } from './images/template';
import type { SyntaxNode, SyntaxTree } from './treeSitter';
import { labelOf, parseWith, scanShortcuts } from './treeSitter';

/** The grammars a CDK file is parsed with: TypeScript, or TSX for JavaScript, JSX and TSX. */
export type CdkGrammar = 'typescript' | 'tsx';

/** Options of {@link scanCdk}. */
export interface CdkScanOptions {
  /** A policy file's `[[images]]` mappings (internal images built on DLCs), passed to the image recogniser. */
  mappings?: readonly ImageMapping[];
  /** The grammar to parse with (default `typescript`); see {@link cdkGrammarForPath}. */
  grammar?: CdkGrammar;
}

/**
 * The grammar for a path by its extension: `typescript` for `.ts`, `.mts`, `.cts` (declaration
 * files `.d.ts` included), `tsx` for `.tsx`, `.js`, `.jsx`, `.mjs`, `.cjs`; undefined otherwise.
 */
export function cdkGrammarForPath(path: string): CdkGrammar | undefined {
  const m = /\.([cm]?[jt]sx?)$/i.exec(path);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  return ext === 'ts' || ext === 'mts' || ext === 'cts' ? 'typescript' : ext === 'tsx' || ext === 'js' || ext === 'jsx' || ext === 'mjs' || ext === 'cjs' ? 'tsx' : undefined;
}

/** Words without which a TS/JS file holds nothing this scanner reports (literal alternatives: no backtracking). */
const RELEVANT = /\.dkr\.ecr|public\.ecr\.aws|deep ?learning|\/aws\/service\/|fromDlc|fromRegistry|MachineImage|CfnModel|ml\.eia|aws-cdk/i;
/** Words without which no plain string of a file can hold a DLC image, a DLAMI name or an SSM path. */
const STRING_WORDS = /\.dkr\.ecr|public\.ecr\.aws|deep ?learning|\/aws\/service\//i;

/**
 * True when `text` is worth parsing: it mentions an ECR registry, a Deep Learning AMI or SSM path,
 * one of the CDK APIs read here, Elastic Inference or `aws-cdk`, or (with `mappings`) the literal
 * start of a policy mapping's pattern (a pattern that starts with a placeholder or `*` always counts).
 */
export function mayReferenceCdk(text: string, mappings?: readonly ImageMapping[]): boolean {
  if (typeof text !== 'string') return false;
  if (RELEVANT.test(text)) return true;
  return (mappings ?? []).some((m) => {
    const lead = m.pattern.slice(0, m.pattern.search(/[{*]|$/));
    return lead === '' || text.includes(lead);
  });
}

/** A call's last name → the argument(s) read and how. */
type CallForm =
  | { form: 'repository-and-tag' }
  | { form: 'whole'; argument: number }
  | { form: 'name-property' }
  | { form: 'accelerator' };

/** Calls read by the last name of their callee (the object is not checked unless {@link OBJECT_OF} says so). */
const CALLS: Readonly<Record<string, CallForm>> = {
  fromDlc: { form: 'repository-and-tag' },
  fromDeepLearningContainerImage: { form: 'repository-and-tag' },
  fromRegistry: { form: 'whole', argument: 0 },
  fromSsmParameter: { form: 'whole', argument: 0 },
  resolveSsmParameterAtLaunch: { form: 'whole', argument: 0 },
  valueForStringParameter: { form: 'whole', argument: 1 },
  valueForTypedStringParameter: { form: 'whole', argument: 1 },
  valueForTypedStringParameterV2: { form: 'whole', argument: 1 },
  valueFromLookup: { form: 'whole', argument: 1 },
  fromStringParameterName: { form: 'whole', argument: 2 },
  lookup: { form: 'name-property' },
  of: { form: 'accelerator' },
};
/** Calls whose object must end in this name (`lookup` is too common a name alone). */
const OBJECT_OF: Readonly<Record<string, string>> = { lookup: 'MachineImage', of: 'AcceleratorType' };

/** Scope node types: where `const` bindings live. */
const SCOPES = new Set([
  'program', 'statement_block', 'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition',
  'generator_function_declaration', 'generator_function', 'class_static_block', 'for_statement', 'for_in_statement', 'catch_clause',
]);
/** Statements a suppression comment applies to (the innermost one holding a reference). */
const STATEMENTS = new Set([
  'expression_statement', 'lexical_declaration', 'variable_declaration', 'return_statement', 'throw_statement', 'export_statement',
  'public_field_definition', 'field_definition', 'import_statement',
]);
const MAX_DEPTH = 16;
const MAX_PLACEHOLDER_NAME = 80;

interface Binding {
  count: number;
  /** The value of a single `const` binding. */
  value?: SyntaxNode;
}

interface Scope {
  parent?: number;
  bindings: Map<string, Binding>;
}

/** What the walk keeps of a node's parent: it is a `+` expression, a `const` declaration. */
interface Parent {
  plus: boolean;
  isConst: boolean;
}

/** A node of interest with the scope it is read in. */
interface Site {
  node: SyntaxNode;
  scope: number;
}

/** A literal's key for "already reported" bookkeeping. */
const keyOf = (n: SyntaxNode) => `${n.startIndex}:${n.endIndex}`;

/** Reads a parsed file; one per scan. */
class CdkFile {
  private readonly index: TextIndex;
  readonly result: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  private readonly scopes = new Map<number, Scope>();
  private readonly calls: Site[] = [];
  private readonly strings: Site[] = [];
  private readonly concatenations: Site[] = [];
  private readonly accelerators: Site[] = [];
  /** Statements and object properties in document order (an ancestor before what it holds). */
  private readonly spans: StatementSpan[] = [];
  /** Placeholders made for unresolved expressions not written as interpolations, with what is written. */
  private readonly synthesized = new Map<TemplatePiece, string>();
  /** Literals (and concatenations) whose text was read by a construct above, so not swept again. */
  private readonly consumed = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(private readonly text: string, private readonly catalog: Catalog, private readonly options: CdkScanOptions) {
    this.index = new TextIndex(text);
  }

  private pos(offset: number) {
    return this.index.positionAt(Math.min(Math.max(offset, 0), this.text.length));
  }

  private range(start: number, end: number): Range {
    return { start: this.pos(start), end: this.pos(Math.max(start, end)) };
  }

  private nodeRange(n: SyntaxNode): Range {
    return this.range(n.startIndex, n.endIndex);
  }

  private readonly textAt = (r: Range): string => this.text.slice(this.index.offsetAt(r.start), this.index.offsetAt(r.end));

  read(tree: SyntaxTree): void {
    this.walk(tree);
    for (const c of this.calls) this.guard(c.node, () => this.readCall(c));
    for (const a of this.accelerators) this.guard(a.node, () => this.readAccelerator(a.node, a.scope));
    const sweep = (this.options.mappings?.length ?? 0) > 0 || STRING_WORDS.test(this.text);
    if (sweep) {
      for (const c of this.concatenations) this.guard(c.node, () => this.sweepConcatenation(c));
      for (const s of this.strings) if (!this.consumed.has(keyOf(s.node))) this.guard(s.node, () => this.sweep(s.node, s.scope));
    }
    this.result.references.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    this.addStatements();
    this.result.statements.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  }

  /** Runs one reading; a failure becomes a note on the node and the scan goes on. */
  private guard(node: SyntaxNode, read: () => void): void {
    try {
      read();
    } catch (e) {
      this.result.notes.push({ range: this.nodeRange(node), message: `skipped: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /**
   * One iterative pass (deeply nested input cannot overflow the stack): comments, scopes and
   * bindings, calls, literals, concatenations and `acceleratorType` properties.
   */
  private walk(tree: SyntaxTree): void {
    const root = tree.rootNode;
    this.scopes.set(root.id, { bindings: new Map() });
    // a tree without syntax errors has no empty node of the types read: the runtime's own walk
    // (in WebAssembly, only the nodes of those types come back) visits them in the same order
    if (scanShortcuts.enabled && !root.hasError) {
      this.walkTyped(root);
      return;
    }
    const stack: Array<{ depth: number; id: number }> = [{ depth: 0, id: root.id }];
    // what the visit needs of a node's parent, by depth (asking a node for its parent costs its depth)
    const parents: Parent[] = [];
    const cursor = tree.walk();
    try {
      let depth = 0;
      for (;;) {
        const type = cursor.nodeType;
        while (stack.length > 1 && stack[stack.length - 1].depth >= depth) stack.pop();
        const scope = stack[stack.length - 1].id;
        const parent = depth > 0 ? parents[depth - 1] : undefined;
        let plus = false;
        if (depth > 0) {
          if (STATEMENTS.has(type) || type === 'pair') {
            this.spans.push({ start: cursor.startIndex, end: cursor.endIndex, startLine: cursor.startPosition.row, endLine: cursor.endPosition.row, pair: type === 'pair' });
          }
          if (type === 'comment') this.readComment(cursor.startIndex, cursor.endIndex);
          else if (INTERESTING.has(type)) {
            const node = cursor.currentNode;
            let own = scope;
            if (SCOPES.has(type)) {
              this.scopes.set(node.id, { parent: scope, bindings: new Map() });
              stack.push({ depth, id: node.id });
              own = node.id;
            }
            plus = type === 'binary_expression' && isPlus(node);
            this.visit(node, type, scope, own, parent);
          }
        }
        if (cursor.gotoFirstChild()) {
          parents[depth] = { plus, isConst: type === 'lexical_declaration' && /^const\b/.test(this.text.slice(cursor.startIndex, cursor.startIndex + 6)) };
          depth++;
          continue;
        }
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return;
          depth--;
        }
      }
    } finally {
      cursor.delete();
    }
  }

  /**
   * {@link walk} over the nodes of the types it reads only (`descendantsOfType`: one pre-order walk
   * inside the runtime), for trees without syntax errors. A node's enclosing nodes are the earlier
   * nodes (in pre-order) whose spans still hold its start: siblings do not overlap, and no node of
   * these types is empty in an error-free tree. What the visit needs of a node's parent is decided
   * from the nearest enclosing node of these types when that one is the parent itself (a `+`
   * expression, a declaration: both are among the types), found by node identity.
   */
  private walkTyped(root: SyntaxNode): void {
    const text = this.text;
    const scopes: Array<{ end: number; id: number }> = [{ end: Infinity, id: root.id }];
    const enclosing: Array<{ start: number; end: number; node: SyntaxNode; type: string; plus: boolean; children?: Set<number> }> = [];
    const isChildOf = (e: (typeof enclosing)[number], node: SyntaxNode) => {
      e.children ??= new Set(e.node.children.map((c) => c?.id ?? -1));
      return e.children.has(node.id);
    };
    for (const node of root.descendantsOfType(WALKED_TYPES)) {
      if (node.id === root.id) continue;
      const type = node.type;
      const start = node.startIndex;
      while (scopes.length > 1 && scopes[scopes.length - 1].end <= start) scopes.pop();
      while (enclosing.length && enclosing[enclosing.length - 1].end <= start) enclosing.pop();
      const scope = scopes[scopes.length - 1].id;
      const up = enclosing[enclosing.length - 1];
      const end = node.endIndex;
      if (STATEMENTS.has(type) || type === 'pair') {
        this.spans.push({ start, end, startLine: node.startPosition.row, endLine: node.endPosition.row, pair: type === 'pair' });
      }
      let plus = false;
      if (type === 'comment') this.readComment(start, end);
      else if (INTERESTING.has(type)) {
        let own = scope;
        if (SCOPES.has(type)) {
          this.scopes.set(node.id, { parent: scope, bindings: new Map() });
          scopes.push({ end, id: node.id });
          own = node.id;
        }
        plus = type === 'binary_expression' && isPlus(node);
        const parent: Parent | undefined = up
          ? {
              get plus() {
                return up.plus && isChildOf(up, node);
              },
              get isConst() {
                return up.type === 'lexical_declaration' && /^const\b/.test(text.slice(up.start, up.start + 6)) && isChildOf(up, node);
              },
            }
          : undefined;
        this.visit(node, type, scope, own, parent);
      }
      enclosing.push({ start, end, node, type, plus });
    }
  }

  /** Records a node: `scope` is the scope it is in, `own` the scope it opens (else `scope`). */
  private visit(node: SyntaxNode, type: string, scope: number, own: number, parent: Parent | undefined): void {
    switch (type) {
      case 'string':
      case 'template_string':
        this.strings.push({ node, scope });
        break;
      case 'call_expression':
      case 'new_expression':
        this.calls.push({ node, scope });
        break;
      case 'binary_expression': {
        // the outermost `+` of a chain only (`a + b + c` nests `a + b` in it; a parenthesised `+` is read as its own)
        if (isPlus(node) && !parent?.plus && concatOperands(node).some((o) => o.type === 'string' || o.type === 'template_string')) this.concatenations.push({ node, scope });
        break;
      }
      case 'pair': {
        if (propertyName(node.childForFieldName('key')) === 'acceleratorType') this.accelerators.push({ node, scope });
        break;
      }
      case 'variable_declarator': {
        const name = node.childForFieldName('name');
        const isConst = parent?.isConst === true;
        const value = node.childForFieldName('value') ?? undefined;
        if (name?.type === 'identifier') this.bind(scope, name.text, isConst ? value : undefined);
        else if (name) for (const id of patternNames(name)) this.bind(scope, id, undefined);
        break;
      }
      case 'required_parameter':
      case 'optional_parameter': {
        const pattern = node.childForFieldName('pattern');
        if (pattern) for (const id of patternNames(pattern)) this.bind(scope, id, undefined);
        break;
      }
      case 'arrow_function':
      case 'catch_clause': {
        // `x => …` (one parameter without parentheses), `catch (e)`: bound in the node's own scope
        const p = node.childForFieldName('parameter');
        if (p) for (const id of patternNames(p)) this.bind(own, id, undefined);
        break;
      }
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'class_declaration': {
        const name = node.childForFieldName('name');
        if (name) this.bind(scope, name.text, undefined);
        break;
      }
      case 'import_specifier': {
        const id = node.childForFieldName('alias') ?? node.childForFieldName('name');
        if (id) this.bind(scope, id.text, undefined);
        break;
      }
      case 'namespace_import':
      case 'import_clause':
        for (const c of node.namedChildren) if (c?.type === 'identifier') this.bind(scope, c.text, undefined);
        break;
      default:
        break;
    }
  }

  private bind(scope: number, name: string, value: SyntaxNode | undefined): void {
    const s = this.scopes.get(scope);
    if (!s) return;
    const b = s.bindings.get(name);
    if (b) {
      b.count++;
      b.value = undefined;
    } else s.bindings.set(name, value ? { count: 1, value } : { count: 1 });
  }

  /** The binding of `name` seen from `scope` and the scope it lives in. */
  private lookup(name: string, scope: number): { binding: Binding; scope: number } | undefined {
    for (let id: number | undefined = scope; id !== undefined; ) {
      const s = this.scopes.get(id);
      if (!s) return undefined;
      const b = s.bindings.get(name);
      if (b) return { binding: b, scope: id };
      id = s.parent;
    }
    return undefined;
  }

  private readComment(start: number, nodeEnd: number): void {
    const block = this.text.startsWith('/*', start);
    let lineStart = start;
    while (lineStart > 0 && this.text[lineStart - 1] !== '\n' && this.text[lineStart - 1] !== '\r') lineStart--;
    let end = nodeEnd;
    let body: string;
    if (block) {
      const closed = end - start >= 4 && this.text.startsWith('*/', end - 2);
      body = this.text.slice(start + 2, closed ? end - 2 : end);
    } else {
      // a line comment ends at any line break LSP counts (the grammar lets one run over a lone `\r`)
      end = start;
      while (end < nodeEnd && this.text[end] !== '\r' && this.text[end] !== '\n') end++;
      body = this.text.slice(start + 2, end);
    }
    let lineEnd = end;
    while (lineEnd < this.text.length && this.text[lineEnd] !== '\n' && this.text[lineEnd] !== '\r') lineEnd++;
    const standalone = this.text.slice(lineStart, start).trim() === '' && (!block || this.text.slice(end, lineEnd).trim() === '');
    const comment: Comment = { text: body, range: this.range(start, end), standalone };
    this.result.comments.push(comment);
  }

  // ── values ────────────────────────────────────────────────────────────────────────────────

  /**
   * The pieces of a string-valued expression: a string or template literal, a `const` of this
   * file, a `+` concatenation holding one of these; undefined for anything else. `sources` collects
   * the literals the pieces were read from.
   */
  private pieces(node: SyntaxNode, scope: number, depth: number, sources: SyntaxNode[]): TemplatePiece[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (node.type) {
      case 'string':
        sources.push(node);
        return this.literalPieces(node);
      case 'template_string': {
        sources.push(node);
        const out: TemplatePiece[] = [];
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === 'template_substitution') {
            const expr = c.namedChildren.find((x) => x !== null && x.type !== 'comment');
            const inner = expr?.type === 'identifier' ? this.constant(expr, scope, depth + 1, sources, this.nodeRange(c)) : undefined;
            out.push(...(inner ?? [this.placeholder(c, expr ?? c)]));
          } else out.push(...this.fragment(c));
        }
        return out;
      }
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.constant(node, scope, depth + 1, sources, this.nodeRange(node));
      case 'parenthesized_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression': {
        const inner = node.namedChildren.find((x) => x !== null && x.type !== 'comment');
        return inner ? this.pieces(inner, scope, depth + 1, sources) : undefined;
      }
      case 'binary_expression': {
        if (!isPlus(node)) return undefined;
        const operands = concatOperands(node);
        const read = operands.map((o) => this.pieces(o, scope, depth + 1, sources));
        if (read.every((r) => r === undefined)) return undefined;
        sources.push(node);
        return read.flatMap((r, i) => r ?? [this.placeholder(operands[i], operands[i])]);
      }
      default:
        return undefined;
    }
  }

  /**
   * A `const` identifier's value as pieces that all stand for the use at `used` (their `range`), so
   * that a range across pieces runs in file order: literals become substituted pieces mapping into
   * the constant's literal, placeholders keep their text.
   */
  private constant(id: SyntaxNode, scope: number, depth: number, sources: SyntaxNode[], used: Range): TemplatePiece[] | undefined {
    const found = this.lookup(id.text, scope);
    if (!found || found.binding.count !== 1 || !found.binding.value) return undefined;
    const inner = this.pieces(found.binding.value, found.scope, depth, sources);
    if (!inner) return undefined;
    return inner.map((p): TemplatePiece => {
      if (p.kind === 'literal') return { kind: 'substituted', text: p.text, range: used, ...(p.at ? { at: p.at } : {}), from: { name: id.text, range: p.range } };
      const moved = { ...p, range: used };
      const written = this.synthesized.get(p);
      if (written !== undefined) this.synthesized.set(moved, written);
      return moved;
    });
  }

  /** Pieces of a plain string literal: its fragments and (decoded) escapes. */
  private literalPieces(node: SyntaxNode): TemplatePiece[] {
    const out: TemplatePiece[] = [];
    for (const c of node.namedChildren) if (c) out.push(...this.fragment(c));
    return out;
  }

  /**
   * A literal piece of a string or template child: a fragment maps one for one; an escape sequence
   * is decoded and maps as a whole (a part that holds one does not read as written and is not
   * reported, see {@link settleTemplateScan}).
   */
  private fragment(c: SyntaxNode): TemplatePiece[] {
    if (c.type === 'string_fragment') {
      const start = c.startIndex;
      return [{ kind: 'literal', text: this.text.slice(start, c.endIndex), range: this.nodeRange(c), at: (o) => this.pos(start + o) }];
    }
    if (c.type === 'escape_sequence') return [{ kind: 'literal', text: decodeEscape(c.text), range: this.nodeRange(c) }];
    return [];
  }

  /**
   * An unresolved expression as a placeholder: a template's `${…}` as written when the recognisers
   * accept it (`${this.region}`), any other expression as a made-up `${props.tag}` they accept,
   * recorded in {@link synthesized} with what is written.
   */
  private placeholder(where: SyntaxNode, expr: SyntaxNode): TemplatePiece {
    const written = where.text;
    if (where.type === 'template_substitution' && placeholderEnd(written, 0) === written.length) return { kind: 'placeholder', text: written, range: this.nodeRange(where) };
    // a name chain keeps its name (`${props.tag}`); any other expression is `${value}`, so that nothing inside it is read as literal text
    const chain = expr.text.replace(/\s+/g, '');
    const name = chain.length <= MAX_PLACEHOLDER_NAME && /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*$/.test(chain) ? chain.replace(/\$/g, '_') : 'value';
    const piece: TemplatePiece = { kind: 'placeholder', text: `\${${name}}`, range: this.nodeRange(where) };
    this.synthesized.set(piece, shortened(written));
    return piece;
  }

  /** {@link settleTemplateScan} with this file's made-up placeholders. */
  private settle(scan: TemplateScan, pieces: readonly TemplatePiece[]): TemplateScan {
    return settleTemplateScan(scan, pieces, this.synthesized, this.textAt);
  }

  // ── constructs ────────────────────────────────────────────────────────────────────────────

  private readCall(site: Site): void {
    const { node, scope } = site;
    const isNew = node.type === 'new_expression';
    const callee = node.childForFieldName(isNew ? 'constructor' : 'function');
    const args = node.childForFieldName('arguments');
    if (!callee || !args || args.type !== 'arguments') return;
    const chain = nameChain(callee);
    const name = chain[chain.length - 1];
    if (!name) return;
    const argv = positional(args);
    if (isNew) {
      if (name === 'CfnModel') this.readCfnModel(argv[2], scope);
      else if (name === 'LookupMachineImage') this.readNameProperty(argv[0], scope);
      return;
    }
    const form = Object.hasOwn(CALLS, name) ? CALLS[name] : undefined;
    if (!form) return;
    const object = OBJECT_OF[name];
    if (object && chain[chain.length - 2] !== object) return;
    switch (form.form) {
      case 'repository-and-tag':
        this.readRepositoryAndTag(argv[0], argv[1], scope, node);
        break;
      case 'whole':
        if (argv[form.argument]) this.readWhole(argv[form.argument], scope);
        break;
      case 'name-property':
        this.readNameProperty(argv[0], scope);
        break;
      case 'accelerator':
        if (argv[0]) this.readAcceleratorValue(argv[0], scope);
        break;
    }
  }

  /** `fromDlc(repository, tag)`: an unreadable argument is a placeholder (see {@link repositoryAndTagScan}). */
  private readRepositoryAndTag(repository: SyntaxNode | undefined, tag: SyntaxNode | undefined, scope: number, call: SyntaxNode): void {
    if (!repository || !tag) return;
    const sources: SyntaxNode[] = [];
    const repo = this.pieces(repository, scope, 0, sources) ?? [this.placeholder(repository, repository)];
    const tagPieces = this.pieces(tag, scope, 0, sources) ?? [this.placeholder(tag, tag)];
    const scan = repositoryAndTagScan(repo, tagPieces, { call: this.nodeRange(call), repository: this.nodeRange(repository) }, this.synthesized, this.textAt, this.catalog);
    this.report(scan, sources);
  }

  /** An argument that is one image, DLAMI name or SSM path. */
  private readWhole(value: SyntaxNode, scope: number): void {
    const sources: SyntaxNode[] = [];
    const pieces = this.pieces(value, scope, 0, sources);
    if (!pieces) return;
    this.report(this.settle(scanTemplate(pieces, this.nodeRange(value), this.textAt, this.catalog, 'whole', { mappings: this.options.mappings }), pieces), sources);
  }

  /** `MachineImage.lookup({ name })`, `new LookupMachineImage({ name })`. */
  private readNameProperty(props: SyntaxNode | undefined, scope: number): void {
    const name = props ? this.property(props, 'name', scope) : undefined;
    if (name) this.readWhole(name.node, name.scope);
  }

  /** `new CfnModel(scope, id, { primaryContainer: { image }, containers: [{ image }] })`. */
  private readCfnModel(props: SyntaxNode | undefined, scope: number): void {
    if (!props) return;
    const containers: Array<{ node: SyntaxNode; scope: number }> = [];
    const primary = this.property(props, 'primaryContainer', scope);
    if (primary) containers.push(primary);
    const list = this.property(props, 'containers', scope);
    if (list && list.node.type === 'array') for (const c of list.node.namedChildren) if (c && c.type !== 'comment') containers.push({ node: c, scope: list.scope });
    for (const c of containers) {
      const image = this.property(c.node, 'image', c.scope);
      if (image) this.readWhole(image.node, image.scope);
    }
  }

  /**
   * The value of property `key` of an object literal (or of a `const` bound to one), with the scope
   * it is read in; a shorthand property (`{ image }`) is its identifier.
   */
  private property(object: SyntaxNode, key: string, scope: number): { node: SyntaxNode; scope: number } | undefined {
    let node: SyntaxNode | null = object;
    let where = scope;
    for (let depth = 0; node && depth < MAX_DEPTH && node.type !== 'object'; depth++) {
      if (node.type === 'identifier') {
        const found = this.lookup(node.text, where);
        if (!found || found.binding.count !== 1 || !found.binding.value) return undefined;
        node = found.binding.value;
        where = found.scope;
      } else if (node.type === 'parenthesized_expression' || node.type === 'as_expression' || node.type === 'satisfies_expression') {
        node = node.namedChildren.find((x) => x !== null && x.type !== 'comment') ?? null;
      } else return undefined;
    }
    if (!node || node.type !== 'object') return undefined;
    let found: SyntaxNode | undefined;
    for (const c of node.namedChildren) {
      if (c?.type === 'pair' && propertyName(c.childForFieldName('key')) === key) found = c.childForFieldName('value') ?? undefined;
      else if (c?.type === 'shorthand_property_identifier' && c.text === key) found = c; // `{ image }`: the identifier `image`
    }
    return found ? { node: found, scope: where } : undefined;
  }

  /** `acceleratorType: 'ml.eia…'` in any object literal. */
  private readAccelerator(pair: SyntaxNode, scope: number): void {
    const value = pair.childForFieldName('value');
    if (value) this.readAcceleratorValue(value, scope);
  }

  private readAcceleratorValue(value: SyntaxNode, scope: number): void {
    const sources: SyntaxNode[] = [];
    const pieces = this.pieces(value, scope, 0, sources);
    if (!pieces || pieces.length !== 1 || pieces[0].kind === 'placeholder' || !pieces[0].at) return;
    const p = pieces[0];
    const type = p.text.trim();
    if (!type.toLowerCase().startsWith('ml.eia')) return;
    const lead = p.text.indexOf(type);
    const range = { start: p.at!(lead), end: p.at!(lead + type.length) };
    const ref: AcceleratorReference = { kind: 'accelerator', subject: type, version: '', text: this.textAt(range), range };
    this.push(ref);
    for (const s of sources) this.consumed.add(keyOf(s));
  }

  /** Adds what a construct's template scan found; its literals are then not swept again. */
  private report(scan: TemplateScan, sources: readonly SyntaxNode[]): void {
    for (const r of [...scan.images, ...scan.dlamis]) this.push(r);
    this.result.notes.push(...scan.notes);
    if (scan.images.length || scan.dlamis.length || scan.notes.length) for (const s of sources) this.consumed.add(keyOf(s));
  }

  /** Adds a reference unless the same one (kind, range, what it names) was added before (a constant used twice). */
  private push(ref: Reference): void {
    const what = ref.kind === 'container-image' ? (ref as ImageReference).image.uri : ref.subject;
    const r = ref.range;
    const key = `${ref.kind}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${what}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.result.references.push(ref);
  }

  // ── plain strings ─────────────────────────────────────────────────────────────────────────

  /** A concatenation holding string literals: searched as one string; its literals are not searched alone. */
  private sweepConcatenation(site: Site): void {
    const { node, scope } = site;
    if (this.consumed.has(keyOf(node))) {
      for (const o of concatOperands(node)) this.consumed.add(keyOf(o));
      return;
    }
    const sources: SyntaxNode[] = [];
    const pieces = this.pieces(node, scope, 0, sources);
    for (const o of concatOperands(node)) this.consumed.add(keyOf(o));
    // literals and nested concatenations written inside it (not constants written elsewhere)
    for (const s of sources) if (s.startIndex >= node.startIndex && s.endIndex <= node.endIndex) this.consumed.add(keyOf(s));
    if (pieces) this.find(pieces, node);
  }

  private sweep(node: SyntaxNode, scope: number): void {
    const pieces = this.pieces(node, scope, 0, []);
    if (pieces) this.find(pieces, node);
  }

  /** DLC and mapped images, DLAMI names and SSM paths inside an assembled string. */
  private find(pieces: readonly TemplatePiece[], anchor: SyntaxNode): void {
    if (!(this.options.mappings?.length ?? 0) && !STRING_WORDS.test(pieces.map((p) => p.text).join(''))) return;
    const scan = this.settle(scanTemplate(pieces, this.nodeRange(anchor), this.textAt, this.catalog, 'find', { mappings: this.options.mappings }), pieces);
    // a repository a tag is appended to in code (`${repository}:${tag}`) is not an untagged image
    const end = pieces[pieces.length - 1]?.range.end;
    const prefixes = scan.images.filter((i) => end && isRepositoryPrefix(i, end));
    for (const r of [...scan.images.filter((i) => !prefixes.includes(i)), ...scan.dlamis]) this.push(r);
    this.result.notes.push(...prefixes.map(repositoryPrefixNote));
    this.result.notes.push(...scan.notes);
  }

  /**
   * For each reference (sorted), the innermost statement and the innermost object property inside
   * it around the reference's start, as line spans: one sweep over the nested spans of the walk.
   */
  private addStatements(): void {
    const seen = new Set<string>();
    const add = (startLine: number, endLine: number) => {
      const key = `${startLine}:${endLine}`;
      if (seen.has(key)) return;
      seen.add(key);
      this.result.statements.push({ startLine, endLine });
    };
    const open: StatementSpan[] = [];
    let next = 0;
    for (const ref of this.result.references) {
      const o = this.index.offsetAt(ref.range.start);
      for (; next < this.spans.length && this.spans[next].start <= o; next++) {
        const span = this.spans[next];
        while (open.length && open[open.length - 1].end <= span.start) open.pop();
        open.push(span);
      }
      while (open.length && open[open.length - 1].end <= o) open.pop();
      let statement: StatementSpan | undefined;
      let pair: StatementSpan | undefined;
      for (let k = open.length - 1; k >= 0 && !statement; k--) {
        if (!open[k].pair) statement = open[k];
        else pair ??= open[k];
      }
      if (statement) add(statement.startLine, statement.endLine);
      if (pair) add(pair.startLine, pair.endLine);
      if (!statement && !pair) add(ref.range.start.line, ref.range.end.line);
    }
  }
}

/** A statement or object property of the walk: offsets and lines. */
interface StatementSpan {
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  pair: boolean;
}

/** Node types the walk makes tree nodes for. */
const INTERESTING = new Set([
  ...SCOPES, 'string', 'template_string', 'call_expression', 'new_expression', 'binary_expression', 'pair', 'variable_declarator',
  'required_parameter', 'optional_parameter', 'class_declaration', 'import_specifier', 'namespace_import', 'import_clause',
]);

/** Every node type {@link CdkFile.walk} reads. */
const WALKED_TYPES = [...new Set([...INTERESTING, ...STATEMENTS, 'pair', 'comment'])];

const isPlus = (n: SyntaxNode) => n.childForFieldName('operator')?.type === '+';

/** The operands of a left-nested `a + b + c` chain, in order (read iteratively: long chains cannot overflow the stack). */
function concatOperands(node: SyntaxNode): SyntaxNode[] {
  const right: SyntaxNode[] = [];
  let n: SyntaxNode | null = node;
  while (n && n.type === 'binary_expression' && isPlus(n)) {
    const r = n.childForFieldName('right');
    if (r) right.push(r);
    n = n.childForFieldName('left');
  }
  if (n) right.push(n);
  return right.reverse();
}

/** The positional arguments of a call (comments left out; nothing after a spread). */
function positional(args: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const a of args.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'spread_element') break;
    out.push(a);
  }
  return out;
}

/** The names of a callee chain (`sagemaker.ContainerImage.fromDlc` → `sagemaker`, `ContainerImage`, `fromDlc`); [] for other callees. */
function nameChain(callee: SyntaxNode): string[] {
  const out: string[] = [];
  let n: SyntaxNode | null = callee;
  for (let depth = 0; n && depth < MAX_DEPTH; depth++) {
    if (n.type === 'member_expression') {
      const p = n.childForFieldName('property');
      if (!p) return [];
      out.unshift(p.text);
      n = n.childForFieldName('object');
    } else if (n.type === 'identifier' || n.type === 'this') {
      out.unshift(n.text);
      return out;
    } else if (n.type === 'non_null_expression' || n.type === 'parenthesized_expression') {
      n = n.namedChildren[0] ?? null;
    } else {
      // a call or other expression as the object: the names after it still say what is called
      out.unshift('');
      return out;
    }
  }
  return out;
}

/** An object key's name: `image`, `'image'`, `"image"`; undefined for computed keys. */
function propertyName(key: SyntaxNode | null): string | undefined {
  if (!key) return undefined;
  if (key.type === 'property_identifier') return key.text;
  if (key.type === 'string') return key.namedChildren.map((c) => (c?.type === 'string_fragment' ? c.text : '\u0000')).join('');
  return undefined;
}

/** The identifiers a binding pattern binds (`{ a, b: c }`, `[a, ...b]`). */
function patternNames(pattern: SyntaxNode): string[] {
  const out: string[] = [];
  const stack: SyntaxNode[] = [pattern];
  while (stack.length && out.length < 1000) {
    const n = stack.pop()!;
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier_pattern') out.push(n.text);
    else if (n.type === 'pair_pattern') {
      const v = n.childForFieldName('value');
      if (v) stack.push(v);
    } else if (n.type === 'assignment_pattern' || n.type === 'object_assignment_pattern') {
      const l = n.childForFieldName('left');
      if (l) stack.push(l);
    } else for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return out;
}

/** An expression as notes name it: white space collapsed, at most 40 characters. */
export function shortened(written: string): string {
  const one = written.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 40)}…` : one;
}

/**
 * Keeps what a template scan found only where it reads as written. `synthesized` maps the
 * placeholders made up for unresolved expressions that are not written as interpolations (a bare
 * `props.tag`, `{tag}` for Python's `tag`) to what is written. Then:
 * - an image whose repository, tag or digest covers one is dropped: it cannot be judged, and the
 *   scan's note (which names the expression as written) says so;
 * - any other part (account, region, registry) that covers one reads as written, keeping its
 *   `placeholder` flag; a part over a substituted value keeps the value (its range says where);
 * - a reference with a part that reads otherwise (a tag written in two string literals) is dropped
 *   with a note saying so; a DLAMI likewise.
 * Never throws.
 */
export function settleTemplateScan(scan: TemplateScan, pieces: readonly TemplatePiece[], synthesized: ReadonlyMap<TemplatePiece, string>, textAt: (r: Range) => string): TemplateScan {
  const made = pieces.filter((p) => synthesized.has(p));
  const madeAt = made.map((p) => p.range);
  const substituted = pieces.filter((p) => p.kind === 'substituted').flatMap((p) => (p.from ? [p.range, p.from.range] : [p.range]));
  const notes: ScanNote[] = scan.notes.map((n) => ({ range: n.range, message: made.reduce((m, p) => m.split(`'${p.text}'`).join(`'${synthesized.get(p)}'`), n.message) }));
  const unmappable = (ref: Reference) => notes.push({ range: ref.range, message: `the parts of '${shortened(ref.text)}' cannot be mapped to where they are written; it is not judged` });
  /** Every part reads as written (a part over a made-up placeholder is given the written text). */
  const faithful = (parts: ReadonlyArray<Located | undefined>, exempt: readonly Range[]) => settleParts(parts, textAt, exempt, madeAt);
  const images: ImageReference[] = [];
  for (const ref of scan.images) {
    const i = ref.image;
    if ([i.repository, i.tag, i.digest].some((l) => l && madeAt.some((r) => rangesOverlap(r, l.range)))) continue;
    if (faithful([i.registry, i.account, i.region, i.repository, i.tag, i.digest, ...Object.values(i.parts)], substituted)) images.push(ref);
    else unmappable(ref);
  }
  const dlamis = scan.dlamis.filter((ref) => {
    const ok = !Object.values(ref.dlami.parts).some((l) => l && madeAt.some((r) => rangesOverlap(r, l.range))) && faithful(Object.values(ref.dlami.parts), substituted);
    if (!ok) unmappable(ref);
    return ok;
  });
  return { images, dlamis, notes };
}

/**
 * An image from a repository and a tag written apart (`fromDlc`, `from_dlc`,
 * `fromDeepLearningContainerImage`): {@link recognizeRepositoryAndTag}, settled
 * ({@link settleTemplateScan}); its notes point at the tag (the reference's range). A repository that
 * cannot be read (a placeholder) gets a note at `at.repository`: the call names a DLC, but which one
 * is unknown. Never throws.
 */
export function repositoryAndTagScan(
  repository: TemplatePiece[],
  tag: TemplatePiece[],
  at: { call: Range; repository: Range },
  synthesized: ReadonlyMap<TemplatePiece, string>,
  textAt: (r: Range) => string,
  catalog: Catalog,
): TemplateScan {
  const scan = recognizeRepositoryAndTag(repository, tag, at.call, textAt, catalog);
  if (scan.images.length === 0) {
    const unresolved = repository.filter((p) => p.kind === 'placeholder');
    if (unresolved.length === 0) return scan;
    const names = unresolved.map((p) => `'${synthesized.get(p) ?? p.text}'`).join(', ');
    return { ...scan, notes: [{ range: at.repository, message: `${names} could not be resolved in this file: the image cannot be read` }] };
  }
  // the template's note spans the whole assembled image (from the call on): point it at the tag, like the reference
  const tagRange = scan.images[0].range;
  return settleTemplateScan({ ...scan, notes: scan.notes.map((n) => ({ ...n, range: tagRange })) }, [...repository, ...tag], synthesized, textAt);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** The character(s) a JavaScript escape sequence stands for (`\n`, `\x41`, `\u0041`, `\u{1F600}`, a line continuation). */
export function decodeEscape(seq: string): string {
  if (seq.length < 2 || seq[0] !== '\\') return seq;
  const c = seq[1];
  if (seq.length === 2 && Object.hasOwn(SIMPLE_ESCAPES, c)) return SIMPLE_ESCAPES[c];
  if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') return '';
  const hex = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\})$/.exec(seq);
  if (hex) {
    const code = parseInt(hex[1] ?? hex[2] ?? hex[3], 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : seq;
  }
  return seq.slice(1);
}

/** The note of a scan made before the grammar was loaded. */
export function cdkParserNotLoaded(grammar: CdkGrammar): string {
  return `the ${labelOf(grammar)} parser is not loaded`;
}

/**
 * Scans a TypeScript or JavaScript file (an AWS CDK app) for DLC images, base images given to
 * image APIs, DLAMI names and SSM paths, and Elastic Inference accelerators (see the module
 * comment). Synchronous: the grammar must have been loaded with `initParsers()`; otherwise the
 * result holds one note, {@link cdkParserNotLoaded}, and no references. A file without any of
 * {@link mayReferenceCdk}'s words is not parsed and gives an empty result.
 * @returns references sorted by position; comments; one line span per statement holding a
 *   reference; notes for what could not be resolved. Never throws.
 */
export function scanCdk(text: string, catalog: Catalog, options: CdkScanOptions = {}): ScanResult {
  const empty = (): ScanResult => ({ references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] });
  const origin = { line: 0, character: 0 };
  const at = { start: origin, end: origin };
  if (!mayReferenceCdk(text, options.mappings)) return empty();
  const grammar: CdkGrammar = options.grammar === 'tsx' ? 'tsx' : 'typescript';
  let tree: SyntaxTree | undefined;
  let file: CdkFile | undefined;
  try {
    tree = parseWith(grammar, text);
    if (!tree) return { ...empty(), notes: [{ range: at, message: cdkParserNotLoaded(grammar) }] };
    file = new CdkFile(text, catalog, options);
    file.read(tree);
    return file.result;
  } catch (e) {
    const note: ScanNote = { range: at, message: `could not read the ${labelOf(grammar)} file: ${e instanceof Error ? e.message : String(e)}` };
    const partial = file?.result ?? empty();
    return { ...partial, notes: [...partial.notes, note] };
  } finally {
    tree?.delete();
  }
}
