/**
 * Scanner for conda environment files (`environment.yml`, `conda.yaml`, …), read with the `yaml`
 * parser and its source offsets (a broken file still yields what the parser could read; each YAML
 * error becomes a note at its position).
 *
 * From the top-level mapping it reads:
 * - `channels:` entries → {@link ChannelReference}s (`defaults`, `conda-forge`, `nodefaults`, URLs);
 *   a file with `dependencies:` and no `channels:` key gets one implicit `defaults` reference on
 *   the `dependencies` key (conda then installs from its default channels);
 * - `dependencies:` MatchSpecs (read by {@link parseCondaSpec}: `pkg`, `pkg=1.2`, `pkg==1.2`,
 *   `pkg>=1.2,<2`, `pkg=1.2=build*`, `pkg 1.2.*`, `channel::pkg=1.2`, `pkg[version='>=2.8,<2.9']`):
 *   framework packages → {@link PackagePinReference}s with `manager: 'conda'` (conda's fuzzy
 *   `pytorch=1.13` reads as PEP 440 `==1.13.*`; the clause's range is the `1.13` as written);
 *   Neuron packages (`torch-neuron`, …, any name the Neuron catalog lists as Neuron's own) → pins
 *   with subject `neuron`; `python` pinned to one minor (`python=3.8`, `python==3.8.10`,
 *   `python>=3.8,<3.9`, `python 3.8.*`) → a {@link PythonVersionReference} whose `version` is the
 *   version text as written (`3.8`; the lower bound of a range); `channel::` prefixes →
 *   channel references;
 * - the `- pip:` sub-list: each item is a pip requirements line, read by the requirements scanner
 *   (pins, `-r`/`-c` includes, `--extra-index-url`).
 *
 * Scalars may be plain, single- or double-quoted (escapes and line folding are mapped back to their
 * source offsets) or aliases of anchored scalars (reported once, where the anchor is written). All
 * ranges are LSP ranges (0-based lines, UTF-16 characters) inside the text. Never throws.
 *
 * Editing: the scanner keeps its last text and result; when the next text differs from it only
 * inside one dependency entry written as a plain `- name=version` line, and that entry stays such a
 * spec, only that entry is read again (the result equals a full scan; see `rescanEdit`).
 */
import type { Alias, Document, Node as YamlNode, Pair, Scalar } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, parseDocument } from 'yaml';
import type { Catalog } from '../catalog/catalog';
import { normalizePackageName } from '../catalog/catalog';
import type { ChannelReference, Comment, LineSpan, Located, PackagePinReference, PythonVersionReference, Range, ScanResult } from '../model';
import { TextIndex } from '../text';
import { scanRequirements } from './requirements';
import type { CondaClause, CondaSpec, DocPosition, MappedText } from './shellInstalls';
import { parseCondaSpec, pinReference, spanRange } from './shellInstalls';
import { MAX_YAML_NESTING, tooDeepMessage, yamlNestingBound } from './yamlDepth';

/** Files larger than this (UTF-16 code units) are not parsed (a note says so). */
const MAX_TEXT = 2_000_000;

