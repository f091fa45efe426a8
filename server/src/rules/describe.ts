/**
 * A plain description of what the catalog says about a reference: the framework version, its
 * status at `asOf`, the facts with their sources, the supported targets. Hovers and reports
 * render it; it knows nothing of LSP.
 */
import type { Fact, Reference } from '../model';
import { daysBetween } from '../dates';
import { describeAccelerator } from './accelerator';
import { describeImage } from './containerImage';
import type { RuleContext } from './context';
import { describeChannel } from './conda';
import { describeDlami } from './dlami';
import { evaluateVersion, frameworkVersionFacts } from './frameworkVersion';
import * as msg from './messages';
import { describeNeuronPin } from './neuronSdk';
import { describePythonVersion } from './pythonVersion';
import { describeSdkFramework } from './sagemakerSdk';

export interface ReferenceDescription {
  title: string;
  status?: string;
  facts: Fact[];
}

/**
 * Describes a reference for hovers and reports: a framework package pin (framework version, status,
 * facts, supported targets), a Neuron package pin (its SDK release, day, the release's other
 * components, its support phase), a container image (its parts and the lifecycle of each, published tags
 * of the same line, nearest supported tags) or a DLAMI (family, framework version, OS, build date).
 * Undefined when the catalog cannot say anything about a package pin.
 */
export function describeReference(ref: Reference, ctx: RuleContext): ReferenceDescription | undefined {
  if (ref.kind === 'container-image') return describeImage(ref, ctx);
  if (ref.kind === 'dlami') return describeDlami(ref, ctx);
  if (ref.kind === 'python-version') return describePythonVersion(ref, ctx);
  if (ref.kind === 'package-channel') return describeChannel(ref, ctx);
  if (ref.kind === 'sdk-framework') return describeSdkFramework(ref, ctx);
  if (ref.kind === 'accelerator') return describeAccelerator(ref, ctx);
  if (ref.kind !== 'framework-package-pin') return undefined; // python-version, package-channel, sdk-framework: described by their rule families
  if (ref.subject === 'neuron') return describeNeuronPin(ref, ctx);
  const ev = evaluateVersion(ref, ctx);
  if (!ev) return undefined;
  const fw = ev.framework;
  const v = ev.frameworkVersion;
  const title = v ? `${fw.name} ${v.version}` : ev.minor ? `${fw.name} ${ev.minor}` : fw.name;
  let status: string | undefined;
  if (ev.unresolved === 'unpinned') status = 'Not pinned: no framework version to evaluate.';
  else if (ev.unresolved === 'unreadable') status = 'The version specifier could not be read as PEP 440.';
  else if (ev.unresolved === 'no-known-release') status = 'No release known to the catalog satisfies this specifier.';
  else if (!v || !v.endOfPatch) status = 'No end-of-patch date is known for this version.';
  else {
    const left = daysBetween(ctx.asOf, v.endOfPatch);
    status = left < 0 ? `⚠ End of patch reached ${msg.days(left)} ago.` : left <= ctx.warningWindowDays ? `Ends patch support in ${msg.days(left)}.` : `Supported: end of patch in ${msg.days(left)}.`;
  }
  if (!ev.exact && ev.resolved) status = `Resolves to ${ev.resolved} (highest known release allowed by \`${ref.version}\`). ${status}`;
  const supported = ctx.catalog.supportedVersions(fw.id, ctx.asOf).map((s) => `${s.version} (until ${s.endOfPatch})`);
  const facts = [...frameworkVersionFacts(ev, ctx)];
  facts.push({ label: 'Supported targets', value: supported.length ? supported.join(', ') : 'none' });
  if (fw.discontinued) facts.push({ label: 'Discontinued', value: `${fw.discontinued.on}: ${fw.discontinued.note}`, source: ctx.catalog.sourceTitle(fw.discontinued.source) });
  return { title, status, facts };
}
