import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import { toJsonReport, toTextReport } from '../../../server/src/cli/format';
import { scanPaths } from '../../../server/src/cli/scan';
import type { PackagePinReference, Range, Reference, ScanResult } from '../../../server/src/model';
import { fileKindForPath } from '../../../server/src/scanners/fileKinds';
import type { NotebookCellKind } from '../../../server/src/scanners/notebook/cells';
import { notebookCellKind, scanCell } from '../../../server/src/scanners/notebook/cells';
import { notebookCellAt, scanNotebook } from '../../../server/src/scanners/notebook/ipynb';
import { initPythonParser } from '../../../server/src/scanners/python/treeSitter';
import { readSettings } from '../../../server/src/settings';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'notebooks');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const pins = (r: ScanResult) => r.references.filter((x): x is PackagePinReference => x.kind === 'framework-package-pin');
const pinTexts = (src: string) => pins(scanCell(src, 'code', catalog)).map((p) => [p.text, p.version]);
/** Each reference's text as the cell holds it under its range, beside the text the reference says it is. */
const underRanges = (src: string, refs: readonly Reference[]) => refs.map((r) => [slice(src, r.range), r.text]);
const analyzeCell = (src: string, kind: NotebookCellKind = 'code', severities = {}) =>
  analyzeText(src, '/w/nb.ipynb', notebookCellKind(kind), catalog, { asOf: AS_OF, severities });

before(async () => {
  await initPythonParser();
});

describe('notebook cells: install lines', () => {
  it('reads %pip, !pip, bare pip, %conda, %mamba and !conda install lines, with ranges inside the cell', () => {
    const src = [
      '%pip install -q torch==1.13.1',
      '!pip install tensorflow==2.4.1',
      'pip install mxnet==1.8.0',
      '%conda install -y pytorch=1.12',
      '%mamba install pytorch==1.10.2',
      '!conda install -c pytorch pytorch==1.9.0',
      '  !python -m pip install torch==1.12.1',
    ].join('\n');
    const refs = pins(scanCell(src, 'code', catalog));
    assert.deepEqual(refs.map((p) => [p.text, p.range.start.line]), [
      ['torch==1.13.1', 0], ['tensorflow==2.4.1', 1], ['mxnet==1.8.0', 2], ['pytorch=1.12', 3], ['pytorch==1.10.2', 4], ['pytorch==1.9.0', 5], ['torch==1.12.1', 6],
    ]);
    for (const [under, text] of underRanges(src, refs)) assert.equal(under, text);
  });

  it('joins lines ending in a backslash (LF and CRLF) and gives each pin its own line', () => {
    for (const eol of ['\n', '\r\n']) {
      const src = `!pip install \\${eol}    torch==1.13.1 \\${eol}    tensorflow==2.4.1${eol}x = 1`;
      const scan = scanCell(src, 'code', catalog);
      assert.deepEqual(pins(scan).map((p) => [p.text, p.range.start.line]), [['torch==1.13.1', 1], ['tensorflow==2.4.1', 2]]);
      assert.deepEqual(scan.statements.find((s) => s.startLine === 0), { startLine: 0, endLine: 2 });
    }
  });

  it('does not read install lines inside Python strings or comments, nor Python names that look alike', () => {
    assert.deepEqual(pinTexts('x = """\n!pip install torch==1.0\n%pip install torch==1.0\npip install torch==1.0\n"""'), []);
    assert.deepEqual(pinTexts("# !pip install torch==1.0\nprint('pip install torch==1.0')"), []);
    assert.deepEqual(pinTexts('pip = 3\npip_install = "torch==1.0"\ncall(\n!pip install torch==1.0\n)'), []);
    assert.deepEqual(pinTexts('!pip install torchvision==0.15.2 tensorflow-datasets==4.0 tensorboard==2.4'), []);
  });

  it('reads the kernel Python ({sys.executable}) and leaves {expr} and $name versions unjudged', () => {
    const scan = scanCell('!{sys.executable} -m pip install torch=={version} tensorflow==2.4.1 mxnet==$V', 'code', catalog);
    assert.deepEqual(pins(scan).map((p) => p.text), ['tensorflow==2.4.1']);
    assert.deepEqual(scan.notes.map((n) => n.message.split(':')[0]), ['cannot read the version of torch', 'cannot read the version of mxnet']);
  });

  it('keeps Python around magic lines: an indented !pip line inside a block and an SDK call in the same cell', () => {
    const src = 'from sagemaker.pytorch import PyTorch\nif True:\n    !pip install torch==1.13.1\nest = PyTorch(framework_version="1.8.0", py_version="py3")\n';
    const scan = scanCell(src, 'code', catalog);
    assert.deepEqual(scan.references.map((r) => [r.kind, r.text, r.range.start.line]), [
      ['framework-package-pin', 'torch==1.13.1', 2],
      ['sdk-framework', 'PyTorch', 3],
    ]);
  });
});

