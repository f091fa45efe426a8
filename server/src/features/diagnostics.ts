/** Findings → LSP diagnostics. */
import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { Finding, Severity } from '../model';
import type { PolicyProblem } from '../policy/policyFile';
import { DOCS_BASE, ruleDocsUrl } from '../rules/ruleIds';
import { DIAGNOSTIC_SOURCE } from '../settings';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The fields of a finding a diagnostic shows (a scanned file's kept findings have only these). */
export type DiagnosticFinding = Pick<Finding, 'rule' | 'severity' | 'message' | 'range'>;

/** One diagnostic per finding: code = rule id, linked to the rule's page, source `dl-lifecycle`. */
export function toDiagnostic(f: DiagnosticFinding): Diagnostic {
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

/** Where the policy file is documented (linked from its diagnostics). */
export const POLICY_DOCS_URL = new URL('../policy-file.md', DOCS_BASE).href;
/** The diagnostic code of a problem in a policy file. */
export const POLICY_FILE_CODE = 'policy-file';

/** A policy-file problem as a diagnostic of the policy file: an error, code `policy-file`, source `dl-lifecycle`. */
export function policyProblemDiagnostic(p: PolicyProblem): Diagnostic {
  return {
    range: p.range,
    severity: DiagnosticSeverity.Error,
    code: POLICY_FILE_CODE,
    codeDescription: { href: POLICY_DOCS_URL },
    source: DIAGNOSTIC_SOURCE,
    message: p.message,
  };
}
