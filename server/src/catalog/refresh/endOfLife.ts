/**
 * endoflife.date release cycles → rows of the catalog's `lifecycle` part (Python and OS end of
 * life). Products: `python` (cycles `3.10`, `2.7`), `ubuntu` (`22.04`), `amazon-linux` (`2`,
 * `2023`, `1` as `2018.03`). Cycles the catalog does not track (Ubuntu interim releases) are kept
 * out so that a refresh cannot add noise.
 */
import type { CatalogParts } from './merge';
import type { EndOfLifeCycle } from './sources';

const PYTHON_CYCLE = /^(2\.7|3\.\d{1,2})$/;
const UBUNTU_LTS = /^(\d{2})\.04$/;

/**
 * The lifecycle overlay of one product's cycles.
 * @param product endoflife.date product id
 * @param sourceId the source id the rows cite
 * @returns `{ lifecycle: { python: [...] } }` or `{ lifecycle: { os: [...] } }`; empty for other products
 */
export function overlayFromEndOfLife(product: string, cycles: EndOfLifeCycle[], sourceId: string): CatalogParts {
  if (product === 'python') {
    const python = cycles
      .filter((c) => PYTHON_CYCLE.test(c.cycle) && c.endOfLife !== undefined)
      .map((c) => ({ version: c.cycle, ...(c.released ? { released: c.released } : {}), end_of_life: c.endOfLife, ...(c.latest ? { latest: c.latest } : {}), source: sourceId }));
    return { lifecycle: { python } };
  }
  if (product === 'ubuntu' || product === 'amazon-linux') {
    const os = cycles
      .filter((c) => c.endOfLife !== undefined && (product === 'amazon-linux' || (UBUNTU_LTS.test(c.cycle) && Number(c.cycle.slice(0, 2)) % 2 === 0)))
      .map((c) => {
        const version = product === 'amazon-linux' && c.cycle.startsWith('2018') ? '1' : c.cycle;
        return {
          id: product,
          version,
          ...(c.released ? { released: c.released } : {}),
          end_of_standard_support: c.endOfLife,
          ...(c.endOfExtendedSupport ? { end_of_life: c.endOfExtendedSupport } : {}),
          source: sourceId,
        };
      });
    return { lifecycle: { os } };
  }
  return {};
}
