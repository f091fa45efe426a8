/**
 * Inlay hints: the end of patch of the framework version a reference names, written right after
 * its version text (`torch==1.13.1` `ended 2024-10-28`, `framework_version="2.13"` `EOP 2027-07-20`).
 * The date is the reference's support line ({@link supportLineOf}): the DLC framework support
 * policy's end of patch of the framework version (DLC framework support policy §Framework support
 * policy; the inference images' date for SageMaker SDK models), never derived here.
 */
import type { InlayHint, Position, Range } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import type { Analysis } from '../analysis';
import { daysBetween } from '../dates';
import type { Reference } from '../model';
import type { RuleContext } from '../rules/context';
import { evaluateVersion } from '../rules/frameworkVersion';
import * as msg from '../rules/messages';
import { evaluateSdk } from '../rules/sagemakerSdk';
import { supportLineOf } from '../rules/supportLine';
import { rangeContains } from '../text';

/**
 * The inlay hints of the references whose hint position lies in `range` (ends inclusive; 0-based
 * LSP UTF-16 positions), sorted by position.
 *
 * One hint per framework package pin (not Neuron packages, which follow Neuron SDK releases) and per
 * SageMaker SDK call with a framework version, when the catalog knows the version's end of patch:
 * placed at the end of the version text (the pin's specifier, the SDK call's version argument),
 * labelled `EOP YYYY-MM-DD` while the day is not past `analysis.context.asOf` (the end-of-patch day
 * itself is still patched, as for the `end-of-patch` rule) and `ended YYYY-MM-DD` after it, with
 * `paddingLeft` and a Markdown tooltip (support line, day, days left or ago, the date's basis).
 * `kind` is left undefined: the hint is neither a type nor a parameter name.
 *
 * No hint for unpinned packages, versions without an end of patch, or any other reference kind.
 * Never throws: a reference whose evaluation fails is skipped. Two references that resolve to the
 * same version text (SDK calls sharing one constant) give one hint.
 */
export function computeInlayHints(analysis: Analysis, range: Range): InlayHint[] {
  const hints: InlayHint[] = [];
  const seen = new Set<string>();
  for (const ref of analysis.scan.references) {
    try {
      const hint = hintFor(ref, analysis.context);
      if (!hint || !rangeContains(range, hint.position)) continue;
      const key = `${hint.position.line}:${hint.position.character}:${String(hint.label)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hints.push(hint);
    } catch {
      // a reference the rules cannot evaluate gets no hint; the others still do
    }
  }
  hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
  return hints;
}

/** The hint of one reference, or undefined when it has no dated support line or no version text. */
function hintFor(ref: Reference, ctx: RuleContext): InlayHint | undefined {
  if (ref.kind !== 'framework-package-pin' && ref.kind !== 'sdk-framework') return undefined;
  const line = supportLineOf(ref, ctx);
  const eop = line?.endOfPatch;
  if (!line || !eop) return undefined;
  const anchor = versionEnd(ref, ctx);
  if (!anchor) return undefined;
  const left = daysBetween(ctx.asOf, eop);
  const basis = basisOf(ref, ctx);
  const when = left < 0 ? `Ended ${msg.days(left)} ago.` : left === 0 ? 'Ends today.' : `Ends in ${msg.days(left)}.`;
  const lines = [`**${line.label}**: end of patch ${eop}`, '', when];
  if (basis) lines.push('', `End of patch ${basis}.`);
  lines.push('', `*Evaluated as of ${ctx.asOf} · catalog dated ${ctx.catalog.generated}*`);
  return {
    position: { line: anchor.line, character: anchor.character },
    label: left < 0 ? `ended ${eop}` : `EOP ${eop}`,
    paddingLeft: true,
    tooltip: { kind: MarkupKind.Markdown, value: lines.join('\n') },
  };
}

/**
 * Where a reference's version text ends: a pin's specifier (the last written clause when the
 * scanner gave no specifier range), an SDK call's version argument (which may be a same-file
 * constant's literal).
 */
function versionEnd(ref: Reference, ctx: RuleContext): Position | undefined {
  if (ref.kind === 'framework-package-pin') {
    const pin = ref.pin;
    if (pin.specifierRange) return pin.specifierRange.end;
    const written = pin.clauses.filter((c) => !c.implied);
    return written.length ? written[written.length - 1].versionRange.end : ref.range.end;
  }
  if (ref.kind === 'sdk-framework') return evaluateSdk(ref, ctx).version?.range.end;
  return undefined;
}

/** The basis of the end-of-patch date, as the rules word it (`published in the …`), when known. */
function basisOf(ref: Reference, ctx: RuleContext): string | undefined {
  if (ref.kind === 'framework-package-pin') {
    const v = evaluateVersion(ref, ctx)?.frameworkVersion;
    return v ? msg.endOfPatchBasisText(ctx.catalog, v) : undefined;
  }
  if (ref.kind === 'sdk-framework') return evaluateSdk(ref, ctx).endOfPatchBasis;
  return undefined;
}
