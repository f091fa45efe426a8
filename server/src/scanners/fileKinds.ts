/**
 * File kinds: how a path is recognised, which scanner reads it and its comment syntax.
 * Later file kinds (pyproject, conda, Dockerfile, Terraform, …) register here.
 */
import picomatch from 'picomatch';
import type { Catalog } from '../catalog/catalog';
import type { ScanResult } from '../model';
import type { ImageMapping } from '../policy/images';
import { scanRequirements } from './requirements';
import { scanDockerfile } from './dockerfile';

export interface FileKind {
  id: string;
  /** LSP language ids the kind is known by in editors. */
  languageIds: string[];
  /** Globs over the path relative to the workspace (matched with `matchBase` for bare names). */
  patterns: string[];
  /** Line-comment marker used for suppression comments inserted by quick fixes. */
  lineComment: string;
  scan(text: string, catalog: Catalog, path: string, options?: ScanOptions): ScanResult;
  /** `-r`/`-c` include paths of this kind name files beside it (requirements files), rather than paths inside a container image (Dockerfile `RUN pip install -r`). */
  includesAreLocal: boolean;
}

/** What a scan may need beyond the text: the policy file's `[[images]]` mappings for internal images. */
export interface ScanOptions {
  mappings?: readonly ImageMapping[];
}

const isConstraints = (p: string) => /(^|[/\\])constraints[^/\\]*\.txt$/i.test(p);

export const FILE_KINDS: readonly FileKind[] = [
  {
    id: 'pip-requirements',
    languageIds: ['pip-requirements', 'pip-requirements-file', 'requirements'],
    patterns: ['requirements*.txt', '*requirements*.txt', 'constraints*.txt', 'requirements.in', '*.pip', '**/requirements/*.txt'],
    lineComment: '#',
    scan: (text, catalog, path) => scanRequirements(text, catalog, { constraints: isConstraints(path) }),
    includesAreLocal: true,
  },
  {
    id: 'dockerfile',
    languageIds: ['dockerfile'],
    patterns: ['Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile', 'Containerfile.*', '**/Dockerfile'],
    lineComment: '#',
    scan: (text, catalog, _path, options) => scanDockerfile(text, catalog, { mappings: options?.mappings }),
    includesAreLocal: false,
  },
];

const matchers = FILE_KINDS.map((k) => ({ kind: k, match: picomatch(k.patterns, { basename: false, nocase: true, dot: true }) }));

/** The file kind of a path (slash- or backslash-separated, relative or absolute), by its name. */
export function fileKindForPath(path: string): FileKind | undefined {
  const norm = path.replace(/\\/g, '/');
  const base = norm.slice(norm.lastIndexOf('/') + 1);
  return matchers.find(({ match }) => match(base) || match(norm))?.kind;
}

/** The file kind of an editor language id. */
export function fileKindForLanguage(languageId: string): FileKind | undefined {
  return FILE_KINDS.find((k) => k.languageIds.includes(languageId));
}

export function fileKindById(id: string): FileKind | undefined {
  return FILE_KINDS.find((k) => k.id === id);
}
