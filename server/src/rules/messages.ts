/**
 * Message builders: every rule message is made here, so tests and docs use the same words.
 */
import type { Catalog, Framework, FrameworkVersion } from '../catalog/catalog';

/** `1 day`, `754 days`. */
export function days(n: number): string {
  const a = Math.abs(n);
  return `${a} day${a === 1 ? '' : 's'}`;
}

/** How the end-of-patch date of a framework version was obtained, in words (rules.md §How an end-of-patch date is obtained). */
export function endOfPatchBasisText(catalog: Catalog, v: FrameworkVersion): string {
  switch (v.endOfPatchBasis) {
    case 'table':
      return `published in the ${catalog.sourceTitle(v.endOfPatchSource)}`;
    case 'release-plus-365':
      return `release of ${v.version}.0 on ${v.ga ?? 'an unknown day'} + 365 days (DLAMI/DLC policy: end of patch 365 days after the GitHub release)`;
    case 'major-version-exception':
      return `major-version exception for the last minor of a previous major (DLAMI policy: the earlier of release + 2 years and upstream end of support + 6 months)`;
    default:
      return 'source not recorded';
  }
}

export function endOfPatchMessage(fw: Framework, v: FrameworkVersion, ago: number, catalog: Catalog): string {
  const when = ago === 0 ? 'today' : `${days(ago)} ago`;
  return `${fw.name} ${v.version} reached end of patch on ${v.endOfPatch} (${when}); it gets no more security patches or bug fixes. End of patch ${endOfPatchBasisText(catalog, v)}.`;
}

export function endOfPatchSoonMessage(fw: Framework, v: FrameworkVersion, left: number, catalog: Catalog): string {
  const when = left === 0 ? 'today' : `in ${days(left)}`;
  return `${fw.name} ${v.version} ends patch support on ${v.endOfPatch} (${when}). End of patch ${endOfPatchBasisText(catalog, v)}.`;
}

/** `released 2025-07-01`, or `released by 2025-07-01` when the day is only an upper bound (the release happened on or before it). */
export function releasedText(released: string, dateKind?: string): string {
  return dateKind === 'upper_bound' ? `released by ${released}` : `released ${released}`;
}

export function supersededMessage(fw: Framework, pinned: string, latest: string, released: string | undefined, dateKind?: string): string {
  const on = released ? ` (${releasedText(released, dateKind)})` : '';
  return `${fw.name} ${pinned} is superseded by ${latest}${on}; once a later patch is released, images with the earlier patch are no longer maintained (DLAMI §Framework version (patch) upgrades).`;
}

export function unsupportedMessage(fw: Framework, minor: string, catalog: Catalog, reason: string): string {
  return `${fw.name} ${minor} is not a supported framework version: ${reason} (catalog dated ${catalog.generated}).`;
}

export function unknownVersionMessage(fw: Framework, version: string, catalog: Catalog, knowsExistence: boolean): string {
  return knowsExistence
    ? `The catalog (dated ${catalog.generated}) has no release or end-of-patch date for ${fw.name} ${version}; refresh the catalog.`
    : `The catalog (dated ${catalog.generated}) does not know ${fw.name} ${version}; refresh the catalog.`;
}

export function unpinnedMessage(fw: Framework, name: string): string {
  return `${name} is not pinned to a version, so its ${fw.name} framework version cannot be evaluated against end-of-patch dates.`;
}

export function discontinuedMessage(fw: Framework): string {
  const d = fw.discontinued!;
  const successor = d.successor ? ` Move to ${d.successor}.` : '';
  return `${fw.name} is discontinued (since ${d.on}): ${d.note}${successor}`;
}

export function bumpTitle(packageName: string, target: string, what: 'latest-patch' | 'nearest' | 'latest', fw: Framework, hashes: boolean): string {
  const label =
    what === 'latest-patch' ? 'latest patch' : what === 'nearest' ? `nearest supported ${fw.name} version` : `latest supported ${fw.name} version`;
  return `Bump ${packageName} to ${target} (${label}${hashes ? '; regenerate the --hash values' : ''})`;
}
