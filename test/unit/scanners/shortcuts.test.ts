/**
 * The scanners' shortcuts (walks that ask the tree-sitter runtime for the nodes of some types
 * instead of visiting every node; `scanShortcuts` in server/src/scanners/treeSitter.ts) change no
 * result: every fixture and example file, generated documents of the sizes the benchmark uses, and
 * mutated texts of the fuzz generators are analysed with the shortcuts and without them, and the
 * analyses (scan and findings) must be equal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { generateDocument, GENERATED_KINDS } from '../../../bench/generate';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { FileKind } from '../../../server/src/scanners/fileKinds';
import { fileKindById } from '../../../server/src/scanners/fileKinds';
import { initParsers, scanShortcuts } from '../../../server/src/scanners/treeSitter';
import type { Sample } from '../../fixtures/fuzz';
import { fixtureSamples, FUZZ_AS_OF, fuzzCases } from '../../fixtures/fuzz';

const catalog = loadBundledCatalog();
/** The kinds whose scanners take shortcuts (notebooks: their code cells are read by the Python scanner). */
const KINDS = ['python', 'notebook', 'cdk'];
const options = { asOf: FUZZ_AS_OF };

/** The analysis of a text both ways; fails on the first difference. Returns how many references were found (the same both ways). */
function compare(kind: FileKind, sample: Sample): number {
  scanShortcuts.enabled = true;
  const fast = analyzeText(sample.text, sample.path, kind, catalog, options);
  scanShortcuts.enabled = false;
  try {
    const full = analyzeText(sample.text, sample.path, kind, catalog, options);
    assert.deepEqual(fast, full, `${kind.id}: ${sample.path} (${sample.text.length} characters) is analysed differently with the shortcuts`);
  } finally {
    scanShortcuts.enabled = true;
  }
  return fast.scan.references.length;
}

describe('scanner shortcuts change no analysis', () => {
  before(() => initParsers());
  after(() => {
    scanShortcuts.enabled = true;
  });
  const samples = fixtureSamples();

  for (const id of KINDS) {
    const kind = fileKindById(id)!;

    it(`${id}: every fixture and example file`, () => {
      const files = samples.get(id) ?? [];
      assert.ok(files.length > 0, `fixtures of ${id}`);
      let references = 0;
      for (const s of files) references += compare(kind, s);
      assert.ok(references > 0, `the ${id} fixtures hold references (the comparison saw some)`);
    });

    it(`${id}: generated documents`, { skip: !GENERATED_KINDS.includes(id) && 'no generator for this kind' }, () => {
      let references = 0;
      for (const lines of [50, 400, 2000]) {
        const doc = generateDocument(id, lines);
        references += compare(kind, { path: doc.path, text: doc.text });
      }
      assert.ok(references > 0);
    });

    it(`${id}: mutated and random texts of the fuzz generators`, () => {
      const cases = fc.sample(fuzzCases(kind, samples), { numRuns: 150, seed: 20261121 });
      for (const c of cases) compare(kind, c);
    });
  }

  it('the switch is read: with the shortcuts off, the same text is still analysed', () => {
    const kind = fileKindById('python')!;
    const text = 'from sagemaker.pytorch import PyTorch\nPyTorch(framework_version="1.8.1", py_version="py3")\n';
    scanShortcuts.enabled = false;
    const off = analyzeText(text, 'train.py', kind, catalog, options);
    scanShortcuts.enabled = true;
    assert.equal(off.scan.references.length, 1);
    assert.equal(off.scan.references[0].version, '1.8.1');
  });
});