/** An empty scan result. */
function emptyScan(): ScanResult {
  return { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
}

/**
 * Scans the text of a conda environment file.
 * @param text the whole file
 * @param catalog used only to recognise framework and Neuron package names
 * @returns references, includes and index URLs of the `- pip:` sub-list, YAML comments (for
 *   suppression directives), one statement per list entry, and notes for YAML errors and
 *   unreadable specs. Never throws.
 */
export function scanCondaEnvironment(text: string, catalog: Catalog): ScanResult {
  const out = emptyScan();
  const index = new TextIndex(text);
  const pos: DocPosition = (o) => index.positionAt(Math.min(Math.max(o, 0), text.length));
  if (text.length > MAX_TEXT) {
    out.notes.push({ range: { start: pos(0), end: pos(0) }, message: `conda environment file not read: larger than ${MAX_TEXT} characters` });
    return out;
  }
  const previous = lastScan;
  lastScan = undefined;
  const quick = previous && previous.catalog === catalog ? rescanEdit(previous, text, pos) : undefined;
  if (quick) {
    lastScan = { text, catalog, out: quick.out, slots: quick.slots };
    return quick.out;
  }
  try {
    const slots: Slot[] = [];
    scanInto(text, catalog, pos, out, slots);
    lastScan = { text, catalog, out, slots };
  } catch (e) {
    out.notes.push({ range: { start: pos(0), end: pos(0) }, message: `conda environment file not read: ${e instanceof Error ? e.message : String(e)}` });
  }
  return out;
}

/** How many YAML syntax errors of one file become notes. */
const MAX_YAML_ERROR_NOTES = 10;

function scanInto(text: string, catalog: Catalog, pos: DocPosition, out: ScanResult, slots: Slot[]): void {
  out.comments.push(...yamlComments(text, pos));
  if (yamlNestingBound(text) > MAX_YAML_NESTING) {
    out.notes.push({ range: { start: pos(0), end: pos(0) }, message: tooDeepMessage('conda environment file') });
    return;
  }
  const doc = parseDocument(text, { strict: false, uniqueKeys: false, prettyErrors: false });
  // the first errors only: a broken file (1 MB of quotes) has one per character pair, later ones mostly follow from the first
  for (const e of doc.errors.slice(0, MAX_YAML_ERROR_NOTES)) {
    const [a, b] = e.pos;
    out.notes.push({ range: { start: pos(a), end: pos(Math.max(a, b)) }, message: `YAML syntax error: ${e.message.split('\n')[0]}` });
  }
  const root = doc.contents;
  if (!isMap(root)) return;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // a dependency can be re-read alone after an edit only when the file parsed without errors
  const commentLines = new Set(out.comments.map((c) => c.range.start.line));
  const ctx: Ctx = { text, catalog, pos, out, doc, seen: new Set(), slots: doc.errors.length ? undefined : slots, commentLines };
  let channels: Pair | undefined;
  let dependencies: Pair | undefined;
  for (const item of root.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    if (item.key.value === 'channels') channels ??= item;
    else if (item.key.value === 'dependencies') dependencies ??= item;
  }
  if (channels) readChannels(channels.value as YamlNode | null, ctx);
  if (dependencies) {
    readDependencies(dependencies.value as YamlNode | null, ctx);
    const key = dependencies.key as Scalar;
    if (!channels && key.range) {
      // no `channels:` key: conda installs from the default (Anaconda) channels
      const [s, e] = key.range;
      const column = text.lastIndexOf('\n', s - 1) + 1;
      const atLineStart = text.slice(column, s).trim() === '';
      const ref: ChannelReference = {
        kind: 'package-channel',
        subject: 'defaults',
        version: '',
        text: text.slice(s, e),
        range: { start: pos(s), end: pos(e) },
        channel: 'defaults',
        manager: 'conda',
        written: { form: 'implicit', newEntry: atLineStart && s === column ? `${eol}  - ` : undefined },
      };
      out.references.push(ref);
      out.statements.push(span(pos, s, e));
    }
  }
}

interface Ctx {
  text: string;
  catalog: Catalog;
  pos: DocPosition;
  out: ScanResult;
  doc: Document;
  /** Nodes already read (an anchored scalar reached again through an alias is reported once). */
  seen: Set<YamlNode>;
  /** Where the dependencies that can be re-read alone are recorded (undefined: none can). */
  slots?: Slot[];
  /** Lines that hold a comment. */
  commentLines: Set<number>;
}

/**
 * A `dependencies:` entry of a block list written as one plain scalar on one line, with no anchor,
 * tag or comment (`  - pytorch=2.1.0`), and what reading it added to the scan: the index ranges
 * `[from, to)` of its references, statements and notes.
 */
interface Slot {
  /** Offsets `[start, end)` of the scalar. */
  start: number;
  end: number;
  references: [number, number];
  statements: [number, number];
  notes: [number, number];
}

/** The last text scanned, its result and its {@link Slot}s, for the next version of the same document. */
let lastScan: { text: string; catalog: Catalog; out: ScanResult; slots: Slot[] } | undefined;

/**
 * A scalar text that YAML reads as the same plain string scalar wherever a plain scalar stands in a
 * block list, whatever its neighbours: it starts with a letter, digit or `_`, holds no blank, `#`,
 * quote or bracket, does not end with `:`, and holds one of `=<>` (so the core schema never reads
 * it as a number, boolean or null).
 */
function isSimpleSpec(s: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.=<>!*~+:,-]*$/.test(s) && /[=<>]/.test(s) && !s.endsWith(':');
}