describe('notebook cells: shell redirections', () => {
  it('reads an unquoted >=, > or < after a package as a redirection: unpinned, with the redirection and its file', () => {
    const cases: Array<[string, string, string]> = [
      ['!pip install torch>=2.0', '>=2.0', '=2.0'],
      ['%pip install torch>2.0', '>2.0', '2.0'],
      ['pip install torch<2', '<2', '2'],
      ['!pip install torch >=2.0', '>=2.0', '=2.0'],
      ['!conda install -y pytorch>=1.12', '>=1.12', '=1.12'],
      // %conda drops the quotes (shlex.split, then joined) before the shell reads the line
      ['%conda install -y "pytorch>=1.12"', '>=1.12', '=1.12'],
    ];
    for (const [src, text, target] of cases) {
      const [pin, ...rest] = pins(scanCell(src, 'code', catalog));
      assert.equal(rest.length, 0, src);
      assert.equal(pin.pin.specifier, '', src);
      assert.deepEqual([pin.pin.shellRedirect?.text, pin.pin.shellRedirect?.target], [text, target], src);
      assert.equal(slice(src, pin.pin.shellRedirect!.range), text, src);
    }
  });

  it('leaves quoted specifiers, fd redirections and redirections that were meant as such alone', () => {
    for (const src of ['!pip install "torch>=2.0"', "!pip install 'torch>=2.0' 2>&1", '%pip install "torch>=2.0" > log.txt']) {
      const [pin] = pins(scanCell(src, 'code', catalog));
      assert.equal(pin.pin.specifier, '>=2.0', src);
      assert.equal(pin.pin.shellRedirect, undefined, src);
    }
    for (const src of ['!pip install torch > /dev/null', '!pip install torch >log.txt']) {
      const [pin] = pins(scanCell(src, 'code', catalog));
      assert.equal(pin.pin.specifier, '', src);
      assert.equal(pin.pin.shellRedirect, undefined, src);
    }
  });

  it('reports the redirection as unpinned, saying what the shell does instead', () => {
    const findings = analyzeCell('!pip install torch>=2.0', 'code', { unpinned: 'warning' }).findings;
    assert.deepEqual(findings.map((f) => [f.rule, f.severity]), [['unpinned', 'warning']]);
    assert.match(findings[0].message, /`>=2\.0` after torch is a shell redirection, not a version: the shell writes the command's output to a file named `=2\.0`/);
    assert.match(findings[0].message, /Quote the requirement \('torch>=2\.0'\)/);
    const input = analyzeCell('!pip install torch<2', 'code', { unpinned: 'hint' }).findings[0];
    assert.match(input.message, /reads the command's input from a file named `2`/);
  });
});

describe('notebook cells: cell magics and Markdown', () => {
  it('scans %%writefile cells as the file kind of the name, with ranges inside the cell', () => {
    const req = '%%writefile requirements.txt\nnumpy==1.26.4\ntorch==1.13.1\n';
    assert.deepEqual(pins(scanCell(req, 'code', catalog)).map((p) => [p.text, p.range.start.line, p.range.start.character]), [['torch==1.13.1', 2, 0]]);
    const env = '%%writefile -a environment.yml\ndependencies:\n  - pytorch=1.12\n';
    assert.deepEqual(pins(scanCell(env, 'code', catalog)).map((p) => [p.text, p.range.start.line]), [['pytorch=1.12', 2]]);
    const docker = '%%writefile "Dockerfile"\nFROM 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker\n';
    assert.deepEqual(scanCell(docker, 'code', catalog).references.map((r) => [r.kind, r.range.start.line, r.range.start.character]), [['container-image', 1, 5]]);
    assert.deepEqual(scanCell('%%writefile notes.txt\ntorch==1.13.1\n', 'code', catalog).references, []);
  });

  it('reads %%bash cells as shell, %%capture cells as Python, and other cell magics not at all', () => {
    assert.deepEqual(pins(scanCell('%%bash\nset -e\npip install torch==1.13.1 # old\n', 'code', catalog)).map((p) => [p.text, p.range.start.line]), [['torch==1.13.1', 2]]);
    assert.deepEqual(pins(scanCell('%%capture\n%pip install torch==1.13.1\n', 'code', catalog)).map((p) => p.range.start.line), [1]);
    assert.deepEqual(scanCell('%%html\n<p>!pip install torch==1.13.1</p>\n', 'code', catalog).references, []);
  });

  it('reads Markdown cells only when asked, and raw cells never', () => {
    const md = 'Trained on `763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker`.\n\n    !pip install torch==1.13.1';
    assert.deepEqual(scanCell(md, 'markdown', catalog).references, []);
    assert.deepEqual(scanCell(md, 'markdown', catalog, { scanMarkdown: true }).references.map((r) => [r.kind, r.subject]), [['container-image', 'pytorch']]);
    assert.deepEqual(scanCell('!pip install torch==1.13.1', 'raw', catalog).references, []);
  });
});

describe('notebook cells: analysis and suppression', () => {
  it('judges a cell pin like a requirement and honours # suppression comments on and above magic lines', () => {
    assert.deepEqual(analyzeCell('%pip install torch==1.13.1').findings.map((f) => [f.rule, f.range.start.line]), [['end-of-patch', 0]]);
    assert.deepEqual(analyzeCell('%pip install torch==1.13.1  # dl-lifecycle: ignore end-of-patch').findings, []);
    assert.deepEqual(analyzeCell('# dl-lifecycle: ignore\n!pip install torch==1.13.1\n!pip install tensorflow==2.4.1').findings.map((f) => [f.rule, f.range.start.line]), [['end-of-patch', 2]]);
  });
});

describe('.ipynb files', () => {
  it('maps every reference of a Jupyter-written notebook back to its text in the file, with cell and line', () => {
    const text = fixture('training.ipynb');
    const scan = scanNotebook(text, catalog);
    const rows = scan.references.map((r) => [r.kind, slice(text, r.range), notebookCellAt(scan, r.range.start)]);
    assert.deepEqual(rows, [
      ['framework-package-pin', 'torch==1.13.1', { cell: 1, line: 0 }],
      ['framework-package-pin', 'tensorflow>=2.4', { cell: 1, line: 0 }],
      ['framework-package-pin', 'tensorflow', { cell: 2, line: 1 }],
      ['sdk-framework', 'PyTorch', { cell: 3, line: 3 }],
      ['framework-package-pin', 'torch==1.13.1', { cell: 4, line: 2 }],
    ]);
    // outputs and (by default) Markdown cells are not read
    assert.equal(scan.cells.some((c) => c.kind === 'markdown'), false);
    assert.ok(scanNotebook(text, catalog, { scanMarkdown: true }).references.some((r) => r.kind === 'container-image'));
  });

  it('maps ranges through escapes and single-string sources with CRLF, and applies suppression per cell', () => {
    const text = fixture('escaped.ipynb');
    const kind = fileKindForPath('escaped.ipynb')!;
    assert.equal(kind.id, 'notebook');
    const analysis = analyzeText(text, join(FIXTURES, 'escaped.ipynb'), kind, catalog, { asOf: AS_OF });
    assert.deepEqual(analysis.scan.references.map((r) => [slice(text, r.range), notebookCellAt(analysis.scan, r.range.start)]), [
      ['torch==1.13.1', { cell: 0, line: 2 }],
      ['pytorch=1.12', { cell: 1, line: 1 }],
    ]);
    // the conda pin of cell 1 is suppressed by the comment above it; the pin of cell 0 is not
    assert.deepEqual(analysis.findings.map((f) => [f.rule, notebookCellAt(analysis.scan, f.range.start)?.cell]), [['end-of-patch', 0]]);
  });

  it('does not read code cells of a notebook whose kernel is another language', () => {
    assert.deepEqual(scanNotebook(fixture('r-kernel.ipynb'), catalog).references, []);
  });

  it('says when a file is not a notebook, and never throws on broken JSON', () => {
    assert.match(scanNotebook('[1, 2]', catalog).notes[0].message, /not a Jupyter notebook/);
    assert.deepEqual(scanNotebook('{"cells": [{"cell_type": "code", "source": "!pip install torch==1.13.1', catalog).references.length, 0);
    assert.deepEqual(scanNotebook('{"cells": [{"cell_type": "code", "source": "\\x"}]}', catalog).references, []);
  });
});

describe('CLI output for notebooks', () => {
  it('prints the cell and the line in text, and adds cell and cellLine to JSON while keeping .ipynb ranges', () => {
    const run = scanPaths([join(FIXTURES, 'training.ipynb')], catalog, { asOf: AS_OF, cwd: FIXTURES });
    const text = toTextReport(run, AS_OF, catalog, false, FIXTURES);
    assert.match(text, /^training\.ipynb\n {2}cell 2, line 1 +warning +PyTorch 1\.13 reached end of patch/m);
    assert.match(text, /\n {2}cell 5, line 3 +warning +PyTorch 1\.13/);
    const json = toJsonReport(run, AS_OF, catalog, FIXTURES) as { findings: Array<{ range: Range; cell?: number; cellLine?: number; rule: string }> };
    const eop = json.findings.filter((f) => f.rule === 'end-of-patch');
    assert.deepEqual(eop.map((f) => [f.cell, f.cellLine]), [[1, 0], [3, 5], [4, 2]]);
    assert.equal(slice(fixture('training.ipynb'), eop[0].range), 'torch==1.13.1');
  });
});

describe('setting dlLifecycle.notebooks.scanMarkdown', () => {
  it('is read as a boolean, absent by default, and a wrong value is reported and ignored', () => {
    assert.equal(readSettings({ notebooks: { scanMarkdown: true } }).settings.scanNotebookMarkdown, true);
    assert.equal(readSettings({}).settings.scanNotebookMarkdown, undefined);
    const { settings, problems } = readSettings({ notebooks: { scanMarkdown: 'yes' } });
    assert.equal(settings.scanNotebookMarkdown, undefined);
    assert.match(problems[0], /dlLifecycle\.notebooks\.scanMarkdown must be true or false \(got "yes"\)/);
  });
});
