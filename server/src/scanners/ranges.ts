/**
 * Moving a recogniser's result into a file: recognisers are often run over text assembled from
 * several places (a Dockerfile `FROM` with `ARG` substitutions, a Terraform template with variable
 * defaults) with offsets as positions on line 0; {@link mapRanges} rewrites every range they
 * returned with the caller's mapping.
 */
import type { Position, Range } from '../model';

/**
 * A deep copy of `value` (plain objects and arrays, at most 8 levels deep) with every
 * {@link Range} in it replaced by `map(range)`. Other values are shared, not copied. Never throws
 * unless `map` does.
 */
export function mapRanges<T>(value: T, map: (r: Range) => Range): T {
  return mapValue(value, map, 0) as T;
}

function mapValue(v: unknown, map: (r: Range) => Range, depth: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (isRange(v)) return map(v);
  if (depth > 8) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = mapValue(v[i], map, depth + 1);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const copy: Record<string, unknown> = {};
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) copy[k] = mapValue(o[k], map, depth + 1);
  return copy;
}

function isRange(v: unknown): v is Range {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Partial<Range>;
  return isPosition(r.start) && isPosition(r.end);
}

function isPosition(v: unknown): v is Position {
  return v !== null && typeof v === 'object' && typeof (v as Position).line === 'number' && typeof (v as Position).character === 'number';
}
