/**
 * Memoised findings of the rules that judge one reference on its own (container images, DLAMIs,
 * SageMaker SDK calls, Python versions, accelerators): a document repeats the same image or DLAMI
 * many times, and a document being edited is analysed again on every change, so the findings of a
 * reference are computed once per catalog for what the reference says, `asOf` and the warning
 * window, and moved onto each reference that says the same.
 *
 * What a reference says is every field of it but its positions: {@link referenceShape} walks the
 * reference and writes every value except ranges into a key, and lists the ranges in walk order.
 * Two references with the same key have the same structure, so their ranges correspond one to one.
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

const caches = new WeakMap<Catalog, Map<string, Entry>>();

function isRange(v: object): v is Range {
  const r = v as Partial<Range>;
  return typeof r.start === 'object' && r.start !== null && typeof r.end === 'object' && r.end !== null && typeof r.start.line === 'number' && typeof r.end.character === 'number';
}

/**
 * The key of what a reference says (every value but its ranges, with the field names) and its
 * ranges in walk order; undefined when the reference is nested too deeply to walk.
 */
export function referenceShape(ref: Reference): { key: string; ranges: Range[] } | undefined {
  const ranges: Range[] = [];
  const parts: string[] = [];
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') parts.push(JSON.stringify(v));
    else if (v === null || typeof v !== 'object') parts.push(`${typeof v}:${String(v)}`);
    else if (depth > MAX_DEPTH) return false;
    else if (isRange(v) && Object.keys(v).length === 2) {
      ranges.push(v);
      parts.push('@');
    } else if (Array.isArray(v)) {
      parts.push('[');
      for (const x of v) if (!walk(x, depth + 1)) return false;
      parts.push(']');
    } else {
      parts.push('{');
      for (const [k, x] of Object.entries(v)) {
        parts.push(k);
        if (!walk(x, depth + 1)) return false;
      }
      parts.push('}');
    }
    return true;
  };
  return walk(ref, 0) ? { key: parts.join('\u0000'), ranges } : undefined;
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
 * The findings `compute` returns for `ref`, memoised per catalog by what `ref` says (see the module
 * comment), the rule family `rule`, `ctx.asOf` and `ctx.warningWindowDays`. Fresh objects each call
 * (the caller may set their severities); facts are shared.
 */
export function memoizedFindings(ref: Reference, ctx: RuleContext, rule: string, compute: () => Finding[]): Finding[] {
  const shape = referenceShape(ref);
  if (!shape) return compute();
  let cache = caches.get(ctx.catalog);
  if (!cache) caches.set(ctx.catalog, (cache = new Map()));
  const key = `${rule}\u0000${ctx.asOf}\u0000${ctx.warningWindowDays}\u0000${shape.key}`;
  const entry = cache.get(key);
  if (!entry) {
    const findings = compute();
    const copies = new Map<object, unknown>();
    const known = new Set(shape.ranges);
    const movable = findings.every((f) => known.has(f.range) && f.fixes.every((x) => x.edits.every((e) => known.has(e.range))));
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, { ranges: shape.ranges, findings: movable ? findings.map((f) => detachedFinding(f, copies)) : [], movable });
    return findings;
  }
  return (entry.movable && moved(entry, shape.ranges, ref)) || compute();
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
