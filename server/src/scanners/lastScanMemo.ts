/**
 * Reuse between consecutive scans of a document's versions: the results of the pieces of the last
 * scan (a Dockerfile's `RUN` instructions, a notebook's cells), by a key that holds everything a
 * piece's result depends on, so that the next version reads only the pieces an edit changed.
 */

/**
 * The results of the last scan's pieces, by key. A scan calls {@link begin} with its text and
 * what every piece's result also depends on (`context`: the catalog, options; compared by
 * identity), then {@link get} for each piece.
 *
 * - Only the last scan's entries are kept (one document's worth); older ones are dropped.
 * - An unchanged text is read in full: a re-analysis after a settings change, or a benchmark of one
 *   text, measures the full work.
 * - Another context (another catalog, other options) reads in full.
 * - A key that occurs twice in one scan is computed once.
 *
 * Values are shared between scans: callers must not change a value they get.
 */
export class LastScanMemo<V> {
  private previous = new Map<string, V>();
  private current = new Map<string, V>();
  private text: string | undefined;
  private context: readonly unknown[] = [];

  /** How many values were computed rather than taken from the memo (read by tests). */
  computed = 0;

  /** Starts a scan of `text` whose pieces' results also depend on `context` (compared by identity, element by element). */
  begin(text: string, context: readonly unknown[]): void {
    const sameContext = context.length === this.context.length && context.every((c, i) => c === this.context[i]);
    this.previous = sameContext && text !== this.text ? this.current : new Map();
    this.current = new Map();
    this.text = text;
    this.context = context;
  }

  /** The value of `key`: this scan's or the last scan's, else `compute()`'s (kept for the next scan). */
  get(key: string, compute: () => V): V {
    let found = this.current.get(key) ?? this.previous.get(key);
    if (found === undefined) {
      found = compute();
      this.computed++;
    }
    this.current.set(key, found);
    return found;
  }
}