/**
 * The scan of `text` when it is the previous text with an edit inside one {@link Slot}'s scalar that
 * leaves it a simple spec ({@link isSimpleSpec}): then the YAML structure, every other node, the
 * comments and every position outside that line are unchanged (the edit adds no line break), so the
 * result is the previous one with that entry read again. Undefined otherwise (the caller parses).
 */
function rescanEdit(previous: NonNullable<typeof lastScan>, text: string, pos: DocPosition): { out: ScanResult; slots: Slot[] } | undefined {
  const old = previous.text;
  if (old === text) return undefined; // an unchanged text is read again in full
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const editEnd = old.length - s;
  const slots = previous.slots;
  let lo = 0;
  let hi = slots.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (slots[mid].start <= p) lo = mid;
    else hi = mid - 1;
  }
  const k = lo;
  const slot = slots[k];
  if (!slot || slot.start > p || editEnd > slot.end) return undefined;
  const delta = text.length - old.length;
  const end = slot.end + delta;
  const scalar = text.slice(slot.start, end);
  if (!isSimpleSpec(scalar)) return undefined;
  const fresh = emptyScan();
  const offsets: number[] = [];
  for (let i = slot.start; i < end; i++) offsets.push(i);
  fresh.statements.push(span(pos, slot.start, end));
  try {
    readCondaSpec({ text: scalar, offsets }, previous.catalog, pos, fresh);
  } catch {
    return undefined;
  }
  const out = previous.out;
  const splice = <T>(all: readonly T[], [from, to]: [number, number], added: readonly T[]): T[] => [...all.slice(0, from), ...added, ...all.slice(to)];
  const moved = (r: [number, number], by: number): [number, number] => [r[0] + by, r[1] + by];
  const dr = fresh.references.length - (slot.references[1] - slot.references[0]);
  const ds = fresh.statements.length - (slot.statements[1] - slot.statements[0]);
  const dn = fresh.notes.length - (slot.notes[1] - slot.notes[0]);
  const edited: Slot = {
    start: slot.start,
    end,
    references: [slot.references[0], slot.references[0] + fresh.references.length],
    statements: [slot.statements[0], slot.statements[0] + fresh.statements.length],
    notes: [slot.notes[0], slot.notes[0] + fresh.notes.length],
  };
  return {
    out: {
      references: splice(out.references, slot.references, fresh.references),
      includes: [...out.includes],
      comments: [...out.comments],
      statements: splice(out.statements, slot.statements, fresh.statements),
      indexUrls: [...out.indexUrls],
      notes: splice(out.notes, slot.notes, fresh.notes),
    },
    slots: [
      ...slots.slice(0, k),
      edited,
      ...slots.slice(k + 1).map((o) => ({ start: o.start + delta, end: o.end + delta, references: moved(o.references, dr), statements: moved(o.statements, ds), notes: moved(o.notes, dn) })),
    ],
  };
}

/** The line span of offsets `[s, e)`. */
function span(pos: DocPosition, s: number, e: number): LineSpan {
  return { startLine: pos(s).line, endLine: pos(Math.max(s, e - 1)).line };
}

