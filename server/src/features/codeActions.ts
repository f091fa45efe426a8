/**
 * Code actions: each finding's fixes as quick fixes, a quick fix that inserts a suppression
 * comment, and `source.fixAll.dl-lifecycle` applying every safe preferred fix of the document.
 */
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { Analysis } from '../analysis';
import { suppressionEdit } from '../analysis';
import type { Finding } from '../model';
import { toDiagnostic } from './diagnostics';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.dl-lifecycle`;

function overlaps(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/**
 * Code actions for a range of a document.
 * @param only the kinds the client asked for (`context.only`), if any
 */
export function computeCodeActions(analysis: Analysis, text: string, uri: string, range: Range, only?: string[]): CodeAction[] {
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const f of analysis.findings.filter((x) => overlaps(x.range, range))) {
      const diagnostic = toDiagnostic(f);
      for (const fix of f.fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.preferred === true,
          edit: { changes: { [uri]: fix.edits } },
        });
      }
      // a file kind without line comments (Markdown, JSON) gets no suppression directive
      if (f.reference && analysis.kind.lineComment) actions.push(suppressAction(analysis, text, uri, f, diagnostic));
    }
  }
  // fix-all only when asked for by kind (`source`, `source.fixAll`, ours), never among plain quick fixes
  if (only && wants(FIX_ALL_KIND)) {
    const fixAll = computeFixAll(analysis, uri);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

function suppressAction(analysis: Analysis, text: string, uri: string, f: Finding, diagnostic: Diagnostic): CodeAction {
  const line = f.range.start.line;
  const statement = analysis.scan.statements.find((s) => s.startLine <= line && line <= s.endLine);
  const edit = suppressionEdit(text, analysis.kind, statement?.startLine ?? line, f.rule);
  return {
    title: `Ignore ${f.rule} for this line (dl-lifecycle: ignore)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [uri]: [edit] } },
  };
}

/** Every safe, preferred fix of the document, at most one per reference; null when there is none. */
export function computeFixAll(analysis: Analysis, uri: string): CodeAction | null {
  const edits = [];
  const seen = new Set<unknown>();
  for (const f of analysis.findings) {
    const fix = f.fixes.find((x) => x.safe && x.preferred);
    if (!fix || (f.reference && seen.has(f.reference))) continue;
    if (f.reference) seen.add(f.reference);
    edits.push(...fix.edits);
  }
  if (edits.length === 0) return null;
  return { title: 'Fix all safe dl-lifecycle findings', kind: FIX_ALL_KIND, edit: { changes: { [uri]: edits } } };
}
