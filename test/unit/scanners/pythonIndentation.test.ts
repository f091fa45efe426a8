/**
 * The Python indentation guard: texts indented deeper than MAX_PYTHON_INDENT_LEVELS are not parsed,
 * because parsing them corrupts the tree-sitter runtime's memory and every later parse of the
 * process fails (found by fuzzing: after a 1,000-level text, SDK calls of ordinary files were no
 * longer read).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import { scanPython } from '../../../server/src/scanners/python/sagemakerSdk';
import { initPythonParser, MAX_PYTHON_INDENT_LEVELS, parsePython, pythonIndentLevels } from '../../../server/src/scanners/python/treeSitter';

const catalog = loadBundledCatalog();
/** `depth` nested `if` blocks, each indented `step` more than the last, with an SDK call inside. */
const nested = (depth: number, step = 1, eol = '\n') => `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i * step)}if x:`).join(eol)}${eol}${' '.repeat(depth * step)}PyTorch(framework_version="1.13.1", py_version="py39")${eol}`;
const ORDINARY = 'from sagemaker.pytorch import PyTorch\nest = PyTorch(framework_version="1.13.1", py_version="py39")\n';
const sdkCalls = (text: string) => scanPython(text, catalog).references.filter((r) => r.kind === 'sdk-framework').length;

describe('Python indentation levels', () => {
  it('counts the levels open at once: blocks, dedents, tabs, blank lines and every line end', () => {
    assert.equal(pythonIndentLevels(''), 0);
    assert.equal(pythonIndentLevels('a = 1\nb = 2\n'), 0);
    assert.equal(pythonIndentLevels('if a:\n    if b:\n        c()\n    d()\ne()\n'), 2);
    assert.equal(pythonIndentLevels('if a:\n\tif b:\n\t\tc()\n'), 2);
    assert.equal(pythonIndentLevels('if a:\n\n        \n    b()\n'), 1, 'blank and whitespace-only lines open nothing');
    assert.equal(pythonIndentLevels('if a:\r  if b:\r\n    c()'), 2);
    assert.equal(pythonIndentLevels(nested(300, 2, '\r')), 300);
  });

  it('is never below the real depth of generated nested blocks, and equals it for blocks alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom('\n', '\r\n', '\r'), (depth, step, eol) => {
        assert.equal(pythonIndentLevels(nested(depth, step, eol)), depth);
      }),
    );
  });
});

describe('Python texts indented too deep to parse', () => {
  before(async () => {
    await initPythonParser();
  });

  it(`are not parsed above ${MAX_PYTHON_INDENT_LEVELS} levels, with a note, and ordinary files are still read afterwards`, () => {
    assert.equal(sdkCalls(ORDINARY), 1);
    assert.equal(sdkCalls(`import sagemaker\n${nested(MAX_PYTHON_INDENT_LEVELS)}`), 1, 'at the limit the call is read');
    for (let i = 0; i < 4; i++) {
      const deep = nested(1000);
      assert.equal(parsePython(deep), undefined);
      const r = scanPython(`import sagemaker\n${deep}`, catalog);
      assert.deepEqual(r.references, []);
      assert.match(r.notes.map((n) => n.message).join('; '), /indented more than 200 levels deep/);
      assert.equal(sdkCalls(ORDINARY), 1, `after deep text ${i + 1}, an ordinary file is still read`);
    }
  });
});
