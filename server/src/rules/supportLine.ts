/**
 * The support line a reference belongs to, for the workspace report's timeline: a framework
 * version (`PyTorch 2.1`, the unit of support, DLC framework support policy §Framework support
 * policy) or a DLC image line (`pytorch-inference 2.6`), with the day it was released (GA) and its
 * end of patch. Pure over the catalog and `asOf`; knows nothing of LSP.
 */
import type { Reference } from '../model';
import type { CalendarDay } from '../dates';
import { evaluateImage } from './containerImage';
import type { RuleContext } from './context';
import { evaluateVersion } from './frameworkVersion';
import { evaluateSdk } from './sagemakerSdk';

/** One bar of the support timeline. */
export interface SupportLine {
  /** Stable key: `pytorch 2.1`, `image pytorch-inference 2.6`. */
  id: string;
  /** What a person reads: `PyTorch 2.1`, `pytorch-inference 2.6 (inference images)`. */
  label: string;
  /** GA day of the framework version or image line (UTC calendar day), when the catalog knows it. */
  released?: CalendarDay;
  /** End of patch (UTC calendar day), when the catalog knows it. */
  endOfPatch?: CalendarDay;
}

/**
 * The support line of a reference: framework package pins (not Neuron packages, which follow SDK
 * releases), SageMaker SDK framework versions and DLC images with a framework version the catalog
 * dates. Undefined for every other reference, and when the catalog knows no end of patch.
 */
export function supportLineOf(ref: Reference, ctx: RuleContext): SupportLine | undefined {
  if (ref.kind === 'framework-package-pin') {
    if (ref.subject === 'neuron') return undefined;
    const ev = evaluateVersion(ref, ctx);
    const v = ev?.frameworkVersion;
    if (!ev || !v?.endOfPatch) return undefined;
    return { id: `${ev.framework.id} ${v.version}`, label: `${ev.framework.name} ${v.version}`, released: v.ga, endOfPatch: v.endOfPatch };
  }
  if (ref.kind === 'sdk-framework') {
    const se = evaluateSdk(ref, ctx);
    if (!se.framework || !se.record || !se.endOfPatch) return undefined;
    const inference = se.job === 'inference' && se.record.endOfPatchInference !== undefined;
    return {
      id: `${se.framework.id} ${se.record.version}${inference ? ' inference' : ''}`,
      label: `${se.framework.name} ${se.record.version}${inference ? ' (inference images)' : ''}`,
      released: se.record.ga,
      endOfPatch: se.endOfPatch,
    };
  }
  if (ref.kind === 'container-image') {
    const ev = evaluateImage(ref, ctx);
    if (!ev.endOfPatch || !ev.minor || ev.neuron) return undefined;
    const repo = ev.repo?.name;
    if (!repo) return { id: `${ev.framework?.id ?? ev.name} ${ev.minor}`, label: `${ev.name} ${ev.minor}`, released: ev.record?.ga, endOfPatch: ev.endOfPatch };
    return { id: `image ${repo} ${ev.minor}`, label: `${repo} ${ev.minor}`, released: ev.line?.ga ?? ev.record?.ga, endOfPatch: ev.endOfPatch };
  }
  return undefined;
}
