/**
 * Scanner for Python files that use the SageMaker Python SDK (references.md "Python (SageMaker
 * SDK)"). The file is parsed with tree-sitter (`treeSitter.ts`); nothing is read with regular
 * expressions over the source. It finds:
 *
 * - **SDK calls** that select a framework image, with each argument's own range:
 *   estimators `PyTorch`, `TensorFlow`, `MXNet`, `Chainer`, `HuggingFace` (job `training`), models
 *   `PyTorchModel`, `TensorFlowModel`, `MXNetModel`, `ChainerModel`, `HuggingFaceModel` (job
 *   `inference`), `image_uris.retrieve` (job from `image_scope=`) and
 *   `get_huggingface_llm_image_uri`. Callees are recognised by name (`PyTorch(…)`), attribute access
 *   (`sagemaker.pytorch.PyTorch`, `estimator.PyTorch` after `from sagemaker.pytorch import estimator`)
 *   and from-imports with aliases (`from sagemaker.pytorch import PyTorch as PT`). Keyword arguments
 *   read: `framework_version`, `py_version`, `transformers_version`, `pytorch_version`,
 *   `tensorflow_version`, `instance_type`, `accelerator_type` (and `framework`, `version`,
 *   `image_scope`, `base_framework_version` plus the positional forms of `image_uris.retrieve`;
 *   `backend`, `version` of `get_huggingface_llm_image_uri`). `image_uri=` values are strings like
 *   any other and become image references (below).
 * - **Elastic Inference** accelerators on any call: an `accelerator_type=` or `instance_type=` whose
 *   value starts with `ml.eia` (e.g. `model.deploy(…, accelerator_type="ml.eia2.medium")`) gives a
 *   reference even when the call is not one of the above (`framework` and `subject` are then empty).
 * - **AWS CDK calls** (`ContainerImage.from_dlc`, `from_registry`, `CfnModel` images,
 *   `MachineImage.lookup`/`from_ssm_parameter`, SSM parameter reads, `CfnEndpointConfig` Elastic
 *   Inference dictionaries), read by `cdk.ts` through one hook in the call reading (it gets this
 *   scanner's value reading, and the literals it reports are marked so that the string sweep below
 *   skips them: nothing is reported twice). A file that imports `aws_cdk` is always parsed.
 * - **Image URIs, DLAMI names and SSM parameter paths** in every string literal (the image and DLAMI
 *   recognisers on the string's content as written; f-string replacement fields such as
 *   `{region}` are placeholders, so only the literal parts are judged). Only DLC and policy-mapped
 *   images are reported, not base images: a string such as `"python:3.10"` is too common in code.
 *
 * Values: a string literal (range: its content inside the quotes); a name assigned exactly once in
 * the same function or at module level to a string literal (or to another such name), the value's
 * range then pointing at that literal and `resolvedFrom` naming the constant. F-strings with
 * replacement fields, parameters, names assigned several times, and other expressions are not
 * guessed: a version argument (and `framework=` of `image_uris.retrieve`) that cannot be read gets a
 * note (reported as `unresolved-reference`); `None` is silently absent.
 *
 * Lookalikes that are not matched (decided here, tested): a call whose name is defined in the file
 * (`def PyTorch(…)`, `class PyTorch`, an assignment) or imported from another module
 * (`from mylib import PyTorch`), attribute calls on anything but `sagemaker` or a name imported from
 * `sagemaker` (`torch.PyTorch`, `self.PyTorch`), a bare `retrieve(…)` not imported from
 * `sagemaker.image_uris`, and the keyword arguments of any other call (`my_func(framework_version="1.0")`).
 * A name neither defined nor imported in the file (`PyTorch(…)` in a notebook cell whose import is in
 * another cell) is taken as the SDK's.
 *
 * Cost: files that mention none of `sagemaker`, `.dkr.ecr`, `public.ecr.aws`, `amazonaws`,
 * `deep learning`/`deeplearning` (DLAMI names and SSM paths), `aws_cdk` are not parsed at all (no
 * reference can be found in them), unless `alwaysParse` is set.
 */
import type { Catalog } from '../../catalog/catalog';
import type { Located, Range, ScanResult, SdkFrameworkReference } from '../../model';
import type { ImageMapping } from '../../policy/images';
import { TextIndex } from '../../text';
import { findDlamiReferences, findImageReferences } from '../images';
import { isRepositoryPrefix, repositoryPrefixNote } from '../images/template';
import { CDK_CALL_NAMES, readCdkCall } from './cdk';
import type { PythonNode, PythonTree } from './treeSitter';
import { parsePython, pythonIndentationNote } from './treeSitter';
import { scanShortcuts } from '../treeSitter';

