/**
 * AWS Neuron package pins of the pip-style scanners (requirements files, pyproject.toml, Pipfile,
 * Dockerfile `RUN` installs, notebook `%pip`/`!pip` lines): every package that the catalog's
 * Neuron data lists as Neuron's own becomes a package pin with subject `neuron`, pinned or not,
 * with the same clause and range structure as framework pins; framework pins next to them stay
 * as they are; lookalikes are not pins.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { PackagePinReference, Range, ScanResult } from '../../../server/src/model';
import { scanDockerfile } from '../../../server/src/scanners/dockerfile';
import { fileKindForPath } from '../../../server/src/scanners/fileKinds';
import { scanCell } from '../../../server/src/scanners/notebook/cells';
import { scanPipfile } from '../../../server/src/scanners/pipfile';
import { scanPyproject } from '../../../server/src/scanners/pyproject';
import { initPythonParser } from '../../../server/src/scanners/python/treeSitter';
import { pinSubject, scanRequirements } from '../../../server/src/scanners/requirements';
import { TextIndex } from '../../../server/src/text';
import { checkScanResult } from '../../fixtures/scanChecks';

const catalog = loadBundledCatalog();
const neuron = catalog.neuron!;
const AS_OF = '2026-11-21';

const slice = (text: string, r: Range | undefined) => {
  assert.ok(r, 'a range');
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const pins = (r: ScanResult) => r.references.filter((x): x is PackagePinReference => x.kind === 'framework-package-pin');
/**
 * [subject, normalised name, version, text under the range, each clause's version under its range
 * (an implied clause of a Poetry caret or tilde: its version and `implied`)].
 */
const rows = (text: string, r: ScanResult) =>
  pins(r).map((p) => [p.subject, p.pin.normalizedName, p.version, slice(text, p.range), p.pin.clauses.map((c) => (c.implied ? `${c.operator}${c.version} implied` : `${c.operator}${slice(text, c.versionRange)}`)).join(',')]);

/** Rows of pins written the same way in several file kinds. */
const TORCH_ROW = ['pytorch', 'torch', '2.1.2', 'torch==2.1.2', '==2.1.2'];
const TORCH_NEURONX_ROW = ['neuron', 'torch-neuronx', '2.1.2.2.3.0', 'torch-neuronx==2.1.2.2.3.0', '==2.1.2.2.3.0'];
const NEURONX_CC_ROW = ['neuron', 'neuronx-cc', '==2.*', 'neuronx-cc==2.*', '==2.*'];

before(async () => {
  await initPythonParser();
});

describe('Neuron package names', () => {
  it('the catalog knows the versions the tests pin', () => {
    for (const [pkg, version] of [['torch-neuronx', '2.1.2.2.3.0'], ['tensorflow-neuron', '1.15.5.2.8.9.0'], ['neuron-cc', '1.15.0'], ['mx_neuron', '1.8.0.2.4.147.0']]) {
      assert.ok(neuron.neuronRelease(pkg, version).length > 0, `${pkg}==${version} is a shipped version`);
    }
  });

  it('are Neuron packages in any spelling; frameworks keep their subject; lookalikes are nothing', () => {
    assert.equal(pinSubject('torch-neuronx', catalog), 'neuron');
    assert.equal(pinSubject('Torch_NeuronX', catalog), 'neuron');
    assert.equal(pinSubject('mx_neuron', catalog), 'neuron');
    assert.equal(pinSubject('MX.Neuron', catalog), 'neuron');
    assert.equal(pinSubject('neuronx-distributed-inference', catalog), 'neuron');
    assert.equal(pinSubject('torch', catalog), 'pytorch');
    assert.equal(pinSubject('tensorflow', catalog), 'tensorflow');
    for (const name of ['neuron', 'torchvision', 'torch-xla', 'torch_xla', 'neuronx', 'numpy']) assert.equal(pinSubject(name, catalog), undefined, name);
  });
});