/** The node an alias points to (or the node itself); undefined for unresolvable aliases. */
function resolved(node: unknown, ctx: Ctx): YamlNode | undefined {
  if (isAlias(node)) {
    try {
      return (node as Alias).resolve(ctx.doc) as YamlNode | undefined;
    } catch {
      return undefined;
    }
  }
  return (node ?? undefined) as YamlNode | undefined;
}

/** The sequence items of a node (a single scalar counts as a one-item list). */
function itemsOf(node: YamlNode | null | undefined): unknown[] {
  if (isSeq(node)) return node.items;
  if (isScalar(node)) return [node];
  return [];
}

function readChannels(node: YamlNode | null, ctx: Ctx): void {
  const flow = isSeq(node) && node.flow === true;
  for (const raw of itemsOf(node)) {
    const item = resolved(raw, ctx);
    if (!isScalar(item) || typeof item.value !== 'string' || !item.range || ctx.seen.has(item)) continue;
    ctx.seen.add(item);
    const [s, e] = item.range;
    const written = ctx.text.slice(s, e);
    const channel = item.value.trim();
    if (!channel) continue;
    ctx.out.statements.push(span(ctx.pos, s, e));
    const ref: ChannelReference = {
      kind: 'package-channel',
      subject: channel,
      version: '',
      text: written,
      range: { start: ctx.pos(s), end: ctx.pos(e) },
      channel,
      manager: 'conda',
      written: { form: 'list', newEntry: flow ? ', ' : blockEntryPrefix(ctx.text, s, raw === item) },
    };
    ctx.out.references.push(ref);
  }
}

/** `\n  - ` for a block-list entry written as `  - defaults` alone on its line; undefined for other layouts. */
function blockEntryPrefix(text: string, start: number, direct: boolean): string | undefined {
  if (!direct) return undefined;
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  const prefix = text.slice(lineStart, start);
  if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
  return `${text.includes('\r\n') ? '\r\n' : '\n'}${prefix}`;
}

