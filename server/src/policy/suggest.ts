/**
 * "Did you mean …?" for names a person typed into a policy file: keys, rule ids, severities,
 * framework ids and image-pattern placeholders.
 */

/** `warningWindowDays`, `warning_window_days`, `Warning-Window-Days` → `warning-window-days`. */
function normalizeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
}

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * The candidate a misspelt `name` most likely meant, or undefined when none is close: the same
 * name in another case or separator style, a prefix of at least four characters
 * (`warning-window` → `warning-window-days`), or one within an edit distance of a third of its
 * length (at least 2). Names longer than 100 characters get no suggestion.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  if (name.length > 100 || candidates.length === 0) return undefined;
  const n = normalizeName(name);
  let best: { candidate: string; distance: number } | undefined;
  for (const c of candidates) {
    if (normalizeName(c) === n) return c;
    const distance = n.length >= 4 && c.startsWith(n) ? 0.5 : editDistance(n, c);
    if (distance <= Math.max(2, Math.floor(c.length / 3)) && (!best || distance < best.distance)) best = { candidate: c, distance };
  }
  return best?.candidate;
}

/** ` (did you mean 'x'?)` when a candidate is close, else the empty string; for the end of a message. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const c = closestName(name, candidates);
  return c === undefined ? '' : ` (did you mean '${c}'?)`;
}
