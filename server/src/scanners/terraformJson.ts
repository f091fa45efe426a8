/**
 * Scanner for Terraform files in JSON syntax (`*.tf.json`, `*.tfvars.json`; references.md
 * "Terraform / HCL"). The file is read with `jsonc-parser` (offsets of every value; a broken file
 * still yields the tree it could build) into the same model as the HCL scanner
 * (`terraform.ts`), which finds the same things with the same semantics: JSON syntax writes a block
 * `resource "aws_sagemaker_model" "m" { … }` as `{"resource": {"aws_sagemaker_model": {"m": {…}}}}`
 * and repeated blocks as arrays of objects. Expressions that choose (conditionals, map lookups) are
 * written inside `"${…}"` strings in this syntax and are not parsed: they stay placeholders.
 *
 * Strings are Terraform templates here too: after the JSON escapes are decoded (each decoded
 * character keeps the offsets of what is written), `${…}` interpolations and `%{…}` directives
 * are found (`$${` and `%%{` are a literal `${` / `%{`), and `var.x` / `local.x` interpolations are
 * substituted from the file's variable defaults and locals. Every string value is swept for images,
 * DLAMI names and SSM paths (keys are names, not swept), even when the file nests too deeply for a
 * tree to be built (strings are then read token by token).
 *
 * Comments: Terraform's JSON comment, a `"//"` property (its text is the string's content as
 * written, its range runs from the key's opening quote to the value's closing quote), and the
 * `//` and `/* *\/` comments that jsonc-parser tolerates. Never throws; ranges are LSP ranges
 * inside the text.
 */
import type { Node as JsonNode } from 'jsonc-parser';
import { createScanner, parseTree, ScanError, SyntaxKind } from 'jsonc-parser';
import type { Catalog } from '../catalog/catalog';
import type { Comment, Position, ScanResult } from '../model';
import { TextIndex } from '../text';
import type { TerraformScanOptions, TfEntry, TfInterp, TfModel, TfRun, TfString, TfValue } from './terraform';
import { readTerraformModel } from './terraform';

/** Nesting deeper than this is not read into the model (strings inside are still swept). */
const MAX_DEPTH = 48;

/** A decoded character and the offsets `[s, e)` it is written at; `direct` when written as itself. */
interface Char {
  c: string;
  s: number;
  e: number;
  direct: boolean;
}

const JSON_ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

/** The characters of JSON string content written at `[a, b)`, escapes decoded (a malformed escape is kept as written). */
function decodeJson(text: string, a: number, b: number): Char[] {
  const out: Char[] = [];
  let i = a;
  while (i < b) {
    const c = text[i];
    if (c === '\\' && i + 1 < b) {
      const n = text[i + 1];
      const simple = JSON_ESCAPES.get(n);
      if (simple !== undefined) {
        out.push({ c: simple, s: i, e: i + 2, direct: false });
        i += 2;
        continue;
      }
      const hex = text.slice(i + 2, i + 6);
      if (n === 'u' && i + 6 <= b && /^[0-9a-fA-F]{4}$/.test(hex)) {
        out.push({ c: String.fromCharCode(parseInt(hex, 16)), s: i, e: i + 6, direct: false });
        i += 6;
        continue;
      }
    }
    out.push({ c, s: i, e: i + 1, direct: true });
    i++;
  }
  return out;
}

/** `var.x` / `local.x` as the whole of an interpolation's expression (strip markers `~` allowed). */
const TRAVERSAL = /^\s*(?:~\s*)?(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)\s*(?:~\s*)?$/; // no two `\s*` in a row: linear

