/**
 * Scanner for `pyproject.toml`: framework package pins, AWS Neuron package pins (subject `neuron`:
 * `torch-neuronx`, `neuronx-cc`, `neuron-cc[tensorflow]`, …, any name the catalog's Neuron data lists
 * as Neuron's own; `neuron`, `torchvision`, `torch-xla` are not) and the pinned Python version of
 * - PEP 621 `[project] dependencies`, `[project.optional-dependencies]` and `requires-python`;
 * - PEP 735 `[dependency-groups]` (strings; `{include-group = …}` tables name no package);
 * - Poetry `[tool.poetry.dependencies]`, `[tool.poetry.group.<g>.dependencies]`, the legacy
 *   `[tool.poetry.dev-dependencies]`: constraint strings (`"^2.1"`), inline or sub-tables
 *   (`{ version = "^2.1", source = "pytorch" }`), arrays of them (multiple constraints), and
 *   `python = "^3.10"`;
 * - PDM `[tool.pdm.dev-dependencies]` and uv `[tool.uv]` `dev-dependencies`,
 *   `constraint-dependencies`, `override-dependencies` (PEP 508 strings).
 * `[build-system] requires` is skipped: it lists what builds the package (setuptools, a compiler
 * toolchain), installed in an isolated build environment and absent at run time, so a framework
 * pinned there never runs the project's code. `[tool.uv.sources]` and Poetry `git`/`path`/`url`
 * dependencies carry no version.
 *
 * PEP 508 strings are read by the requirements scanner's reader (`parseRequirementAt`) with each
 * offset mapped through the TOML string's quotes and escapes; Poetry constraints by
 * `poetryConstraint.ts`. The TOML is parsed with `toml-eslint-parser` (TOML 1.1, source offsets);
 * on a syntax error the parts before it and from the next table header after it are still read,
 * and the error becomes a note. Never throws.
 *
 * Also exports the TOML document reader shared with the Pipfile scanner.
 */
import type { AST } from 'toml-eslint-parser';
import { parseTOML, ParseError } from 'toml-eslint-parser';
import type { Catalog } from '../catalog/catalog';
import { normalizePackageName } from '../catalog/catalog';
import type { Comment, LineSpan, PackagePin, PackagePinReference, PythonVersionReference, Range, ScanNote, ScanResult } from '../model';
import { TextIndex } from '../text';
import type { ConstraintDialect } from './poetryConstraint';
import { parsePoetryConstraint, pinnedMinor, specifierClauses } from './poetryConstraint';
import { parseRequirementAt, pinSubject } from './requirements';

// ---------------------------------------------------------------------------
// The TOML document: key/values with full key paths, strings with offset maps, comments, statements

/** A key/value of the document with the full key path of its table (`['tool', 'poetry', 'dependencies', 'torch']`). */
export interface TomlPair {
  /** Table path plus the (dotted) key; `[[array]]` tables contribute their index as a string. */
  path: string[];
  /** The last key as written. */
  key: AST.TOMLBare | AST.TOMLQuoted;
  value: AST.TOMLContentNode;
  /** The pair is written inside an inline table (`torch = { version = "…" }`). */
  inInline: boolean;
}

/** A decoded TOML string with the document range of any part of it. */
export interface TomlString {
  /** The decoded value (escapes resolved, the newline after an opening `"""` trimmed). */
  value: string;
  /** Document range (LSP, UTF-16) of the decoded units `[from, to)`; a unit from an escape covers the escape. */
  range(from: number, to: number): Range;
  /** Document offsets of the string including its quotes. */
  start: number;
  end: number;
}

/** A parsed TOML document as the dependency scanners read it. */
export interface TomlDocument {
  text: string;
  index: TextIndex;
  /** Every key/value in document order, including those inside inline tables (after their parent). */
  pairs: TomlPair[];
  comments: Comment[];
  statements: LineSpan[];
  /** Syntax errors, each at its offset. */
  notes: ScanNote[];
}

const MAX_ATTEMPTS = 12;

const keyName = (k: AST.TOMLBare | AST.TOMLQuoted): string => (k.type === 'TOMLBare' ? k.name : k.value);

