/**
 * The Dockerfile, conda environment and notebook scanners reuse the previous scan of a document
 * when the next text is an edit of it (re-parsing only the instructions an edit touches;
 * re-reading only a dependency entry edited in place; scanning only the notebook cells whose
 * source changed). These tests scan sequences of edited versions one after the other and require
 * each result to equal a scan of the same text from scratch.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { ScanResult } from '../../../server/src/model';
import { scanCondaEnvironment } from '../../../server/src/scanners/condaEnvironment';
import { runReads, scanDockerfile } from '../../../server/src/scanners/dockerfile';
import { LastScanMemo } from '../../../server/src/scanners/lastScanMemo';
import { cellScans, scanNotebook } from '../../../server/src/scanners/notebook/ipynb';
import { initParsers } from '../../../server/src/scanners/treeSitter';
import { generateDocument } from '../../../bench/generate';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** A scan from scratch: scanning an empty text first leaves nothing to reuse. */
function fresh(scan: (t: string) => ScanResult, text: string): ScanResult {
  scan('');
  return scan(text);
}

/** A small seeded generator (the same edits on every run). */
function generator(seed: number) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return { next, pick: <T>(a: readonly T[]) => a[Math.floor(next() * a.length)] };
}

/** Applies `steps` random edits to `base` (insertions of `pieces`, deletions, replacements, digit changes), checking each version. */
function checkEdits(scan: (t: string) => ScanResult, bases: string[], pieces: readonly string[], rounds: number, steps: number): number {
  const g = generator(20261121);
  let checked = 0;
  for (const base of bases) {
    for (let r = 0; r < rounds; r++) {
      let text = base;
      scan(text);
      for (let k = 0; k < steps; k++) {
        const at = Math.floor(g.next() * (text.length + 1));
        const op = g.next();
        if (op < 0.4) {
          // a version-like edit: one digit changed (what typing in a version does)
          const m = /\d/.exec(text.slice(at));
          if (m) text = `${text.slice(0, at + m.index)}${Math.floor(g.next() * 10)}${text.slice(at + m.index + 1)}`;
        } else if (op < 0.65) text = text.slice(0, at) + g.pick(pieces) + text.slice(at);
        else if (op < 0.85) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(g.next() * 6));
        else text = text.slice(0, at) + g.pick(pieces) + text.slice(at + 1 + Math.floor(g.next() * 4));
        const incremental = scan(text);
        assert.deepEqual(incremental, fresh(scan, text), `edit ${k} of round ${r} gives another result than a scan from scratch:\n${text}`);
        // the scan from scratch is now the previous text: continue from it
        checked++;
      }
    }
  }
  return checked;
}

const fixtures = (dir: string, re: RegExp) => readdirSync(join(FIXTURES, dir)).filter((n) => re.test(n)).map((n) => readFileSync(join(FIXTURES, dir, n), 'utf8'));

describe('incremental Dockerfile scan', () => {
  const scan = (t: string) => scanDockerfile(t, catalog);
  const generated = [
    'ARG TAG=2.1.0-gpu-py310\nFROM 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:${TAG} AS train\n',
    ...Array.from({ length: 30 }, (_, i) => `# step ${i}\nRUN pip install --no-cache-dir "transformers==4.36.${i}" \\\n    && pip install torch==2.1.${i % 3}\nCOPY a${i} /b\n`),
    'RUN <<EOF\npip install torch==1.13.1\nEOF\nENV A=1\n',
  ].join('');
  const pieces = ['\\', '\\\n', '\n', '\r\n', '#', '# c\n', ' ', '"', "'", '${', '}', 'RUN ', 'FROM ', 'ARG ', '<<EOF\n', 'EOF\n', '# escape=`\n', '`', '[', '--mount=type=cache ', '--platform=linux/amd64 ', 'RUN pip install torch==1.13.1 \\\n', 'ARG TORCH_VERSION=1.13.1\n', '\uFEFF', '😀'];

  it('equals a scan from scratch after every edit of the fixtures and a generated file', () => {
    const n = checkEdits(scan, [...fixtures('dockerfiles', /Dockerfile$/), generated], pieces, 6, 8);
    assert.ok(n > 100);
  });

  it('takes in an edit that continues an instruction onto the next one, and one that opens a here-document', () => {
    const base = 'FROM python:3.10\nRUN pip install torch==1.13.1\nRUN pip install tensorflow==2.9.0\nCOPY x /y\n';
    for (const text of [
      base.replace('torch==1.13.1', 'torch==1.13.1 \\'),
      base.replace('torch==1.13.1', 'torch==1.13.1 <<EOF'),
      base.replace('torch==1.13.1', 'torch==2.1.0'),
      base.replace('FROM python:3.10', '# escape=`\nFROM python:3.10'),
    ]) {
      scan(base);
      assert.deepEqual(scan(text), fresh(scan, text));
    }
    // only the RUN an edit changed is read again; the others' pins are moved to their new lines
    scan(base);
    let before = runReads();
    const moved = scan(`# a comment line\n${base.replace('tensorflow==2.9.0', 'tensorflow==2.10.0')}`);
    assert.equal(runReads() - before, 1, 'one RUN changed: one RUN read');
    assert.deepEqual(moved.references.find((r) => r.subject === 'pytorch')?.range.start, { line: 2, character: 16 });
    scan(base);
    before = runReads();
    scan(base);
    assert.equal(runReads() - before, 2, 'an unchanged text: every RUN read again');
    // the continued instruction takes the next line in: its pins are read from one RUN
    scan(base);
    const continued = scan(base.replace('torch==1.13.1', 'torch==1.13.1 \\'));
    assert.deepEqual(continued.statements.map((s) => [s.startLine, s.endLine]), [[0, 0], [1, 2], [3, 3]]);
  });
});