/** Options of {@link scanPython}. */
export interface PythonScanOptions {
  /** A policy file's `[[images]]` mappings (internal images built on DLCs), passed to the image recogniser. */
  mappings?: readonly ImageMapping[];
  /** Parse even when none of the SageMaker, ECR or DLAMI words occur (a notebook cell whose imports are in another cell). */
  alwaysParse?: boolean;
}

/** The note of a scan made before the parser was loaded (or after loading it failed). */
export const PYTHON_PARSER_NOT_LOADED = 'the Python parser is not loaded';

/** Words without which a Python file can hold no reference this scanner finds (literal alternatives: no backtracking). */
const RELEVANT = /sagemaker|\.dkr\.ecr|public\.ecr\.aws|amazonaws|deep ?learning|aws_cdk/i;

/** True when `text` mentions SageMaker, an ECR registry host, `amazonaws`, a Deep Learning AMI or the AWS CDK, i.e. is worth parsing. */
export function mayReferenceSageMaker(text: string): boolean {
  return typeof text === 'string' && RELEVANT.test(text);
}

type Job = 'training' | 'inference';

/** An SDK callee: the framework it selects images of, the job, and how its arguments are read. */
interface SdkCallee {
  framework: string;
  job?: Job;
  form: 'class' | 'retrieve' | 'llm';
}

/** Estimator and model classes of the SDK, by class name. */
const SDK_CLASSES: Readonly<Record<string, SdkCallee>> = {
  PyTorch: { framework: 'pytorch', job: 'training', form: 'class' },
  TensorFlow: { framework: 'tensorflow', job: 'training', form: 'class' },
  MXNet: { framework: 'mxnet', job: 'training', form: 'class' },
  Chainer: { framework: 'chainer', job: 'training', form: 'class' },
  HuggingFace: { framework: 'huggingface', job: 'training', form: 'class' },
  PyTorchModel: { framework: 'pytorch', job: 'inference', form: 'class' },
  TensorFlowModel: { framework: 'tensorflow', job: 'inference', form: 'class' },
  MXNetModel: { framework: 'mxnet', job: 'inference', form: 'class' },
  ChainerModel: { framework: 'chainer', job: 'inference', form: 'class' },
  HuggingFaceModel: { framework: 'huggingface', job: 'inference', form: 'class' },
};
const LLM_FUNCTION = 'get_huggingface_llm_image_uri';

/** Positional parameters of `sagemaker.image_uris.retrieve` and `get_huggingface_llm_image_uri` (SDK v2 signatures). */
const RETRIEVE_POSITIONAL = ['framework', 'region', 'version', 'py_version', 'instance_type', 'accelerator_type', 'image_scope'];
const LLM_POSITIONAL = ['backend', 'session', 'region', 'version'];

/** Keyword arguments whose values are versions: when they cannot be read, the scan says so. */
const VERSION_ARGUMENTS = new Set(['framework_version', 'py_version', 'transformers_version', 'pytorch_version', 'tensorflow_version', 'version', 'framework', 'base_framework_version']);

/** Simple statements (line spans for suppression comments); compound statements are not listed. */
const SIMPLE_STATEMENTS = new Set([
  'expression_statement', 'return_statement', 'assert_statement', 'delete_statement', 'raise_statement', 'pass_statement',
  'import_statement', 'import_from_statement', 'future_import_statement', 'global_statement', 'nonlocal_statement', 'exec_statement',
  'print_statement', 'type_alias_statement', 'break_statement', 'continue_statement',
]);
const SCOPES = new Set(['module', 'function_definition', 'class_definition', 'lambda']);
const MAX_RESOLVE_DEPTH = 8;
const MAX_NOTE_EXPRESSION = 40;

/** A syntax node by type and offsets: enough to read a value without keeping tree nodes alive. */
interface Span {
  type: string;
  start: number;
  end: number;
}

/** A name bound in a scope: how often, and for a single plain assignment, the assigned value and the target's span. */
interface Binding {
  count: number;
  value?: Span;
  target?: Span;
  parameter?: boolean;
}

interface Scope {
  kind: string;
  parent?: number;
  bindings: Map<string, Binding>;
}

/** A call as the walk saw it: its offsets, its callee's offsets and its scope. */
interface CallSite {
  start: number;
  end: number;
  calleeStart: number;
  calleeEnd: number;
  scope: number;
}

/** Everything one walk over the tree collects. */
interface FileFacts {
  scopes: Map<number, Scope>;
  calls: CallSite[];
  /** Offsets of string literals (collected only when some string could hold an image or DLAMI). */
  strings: Array<{ start: number; end: number }>;
  /** Local name → dotted path it was imported as (`PT` → `sagemaker.pytorch.PyTorch`); a name imported twice keeps every path. */
  imports: Map<string, string[]>;
  /** Names defined in the file by `def`, `class`, assignment or parameter (anywhere). */
  defined: Set<string>;
}

