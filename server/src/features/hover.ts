/** Hover on a framework package name or version: the lifecycle facts and their sources, as Markdown. */
import type { Hover, Position } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import type { Analysis } from '../analysis';
import type { Range, Reference } from '../model';
import { describeReference } from '../rules/describe';
import { rangeContains } from '../text';

/**
 * The ranges where a reference answers a hover: its own range and, for a SageMaker SDK call, the
 * version arguments it was judged by and the constants they were read from
 * (`FRAMEWORK_VERSION = "2.1.0"` defined elsewhere in the file).
 */
function hoverRanges(ref: Reference): Range[] {
  if (ref.kind !== 'sdk-framework') return [ref.range];
  const s = ref.sdk;
  const args = [s.frameworkVersion, s.baseFrameworkVersion, s.transformersVersion, s.pyVersion].flatMap((l) => (l ? [l.range] : []));
  return [ref.range, ...args, ...(s.resolvedFrom ?? []).map((r) => r.range)];
}

/** The hover for `position` (0-based LSP position), or null when no reference is there. */
export function computeHover(analysis: Analysis, position: Position): Hover | null {
  let ref: Reference | undefined;
  let range: Range | undefined;
  for (const r of analysis.scan.references) {
    range = hoverRanges(r).find((x) => rangeContains(x, position));
    if (range) {
      ref = r;
      break;
    }
  }
  if (!ref || !range) return null;
  const d = describeReference(ref, analysis.context);
  if (!d) return null;
  const lines: string[] = [];
  lines.push(`**${d.title}** · \`${ref.text}\``);
  lines.push('');
  if (d.status) lines.push(`${d.status}`, '');
  if (d.facts.length) {
    lines.push('| | |', '|---|---|');
    for (const f of d.facts) lines.push(`| ${f.label} | ${escapeCell(f.value)}${f.source ? ` <br/>*${escapeCell(f.source)}*` : ''} |`);
    lines.push('');
  }
  const findings = analysis.findings.filter((f) => f.reference === ref);
  for (const f of findings) lines.push(`- \`${f.rule}\`: ${f.message}`);
  if (findings.length) lines.push('');
  lines.push(`*Evaluated as of ${analysis.context.asOf} · catalog dated ${analysis.context.catalog.generated}*`);
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range };
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
