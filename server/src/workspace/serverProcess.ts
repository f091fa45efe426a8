/**
 * How the language server's Node process is started: the one list of Node options and environment
 * the client (client/src/extension.ts) and the benchmarks (bench/startup.ts, bench/soak.ts,
 * bench/lspPeers.ts) start it with.
 *
 * - `--expose-gc`: after a workspace scan the server runs two full garbage collections
 *   (server.ts releaseMemorySoon), after a large report, and after every 500 analyses of open
 *   documents, so that their garbage (every file's text and analysis; the report's rows; the
 *   versions of an edited document) is given back instead of staying in V8's grown old generation.
 * - `--max-semi-space-size=2` (MB): V8 otherwise grows the young generation up to 16 MB per
 *   semi-space over a long editing session and keeps it; with both, the soak's RSS after 10,000
 *   edits and 1,000 open/close cycles stays within 5% of its RSS after 100 edits (it grew 1.28–1.31×
 *   with `--expose-gc` alone). 2 rather than 4: RSS after a workspace scan of 10,173 files about
 *   4.6 MB lower (a one-off probe), and no difference in edit-to-diagnostics times beyond run-to-run noise (two runs
 *   of the LSP bench with each).
 *
 * Not used (measured, docs/performance.md §Start-up, memory, and §Soak): `--max-semi-space-size=1`
 * (about 15% more CPU per edit) and `--optimize-for-size` (RSS after a scan 146 instead of 252 MB,
 * but the scan and the report took about twice as long).
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--expose-gc', '--max-semi-space-size=2'];

/**
 * Environment added to the language server's: `MALLOC_TRIM_THRESHOLD_=131072` fixes glibc's trim
 * threshold at its documented default (128 KiB). glibc otherwise raises it (up to 32 MiB) each time
 * a large block is freed, after which memory freed by the process stays with it; with it fixed,
 * RSS after a workspace scan of 10,173 files was 83 instead of 94 MB (docs/performance.md §Start-up,
 * memory). Read by glibc's allocator only: other C libraries and allocators ignore it.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_TRIM_THRESHOLD_: '131072' };
