import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { InlayHint, MarkupContent } from 'vscode-languageserver';
import type { Analysis } from '../../server/src/analysis';
import { analyzeText } from '../../server/src/analysis';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { addDays, daysBetween } from '../../server/src/dates';
import { computeInlayHints } from '../../server/src/features/inlayHints';
import type { Position, Reference } from '../../server/src/model';
import { fileKindById } from '../../server/src/scanners/fileKinds';
import { initPythonParser } from '../../server/src/scanners/python/treeSitter';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const analyze = (text: string, kindId: string, path: string, warningWindowDays?: number) => analyzeText(text, path, fileKindById(kindId)!, catalog, { asOf: AS_OF, warningWindowDays });
const everything = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };
const eopOf = (framework: string, minor: string) => {
  const eop = catalog.frameworkVersion(framework, minor)?.endOfPatch;
  assert.ok(eop, `the catalog dates ${framework} ${minor}`);
  return eop;
};
/** The position right after the first `needle` on `line` of `text`. */
const after = (text: string, line: number, needle: string): Position => {
  const l = text.split('\n')[line];
  const at = l.indexOf(needle);
  assert.ok(at >= 0, `${needle} on line ${line}`);
  return { line, character: at + needle.length };
};
const tooltipOf = (h: InlayHint) => (h.tooltip as MarkupContent).value;

// an ended version, one whose end of patch is far off (read from the catalog, not written here) and
// one inside the warning window, an unpinned package, a Neuron package
const ENDED = eopOf('pytorch', '1.13');
const FUTURE = eopOf('tensorflow', '2.21');
const SOON = eopOf('pytorch', '2.10');
const requirements = 'torch==1.13.1  # old\ntensorflow==2.21.0\nnumpy\ntorch>=2.10,<2.11 ; python_version >= "3.10"\ntorch-neuronx==2.1.2.2.3.0\n';

