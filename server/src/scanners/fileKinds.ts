/**
 * File kinds: how a path is recognised, which scanner reads it and its comment syntax.
 * Later file kinds (pyproject, conda, Dockerfile, Terraform, …) register here.
 */
import picomatch from 'picomatch';
import type { Catalog } from '../catalog/catalog';
import type { ScanResult } from '../model';
import { scanRequirements } from './requirements';

export interface FileKind {
  id: string;
  /** LSP language ids the kind is known by in editors. */
  languageIds: string[];
  /** Globs over the path relative to the workspace (matched with `matchBase` for bare names). */
  patterns: string[];
  /** Line-comment marker used for suppression comments inserted by quick fixes. */
  lineComment: string;
  scan(text: string, catalog: Catalog, path: string): ScanResult;
}

const isConstraints = (p: string) => /(^|[/\\])constraints[^/\\]*\.txt$/i.test(p);

export const FILE_KINDS: readonly FileKind[] = [
  {
    id: 'pip-requirements',
    languageIds: ['pip-requirements', 'pip-requirements-file', 'requirements'],
    patterns: ['requirements*.txt', '*requirements*.txt', 'constraints*.txt', 'requirements.in', '*.pip', '**/requirements/*.txt'],
    lineComment: '#',
    scan: (text, catalog, path) => scanRequirements(text, catalog, { constraints: isConstraints(path) }),
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
