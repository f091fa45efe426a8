/** Findings → LSP diagnostics. */
import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { Finding, Severity } from '../model';
import { ruleDocsUrl } from '../rules/ruleIds';
import { DIAGNOSTIC_SOURCE } from '../settings';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** One diagnostic per finding: code = rule id, linked to the rule's page, source `dl-lifecycle`. */
export function toDiagnostic(f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocsUrl(f.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (f.rule === 'unused-suppression') d.tags = [DiagnosticTag.Unnecessary];
  return d;
}
