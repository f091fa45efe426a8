import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import { checkScanResult as checkResult } from '../../fixtures/scanChecks';
import { scanPython } from '../../../server/src/scanners/python/sagemakerSdk';
import { initPythonParser } from '../../../server/src/scanners/python/treeSitter';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'python');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).map((f) => readFileSync(join(FIXTURES, f), 'utf8'));


const scanChecked = (text: string) => {
  const r = scanPython(text, catalog);
  checkResult(text, r);
  return r;
};

/** Text that looks like Python around SDK calls: names, quotes, brackets, f-string braces, escapes, line ends, non-ASCII. */
const pythonish = fc
  .array(
    fc.oneof(
      fc.constantFrom('PyTorch(', 'framework_version=', 'py_version=', '"1.8.0"', "'py36'", 'f"', '{x}', 'V = "2.1"', 'V', ')', ',', '\n', '\r\n', '\r', '    ', '#', '"""', '\\', 'é', '😀', 'import sagemaker\n', 'from sagemaker.pytorch import PyTorch as P\n', 'P(', 'image_uris.retrieve(', 'accelerator_type="ml.eia1.large"'),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => `import sagemaker\n${parts.join('')}`);

describe('SageMaker SDK scanner: properties', () => {
  before(async () => {
    await initPythonParser();
  });

  it('never throws, and every range lies inside the text, on Python-like text', () => {
    fc.assert(fc.property(pythonish, (text) => void scanChecked(text)), { numRuns: 400 });
  });

  it('never throws on arbitrary unicode text that mentions sagemaker', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => void scanChecked(`sagemaker ${s}`)), { numRuns: 300 });
  });

  it('never throws on mutated fixtures (deletions, insertions, duplicated slices)', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 }))
      .map(([text, edits]) => {
        let t = text;
        for (const [at, del, ins] of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + ins + t.slice(i + del);
        }
        return t;
      });
    fc.assert(fc.property(mutated, (text) => void scanChecked(text)), { numRuns: 300 });
  });

  it('an argument written as a literal is read back as written, with its range, whatever the layout around it', () => {
    const version = fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 20 }), fc.option(fc.nat({ max: 9 }), { nil: undefined })).map(([a, b, c]) => (c === undefined ? `${a}.${b}` : `${a}.${b}.${c}`));
    const py = fc.constantFrom('py3', 'py27', 'py36', 'py38', 'py310', 'py312');
    const gap = fc.constantFrom('', ' ', '\n    ', '  # note\n', '\r\n\t');
    const quote = fc.constantFrom('"', "'", '"""');
    fc.assert(
      fc.property(version, py, gap, gap, quote, fc.boolean(), (v, p, g1, g2, q, viaConstant) => {
        const value = viaConstant ? 'FV' : `${q}${v}${q}`;
        const text = `from sagemaker.pytorch import PyTorch\nFV = ${q}${v}${q}\nest = PyTorch(${g1}entry_point="t.py",${g2}framework_version=${value},${g1}py_version='${p}'${g2})\n`;
        const r = scanChecked(text);
        const sdk = r.references.filter((x) => x.kind === 'sdk-framework');
        assert.equal(sdk.length, 1);
        const ref = sdk[0];
        assert.ok(ref.kind === 'sdk-framework');
        assert.equal(ref.sdk.frameworkVersion?.text, v);
        assert.equal(ref.sdk.pyVersion?.text, p);
        assert.equal(ref.sdk.frameworkVersion?.range.start.line, viaConstant ? 1 : ref.sdk.frameworkVersion?.range.start.line);
        assert.deepEqual(ref.sdk.resolvedFrom?.map((f) => f.name), viaConstant ? ['FV'] : undefined);
      }),
      { numRuns: 300 },
    );
  });
});
