import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import picomatch from 'picomatch';
import { DOCUMENT_SELECTOR } from '../../client/src/selector';
import { FILE_KINDS } from '../../server/src/scanners/fileKinds';

const patterns = DOCUMENT_SELECTOR.flatMap((s) => ('pattern' in s && s.pattern ? [picomatch(s.pattern, { dot: true })] : []));
const selectedByPath = (file: string) => patterns.some((m) => m(file));

/** A file name a kind's glob matches: `*` → `main`, `**\/` dropped, `?` → `x`. */
const sampleOf = (glob: string) => glob.replace(/\*\*\//g, 'sub/').replace(/\*/g, 'main').replace(/\?/g, 'x');

describe('the client document selector', () => {
  it('selects a file of every pattern of every file kind by its path (no language extension needed)', () => {
    for (const kind of FILE_KINDS) {
      if (kind.id === 'notebook') continue; // notebooks reach the server through notebook document sync
      for (const glob of kind.patterns) {
        const file = `project/${sampleOf(glob)}`;
        assert.ok(selectedByPath(file), `${kind.id}: ${file} (from ${glob}) is not selected by any pattern`);
      }
    }
  });

  it('does not select files of no kind by pattern', () => {
    for (const file of ['project/main.go', 'project/Cargo.toml', 'project/image.png', 'project/main.rs']) assert.equal(selectedByPath(file), false, file);
  });

  it('names the languages of every kind that has language ids, for unsaved and renamed documents', () => {
    const languages = new Set(DOCUMENT_SELECTOR.flatMap((s) => ('language' in s && s.language ? [s.language] : [])));
    for (const kind of FILE_KINDS) for (const id of kind.languageIds) if (!['pip-requirements-file', 'requirements'].includes(id)) assert.ok(languages.has(id), `${kind.id}: language ${id}`);
  });

  it('contributes no language other than pip-requirements (other languages are read, never taken over)', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { languages?: Array<{ id: string }> } };
    assert.deepEqual((pkg.contributes.languages ?? []).map((l) => l.id), ['pip-requirements']);
  });
});
