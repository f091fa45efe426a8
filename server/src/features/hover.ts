/** Hover on a framework package name or version: the lifecycle facts and their sources, as Markdown. */
import type { Hover, Position } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import type { Analysis } from '../analysis';
import { describeReference } from '../rules/describe';
import { rangeContains } from '../text';

/** The hover for `position`, or null when no reference is there. */
export function computeHover(analysis: Analysis, position: Position): Hover | null {
  const ref = analysis.scan.references.find((r) => rangeContains(r.range, position));
  if (!ref) return null;
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
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: ref.range };
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
