/**
 * Conda environment rules (rules.md §Environment rules, §Neuron SDK rules):
 * - `anaconda-channel` (information): a conda environment installs from Anaconda's repository:
 *   the `defaults` or `anaconda` channel (or `main`, `r`, `msys2`, `free`, `pkgs/…`, a
 *   repository URL of Anaconda), written in `channels:`, as a `channel::pkg` prefix, in an explicit
 *   lock file's URLs, or implied by a file without `channels:`. DLAMI §Do I need a commercial license
 *   to use the Anaconda Repository?: actively maintained DLAMIs moved to conda-forge because of
 *   Anaconda's commercial licensing. Fix: conda-forge (and `nodefaults`).
 * - `neuron-conda-package` (warning): a Neuron package installed from conda. Neuron conda packages
 *   ended with Neuron 1.14.0; 1.13.0 was the last release that shipped them (Neuron SDK maintenance
 *   policy §Overview; data: `catalog.neuron.conda`).
 *
 * Rules never read the clock; neither rule depends on `asOf` (both conditions hold since dates in
 * the past of any evaluation day the catalog supports).
 */
import type { Finding, Fix, PackagePinReference, Reference } from '../model';
import type { ChannelReference } from '../model';
import { referenceFinding } from './containerImage';
import type { RuleContext } from './context';
import type { ReferenceDescription } from './describe';
import * as msg from './messages';

/** Channel names that are Anaconda's repository (`defaults` expands to `pkgs/main`, `pkgs/r`, and `pkgs/msys2` on Windows). */
const ANACONDA_NAMES = new Set(['defaults', 'anaconda', 'main', 'r', 'msys2', 'free', 'pro', 'mro', 'pkgs/main', 'pkgs/r', 'pkgs/msys2', 'pkgs/free', 'pkgs/pro', 'pkgs/mro']);
/** Hosts that serve only Anaconda's repository. */
const ANACONDA_HOSTS = new Set(['repo.anaconda.com', 'repo.continuum.io']);
/** Hosts that serve channels by name (`…/conda-forge`, `…/anaconda`): the first path segment is the channel. */
const CHANNEL_HOSTS = new Set(['conda.anaconda.org', 'anaconda.org']);

/**
 * True when a channel as written (`defaults`, `anaconda`, `pkgs/main`, an Anaconda repository URL,
 * `https://conda.anaconda.org/anaconda`) is Anaconda's repository. `conda-forge`, `pytorch`,
 * `nvidia`, `nodefaults` and other channels are not. Never throws.
 */
