/**
 * Memoised findings of the rules that judge one reference on its own (container images, DLAMIs,
 * SageMaker SDK calls, Python versions, accelerators): a document repeats the same image or DLAMI
 * many times, and a document being edited is analysed again on every change, so the findings of a
 * reference are computed once per catalog for what the reference says, `asOf` and the warning
 * window, and moved onto each reference that says the same.
 *
 * What a reference says is every field of it but its positions: {@link shapeOf} reads a reference
 * into a tree of its values with its ranges as leaves, and {@link sameShape} compares another
 * reference with it and lists that reference's ranges in walk order. Two references that say the
 * same have the same structure, so their ranges correspond one to one. The memo files entries under
 * the rule family, `asOf`, the window and the reference's kind and text, and compares a reference
 * with the entries there value by value (no long key built and hashed per reference).
 * A cached finding is moved by replacing each range it holds (its own, and those of its fixes'
 * edits) with the corresponding range of the new reference, and its `reference` with the new
 * reference; a finding holding a range that is none of the reference's (one computed by the rule)
 * cannot be moved, and the rule then runs for that reference as it would without the memo. The
 * result equals what the rule returns for the reference (same values and key order; facts are
 * shared, as they are between a reference's findings anyway).
 *
 * The cache keeps no text of the document: cached findings are copies whose strings are detached
 * from the document text (see {@link detached}) and hold no reference. At most {@link MAX_ENTRIES}
 * entries per catalog are kept; the cache is emptied when full.
 */
import type { Catalog } from '../catalog/catalog';
import type { Finding, Range, Reference } from '../model';
import { detached } from '../text';
import type { RuleContext } from './context';

/** Entries kept per catalog before the cache is emptied. */
const MAX_ENTRIES = 2000;
/** References nested deeper than this are not memoised (none is; a guard against odd input). */
const MAX_DEPTH = 32;

interface Entry {
  /** The ranges of the reference the findings were computed for, in walk order. */
  ranges: readonly Range[];
  /** Its findings, detached (`reference` undefined; strings copied). */
  findings: readonly Finding[];
  /** Every range the findings hold is one of `ranges`: they can be moved. */
  movable: boolean;
}

function isRange(v: object): v is Range {
  const r = v as Partial<Range>;
  return typeof r.start === 'object' && r.start !== null && typeof r.end === 'object' && r.end !== null && typeof r.start.line === 'number' && typeof r.end.character === 'number';
}

/** The object has exactly two own enumerable keys (a range's `start` and `end`), counted without building a key list. */
function twoKeys(v: object): boolean {
  let n = 0;
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k) && ++n > 2) return false;
  return n === 2;
}

/**
 * A deep copy of a finding whose `reference` is undefined (the key kept in its place) and whose
 * strings are detached; ranges are kept as they are (they hold no text), and objects shared within
 * one copy (the facts of a reference's findings) stay shared.
 */
function detachedFinding(f: Finding, copies: Map<object, unknown>): Finding {
  const copy = (v: unknown): unknown => {
    if (typeof v === 'string') return detached(v);
    if (v === null || typeof v !== 'object' || isRange(v)) return v;
    const known = copies.get(v);
    if (known !== undefined) return known;
    if (Array.isArray(v)) {
      const a: unknown[] = [];
      copies.set(v, a);
      for (const x of v) a.push(copy(x));
      return a;
    }
    const o: Record<string, unknown> = {};
    copies.set(v, o);
    for (const [k, x] of Object.entries(v)) o[k] = copy(x);
    return o;
  };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(f)) out[k] = k === 'reference' ? undefined : copy(x);
  return out as unknown as Finding;
}

/**
 * What a reference says, as a tree to compare another reference with (no document text: strings are
 * detached). Ranges are leaves; objects keep their keys in order.
 */
type Shape =
  | { t: 'p'; type: string; value: unknown }
  | { t: 'r' }
  | { t: 'a'; items: Shape[] }
  | { t: 'o'; keys: string[]; values: Shape[] };

/** The shape of a value (strings by value and type, other primitives by type and `String` value; ranges as leaves), or undefined past {@link MAX_DEPTH}. */
function shapeOf(v: unknown, depth: number): Shape | undefined {
  if (typeof v === 'string') return { t: 'p', type: 'string', value: detached(v) };
  if (v === null || typeof v !== 'object') return { t: 'p', type: typeof v, value: v };
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(v)) {
    const items: Shape[] = [];
    for (const x of v) {
      const s = shapeOf(x, depth + 1);
      if (!s) return undefined;
      items.push(s);
    }
    return { t: 'a', items };
  }
  if (isRange(v) && twoKeys(v)) return { t: 'r' };
  const keys: string[] = [];
  const values: Shape[] = [];
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const s = shapeOf((v as Record<string, unknown>)[k], depth + 1);
    if (!s) return undefined;
    keys.push(k);
    values.push(s);
  }
  return { t: 'o', keys, values };
}

/**
 * True when `v` says what `shape` says (the same keys in the same order and the same values, ranges
 * aside); pushes the ranges of `v` in walk order onto `ranges`.
 */
