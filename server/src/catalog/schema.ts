/**
 * Schema of the bundled lifecycle catalog (`server/data/catalog.toml`, schema version 1),
 * checked by the build (which marks the bundled `catalog.json` as validated, see `load.ts`) and at
 * every other load (the TOML files, refresh caches, organisation catalogs). See
 * `server/data/README.md` for the meaning of each field and the sources the data was derived from.
 */
// a namespace import (not the `z` object) lets the bundler leave out the parts of zod not used here, such as its locales
import * as z from 'zod';
import { isCalendarDay } from '../dates';
import { lazySafeParse, once } from './lazySchema';

/** How an end-of-patch date was obtained, in the order of `docs/rules/end-of-patch.md`. */
export const endOfPatchBases = ['table', 'release-plus-365', 'major-version-exception'] as const;
export type EndOfPatchBasis = (typeof endOfPatchBases)[number];

/** The schemas of this part, built at the first check (see `lazySchema.ts`). */
export const catalogSchemas = once(() => {
  const day = z.string().refine(isCalendarDay, { message: 'must be a calendar day YYYY-MM-DD' });
  const dayOrMonth = z.string().refine((s) => isCalendarDay(s) || (/^\d{4}-\d{2}$/.test(s) && isCalendarDay(`${s}-01`)), {
    message: 'must be YYYY-MM-DD or YYYY-MM',
  });
  const minorVersion = z.string().regex(/^\d+\.\d+$/, 'must be a major.minor framework version');
  const patchVersion = z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a major.minor.patch version');
  const sourceId = z.string().min(1);

  const patchReleaseSchema = z.strictObject({
    version: patchVersion,
    released: day.optional(),
    date_kind: z.enum(['stated', 'tag', 'upper_bound']).optional(),
    source: sourceId,
    evidence: z.string().optional(),
  });

  const frameworkVersionSchema = z.strictObject({
    framework: z.string().min(1),
    version: minorVersion,
    ga: day.optional(),
    ga_source: sourceId.optional(),
    end_of_patch: day.optional(),
    end_of_patch_basis: z.enum(endOfPatchBases).optional(),
    end_of_patch_source: sourceId.optional(),
    end_of_patch_inference: day.optional(),
    note: z.string().optional(),
    patches: z.array(patchReleaseSchema).default([]),
  });

  const frameworkSchema = z.strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: z.string().min(1),
    packages: z.array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a PEP 503-normalised name')),
    package_patterns: z.array(z.string()).default([]),
    discontinued: z
      .strictObject({ on: dayOrMonth, note: z.string(), source: sourceId, successor: z.string().optional() })
      .optional(),
  });

  const sourceSchema = z.strictObject({
    title: z.string().min(1),
    url: z.string().optional(),
    snapshot: z.string().optional(),
    retrieved: z.string().optional(),
    note: z.string().optional(),
  });

  const catalogFileSchema = z.strictObject({
    catalog: z.strictObject({ schema_version: z.literal(1), generated: day, data_as_of: day.optional() }),
    sources: z.record(z.string(), sourceSchema),
    frameworks: z.array(frameworkSchema).min(1),
    versions: z.array(frameworkVersionSchema).min(1),
  });

  return { patchReleaseSchema, frameworkVersionSchema, frameworkSchema, sourceSchema, catalogFileSchema };
});
type Schemas = ReturnType<typeof catalogSchemas>;

/** Checks a parsed file of this part (zod `safeParse`; the schemas are built at the first call). */
export const catalogFileSchema = lazySafeParse(() => catalogSchemas().catalogFileSchema);

export type CatalogFile = z.infer<Schemas['catalogFileSchema']>;
export type FrameworkRow = z.infer<Schemas['frameworkSchema']>;
export type FrameworkVersionRow = z.infer<Schemas['frameworkVersionSchema']>;
export type PatchReleaseRow = z.infer<Schemas['patchReleaseSchema']>;
export type SourceRow = z.infer<Schemas['sourceSchema']>;
