/**
 * endoflife.date release cycles → rows of the catalog's `lifecycle` part (Python and OS end of
 * life; shapes of `lifecycleSchema.ts`). Products: `python` (cycles `2.7`, `3.10`), `ubuntu` (LTS
 * cycles `22.04`), `amazon-linux` (`2`, `2023`, and `2018.03`, the last cycle of Amazon Linux 1).
 * Cycles the catalog does not track (Ubuntu interim releases, Amazon Linux 1 cycles before
 * 2018.03) and cycles without a release day or end-of-life day are left out, so that a refresh
 * cannot add rows the schema would reject. For OS rows the catalog's `end_of_life` is
 * endoflife.date's `eol` (the rule of the bundled `lifecycle.toml`).
 */
import type { CatalogParts } from './merge';
import type { EndOfLifeCycle } from './sources';

const PYTHON_CYCLE = /^(2\.7|3\.\d{1,2})$/;
const UBUNTU_LTS = /^(\d{2})\.04$/;
const PATCH = /^\d+\.\d+\.\d+$/;

function dated(c: EndOfLifeCycle): c is EndOfLifeCycle & { released: string; endOfLife: string } {
  return c.released !== undefined && c.endOfLife !== undefined;
}

function osVersion(product: string, cycle: string): string | undefined {
  if (product === 'ubuntu') {
    const m = UBUNTU_LTS.exec(cycle);
    return m && Number(m[1]) % 2 === 0 ? cycle : undefined;
  }
  if (cycle === '2' || cycle === '2023') return cycle;
  return cycle === '2018.03' ? '1' : undefined;
}

/**
 * The lifecycle overlay of one product's cycles.
 * @param product endoflife.date product id
 * @param sourceId the source id the rows cite
 * @returns `{ lifecycle: { python: [...] } }` or `{ lifecycle: { os: [...] } }`; empty for other products
 */
export function overlayFromEndOfLife(product: string, cycles: EndOfLifeCycle[], sourceId: string): CatalogParts {
  if (product === 'python') {
    const python = cycles
      .filter((c) => PYTHON_CYCLE.test(c.cycle))
      .filter(dated)
      .map((c) => ({
        version: c.cycle,
        released: c.released,
        ...(c.endOfActiveSupport ? { end_of_bugfix: c.endOfActiveSupport } : {}),
        end_of_life: c.endOfLife,
        ...(c.latest && PATCH.test(c.latest) ? { latest_patch: c.latest } : {}),
        source: sourceId,
      }));
    return { lifecycle: { python } };
  }
  if (product === 'ubuntu' || product === 'amazon-linux') {
    const os = cycles.filter(dated).flatMap((c) => {
      const version = osVersion(product, c.cycle);
      if (!version) return [];
      return [
        {
          id: product,
          version,
          name: product === 'ubuntu' ? `Ubuntu ${version} LTS` : `Amazon Linux ${version}`,
          released: c.released,
          ...(c.endOfActiveSupport ? { end_of_active_support: c.endOfActiveSupport } : {}),
          end_of_life: c.endOfLife,
          ...(c.endOfExtendedSupport ? { end_of_extended_support: c.endOfExtendedSupport } : {}),
          ...(c.latest ? { latest: c.latest } : {}),
          source: sourceId,
        },
      ];
    });
    return { lifecycle: { os } };
  }
  return {};
}
