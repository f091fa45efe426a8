/**
 * Scanner for Dockerfiles and Containerfiles. `dockerfile-ast` splits the file into instructions
 * (with the `# escape=` directive, comments and here-documents); the arguments of `FROM`, `ARG`
 * and `RUN` are then read here with a map from every character back to the offset it is written
 * at, because a reference's parts must carry exact ranges across line continuations, quotes and
 * `ARG` substitution.
 *
 * What it reads, following the Dockerfile reference (docs.docker.com/reference/dockerfile):
 * - `FROM [--platform=…] image [AS name]`: the image is classified by the image recogniser
 *   (`dlc`, `base` or policy-`mapped`); `scratch` and earlier stage names are not images.
 * - `ARG name[=default]` before the first `FROM` (the only `ARG`s a `FROM` sees): defaults are
 *   substituted into `FROM` for `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}` and
 *   `${VAR+word}`, chains (`ARG B=${A}`) included; each character of the substituted image keeps
 *   the range it is written at, so a part taken from an `ARG` default points into that default
 *   (what a fix edits). An `ARG` without a default is not guessed: the `FROM` gets a note.
 * - `RUN` in shell form and exec form (`["pip", "install", …]`, `["/bin/sh", "-c", "…"]`): package
 *   installs, read by `shellInstalls.ts`.
 * It also returns comments, the line span of every instruction (for suppression comments) and
 * notes. It never throws and every range lies inside the text.
 *
 * Editing: the split into instructions is kept for the last text; the next version of a document
 * re-parses only the instructions an edit touches (the result equals a full parse; see `resplit`),
 * and reads again only the `RUN` instructions whose text changed (see `RunMemo`).
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { Instruction } from 'dockerfile-ast';
import type { Catalog } from '../catalog/catalog';
import type { ImageReference, Include, PackagePinReference, Position, Range, ScanNote, ScanResult } from '../model';
import type { ImageMapping } from '../policy/images';
import { TextIndex } from '../text';
import { recognizeImage } from './images';
import { LastScanMemo } from './lastScanMemo';
import { mapRanges } from './ranges';
import type { DocPosition, InstallSink, MappedText, ShellWord } from './shellInstalls';
import { scanInstallCommand, scanShellInstalls, spanRange } from './shellInstalls';

/** Options for {@link scanDockerfile}. */
export interface DockerfileScanOptions {
  /** A policy file's `[[images]]` mappings: internal images built on DLCs, passed to the image recogniser. */
  mappings?: readonly ImageMapping[];
}

/** The `ARG` whose default holds a character of a substituted image. */
interface VarSource {
  variable: string;
  /** Range of the default value as written (inside quotes when it is quoted). */
  range: Range;
}

/**
 * One level of where a character of a substituted text comes from: the document span `[s, e)` of
 * the text that produced it at that level (a `${VAR}` expression, or the character itself at the
 * innermost level), and the `ARG` default that span is written in (undefined: the instruction
 * being read).
 */
interface Frame {
  s: number;
  e: number;
  in?: VarSource;
}

/**
 * A text built by substitution. For each character, its frames from the outermost expression to
 * the character as written (the last frame, one code unit wide).
 */
interface Expanded {
  text: string;
  frames: Frame[][];
}

/** A variable that could not be resolved, at logical offsets `[from, to)` of the expression. */
interface Problem {
  from: number;
  to: number;
  /** The expression as `${NAME}`. */
  variable: string;
  why: string;
  /** The first cause down a chain of ARGs (`ARG has no default`). */
  root: string;
}

const problemMessage = (p: Problem) => `cannot resolve ${p.variable}: ${p.why}; the image is not judged`;

/** A global `ARG`: its default (null when it has none) or why the default cannot be read. */
interface ArgValue {
  value: Expanded | null;
  range?: Range;
  unresolved?: string;
  /** The first cause when the default cannot be read. */
  root?: string;
}

/** The platform `ARG`s BuildKit defines in the global scope. */
const AUTOMATIC_ARGS = new Set([
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
]);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const MAX_DEPTH = 16;

/**
 * Scans a Dockerfile.
 * @param text the whole file (a BOM and any line endings are accepted)
 * @param catalog used to recognise DLC images and framework packages
 * @returns image references (`FROM`), package pins and includes (`RUN` installs), index URLs,
 *   comments, instruction line spans and notes, with LSP ranges (0-based, UTF-16); never throws
 */
