/**
 * One catalog load in a fresh process, as the server and the CLI do it at start: prints JSON with
 * the milliseconds of reading `catalog.json`, validating and indexing the frameworks part, each
 * other part on first use, and a second (warm) build of every part. Run by `bench/run.ts`.
 */
import { buildCatalog, readBundledParts } from '../server/src/catalog/load';

const t0 = performance.now();
const bundled = readBundledParts();
const t1 = performance.now();
const catalog = buildCatalog(bundled.parts, bundled.origins);
const t2 = performance.now();
const part = (get: () => unknown) => {
  const s = performance.now();
  get();
  return performance.now() - s;
};
const images = part(() => catalog.images);
const lifecycle = part(() => catalog.lifecycle);
const neuron = part(() => catalog.neuron);
const t3 = performance.now();
buildCatalog(bundled.parts, bundled.origins).validateAllParts();
const warm = performance.now() - t3;
console.log(JSON.stringify({ read: t1 - t0, frameworks: t2 - t1, images, lifecycle, neuron, all: t2 - t1 + images + lifecycle + neuron, warmAll: warm }));