function readDependencies(node: YamlNode | null, ctx: Ctx): void {
  const block = isSeq(node) && node.flow !== true;
  for (const raw of itemsOf(node)) {
    const item = resolved(raw, ctx);
    if (!item && isAlias(raw) && raw.range) {
      ctx.out.notes.push({ range: { start: ctx.pos(raw.range[0]), end: ctx.pos(raw.range[1]) }, message: `alias *${raw.source} names no anchor; not read` });
    }
    if (!item || ctx.seen.has(item)) continue;
    ctx.seen.add(item);
    try {
      if (isScalar(item)) {
        const before = [ctx.out.references.length, ctx.out.statements.length, ctx.out.notes.length];
        readSpec(item, ctx);
        const r = item.range;
        if (ctx.slots && block && raw === item && r && item.type === 'PLAIN' && !item.anchor && !item.tag && isSimpleSpec(ctx.text.slice(r[0], r[1])) && !ctx.commentLines.has(ctx.pos(r[0]).line)) {
          ctx.slots.push({ start: r[0], end: r[1], references: [before[0], ctx.out.references.length], statements: [before[1], ctx.out.statements.length], notes: [before[2], ctx.out.notes.length] });
        }
      } else if (isMap(item)) {
        for (const pair of item.items) {
          if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'pip') readPip(resolved(pair.value, ctx) ?? null, ctx);
        }
      }
    } catch (e) {
      const r = item.range;
      if (r) ctx.out.notes.push({ range: { start: ctx.pos(r[0]), end: ctx.pos(r[1]) }, message: `dependency skipped: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
}

/** One `dependencies:` entry read as a conda MatchSpec. */
function readSpec(node: Scalar, ctx: Ctx): void {
  if (typeof node.value !== 'string' || !node.range) return;
  const [s, e] = node.range;
  ctx.out.statements.push(span(ctx.pos, s, e));
  const w = mapScalar(ctx.text, node);
  if (!w) {
    if (looksRelevant(node.value, ctx.catalog)) {
      ctx.out.notes.push({ range: { start: ctx.pos(s), end: ctx.pos(e) }, message: `cannot map the positions inside ${truncate(node.value)}; not judged` });
    }
    return;
  }
  const lead = w.text.length - w.text.trimStart().length;
  const word: MappedText = { text: w.text.slice(lead).trimEnd(), offsets: w.offsets.slice(lead) };
  word.offsets = word.offsets.slice(0, word.text.length);
  readCondaSpec(word, ctx.catalog, ctx.pos, ctx.out);
}

/**
 * Reads one conda MatchSpec written at mapped offsets (a YAML scalar of an environment file) into
 * `out`: a channel reference for a `channel::` prefix, a framework or Neuron pin with
 * `manager: 'conda'`, a Python version reference, or a note when the spec of such a package
 * cannot be read. Other packages are ignored. Never throws for well-formed mapped text.
 */
export function readCondaSpec(w: MappedText, catalog: Catalog, pos: DocPosition, out: ScanResult): void {
  const spec = parseCondaSpec(w.text);
  if (!spec) return;
  const range = (a: number, b: number) => spanRange(pos, w.offsets, a, b);
  const channelEnd = spec.nameStart >= 2 ? spec.nameStart - 2 : -1;
  let channel: Located | undefined;
  if (channelEnd > 0) {
    channel = { text: w.text.slice(0, channelEnd), range: range(0, channelEnd) };
    out.references.push({ kind: 'package-channel', subject: channel.text, version: '', text: channel.text, range: channel.range, channel: channel.text, manager: 'conda', written: { form: 'package' } });
  }
  const normalized = normalizePackageName(spec.name);
  const isPython = normalized === 'python';
  const framework = isPython ? undefined : catalog.frameworkForPackage(normalized);
  const neuron = !isPython && !framework && catalog.neuron?.isNeuronPackage(normalized) === true;
  if (!isPython && !framework && !neuron) return;
  if (spec.unreadable) {
    out.notes.push({ range: range(0, w.text.length), message: spec.unreadable });
    return;
  }
  if (isPython) {
    const ref = pythonReference(w, spec, range);
    if (ref) out.references.push(ref);
    return;
  }
  const ref = pinReference(framework ? framework.id : 'neuron', w, pos, { text: spec.name, start: spec.nameStart, end: spec.nameEnd }, spec.clauses, { start: spec.specStart, end: spec.specEnd }, normalized);
  // the bracket form ends at its `]`
  const close = spec.specEnd !== undefined && w.text[spec.nameEnd] === '[' ? w.text.indexOf(']', spec.specEnd) : -1;
  if (close >= 0) {
    ref.text = w.text.slice(0, close + 1);
    ref.range = range(0, close + 1);
  }
  ref.pin.manager = 'conda';
  if (channel) ref.pin.channel = channel;
  out.references.push(ref);
}

/** `major.minor` of a version text with at least two numeric parts, else undefined. */
function minorOf(version: string): [number, number] | undefined {
  const m = /^(\d{1,4})\.(\d{1,4})(?:$|[.*])/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * The clause that names the one Python minor a spec pins: `==3.8.*` (conda `=3.8`), `==3.8.10`,
 * `~=3.8.0`, or the lower bound of `>=3.8,<3.9` / `>=3.8.1,<=3.8.9`; undefined for open or wider ranges.
 */
function singleMinorClause(clauses: readonly CondaClause[]): CondaClause | undefined {
  const real = clauses.filter((c) => c.operator !== '!=');
  if (real.length === 1) {
    const c = real[0];
    if (c.operator === '==' || c.operator === '===') return minorOf(c.version) ? c : undefined;
    if (c.operator === '~=') return /^\d+\.\d+\.\d+/.test(c.version) ? c : undefined;
    return undefined;
  }
  if (real.length !== 2) return undefined;
  const lower = real.find((c) => c.operator === '>=');
  const upper = real.find((c) => c.operator === '<' || c.operator === '<=');
  const lo = lower && minorOf(lower.version);
  const hi = upper && minorOf(upper.version);
  if (!lo || !hi || !upper) return undefined;
  if (upper.operator === '<=') return lo[0] === hi[0] && lo[1] === hi[1] ? lower : undefined;
  const patch = /^\d+\.\d+(?:\.(\d+))?$/.exec(upper.version)?.[1];
  const nextMinor = hi[0] === lo[0] && hi[1] === lo[1] + 1 && (patch === undefined || Number(patch) === 0);
  return nextMinor ? lower : undefined;
}

/** A Python version reference for a `python` spec that pins one minor, else undefined. */
function pythonReference(w: MappedText, spec: CondaSpec, range: (a: number, b: number) => Range): PythonVersionReference | undefined {
  const clause = singleMinorClause(spec.clauses);
  if (!clause || spec.specEnd === undefined) return undefined;
  const end = w.text[spec.nameEnd] === '[' ? Math.max(spec.specEnd, w.text.indexOf(']', spec.specEnd) + 1) : spec.specEnd;
  return {
    kind: 'python-version',
    subject: 'python',
    version: w.text.slice(clause.start, clause.end),
    text: w.text.slice(0, end),
    range: range(0, end),
    versionRange: range(clause.start, clause.end),
  };
}

/** The `- pip:` sub-list: each item is one pip requirements line. */
function readPip(node: YamlNode | null, ctx: Ctx): void {
  for (const raw of itemsOf(node)) {
    const item = resolved(raw, ctx);
    if (!isScalar(item) || typeof item.value !== 'string' || !item.range || ctx.seen.has(item)) continue;
    ctx.seen.add(item);
    const [s, e] = item.range;
    ctx.out.statements.push(span(ctx.pos, s, e));
    const w = mapScalar(ctx.text, item);
    if (!w) {
      if (looksRelevant(item.value, ctx.catalog)) ctx.out.notes.push({ range: { start: ctx.pos(s), end: ctx.pos(e) }, message: `cannot map the positions inside ${truncate(item.value)}; not judged` });
      continue;
    }
    readPipLine(w, ctx);
  }
}

/** Reads a pip requirements line at mapped offsets, moving every range of the requirements scan into the document. */
function readPipLine(w: MappedText, ctx: Ctx): void {
  const scan = scanRequirements(w.text, ctx.catalog);
  const local = new TextIndex(w.text);
  const move = (r: Range): Range => spanRange(ctx.pos, w.offsets, local.offsetAt(r.start), local.offsetAt(r.end));
  for (const ref of scan.references) {
    ref.range = move(ref.range);
    ref.pin.nameRange = move(ref.pin.nameRange);
    if (ref.pin.specifierRange) ref.pin.specifierRange = move(ref.pin.specifierRange);
    for (const c of ref.pin.clauses) c.versionRange = move(c.versionRange);
    ctx.out.references.push(ref);
  }
  for (const inc of scan.includes) ctx.out.includes.push({ ...inc, range: move(inc.range) });
  ctx.out.indexUrls.push(...scan.indexUrls);
  for (const n of scan.notes) ctx.out.notes.push({ ...n, range: move(n.range) });
}

/** A spec worth a note when it cannot be read: it names a framework, Neuron package or Python. */
function looksRelevant(value: string, catalog: Catalog): boolean {
  const name = /^\s*(?:[^\s:]{0,200}::)?([A-Za-z0-9_][A-Za-z0-9._-]{0,200})/.exec(value)?.[1];
  if (!name) return false;
  const n = normalizePackageName(name);
  return n === 'python' || catalog.frameworkForPackage(n) !== undefined || catalog.neuron?.isNeuronPackage(n) === true;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

// ---------------------------------------------------------------------------
// Scalars: value characters → source offsets

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPES: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * Maps the value of a plain, single-quoted or double-quoted scalar to the source offset of each of
 * its UTF-16 code units (escapes map to their backslash; a folded line break to the break). Returns
 * undefined when the mapping does not reproduce the parser's value (block scalars, odd folding), so
 * that no range is ever guessed.
 */
export function mapScalar(text: string, node: Scalar): MappedText | undefined {
  if (typeof node.value !== 'string' || !node.range) return undefined;
  const [s, e] = node.range;
  let mapped: MappedText | undefined;
  if (node.type === 'PLAIN') mapped = fold(text, s, e, false);
  else if (node.type === 'QUOTE_SINGLE' && text[s] === "'") mapped = fold(text, s + 1, e - 1, 'single');
  else if (node.type === 'QUOTE_DOUBLE' && text[s] === '"') mapped = fold(text, s + 1, e - 1, 'double');
  return mapped && mapped.text === node.value ? mapped : undefined;
}

/** Reads scalar source `[from, to)` with YAML flow folding (and the quoting's escapes). */
function fold(text: string, from: number, to: number, quote: false | 'single' | 'double'): MappedText | undefined {
  const chars: string[] = [];
  const offsets: number[] = [];
  const push = (c: string, at: number) => {
    chars.push(c);
    offsets.push(at);
  };
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      // trailing blanks before a break are dropped; one break folds to a space, n breaks to n-1 newlines
      while (chars.length && (chars[chars.length - 1] === ' ' || chars[chars.length - 1] === '\t') && text[offsets[offsets.length - 1]] === chars[chars.length - 1]) {
        chars.pop();
        offsets.pop();
      }
      const at = i;
      let breaks = 0;
      while (i < to && (text[i] === '\n' || text[i] === '\r' || text[i] === ' ' || text[i] === '\t')) {
        if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) breaks++;
        i++;
      }
      if (breaks === 1) push(' ', at);
      else for (let k = 1; k < breaks; k++) push('\n', at);
      continue;
    }
    if (quote === 'single' && c === "'" && text[i + 1] === "'") {
      push("'", i);
      i += 2;
      continue;
    }
    if (quote === 'double' && c === '\\') {
      const n = text[i + 1];
      if (n === undefined || i + 1 >= to) return undefined;
      if (n === '\n' || n === '\r') {
        // escaped line break: joins the lines without a space, leading blanks of the next line dropped
        i += n === '\r' && text[i + 2] === '\n' ? 3 : 2;
        while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
        continue;
      }
      if (n in SIMPLE_ESCAPES) {
        push(SIMPLE_ESCAPES[n], i);
        i += 2;
        continue;
      }
      const width = HEX_ESCAPES[n];
      if (width === undefined) return undefined;
      const hex = text.slice(i + 2, i + 2 + width);
      if (hex.length !== width || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return undefined;
      for (const unit of String.fromCodePoint(code).split('')) push(unit, i);
      i += 2 + width;
      continue;
    }
    push(c, i);
    i++;
  }
  return { text: chars.join(''), offsets };
}

/** Offset just after the line break before `i` (the start of `i`'s line); looks back only along that line. */
function lastBreakEnd(text: string, i: number): number {
  let k = i;
  while (k > 0) {
    const c = text.charCodeAt(k - 1);
    if (c === 10 || c === 13) break;
    k--;
  }
  return k;
}

/**
 * The comments of a YAML text (`# …` tokens of the `yaml` lexer), with their ranges and whether each
 * stands alone on its line. Never throws; stops at the first token whose offset cannot be followed.
 */
export function yamlComments(text: string, pos: DocPosition): Comment[] {
  const comments: Comment[] = [];
  let offset = 0;
  try {
    for (const token of new Lexer().lex(text)) {
      if (token.length === 1 && (token === '\x02' || token === '\x18' || token === '\x1f')) continue; // lexer control tokens
      if (!text.startsWith(token, offset)) break;
      if (token.startsWith('#')) {
        const lineStart = lastBreakEnd(text, offset);
        comments.push({ text: token.slice(1), range: { start: pos(offset), end: pos(offset + token.length) }, standalone: text.slice(lineStart, offset).trim() === '' });
      }
      offset += token.length;
    }
  } catch {
    // comments found so far are kept
  }
  return comments;
}
