import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanRequirements } from '../../../server/src/scanners/requirements';
import { TextIndex } from '../../../server/src/text';
import type { Range } from '../../../server/src/model';
import { syntheticCatalog } from '../../fixtures/catalog';

const scan = (text: string, constraints = false) => scanRequirements(text, syntheticCatalog, { constraints });
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};

describe('requirements scanner', () => {
  it('finds an exact framework pin with exact ranges for the name, the specifier and each version', () => {
    const text = 'numpy==1.26\ntorch==1.13.1\n';
    const { references } = scan(text);
    assert.equal(references.length, 1);
    const [r] = references;
    assert.equal(r.subject, 'pytorch');
    assert.equal(r.version, '1.13.1');
    assert.equal(r.text, 'torch==1.13.1');
    assert.deepEqual(r.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 13 } });
    assert.equal(slice(text, r.pin.nameRange), 'torch');
    assert.equal(slice(text, r.pin.specifierRange!), '==1.13.1');
    assert.equal(slice(text, r.pin.clauses[0].versionRange), '1.13.1');
  });

  it('maps package aliases through PEP 503 normalisation (case, -, _, .)', () => {
    const text = ['Torch==2.1.0', 'tensorflow_cpu==2.4.1', 'TensorFlow.GPU==2.4.0', 'PyTorch==2.1.0', 'mxnet-cu112==1.9.1', 'MXNet_CU117mkl==1.9.1'].join('\n');
    const subjects = scan(text).references.map((r) => [r.pin.normalizedName, r.subject]);
    assert.deepEqual(subjects, [
      ['torch', 'pytorch'],
      ['tensorflow-cpu', 'tensorflow'],
      ['tensorflow-gpu', 'tensorflow'],
      ['pytorch', 'pytorch'],
      ['mxnet-cu112', 'mxnet'],
      ['mxnet-cu117mkl', 'mxnet'],
    ]);
  });

  it('does not match lookalike packages', () => {
    const text = 'torchvision==0.15.2\ntorchaudio==2.1.0\ntensorflow-datasets==4.9\ntensorflow-probability==0.20\ntensorboard==2.11\ntorch-neuronx==2.1.2.2.3.0\nmxnet-model-server==1.0\npytorch-lightning==2.1\n';
    assert.deepEqual(scan(text).references, []);
  });

  it('reads every PEP 440 operator, wildcards, local versions and parenthesised specifiers', () => {
    const cases: Array<[string, string, string[]]> = [
      ['torch~=2.1.0', '~=2.1.0', ['2.1.0']],
      ['torch===2.1.0', '2.1.0', ['2.1.0']],
      ['torch==2.1.*', '==2.1.*', ['2.1.*']],
      ['torch>=2.1,<2.2', '>=2.1,<2.2', ['2.1', '2.2']],
      ['torch >= 2.1 , < 2.2', '>=2.1,<2.2', ['2.1', '2.2']],
      ['torch!=2.1.1,>=2.1', '!=2.1.1,>=2.1', ['2.1.1', '2.1']],
      ['torch==2.1.0+cpu', '2.1.0+cpu', ['2.1.0+cpu']],
      ['torch (>=2.1,<2.2)', '>=2.1,<2.2', ['2.1', '2.2']],
      ['torch<=2.1.2', '<=2.1.2', ['2.1.2']],
      ['torch>2.0', '>2.0', ['2.0']],
    ];
    for (const [line, version, versions] of cases) {
      const [r] = scan(line).references;
      assert.ok(r, line);
      assert.equal(r.version, version, line);
      assert.deepEqual(r.pin.clauses.map((c) => slice(line, c.versionRange)), versions, line);
    }
  });

  it('keeps extras, markers, comments and hashes out of the reference text', () => {
    const text = 'torch[cuda,opt]==2.1.0 ; python_version < "3.12" --hash=sha256:abc # pinned\n';
    const [r] = scan(text).references;
    assert.equal(r.text, 'torch[cuda,opt]==2.1.0');
    assert.equal(r.pin.hasHashes, true);
    assert.equal(slice(text, r.pin.clauses[0].versionRange), '2.1.0');
  });

  it('records an unpinned framework with an empty specifier', () => {
    const [r] = scan('torch\n').references;
    assert.equal(r.version, '');
    assert.equal(r.pin.clauses.length, 0);
    assert.equal(r.text, 'torch');
    const [r2] = scan('torch ; sys_platform == "linux"').references;
    assert.equal(r2.text, 'torch');
  });

  it('joins backslash continuations and maps ranges back to the physical lines', () => {
    const text = 'torch==2.1.0 \\\n    --hash=sha256:aaa \\\n    --hash=sha256:bbb\ntensorflow==\\\n2.4.0\n';
    const { references, statements } = scan(text);
    assert.equal(references.length, 2);
    assert.equal(references[0].pin.hasHashes, true);
    assert.deepEqual(references[0].range.start, { line: 0, character: 0 });
    assert.equal(slice(text, references[1].pin.clauses[0].versionRange), '2.4.0');
    assert.deepEqual(references[1].pin.clauses[0].versionRange.start, { line: 4, character: 0 });
    assert.deepEqual(statements, [{ startLine: 0, endLine: 2 }, { startLine: 3, endLine: 4 }]);
  });

  it('treats # as a comment only at line start or after whitespace, as pip does', () => {
    const text = '# torch==1.0.0\ntorch==2.1.0#not-a-comment\ntensorflow==2.4.0 # real comment\n';
    const { references, comments, notes } = scan(text);
    assert.deepEqual(references.map((r) => r.subject), ['tensorflow']);
    assert.equal(notes.length, 1, 'torch==2.1.0#not-a-comment is not a valid requirement');
    assert.equal(notes[0].range.start.line, 1);
    assert.deepEqual(comments.map((c) => [c.text, c.standalone]), [[' torch==1.0.0', true], [' real comment', false]]);
  });

  it('follows pip: a comment line ends a continuation', () => {
    const text = 'torch==2.1.0 \\\n# comment\ntensorflow==2.4.0\n';
    const { references } = scan(text);
    assert.deepEqual(references.map((r) => r.subject), ['pytorch', 'tensorflow']);
  });

  it('reads -r/-c includes in every spelling, and index URLs', () => {
    const text = [
      '-r base.txt',
      '--requirement=dev.txt',
      '-rlocal.txt',
      '-c constraints.txt',
      '--constraint ../c2.txt',
      '--extra-index-url https://pip.repos.neuron.amazonaws.com',
      '-i https://pypi.org/simple',
    ].join('\n');
    const { includes, indexUrls, references } = scan(text);
    assert.deepEqual(includes.map((i) => [i.path, i.kind, slice(text, i.range)]), [
      ['base.txt', 'requirements', 'base.txt'],
      ['dev.txt', 'requirements', 'dev.txt'],
      ['local.txt', 'requirements', 'local.txt'],
      ['constraints.txt', 'constraints', 'constraints.txt'],
      ['../c2.txt', 'constraints', '../c2.txt'],
    ]);
    assert.deepEqual(indexUrls, ['https://pip.repos.neuron.amazonaws.com', 'https://pypi.org/simple']);
    assert.equal(references.length, 0);
  });

  it('skips editable, URL, path and PEP 508 URL requirements cleanly', () => {
    const text = [
      '-e git+https://github.com/pytorch/pytorch.git#egg=torch',
      '--editable ./torch',
      './torch',
      'https://download.pytorch.org/whl/cpu/torch-2.1.0%2Bcpu-cp310-cp310-linux_x86_64.whl',
      'torch @ https://download.pytorch.org/whl/torch-2.1.0.whl',
      'wheels/torch-2.1.0-cp310-none-any.whl',
      'torch==2.1.0',
    ].join('\n');
    const { references, notes } = scan(text);
    assert.deepEqual(references.map((r) => r.version), ['2.1.0']);
    assert.deepEqual(notes, []);
  });

  it('marks references of constraints files', () => {
    const [r] = scan('torch<2.2\n', true).references;
    assert.equal(r.pin.constraint, true);
  });

  it('reports unreadable framework lines as notes and keeps reading', () => {
    const text = 'torch[cuda==2.1.0\ntorch==\ntensorflow==2.4.0\n';
    const { references, notes } = scan(text);
    assert.deepEqual(references.map((r) => r.subject), ['tensorflow']);
    assert.equal(notes.length, 2);
    assert.equal(notes[0].range.start.line, 0);
  });

  it('handles CRLF, lone CR, a BOM and non-ASCII text with UTF-16 positions', () => {
    const text = '\uFEFF# modèle 🚀\r\ntorch==2.1.0\rtensorflow==2.4.0';
    const { references } = scan(text);
    assert.deepEqual(references.map((r) => r.range.start), [{ line: 1, character: 0 }, { line: 2, character: 0 }]);
    const emoji = '🚀 # x\n  torch==2.1.0 # 🚀\n';
    const [r] = scan(emoji).references;
    assert.equal(slice(emoji, r.range), 'torch==2.1.0');
  });
});