/** A value as read: a located string, or why it cannot be read (`why` absent: nothing to say, e.g. `None`). */
type Resolved = { located: Located; from: Array<{ name: string; range: Range }> } | { why?: string };

/** Words without which no string of a file can hold a DLC image URI, a DLAMI name or an SSM parameter path. */
const STRING_WORDS = /\.dkr\.ecr|public\.ecr\.aws|deep ?learning|\/aws\/service\//i;
/** Keyword arguments a call must contain to be read for Elastic Inference when it is not an SDK call. */
const ACCELERATOR_KEYWORDS = ['accelerator_type', 'instance_type'];

/** Reads a parsed file; one per scan. */
class PythonFile {
  private readonly index: TextIndex;
  readonly result: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  private facts!: FileFacts;
  /** Content offsets of string literals the CDK reading reported (`cdk.ts`): the string sweep skips them. */
  private readonly cdkConsumed = new Set<number>();

  constructor(private readonly text: string, private readonly catalog: Catalog, private readonly options: PythonScanOptions) {
    this.index = new TextIndex(text);
  }

  private pos(offset: number) {
    return this.index.positionAt(Math.min(Math.max(offset, 0), this.text.length));
  }

  private range(start: number, end: number): Range {
    return { start: this.pos(start), end: this.pos(Math.max(start, end)) };
  }

  private nodeRange(n: PythonNode): Range {
    return this.range(n.startIndex, n.endIndex);
  }