describe('requirements files', () => {
  const text = [
    '--extra-index-url https://pypi.example.com/neuron/simple',
    'torch==2.1.2',
    'torch-neuronx==2.1.2.2.3.0',
    'neuronx-cc==2.*',
    'neuron-cc[tensorflow]==1.15.0  # compiler for Inferentia',
    'tensorflow-neuron==1.15.5.2.8.9.0 ; python_version < "3.8"',
    'transformers-neuronx>=0.9,<0.14',
    'neuronx-distributed',
    'mx_neuron===1.8.0.2.4.147.0',
    'neuron==0.1',
    'torchvision==0.16.2',
    'torch-xla==2.1.2',
    '',
  ].join('\n');

  it('reports each Neuron pin with subject neuron, version and clause ranges where they are written', () => {
    const result = scanRequirements(text, catalog);
    assert.deepEqual(rows(text, result), [
      TORCH_ROW,
      TORCH_NEURONX_ROW,
      NEURONX_CC_ROW,
      ['neuron', 'neuron-cc', '1.15.0', 'neuron-cc[tensorflow]==1.15.0', '==1.15.0'],
      ['neuron', 'tensorflow-neuron', '1.15.5.2.8.9.0', 'tensorflow-neuron==1.15.5.2.8.9.0', '==1.15.5.2.8.9.0'],
      ['neuron', 'transformers-neuronx', '>=0.9,<0.14', 'transformers-neuronx>=0.9,<0.14', '>=0.9,<0.14'],
      ['neuron', 'neuronx-distributed', '', 'neuronx-distributed', ''],
      ['neuron', 'mx-neuron', '1.8.0.2.4.147.0', 'mx_neuron===1.8.0.2.4.147.0', '===1.8.0.2.4.147.0'],
    ]);
    assert.deepEqual(result.indexUrls, ['https://pypi.example.com/neuron/simple']);
    assert.deepEqual(result.notes, []);
    checkScanResult(text, result);
  });

  it('keeps the name as written, its range, the specifier and its range, and the pip defaults', () => {
    const result = scanRequirements(text, catalog);
    const cc = pins(result).find((p) => p.pin.normalizedName === 'neuron-cc')!;
    assert.equal(cc.pin.name, 'neuron-cc');
    assert.equal(slice(text, cc.pin.nameRange), 'neuron-cc');
    assert.equal(cc.pin.specifier, '==1.15.0');
    assert.equal(slice(text, cc.pin.specifierRange), '==1.15.0');
    assert.equal(cc.pin.manager, undefined, 'manager as for framework pins of requirements files (pip)');
    const unpinned = pins(result).find((p) => p.pin.normalizedName === 'neuronx-distributed')!;
    assert.equal(unpinned.pin.specifier, '');
    assert.equal(unpinned.pin.specifierRange, undefined);
    assert.deepEqual(unpinned.pin.clauses, []);
  });

  it('reads continuation lines, hashes and constraints files as for framework pins', () => {
    const src = 'torch-neuronx==2.1.2.2.3.0 \\\n    --hash=sha256:0123\nneuronx-cc==2.12.54.0\n';
    const [a, b] = pins(scanRequirements(src, catalog, { constraints: true }));
    assert.equal(a.pin.hasHashes, true);
    assert.equal(b.pin.hasHashes, false);
    assert.ok(a.pin.constraint && b.pin.constraint);
    assert.equal(slice(src, b.pin.clauses[0].versionRange), '2.12.54.0');
  });

  it('gives a note, not a pin, for an unreadable Neuron specifier, as for frameworks', () => {
    const src = 'torch-neuronx==\nneuronx-cc ~~ 2\n';
    const result = scanRequirements(src, catalog);
    assert.deepEqual(pins(result), []);
    assert.equal(result.notes.length, 2);
    assert.deepEqual(result.notes.map((n) => n.range.start.line), [0, 1]);
  });
});

