/** Errors of catalog loading, shared by every catalog part's parser. */

/** A catalog that cannot be read or does not match the schema; `message` names the place. */
export class CatalogError extends Error {
  constructor(
    message: string,
    readonly location?: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** The `origin: key.path: message` error of a schema issue (`versions[3].end_of_patch: must be a calendar day`). */
export function schemaError(origin: string, issue: { path: readonly PropertyKey[]; message: string }): CatalogError {
  const key = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return new CatalogError(`${origin}: ${key || '(root)'}: ${issue.message}`, key);
}

/** The error of a list of cross-check problems: the first one, and how many more there are. */
export function problemsError(origin: string, problems: string[]): CatalogError {
  return new CatalogError(`${origin}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems[0]);
}