  private slice(n: PythonNode): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }

  private located(start: number, end: number): Located {
    return { text: this.text.slice(start, end), range: this.range(start, end) };
  }

  read(tree: PythonTree): void {
    const sweepStrings = (this.options.mappings?.length ?? 0) > 0 || STRING_WORDS.test(this.text);
    this.facts = this.walk(tree, sweepStrings);
    const root = tree.rootNode;
    for (const site of this.candidateCalls()) {
      const node = callAt(root, site);
      if (!node) continue;
      try {
        this.readCall(node, site.scope);
      } catch (e) {
        this.result.notes.push({ range: this.range(site.start, site.end), message: `call skipped: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    for (const s of this.facts.strings) this.readString(s.start, s.end);
    this.result.references.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    this.result.statements.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  }

  /**
   * The calls worth reading: those whose callee ends in an SDK name or a name imported in the file,
   * and, when the file mentions `ml.eia`, those with an `accelerator_type`/`instance_type` keyword.
   * (Only a cheap filter: {@link sdkCallee} decides.)
   */
  private candidateCalls(): CallSite[] {
    const names = new Set([...Object.keys(SDK_CLASSES), 'retrieve', LLM_FUNCTION, ...CDK_CALL_NAMES, ...this.facts.imports.keys()]);
    const eia = /ml\.eia/i.test(this.text);
    const keywordAt: number[] = [];
    if (eia) {
      for (const k of ACCELERATOR_KEYWORDS) for (let i = this.text.indexOf(k); i >= 0; i = this.text.indexOf(k, i + 1)) keywordAt.push(i);
      keywordAt.sort((a, b) => a - b);
    }
    const hasKeywordIn = (s: number, e: number) => {
      let lo = 0;
      let hi = keywordAt.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keywordAt[mid] < s) lo = mid + 1;
        else hi = mid;
      }
      return lo < keywordAt.length && keywordAt[lo] < e;
    };
    return this.facts.calls.filter((c) => names.has(lastName(this.text, c.calleeStart, c.calleeEnd)) || (eia && hasKeywordIn(c.calleeEnd, c.end)));
  }

  /**
   * One iterative pass over the tree (no recursion: deeply nested input cannot overflow the stack).
   * Comments, strings, calls and statements are read from the cursor's offsets; tree nodes are made
   * only for bindings, definitions and imports (node objects are what costs time).
   */
  private walk(tree: PythonTree, sweepStrings: boolean): FileFacts {
    const root = tree.rootNode;
    const facts: FileFacts = { scopes: new Map([[root.id, { kind: 'module', bindings: new Map() }]]), calls: [], strings: [], imports: new Map(), defined: new Set() };
    // a tree without syntax errors has no zero-width node of the types read: the runtime's own walk
    // (in WebAssembly, only the nodes of those types come back) visits the same nodes in the same order
    if (scanShortcuts.enabled && !root.hasError) {
      this.walkTyped(root, sweepStrings, facts);
      return facts;
    }
    const scopeStack: Array<{ depth: number; id: number }> = [{ depth: 0, id: root.id }];
    const cursor = tree.walk();
    try {
      let depth = 0;
      for (;;) {
        const type = cursor.nodeType;
        while (scopeStack.length > 1 && scopeStack[scopeStack.length - 1].depth >= depth) scopeStack.pop();
        const scope = scopeStack[scopeStack.length - 1].id;
        if (depth > 0) {
          if (type === 'comment') this.readComment(cursor.startIndex, cursor.endIndex);
          else if (type === 'string') {
            if (sweepStrings) facts.strings.push({ start: cursor.startIndex, end: cursor.endIndex });
          } else if (type === 'call') {
            const start = cursor.startIndex;
            const end = cursor.endIndex;
            if (cursor.gotoFirstChild()) {
              facts.calls.push({ start, end, calleeStart: cursor.startIndex, calleeEnd: cursor.endIndex, scope });
              cursor.gotoParent();
            }
          } else if (SIMPLE_STATEMENTS.has(type) || type === 'keyword_argument') {
            this.result.statements.push({ startLine: this.pos(cursor.startIndex).line, endLine: this.pos(cursor.endIndex).line });
          }
          if (NODE_TYPES.has(type)) {
            const node = cursor.currentNode;
            this.visit(node, type, scope, facts);
            if (SCOPES.has(type)) {
              facts.scopes.set(node.id, { kind: type, parent: scope, bindings: new Map() });
              scopeStack.push({ depth, id: node.id });
              this.bindParameters(node, facts);
            }
          }
        }
        if (cursor.gotoFirstChild()) {
          depth++;
          continue;
        }
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return facts;
          depth--;
        }
      }
    } finally {
      cursor.delete();
    }
  }

  /**
   * {@link walk} over the nodes of the types it reads only (`descendantsOfType`: one pre-order walk
   * inside the runtime), for trees without syntax errors. The enclosing scope of a node is the last
   * scope node (in pre-order) whose span still holds the node's start: siblings do not overlap, and
   * no node of these types is empty in an error-free tree.
   */
  private walkTyped(root: PythonNode, sweepStrings: boolean, facts: FileFacts): void {
    const scopeStack: Array<{ end: number; id: number }> = [{ end: Infinity, id: root.id }];
    for (const node of root.descendantsOfType(sweepStrings ? WALKED_TYPES : WALKED_TYPES_NO_STRINGS)) {
      const type = node.type;
      const start = node.startIndex;
      if (node.id === root.id) continue;
      while (scopeStack.length > 1 && scopeStack[scopeStack.length - 1].end <= start) scopeStack.pop();
      const scope = scopeStack[scopeStack.length - 1].id;
      if (type === 'comment') this.readComment(start, node.endIndex);
      else if (type === 'string') {
        if (sweepStrings) facts.strings.push({ start, end: node.endIndex });
      } else if (type === 'call') {
        const callee = node.firstChild;
        if (callee) facts.calls.push({ start, end: node.endIndex, calleeStart: callee.startIndex, calleeEnd: callee.endIndex, scope });
      } else if (SIMPLE_STATEMENTS.has(type) || type === 'keyword_argument') {
        this.result.statements.push({ startLine: this.pos(start).line, endLine: this.pos(node.endIndex).line });
      }
      if (NODE_TYPES.has(type)) {
        this.visit(node, type, scope, facts);
        if (SCOPES.has(type)) {
          facts.scopes.set(node.id, { kind: type, parent: scope, bindings: new Map() });
          scopeStack.push({ end: node.endIndex, id: node.id });
          this.bindParameters(node, facts);
        }
      }
    }
  }

  private readComment(start: number, nodeEnd: number): void {
    let lineStart = start;
    while (lineStart > 0 && this.text[lineStart - 1] !== '\n' && this.text[lineStart - 1] !== '\r') lineStart--;
    const standalone = this.text.slice(lineStart, start).trim() === '';
    // the grammar lets a comment run over a lone `\r`, which ends a line in LSP
    let end = start;
    while (end < nodeEnd && this.text[end] !== '\r' && this.text[end] !== '\n') end++;
    this.result.comments.push({ text: this.text.slice(start + 1, end), range: this.range(start, end), standalone });
  }

  private visit(node: PythonNode, type: string, scope: number, facts: FileFacts): void {
    if (type === 'assignment' || type === 'augmented_assignment') this.bindAssignment(node, type, scope, facts);
    else if (type === 'for_statement' || type === 'for_in_clause' || type === 'named_expression') {
      const target = node.childForFieldName(type === 'named_expression' ? 'name' : 'left');
      if (target) for (const id of targetNames(target)) bind(facts, scope, this.slice(id), {});
    } else if (type === 'function_definition' || type === 'class_definition') {
      const name = node.childForFieldName('name');
      if (name) {
        facts.defined.add(this.slice(name));
        bind(facts, scope, this.slice(name), {});
      }
    } else if (type === 'import_statement' || type === 'import_from_statement') this.readImport(node, type, facts);
  }

  private bindAssignment(node: PythonNode, type: string, scope: number, facts: FileFacts): void {
    const left = node.childForFieldName('left');
    if (!left) return;
    let value = node.childForFieldName('right');
    if (!value && type === 'assignment') return; // `x: str` declares, binds nothing
    while (value?.type === 'assignment') value = value.childForFieldName('right'); // `A = B = "1.8"`
    const names = targetNames(left);
    for (const id of names) {
      facts.defined.add(this.slice(id));
      bind(facts, scope, this.slice(id), type === 'assignment' && left.type === 'identifier' && value ? { value: spanOf(value), target: spanOf(id) } : {});
    }
  }

  private bindParameters(fn: PythonNode, facts: FileFacts): void {
    const params = fn.childForFieldName('parameters');
    if (!params) return;
    for (const p of params.namedChildren) {
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
      if (id && id.type === 'identifier') {
        facts.defined.add(this.slice(id));
        bind(facts, fn.id, this.slice(id), { parameter: true });
      }
    }
  }

  private readImport(node: PythonNode, type: string, facts: FileFacts): void {
    const add = (local: string, path: string) => {
      const list = facts.imports.get(local) ?? [];
      list.push(path);
      facts.imports.set(local, list);
    };
    if (type === 'import_statement') {
      for (const n of node.childrenForFieldName('name')) {
        if (n.type === 'dotted_name') {
          const first = n.namedChildren[0];
          if (first) add(this.slice(first), this.slice(first)); // `import sagemaker.pytorch` binds `sagemaker`
        } else if (n.type === 'aliased_import') {
          const name = n.childForFieldName('name');
          const alias = n.childForFieldName('alias');
          if (name && alias) add(this.slice(alias), dotted(this.slice(name)));
        }
      }
      return;
    }
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const module = moduleNode.type === 'relative_import' ? `.${dotted(this.slice(moduleNode))}` : dotted(this.slice(moduleNode));
    for (const n of node.childrenForFieldName('name')) {
      if (n.type === 'dotted_name') add(this.slice(n), `${module}.${dotted(this.slice(n))}`);
      else if (n.type === 'aliased_import') {
        const name = n.childForFieldName('name');
        const alias = n.childForFieldName('alias');
        if (name && alias) add(this.slice(alias), `${module}.${dotted(this.slice(name))}`);
      }
    }
  }

  /** What a callee is: an SDK callee, or undefined (not the SDK's, or not a name/attribute chain). */
  private sdkCallee(fn: PythonNode): SdkCallee | undefined {
    const segments: string[] = [];
    let n: PythonNode | null = fn;
    while (n && n.type === 'attribute') {
      const attr = n.childForFieldName('attribute');
      if (!attr) return undefined;
      segments.unshift(this.slice(attr));
      n = n.childForFieldName('object');
    }
    if (!n || n.type !== 'identifier') return undefined;
    segments.unshift(this.slice(n));
    const root = segments[0];
    const imported = this.facts.imports.get(root);
    let path: string[];
    if (imported) {
      // every import of the name must come from the SDK; an alias names what it was imported as
      const paths = imported.map((p) => [...p.split('.'), ...segments.slice(1)]);
      if (!paths.every((p) => p[0] === 'sagemaker')) return undefined;
      path = paths[0];
    } else if (this.facts.defined.has(root)) {
      return undefined;
    } else {
      // neither imported nor defined here: a bare SDK name, `sagemaker.…`, or `image_uris.retrieve` (imports in another cell)
      path = segments;
      const unboundOk = segments.length === 1 ? segments[0] !== 'retrieve' : root === 'sagemaker' || (root === 'image_uris' && segments.length === 2);
      if (!unboundOk) return undefined;
    }
    const name = path[path.length - 1];
    if (name === 'retrieve') return path[path.length - 2] === 'image_uris' ? { framework: '', form: 'retrieve' } : undefined;
    if (name === LLM_FUNCTION) return { framework: 'huggingface-llm', job: 'inference', form: 'llm' };
    const known = Object.hasOwn(SDK_CLASSES, name) ? SDK_CLASSES[name] : undefined;
    return known;
  }

  private readCall(call: PythonNode, scope: number): void {
    // an AWS CDK call is read by `cdk.ts`, with this scanner's value reading
    const { text, index, catalog } = this;
    if (readCdkCall(call, { text, index, catalog, mappings: this.options.mappings, references: this.result.references, notes: this.result.notes, consumed: this.cdkConsumed, resolve: (n) => this.resolve(spanOf(n), scope, 0) })) return;
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    if (!fn || !args || args.type !== 'argument_list') return;
    const callee = this.sdkCallee(fn);
    const values = new Map<string, PythonNode>();
    let positional = 0;
    for (const a of args.namedChildren) {
      if (a.type === 'keyword_argument') {
        // an argument the parser had to repair, or one followed by text that is not `,` or `)` (`py_version="x"arn:…`), is not read: its value's extent is a guess
        const next = a.nextSibling;
        if (a.hasError || (next && next.type !== ',' && next.type !== ')' && next.type !== 'comment')) continue;
        const name = a.childForFieldName('name');
        const value = a.childForFieldName('value');
        if (name && value) values.set(this.slice(name), value);
      } else if (a.type !== 'comment' && a.type !== 'list_splat' && a.type !== 'dictionary_splat') {
        const names = callee?.form === 'retrieve' ? RETRIEVE_POSITIONAL : callee?.form === 'llm' ? LLM_POSITIONAL : [];
        const p = names[positional++];
        if (p && !values.has(p)) values.set(p, a);
      }
    }
    const calleeText = this.slice(fn);
    const resolvedFrom: Array<{ name: string; range: Range }> = [];
    const read = (arg: string): Located | undefined => {
      const node = values.get(arg);
      if (!node) return undefined;
      const r = this.resolve(spanOf(node), scope, 0);
      if ('located' in r) {
        if (r.from.length) resolvedFrom.push(...r.from.filter((f) => !resolvedFrom.some((g) => g.name === f.name)));
        return r.located.text.trim() === '' ? undefined : r.located;
      }
      if (r.why && callee && VERSION_ARGUMENTS.has(arg)) {
        this.result.notes.push({ range: this.nodeRange(node), message: `cannot read ${arg} of ${calleeText}: ${r.why}; it is not judged` });
      }
      return undefined;
    };
    const instanceType = read('instance_type');
    const acceleratorType = read('accelerator_type');
    const isEia = (l: Located | undefined) => l !== undefined && l.text.trim().toLowerCase().startsWith('ml.eia');
    if (!callee) {
      if (!isEia(instanceType) && !isEia(acceleratorType)) return;
      const sdk: SdkFrameworkReference['sdk'] = { call: calleeText, callRange: this.nodeRange(fn), framework: '' };
      if (isEia(instanceType)) sdk.instanceType = instanceType;
      if (isEia(acceleratorType)) sdk.acceleratorType = acceleratorType;
      if (resolvedFrom.length) sdk.resolvedFrom = resolvedFrom;
      this.result.references.push({ kind: 'sdk-framework', subject: '', version: '', text: calleeText, range: sdk.callRange, sdk });
      return;
    }
    const sdk: SdkFrameworkReference['sdk'] = { call: calleeText, callRange: this.nodeRange(fn), framework: callee.framework };
    if (callee.job) sdk.job = callee.job;
    if (callee.form === 'retrieve') {
      const framework = read('framework');
      if (!framework) return;
      sdk.framework = framework.text.trim().toLowerCase();
      const scopeText = read('image_scope')?.text.trim().toLowerCase();
      if (scopeText === 'training') sdk.job = 'training';
      else if (scopeText?.startsWith('inference')) sdk.job = 'inference';
      const version = read('version');
      if (sdk.framework === 'huggingface') {
        if (version) sdk.transformersVersion = version;
        const base = read('base_framework_version');
        const split = base ? splitBaseFramework(base, (s, e) => this.located(s, e), this.index) : undefined;
        if (split) sdk.baseFrameworkVersion = split;
      } else if (version) sdk.frameworkVersion = version;
    } else if (callee.form === 'llm') {
      const version = read('version');
      if (version) sdk.frameworkVersion = version;
    } else {
      const fv = read('framework_version');
      if (fv) sdk.frameworkVersion = fv;
      const tv = read('transformers_version');
      if (tv) sdk.transformersVersion = tv;
      const pt = read('pytorch_version');
      const tf = read('tensorflow_version');
      if (pt) sdk.baseFrameworkVersion = { ...pt, framework: 'pytorch' };
      else if (tf) sdk.baseFrameworkVersion = { ...tf, framework: 'tensorflow' };
    }
    const py = read('py_version');
    if (py) sdk.pyVersion = py;
    if (instanceType) sdk.instanceType = instanceType;
    if (acceleratorType) sdk.acceleratorType = acceleratorType;
    if (resolvedFrom.length) sdk.resolvedFrom = resolvedFrom;
    const subject = sdk.framework === 'huggingface' && sdk.baseFrameworkVersion ? `huggingface-${sdk.baseFrameworkVersion.framework}` : sdk.framework;
    const version = sdk.framework === 'huggingface' ? (sdk.baseFrameworkVersion?.text ?? '') : (sdk.frameworkVersion?.text ?? '');
    this.result.references.push({ kind: 'sdk-framework', subject, version, text: calleeText, range: sdk.callRange, sdk });
  }

  /** Reads a value: a string literal, or a constant of the same function or module that holds one. */
  private resolve(value: Span, scope: number, depth: number): Resolved {
    if (depth > MAX_RESOLVE_DEPTH) return { why: 'constants refer to each other too deeply' };
    switch (value.type) {
      case 'string':
        return this.stringValue(value);
      case 'none':
        return {};
      case 'identifier': {
        const name = this.text.slice(value.start, value.end);
        const found = this.lookup(name, scope);
        if (!found) return { why: `\`${name}\` is not assigned in this file` };
        const { binding, scope: where } = found;
        if (binding.parameter) return { why: `\`${name}\` is a parameter` };
        if (binding.count > 1) return { why: `\`${name}\` is assigned more than once` };
        if (!binding.value || !binding.target) return { why: `\`${name}\` is not assigned a string` };
        const r = this.resolve(binding.value, where, depth + 1);
        if (!('located' in r)) return r.why ? { why: r.why } : {};
        return { located: r.located, from: [{ name, range: this.range(binding.target.start, binding.target.end) }, ...r.from] };
      }
      default: {
        const written = this.text.slice(value.start, Math.min(value.end, value.start + 4 * MAX_NOTE_EXPRESSION)).replace(/\s+/g, ' ');
        const short = written.length > MAX_NOTE_EXPRESSION || value.end - value.start > 4 * MAX_NOTE_EXPRESSION ? `${written.slice(0, MAX_NOTE_EXPRESSION)}…` : written;
        return { why: `\`${short}\` is not a string literal or a constant of this file` };
      }
    }
  }

  /** The binding of `name` seen from `scope`: the scope itself, then enclosing functions and the module (class bodies are not seen from inside methods). */
  private lookup(name: string, scope: number): { binding: Binding; scope: number } | undefined {
    let id: number | undefined = scope;
    let first = true;
    while (id !== undefined) {
      const s = this.facts.scopes.get(id);
      if (!s) return undefined;
      if (first || s.kind !== 'class_definition') {
        const b = s.bindings.get(name);
        if (b) return { binding: b, scope: id };
      }
      first = false;
      id = s.parent;
    }
    return undefined;
  }

  /** The content of a plain string literal (inside its quotes), or why it is not one. */
  private stringValue(value: Span): Resolved {
    const q = quotedContent(this.text, value.start, value.end);
    if (!q) return { why: 'the string is not terminated' };
    const content = this.text.slice(q.start, q.end);
    // a one-quote string ends at its line (Python's lexer takes CR, LF and CRLF for line ends; the grammar's does not take a lone CR)
    if (!q.triple && /[\r\n]/.test(content)) return { why: 'the string is not terminated on its line' };
    if (/[fF]/.test(q.prefix) && content.includes('{')) return { why: 'an f-string with replacement fields' };
    if (/[bB]/.test(q.prefix)) return { why: 'a bytes literal' };
    if (!/[rR]/.test(q.prefix) && content.includes('\\')) return { why: 'a string with escape sequences' };
    return { located: this.located(q.start, q.end), from: [] };
  }

  /** Image URIs, DLAMI names and SSM paths in a string's content as written (f-string fields are placeholders). */
  private readString(start: number, end: number): void {
    const q = quotedContent(this.text, start, end);
    if (!q || q.end <= q.start || this.cdkConsumed.has(q.start)) return;
    const inner = this.text.slice(q.start, q.end);
    const at = (o: number) => this.pos(q.start + o);
    const stringEnd = at(inner.trimEnd().length);
    for (const ref of findImageReferences(inner, at, this.catalog, { mappings: this.options.mappings })) {
      if (ref.image.family !== 'dlc' && ref.image.family !== 'mapped') continue;
      // a repository a tag is appended to in code (`f"{repository}:{tag}"`) is not an untagged image: a note, not a reference
      if (isRepositoryPrefix(ref, stringEnd)) this.result.notes.push(repositoryPrefixNote(ref));
      else this.result.references.push(ref);
    }
    this.result.references.push(...findDlamiReferences(inner, at, this.catalog));
  }
}

