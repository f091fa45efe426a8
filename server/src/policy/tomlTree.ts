/**
 * TOML text → a tree of tables, arrays and values that keeps, for every key and value, its source
 * offsets (UTF-16 code-unit indexes into the text, half-open `[start, end)`; quoted values and keys
 * include their quotes). Parsed with `toml-eslint-parser` (TOML 1.1), which reports a syntax error
 * with its offset; the tree merges `[table]` headers, `[[array]]` headers, dotted keys and inline
 * tables into one structure, so the policy validator reads `[tool.dl-lifecycle.rules]` and
 * `tool.dl-lifecycle.rules = {…}` alike.
 */
import type { AST } from 'toml-eslint-parser';
import { parseTOML, ParseError } from 'toml-eslint-parser';

/** Half-open offset range `[start, end)` into the parsed text. */
export type OffsetRange = readonly [number, number];

/** A table; `range` is its header key, its inline table, or the first key that implied it. */
export interface TomlTable { type: 'table'; entries: Map<string, TomlEntry>; range: OffsetRange }
/** An array (of values, or of tables from `[[header]]`s). */
export interface TomlArray { type: 'array'; items: TomlNode[]; range: OffsetRange }
/** A scalar: string, number, boolean or date/time, as the parser gives it. */
export interface TomlScalar { type: 'value'; value: AST.TOMLValue; range: OffsetRange }
export type TomlNode = TomlTable | TomlArray | TomlScalar;

/** One key of a table: its name, where the key is written (first definition) and its value. */
export interface TomlEntry { key: string; keyRange: OffsetRange; node: TomlNode }

/** The parse of a TOML text: the root table, or the syntax error (message and offset). */
export type TomlParse = { root: TomlTable } | { error: { message: string; offset: number } };

const range = (n: { range: [number, number] }): OffsetRange => [n.range[0], n.range[1]];
const keyName = (k: AST.TOMLBare | AST.TOMLQuoted): string => (k.type === 'TOMLBare' ? k.name : k.value);

function newTable(r: OffsetRange): TomlTable {
  return { type: 'table', entries: new Map(), range: r };
}

/** The table under `key` in `table`, created when missing; the last table of an array of tables. */
function childTable(table: TomlTable, key: AST.TOMLBare | AST.TOMLQuoted): TomlTable {
  const name = keyName(key);
  let entry = table.entries.get(name);
  if (!entry) {
    entry = { key: name, keyRange: range(key), node: newTable(range(key)) };
    table.entries.set(name, entry);
  }
  const node = entry.node;
  if (node.type === 'table') return node;
  const last = node.type === 'array' ? node.items.at(-1) : undefined;
  // the parser rejects redefinitions, so this is a detached table only for inputs it let through
  return last?.type === 'table' ? last : newTable(range(key));
}

function convert(node: AST.TOMLContentNode): TomlNode {
  if (node.type === 'TOMLValue') return { type: 'value', value: node, range: range(node) };
  if (node.type === 'TOMLArray') return { type: 'array', items: node.elements.map(convert), range: range(node) };
  const table = newTable(range(node));
  for (const kv of node.body) addKeyValue(table, kv);
  return table;
}

function addKeyValue(table: TomlTable, kv: AST.TOMLKeyValue): void {
  const keys = kv.key.keys;
  let t = table;
  for (const k of keys.slice(0, -1)) t = childTable(t, k);
  const last = keys[keys.length - 1];
  const name = keyName(last);
  if (!t.entries.has(name)) t.entries.set(name, { key: name, keyRange: range(last), node: convert(kv.value) });
}

function addTable(root: TomlTable, header: AST.TOMLTable): TomlTable {
  const keys = header.key.keys;
  let t = root;
  for (const k of keys.slice(0, -1)) t = childTable(t, k);
  const last = keys[keys.length - 1];
  if (header.kind === 'standard') {
    const table = childTable(t, last);
    if (table.range[0] === last.range[0]) table.range = range(header.key);
    return table;
  }
  const name = keyName(last);
  let entry = t.entries.get(name);
  if (!entry) {
    entry = { key: name, keyRange: range(last), node: { type: 'array', items: [], range: range(header.key) } };
    t.entries.set(name, entry);
  }
  const table = newTable(range(header.key));
  if (entry.node.type === 'array') entry.node.items.push(table);
  return table;
}

/** Parses TOML 1.1 text; never throws (a syntax error is returned with its offset). */
export function parseTomlTree(text: string): TomlParse {
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(text, { tomlVersion: '1.1' });
  } catch (e) {
    if (e instanceof ParseError) return { error: { message: e.message, offset: Math.max(0, Math.min(e.index, text.length)) } };
    return { error: { message: e instanceof Error ? e.message : String(e), offset: 0 } };
  }
  const root = newTable([0, 0]);
  for (const item of program.body[0].body) {
    if (item.type === 'TOMLKeyValue') addKeyValue(root, item);
    else {
      const table = addTable(root, item);
      for (const kv of item.body) addKeyValue(table, kv);
    }
  }
  return { root };
}

/** A short name for a node's type in messages: `a string`, `an array`, `a table`, `an integer`, `a date`. */
export function describeNode(node: TomlNode): string {
  if (node.type === 'table') return 'a table';
  if (node.type === 'array') return 'an array';
  switch (node.value.kind) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'float':
      return 'a number with a fraction';
    case 'boolean':
      return 'a boolean';
    case 'local-time':
      return 'a time of day';
    case 'local-date':
      return 'a date';
    default:
      return 'a date with a time';
  }
}
