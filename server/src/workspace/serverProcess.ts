/**
 * How the language server's Node process is started: the one list of Node options the client
 * (client/src/extension.ts) and the benchmarks (bench/startup.ts, bench/soak.ts) start it with.
 *
 * - `--expose-gc`: after a workspace scan the server runs two full garbage collections
 *   (server.ts releaseMemorySoon), and after a large report, so that their garbage (every file's
 *   text and analysis; the report's rows) is given back at once instead of staying in V8's grown
 *   old generation.
 *
 * Not used (measured, docs/performance.md §Start-up, memory): `--max-semi-space-size=1` or `=4`
 * (no lower RSS after a scan nor over the soak's edits, up to ~15% more CPU per edit) and
 * `--optimize-for-size` (RSS after a scan 146 instead of 252 MB, but the scan and the report took
 * about twice as long).
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--expose-gc'];
