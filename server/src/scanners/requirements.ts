/**
 * Scanner for pip requirements files (`requirements*.txt`, `constraints*.txt`, `requirements.in`,
 * `*.pip`). It follows pip's own reading of the format (pip `req_file.py`): physical lines ending
 * in `\` are joined, a line starting with `#` ends a continuation, comments are `#` at the start or
 * after whitespace, and option tokens start at the first word beginning with `-`. Requirements are
 * read as PEP 508 (`name[extras] specifiers ; markers`) with PEP 440 specifiers, and names are
 * normalised as PEP 503 does.
 *
 * It returns package pins of
 * - frameworks (names the catalog knows as a framework: `torch`, `tensorflow-gpu`, `mxnet-cu112`,
 *   …), with the framework's id as subject;
 * - AWS Neuron packages (names the catalog's Neuron data lists as Neuron's own, any spelling:
 *   `torch-neuronx`, `neuronx-cc`, `neuron-cc[tensorflow]`, `tensorflow-neuron`, `mx_neuron`,
 *   `transformers-neuronx`, `neuronx-distributed`, `libneuronxla`, `nki`, …), with subject
 *   `neuron`, pinned or not;
 * and include directives (`-r`, `-c`), comments, statement spans and index URLs (the Neuron pip
 * repository of `--extra-index-url` too). Not pins: other packages, among them lookalikes of
 * Neuron names (`neuron`, `torchvision`) and packages that the Neuron releases ship but that are
 * published outside Neuron as well (`torch-xla`). It never evaluates lifecycle and never throws:
 * a line it cannot read becomes a {@link ScanNote} and the rest of the file is still read.
 */
import type { Catalog } from '../catalog/catalog';
import { normalizePackageName } from '../catalog/catalog';
import type { Comment, Include, LineSpan, PackagePinReference, Position, Range, ScanNote, ScanResult, SpecifierClause } from '../model';

/** Options for {@link scanRequirements}. */
export interface RequirementsScanOptions {
  /** The file is a constraints file: its pins constrain rather than install. */
  constraints?: boolean;
}

/**
 * A piece of a logical line taken from the document: logical offsets `[logicalStart, logicalStart + length)`
 * map to document offsets from `docStart`, on physical line `line` that starts at document offset `lineStart`.
 */
interface Segment { logicalStart: number; docStart: number; length: number; line: number; lineStart: number }

/** A logical line: physical lines joined at `\` continuations, with a map back to document offsets. */
interface LogicalLine {
  text: string;
  segments: Segment[];
  startLine: number;
  endLine: number;
}

const COMMENT_START = /^\s*#/;
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const OPERATOR = /^(===|==|~=|!=|<=|>=|<|>)/;