export function isAnacondaChannel(channel: string): boolean {
  if (typeof channel !== 'string' || channel.length > 2000) return false;
  const c = channel.trim().toLowerCase().replace(/(?<!\/)\/+$/, '');
  if (ANACONDA_NAMES.has(c)) return true;
  const m = /^[a-z][a-z0-9+.-]{0,20}:\/\/([^/\s?#]{1,300})(\/[^\s?#]*)?/.exec(c);
  if (!m) return false;
  const host = m[1].replace(/^[^@]*@/, '').replace(/:\d+$/, '');
  if (ANACONDA_HOSTS.has(host)) return true;
  if (!CHANNEL_HOSTS.has(host)) return false;
  const first = (m[2] ?? '').split('/').filter(Boolean)[0] ?? '';
  return ANACONDA_NAMES.has(first);
}

/** The channel is conda-forge (`conda-forge`, or a URL whose last segment is `conda-forge`). */
function isCondaForge(channel: string): boolean {
  const c = channel.trim().toLowerCase().replace(/(?<!\/)\/+$/, '');
  return c === 'conda-forge' || c.endsWith('/conda-forge');
}

/** The fix of an Anaconda channel entry of a `channels:` list, given the other channel references of the file. */
function listFix(ref: ChannelReference, siblings: readonly Reference[]): Fix | undefined {
  const list = siblings.filter((r): r is ChannelReference => r.kind === 'package-channel' && r.written?.form === 'list');
  const hasForge = list.some((r) => isCondaForge(r.channel));
  const hasNoDefaults = list.some((r) => r.channel.trim().toLowerCase() === 'nodefaults');
  const first = list.find((r) => isAnacondaChannel(r.channel)) === ref;
  const newEntry = ref.written?.newEntry;
  let newText: string | undefined;
  if (!hasForge) newText = `conda-forge${first && !hasNoDefaults && newEntry ? `${newEntry}nodefaults` : ''}`;
  else if (first && !hasNoDefaults) newText = 'nodefaults';
  if (!newText) return undefined;
  return { title: msg.anacondaChannelFixTitle(ref.channel, newText), edits: [{ range: ref.range, newText }], safe: false, preferred: true };
}

/**
 * Runs `anaconda-channel` on one channel reference.
 * @param siblings every reference of the same file (to see which channels the list already has)
 * @returns one finding with its default severity when the channel is Anaconda's, else []
 */
export function checkChannel(ref: ChannelReference, siblings: readonly Reference[], ctx: RuleContext): Finding[] {
  void ctx;
  if (!isAnacondaChannel(ref.channel)) return [];
  const form = ref.written?.form ?? 'list';
  const fixes: Fix[] = [];
  if (form === 'list') {
    const fix = listFix(ref, siblings);
    if (fix) fixes.push(fix);
  } else if (form === 'package') {
    fixes.push({ title: msg.anacondaChannelFixTitle(ref.channel, 'conda-forge'), edits: [{ range: ref.range, newText: 'conda-forge' }], safe: false, preferred: true });
  } else if (form === 'implicit' && ref.written?.newEntry) {
    const entry = ref.written.newEntry;
    const eol = /^\r?\n/.exec(entry)?.[0] ?? '\n';
    fixes.push({ title: msg.anacondaImplicitFixTitle(), edits: [{ range: { start: ref.range.start, end: ref.range.start }, newText: `channels:${entry}conda-forge${entry}nodefaults${eol}` }], safe: false, preferred: true });
  }
  return [referenceFinding('anaconda-channel', msg.anacondaChannelMessage(ref.channel, form), ref, CHANNEL_FACTS, fixes)];
}

const CHANNEL_FACTS = Object.freeze([
  { label: 'Policy', value: 'Actively maintained DLAMIs were migrated from the Anaconda channel to conda-forge (Anaconda moved to a commercial licensing model for certain users).', source: msg.ANACONDA_CLAUSE },
]);

/**
 * Runs `neuron-conda-package` on a package pin: a Neuron package (subject `neuron`) whose pin is
 * written for conda (`manager: 'conda'`). Needs the catalog's Neuron data (`catalog.neuron.conda`);
 * without it, nothing is reported.
 */
export function checkCondaPackage(ref: PackagePinReference, ctx: RuleContext): Finding[] {
  if (ref.subject !== 'neuron' || ref.pin.manager !== 'conda') return [];
  const neuron = ctx.catalog.neuron;
  if (!neuron) return [];
  const conda = neuron.conda;
  const shipped = conda.packages[ref.pin.normalizedName];
  const source = neuron.source(conda.source)?.title ?? conda.source;
  const facts = [
    { label: 'Last Neuron release with conda packages', value: conda.lastRelease, source },
    { label: 'Conda packages end', value: `Neuron ${conda.endedWith} (announced ${conda.announced})`, source },
    ...(shipped ? [{ label: `Last conda build of ${ref.pin.name}`, value: shipped.join(', '), source }] : []),
    { label: 'Announcement', value: conda.statement, source },
  ];
  return [referenceFinding('neuron-conda-package', msg.neuronCondaPackageMessage(ref.pin.name, conda.lastRelease, conda.endedWith, conda.announced), ref, facts, [], { since: conda.announced })];
}

/** The hover of a channel reference: whether it is Anaconda's repository and what the rule says. */
export function describeChannel(ref: ChannelReference, ctx: RuleContext): ReferenceDescription {
  void ctx;
  const anaconda = isAnacondaChannel(ref.channel);
  const implicit = ref.written?.form === 'implicit';
  const title = implicit ? 'conda channels: none listed (conda uses `defaults`)' : `conda channel ${ref.channel}`;
  const status = anaconda
    ? "Anaconda's repository: Anaconda moved to a commercial licensing model for certain users; actively maintained DLAMIs use conda-forge instead (rule anaconda-channel)."
    : ref.channel.trim().toLowerCase() === 'nodefaults'
      ? 'Turns off the default (Anaconda) channels.'
      : 'Not an Anaconda channel.';
  return { title, status, facts: [...CHANNEL_FACTS] };
}