/** Node types the walk makes tree nodes for (bindings, definitions, imports). */
const NODE_TYPES = new Set([
  'assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'named_expression', 'function_definition', 'class_definition', 'lambda',
  'import_statement', 'import_from_statement',
]);

/** Every node type {@link PythonFile.walk} reads. */
const WALKED_TYPES = ['comment', 'string', 'call', 'keyword_argument', ...SIMPLE_STATEMENTS, ...NODE_TYPES];
/** {@link WALKED_TYPES} without strings, for files whose strings cannot hold an image or DLAMI. */
const WALKED_TYPES_NO_STRINGS = WALKED_TYPES.filter((t) => t !== 'string');

function spanOf(n: PythonNode): Span {
  return { type: n.type, start: n.startIndex, end: n.endIndex };
}

/** The call node at a call site's offsets (the smallest node there, or the call above it with the same offsets). */
function callAt(root: PythonNode, site: CallSite): PythonNode | undefined {
  let n: PythonNode | null = root.descendantForIndex(site.start, site.end);
  while (n && n.type !== 'call' && n.startIndex === site.start && n.endIndex === site.end) n = n.parent;
  return n && n.type === 'call' && n.startIndex === site.start && n.endIndex === site.end ? n : undefined;
}

const isNameChar = (c: string) => /[\p{L}\p{N}_]/u.test(c);

