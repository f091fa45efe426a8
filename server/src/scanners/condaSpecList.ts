/**
 * Conda spec lists: the files `conda create --file <f>` / `conda install --file <f>` read, one
 * MatchSpec per line (`conda-forge::pytorch[version='>=2.6.0,<2.7.0']`, `python=3.11`), `#` comments.
 * SageMaker Distribution keeps its environments this way (`cpu.env.in`, `gpu.env.in`). A file of
 * the same names that is an explicit lock (`@EXPLICIT` and package URLs, `*.env.out`) is read by
 * the explicit-lock scanner instead.
 */
import type { Catalog } from '../catalog/catalog';
import type { ScanResult } from '../model';
import { TextIndex } from '../text';
import { readCondaSpec } from './condaEnvironment';
import { scanCondaExplicit } from './condaExplicit';

/** True when a line of the text is `@EXPLICIT` (an explicit lock file). */
function isExplicit(text: string): boolean {
  return /^[ \t]*@EXPLICIT[ \t]*\r?$/m.test(text);
}

/**
 * Scans a conda spec list (or, when it holds `@EXPLICIT`, an explicit lock file).
 * @returns framework, Neuron and Python references, channels, comments, one statement per line; never throws
 */
export function scanCondaSpecList(text: string, catalog: Catalog): ScanResult {
  if (isExplicit(text)) return scanCondaExplicit(text, catalog);
  const out: ScanResult = { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] };
  try {
    const index = new TextIndex(text);
    const pos = (o: number) => index.positionAt(o);
    let start = 0;
    let line = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const lineEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
      const raw = text.slice(start, lineEnd);
      const hash = raw.search(/(^|\s)#/);
      const commentAt = hash < 0 ? -1 : raw.indexOf('#', hash);
      if (commentAt >= 0) {
        const standalone = raw.slice(0, commentAt).trim() === '';
        out.comments.push({ text: raw.slice(commentAt + 1), range: { start: pos(start + commentAt), end: pos(start + raw.length) }, standalone });
      }
      const body = commentAt >= 0 ? raw.slice(0, commentAt) : raw;
      const lead = body.length - body.trimStart().length;
      const spec = body.trim();
      if (spec !== '') {
        out.statements.push({ startLine: line, endLine: line });
        const offsets: number[] = [];
        for (let i = 0, at = start + lead; i < spec.length; i++) offsets.push(at + i);
        readCondaSpec({ text: spec, offsets }, catalog, pos, out);
      }
      if (end >= text.length) break;
      start = end + 1;
      line++;
    }
  } catch (e) {
    out.notes.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `could not read the conda spec list: ${e instanceof Error ? e.message : String(e)}` });
  }
  return out;
}