/** Splits decoded characters into runs and interpolations, as Terraform reads a template. */
function templateParts(text: string, chars: readonly Char[]): Array<TfRun | TfInterp> {
  const parts: Array<TfRun | TfInterp> = [];
  const pushChar = (ch: Char) => {
    const last = parts[parts.length - 1];
    if (ch.direct && last?.kind === 'run' && last.direct && last.e === ch.s) {
      last.text += ch.c;
      last.e = ch.e;
    } else parts.push({ kind: 'run', text: ch.c, s: ch.s, e: ch.e, direct: ch.direct });
  };
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i];
    const marker = ch.c === '$' || ch.c === '%';
    if (marker && chars[i + 1]?.c === ch.c && chars[i + 2]?.c === '{') {
      parts.push({ kind: 'run', text: ch.c, s: ch.s, e: chars[i + 1].e, direct: false });
      i += 2;
      continue;
    }
    if (marker && chars[i + 1]?.c === '{') {
      const close = closingBrace(chars, i + 2);
      if (close !== undefined) {
        const s = ch.s;
        const e = chars[close].e;
        const inner = chars.slice(i + 2, close).map((x) => x.c).join('');
        const m = ch.c === '$' ? TRAVERSAL.exec(inner) : null;
        parts.push({ kind: 'interp', s, e, written: text.slice(s, e), directive: ch.c === '%', ...(m ? { ref: { root: m[1] as 'var' | 'local', name: m[2] } } : {}) });
        i = close + 1;
        continue;
      }
    }
    pushChar(ch);
    i++;
  }
  return parts;
}

/** The index of the `}` closing an interpolation whose expression starts at `from` (nested braces and quoted strings skipped). */
function closingBrace(chars: readonly Char[], from: number): number | undefined {
  let depth = 0;
  let quoted = false;
  for (let j = from; j < chars.length; j++) {
    const c = chars[j].c;
    if (quoted) {
      if (c === '\\') j++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return j;
      depth--;
    }
  }
  return undefined;
}

/** Reads a JSON file into the model shared with the HCL scanner. */
class JsonModelBuilder {
  private readonly strings = new Map<number, TfString>();
  private readonly allEntries: TfEntry[] = [];
  private readonly comments: Comment[] = [];
  /** Offsets of the values of `"//"` properties: comments, not swept. */
  private readonly commentStrings = new Set<number>();

  constructor(private readonly text: string, private readonly index: TextIndex) {}

  private pos(o: number): Position {
    return this.index.positionAt(Math.min(Math.max(o, 0), this.text.length));
  }

