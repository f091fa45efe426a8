/**
 * Catalog schemas built at their first check. Building zod schemas (tens of objects, each with its
 * checks) is a noticeable part of a program's start, and loading the bundled catalog, which the
 * build validated (see `load.ts`), needs none of them; the TOML files, a refresh cache and an
 * organisation catalog do, and build them at their first check. Each schema module defines its
 * schemas inside one function run through {@link once}, and exports its file schema through
 * {@link lazySafeParse}.
 */

/** Runs `build` at the first call only and returns its result from then on. */
export function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

/** A schema's `safeParse` (zod: `{ success, data }` or `{ success: false, error }`, never throws for bad input), the schema taken from `schema()` at each call. */
export function lazySafeParse<S extends { safeParse: (value: unknown) => unknown }>(schema: () => S): { safeParse: S['safeParse'] } {
  return { safeParse: ((value: unknown) => schema().safeParse(value)) as S['safeParse'] };
}
