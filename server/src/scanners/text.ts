/**
 * Any other text file (references.md "any text"): shell scripts, Makefiles, Markdown, build
 * scripts. Nothing is parsed; the generic recognisers search the whole text for:
 * - DLC images (private ECR of a DLC account, `public.ecr.aws/deep-learning-containers|neuron`) and
 *   images of a policy file's `[[images]]` mappings (`findImageReferences`);
 * - DLAMI names and name filters (`Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *`) and SSM
 *   parameter paths (`/aws/service/deeplearning/ami/…`) (`findDlamiReferences`).
 * Base images are not searched for (`python:3.10` is too common in prose). With `shellInstalls`
 * (shell scripts, Makefiles) the install commands are read too, as in a Dockerfile `RUN`:
 * `pip install torch==…` / `torch-neuronx==…`, `conda install …`, `apt-get install
 * aws-neuronx-…=…` (`shellInstalls.ts`; its first 200,000 characters).
 *
 * Comments: with `commentMarker` `#` (scripts, Makefiles), a `#` at the start of a line or after
 * white space starts a comment to the end of the line, for suppression directives
 * (`# dl-lifecycle: ignore end-of-patch`); Markdown has no line comment and gets none. Each line
 * holding a reference is a statement. Ranges are LSP ranges; linear in the text; never throws.
 */
import type { Catalog } from '../catalog/catalog';
import type { Comment, Reference, ScanResult } from '../model';
import type { ImageMapping } from '../policy/images';
import { TextIndex } from '../text';
import { findDlamiReferences, findImageReferences } from './images';
import { identityOffsets, scanShellInstalls } from './shellInstalls';

/** Install commands are read in the first this many characters of a script. */
const MAX_SHELL_TEXT = 200_000;

/** Options of {@link scanText}. */
export interface TextScanOptions {
  /** A policy file's `[[images]]` mappings (internal images built on DLCs). */
  mappings?: readonly ImageMapping[];
  /** The line-comment marker of the file's language (`#`), or '' when it has none (Markdown). */
  commentMarker?: string;
  /** Read install commands as shell (scripts and Makefiles), not only image URIs and DLAMI names. */
  shellInstalls?: boolean;
}

/**
 * Scans any text for DLC (and mapped) image URIs, DLAMI names and filters, and SSM parameter paths.
 * @returns references in text order, `#` comments when `commentMarker` is `#`, one statement per
 *   line holding a reference; never throws (a failure yields what was found before it)
 */
export function scanText(text: string, catalog: Catalog, options: TextScanOptions = {}): ScanResult {
  const out: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  if (typeof text !== 'string' || text.length === 0) return out;
  try {
    const index = new TextIndex(text);
    const at = (o: number) => index.positionAt(o);
    const refs: Reference[] = [...findImageReferences(text, at, catalog, { mappings: options.mappings }), ...findDlamiReferences(text, at, catalog)];
    if (options.shellInstalls) {
      const n = Math.min(text.length, MAX_SHELL_TEXT);
      const offsets = identityOffsets(n); // the identity map (the text is the document's own), shared between calls
      // pins join the sorted references below; includes, index URLs and notes go to the result as found
      scanShellInstalls({ text: text.slice(0, n), offsets }, catalog, at, { references: refs, includes: out.includes, indexUrls: out.indexUrls, notes: out.notes });
    }
    refs.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    out.references.push(...refs);
    const lines = new Set<number>();
    for (const r of refs) for (let l = r.range.start.line; l <= r.range.end.line; l++) lines.add(l);
    for (const l of [...lines].sort((a, b) => a - b)) out.statements.push({ startLine: l, endLine: l });
    if (options.commentMarker === '#') out.comments.push(...hashComments(text, index));
  } catch {
    // what was found before the failure is kept
  }
  return out;
}

/** `#` comments: a `#` at the start of a line or after a space or tab, to the end of its line (`\n`, `\r\n` or `\r`). */
function hashComments(text: string, index: TextIndex): Comment[] {
  const out: Comment[] = [];
  const LINE = /[^\r\n]*(?:\r\n|\r|\n|$)/y;
  let lineStart = 0;
  while (lineStart < text.length) {
    LINE.lastIndex = lineStart;
    const m = LINE.exec(text);
    if (!m || m[0].length === 0) break;
    const end = lineStart + m[0].replace(/(?<![\r\n])[\r\n]+$/, '').length;
    const line = text.slice(lineStart, end);
    for (let k = line.indexOf('#'); k >= 0; k = line.indexOf('#', k + 1)) {
      const i = lineStart + k;
      const before = k === 0 ? 32 : line.charCodeAt(k - 1);
      if (before !== 32 && before !== 9) continue;
      const standalone = line.slice(0, k).trim() === '';
      out.push({ text: text.slice(i + 1, end), range: { start: index.positionAt(i), end: index.positionAt(end) }, standalone });
      break;
    }
    lineStart += m[0].length;
  }
  return out;
}
