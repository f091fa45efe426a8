/**
 * When the language server crashes, the client restarts it, but a server that keeps crashing is
 * not restarted for ever: at most {@link MAX_RESTARTS} restarts within {@link RESTART_WINDOW_MS}
 * (as vscode-languageclient's default handler, stated here so that it is ours and tested). Pure:
 * the caller passes the clock; no `vscode` import.
 */

/** Restarts allowed within the window. */
export const MAX_RESTARTS = 4;
/** The window, in milliseconds (3 minutes). */
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** Counts crashes and decides whether to restart. */
export class RestartPolicy {
  private readonly crashes: number[] = [];

  constructor(
    private readonly maxRestarts = MAX_RESTARTS,
    private readonly windowMs = RESTART_WINDOW_MS,
  ) {}

  /**
   * Records a crash at `now` (milliseconds) and says whether to restart: yes while the crashes in
   * the last `windowMs` (this one included) are at most `maxRestarts`. `crashes` is that number.
   */
  onCrash(now: number): { restart: boolean; crashes: number } {
    this.crashes.push(now);
    while (this.crashes.length && now - this.crashes[0] > this.windowMs) this.crashes.shift();
    return { restart: this.crashes.length <= this.maxRestarts, crashes: this.crashes.length };
  }
}