function sameShape(v: unknown, shape: Shape, ranges: Range[]): boolean {
  if (shape.t === 'p') {
    if (typeof v !== shape.type) return false;
    return v === shape.value || (shape.type !== 'string' && String(v) === String(shape.value));
  }
  if (v === null || typeof v !== 'object') return false;
  if (shape.t === 'a') {
    if (!Array.isArray(v) || v.length !== shape.items.length) return false;
    for (let i = 0; i < v.length; i++) if (!sameShape(v[i], shape.items[i], ranges)) return false;
    return true;
  }
  if (Array.isArray(v)) return false;
  const range = isRange(v) && twoKeys(v);
  if (shape.t === 'r') {
    if (!range) return false;
    ranges.push(v as Range);
    return true;
  }
  if (range) return false;
  let i = 0;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (i >= shape.keys.length || shape.keys[i] !== k || !sameShape((v as Record<string, unknown>)[k], shape.values[i], ranges)) return false;
    i++;
  }
  return i === shape.keys.length;
}

/**
 * The ranges of `b` in walk order when `b` says what `a` says (every value but the ranges equal, the
 * same keys in the same order), so that the memo would move `a`'s findings onto `b`; undefined when
 * they differ or `a` is nested too deeply to read.
 */
export function sameSaying(a: Reference, b: Reference): Range[] | undefined {
  const shape = shapeOf(a, 0);
  const ranges: Range[] = [];
  return shape && sameShape(b, shape, ranges) ? ranges : undefined;
}

/** Memo entries per catalog, by rule family, `asOf`, warning window, kind and text of the reference. */
interface Bucketed extends Entry {
  shape: Shape;
}
interface Memo {
  buckets: Map<string, Bucketed[]>;
  size: number;
}
const memos = new WeakMap<Catalog, Memo>();
/** Entries kept per bucket (references of one text that say different things: rare). */
const MAX_PER_BUCKET = 8;

/**
 * The findings `compute` returns for `ref`, memoised per catalog by what `ref` says (see the module
 * comment), the rule family `rule`, `ctx.asOf` and `ctx.warningWindowDays`. Fresh objects each call
 * (the caller may set their severities); facts are shared.
 *
 * The memo is looked up by a short key (rule, asOf, window, the reference's kind and text), then
 * each entry under it is compared with `ref` value by value ({@link sameShape}).
 */
export function memoizedFindings(ref: Reference, ctx: RuleContext, rule: string, compute: () => Finding[]): Finding[] {
  let memo = memos.get(ctx.catalog);
  if (!memo) memos.set(ctx.catalog, (memo = { buckets: new Map(), size: 0 }));
  const text = (ref as { text?: unknown }).text;
  const key = `${rule}\u0000${ctx.asOf}\u0000${ctx.warningWindowDays}\u0000${ref.kind}\u0000${typeof text === 'string' ? text : ''}`;
  const bucket = memo.buckets.get(key);
  if (bucket) {
    for (const entry of bucket) {
      const ranges: Range[] = [];
      if (sameShape(ref, entry.shape, ranges)) return (entry.movable && moved(entry, ranges, ref)) || compute();
    }
  }
  const shape = shapeOf(ref, 0);
  if (!shape) return compute();
  const ranges: Range[] = [];
  sameShape(ref, shape, ranges); // the ranges in walk order
  const findings = compute();
  const copies = new Map<object, unknown>();
  const known = new Set(ranges);
  const movable = findings.every((f) => known.has(f.range) && f.fixes.every((x) => x.edits.every((e) => known.has(e.range))));
  if (memo.size >= MAX_ENTRIES) {
    memo.buckets.clear();
    memo.size = 0;
  }
  const entry: Bucketed = { shape, ranges, findings: movable ? findings.map((f) => detachedFinding(f, copies)) : [], movable };
  const list = memo.buckets.get(key);
  if (!list) memo.buckets.set(detached(key), [entry]);
  else if (list.length < MAX_PER_BUCKET) list.push(entry);
  else list[list.length - 1] = entry;
  memo.size++;
  return findings;
}

/** The entry's findings on `ref` (whose ranges are `ranges`), or undefined when a finding holds a range that cannot be moved. */
function moved(entry: Entry, ranges: readonly Range[], ref: Reference): Finding[] | undefined {
  const map = new Map<Range, Range>();
  for (let i = 0; i < entry.ranges.length; i++) {
    const prev = map.get(entry.ranges[i]);
    if (prev !== undefined && prev !== ranges[i]) return undefined; // the two references share ranges differently
    map.set(entry.ranges[i], ranges[i]);
  }
  const out: Finding[] = [];
  for (const f of entry.findings) {
    const range = map.get(f.range);
    if (!range) return undefined;
    const fixes = [];
    for (const x of f.fixes) {
      const edits = [];
      for (const e of x.edits) {
        const r = map.get(e.range);
        if (!r) return undefined;
        edits.push({ ...e, range: r });
      }
      fixes.push({ ...x, edits });
    }
    const g: Finding = { ...f, range, fixes };
    if ('reference' in f) g.reference = ref;
    out.push(g);
  }
  return out;
}