describe('Dockerfile RUN installs', () => {
  const text = [
    'FROM ubuntu:22.04',
    'RUN pip install --extra-index-url=https://pypi.example.com/neuron/simple \\',
    '      torch==2.1.2 "torch-neuronx==2.1.2.2.3.0" neuronx-cc==2.* torchvision neuron \\',
    '    && python3 -m pip install transformers-neuronx',
    'RUN conda install -y -c https://conda.example.com/neuron torch-neuron=1.13.1 pytorch=1.13.1',
    'RUN apt-get install -y aws-neuronx-tools=2.17.1.0',
    'RUN pip install torch-neuronx==${TORCH_NEURONX}',
    '',
  ].join('\n');

  it('reports pip, conda and apt Neuron pins with their managers, framework pins beside them', () => {
    const result = scanDockerfile(text, catalog);
    assert.deepEqual(rows(text, result), [
      TORCH_ROW,
      TORCH_NEURONX_ROW,
      NEURONX_CC_ROW,
      ['neuron', 'transformers-neuronx', '', 'transformers-neuronx', ''],
      ['neuron', 'torch-neuron', '1.13.1', 'torch-neuron=1.13.1', '==1.13.1'],
      ['pytorch', 'pytorch', '1.13.1', 'pytorch=1.13.1', '==1.13.1'],
      ['neuron', 'aws-neuronx-tools', '2.17.1.0', 'aws-neuronx-tools=2.17.1.0', '==2.17.1.0'],
    ]);
    assert.deepEqual(pins(result).map((p) => p.pin.manager), [undefined, undefined, undefined, undefined, 'conda', 'conda', 'apt']);
    assert.ok(result.indexUrls.includes('https://pypi.example.com/neuron/simple'));
    checkScanResult(text, result);
  });

  it('says that a Neuron version from a shell variable is not read', () => {
    const result = scanDockerfile(text, catalog);
    const note = result.notes.find((n) => n.range.start.line === 6);
    assert.ok(note, 'a note on the line of the variable');
    assert.match(note.message, /torch-neuronx/);
    assert.equal(slice(text, note.range), 'torch-neuronx==${TORCH_NEURONX}');
  });
});

describe('notebook cells', () => {
  it('reports %pip and !pip Neuron pins', () => {
    const src = ['%pip install -q torch-neuronx==2.1.2.2.3.0 "neuronx-cc==2.*"', '!pip install transformers-neuronx>=0.9 neuronx-distributed', 'import torch_neuronx', ''].join('\n');
    const result = scanCell(src, 'code', catalog);
    assert.deepEqual(rows(src, result), [
      TORCH_NEURONX_ROW,
      NEURONX_CC_ROW,
      // unquoted `>` in a shell line is a redirection: the package is installed unpinned
      ['neuron', 'transformers-neuronx', '', 'transformers-neuronx', ''],
      ['neuron', 'neuronx-distributed', '', 'neuronx-distributed', ''],
    ]);
    const redirected = pins(result)[2];
    assert.equal(redirected.pin.shellRedirect?.text, '>=0.9');
  });
});

