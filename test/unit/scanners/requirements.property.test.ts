import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RequirementsScan } from '../../../server/src/scanners/requirements';
import { scanRequirements } from '../../../server/src/scanners/requirements';
import type { Range } from '../../../server/src/model';
import { TextIndex } from '../../../server/src/text';
import { syntheticCatalog } from '../../fixtures/catalog';

function assertRangesInside(text: string, result: RequirementsScan): void {
  const idx = new TextIndex(text);
  const check = (r: Range, what: string) => {
    const s = idx.offsetAt(r.start);
    const e = idx.offsetAt(r.end);
    // offsetAt clamps, so also compare positions back: a range outside the text would not round-trip
    assert.deepEqual(idx.positionAt(s), r.start, `${what} start outside the text`);
    assert.deepEqual(idx.positionAt(e), r.end, `${what} end outside the text`);
    assert.ok(s <= e, `${what} is reversed`);
  };
  for (const ref of result.references) {
    check(ref.range, 'reference');
    check(ref.pin.nameRange, 'name');
    for (const c of ref.pin.clauses) check(c.versionRange, 'version');
  }
  for (const c of result.comments) check(c.range, 'comment');
  for (const i of result.includes) check(i.range, 'include');
  for (const n of result.notes) check(n.range, 'note');
}

/** Pieces that real requirements files are made of, to build plausible and broken lines. */
const piece = fc.constantFrom(
  'torch', 'Torch', 'tensorflow_gpu', 'mxnet-cu112', 'numpy', 'torchvision', '==', '===', '~=', '>=', '<', '!=', ',',
  '2.1.0', '1.13.1', '2.*', '+cpu', '[cuda]', '[', ']', '(', ')', ';', ' python_version < "3.8"', ' ', '  ', '\t',
  '#', ' # c', '\\', '\n', '\r\n', '\r', '-r', ' base.txt', '--hash=sha256:ab', ' --hash', '-e', 'git+https://x/y',
  '@', ' https://h/t.whl', './p', '\uFEFF', '\u0000', '🚀', 'é', '"', "'",
);

describe('requirements scanner properties', () => {
  it('never throws and keeps every range inside the text, on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        assertRangesInside(text, scanRequirements(text, syntheticCatalog));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and keeps every range inside the text, on lines built from real syntax', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        assertRangesInside(text, scanRequirements(text, syntheticCatalog));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds every well-formed pin among generated files, whatever the surrounding lines', () => {
    const pin = fc.record({
      name: fc.constantFrom('torch', 'TORCH', 'tensorflow-cpu', 'tensorflow_gpu', 'mxnet_cu112'),
      op: fc.constantFrom('==', '~=', '>=', '==='),
      version: fc.constantFrom('2.1.0', '1.13.1', '2.4', '1.9.1'),
      extras: fc.constantFrom('', '[cuda]', '[a,b]'),
      tail: fc.constantFrom('', ' ; python_version >= "3.8"', ' --hash=sha256:ab', '  # note'),
    });
    const noise = fc.constantFrom('numpy==1.26', '# comment', '', '-r base.txt', 'torchvision==0.16', '-e ./pkg');
    fc.assert(
      fc.property(fc.array(fc.oneof(pin, noise), { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), (items, eol) => {
        const lines = items.map((i) => (typeof i === 'string' ? i : `${i.name}${i.extras}${i.op}${i.version}${i.tail}`));
        const result = scanRequirements(lines.join(eol), syntheticCatalog);
        const expected = items.filter((i) => typeof i !== 'string');
        assert.equal(result.references.length, expected.length);
        result.references.forEach((r, k) => assert.equal(r.pin.clauses[0].version, (expected[k] as { version: string }).version));
      }),
      { numRuns: 300 },
    );
  });

  it('stays linear: a 1 MB line and 100,000 lines are read', () => {
    const long = `torch==2.1.0 ${'x'.repeat(1_000_000)}`;
    assertRangesInside(long, scanRequirements(long, syntheticCatalog));
    const many = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 0 ? 'torch==2.1.0' : `pkg${i}==1.0`)).join('\n');
    assert.equal(scanRequirements(many, syntheticCatalog).references.length, 10_000);
  });
});
