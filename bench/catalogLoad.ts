/**
 * One catalog load in a fresh process, as the server and the CLI do it at start: prints JSON with
 * the milliseconds from the process's start to the frameworks part built (`start`: Node's start,
 * loading this bundle, reading the catalog and building that part), of reading and parsing
 * `catalog.json`, building the frameworks part, each other
 * part on first use, a second (warm) build of every part, and a build of every part with full
 * validation (a copy of the parts, as a refresh cache or organisation catalog gets: the build's
 * mark is on the bundled objects only); and whether the bundled parts were marked as validated by
 * the build (`prevalidated`, 1 or 0). Run by `bench/startup.ts`.
 */
import { buildCatalog, isValidatedAtBuild, readBundledParts } from '../server/src/catalog/load';

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
const warmAll = part(() => buildCatalog(bundled.parts, bundled.origins).validateAllParts());
const copy = structuredClone(bundled.parts);
const validateAll = part(() => buildCatalog(copy, bundled.origins).validateAllParts());
console.log(
  JSON.stringify({
    start: t2,
    read: t1 - t0,
    frameworks: t2 - t1,
    images,
    lifecycle,
    neuron,
    all: t2 - t0 + images + lifecycle + neuron,
    warmAll,
    validateAll,
    prevalidated: isValidatedAtBuild(bundled.parts.catalog) ? 1 : 0,
  }),
);
