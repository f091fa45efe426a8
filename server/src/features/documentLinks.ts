/** `-r other.txt` / `-c constraints.txt` paths as document links, resolved against the including file. */
import type { DocumentLink } from 'vscode-languageserver';
import { URI, Utils } from 'vscode-uri';
import type { Analysis } from '../analysis';

/**
 * One link per include whose path is a plain relative or absolute file path (URLs and `${VAR}` paths
 * are left alone); none for kinds whose include paths name files inside a container image (Dockerfiles).
 */
export function computeDocumentLinks(analysis: Analysis, documentUri: string): DocumentLink[] {
  if (!analysis.kind.includesAreLocal) return [];
  let base: URI;
  try {
    base = URI.parse(documentUri);
  } catch {
    return [];
  }
  const folder = Utils.dirname(base);
  return analysis.scan.includes
    .filter((i) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(i.path) && !i.path.includes('${'))
    .map((i) => ({
      range: i.range,
      target: (i.path.startsWith('/') ? base.with({ path: i.path }) : Utils.joinPath(folder, i.path)).toString(),
      tooltip: i.kind === 'constraints' ? 'Open the constraints file' : 'Open the included requirements file',
    }));
}