/** The last name of a callee's text (`PyTorch` of `sagemaker.pytorch.PyTorch`), read backwards from its end. */
function lastName(text: string, start: number, end: number): string {
  let i = end;
  while (i > start && isNameChar(text[i - 1])) i--;
  return text.slice(i, end);
}

/**
 * The content offsets of a string literal written at `[start, end)`: after its prefix (`f`, `rb`, …)
 * and opening quote(s), before the closing ones. Undefined when the literal is not terminated there.
 */
function quotedContent(text: string, start: number, end: number): { start: number; end: number; prefix: string; triple: boolean } | undefined {
  let i = start;
  while (i < end && i - start < 3 && /[a-zA-Z]/.test(text[i])) i++;
  const q = text[i];
  if (q !== '"' && q !== "'") return undefined;
  const quote = text.startsWith(q.repeat(3), i) && end - i >= 6 ? q.repeat(3) : q;
  const from = i + quote.length;
  const to = end - quote.length;
  if (to < from || !text.startsWith(quote, to)) return undefined;
  return { start: from, end: to, prefix: text.slice(start, i), triple: quote.length === 3 };
}

function bind(facts: FileFacts, scope: number, name: string, what: Omit<Binding, 'count'>): void {
  const s = facts.scopes.get(scope);
  if (!s) return;
  const b = s.bindings.get(name);
  if (b) {
    b.count++;
    b.value = undefined;
    b.target = undefined;
    b.parameter ||= what.parameter;
  } else s.bindings.set(name, { count: 1, ...what });
}

