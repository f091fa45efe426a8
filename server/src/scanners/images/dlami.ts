/**
 * Deep Learning AMI references: names (`Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.1.0
 * (Ubuntu 20.04) 20231103`), EC2 name filters with `*`/`?` wildcards, and SSM parameter paths
 * (`/aws/service/deeplearning/ami/x86_64/…/latest/ami-id`, `/aws/service/neuron/dlami/…`).
 *
 * The templates live in the lifecycle data (`lifecycle.toml` DLAMI families); this module only turns
 * what `catalog.lifecycle` recognises into {@link DlamiReference}s with file ranges.
 */
import type { Catalog } from '../../catalog/catalog';
import type { DlamiParts, DlamiRecognition, TextSpan } from '../../catalog/lifecycle';
import type { DlamiRef, DlamiReference } from '../../model';
import type { OffsetToPosition } from './imageUri';
import { located } from './imageUri';

/** {@link DlamiParts} keys → {@link DlamiRef.parts} keys. */
const PARTS: ReadonlyArray<[keyof DlamiParts, keyof DlamiRef['parts']]> = [
  ['frameworkVersion', 'frameworkVersion'],
  ['os', 'os'],
  ['cudaVersion', 'cuda'],
  ['date', 'date'],
  ['version', 'version'],
  ['arch', 'arch'],
];

function toReference(text: string, rec: DlamiRecognition, at: OffsetToPosition): DlamiReference {
  const parts: DlamiRef['parts'] = {};
  for (const [from, to] of PARTS) {
    const span: TextSpan | undefined = rec.parts[from];
    if (span) parts[to] = located(text, span.start, span.end, at);
  }
  const form: DlamiRef['form'] = rec.kind === 'ssm' ? 'ssm-parameter' : rec.wildcard ? 'filter' : 'name';
  return {
    kind: 'dlami',
    subject: rec.family.id,
    version: rec.parts.frameworkVersion?.text ?? '',
    text: text.slice(rec.start, rec.end),
    range: { start: at(rec.start), end: at(rec.end) },
    dlami: { form, family: rec.family.id, parts },
  };
}

/**
 * One DLAMI name, EC2 name filter (`*`, `?`) or SSM parameter path given as a whole string
 * (surrounding whitespace ignored; an `amazon/` or `AWS ` prefix of a name is part of the reference).
 * `subject` is the DLAMI family id, `version` the framework version part or ''. `form` is
 * `ssm-parameter` for paths, `filter` when the text holds a wildcard, else `name`.
 * @returns undefined when the catalog has no lifecycle data or no family template matches. Never throws.
 */
export function recognizeDlami(text: string, at: OffsetToPosition, catalog: Catalog): DlamiReference | undefined {
  try {
    const lifecycle = catalog.lifecycle;
    if (!lifecycle || typeof text !== 'string') return undefined;
    const rec = text.trimStart().startsWith('/') ? lifecycle.dlamiFamilyForSsmParameter(text) : lifecycle.dlamiFamilyForName(text);
    return rec ? toReference(text, rec, at) : undefined;
  } catch {
    return undefined;
  }
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Every DLAMI name or name filter and SSM parameter path inside arbitrary text (a Terraform filter,
 * a shell line, Markdown). Names are tried where `Deep Learning` starts (after a non-word
 * character; an `amazon/` or `AWS ` prefix is included); paths where `/aws/service/` starts. Each
 * match is the longest template match at that place (a name filter that ends in `*` right after a
 * placeholder is only recognised as a whole string, by {@link recognizeDlami}).
 * @returns references in text order, never overlapping; [] on any failure. Never throws.
 */
export function findDlamiReferences(text: string, at: OffsetToPosition, catalog: Catalog): DlamiReference[] {
  try {
    const lifecycle = catalog.lifecycle;
    if (!lifecycle || typeof text !== 'string' || text.length === 0) return [];
    const lower = text.toLowerCase();
    const found: DlamiRecognition[] = [];
    for (let i = lower.indexOf('deep learning'); i >= 0; i = lower.indexOf('deep learning', i + 1)) {
      if (i > 0 && isWordChar(text.charCodeAt(i - 1))) continue;
      const prefixAt = (p: string) => {
        const s = i - p.length;
        return s >= 0 && lower.startsWith(p, s) && (s === 0 || !isWordChar(text.charCodeAt(s - 1))) ? s : undefined;
      };
      const prefixed = prefixAt('amazon/') ?? prefixAt('aws ');
      const rec = (prefixed !== undefined ? lifecycle.scanDlami(text, prefixed, 'name') : undefined) ?? lifecycle.scanDlami(text, i, 'name');
      if (rec) found.push(rec);
    }
    for (let i = lower.indexOf('/aws/service/'); i >= 0; i = lower.indexOf('/aws/service/', i + 1)) {
      const rec = lifecycle.scanDlami(text, i, 'ssm');
      if (rec) found.push(rec);
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: DlamiReference[] = [];
    let after = 0;
    for (const rec of found) {
      if (rec.start < after) continue;
      out.push(toReference(text, rec, at));
      after = rec.end;
    }
    return out;
  } catch {
    return [];
  }
}