/** The text with `[0, from)` and a byte-order mark blanked (line breaks kept, so offsets stay) and cut at `to`. */
function window(text: string, from: number, to: number): string {
  const w = text.slice(0, from).replace(/[^\r\n]/g, ' ') + text.slice(from, to);
  return w.startsWith('\uFEFF') ? ` ${w.slice(1)}` : w;
}

function tryParse(code: string): AST.TOMLProgram | { offset: number; message: string } {
  try {
    return parseTOML(code, { tomlVersion: '1.1' });
  } catch (e) {
    if (e instanceof ParseError) return { offset: Math.max(0, Math.min(e.index, code.length)), message: e.message };
    return { offset: 0, message: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The start of the line holding `offset`: after the last `\n` or `\r` before it (at index 0 when
 * `offset` is 0), else 0. Searches back to that line break only (`lastIndexOf` of a character the
 * text lacks would search the whole text before `offset`).
 */
function lineStartOf(text: string, offset: number): number {
  for (let i = Math.min(Math.max(offset - 1, 0), text.length - 1); i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i + 1;
  }
  return 0;
}

/** The start of the first line at or after `offset` that opens a table (`[name]`, `[[name]]`), or -1. */
function nextHeaderLine(text: string, offset: number): number {
  const re = /(^|[\r\n])[ \t]*\[/g;
  re.lastIndex = offset;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[1].length;
    if (at >= offset) return at;
  }
  return -1;
}

/** The start of the last table-header line before `offset` that is after `from`, or `from`. */
function previousHeaderLine(text: string, from: number, offset: number): number {
  let best = from;
  for (let at = nextHeaderLine(text, from); at >= 0 && at < offset; at = nextHeaderLine(text, at + 1)) best = at;
  return best;
}

/**
 * Parses the text, and on syntax errors the readable parts: the text before the error line (cut
 * back to earlier table headers while that still fails) and, from the first table header after
 * the error, the rest, again and again. At most {@link MAX_ATTEMPTS} parses.
 */
function parseParts(text: string, notes: ScanNote[], index: TextIndex): AST.TOMLProgram[] {
  const programs: AST.TOMLProgram[] = [];
  let attempts = 0;
  let from = 0;
  while (from <= text.length && attempts < MAX_ATTEMPTS) {
    attempts++;
    const whole = tryParse(window(text, from, text.length));
    if (!('offset' in whole)) {
      programs.push(whole);
      break;
    }
    const pos = index.positionAt(whole.offset);
    notes.push({ range: { start: pos, end: pos }, message: `TOML syntax error, the rest of this table is not read: ${whole.message.replace(/\s+/g, ' ').slice(0, 200)}` });
    let cut = lineStartOf(text, whole.offset);
    while (cut > from && attempts < MAX_ATTEMPTS) {
      attempts++;
      const code = window(text, from, cut);
      let part = tryParse(code);
      // cut inside a multi-line array (a missing comma): close it, so the items before the error are read
      if ('offset' in part && part.offset >= cut && attempts < MAX_ATTEMPTS) attempts++, (part = tryParse(`${code}]`));
      if (!('offset' in part)) {
        programs.push(part);
        break;
      }
      cut = previousHeaderLine(text, from, Math.min(part.offset, cut - 1));
    }
    const errorLineEnd = text.slice(whole.offset).search(/[\r\n]/);
    if (errorLineEnd < 0) break;
    const next = nextHeaderLine(text, whole.offset + errorLineEnd);
    if (next < 0 || next <= from) break;
    from = next;
  }
  return programs;
}

function addPairs(base: string[], kv: AST.TOMLKeyValue, inInline: boolean, out: TomlPair[], depth: number): void {
  const path = [...base, ...kv.key.keys.map(keyName)];
  out.push({ path, key: kv.key.keys[kv.key.keys.length - 1], value: kv.value, inInline });
  if (kv.value.type === 'TOMLInlineTable' && depth < 32) for (const c of kv.value.body) addPairs(path, c, true, out, depth + 1);
}

/** Statement spans: a key/value, or each item of an array value (so a directive applies to one requirement). */
function addStatements(node: AST.TOMLKeyValue | AST.TOMLContentNode, index: TextIndex, out: LineSpan[], depth: number): void {
  const value = node.type === 'TOMLKeyValue' ? node.value : node;
  if (value.type === 'TOMLArray' && depth < 32) {
    for (const el of value.elements) addStatements(el, index, out, depth + 1);
    return;
  }
  out.push({ startLine: index.positionAt(node.range[0]).line, endLine: index.positionAt(Math.max(node.range[0], node.range[1] - 1)).line });
}

/**
 * Reads a TOML document (see {@link TomlDocument}); never throws.
 * @param text the whole file
 */
export function readTomlDocument(text: string): TomlDocument {
  const index = new TextIndex(text);
  const doc: TomlDocument = { text, index, pairs: [], comments: [], statements: [], notes: [] };
  let programs: AST.TOMLProgram[] = [];
  try {
    programs = parseParts(text, doc.notes, index);
  } catch (e) {
    const origin = { line: 0, character: 0 };
    doc.notes.push({ range: { start: origin, end: origin }, message: `the file could not be read as TOML: ${String(e)}` });
  }
  for (const program of programs) {
    for (const item of program.body[0].body) {
      if (item.type === 'TOMLKeyValue') {
        addPairs([], item, false, doc.pairs, 0);
        addStatements(item, index, doc.statements, 0);
      } else {
        const base = item.resolvedKey.map(String);
        for (const kv of item.body) {
          addPairs(base, kv, false, doc.pairs, 0);
          addStatements(kv, index, doc.statements, 0);
        }
      }
    }
    for (const c of program.comments) {
      const start = c.range[0];
      doc.comments.push({
        text: c.value,
        range: { start: index.positionAt(start), end: index.positionAt(c.range[1]) },
        standalone: text.slice(lineStartOf(text, start), start).trim() === '',
      });
    }
  }
  doc.statements.sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  return doc;
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\u001b' };

/**
 * Decodes a string value with the document offsets of each decoded UTF-16 unit: basic strings
 * (`\"`, `\\`, `\n`, `\xHH`, `\uXXXX`, `\UXXXXXXXX`, line-ending backslashes in `"""…"""`),
 * literal strings (`'…'`, `'''…'''`: no escapes), the newline after an opening `"""`/`'''`.
 * @returns undefined when the node is not a string
 */
export function tomlString(node: AST.TOMLContentNode, doc: TomlDocument): TomlString | undefined {
  if (node.type !== 'TOMLValue' || node.kind !== 'string') return undefined;
  const { text, index } = doc;
  const [start, end] = node.range;
  const q = node.multiline ? 3 : 1;
  let at = start + q;
  const stop = Math.max(at, end - q);
  if (node.multiline) {
    if (text[at] === '\n') at++;
    else if (text[at] === '\r' && text[at + 1] === '\n') at += 2;
  }
  let value = '';
  const from: number[] = [];
  const to: number[] = [];
  const push = (s: string, a: number, b: number) => {
    for (let k = 0; k < s.length; k++) from.push(a), to.push(b);
    value += s;
  };
  while (at < stop) {
    const ch = text[at];
    if (ch !== '\\' || node.style === 'literal') {
      push(ch, at, at + 1);
      at++;
      continue;
    }
    const n = text[at + 1] ?? '';
    if (n in SIMPLE_ESCAPES) {
      push(SIMPLE_ESCAPES[n], at, at + 2);
      at += 2;
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = text.slice(at + 2, at + 2 + len);
      const cp = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : NaN;
      push(cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD', at, Math.min(at + 2 + len, stop));
      at += 2 + len;
    } else if (node.multiline && /[ \t\r\n]/.test(n)) {
      // line-ending backslash: it and all whitespace and line breaks up to the next character are trimmed
      let j = at + 1;
      while (j < stop && /[ \t\r\n]/.test(text[j])) j++;
      at = j;
    } else {
      push(ch, at, at + 1);
      at++;
    }
  }
  const contentEnd = Math.min(at, stop);
  const range = (a: number, b: number): Range => {
    const lo = Math.max(0, Math.min(a, value.length));
    const hi = Math.max(lo, Math.min(b, value.length));
    const s = lo < value.length ? from[lo] : contentEnd;
    const e = hi > lo ? to[hi - 1] : s;
    return { start: index.positionAt(s), end: index.positionAt(e) };
  };
  return { value, range, start, end };
}

/** The document range of a key without its quotes. */
function keyRange(key: AST.TOMLBare | AST.TOMLQuoted, doc: TomlDocument): Range {
  const q = key.type === 'TOMLQuoted' ? 1 : 0;
  return { start: doc.index.positionAt(key.range[0] + q), end: doc.index.positionAt(Math.max(key.range[0] + q, key.range[1] - q)) };
}

/** Document range of offsets `[a, b)`. */
export function offsetRange(doc: TomlDocument, a: number, b: number): Range {
  return { start: doc.index.positionAt(a), end: doc.index.positionAt(b) };
}

/** A short description of a TOML value for notes (`a string`, `an array`, `a number`). */
export function describeValue(node: AST.TOMLContentNode): string {
  if (node.type === 'TOMLArray') return 'an array';
  if (node.type === 'TOMLInlineTable') return 'a table';
  if (node.kind === 'string') return 'a string';
  if (node.kind === 'integer' || node.kind === 'float') return 'a number';
  if (node.kind === 'boolean') return 'a boolean';
  return 'a date';
}

// ---------------------------------------------------------------------------
// Dependency tables (`name = constraint`), shared with the Pipfile scanner

/** One dependency of a table whose keys are package names (Poetry dependencies, Pipfile categories). */
export interface DependencyEntry {
  name: string;
  nameKey: AST.TOMLBare | AST.TOMLQuoted;
  /** The value when written as `name = value`; undefined for the sub-table form (`[deps.name]` or `name.version = …`). */
  value?: AST.TOMLContentNode;
  /** The fields of the sub-table form, by name. */
  fields: Map<string, TomlPair>;
}

/**
 * The entries of every table whose path `isTable` accepts, in document order: direct key/values
 * and sub-tables (`[tool.poetry.dependencies.torch]` with `version = …`, dotted `torch.version`).
 */
export function dependencyEntries(doc: TomlDocument, isTable: (path: readonly string[]) => boolean): DependencyEntry[] {
  const out: DependencyEntry[] = [];
  const byPath = new Map<string, DependencyEntry>();
  const id = (p: readonly string[]) => p.join('\u0000');
  for (const pair of doc.pairs) {
    const p = pair.path;
    if (p.length >= 2 && isTable(p.slice(0, -1))) {
      if (byPath.has(id(p))) continue;
      const e: DependencyEntry = { name: p[p.length - 1], nameKey: pair.key, value: pair.value, fields: new Map() };
      byPath.set(id(p), e);
      out.push(e);
    }
  }
  for (const pair of doc.pairs) {
    const p = pair.path;
    if (p.length < 3 || !isTable(p.slice(0, -2))) continue;
    const owner = id(p.slice(0, -1));
    let e = byPath.get(owner);
    if (e?.value) continue; // a key of the entry's own inline table
    if (!e) {
      e = { name: p[p.length - 2], nameKey: pair.key, fields: new Map() };
      byPath.set(owner, e);
      out.push(e);
    }
    if (!e.fields.has(p[p.length - 1])) e.fields.set(p[p.length - 1], pair);
  }
  return out;
}

/** Keys of a dependency table entry that install from elsewhere than an index, so carry no version. */
const SOURCE_KEYS = new Set(['git', 'path', 'url', 'file', 'hg', 'svn', 'bzr', 'editable', 'develop']);

/** The fields of an inline table value, by name (first definition wins). */
function inlineFields(node: AST.TOMLInlineTable): Map<string, TomlPair> {
  const out = new Map<string, TomlPair>();
  for (const kv of node.body) {
    if (kv.key.keys.length !== 1) continue;
    const name = keyName(kv.key.keys[0]);
    if (!out.has(name)) out.set(name, { path: [name], key: kv.key.keys[0], value: kv.value, inInline: true });
  }
  return out;
}

/** An empty scan result. */
function emptyScan(): ScanResult {
  return { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
}

/** Index URLs of `[[source]]`-like arrays of tables: `url` of each item of the tables `paths` name. */
export function sourceUrls(doc: TomlDocument, tables: ReadonlyArray<readonly string[]>): string[] {
  const out: string[] = [];
  for (const pair of doc.pairs) {
    const p = pair.path;
    if (p.length < 3 || p[p.length - 1] !== 'url' || !/^\d+$/.test(p[p.length - 2])) continue;
    const table = p.slice(0, -2);
    if (!tables.some((t) => t.length === table.length && t.every((k, i) => k === table[i]))) continue;
    const s = tomlString(pair.value, doc);
    if (s) out.push(s.value);
  }
  return out;
}

// ---------------------------------------------------------------------------
// pyproject.toml

/** How one reference was written: the PEP 508 strings of `manager` pip, or Poetry constraints. */
type Manager = NonNullable<PackagePin['manager']>;

const NAME_START = /^[A-Za-z0-9]/;

/**
 * Reads a PEP 508 requirement string of an array (`"torch>=2.1,<2.2; python_version >= '3.9'"`).
 * Strings that do not start with a name (paths, `-e …` of PDM) are skipped silently.
 */
function requirementFromString(node: AST.TOMLContentNode, doc: TomlDocument, catalog: Catalog, out: ScanResult, options: { constraint?: boolean; manager: Manager }): void {
  const s = tomlString(node, doc);
  if (!s) {
    out.notes.push({ range: offsetRange(doc, node.range[0], node.range[1]), message: `expected a requirement string, found ${describeValue(node)}` });
    return;
  }
  const lead = s.value.length - s.value.trimStart().length;
  const req = s.value.slice(lead).trimEnd();
  if (!NAME_START.test(req)) return;
  const ref = parseRequirementAt(req, (a, b) => s.range(lead + a, lead + b), catalog, out.notes, { constraint: options.constraint });
  if (!ref) return;
  ref.pin.manager = options.manager;
  out.references.push(ref);
}

/** Paths of the arrays of PEP 508 strings read, with whether they constrain rather than install. */
function pep508Array(path: readonly string[]): { constraint: boolean } | undefined {
  const [a, b, c] = path;
  if (a === 'project' && path.length === 2 && b === 'dependencies') return { constraint: false };
  if (a === 'project' && path.length === 3 && b === 'optional-dependencies') return { constraint: false };
  if (a === 'dependency-groups' && path.length === 2) return { constraint: false };
  if (a === 'tool' && b === 'pdm' && c === 'dev-dependencies' && path.length === 4) return { constraint: false };
  if (a === 'tool' && b === 'uv' && path.length === 3) {
    if (c === 'dev-dependencies' || c === 'override-dependencies') return { constraint: false };
    if (c === 'constraint-dependencies') return { constraint: true };
  }
  return undefined;
}

/** Poetry dependency tables: `tool.poetry.dependencies`, `tool.poetry.dev-dependencies`, `tool.poetry.group.<g>.dependencies`. */
function isPoetryTable(path: readonly string[]): boolean {
  if (path[0] !== 'tool' || path[1] !== 'poetry') return false;
  if (path.length === 3) return path[2] === 'dependencies' || path[2] === 'dev-dependencies';
  return path.length === 5 && path[2] === 'group' && path[4] === 'dependencies';
}

/**
 * A framework or Neuron pin from a constraint string of a dependency table (Poetry `"^1.13"`, or the
 * `version` of `{ version = "^1.13", … }`; a Pipfile `"==2.1.0"`), read with {@link parsePoetryConstraint}
 * (dialect `poetry` for manager `poetry`, else `pep440`; `||` alternatives are chosen by the
 * framework's known releases, or the Neuron package's known versions); no version node means unpinned. The reference
 * covers the document from `anchor` (the package key, or the table item) to the end of the string,
 * or to `unpinnedEnd` (the end of the table) when there is no version.
 */
function pinFromConstraint(
  name: string,
  nameRange: Range,
  versionNode: AST.TOMLContentNode | undefined,
  anchor: number,
  unpinnedEnd: number,
  doc: TomlDocument,
  catalog: Catalog,
  out: ScanResult,
  manager: Manager,
): void {
  const normalizedName = normalizePackageName(name);
  const subject = pinSubject(normalizedName, catalog);
  if (!subject) return;
  let clauses: PackagePin['clauses'] = [];
  let specifier = '';
  let specifierRange: Range | undefined;
  let end = Math.max(anchor, unpinnedEnd);
  if (versionNode) {
    const s = tomlString(versionNode, doc);
    end = versionNode.range[1];
    if (!s) {
      out.notes.push({ range: offsetRange(doc, versionNode.range[0], versionNode.range[1]), message: `the version of ${name} is ${describeValue(versionNode)}, not a string` });
      return;
    }
    const known = subject === 'neuron' ? catalog.neuron?.packageVersions(normalizedName) ?? [] : catalog.releases(subject);
    const parsed = parsePoetryConstraint(s.value, known, manager === 'poetry' ? 'poetry' : 'pep440');
    if (parsed.error) {
      const what = manager === 'poetry' ? 'Poetry constraint' : 'version specifier';
      out.notes.push({ range: s.range(parsed.error.from, parsed.error.to), message: `could not read the ${what} ${JSON.stringify(s.value.trim().slice(0, 60))} of ${name}: ${parsed.error.message}` });
      return;
    }
    clauses = specifierClauses(parsed.clauses, s.range);
    if (parsed.clauses.length > 0 || parsed.alternatives > 1) {
      specifier = s.value.slice(parsed.from, parsed.to);
      specifierRange = s.range(parsed.from, parsed.to);
    }
  }
  const written = clauses.filter((c) => !c.implied);
  const exact = clauses.length === 1 && (written[0]?.operator === '==' || written[0]?.operator === '===') && !written[0].version.includes('*');
  const ref: PackagePinReference = {
    kind: 'framework-package-pin',
    subject,
    version: exact ? clauses[0].version : specifier,
    text: doc.text.slice(anchor, end),
    range: offsetRange(doc, anchor, end),
    pin: { name, normalizedName, nameRange, specifier, clauses, hasHashes: false, constraint: false, manager },
  };
  if (specifierRange) ref.pin.specifierRange = specifierRange;
  out.references.push(ref);
}

/**
 * Reads one dependency of a Poetry or Pipfile table: a constraint string, a table (inline or
 * sub-table; `git`/`path`/`url`/… tables carry no version and are skipped) or, for Poetry, an array
 * of inline tables (multiple constraints: one pin each). Names that are neither a framework nor a
 * Neuron package ({@link pinSubject}) are skipped.
 */
export function dependencyPin(entry: DependencyEntry, doc: TomlDocument, catalog: Catalog, out: ScanResult, manager: 'poetry' | 'pipenv'): void {
  if (!pinSubject(entry.name, catalog)) return;
  const nameRange = keyRange(entry.nameKey, doc);
  const fromTable = (fields: Map<string, TomlPair>, anchor: number, end: number) => {
    if ([...fields.keys()].some((k) => SOURCE_KEYS.has(k))) return;
    pinFromConstraint(entry.name, nameRange, fields.get('version')?.value, anchor, end, doc, catalog, out, manager);
  };
  const v = entry.value;
  if (!v) {
    const pairs = [...entry.fields.values()];
    const first = entry.fields.get('version') ?? pairs[0];
    fromTable(entry.fields, first.key.range[0], first.value.range[1]);
  } else if (v.type === 'TOMLInlineTable') fromTable(inlineFields(v), entry.nameKey.range[0], v.range[1]);
  else if (v.type === 'TOMLArray' && manager === 'poetry') {
    for (const item of v.elements) {
      if (item.type === 'TOMLInlineTable') fromTable(inlineFields(item), item.range[0], item.range[1]);
      else out.notes.push({ range: offsetRange(doc, item.range[0], item.range[1]), message: `a multiple-constraints item of ${entry.name} is ${describeValue(item)}, not a table` });
    }
  } else if (v.type === 'TOMLValue' && v.kind === 'string') pinFromConstraint(entry.name, nameRange, v, entry.nameKey.range[0], v.range[1], doc, catalog, out, manager);
  else out.notes.push({ range: offsetRange(doc, v.range[0], v.range[1]), message: `the version of ${entry.name} is ${describeValue(v)}, not a string or a table` });
}

/**
 * The Python version a constraint pins (see `pinnedMinor`), as a reference over the string
 * content; nothing for lower bounds (`>=3.8`), carets (`^3.10`) or alternatives. A lower bound
 * is not a pin: it says what the project supports at least, not what it runs on.
 */
function pythonPin(node: AST.TOMLContentNode, doc: TomlDocument, out: ScanResult, dialect: ConstraintDialect): void {
  const s = tomlString(node, doc);
  if (!s) return;
  const parsed = parsePoetryConstraint(s.value, [], dialect);
  const pin = pinnedMinor(parsed);
  if (pin) out.references.push(pythonReference(s, [parsed.from, parsed.to], [pin.from, pin.to]));
}

/** A Python version reference over the decoded units `text` of a string, with the version at `version` (offsets `[from, to)`). */
export function pythonReference(s: TomlString, text: readonly [number, number], version: readonly [number, number]): PythonVersionReference {
  return {
    kind: 'python-version',
    subject: 'python',
    version: s.value.slice(version[0], version[1]),
    text: s.value.slice(text[0], text[1]),
    range: s.range(text[0], text[1]),
    versionRange: s.range(version[0], version[1]),
  };
}

/**
 * Runs `read` over the TOML document of `text` with comments, statements and syntax-error notes
 * already in the result; an exception becomes a note (`what` names the file). References come
 * out sorted by position.
 */
export function scanToml(text: string, what: string, read: (doc: TomlDocument, out: ScanResult) => void): ScanResult {
  const out = emptyScan();
  try {
    const doc = readTomlDocument(text);
    out.comments = doc.comments;
    out.statements = doc.statements;
    out.notes.push(...doc.notes);
    read(doc, out);
  } catch (e) {
    const origin = { line: 0, character: 0 };
    out.notes.push({ range: { start: origin, end: origin }, message: `${what} skipped: ${e instanceof Error ? e.message : String(e)}` });
  }
  out.references.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

/**
 * Scans a `pyproject.toml`.
 * @param text the whole file
 * @param catalog recognises framework and Neuron package names and supplies known releases (to choose among Poetry `||` alternatives)
 * @returns framework and Neuron pins (manager `pip` for PEP 508 strings, `poetry` for Poetry constraints) and
 *   Python versions pinned to one minor (`requires-python = "==3.8.*"`, Poetry `python = "~3.8"`),
 *   with LSP ranges (UTF-16) inside the strings; comments; statements (key/values and array items);
 *   index URLs of Poetry, PDM and uv sources; notes for syntax errors and unreadable entries. Never throws.
 */
export function scanPyproject(text: string, catalog: Catalog): ScanResult {
  return scanToml(text, 'pyproject.toml', (doc, out) => {
    for (const pair of doc.pairs) {
      const p = pair.path;
      if (p.length === 2 && p[0] === 'project' && p[1] === 'requires-python') {
        pythonPin(pair.value, doc, out, 'pep440');
        continue;
      }
      const array = pep508Array(p);
      if (!array) continue;
      if (pair.value.type !== 'TOMLArray') {
        out.notes.push({ range: offsetRange(doc, pair.value.range[0], pair.value.range[1]), message: `${p.join('.')} is ${describeValue(pair.value)}, not an array of requirements` });
        continue;
      }
      for (const item of pair.value.elements) {
        if (p[0] === 'dependency-groups' && item.type === 'TOMLInlineTable') continue; // {include-group = "…"} names a group, not a package
        requirementFromString(item, doc, catalog, out, { constraint: array.constraint, manager: 'pip' });
      }
    }
    for (const entry of dependencyEntries(doc, isPoetryTable)) {
      if (entry.name === 'python' && entry.value) pythonPin(entry.value, doc, out, 'poetry');
      else dependencyPin(entry, doc, catalog, out, 'poetry');
    }
    out.indexUrls = sourceUrls(doc, [['tool', 'poetry', 'source'], ['tool', 'pdm', 'source'], ['tool', 'uv', 'index']]);
  });
}