describe('incremental conda environment scan', () => {
  const scan = (t: string) => scanCondaEnvironment(t, catalog);
  const generated = `name: train\nchannels:\n  - pytorch\n  - conda-forge\ndependencies:\n  - python=3.10\n${Array.from({ length: 40 }, (_, i) => `  - ${i % 5 ? `pkg${i}` : 'pytorch'}=2.${i % 7}.0\n`).join('')}  - tensorflow>=2.9,<2.10\n  - pip\n  - pip:\n    - torch==1.13.1\n`;
  const pieces = ['\n', ' ', '- ', '#', ' # c', ':', ': ', '"', "'", '[', ']', '{', ',', '&a ', '*a', '!t ', 'x', '.', '=', '==', '::', '1', '1.5', 'true', '\t', '|', '---\n'];

  it('equals a scan from scratch after every edit of the fixtures and a generated file', () => {
    const n = checkEdits(scan, [...fixtures('conda', /\.ya?ml$/), generated], pieces, 6, 8);
    assert.ok(n > 100);
  });

  it('re-reads an entry edited in place, and reads the file again when an edit changes what the entry is', () => {
    const base = 'channels:\n  - defaults\ndependencies:\n  - pytorch=1.13.1\n  - numpy=1.26.4\n';
    for (const edited of ['pytorch=2.1.0', 'pytorch=1.13.1: x', 'pytorch=1.13.1 # x', 'pytorch', 'pytorch=1.13.1\n  - tensorflow=2.9.0', 'torch-neuron=1.13.1.2.9.6.0']) {
      const text = base.replace('pytorch=1.13.1', edited);
      scan(base);
      assert.deepEqual(scan(text), fresh(scan, text), edited);
    }
    scan(base);
    const pin = scan(base.replace('1.13.1', '2.1.0')).references.find((r) => r.subject === 'pytorch');
    assert.equal(pin?.version, '2.1.0');
    assert.deepEqual(pin?.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 17 } });
  });
});

describe('incremental notebook scan', () => {
  before(() => initParsers(['python']));
  const scan = (t: string) => scanNotebook(t, catalog);
  const pieces = ['\\n', ' ', '"', '\\"', '#', '# c\\n', 'torch==1.13.1', 'PyTorch(framework_version=\\"1.8.1\\", py_version=\\"py3\\")\\n', '!pip install torch==1.13.1\\n', '%pip install tensorflow==2.9.0', '\\u00e9', '\\ud83d\\ude00', 'é', ',', '{', '}', '[', ']', '"\\n",\n    "', 'x'];

  it('equals a scan from scratch after every edit of the fixtures and a generated notebook', () => {
    const n = checkEdits(scan, [...fixtures('notebooks', /\.ipynb$/), generateDocument('notebook', 200).text], pieces, 4, 8);
    assert.ok(n > 100);
  });

  it('scans again only the cell an edit changed; an unchanged text is scanned in full', () => {
    const cell = (source: string[]) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null });
    const notebook = (version: string) =>
      JSON.stringify(
        {
          cells: [
            cell(['from sagemaker.pytorch import PyTorch\n', `est = PyTorch(framework_version="${version}", py_version="py3")\n`]),
            cell(['!pip install torch==2.1.0\n']),
            cell(['import os\n', 'print(os.getcwd())\n']),
          ],
          metadata: { kernelspec: { language: 'python', name: 'python3' } },
          nbformat: 4,
          nbformat_minor: 5,
        },
        null,
        1,
      );
    scan(notebook('1.8.1'));
    let before = cellScans();
    const edited = scan(notebook('1.13.1'));
    assert.equal(cellScans() - before, 1, 'one cell changed: one cell scanned');
    assert.deepEqual(edited, fresh(scan, notebook('1.13.1')));
    assert.ok(edited.references.some((r) => r.version === '1.13.1'));
    before = cellScans();
    scan(notebook('1.13.1'));
    scan(notebook('1.13.1'));
    assert.equal(cellScans() - before, 6, 'an unchanged text: every cell scanned, each time');
  });
});

describe('LastScanMemo', () => {
  it('takes over the last scan\'s values for the next text under the same context, and computes again otherwise', () => {
    const memo = new LastScanMemo<string>();
    const value = (key: string) => memo.get(key, () => `${key}!`);
    const catalog = {};
    memo.begin('v1', [catalog]);
    value('a');
    value('b');
    value('a');
    assert.equal(memo.computed, 2, 'a key twice in one scan is computed once');
    memo.begin('v2', [catalog]);
    assert.equal(value('a'), 'a!');
    assert.equal(memo.computed, 2, 'the next text takes over the last scan\'s value');
    memo.begin('v3', [catalog]);
    value('b');
    assert.equal(memo.computed, 3, 'only the last scan\'s values are kept (b was not asked for in v2)');
    memo.begin('v3', [catalog]);
    value('b');
    assert.equal(memo.computed, 4, 'an unchanged text is computed in full');
    memo.begin('v4', [{}]);
    value('b');
    assert.equal(memo.computed, 5, 'another context is computed in full');
  });
});
