/**
 * Code lenses: above each container image reference (Dockerfile `FROM`, image URIs in YAML,
 * Terraform, CDK, Python) and each Deep Learning AMI name, how long the framework version it carries
 * is patched: `supported until D`, `supported until D (ends in N days)`, `ended D`. Dates come from
 * the rules' evaluations ({@link supportLineOf} for images: DLC framework support policy §Framework
 * support policy, or the image line's published end of patch; the DLAMI framework table for AMIs),
 * never derived here. Clicking a lens opens the workspace lifecycle report.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from '../analysis';
import type { CalendarDay } from '../dates';
import { daysBetween } from '../dates';
import type { DlamiReference, ImageReference, Reference } from '../model';
import { evaluateImage } from '../rules/containerImage';
import type { RuleContext } from '../rules/context';
import { evaluateDlami } from '../rules/dlami';
import * as msg from '../rules/messages';
import { supportLineOf } from '../rules/supportLine';
import { COMMANDS } from '../settings';

/**
 * One code lens per dated image or DLAMI reference, in reference order; its range runs from the
 * start of the reference's line to the reference's start (0-based LSP UTF-16 positions), so several
 * references on one line give several lenses. The command is {@link COMMANDS.showReport} without
 * arguments; its title is
 * - `supported until YYYY-MM-DD` while the end of patch is not past `analysis.context.asOf` (the day
 *   itself is still patched, as for the `end-of-patch` rule), with ` (ends in N days)` (or
 *   ` (ends today)`) when it is at most `warningWindowDays` away;
 * - `ended YYYY-MM-DD` after it;
 * - `no end of patch known` for an AWS Deep Learning Container whose framework version the catalog
 *   does not date.
 * The tooltip names the support line and the date's basis.
 *
 * No lens for base images (`ubuntu:22.04`), images without a framework version, Neuron images and
 * Neuron DLAMIs (they follow the Neuron SDK maintenance policy, not a framework end of patch),
 * DLAMIs without a dated framework version, or other reference kinds. Never throws: a reference
 * whose evaluation fails is skipped.
 */
export function computeCodeLenses(analysis: Analysis): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const ref of analysis.scan.references) {
    try {
      const lens = ref.kind === 'container-image' ? imageLens(ref, analysis.context) : ref.kind === 'dlami' ? dlamiLens(ref, analysis.context) : undefined;
      if (lens) lenses.push(lens);
    } catch {
      // a reference the rules cannot evaluate gets no lens; the others still do
    }
  }
  return lenses;
}

/** The lens of an image reference, or undefined (see {@link computeCodeLenses}). */
function imageLens(ref: ImageReference, ctx: RuleContext): CodeLens | undefined {
  const line = supportLineOf(ref, ctx);
  if (line?.endOfPatch) {
    const basis = evaluateImage(ref, ctx).endOfPatchBasis;
    return lens(ref, datedTitle(line.endOfPatch, ctx), tooltip(line.label, line.endOfPatch, basis, ctx));
  }
  if (ref.image.family !== 'dlc') return undefined;
  const ev = evaluateImage(ref, ctx);
  if (ev.neuron) return undefined;
  const what = ev.repo && ev.minor ? `${ev.repo.name} ${ev.minor}` : ev.minor ? `${ev.name} ${ev.minor}` : ref.image.repository.text;
  return lens(ref, 'no end of patch known', `${what}: the catalog dated ${ctx.catalog.generated} knows no end of patch for this image. Open the lifecycle report.`);
}

/** The lens of a DLAMI reference whose framework version has an end of patch (not Neuron DLAMIs), else undefined. */
function dlamiLens(ref: DlamiReference, ctx: RuleContext): CodeLens | undefined {
  const ev = evaluateDlami(ref, ctx);
  const eop = ev.record?.endOfPatch;
  if (!ev.framework || !ev.record || !eop || !ev.version || ev.neuron) return undefined;
  const label = `${ev.framework.name} ${ev.minor ?? ev.record.version} (${ev.family?.name ?? ref.dlami.family})`;
  return lens(ref, datedTitle(eop, ctx), tooltip(label, eop, msg.endOfPatchBasisText(ctx.catalog, ev.record), ctx));
}

/** `supported until D`, `supported until D (ends in N days)`, `ended D`. */
function datedTitle(eop: CalendarDay, ctx: RuleContext): string {
  const left = daysBetween(ctx.asOf, eop);
  if (left < 0) return `ended ${eop}`;
  if (left <= ctx.warningWindowDays) return `supported until ${eop} (${left === 0 ? 'ends today' : `ends in ${msg.days(left)}`})`;
  return `supported until ${eop}`;
}

/** `pytorch-training 2.1: end of patch 2024-10-04 (779 days ago). End of patch published in the …` */
function tooltip(label: string, eop: CalendarDay, basis: string | undefined, ctx: RuleContext): string {
  const rel = msg.relativeDays(daysBetween(ctx.asOf, eop));
  return `${label}: end of patch ${eop} (${rel}).${basis ? ` End of patch ${basis}.` : ''} Open the lifecycle report.`;
}

function lens(ref: Reference, title: string, tip: string): CodeLens {
  const start = ref.range.start;
  return {
    range: { start: { line: start.line, character: 0 }, end: { line: start.line, character: start.character } },
    command: { title, tooltip: tip, command: COMMANDS.showReport },
  };
}
