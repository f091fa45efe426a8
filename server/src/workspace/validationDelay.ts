/**
 * When the language server validates an edited document: a small document at once, a larger one
 * after a debounce.
 */

/** Milliseconds the server waits after the last edit of a document that is slow to analyse. */
export const DEBOUNCE_MS = 150;

/**
 * An edited document whose previous analysis took at most this many milliseconds is validated as
 * soon as the edit is applied (in the next turn of the event loop) instead of after
 * {@link DEBOUNCE_MS}: analysing a small document per keystroke costs less than a timer's own
 * lateness (Node's timers fire up to a millisecond or more late), as the Dockerfile language server
 * also validates in its change handler. Documents that take longer keep the debounce, so that
 * typing in them does not queue analyses.
 */
export const IMMEDIATE_ANALYSIS_MS = 2;

/**
 * How long to wait before validating an edited document, in milliseconds (0: at once), from how
 * long its previous analysis took (ms; undefined when it has none, such as a notebook cell whose
 * kind may have changed): the debounce unless that analysis took at most
 * {@link IMMEDIATE_ANALYSIS_MS}.
 */
export function validationDelay(lastAnalysisMs: number | undefined): number {
  return lastAnalysisMs !== undefined && lastAnalysisMs <= IMMEDIATE_ANALYSIS_MS ? 0 : DEBOUNCE_MS;
}