describe('pyproject.toml and Pipfile', () => {
  it('reads PEP 621, uv and Poetry Neuron pins with their managers', () => {
    const text = [
      '[project]',
      'name = "inf2-serving"',
      'dependencies = [',
      '  "torch==2.1.2",',
      '  "torch-neuronx==2.1.2.2.3.0",',
      '  "neuronx-cc==2.*",',
      '  "torchvision",',
      ']',
      '[project.optional-dependencies]',
      'llm = ["transformers-neuronx>=0.9"]',
      '',
      '[tool.uv]',
      'constraint-dependencies = ["libneuronxla==2.0.965"]',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.10"',
      'neuronx-distributed = "^0.7"',
      'tensorflow-neuron = { version = "1.15.5.2.8.9.0", source = "neuron" }',
      'neuron-cc = { extras = ["tensorflow"], version = "==1.15.0" }',
      'nki = "*"',
      'neuron = "^1.0"',
      '',
    ].join('\n');
    const result = scanPyproject(text, catalog);
    assert.deepEqual(rows(text, result), [
      TORCH_ROW,
      TORCH_NEURONX_ROW,
      NEURONX_CC_ROW,
      ['neuron', 'transformers-neuronx', '>=0.9', 'transformers-neuronx>=0.9', '>=0.9'],
      ['neuron', 'libneuronxla', '2.0.965', 'libneuronxla==2.0.965', '==2.0.965'],
      ['neuron', 'neuronx-distributed', '^0.7', 'neuronx-distributed = "^0.7"', '>=0.7,<0.8 implied'],
      ['neuron', 'tensorflow-neuron', '1.15.5.2.8.9.0', 'tensorflow-neuron = { version = "1.15.5.2.8.9.0"', '==1.15.5.2.8.9.0'],
      ['neuron', 'neuron-cc', '1.15.0', 'neuron-cc = { extras = ["tensorflow"], version = "==1.15.0"', '==1.15.0'],
      ['neuron', 'nki', '', 'nki = "*"', ''],
    ]);
    assert.deepEqual(pins(result).map((p) => p.pin.manager), ['pip', 'pip', 'pip', 'pip', 'pip', 'poetry', 'poetry', 'poetry', 'poetry']);
    assert.deepEqual(pins(result).map((p) => p.pin.constraint), [false, false, false, false, true, false, false, false, false]);
    checkScanResult(text, result);
  });

  it('chooses among Poetry alternatives of a Neuron package by its known versions', () => {
    // 2.* allows known versions of neuronx-cc, 9.* none: the alternative with known versions is read
    const text = '[tool.poetry.dependencies]\nneuronx-cc = "9.* || 2.*"\n';
    const [pin] = pins(scanPyproject(text, catalog));
    assert.equal(pin.subject, 'neuron');
    assert.deepEqual(pin.pin.clauses.map((c) => `${c.operator}${slice(text, c.versionRange)}`), ['==2.*']);
  });

  it('reads Pipfile Neuron pins', () => {
    const text = [
      '[[source]]',
      'url = "https://pypi.example.com/neuron/simple"',
      'name = "neuron"',
      '',
      '[packages]',
      'torch-neuronx = "==2.1.2.2.3.0"',
      'neuronx-cc = {version = "==2.*", index = "neuron"}',
      'neuronx-distributed = "*"',
      'torch = "==2.1.2"',
      'torchvision = "*"',
      '',
    ].join('\n');
    const result = scanPipfile(text, catalog);
    assert.deepEqual(rows(text, result), [
      ['neuron', 'torch-neuronx', '2.1.2.2.3.0', 'torch-neuronx = "==2.1.2.2.3.0"', '==2.1.2.2.3.0'],
      ['neuron', 'neuronx-cc', '==2.*', 'neuronx-cc = {version = "==2.*"', '==2.*'],
      ['neuron', 'neuronx-distributed', '', 'neuronx-distributed = "*"', ''],
      ['pytorch', 'torch', '2.1.2', 'torch = "==2.1.2"', '==2.1.2'],
    ]);
    assert.ok(pins(result).every((p) => p.pin.manager === 'pipenv'));
    assert.deepEqual(result.indexUrls, ['https://pypi.example.com/neuron/simple']);
  });
});

describe('analysis of Neuron pins', () => {
  const analyze = (text: string, path: string) => analyzeText(text, path, fileKindForPath(path)!, catalog, { asOf: AS_OF, severities: {} });

  it('gives Neuron pins no framework finding (no unpinned) while the framework pin beside them is judged', () => {
    const text = 'torch==2.1.2\ntorch-neuronx==2.1.2.2.3.0\nneuronx-cc\nneuronx-distributed>=0.1\n';
    const { findings } = analyze(text, 'requirements.txt');
    const framework = new Set(['end-of-patch', 'end-of-patch-soon', 'unpinned', 'unknown-version', 'framework-discontinued']);
    const onNeuronLines = findings.filter((f) => f.range.start.line > 0 && framework.has(f.rule));
    assert.deepEqual(onNeuronLines.map((f) => f.rule), []);
    assert.ok(findings.some((f) => f.range.start.line === 0 && f.rule === 'end-of-patch'), 'torch 2.1 is judged');
  });

  it('a conda install of a Neuron package in a RUN line is a neuron-conda-package finding, and a directive suppresses it', () => {
    const text = 'FROM ubuntu:20.04\nRUN conda install -y torch-neuron=1.13.1\n';
    const rules = (t: string) => analyze(t, 'Dockerfile').findings.map((f) => f.rule);
    assert.ok(rules(text).includes('neuron-conda-package'));
    const suppressed = 'FROM ubuntu:20.04\n# dl-lifecycle: ignore neuron-conda-package\nRUN conda install -y torch-neuron=1.13.1\n';
    assert.deepEqual(rules(suppressed).filter((r) => r === 'neuron-conda-package' || r === 'unused-suppression'), []);
  });
});