describe('inlay hints', () => {
  it('the catalog facts the tests rest on: one ended, two future end-of-patch days', () => {
    assert.ok(daysBetween(AS_OF, ENDED) < 0);
    assert.ok(daysBetween(AS_OF, FUTURE) > 90);
    assert.ok(daysBetween(AS_OF, SOON) > 0 && daysBetween(AS_OF, SOON) <= 90);
  });

  it('one hint after the version text of each dated pin: `ended D` in the past, `EOP D` in the future', () => {
    const hints = computeInlayHints(analyze(requirements, 'pip-requirements', 'requirements.txt'), everything);
    assert.deepEqual(
      hints.map((h) => [h.position, h.label, h.paddingLeft, h.kind]),
      [
        [after(requirements, 0, 'torch==1.13.1'), `ended ${ENDED}`, true, undefined],
        [after(requirements, 1, 'tensorflow==2.21.0'), `EOP ${FUTURE}`, true, undefined],
        [after(requirements, 3, '<2.11'), `EOP ${SOON}`, true, undefined],
      ],
    );
    // nothing for numpy (no framework) or the Neuron package (Neuron SDK releases, no end of patch)
    assert.ok(!hints.some((h) => h.position.line === 2 || h.position.line === 4));
  });

  it('the tooltip names the support line, the day, the days left or ago and the basis, as Markdown', () => {
    const [ended, future] = computeInlayHints(analyze(requirements, 'pip-requirements', 'requirements.txt'), everything);
    assert.equal((ended.tooltip as MarkupContent).kind, 'markdown');
    assert.match(tooltipOf(ended), new RegExp(`^\\*\\*PyTorch 1\\.13\\*\\*: end of patch ${ENDED}\\n`));
    assert.match(tooltipOf(ended), new RegExp(`Ended ${daysBetween(ENDED, AS_OF)} days ago\\.`));
    assert.match(tooltipOf(ended), /End of patch published in the /);
    assert.match(tooltipOf(ended), new RegExp(`Evaluated as of ${AS_OF}`));
    assert.match(tooltipOf(future), new RegExp(`^\\*\\*TensorFlow 2\\.21\\*\\*: end of patch ${FUTURE}\\n`));
    assert.match(tooltipOf(future), new RegExp(`Ends in ${daysBetween(AS_OF, FUTURE)} days\\.`));
  });

  it('the end-of-patch day itself is still `EOP`, the day after is `ended`', () => {
    const on = analyzeText('torch==1.13.1\n', 'requirements.txt', fileKindById('pip-requirements')!, catalog, { asOf: ENDED });
    assert.equal(computeInlayHints(on, everything)[0].label, `EOP ${ENDED}`);
    assert.match(tooltipOf(computeInlayHints(on, everything)[0]), /Ends today\./);
    const dayAfter = analyzeText('torch==1.13.1\n', 'requirements.txt', fileKindById('pip-requirements')!, catalog, { asOf: addDays(ENDED, 1) });
    assert.equal(computeInlayHints(dayAfter, everything)[0].label, `ended ${ENDED}`);
    assert.match(tooltipOf(computeInlayHints(dayAfter, everything)[0]), /Ended 1 day ago\./);
  });

  it('only hints whose position lies in the range asked for (ends inclusive)', () => {
    const a = analyze(requirements, 'pip-requirements', 'requirements.txt');
    const line1 = computeInlayHints(a, { start: { line: 1, character: 0 }, end: { line: 1, character: 200 } });
    assert.deepEqual(line1.map((h) => h.label), [`EOP ${FUTURE}`]);
    const end = after(requirements, 0, 'torch==1.13.1');
    assert.equal(computeInlayHints(a, { start: { line: 0, character: 0 }, end }).length, 1, 'the range ends on the hint');
    assert.equal(computeInlayHints(a, { start: { line: 0, character: 0 }, end: { line: 0, character: end.character - 1 } }).length, 0, 'the range ends before the hint');
    assert.equal(computeInlayHints(a, { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }).length, 0, 'numpy only');
  });

  it('Dockerfiles: pins of RUN installs get hints, images do not', () => {
    const text = 'FROM 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker\nFROM ubuntu:22.04\nRUN pip install torch==2.1.0 numpy\n';
    const hints = computeInlayHints(analyze(text, 'dockerfile', 'Dockerfile'), everything);
    assert.deepEqual(hints.map((h) => [h.position, h.label]), [[after(text, 2, 'torch==2.1.0'), `ended ${eopOf('pytorch', '2.1')}`]]);
  });

  it('nothing for unpinned, undated or unknown versions', () => {
    // 2.14 is in the catalog without an end of patch
    assert.equal(catalog.frameworkVersion('pytorch', '2.14')?.endOfPatch, undefined);
    const text = 'torch\ntorch==2.14.1\ntorch==99.1\nnumpy==1.26\n';
    const a = analyze(text, 'pip-requirements', 'requirements.txt');
    assert.equal(a.scan.references.length, 3, 'the pins are read');
    assert.deepEqual(computeInlayHints(a, everything), []);
  });

  describe('SageMaker SDK calls', () => {
    before(async () => {
      await initPythonParser();
    });

    it('a hint after the framework version argument', () => {
      const text = 'from sagemaker.pytorch import PyTorch\nest = PyTorch(entry_point="t.py", framework_version="1.13.1", py_version="py39")\n';
      const hints = computeInlayHints(analyze(text, 'python', 'train.py'), everything);
      assert.deepEqual(hints.map((h) => [h.position, h.label]), [[after(text, 1, '"1.13.1'), `ended ${ENDED}`]]);
    });
  });

  it('never throws: a reference the rules cannot evaluate is skipped, the others keep their hints', () => {
    const a = analyze(requirements, 'pip-requirements', 'requirements.txt');
    const broken = { kind: 'framework-package-pin', subject: 'pytorch', version: '1.13.1', text: 'x', range: everything } as unknown as Reference;
    const withBroken: Analysis = { ...a, scan: { ...a.scan, references: [broken, ...a.scan.references] } };
    assert.deepEqual(computeInlayHints(withBroken, everything), computeInlayHints(a, everything));
    const badDay: Analysis = { ...a, context: { ...a.context, asOf: 'not a day' } };
    assert.deepEqual(computeInlayHints(badDay, everything), []);
  });

  it('property: never throws, every hint lies inside the document and the range', () => {
    const name = fc.constantFrom('torch', 'Torch', 'tensorflow', 'tensorflow-cpu', 'mxnet', 'numpy', 'torch-neuronx', 'torchvision', 'tf');
    const op = fc.constantFrom('==', '>=', '<=', '<', '>', '~=', '===', '!=', '=', '', ' == ');
    const version = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }).map((n) => n.join('.')),
      { arbitrary: fc.constantFrom('1.13.1', '2.1.0', '2.10', '2.21.0', '2.1.*', '1.13.1+cpu', '2.3.0rc1', '2.13.0', '2.6', ''), weight: 4 },
      fc.string({ maxLength: 6 }),
    );
    const tail = fc.constantFrom('', '  # comment', ' ; python_version < "3.12"', ',<3', ' --hash=sha256:ab', ' \\', '😀', '\t');
    const line = fc.oneof(fc.tuple(name, op, version, tail).map(([n, o, v, t]) => `${n}${o}${v}${t}`), fc.string({ maxLength: 20 }), fc.constant('-r other.txt'));
    const doc = fc.tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.boolean());
    let seen = 0;
    fc.assert(
      fc.property(doc, fc.nat(10), fc.nat(10), ([lines, eol, dockerfile], from, span) => {
        const text = dockerfile ? lines.map((l) => `RUN pip install ${l}`).join(eol) : lines.join(eol);
        const a = dockerfile ? analyze(text, 'dockerfile', 'Dockerfile') : analyze(text, 'pip-requirements', 'requirements.txt');
        const docLines = text.split(/\r\n|\r|\n/);
        const range = { start: { line: from, character: 0 }, end: { line: from + span, character: 1000 } };
        for (const [r, hints] of [[everything, computeInlayHints(a, everything)], [range, computeInlayHints(a, range)]] as const) {
          for (const h of hints) {
            seen++;
            const p = h.position;
            assert.ok(p.line >= 0 && p.line < docLines.length && p.character >= 0 && p.character <= docLines[p.line].length, `${JSON.stringify(p)} in ${JSON.stringify(text)}`);
            assert.ok(p.line >= r.start.line && p.line <= r.end.line);
            assert.match(String(h.label), /^(EOP|ended) \d{4}-\d{2}-\d{2}$/);
          }
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(seen > 10, `the generated documents produced hints (${seen})`);
  });
});
