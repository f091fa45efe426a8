import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { PackagePinReference, PythonVersionReference, Range, Reference } from '../../../server/src/model';
import { fileKindForPath } from '../../../server/src/scanners/fileKinds';
import { scanPipfile } from '../../../server/src/scanners/pipfile';
import { applyEdits, TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const text = readFileSync(join(__dirname, '..', '..', 'fixtures', 'python-envs', 'pipenv', 'Pipfile'), 'utf8');
const slice = (t: string, r: Range) => {
  const idx = new TextIndex(t);
  return t.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const pins = (refs: Reference[]) => refs.filter((r): r is PackagePinReference => r.kind === 'framework-package-pin');
const analyze = (t: string) => analyzeText(t, 'Pipfile', fileKindForPath('Pipfile')!, catalog, { asOf: AS_OF });

describe('Pipfile file kind', () => {
  it('is Pipfile, not Pipfile.lock', () => {
    assert.equal(fileKindForPath('app/Pipfile')?.id, 'pipfile');
    assert.equal(fileKindForPath('app/Pipfile.lock')?.id, undefined);
    assert.equal(fileKindForPath('Pipfile')?.includesAreLocal, true);
  });
});

describe('Pipfile scanner', () => {
  const scan = scanPipfile(text, catalog);

  it('reads strings, "*", inline tables, custom categories and sub-tables, skipping path installs and lookalikes', () => {
    const found = pins(scan.references).map((r) => [r.range.start.line, r.pin.name, r.pin.specifier, r.version, r.pin.manager]);
    assert.deepEqual(found, [
      [6, 'torch', '==1.13.1', '1.13.1', 'pipenv'],
      [7, 'tensorflow', '==2.4.1', '2.4.1', 'pipenv'],
      [8, 'mxnet', '', '', 'pipenv'],
      [14, 'torch', '', '', 'pipenv'],
      [17, 'tensorflow-gpu', '>=2.4,<2.5', '>=2.4,<2.5', 'pipenv'],
      [21, 'tensorflow-cpu', '~=2.4.0', '~=2.4.0', 'pipenv'],
    ]);
    assert.deepEqual(scan.notes, []);
  });

  it('puts ranges on the key, the specifier and each version', () => {
    const [torch, tf] = pins(scan.references);
    assert.equal(torch.text, 'torch = "==1.13.1"');
    assert.equal(slice(text, torch.range), torch.text);
    assert.equal(slice(text, torch.pin.nameRange), 'torch');
    assert.equal(slice(text, torch.pin.specifierRange!), '==1.13.1');
    assert.equal(slice(text, torch.pin.clauses[0].versionRange), '1.13.1');
    assert.equal(slice(text, tf.pin.clauses[0].versionRange), '2.4.1');
    assert.equal(tf.text, 'tensorflow = {version = "==2.4.1"');
  });

  it('reads [requires] python_version and the [[source]] URL', () => {
    const py = scan.references.filter((r): r is PythonVersionReference => r.kind === 'python-version');
    assert.deepEqual(py.map((r) => [r.version, slice(text, r.versionRange), r.range.start.line]), [['3.8', '3.8', 24]]);
    assert.deepEqual(scan.indexUrls, ['https://pypi.org/simple']);
    assert.ok(scan.comments.some((c) => c.standalone && c.text.includes('any version')));
  });

  it('notes values that are no PEP 440 specifier', () => {
    const t = '[packages]\ntorch = "2.1.0"\ntensorflow = "^2.4"\nmxnet = 1\ntorchvision = 2\n';
    const s = scanPipfile(t, catalog);
    assert.deepEqual(s.references, []);
    assert.deepEqual(s.notes.map((n) => n.range.start.line), [1, 2, 3]);
    assert.match(s.notes[0].message, /without an operator/);
  });

  it('reads CRLF the same as LF', () => {
    const a = scanPipfile(text, catalog).references.map((r) => [r.range, r.text]);
    const b = scanPipfile(text.replace(/\n/g, '\r\n'), catalog).references.map((r) => [r.range, r.text]);
    assert.deepEqual(b, a);
  });

  it('fires end-of-patch with a fix that edits the version inside the quotes', () => {
    const findings = analyze(text).findings;
    assert.ok(findings.some((f) => f.rule === 'discontinued' && f.range.start.line === 8));
    const eop = findings.find((f) => f.rule === 'end-of-patch' && f.range.start.line === 6)!;
    const fixed = applyEdits(text, eop.fixes[0].edits);
    assert.equal(fixed.split('\n')[6], 'torch = "==2.11.0"');
    assert.ok(!analyze(fixed).findings.some((f) => f.rule === 'end-of-patch' && f.range.start.line === 6));
    assert.ok(findings.some((f) => f.rule === 'python-end-of-life' && f.range.start.line === 24));
  });

  it('suppresses with a standalone comment above the entry', () => {
    const t = '[packages]\n# dl-lifecycle: ignore end-of-patch\ntorch = "==1.13.1"\n';
    assert.deepEqual(analyze(t).findings.map((f) => f.rule), []);
  });
});
