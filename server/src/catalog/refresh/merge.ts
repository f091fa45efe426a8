/**
 * Merging catalog data over catalog data: the bundled catalog files are the base, and each
 * refreshed source contributes an overlay of the same shape (`catalog.md` §Refresh: "merged over
 * the bundled one"). Both sides are plain objects as parsed from TOML or JSON, before validation;
 * the merged result is validated by the same schemas as the bundled files.
 *
 * Rules: rows of a table are matched by the table's key (a framework version by framework and
 * version, a repository by name, …); a matched row takes the overlay's fields over the base's;
 * list fields of strings become the union (base order first); list fields of rows with a
 * `version` key are merged by version; new rows are appended. Header tables (`catalog`) keep the
 * base's values; `sources` tables are merged by id.
 */

/** The catalog's data files by part name, as parsed, before validation. */
export type CatalogParts = Record<string, Record<string, unknown>>;

/** Key of a row within its table; undefined when the row has no key (it is then appended). */
type RowKey = (row: Record<string, unknown>) => string | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The key of each table of each part. A table not listed here is replaced wholesale by an
 * overlay that has it (for small tables of scalars).
 */
export const TABLE_KEYS: Record<string, Record<string, RowKey>> = {
  catalog: {
    frameworks: (r) => str(r.id),
    versions: (r) => (str(r.framework) && str(r.version) ? `${r.framework}@${r.version}` : undefined),
  },
  images: {
    repositories: (r) => str(r.name),
    registries: (r) => str(r.region),
    legacy_registries: (r) => str(r.account),
    public_registries: (r) => str(r.prefix),
  },
  lifecycle: {
    python: (r) => str(r.version),
    os: (r) => (str(r.id) && str(r.version) ? `${r.id}@${r.version}` : undefined),
    retired: (r) => str(r.id),
    dlami_families: (r) => str(r.id),
  },
  neuron: {
    releases: (r) => str(r.version),
    announcements: (r) => str(r.id),
  },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges two values of one row field. */
function mergeField(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) {
    if (base.every((x) => typeof x === 'string') && over.every((x) => typeof x === 'string')) {
      const seen = new Set(base as string[]);
      return [...base, ...(over as string[]).filter((x) => !seen.has(x))];
    }
    if ([...base, ...over].every((x) => isRecord(x) && typeof x.version === 'string')) {
      return mergeRows(base as Record<string, unknown>[], over as Record<string, unknown>[], (r) => str(r.version));
    }
    return over;
  }
  if (isRecord(base) && isRecord(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeField(base[k], v) : v;
    return out;
  }
  return over;
}

function mergeRow(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeField(base[k], v) : v;
  return out;
}

function mergeRows(base: Record<string, unknown>[], over: Record<string, unknown>[], key: RowKey): Record<string, unknown>[] {
  const out = base.slice();
  const at = new Map<string, number>();
  out.forEach((row, i) => {
    const k = key(row);
    if (k !== undefined) at.set(k, i);
  });
  for (const row of over) {
    const k = key(row);
    const i = k === undefined ? undefined : at.get(k);
    if (i === undefined) {
      if (k !== undefined) at.set(k, out.length);
      out.push(row);
    } else {
      out[i] = mergeRow(out[i], row);
    }
  }
  return out;
}

/**
 * Merges one part's overlay over its base. Neither input is modified.
 * @param part the part name (`catalog`, `images`, `lifecycle`, `neuron`), which picks the table keys
 */
export function mergePart(part: string, base: Record<string, unknown> | undefined, overlay: Record<string, unknown>): Record<string, unknown> {
  const keys = TABLE_KEYS[part] ?? {};
  const out: Record<string, unknown> = { ...(base ?? {}) };
  for (const [table, value] of Object.entries(overlay)) {
    if (table === 'catalog' && base && 'catalog' in base) continue; // the header stays the base's
    const existing = out[table];
    if (table === 'sources' && isRecord(existing) && isRecord(value)) out[table] = { ...existing, ...value };
    else if (Array.isArray(existing) && Array.isArray(value) && keys[table]) out[table] = mergeRows(existing as Record<string, unknown>[], value as Record<string, unknown>[], keys[table]);
    else out[table] = value;
  }
  return out;
}

/** Merges every part of `overlay` over `base`; parts only in `base` are kept as they are. */
export function mergeParts(base: CatalogParts, overlay: CatalogParts): CatalogParts {
  const out: CatalogParts = { ...base };
  for (const [part, value] of Object.entries(overlay)) out[part] = mergePart(part, base[part], value);
  return out;
}
