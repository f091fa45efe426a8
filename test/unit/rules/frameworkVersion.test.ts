import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import type { AnalysisOptions } from '../../../server/src/analysis';
import { fileKindById } from '../../../server/src/scanners/fileKinds';
import { applyEdits } from '../../../server/src/text';
import { options, syntheticCatalog } from '../../fixtures/catalog';

const kind = fileKindById('pip-requirements')!;
const analyze = (text: string, o: Partial<AnalysisOptions> = {}) => analyzeText(text, 'requirements.txt', kind, syntheticCatalog, options(o));
const rules = (text: string, o: Partial<AnalysisOptions> = {}) => analyze(text, o).findings.map((f) => f.rule);

describe('framework-version rules (asOf 2025-12-15, synthetic catalog)', () => {
  it('end-of-patch: states the date, the days since, and how the date was obtained', () => {
    const [f] = analyze('torch==1.13.1\n').findings;
    assert.equal(f.rule, 'end-of-patch');
    assert.equal(f.severity, 'warning');
    assert.equal(f.subject, 'pytorch');
    assert.equal(f.version, '1.13.1');
    assert.equal(f.endOfPatch, '2024-10-28');
    assert.equal(f.message, 'PyTorch 1.13 reached end of patch on 2024-10-28 (413 days ago); it gets no more security patches or bug fixes. End of patch published in the Test support table.');
    const [r365] = analyze('torch==1.12.1').findings;
    assert.match(r365.message, /release of 1\.12\.0 on 2022-06-28 \+ 365 days/);
  });

  it('end-of-patch is not reported on the end-of-patch day itself, and is reported the day after', () => {
    assert.deepEqual(rules('torch==2.1.2', { asOf: '2026-01-01' }), ['end-of-patch-soon']);
    assert.match(analyze('torch==2.1.2', { asOf: '2026-01-01' }).findings[0].message, /\(today\)/);
    assert.deepEqual(rules('torch==2.1.2', { asOf: '2026-01-02' }), ['end-of-patch']);
  });

  it('end-of-patch-soon: inside the warning window only, with days left', () => {
    const [f] = analyze('torch==2.1.2').findings;
    assert.equal(f.rule, 'end-of-patch-soon');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /^PyTorch 2\.1 ends patch support on 2026-01-01 \(in 17 days\)/);
    assert.deepEqual(rules('torch==2.1.2', { warningWindowDays: 10 }), []);
    assert.deepEqual(rules('torch==2.3.1'), []);
  });

  it('superseded-patch: an exact pin with a later patch of a supported version is a hint with a latest-patch fix', () => {
    const [f] = analyze('torch==2.3.0\n').findings;
    assert.equal(f.rule, 'superseded-patch');
    assert.equal(f.severity, 'hint');
    assert.match(f.message, /PyTorch 2\.3\.0 is superseded by 2\.3\.1 \(released by 2025-07-01\)/);
    assert.deepEqual(f.fixes.map((x) => x.title), ['Bump torch to 2.3.1 (latest patch)']);
    assert.equal(applyEdits('torch==2.3.0\n', f.fixes[0].edits), 'torch==2.3.1\n');
    // ranges that allow the latest patch are not superseded
    assert.deepEqual(rules('torch>=2.3,<2.4'), []);
  });

  it('end-of-patch fixes: nearest supported version beyond the warning window, and the latest supported one', () => {
    const [f] = analyze('torch==1.13.1').findings;
    assert.deepEqual(f.fixes.map((x) => [x.title, x.targetVersion, x.safe, x.preferred]), [['Bump torch to 2.3.1 (nearest supported PyTorch version)', '2.3.1', true, true]]);
    const [g] = analyze('torch==1.13.1', { warningWindowDays: 30 }).findings;
    assert.deepEqual(g.fixes.map((x) => x.targetVersion), ['2.2.0', '2.3.1']);
    assert.match(g.fixes[1].title, /latest supported PyTorch version/);
  });

  it('ranges are evaluated at the highest known release they allow', () => {
    const [f] = analyze('tensorflow-gpu>=2.4,<2.5').findings;
    assert.equal(f.rule, 'end-of-patch');
    assert.equal(f.version, '2.4.1');
    assert.deepEqual(rules('torch>=1.12,<2.4'), []);
    assert.deepEqual(rules('torch==2.1.*'), ['end-of-patch-soon']);
    assert.deepEqual(rules('torch~=1.12.0'), ['end-of-patch']);
  });

  it('unknown-version: newer than the catalog, or known without dates', () => {
    const [f] = analyze('torch==2.9.0').findings;
    assert.equal(f.rule, 'unknown-version');
    assert.equal(f.severity, 'hint');
    assert.equal(f.message, 'The catalog (dated 2025-12-01) does not know PyTorch 2.9; refresh the catalog.');
    assert.match(analyze('torch==2.4.0').findings[0].message, /has no release or end-of-patch date for PyTorch 2\.4/);
    assert.deepEqual(rules('torch>=2.9'), ['unknown-version']);
    // an open range resolves to the newest known release (2.4.0, no dates): it names no version, so nothing is said
    assert.deepEqual(rules('torch>=2.0'), []);
    // a bounded range that lands on it is reported, saying what it resolves to
    const [b] = analyze('torch>=2.3,<2.5').findings;
    assert.equal(b.rule, 'unknown-version');
    assert.match(b.message, /has no release or end-of-patch date for PyTorch 2\.4 \(highest release allowed by >=2\.3,<2\.5\)/);
  });

  it('unsupported-version: older than the table, or a version with no end-of-patch date known', () => {
    const [f] = analyze('torch==0.4.1').findings;
    assert.equal(f.rule, 'unsupported-version');
    assert.match(f.message, /PyTorch 0\.4 is not a supported framework version: it is older than every version in the support table \(oldest known: 1\.12\)/);
    assert.deepEqual(f.fixes.map((x) => x.targetVersion), ['2.3.1']);
    assert.deepEqual(rules('tensorflow==1.15.5'), ['unsupported-version']);
    assert.deepEqual(rules('torch==2.0.1'), ['unsupported-version'], '2.0 is missing from the synthetic table between known versions');
  });

  it('unpinned is off by default and can be turned on', () => {
    assert.deepEqual(rules('torch\n'), []);
    const [f] = analyze('torch\n', { severities: { unpinned: 'hint' } }).findings;
    assert.equal(f.rule, 'unpinned');
    assert.match(f.message, /torch is not pinned to a version/);
  });

  it('discontinued: a retired framework is reported besides its end of patch', () => {
    assert.deepEqual(rules('mxnet-cu112==1.9.1'), ['discontinued', 'end-of-patch']);
    const f = analyze('mxnet==1.9.1').findings.find((x) => x.rule === 'discontinued')!;
    assert.equal(f.message, 'Apache MXNet is discontinued (since 2023-09): Retired to the Apache Attic.');
  });

  it('severities are configurable and off removes the finding', () => {
    assert.equal(analyze('torch==1.13.1', { severities: { 'end-of-patch': 'error' } }).findings[0].severity, 'error');
    assert.deepEqual(rules('torch==1.13.1', { severities: { 'end-of-patch': 'off' } }), []);
  });

  it('a --hash line gets fixes that are not safe and say the hashes must be regenerated', () => {
    const [f] = analyze('torch==1.13.1 --hash=sha256:abc\n').findings;
    assert.equal(f.fixes[0].safe, false);
    assert.match(f.fixes[0].title, /regenerate the --hash values/);
  });

  it('an unreadable version yields no lifecycle finding, only a hint that it was not judged', () => {
    for (const text of ['torch==${TORCH_VERSION}', 'torch==latest']) {
      const found = analyze(`${text}\n`).findings;
      assert.deepEqual(found.map((f) => [f.rule, f.severity]), [['unresolved-reference', 'hint']], text);
      assert.match(found[0].message, /torch/);
    }
  });
});
