import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../server/src/analysis';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { fileKindById } from '../../server/src/scanners/fileKinds';
import { initPythonParser } from '../../server/src/scanners/python/treeSitter';

const notebook = (source: string[]) =>
  JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }], metadata: { kernelspec: { language: 'python', name: 'python3' } }, nbformat: 4, nbformat_minor: 5 }, null, 1);

describe('a shell redirect that leaves a framework unpinned', () => {
  before(async () => {
    await initPythonParser();
  });

  it('is a warning by default (unpinned is otherwise off for package pins), with the explanation', () => {
    const kind = fileKindById('notebook')!;
    const analysis = analyzeText(notebook(['!pip install torch>=2.0\n', '!pip install tensorflow\n']), 'train.ipynb', kind, loadBundledCatalog(), { asOf: '2026-11-21' });
    const unpinned = analysis.findings.filter((f) => f.rule === 'unpinned');
    assert.equal(unpinned.length, 1, 'only the redirected pin; the plainly unpinned tensorflow stays off');
    assert.equal(unpinned[0].severity, 'warning');
    assert.match(unpinned[0].message, /shell redirect/i);
  });

  it('follows the configured severity like any rule', () => {
    const kind = fileKindById('notebook')!;
    const analysis = analyzeText(notebook(['!pip install torch>=2.0\n']), 'train.ipynb', kind, loadBundledCatalog(), { asOf: '2026-11-21', severities: { unpinned: 'off' } });
    assert.deepEqual(analysis.findings.filter((f) => f.rule === 'unpinned'), []);
  });
});