describe('properties', () => {
  const NEURON = ['torch-neuronx', 'torch_neuronx', 'neuronx-cc', 'neuron-cc', 'tensorflow-neuron', 'mx_neuron', 'transformers-neuronx', 'neuronx-distributed', 'libneuronxla', 'nki', 'jax-neuronx'];
  const FRAMEWORK = ['torch', 'tensorflow', 'mxnet'];
  const OTHER = ['neuron', 'torchvision', 'torch-xla', 'numpy'];
  const version = fc.stringMatching(/^[0-9]{1,2}(\.[0-9]{1,4}){0,5}(\.\*)?$/);
  const clause = fc.tuple(fc.constantFrom('==', '===', '>=', '<', '~=', '!=', '<='), version).map(([op, v]) => `${op}${v}`);
  const requirement = fc.record({
    extras: fc.constantFrom('', '[tensorflow]', '[test,docs]'),
    clauses: fc.array(clause, { maxLength: 3 }),
    space: fc.constantFrom('', ' '),
    tail: fc.constantFrom('', '  # pinned for inf2', ' ; python_version >= "3.8"', ' --hash=sha256:ab'),
  });
  const ALL = [...NEURON.filter((n) => n !== 'torch_neuronx'), ...FRAMEWORK, ...OTHER];
  const file = fc.record({
    packages: fc.shuffledSubarray(ALL, { minLength: 1 }),
    reqs: fc.array(requirement, { minLength: ALL.length, maxLength: ALL.length }),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
  });

  it('each Neuron and framework package of a requirements file is reported once, with its subject and its clauses at their ranges', () => {
    fc.assert(
      fc.property(file, ({ packages, reqs, eol, bom }) => {
        const lines = packages.map((name, i) => {
          const r = reqs[i];
          return `${name}${r.extras}${r.space}${r.clauses.join(',')}${r.tail}`;
        });
        const text = `${bom ? '\uFEFF' : ''}--extra-index-url https://pypi.example.com/neuron/simple${eol}${lines.join(eol)}${eol}`;
        const result = scanRequirements(text, catalog);
        checkScanResult(text, result);
        const expected = packages.filter((p) => !OTHER.includes(p));
        assert.deepEqual(pins(result).map((p) => p.pin.name), expected);
        for (const p of pins(result)) {
          const i = packages.indexOf(p.pin.name);
          const r = reqs[i];
          assert.equal(p.subject, NEURON.includes(p.pin.name) ? 'neuron' : catalog.frameworkForPackage(p.pin.name)!.id);
          assert.equal(p.range.start.line, i + 1);
          assert.deepEqual(p.pin.clauses.map((c) => `${c.operator}${slice(text, c.versionRange)}`), r.clauses);
          assert.equal(p.pin.specifier, r.clauses.join(','));
          const exact = r.clauses.length === 1 && /^===?[^*]*$/.test(r.clauses[0]);
          assert.equal(p.version, exact ? r.clauses[0].replace(/^===?/, '') : r.clauses.join(','));
          assert.equal(p.pin.hasHashes, r.tail.includes('--hash'));
        }
        assert.deepEqual(result.notes, []);
      }),
      { numRuns: 400 },
    );
  });

  it('Dockerfile pip lines with the same requirements report the same pins', () => {
    fc.assert(
      fc.property(file, ({ packages, reqs }) => {
        const words = packages.map((name, i) => `"${name}${reqs[i].extras}${reqs[i].clauses.join(',')}"`);
        const text = `FROM ubuntu:22.04\nRUN pip install \\\n    ${words.join(' \\\n    ')}\n`;
        const result = scanDockerfile(text, catalog);
        checkScanResult(text, result);
        assert.deepEqual(pins(result).map((p) => [p.pin.name, p.subject, p.pin.clauses.map((c) => `${c.operator}${slice(text, c.versionRange)}`).join(',')]),
          packages.filter((p) => !OTHER.includes(p)).map((p) => [p, pinSubject(p, catalog), reqs[packages.indexOf(p)].clauses.join(',')]));
      }),
      { numRuns: 300 },
    );
  });
});
