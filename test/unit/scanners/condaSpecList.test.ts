import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Range } from '../../../server/src/model';
import { fileKindForPath } from '../../../server/src/scanners/fileKinds';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const SPEC = [
  '# This file is auto-generated.',
  "conda-forge::pytorch[version='>=1.13.0,<1.14.0']",
  "conda-forge::torchvision[version='>=0.14.0,<0.15.0']",
  'python=3.8  # the runtime',
  "conda-forge::tensorflow[version='>=2.19.1,<2.20.0']",
  '',
].join('\r\n');

describe('conda spec lists (conda create --file)', () => {
  const kind = fileKindForPath('build_artifacts/v3/v3.9/v3.9.9/gpu.env.in')!;
  const slice = (text: string, r: Range) => {
    const idx = new TextIndex(text);
    return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
  };

  it('reads one MatchSpec per line: framework pins with their channel, Python, comments; lookalikes left alone', () => {
    assert.equal(kind.id, 'conda-spec-list');
    const a = analyzeText(SPEC, 'gpu.env.in', kind, catalog, { asOf: '2026-11-21' });
    const refs = a.scan.references.map((r) => [r.kind, r.subject, r.range.start.line]);
    assert.deepEqual(refs, [
      ['package-channel', 'conda-forge', 1],
      ['framework-package-pin', 'pytorch', 1],
      ['package-channel', 'conda-forge', 2],
      ['python-version', 'python', 3],
      ['package-channel', 'conda-forge', 4],
      ['framework-package-pin', 'tensorflow', 4],
    ]);
    const pin = a.scan.references.find((r) => r.kind === 'framework-package-pin' && r.subject === 'pytorch');
    assert.ok(pin && pin.kind === 'framework-package-pin');
    assert.equal(slice(SPEC, pin.pin.clauses[0].versionRange), '1.13.0');
    assert.deepEqual(a.scan.comments.map((c) => [c.range.start.line, c.standalone]), [[0, true], [3, false]]);
    const rules = a.findings.map((f) => `${f.rule}@${f.range.start.line}`);
    assert.ok(rules.includes('end-of-patch@1'), rules.join(' '));
    assert.ok(rules.includes('python-end-of-life@3'), rules.join(' '));
  });

  it('a file of the same name that holds @EXPLICIT is read as an explicit lock', () => {
    const lock = '@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/pytorch-1.13.1-cuda112py38h9871d0b_200.conda\n';
    const a = analyzeText(lock, 'gpu.env.out', fileKindForPath('gpu.env.out')!, catalog, { asOf: '2026-11-21' });
    assert.deepEqual(a.scan.references.filter((r) => r.kind === 'framework-package-pin').map((r) => r.version), ['1.13.1']);
  });
});