/** The identifiers an assignment target binds (`a`, `a, b`, `[a, *b]`); attributes and subscripts bind none. */
function targetNames(target: PythonNode): PythonNode[] {
  const out: PythonNode[] = [];
  const stack = [target];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier') out.push(n);
    else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'list_splat_pattern', 'parenthesized_expression', 'expression_list'].includes(n.type)) stack.push(...n.namedChildren);
  }
  return out;
}

/** A dotted name without whitespace or comments inside (`sagemaker . pytorch` → `sagemaker.pytorch`). */
function dotted(text: string): string {
  return text.replace(/#[^\n\r]*/g, '').replace(/\s+/g, '');
}

/** `pytorch1.13.1` (the `base_framework_version=` of `image_uris.retrieve` for Hugging Face) → PyTorch `1.13.1`, located. */
function splitBaseFramework(value: Located, located: (s: number, e: number) => Located, index: TextIndex): (Located & { framework: string }) | undefined {
  const m = /^(pytorch|tensorflow)(\d[\w.]{0,40})$/.exec(value.text);
  if (!m) return undefined;
  const start = index.offsetAt(value.range.start) + m[1].length;
  return { ...located(start, start + m[2].length), framework: m[1] };
}

/**
 * Scans a Python file for SageMaker SDK calls, DLC image URIs, DLAMI names and SSM parameter paths.
 * Synchronous: the parser must have been loaded with `initPythonParser()` before; otherwise (or
 * when loading failed) the result holds one note, {@link PYTHON_PARSER_NOT_LOADED}, and no
 * references. Files that mention no SageMaker, ECR or DLAMI word are not parsed (see the module
 * comment). Ranges are LSP ranges (0-based lines, UTF-16 characters); never throws.
 */
export function scanPython(text: string, catalog: Catalog, options: PythonScanOptions = {}): ScanResult {
  const empty: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  const origin = { line: 0, character: 0 };
  if (typeof text !== 'string') return empty;
  if (!options.alwaysParse && !mayReferenceSageMaker(text)) return empty;
  let tree: PythonTree | undefined;
  try {
    tree = parsePython(text);
    // not parsed: the parser is not loaded, or the text is indented deep enough to corrupt the parser's memory for the rest of the process
    if (!tree) return { ...empty, notes: [{ range: { start: origin, end: origin }, message: pythonIndentationNote(text) ?? PYTHON_PARSER_NOT_LOADED }] };
    const file = new PythonFile(text, catalog, options);
    file.read(tree);
    return file.result;
  } catch (e) {
    return { ...empty, notes: [{ range: { start: origin, end: origin }, message: `could not read the Python file: ${e instanceof Error ? e.message : String(e)}` }] };
  } finally {
    tree?.delete();
  }
}