  build(): TfModel {
    const src = this.text.charCodeAt(0) === 0xfeff ? ` ${this.text.slice(1)}` : this.text;
    this.tokens(src);
    let entries: TfEntry[] = [];
    try {
      const root = parseTree(src, [], { allowTrailingComma: true, disallowComments: false });
      if (root) {
        const value = this.value(root, 0);
        if (value.t === 'obj') entries = value.entries;
        else if (value.t === 'list') entries = value.items.flatMap((x) => (x.t === 'obj' ? x.entries : []));
      }
    } catch {
      // nested too deeply for the parser: the strings read token by token are still swept
    }
    const strings = [...this.strings.values()].filter((x) => !this.commentStrings.has(x.s)).sort((a, b) => a.s - b.s);
    return { entries, strings, allEntries: this.allEntries, comments: this.comments.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character), rawSpans: [] };
  }

  /** One pass of the JSON scanner (no recursion): string values, comments, and `"//"` properties. */
  private tokens(src: string): void {
    const scanner = createScanner(src, false);
    type Tok = { kind: SyntaxKind; s: number; e: number; unterminated: boolean };
    const toks: Tok[] = [];
    for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
      const s = scanner.getTokenOffset();
      const e = s + scanner.getTokenLength();
      if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
        const block = kind === SyntaxKind.BlockCommentTrivia;
        const close = block && e - s >= 4 && src.startsWith('*/', e - 2) ? e - 2 : e;
        let end = e;
        if (!block) for (end = s; end < e && src[end] !== '\r' && src[end] !== '\n'; end++);
        this.comments.push({ text: src.slice(s + 2, block ? close : end), range: { start: this.pos(s), end: this.pos(end) }, standalone: this.alone(s, end) });
      } else if (kind !== SyntaxKind.Trivia && kind !== SyntaxKind.LineBreakTrivia) {
        toks.push({ kind, s, e, unterminated: scanner.getTokenError() === ScanError.UnexpectedEndOfString });
      }
      if (toks.length > 2_000_000) break;
    }
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k];
      if (t.kind !== SyntaxKind.StringLiteral) continue;
      const isKey = toks[k + 1]?.kind === SyntaxKind.ColonToken;
      if (!isKey) {
        this.stringAt(t.s, t.e, t.unterminated);
        continue;
      }
      const value = toks[k + 2];
      if (src.slice(t.s, t.e) === '"//"' && value?.kind === SyntaxKind.StringLiteral) {
        const str = this.stringAt(value.s, value.e, value.unterminated);
        this.commentStrings.add(value.s);
        this.comments.push({ text: src.slice(str.cs, str.ce), range: { start: this.pos(t.s), end: this.pos(value.e) }, standalone: this.alone(t.s, value.e) });
      }
    }
  }

  /** Nothing but blanks, commas and braces before `s` and after `e` on their lines. */
  private alone(s: number, e: number): boolean {
    let i = s;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    let j = e;
    while (j < this.text.length && this.text[j] !== '\n' && this.text[j] !== '\r') j++;
    return /^[\s{,\uFEFF]*$/.test(this.text.slice(i, s)) && /^[\s,]*$/.test(this.text.slice(e, j));
  }

  /** The model string of the string token or node written at `[s, e)` (memoised by offset). */
  private stringAt(s: number, e: number, unterminated?: boolean): TfString {
    const known = this.strings.get(s);
    if (known) return known;
    const cs = Math.min(s + 1, e);
    let closed = !unterminated && e - s >= 2 && this.text[e - 1] === '"';
    if (closed && unterminated === undefined) {
      let bs = 0;
      for (let i = e - 2; i >= cs && this.text[i] === '\\'; i--) bs++;
      closed = bs % 2 === 0;
    }
    const ce = closed ? e - 1 : e;
    const str: TfString = { s, e, cs, ce, parts: templateParts(this.text, decodeJson(this.text, cs, ce)) };
    this.strings.set(s, str);
    return str;
  }

  private value(node: JsonNode, depth: number): TfValue {
    const s = node.offset;
    const e = node.offset + node.length;
    if (depth > MAX_DEPTH) return { t: 'other', s, e, inner: [] };
    switch (node.type) {
      case 'string':
        return { t: 'str', s, e, str: this.stringAt(s, e) };
      case 'number':
        return { t: 'num', s, e };
      case 'array':
        return { t: 'list', s, e, items: (node.children ?? []).map((c) => this.value(c, depth + 1)) };
      case 'object': {
        const entries: TfEntry[] = [];
        for (const p of node.children ?? []) {
          const [k, v] = p.children ?? [];
          if (!k || !v || typeof k.value !== 'string') continue;
          const pe = p.offset + p.length;
          const keyRange = { s: Math.min(k.offset + 1, k.offset + k.length), e: Math.max(k.offset + 1, k.offset + k.length - 1) };
          const entry: TfEntry = { key: k.value, keyRange, value: this.value(v, depth + 1), s: p.offset, e: pe, stmt: { s: p.offset, e: pe } };
          this.allEntries.push(entry);
          entries.push(entry);
        }
        return { t: 'obj', s, e, entries };
      }
      default:
        return { t: 'other', s, e, inner: [] };
    }
  }
}

/**
 * Scans a Terraform file in JSON syntax (`*.tf.json`, `*.tfvars.json`) for container images,
 * DLAMI names and filters, SSM parameter paths, Elastic Inference accelerators and the SageMaker
 * Hugging Face module's versions, with the
 * semantics of `scanTerraform` (references.md "Terraform / HCL").
 * @param text the whole file (a BOM is accepted)
 * @param catalog recognises DLC images and DLAMI families
 * @param options the policy file's image mappings
 * @returns references, comments (`"//"` properties and tolerated `//`, `/* *\/` comments),
 *   statements and notes with LSP ranges (0-based lines, UTF-16 characters); `includes` and
 *   `indexUrls` are always empty. Never throws.
 */
export function scanTerraformJson(text: string, catalog: Catalog, options: TerraformScanOptions = {}): ScanResult {
  const origin = { line: 0, character: 0 };
  const empty: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  if (typeof text !== 'string') return empty;
  try {
    const index = new TextIndex(text);
    const model = new JsonModelBuilder(text, index).build();
    return readTerraformModel(text, model, catalog, options, index);
  } catch (e) {
    return { ...empty, notes: [{ range: { start: origin, end: origin }, message: `could not read the Terraform JSON file: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}