export function scanDockerfile(text: string, catalog: Catalog, options: DockerfileScanOptions = {}): ScanResult {
  const result: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  const origin: Position = { line: 0, character: 0 };
  try {
    const index = new TextIndex(text);
    const pos: DocPosition = (o) => index.positionAt(Math.min(Math.max(o, 0), text.length));
    const parsed = splitInstructions(text, index);
    runs.begin(text, catalog);
    const escape = parsed.escape;
    for (const start of parsed.comments) {
      if (text[start] !== '#') continue;
      let end = start;
      while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
      result.comments.push({ text: text.slice(start + 1, end), range: { start: pos(start), end: pos(end) }, standalone: true });
    }
    const env = new Map<string, ArgValue>();
    const stages = new Set<string>();
    const frameworkHint = { framework: frameworkNamedByArgs(text, catalog) };
    let seenFrom = false;
    for (const instruction of parsed.instructions) {
      const r = { start: pos(instruction.start), end: pos(instruction.end) };
      try {
        const endLine = r.end.line > r.start.line && r.end.character === 0 ? r.end.line - 1 : r.end.line;
        result.statements.push({ startLine: r.start.line, endLine });
        const keyword = instruction.keyword;
        if (keyword !== 'FROM' && keyword !== 'ARG' && keyword !== 'RUN') continue;
        const argsStart = instruction.argsStart;
        if (argsStart === undefined) continue;
        if (keyword === 'RUN') {
          runs.read(text, instruction, r.start, escape, result, (sink) => {
            scanRun(argumentsText(text, argsStart, instruction.end, escape), catalog, pos, sink);
            // a pin's text is what the file holds at its range (quotes inside a word included)
            for (const ref of sink.references) ref.text = text.slice(index.offsetAt(ref.range.start), index.offsetAt(ref.range.end));
          });
          continue;
        }
        const args = argumentsText(text, argsStart, instruction.end, escape);
        if (keyword === 'ARG') {
          if (!seenFrom) readArgs(args, escape, env, pos);
          scanFrameworkVersionArgs(args, escape, catalog, pos, frameworkHint, result);
        } else {
          seenFrom = true;
          scanFrom(text, index, args, escape, env, stages, catalog, options, pos, result);
        }
      } catch (e) {
        result.notes.push({ range: r, message: `instruction skipped: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
  } catch (e) {
    result.notes.push({ range: { start: origin, end: origin }, message: `could not read the Dockerfile: ${e instanceof Error ? e.message : String(e)}` });
  }
  return result;
}

/** What reading one `RUN` instruction added to a scan (its pins, includes, index URLs and notes). */
interface RunRead {
  references: PackagePinReference[];
  includes: Include[];
  indexUrls: string[];
  notes: ScanNote[];
}

/**
 * What the `RUN` instructions of the last scan read, by instruction text: the next version of a
 * document reads only the `RUN`s an edit changed again, and copies the others' results to their
 * (possibly moved) lines.
 *
 * A `RUN` is read from its own text alone (`scanRun` sees no `ARG`, stage or other instruction),
 * so the same text starting at the same column gives the same results, with every line moved by
 * the difference of the keyword's lines: the key is the escape character, the keyword's column and
 * the instruction's text, results are kept with lines relative to the keyword's line. What is kept
 * and when it is reused (one document's worth, one catalog, an unchanged text read in full) is
 * {@link LastScanMemo}'s.
 */
class RunMemo {
  private readonly memo = new LastScanMemo<RunRead>();

  /** Starts a scan of `text` under `catalog` (see {@link LastScanMemo.begin}). */
  begin(text: string, catalog: Catalog): void {
    this.memo.begin(text, [catalog]);
  }

  /** How many `RUN` instructions were read rather than taken over (for tests). */
  get reads(): number {
    return this.memo.computed;
  }

  /**
   * Adds what the `RUN` instruction `[instruction.start, instruction.end)` of `text`, whose keyword
   * is at `start`, reads to `out`: from the memo when the same text was read at the same column in
   * the last scan, else by `read` (which writes into the sink it is given, in this scan's positions).
   */
  read(text: string, instruction: Split, start: Position, escape: string, out: ScanResult, read: (sink: RunRead) => void): void {
    const found = this.memo.get(`${escape}${start.character}:${text.slice(instruction.start, instruction.end)}`, () => {
      const sink: RunRead = { references: [], includes: [], indexUrls: [], notes: [] };
      read(sink);
      return mapRanges(sink, (range) => moveLines(range, -start.line));
    });
    if (found.references.length + found.includes.length + found.notes.length === 0) {
      out.indexUrls.push(...found.indexUrls);
      return;
    }
    const placed = mapRanges(found, (range) => moveLines(range, start.line));
    out.references.push(...placed.references);
    out.includes.push(...placed.includes);
    out.indexUrls.push(...placed.indexUrls);
    out.notes.push(...placed.notes);
  }
}

/** A range moved by `lines` lines (characters unchanged). */
function moveLines(range: Range, lines: number): Range {
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}

const runs = new RunMemo();

/** How many `RUN` instructions have been read, not taken over from the last scan of the document (for tests). */
export function runReads(): number {
  return runs.reads;
}

/** One instruction as `dockerfile-ast` splits the text, in offsets of the text. */
interface Split {
  /** The keyword in upper case (`RUN`). */
  keyword: string;
  /** Offset of the keyword. */
  start: number;
  /** For `FROM`, `ARG` and `RUN`: offset of the first argument after any flags (undefined: none, or another keyword). */
  argsStart?: number;
  /** Offset of the instruction's end (the line break that ends it, or the end of the text). */
  end: number;
}

/** A text split into instructions and comments by `dockerfile-ast`. */
interface SplitText {
  /** The escape character (`\\` unless a `# escape=` directive says otherwise). */
  escape: string;
  instructions: Split[];
  /** Offsets where the library's comments start (parser directives are not comments). */
  comments: number[];
}

/** The last text split and its result, so that the next version of the same document re-parses only what an edit touched. */
let lastSplit: { text: string; split: SplitText } | undefined;

/**
 * Splits a Dockerfile into instructions and comments with `dockerfile-ast`. When the text is an
 * edit of the previous text split, only the instructions from the last one starting before the
 * edit up to the first one starting after it are parsed again (see {@link resplit}); the rest is
 * taken over, shifted by the edit's change in length. The result equals a full parse.
 */
function splitInstructions(text: string, index: TextIndex): SplitText {
  const previous = lastSplit;
  const split = (previous && resplit(previous.text, previous.split, text)) ?? parseSplit(text, index);
  lastSplit = { text, split };
  return split;
}

/** A full parse (as the scanner always did). */
function parseSplit(text: string, index: TextIndex): SplitText {
  // dockerfile-ast reads parser directives in time quadratic in the first line when the text has no
  // line break (`####…#`: 50 KB took 47 s); a line break at the end changes no instruction or offset
  const doc = DockerfileParser.parse(/[\r\n]/.test(text) ? text : `${text}\n`);
  return {
    escape: doc.getEscapeCharacter() || '\\',
    instructions: doc.getInstructions().map((i) => splitOf(i, index, 0)),
    comments: doc.getComments().map((c) => index.offsetAt(c.getRange().start)),
  };
}

/** An instruction in offsets (`shift` added); the arguments are located for the keywords the scanner reads only. */
function splitOf(instruction: Instruction, index: TextIndex, shift: number): Split {
  const keyword = instruction.getKeyword().toUpperCase();
  const range = instruction.getRange();
  const args = keyword === 'FROM' || keyword === 'ARG' || keyword === 'RUN' ? instruction.getArgumentsRange() : null;
  return { keyword, start: index.offsetAt(range.start) + shift, argsStart: args ? index.offsetAt(args.start) + shift : undefined, end: index.offsetAt(range.end) + shift };
}

/**
 * Re-splits `text`, an edit of `old` (split as `split`), parsing only the part the edit can change;
 * undefined when that cannot be shown to equal a full parse (then the caller parses in full).
 *
 * `dockerfile-ast` reads left to right and starts each instruction afresh at its keyword, with only
 * the escape character carried over from the parser directives. With `p` the length of the common
 * prefix and `s` of the common suffix: every instruction before the last one starting before `p`
 * (instruction `a`) ends before it, so it is unchanged; the text from the first old instruction
 * starting inside the common suffix (instruction `b`) to the end is unchanged, and the library is
 * at the start of an instruction there when the re-parsed part `[start of a, start of b)` has every
 * instruction and comment ending strictly inside it (none runs to its end: no continued line or
 * here-document reaching past it). The re-parsed part starts with a keyword, so the library reads
 * no parser directives in it; texts with a non-default escape character are always parsed in full.
 */
function resplit(old: string, split: SplitText, text: string): SplitText | undefined {
  // an unchanged text is parsed again in full (a re-analysis after a settings change; benchmarks of one text)
  if (split.escape !== '\\' || split.instructions.length === 0 || old === text) return undefined;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const ins = split.instructions;
  let a = -1;
  while (a + 1 < ins.length && ins[a + 1].start < p) a++;
  if (a < 0) return undefined;
  let b = a + 1;
  while (b < ins.length && ins[b].start < old.length - s) b++;
  const delta = text.length - old.length;
  const from = ins[a].start;
  const to = b < ins.length ? ins[b].start + delta : text.length;
  const part = text.slice(from, to);
  const doc = DockerfileParser.parse(part);
  if (doc.getEscapeCharacter() && doc.getEscapeCharacter() !== '\\') return undefined;
  const local = new TextIndex(part);
  const middle = doc.getInstructions().map((i) => splitOf(i, local, from));
  const middleComments = doc.getComments().map((c) => ({ start: local.offsetAt(c.getRange().start) + from, end: local.offsetAt(c.getRange().end) + from }));
  if (middle.length === 0 || middle[0].start !== from) return undefined;
  if (to < text.length && (middle.some((i) => i.end >= to) || middleComments.some((c) => c.end >= to))) return undefined;
  const oldTo = b < ins.length ? ins[b].start : old.length;
  return {
    escape: '\\',
    instructions: [
      ...ins.slice(0, a),
      ...middle,
      ...ins.slice(b).map((i) => ({ keyword: i.keyword, start: i.start + delta, argsStart: i.argsStart === undefined ? undefined : i.argsStart + delta, end: i.end + delta })),
    ],
    comments: [
      ...split.comments.filter((c) => c < from),
      ...middleComments.map((c) => c.start),
      ...split.comments.filter((c) => c >= oldTo).map((c) => c + delta),
    ],
  };
}

/**
 * The arguments of an instruction as the builder sees them: escaped line breaks removed together
 * with the blank and comment lines that follow them, other characters kept as written (escapes
 * are interpreted by the readers of each instruction).
 */
function argumentsText(text: string, from: number, to: number, escape: string): MappedText {
  const chars: string[] = [];
  const offsets: number[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === escape) {
      let j = i + 1;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j < text.length && (text[j] === '\n' || text[j] === '\r')) {
        j = afterLineBreak(text, j);
        // blank lines and comment lines inside a continued instruction are dropped
        for (;;) {
          let k = j;
          while (k < to && (text[k] === ' ' || text[k] === '\t')) k++;
          if (k >= to) break;
          if (text[k] === '#') {
            while (k < text.length && text[k] !== '\n' && text[k] !== '\r') k++;
            if (k >= text.length) break;
            j = afterLineBreak(text, k);
          } else if (text[k] === '\n' || text[k] === '\r') j = afterLineBreak(text, k);
          else break;
        }
        i = j;
        continue;
      }
    }
    chars.push(c);
    offsets.push(i);
    i++;
  }
  return { text: chars.join(''), offsets };
}

function afterLineBreak(text: string, at: number): number {
  return text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1;
}

/** Splits logical text into words at unquoted spaces and tabs; quotes and escapes stay in the words. */
function words(t: string, escape: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let i = 0;
  while (i < t.length) {
    while (i < t.length && /\s/.test(t[i])) i++;
    if (i >= t.length) break;
    const start = i;
    let quote: string | undefined;
    while (i < t.length) {
      const c = t[i];
      if (quote) {
        if (c === escape && quote === '"' && i + 1 < t.length) i++;
        else if (c === quote) quote = undefined;
      } else if (c === escape && i + 1 < t.length) i++;
      else if (c === '"' || c === "'") quote = c;
      else if (/\s/.test(c)) break;
      i++;
    }
    out.push({ start, end: Math.min(i, t.length) });
  }
  return out;
}

const emptyExpanded = (): Expanded => ({ text: '', frames: [] });
/** A substituted image longer than this is not an image (and chains of ARGs cannot blow up). */
const MAX_EXPANDED = 4096;

/**
 * Expands `src.text[from, to)` as the builder does for `FROM` and `ARG`: quote removal, escapes,
 * and variables from `env`. Variables that cannot be resolved are added to `problems`.
 */
function expand(src: MappedText, from: number, to: number, escape: string, env: ReadonlyMap<string, ArgValue>, problems: Problem[], depth = 0): Expanded {
  const out = emptyExpanded();
  const t = src.text;
  const literal = (i: number) => {
    const o = src.offsets[i];
    out.text += t[i];
    out.frames.push([{ s: o, e: o + 1 }]);
  };
  // a value put in place of the expression `[exprFrom, exprTo)`; its outermost frames lie in the default of `source`, if given
  const insert = (e: Expanded, exprFrom: number, exprTo: number, source?: VarSource) => {
    if (out.text.length + e.text.length > MAX_EXPANDED) {
      const why = 'the substituted text is too long';
      problems.push({ from: exprFrom, to: exprTo, variable: t.slice(exprFrom, exprTo), why, root: why });
      return;
    }
    const outer: Frame = { s: src.offsets[exprFrom], e: src.offsets[exprTo - 1] + 1 };
    for (let k = 0; k < e.text.length; k++) {
      const inner = e.frames[k];
      out.text += e.text[k];
      out.frames.push([outer, source && inner[0] && !inner[0].in ? { ...inner[0], in: source } : inner[0], ...inner.slice(1)]);
    }
  };
  let quote: string | undefined;
  let i = from;
  while (i < to) {
    const c = t[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else literal(i);
      i++;
    } else if (c === escape && i + 1 < to && (quote !== '"' || t[i + 1] === '"' || t[i + 1] === '$' || t[i + 1] === escape)) {
      // inside double quotes the escape only escapes `"`, `$` and itself (`"C:\tools"` keeps its backslash)
      literal(i + 1);
      i += 2;
    } else if (c === '"' && quote === '"') {
      quote = undefined;
      i++;
    } else if ((c === '"' || c === "'") && !quote) {
      quote = c;
      i++;
    } else if (c === '$' && i + 1 < to && (t[i + 1] === '{' || NAME_START.test(t[i + 1]))) {
      i = expandVariable(src, i, to, escape, env, problems, depth, insert);
    } else {
      literal(i);
      i++;
    }
  }
  return out;
}

/** Expands the variable expression at `at` (a `$`) and returns the offset after it. */
function expandVariable(
  src: MappedText,
  at: number,
  to: number,
  escape: string,
  env: ReadonlyMap<string, ArgValue>,
  problems: Problem[],
  depth: number,
  insert: (e: Expanded, exprFrom: number, exprTo: number, source?: VarSource) => void,
): number {
  const t = src.text;
  let nameEnd: number;
  let exprEnd: number;
  let modifier = '';
  let wordFrom = 0;
  let wordTo = 0;
  const nameStart = t[at + 1] === '{' ? at + 2 : at + 1;
  nameEnd = nameStart;
  while (nameEnd < to && NAME_CHAR.test(t[nameEnd])) nameEnd++;
  const name = t.slice(nameStart, nameEnd);
  if (t[at + 1] === '{') {
    let nesting = 1;
    let k = nameEnd;
    for (; k < to; k++) {
      if (t[k] === escape) k++;
      else if (t[k] === '$' && t[k + 1] === '{') nesting++, k++;
      else if (t[k] === '}' && --nesting === 0) break;
    }
    if (k >= to) {
      problems.push({ from: at, to, variable: `\${${name}`, why: 'no closing brace', root: 'no closing brace' });
      return to;
    }
    exprEnd = k + 1;
    const m = /^(:-|:\+|-|\+)/.exec(t.slice(nameEnd, k));
    if (m) {
      modifier = m[1];
      wordFrom = nameEnd + m[1].length;
      wordTo = k;
    } else if (nameEnd !== k || name === '') {
      problems.push({ from: at, to: exprEnd, variable: t.slice(at, exprEnd), why: 'this substitution form is not read', root: 'this substitution form is not read' });
      return exprEnd;
    }
  } else exprEnd = nameEnd;
  const display = `\${${name}}`;
  const value = env.get(name);
  const word = (): Expanded => (depth >= MAX_DEPTH ? emptyExpanded() : expand(src, wordFrom, wordTo, escape, env, problems, depth + 1));
  const fail = (why: string) => problems.push({ from: at, to: exprEnd, variable: display, why, root: value?.root ?? why });
  const isSet = value !== undefined && value.value !== null && !value.unresolved;
  const unknown = value === undefined
    ? AUTOMATIC_ARGS.has(name) ? 'the builder sets it for the build platform' : 'no ARG defines it before the first FROM'
    : value.unresolved ?? (value.value === null ? 'ARG has no default' : undefined);
  const source = value?.range ? { variable: name, range: value.range } : undefined;
  switch (modifier) {
    case '':
      if (isSet) insert(value.value!, at, exprEnd, source);
      else fail(unknown ?? 'ARG has no default');
      break;
    case ':-':
    case '-':
      if (value?.unresolved) fail(value.unresolved);
      else if (isSet && (modifier === '-' || value.value!.text !== '')) insert(value.value!, at, exprEnd, source);
      else insert(word(), at, exprEnd);
      break;
    default: // ':+' and '+'
      if (value?.unresolved) fail(value.unresolved);
      else if (isSet && (modifier === '+' || value.value!.text !== '')) insert(word(), at, exprEnd);
      break;
  }
  return exprEnd;
}

/** `ARG` names that hold the framework version an image is built with (`ARG TORCH_VERSION=2.12.1`). */
const FRAMEWORK_VERSION_ARGS: Readonly<Record<string, string | undefined>> = {
  TORCH_VERSION: 'pytorch',
  PYTORCH_VERSION: 'pytorch',
  TF_VERSION: 'tensorflow',
  TENSORFLOW_VERSION: 'tensorflow',
  MXNET_VERSION: 'mxnet',
  // the framework is named by `ARG FRAMEWORK=…` (DLC build files: `huggingface-pytorch-training`)
  FRAMEWORK_VERSION: undefined,
};

/** The framework an `ARG FRAMEWORK=<name>` default names (`pytorch`, `huggingface-pytorch-training` → pytorch), if any. */
function frameworkNamedByArgs(text: string, catalog: Catalog): string | undefined {
  const m = /^[ \t]*ARG[ \t]+FRAMEWORK=["']?([A-Za-z0-9_.-]{1,80})/im.exec(text);
  if (!m) return undefined;
  return catalog.frameworks.find((f) => new RegExp(`(^|-)${f.id}(-|$)`).test(m[1].toLowerCase()))?.id;
}

/**
 * Framework versions declared as build arguments (`ARG TORCH_VERSION=2.12.1`, `ARG TF_VERSION=2.21.0`,
 * `ARG FRAMEWORK_VERSION=2.11.0` beside `ARG FRAMEWORK=huggingface-pytorch-training`), as DLC build
 * files and many custom images write them: each becomes a framework pin located at the default
 * value, so the framework rules judge it and a fix edits the default. Only literal `x.y[.z]` values.
 */
function scanFrameworkVersionArgs(args: MappedText, escape: string, catalog: Catalog, pos: DocPosition, hint: { framework?: string }, out: ScanResult): void {
  for (const w of words(args.text, escape)) {
    const token = args.text.slice(w.start, w.end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(["']?)(\d+\.\d+(?:\.\d+)?)\2$/.exec(token);
    if (!m || !(m[1] in FRAMEWORK_VERSION_ARGS)) continue;
    const fw = catalog.framework(FRAMEWORK_VERSION_ARGS[m[1]] ?? hint.framework ?? '');
    if (!fw) continue;
    const valueStart = w.start + m[1].length + 1 + m[2].length;
    const valueRange = spanRange(pos, args.offsets, valueStart, valueStart + m[3].length);
    const pkg = fw.packages[0];
    out.references.push({
      kind: 'framework-package-pin',
      subject: fw.id,
      version: m[3],
      text: token,
      range: spanRange(pos, args.offsets, w.start, w.end),
      pin: {
        name: pkg,
        normalizedName: pkg,
        nameRange: spanRange(pos, args.offsets, w.start, w.start + m[1].length),
        specifier: `==${m[3]}`,
        specifierRange: valueRange,
        clauses: [{ operator: '==', version: m[3], versionRange: valueRange }],
        hasHashes: false,
        constraint: false,
        manager: 'pip',
      },
    });
  }
}

/** Reads the `NAME[=default]` pairs of a global `ARG` into `env`. */
function readArgs(args: MappedText, escape: string, env: Map<string, ArgValue>, pos: DocPosition): void {
  for (const w of words(args.text, escape)) {
    const token = args.text.slice(w.start, w.end);
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    if (eq < 0) {
      if (!env.has(name)) env.set(name, { value: null });
      continue;
    }
    let vs = w.start + eq + 1;
    let ve = w.end;
    const problems: Problem[] = [];
    const value = expand(args, vs, ve, escape, env, problems);
    if (ve - vs >= 2 && (args.text[vs] === '"' || args.text[vs] === "'") && args.text[ve - 1] === args.text[vs]) {
      vs++;
      ve--;
    }
    const range = spanRange(pos, args.offsets, vs, ve);
    if (problems.length) {
      const p = problems[0];
      env.set(name, { value: null, range, unresolved: `its default uses ${p.variable}, which cannot be resolved (${p.root})`, root: p.root });
    } else env.set(name, { value, range });
  }
}

function scanFrom(
  text: string,
  index: TextIndex,
  args: MappedText,
  escape: string,
  env: ReadonlyMap<string, ArgValue>,
  stages: Set<string>,
  catalog: Catalog,
  options: DockerfileScanOptions,
  pos: DocPosition,
  out: ScanResult,
): void {
  const tokens = words(args.text, escape).filter((w) => !args.text.startsWith('--', w.start));
  const image = tokens[0];
  if (!image) return;
  const asWord = tokens[1] && args.text.slice(tokens[1].start, tokens[1].end).toLowerCase() === 'as' ? tokens[2] : undefined;
  try {
    const problems: Problem[] = [];
    const expanded = expand(args, image.start, image.end, escape, env, problems);
    for (const p of problems) out.notes.push({ range: spanRange(pos, args.offsets, p.from, p.to), message: problemMessage(p) });
    if (problems.length || expanded.text === '') return;
    const name = expanded.text.toLowerCase();
    if (name === 'scratch' || stages.has(name)) return;
    const ref = recognizeImage(expanded.text, (o) => ({ line: 0, character: o }), catalog, { mappings: options.mappings });
    if (!ref) return;
    const written = spanRange(pos, args.offsets, image.start, image.end);
    const located = remapImage(ref, expanded, pos, written);
    located.range = written;
    located.text = text.slice(args.offsets[image.start], args.offsets[image.end - 1] + 1);
    const source = substitutionSource(ref, expanded);
    if (source) located.image.substitutedFrom = { variable: source.variable, range: source.range };
    // `FROM ${BASE_IMAGE}`: the whole image is written in one ARG default; report it there
    const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(args.text.slice(image.start, image.end));
    const holder = whole ? env.get(whole[1]) : undefined;
    if (whole && holder?.range && holder.value?.text === expanded.text) {
      located.range = holder.range;
      located.text = text.slice(index.offsetAt(holder.range.start), index.offsetAt(holder.range.end));
    }
    out.references.push(located);
  } finally {
    if (asWord) stages.add(args.text.slice(asWord.start, asWord.end).toLowerCase());
  }
}

/**
 * The depth at which the characters `[s, t)` part ways: below their common outer expressions.
 * Each character's frame at that depth is where a replacement of exactly these characters goes.
 */
function splitDepth(e: Expanded, s: number, t: number): number {
  let depth = e.frames[s].length - 1;
  for (let k = s + 1; k < t && depth > 0; k++) {
    const a = e.frames[s];
    const b = e.frames[k];
    let d = 0;
    while (d < depth && d < b.length - 1 && a[d].s === b[d].s && a[d].e === b[d].e) d++;
    depth = d;
  }
  return depth;
}

/** The frames of `[s, t)` at their split depth. */
function framesAt(e: Expanded, s: number, t: number): Frame[] {
  const depth = splitDepth(e, s, t);
  const out: Frame[] = [];
  for (let k = s; k < t; k++) out.push(e.frames[k][Math.min(depth, e.frames[k].length - 1)]);
  return out;
}

/**
 * The `ARG` default the image text comes from: the one the tag is written in (what a whole-tag
 * fix edits), else the innermost default of the first substituted character.
 */
function substitutionSource(ref: ImageReference, e: Expanded): VarSource | undefined {
  const tag = ref.image.tag?.range;
  const n = e.text.length;
  if (tag && tag.start.line === 0 && tag.end.line === 0 && tag.start.character < tag.end.character && tag.end.character <= n) {
    const inTag = framesAt(e, tag.start.character, tag.end.character).find((f) => f.in)?.in;
    if (inTag) return inTag;
  }
  for (const frames of e.frames) {
    const inner = [...frames].reverse().find((f) => f.in);
    if (inner) return inner.in;
  }
  return undefined;
}

/**
 * Rebuilds the recogniser's result with document ranges. The recogniser was given the identity
 * map (`character` = offset in the substituted text). A span maps to the text that produces
 * exactly it: its own characters when they are written side by side (also inside one `ARG`
 * default), else the smallest enclosing text holding its pieces (`${VERSION}-gpu` in `FROM`).
 */
function remapImage(ref: ImageReference, e: Expanded, pos: DocPosition, fallback: Range): ImageReference {
  const n = e.text.length;
  const mapRange = (r: Range): Range => {
    if (r.start.line !== 0 || r.end.line !== 0 || n === 0) return fallback;
    const s = Math.min(Math.max(r.start.character, 0), n);
    const t = Math.min(Math.max(r.end.character, s), n);
    if (t === s) {
      const p = pos(s < n ? e.frames[s][e.frames[s].length - 1].s : e.frames[n - 1][e.frames[n - 1].length - 1].e);
      return { start: p, end: p };
    }
    let from = Infinity;
    let to = -Infinity;
    for (const f of framesAt(e, s, t)) {
      from = Math.min(from, f.s);
      to = Math.max(to, f.e);
    }
    return { start: pos(from), end: pos(to) };
  };
  return mapRanges(ref, mapRange);
}

/** `RUN [--mount=…] command` (shell form) or `RUN ["exe", "arg", …]` (exec form). */
function scanRun(args: MappedText, catalog: Catalog, pos: DocPosition, out: InstallSink): void {
  const t = args.text;
  let i = 0;
  for (;;) {
    while (i < t.length && (t[i] === ' ' || t[i] === '\t')) i++;
    if (!t.startsWith('--', i)) break;
    while (i < t.length && t[i] !== ' ' && t[i] !== '\t') i++;
  }
  const body: MappedText = { text: t.slice(i), offsets: args.offsets.slice(i) };
  const exec = body.text.startsWith('[') ? jsonStrings(body) : undefined;
  if (!exec) {
    scanShellInstalls(body, catalog, pos, out);
    return;
  }
  const exe = exec[0]?.text.slice(exec[0].text.lastIndexOf('/') + 1) ?? '';
  if (/^(sh|bash|dash|ash|zsh)$/.test(exe)) {
    const c = exec.findIndex((w, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(w.text));
    if (c > 0 && exec[c + 1]) scanShellInstalls(exec[c + 1], catalog, pos, out);
    return;
  }
  scanInstallCommand(exec, catalog, pos, out);
}

/** Reads a JSON array of strings with a map from each decoded character to its offset; undefined when it is not one (then the builder runs it as shell form). */
function jsonStrings(src: MappedText): ShellWord[] | undefined {
  const t = src.text;
  const out: ShellWord[] = [];
  let i = 1;
  const ws = () => {
    while (i < t.length && /\s/.test(t[i])) i++;
  };
  ws();
  if (t[i] === ']') return t.slice(i + 1).trim() === '' ? out : undefined;
  for (;;) {
    ws();
    if (t[i] !== '"') return undefined;
    i++;
    let text = '';
    const offsets: number[] = [];
    while (i < t.length && t[i] !== '"') {
      const at = src.offsets[i];
      if (t[i] === '\\') {
        const e = t[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          text += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          text += String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
          i += 6;
        } else return undefined;
      } else {
        text += t[i];
        i++;
      }
      offsets.push(at);
    }
    if (i >= t.length) return undefined;
    i++;
    out.push({ text, offsets, expands: false });
    ws();
    if (t[i] === ',') {
      i++;
      continue;
    }
    if (t[i] === ']') return t.slice(i + 1).trim() === '' ? out : undefined;
    return undefined;
  }
}
