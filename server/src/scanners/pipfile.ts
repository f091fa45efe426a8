/**
 * Scanner for `Pipfile` (pipenv; not `Pipfile.lock`): framework pins and AWS Neuron package pins
 * (subject `neuron`: `torch-neuronx`, `neuronx-cc`, …; `neuron`, `torch-xla` are not) of `[packages]`,
 * `[dev-packages]` and custom package categories, written as a PEP 440 specifier string
 * (`torch = "==2.1.0"`, `torch = "*"` unpinned) or a table (`torch = {version = "==2.1.0",
 * index = "pytorch"}`, `[packages.torch]`; a table without `version` installs any version, one
 * with `git`/`path`/`file`/… installs from elsewhere and is skipped), and the Python version of
 * `[requires] python_version = "3.8"` / `python_full_version = "3.8.10"`. `[[source]]` URLs are
 * reported as index URLs. Pins carry manager `pipenv`. Never throws.
 */
import type { AST } from 'toml-eslint-parser';
import type { Catalog } from '../catalog/catalog';
import type { ScanResult } from '../model';
import type { TomlDocument } from './pyproject';
import { dependencyEntries, dependencyPin, describeValue, offsetRange, pythonReference, scanToml, sourceUrls, tomlString } from './pyproject';

/** Top-level tables of a Pipfile that are not package categories. */
const NOT_CATEGORIES = new Set(['source', 'requires', 'scripts', 'pipenv', 'pipfile']);

const isCategory = (path: readonly string[]) => path.length === 1 && !NOT_CATEGORIES.has(path[0]);

/** `[requires] python_version` / `python_full_version`: the version as written is the reference. */
function requiredPython(node: AST.TOMLContentNode, doc: TomlDocument, out: ScanResult): void {
  const s = tomlString(node, doc);
  if (!s) {
    out.notes.push({ range: offsetRange(doc, node.range[0], node.range[1]), message: `the required Python version is ${describeValue(node)}, not a string` });
    return;
  }
  const from = s.value.length - s.value.trimStart().length;
  const to = Math.max(from, s.value.trimEnd().length);
  if (from < to) out.references.push(pythonReference(s, [from, to], [from, to]));
}

/**
 * Scans a Pipfile.
 * @param text the whole file
 * @param catalog recognises framework and Neuron package names
 * @returns framework and Neuron pins (manager `pipenv`) and required Python versions with LSP ranges (UTF-16)
 *   inside the strings; comments; statements (key/values and array items); `[[source]]` URLs as
 *   index URLs; notes for syntax errors and unreadable entries. Never throws.
 */
export function scanPipfile(text: string, catalog: Catalog): ScanResult {
  return scanToml(text, 'Pipfile', (doc, out) => {
    for (const pair of doc.pairs) {
      const p = pair.path;
      if (p.length === 2 && p[0] === 'requires' && (p[1] === 'python_version' || p[1] === 'python_full_version')) requiredPython(pair.value, doc, out);
    }
    for (const entry of dependencyEntries(doc, isCategory)) dependencyPin(entry, doc, catalog, out, 'pipenv');
    out.indexUrls = sourceUrls(doc, [['source']]);
  });
}