/** Splits the text into physical lines with their document offsets (line terminators excluded). */
function physicalLines(text: string): Array<{ start: number; text: string }> {
  const lines: Array<{ start: number; text: string }> = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    lines.push({ start, text: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  lines.push({ start, text: text.slice(start) });
  return lines;
}

/** Joins continuation lines as pip's `join_lines` does. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  let lineNo = 0;
  let lineStart = 0;
  const append = (line: LogicalLine, docStart: number, piece: string) => {
    line.segments.push({ logicalStart: line.text.length, docStart, length: piece.length, line: lineNo, lineStart });
    line.text += piece;
  };
  physicalLines(text).forEach((phys, n) => {
    lineNo = n;
    lineStart = phys.start;
    let body = phys.text;
    let docStart = phys.start;
    if (lineNo === 0 && body.startsWith('\uFEFF')) {
      body = body.slice(1);
      docStart += 1;
    }
    const isComment = COMMENT_START.test(body);
    if (!body.endsWith('\\') || isComment) {
      if (pending) {
        // pip prefixes a comment line that ends a continuation with a space so that it is stripped as a comment
        if (isComment) pending.segments.push({ logicalStart: pending.text.length, docStart, length: 0, line: lineNo, lineStart }), (pending.text += ' ');
        append(pending, docStart, body);
        pending.endLine = lineNo;
        out.push(pending);
        pending = undefined;
      } else {
        const line: LogicalLine = { text: '', segments: [], startLine: lineNo, endLine: lineNo };
        append(line, docStart, body);
        out.push(line);
      }
    } else {
      const stripped = body.replace(/(?<!\\)\\+$/, ''); // the lookbehind tries a run of backslashes once (linear), not from each of its positions
      if (!pending) pending = { text: '', segments: [], startLine: lineNo, endLine: lineNo };
      append(pending, docStart, stripped);
      pending.endLine = lineNo;
    }
  });
  if (pending) out.push(pending);
  return out;
}

/** The segment holding a logical offset. */
function segmentAt(line: LogicalLine, logical: number): Segment {
  for (let i = line.segments.length - 1; i > 0; i--) if (logical >= line.segments[i].logicalStart) return line.segments[i];
  return line.segments[0];
}

/** Maps a logical offset to an LSP position (for starts); O(segments), no search over the document. */
function positionOf(line: LogicalLine, logical: number): Position {
  const s = segmentAt(line, logical);
  return { line: s.line, character: s.docStart - s.lineStart + Math.min(Math.max(logical - s.logicalStart, 0), s.length) };
}

/** Maps an exclusive logical end offset to a position, staying on the physical line of its last character. */
function endPositionOf(line: LogicalLine, logicalEnd: number, logicalStart: number): Position {
  if (logicalEnd <= logicalStart) return positionOf(line, logicalStart);
  const p = positionOf(line, logicalEnd - 1);
  return { line: p.line, character: p.character + 1 };
}

/** The range of logical offsets `[from, to)` in LSP positions. */
function rangeOf(line: LogicalLine, from: number, to: number): Range {
  return { start: positionOf(line, from), end: endPositionOf(line, to, from) };
}

/** Index of the comment start (`#` at line start or after whitespace) in a logical line, or -1. */
function commentStart(text: string): number {
  const m = /(^|\s)#/.exec(text);
  if (!m) return -1;
  return m.index + m[1].length;
}

const INCLUDE_OPTIONS: Record<string, Include['kind']> = {
  '-r': 'requirements',
  '--requirement': 'requirements',
  '-c': 'constraints',
  '--constraint': 'constraints',
};
const INDEX_OPTIONS = new Set(['-i', '--index-url', '--extra-index-url']);

/** Splits an option line into whitespace-separated tokens with their logical offsets. */
function tokens(text: string, from = 0): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  const re = /\S+/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push({ text: m[0], start: m.index });
  return out;
}

/** True when a requirement is a path, URL or archive rather than a name (pip installs it as is). */
function looksLikePathOrUrl(req: string): boolean {
  if (!/^[.~]|[/\\:]|\.(whl|zip|tar|tgz|gz|bz2)\b/i.test(req)) return false;
  return /^[.~/\\]/.test(req) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(req) || /^[A-Za-z]:[\\/]/.test(req) ||
    /\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$/i.test(req.split(/[;\s]/)[0] ?? '') || /^[^@;\s]*[/\\]/.test(req);
}

/**
 * The subject of a package pin of a pip-style, conda or shell install (PEP 503 name or any
 * spelling, normalised here): the id of the framework the catalog knows the package as (`torch` →
 * `pytorch`), else `neuron` for a package the catalog's Neuron data lists as Neuron's own
 * (`torch-neuronx`, `mx_neuron`, `aws-neuronx-tools`), else undefined (not a pin to report).
 * Never throws.
 */
export function pinSubject(packageName: string, catalog: Catalog): string | undefined {
  const normalized = normalizePackageName(packageName);
  return catalog.frameworkForPackage(normalized)?.id ?? (catalog.neuron?.isNeuronPackage(normalized) === true ? 'neuron' : undefined);
}

/** A requirements file's scan: every reference is a package pin. */
export interface RequirementsScan extends ScanResult {
  references: PackagePinReference[];
}

/**
 * Scans the text of a pip requirements file.
 * @param text the whole file
 * @param catalog used only to recognise which package names are frameworks or Neuron packages ({@link pinSubject})
 * @returns references with LSP ranges (UTF-16), includes, comments, statements, index URLs, notes; never throws
 */
export function scanRequirements(text: string, catalog: Catalog, options: RequirementsScanOptions = {}): RequirementsScan {
  const result: RequirementsScan = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  let lines: LogicalLine[];
  try {
    lines = logicalLines(text);
  } catch (e) {
    const origin = { line: 0, character: 0 };
    result.notes.push({ range: { start: origin, end: origin }, message: `could not split the file into lines: ${String(e)}` });
    return result;
  }
  for (const line of lines) {
    try {
      scanLine(line, catalog, options, result);
    } catch (e) {
      result.notes.push({ range: rangeOf(line, 0, line.text.length), message: `line skipped: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return result;
}

function scanLine(line: LogicalLine, catalog: Catalog, options: RequirementsScanOptions, out: ScanResult): void {
  const range = (from: number, to: number) => rangeOf(line, from, to);
  let body = line.text;
  const hash = commentStart(body);
  if (hash >= 0) {
    const comment: Comment = {
      text: body.slice(hash + 1),
      range: range(hash, body.length),
      standalone: body.slice(0, hash).trim() === '',
    };
    out.comments.push(comment);
    body = body.slice(0, hash);
  }
  if (body.trim() === '') return;
  out.statements.push({ startLine: line.startLine, endLine: line.endLine } satisfies LineSpan);
  const lead = body.length - body.trimStart().length;
  if (body[lead] === '-') {
    scanOptionLine(body, lead, range, out);
    return;
  }
  // pip's break_args_options: the requirement ends at the first space-separated token starting with '-'
  let reqEnd = body.length;
  let hasHashes = false;
  const re = / (-\S*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) {
    if (m.index < lead) continue;
    if (reqEnd === body.length) reqEnd = m.index;
    if (m[1].startsWith('--hash')) hasHashes = true;
  }
  const req = body.slice(lead, reqEnd).trimEnd();
  if (looksLikePathOrUrl(req)) return;
  const ref = parseRequirement(req, lead, range, catalog, hasHashes, options.constraints ?? false, out.notes);
  if (ref) out.references.push(ref);
}

function scanOptionLine(body: string, lead: number, range: (a: number, b: number) => Range, out: ScanResult): void {
  const toks = tokens(body, lead);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const [flag, inline] = t.text.startsWith('--') ? splitOnce(t.text, '=') : splitShort(t.text);
    const takeValue = (): { text: string; start: number } | undefined => {
      if (inline !== undefined) return { text: inline, start: t.start + t.text.length - inline.length };
      const next = toks[i + 1];
      if (next) i++;
      return next;
    };
    if (flag in INCLUDE_OPTIONS) {
      const v = takeValue();
      if (v && v.text) out.includes.push({ path: v.text, kind: INCLUDE_OPTIONS[flag], range: range(v.start, v.start + v.text.length) });
      else out.notes.push({ range: range(t.start, t.start + t.text.length), message: `${flag} without a file name` });
    } else if (INDEX_OPTIONS.has(flag)) {
      const v = takeValue();
      if (v) out.indexUrls.push(v.text);
    } else if (flag === '-e' || flag === '--editable') {
      return; // editable installs name a path or VCS URL, never a framework version
    }
  }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** `-rfile.txt` → [`-r`, `file.txt`]; `-r` → [`-r`, undefined]. */
function splitShort(s: string): [string, string | undefined] {
  if (s.length > 2 && /^-[a-zA-Z]/.test(s)) return [s.slice(0, 2), s.slice(2).replace(/^=/, '')];
  return [s, undefined];
}

/**
 * Reads one PEP 508 requirement written outside a requirements file (a `pip install` argument in a
 * Dockerfile `RUN`), with the same reading as requirement lines here.
 * @param req the requirement with shell quotes removed (`tensorflow>=2.14,<2.15`)
 * @param range maps offsets `[from, to)` in `req` to document ranges (LSP, UTF-16)
 * @param notes receives a note when the text is not a requirement or its specifier cannot be read
 * @returns a pin when the name is a framework package or a Neuron package the catalog knows (subject
 *   as {@link pinSubject} says), else undefined; never throws
 */
export function parseRequirementAt(
  req: string,
  range: (from: number, to: number) => Range,
  catalog: Catalog,
  notes: ScanNote[],
  options: { constraint?: boolean } = {},
): PackagePinReference | undefined {
  return parseRequirement(req, 0, range, catalog, false, options.constraint ?? false, notes);
}

/**
 * Parses `name[extras] specifiers` of a PEP 508 requirement at logical offset `base`.
 * Returns a reference when the name is a framework or Neuron package the catalog knows, else undefined.
 */
function parseRequirement(
  req: string,
  base: number,
  range: (a: number, b: number) => Range,
  catalog: Catalog,
  hasHashes: boolean,
  constraint: boolean,
  notes: ScanNote[],
): PackagePinReference | undefined {
  const nameMatch = NAME.exec(req);
  if (!nameMatch) {
    notes.push({ range: range(base, base + req.length), message: `not a requirement: ${truncate(req)}` });
    return undefined;
  }
  const name = nameMatch[0];
  const normalizedName = normalizePackageName(name);
  const subject = pinSubject(normalizedName, catalog);
  if (!subject) return undefined;
  let at = name.length;
  const skipWs = () => {
    while (at < req.length && /\s/.test(req[at])) at++;
  };
  skipWs();
  if (req[at] === '[') {
    const close = req.indexOf(']', at);
    if (close < 0) {
      notes.push({ range: range(base, base + req.length), message: `unclosed extras in ${truncate(req)}` });
      return undefined;
    }
    at = close + 1;
    skipWs();
  }
  if (req[at] === '@') return undefined; // PEP 508 URL requirement: no version to judge
  let textEnd = at;
  let paren = false;
  if (req[at] === '(') {
    paren = true;
    at++;
  }
  const clauses: SpecifierClause[] = [];
  let specStart = -1;
  let specEnd = -1;
  for (;;) {
    skipWs();
    const op = OPERATOR.exec(req.slice(at));
    if (!op) break;
    if (specStart < 0) specStart = at;
    at += op[0].length;
    skipWs();
    const v = /^[A-Za-z0-9_.*+!-]+/.exec(req.slice(at));
    if (!v) {
      notes.push({ range: range(base, base + req.length), message: `operator ${op[0]} without a version in ${truncate(req)}` });
      return undefined;
    }
    clauses.push({ operator: op[0], version: v[0], versionRange: range(base + at, base + at + v[0].length) });
    at += v[0].length;
    specEnd = at;
    textEnd = at;
    skipWs();
    if (req[at] !== ',') break;
    at++;
  }
  if (paren) {
    skipWs();
    if (req[at] === ')') textEnd = ++at;
  }
  skipWs();
  if (at < req.length && req[at] !== ';') {
    notes.push({ range: range(base, base + req.length), message: `could not read the version specifier of ${truncate(req)}` });
    return undefined;
  }
  const nameEnd = name.length;
  if (clauses.length === 0) textEnd = Math.max(nameEnd, req.slice(0, at).trimEnd().length);
  const specifier = clauses.map((c) => `${c.operator}${c.version}`).join(',');
  const exact = clauses.length === 1 && (clauses[0].operator === '==' || clauses[0].operator === '===') && !clauses[0].version.includes('*');
  return {
    kind: 'framework-package-pin',
    subject,
    version: exact ? clauses[0].version : specifier,
    text: req.slice(0, textEnd),
    range: range(base, base + textEnd),
    pin: {
      name,
      normalizedName,
      nameRange: range(base, base + nameEnd),
      specifier,
      specifierRange: specStart >= 0 ? range(base + specStart, base + specEnd) : undefined,
      clauses,
      hasHashes,
      constraint,
    },
  };
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
