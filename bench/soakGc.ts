/**
 * Preloaded into the language server by `bench/soak.ts` for its leak check
 * (`node --expose-gc --require out/bench/soak-gc.js dist/server.js --stdio`): on SIGUSR2 it runs
 * two full garbage collections and writes one line `SOAK_MEMORY {"rss":…,"heapUsed":…,…}`
 * (`process.memoryUsage()`, bytes) to stderr. Without `--expose-gc` it does nothing.
 */
const forceGc = (globalThis as { gc?: () => void }).gc;
if (forceGc) {
  process.on('SIGUSR2', () => {
    forceGc();
    forceGc();
    process.stderr.write(`SOAK_MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
  });
}

export {};
