/**
 * Message builders: every rule message is made here, so tests and docs use the same words.
 */
import type { Catalog, Framework, FrameworkVersion } from '../catalog/catalog';
import { daysBetween } from '../dates';

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

export function unreadableSpecifierMessage(fw: Framework, name: string, specifier: string): string {
  return `Cannot read \`${specifier}\` as a PEP 440 version specifier, so ${name} (${fw.name}) is not judged.`;
}

export function unpinnedMessage(fw: Framework, name: string): string {
  return `${name} is not pinned to a version, so its ${fw.name} framework version cannot be evaluated against end-of-patch dates.`;
}

/**
 * `unpinned` for a pin whose version the shell took as a redirection (`!pip install torch>=2.0`):
 * `redirect.text` is what follows the name (`>=2.0`), `redirect.target` the file name the shell uses.
 */
export function shellRedirectMessage(fw: Framework, name: string, redirect: { text: string; target: string }): string {
  const input = redirect.text.startsWith('<');
  const effect = input
    ? `reads the command's input from a file named \`${redirect.target}\` (the command fails when there is none)`
    : `writes the command's output to a file named \`${redirect.target}\``;
  return `\`${redirect.text}\` after ${name} is a shell redirection, not a version: the shell ${effect} and ${name} is installed unpinned, so its ${fw.name} version cannot be evaluated. Quote the requirement ('${name}${redirect.text}') to pin it.`;
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

// ---------------------------------------------------------------------------
// Container images and DLAMIs

/** `in 12 days`, `today`, `3 days ago` for a day `left` days after `asOf` (negative: before). */
export function relativeDays(left: number): string {
  return left === 0 ? 'today' : left > 0 ? `in ${days(left)}` : `${days(left)} ago`;
}

/** The policy clause an end-of-patch finding of an image or DLAMI rests on. */
export const AGING_OUT_CLAUSE = 'DLAMI §End of patch date (Aging out)';
/** The policy clause of `python-end-of-life` and `os-end-of-life`. */
export const DEPENDENCY_CLAUSE = 'DLAMI §Dependency end-of-support';
/** The policy clause of `pinned-ami-build`. */
export const IN_PLACE_CLAUSE = 'DLAMI §Will my instance be patched in place while my workload is running?';
/** The policy clause of `legacy-image` and `registry-region-mismatch`. */
export const URL_PATTERNS_CLAUSE = 'SageMaker images §URL patterns';

/**
 * `end-of-patch` for an image or DLAMI: `what` names the framework version as the image carries it
 * (`PyTorch 2.6 (inference images)`), `basis` says where the date comes from.
 */
export function imageEndOfPatchMessage(what: string, carrier: string, endOfPatch: string, ago: number, basis: string): string {
  return `${what} reached end of patch on ${endOfPatch} (${relativeDays(-ago)}); ${carrier} for it get no more security patches or bug fixes (${AGING_OUT_CLAUSE}). End of patch ${basis}.`;
}

/** `end-of-patch-soon` for an image or DLAMI. */
export function imageEndOfPatchSoonMessage(what: string, endOfPatch: string, left: number, basis: string): string {
  return `${what} ends patch support on ${endOfPatch} (${relativeDays(left)}) (${AGING_OUT_CLAUSE}). End of patch ${basis}.`;
}

/** `superseded-patch` for an image: a later patch of the same framework version has published images. */
export function imageSupersededMessage(name: string, pinned: string, latest: string, released: string | undefined, dateKind: string | undefined, latestTag: string): string {
  const on = released ? ` (${releasedText(released, dateKind)})` : '';
  return `${name} ${pinned} is superseded by ${latest}${on}, published as ${latestTag}; once the image with the later patch is released, images with the earlier patch are no longer actively maintained (DLAMI §Framework version (patch) upgrades).`;
}

/** `python-end-of-life`. */
export function pythonEndOfLifeMessage(python: string, written: string, endOfLife: string, ago: number, carrier: string): string {
  return `Python ${python} (\`${written}\`) reached end of life on ${endOfLife} (${relativeDays(-ago)}); ${carrier} built on it are no longer actively maintained (${DEPENDENCY_CLAUSE}).`;
}

/** `os-end-of-life`. */
export function osEndOfLifeMessage(os: string, written: string, endOfLife: string, ago: number, carrier: string): string {
  return `${os} (\`${written}\`) reached end of standard support on ${endOfLife} (${relativeDays(-ago)}); ${carrier} built on it are no longer actively maintained (${DEPENDENCY_CLAUSE}).`;
}

/** Title of the `python-end-of-life` fix of a Python version reference (`python=3.8` → `3.10`). */
export function pythonBumpTitle(newText: string, minor: string): string {
  return `Use Python ${newText} (nearest supported Python ${minor}; check that every package has a build for it)`;
}

/** The policy clause of `anaconda-channel`. */
export const ANACONDA_CLAUSE = 'DLAMI §Do I need a commercial license to use the Anaconda Repository?';

/** `anaconda-channel`: `form` is how the channel is written (`ChannelReference.written.form`). */
export function anacondaChannelMessage(channel: string, form: 'list' | 'package' | 'implicit' | 'lock'): string {
  const what =
    form === 'implicit'
      ? 'The environment lists no `channels:`, so conda installs from its default channels (`defaults`): Anaconda\'s repository'
      : form === 'lock'
        ? `The locked packages come from \`${channel}\`, Anaconda's repository`
        : `The conda channel \`${channel}\` is Anaconda's repository`;
  const fix = form === 'lock' ? ' Regenerate the lock file from conda-forge.' : ' Use conda-forge (and `nodefaults`).';
  return `${what}; Anaconda moved to a commercial licensing model for certain users, and actively maintained DLAMIs were migrated to conda-forge (${ANACONDA_CLAUSE}).${fix}`;
}

/** Title of the `anaconda-channel` fix that replaces a channel. */
export function anacondaChannelFixTitle(channel: string, newText: string): string {
  const added = newText.includes('nodefaults') && newText.includes('conda-forge') ? 'conda-forge and nodefaults' : newText;
  return `Replace ${channel} with ${added}`;
}

/** Title of the `anaconda-channel` fix that adds a `channels:` list. */
export function anacondaImplicitFixTitle(): string {
  return 'Add channels: conda-forge, nodefaults';
}

/** `neuron-conda-package`. */
export function neuronCondaPackageMessage(name: string, lastRelease: string, endedWith: string, announced: string): string {
  return `${name} is installed from conda, but Neuron conda packages ended with Neuron ${endedWith} (announced ${announced}): Neuron ${lastRelease} was the last release with conda packages, later releases ship pip packages only (Neuron SDK maintenance policy §Overview). Install it with pip from the Neuron pip repository.`;
}

/** `discontinued` for an image or DLAMI, from a retired thing of the catalog. */
export function retiredMessage(name: string, what: string, end: string | undefined, summary: string, migration: string): string {
  const since = end ? ` since ${end}` : '';
  return `${what} belongs to ${name}, which is discontinued${since}: ${firstSentence(summary)} ${firstSentence(migration)}`.trim();
}

/** The first sentence of a text (up to and including the first `. ` or the end), for short messages. */
export function firstSentence(text: string): string {
  const m = /(?<!\b(?:e\.g|i\.e|etc|vs))\.\s(?=[A-Z"(])/.exec(text);
  return m ? text.slice(0, m.index + 1) : text;
}

/** `legacy-image` for a repository that is only in the legacy image lists. */
export function legacyRepositoryMessage(repository: string, successor: string | undefined): string {
  const to = successor ? ` Its current repository is ${successor}.` : ' No current repository replaces it.';
  return `${repository} is a legacy DLC repository: neither the current Deep Learning Containers documentation nor the Neuron DLC list names it, so its images get no updates (${URL_PATTERNS_CLAUSE}).${to}`;
}

/** `legacy-image` for an image from a legacy registry account. */
export function legacyAccountMessage(account: string, region: string, note: string, current: string | undefined): string {
  const to = current ? ` The DLC registry of ${region} is ${current}.` : '';
  return `${account} is a legacy SageMaker framework image account (${note}) (${URL_PATTERNS_CLAUSE}).${to}`;
}

/** `image-not-published`. */
export function notPublishedMessage(repository: string, tag: string, catalog: Catalog): string {
  return `The catalog (dated ${catalog.generated}) lists no tag ${tag} for ${repository}: no published image has this combination of version, processor, Python, CUDA, OS and platform, so a pull may fail. The catalog's lists come from documentation snapshots and can miss builds; check the tag if it is known to exist.`;
}

/** `registry-region-mismatch`. */
export function registryMismatchMessage(account: string, region: string, expected: string, serves: readonly string[]): string {
  const elsewhere = serves.length ? ` (${account} serves ${serves.slice(0, 3).join(', ')}${serves.length > 3 ? ', …' : ''})` : '';
  return `${region}'s DLC images are served by account ${expected}, not ${account}${elsewhere}; opt-in regions and China use their own accounts (${URL_PATTERNS_CLAUSE}).`;
}

/** `unpinned` for an image: `:latest`, no tag or a rolling tag. */
export function unpinnedImageMessage(uri: string, why: 'no-tag' | 'latest' | 'rolling'): string {
  const what = why === 'no-tag' ? 'has no tag (Docker pulls `latest`)' : why === 'latest' ? 'uses the `latest` tag' : 'uses a rolling tag without a version';
  return `${uri} ${what}: the image it pulls changes over time, so its framework, Python and OS versions cannot be evaluated.`;
}

/** `unpinned` for a DLAMI name filter with only a wildcard for the framework version. */
export function unpinnedDlamiMessage(name: string, family: string): string {
  return `${name} matches any framework version of ${family}: the AMI it selects changes over time, so its framework version cannot be evaluated.`;
}

/** `pinned-ami-build`. */
export function pinnedAmiBuildMessage(date: string, family: string, ssm: boolean): string {
  const alt = ssm ? 'its SSM public parameter or a name filter with `*` for the date' : 'a name filter with `*` for the date';
  return `This ${family} name is pinned to the build of ${date}: DLAMIs are immutable and patched only by new AMIs, so this build never gets the newer patches (${IN_PLACE_CLAUSE}). Use ${alt}.`;
}

/** Title of a whole-tag fix: `Update image to 2.5.1-gpu-… (nearest supported: PyTorch 2.5)`. */
export function imageTagTitle(tag: string, label: string): string {
  return `Update image to ${tag} (${label})`;
}

// ---------------------------------------------------------------------------
// Neuron SDK

/** The policy clause of SDK releases and Neuron's own packages (`neuron-end-of-support`, `neuron-sdk-outdated`). */
export const NEURON_SDK_CLAUSE = 'Neuron §Neuron SDK version life-cycle';
/** The policy clause of frameworks, Python and operating systems that Neuron supports. */
export const NEURON_DEPENDENCY_CLAUSE = 'Neuron §Dependency Software version life-cycle';

/** `2.18.0`, `2.18.0, 2.18.1`, `2.18.0 … 2.19.1 (5 releases)`: the versions of a list of releases, shortened. */
export function releaseList(versions: readonly string[]): string {
  if (versions.length <= 3) return versions.join(', ');
  return `${versions[0]} … ${versions[versions.length - 1]} (${versions.length} releases)`;
}

/** When an end of support takes effect, in words: `from Neuron 2.22.0 (2025-04-03, 597 days ago)`, `after Neuron 2.33`, `in a future release`. */
export function neuronEndText(end: { release?: string; date?: string; effectiveRelease?: string; lastRelease?: string }, asOf: string): string {
  const day = end.date ? ` (${end.date}, ${relativeDays(daysBetween(asOf, end.date))})` : '';
  if (end.release) return `from Neuron ${end.release}${day}`;
  if (end.effectiveRelease) return `from Neuron ${end.effectiveRelease} (not released as of ${asOf})`;
  if (end.lastRelease) return `after Neuron ${end.lastRelease} (the next release is not out as of ${asOf})`;
  return end.date ? `from ${end.date} (${relativeDays(daysBetween(asOf, end.date))})` : 'in a future release (no release or day named yet)';
}

/** One ended or announced thing of a Neuron message: what, when it ends (from {@link neuronEndText}), when it was announced, the clause. */
export interface NeuronEndPhrase { what: string; when: string; announced: string; clause: string }

/**
 * `neuron-end-of-support`: `holder` is the reference in words (`torch-neuronx 2.1.2.2.3.0 (Neuron SDK
 * 2.20.0)`, `This Neuron DLC (Neuron SDK 2.15.0)`); the first ended thing is named in full, the
 * others after "also".
 */
export function neuronEndOfSupportMessage(holder: string, ended: readonly NeuronEndPhrase[]): string {
  const [first, ...rest] = ended;
  const also = rest.length ? ` Also ended: ${rest.map((e) => `${e.what} ${e.when}, announced ${e.announced}`).join('; ')}.` : '';
  return `${holder} is past end of support: Neuron no longer supports ${first.what} ${first.when}; announced ${first.announced} (${first.clause}). It gets no more critical bug fixes or security patches; Neuron recommends upgrading to the latest Neuron SDK release.${also}`;
}

/** `neuron-end-of-support-announced`: still supported until the end takes effect (policy Phase 2). */
export function neuronEndAnnouncedMessage(holder: string, announced: readonly NeuronEndPhrase[]): string {
  const [first, ...rest] = announced;
  const also = rest.length ? ` Also announced: ${rest.map((e) => `${e.what} ${e.when}, announced ${e.announced}`).join('; ')}.` : '';
  return `${holder}: Neuron announced on ${first.announced} the end of support for ${first.what} ${first.when} (${first.clause}); it is supported until then.${also}`;
}

/** `neuron-sdk-outdated`. */
export function neuronOutdatedMessage(holder: string, release: string, date: string, ago: number, latest: string, latestDate: string | undefined): string {
  const latestOn = latestDate ? ` (${latestDate})` : '';
  return `${holder}: Neuron SDK ${release} was released on ${date} (${days(ago)} ago), longer ago than the 12 months AWS usually supports a Neuron SDK release for, and Neuron ${latest}${latestOn} is out. "We recommend users to upgrade to the latest Neuron SDK version" (${NEURON_SDK_CLAUSE}).`;
}

/** `neuron-mixed-releases`, the release part: `pin` belongs to `releases`, the file's newest Neuron pin `other` (on `line`, 1-based) to `otherReleases`. */
export function neuronMixedReleasesMessage(pin: string, releases: readonly string[], other: string, line: number, otherReleases: readonly string[]): string {
  return `${pin} belongs to Neuron SDK ${releaseList(releases)}, but ${other} (line ${line}) belongs to Neuron SDK ${releaseList(otherReleases)}: the Neuron packages of this file share no SDK release. Neuron releases its packages together; install the versions of one release.`;
}

/** `neuron-mixed-releases`, the framework part: a Neuron framework build built for `framework` `version` next to a framework pin that asks for another. */
export function neuronFrameworkMismatchMessage(pin: string, framework: string, version: string, frameworkPin: string, line: number): string {
  return `${pin} is built for ${framework} ${version}, but ${frameworkPin} (line ${line}) in this file asks for another ${framework} version: the installer cannot satisfy both.`;
}

/** Title of the align fix: `Align Neuron packages to SDK 2.31.1`, with what it leaves and a `--hash` note. */
export function neuronAlignTitle(release: string, left: readonly string[], hashes: boolean): string {
  const leaves = left.length ? ` (leaves ${left.join(', ')})` : '';
  return `Align Neuron packages to SDK ${release}${leaves}${hashes ? '; regenerate the --hash values' : ''}`;
}
