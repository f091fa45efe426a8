/**
 * Accelerator types written in infrastructure code (an endpoint configuration's
 * `AcceleratorType: ml.eia2.medium` in CloudFormation, `accelerator_type` in Terraform,
 * `acceleratorType` in a CDK `CfnEndpointConfig`): `discontinued` when the catalog's retired things
 * name the accelerator (Amazon Elastic Inference: no new customers from 2023-04-15, no longer
 * available; `lifecycle.toml` `[[retired]]`). The same facts judge `accelerator_type=` of SageMaker
 * SDK calls (`sagemakerSdk.ts`).
 */
import type { AcceleratorReference, Fact, Finding } from '../model';
import type { RuleContext } from './context';
import { referenceFinding, retiredSince } from './containerImage';
import type { ReferenceDescription } from './describe';
import * as msg from './messages';
import { retired } from './sagemakerSdk';

/** The facts of an accelerator reference: each retired thing it is, with the day and source. */
function acceleratorFacts(ref: AcceleratorReference, ctx: RuleContext): Fact[] {
  return retired(ctx, { acceleratorType: ref.text.trim() }).map((t) => ({
    label: t.name,
    value: `retired${t.end ? ` since ${t.end.on}` : ''}`,
    source: t.sources[0] ? ctx.catalog.lifecycle?.sourceTitle(t.sources[0]) : undefined,
  }));
}

/**
 * Runs the accelerator rule on one accelerator type.
 * @returns `discontinued` findings (default severities) for each retired thing the type is; [] for a type the catalog does not retire
 */
export function checkAccelerator(ref: AcceleratorReference, ctx: RuleContext): Finding[] {
  const facts = acceleratorFacts(ref, ctx);
  return retired(ctx, { acceleratorType: ref.text.trim() }).map((r) =>
    referenceFinding('discontinued', msg.retiredMessage(r.name, `\`${ref.text}\``, r.end?.on, r.summary, r.migration), ref, facts, [], { since: retiredSince(r) }),
  );
}

/** Describes an accelerator type for hovers and reports; undefined when the catalog says nothing about it. */
export function describeAccelerator(ref: AcceleratorReference, ctx: RuleContext): ReferenceDescription | undefined {
  const facts = acceleratorFacts(ref, ctx);
  if (facts.length === 0) return undefined;
  return { title: `Accelerator ${ref.text}`, status: `⚠ ${facts.map((f) => `${f.label}: ${f.value}`).join('; ')}.`, facts };
}
