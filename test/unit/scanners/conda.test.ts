import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { ChannelReference, PackagePinReference, PythonVersionReference, Range, Reference, ScanResult } from '../../../server/src/model';
import { scanCondaEnvironment } from '../../../server/src/scanners/condaEnvironment';
import { parseExplicitUrl, scanCondaExplicit } from '../../../server/src/scanners/condaExplicit';
import { fileKindForPath } from '../../../server/src/scanners/fileKinds';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const fixture = (name: string) => readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'conda', name), 'utf8');
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const pins = (s: ScanResult) => s.references.filter((r): r is PackagePinReference => r.kind === 'framework-package-pin');
const pythons = (s: ScanResult) => s.references.filter((r): r is PythonVersionReference => r.kind === 'python-version');
const channels = (s: ScanResult) => s.references.filter((r): r is ChannelReference => r.kind === 'package-channel');
const byName = (refs: Reference[], name: string) => refs.find((r) => r.kind === 'framework-package-pin' && r.pin.name === name) as PackagePinReference | undefined;

describe('conda environment file kinds', () => {
  it('recognises environment and conda YAML files by name, and explicit lock files', () => {
    for (const p of ['environment.yml', 'environment.yaml', 'envs/environment-gpu.yml', 'binder/environment_cpu.yaml', 'conda.yml', 'conda_env.yaml', 'ci/my.conda.yml', 'gpu-environment.yml', 'env.yml']) {
      assert.equal(fileKindForPath(p)?.id, 'conda-environment', p);
    }
    for (const p of ['conda-linux-64.lock', 'explicit.txt', 'explicit-linux-64.txt', 'env-explicit.txt']) {
      assert.equal(fileKindForPath(p)?.id, 'conda-explicit', p);
    }
    // spec lists and explicit locks share these names; the content decides (condaSpecList.test.ts)
    for (const p of ['conda-spec.txt', 'spec-file.txt', 'gpu.env.in', 'gpu.env.out']) {
      assert.equal(fileKindForPath(p)?.id, 'conda-spec-list', p);
    }
  });

  it('does not take every YAML file: Kubernetes, CloudFormation, compose and workflows by other names are not conda files', () => {
    for (const p of ['deploy/service.yaml', 'template.yaml', 'docker-compose.yml', '.github/workflows/ci.yml', 'k8s/deployment.yml', 'values.yaml', 'poetry.lock']) {
      assert.notEqual(fileKindForPath(p)?.id, 'conda-environment', p);
      assert.notEqual(fileKindForPath(p)?.id, 'conda-explicit', p);
    }
  });

  it('a Kubernetes or CloudFormation YAML that matches a conda name by accident yields no reference', () => {
    for (const name of ['kubernetes-environment.yaml', 'cloudformation-environment.yaml']) {
      const scan = scanCondaEnvironment(fixture(name), catalog);
      assert.deepEqual(scan.references, [], name);
      assert.deepEqual(scan.notes, [], name);
    }
  });
});

describe('conda environment scanner', () => {
  const text = fixture('environment.yml');
  const scan = scanCondaEnvironment(text, catalog);

  it('reads a fuzzy framework pin with the clause range on the version as written', () => {
    const torch = byName(scan.references, 'pytorch')!;
    assert.equal(torch.subject, 'pytorch');
    assert.equal(torch.pin.manager, 'conda');
    assert.equal(torch.text, 'pytorch=1.13');
    assert.equal(slice(text, torch.range), 'pytorch=1.13');
    assert.equal(torch.pin.clauses.length, 1);
    assert.equal(torch.pin.clauses[0].operator, '==');
    assert.equal(torch.pin.clauses[0].version, '1.13.*');
    assert.equal(torch.pin.clauses[0].written, '1.13');
    assert.equal(slice(text, torch.pin.clauses[0].versionRange), '1.13');
    assert.equal(slice(text, torch.pin.nameRange), 'pytorch');
  });

  it('does not match lookalikes (torchvision, pytorch-lightning, tensorflow-datasets, pytorch-cuda, numpy)', () => {
    const names = pins(scan).map((p) => p.pin.name);
    for (const n of ['torchvision', 'pytorch-lightning', 'tensorflow-datasets', 'pytorch-cuda', 'numpy', 'pip']) assert.ok(!names.includes(n), n);
  });

  it('reports Neuron conda packages as pins of subject neuron', () => {
    const neuron = byName(scan.references, 'torch-neuron')!;
    assert.equal(neuron.subject, 'neuron');
    assert.equal(neuron.pin.manager, 'conda');
    assert.equal(neuron.version, '1.7.1.1.3.5.0');
  });

  it('reads python=3.8 as a Python version reference', () => {
    const [py] = pythons(scan);
    assert.equal(py.version, '3.8');
    assert.equal(py.text, 'python=3.8');
    assert.equal(slice(text, py.versionRange), '3.8');
  });

  it('reads channels with whole-entry ranges and block-list layout', () => {
    const ch = channels(scan);
    assert.deepEqual(ch.map((c) => c.channel), ['pytorch', 'defaults']);
    assert.equal(slice(text, ch[1].range), 'defaults');
    assert.deepEqual(ch[1].written, { form: 'list', newEntry: '\n  - ' });
  });

  it('reads the pip sub-list as requirements lines: pins, includes and index URLs', () => {
    const tf = byName(scan.references, 'tensorflow')!;
    assert.equal(tf.pin.manager, undefined);
    assert.equal(slice(text, tf.range), 'tensorflow==2.11.0');
    assert.equal(slice(text, tf.pin.clauses[0].versionRange), '2.11.0');
    assert.deepEqual(scan.includes.map((i) => [i.path, i.kind, slice(text, i.range)]), [['requirements.txt', 'requirements', 'requirements.txt']]);
    assert.deepEqual(scan.indexUrls, ['https://download.example.org/whl/cu117']);
  });

  it('keeps comments and one statement per entry for suppression', () => {
    const c = scan.comments.find((x) => x.text.includes('framework pin'))!;
    assert.equal(c.standalone, false);
    assert.equal(slice(text, c.range), '# the framework pin');
    assert.equal(scan.comments[0].standalone, true);
    const torch = byName(scan.references, 'pytorch')!;
    assert.ok(scan.statements.some((s) => s.startLine === torch.range.start.line));
  });

  it('reads every MatchSpec form, quoted scalars and flow sequences', () => {
    const t = fixture('matchspecs.yml');
    const s = scanCondaEnvironment(t, catalog);
    const got = pins(s).map((p) => [p.pin.name, p.pin.clauses.map((c) => `${c.operator}${slice(t, c.versionRange)}`).join(','), p.pin.channel?.text ?? '']);
    assert.deepEqual(got, [
      ['pytorch', '==1.13.1', ''],
      ['tensorflow', '>=2.11,<2.12', ''],
      ['pytorch', '==1.12.1', 'pytorch'],
      ['mxnet', '==1.9.*', ''],
      ['tensorflow-gpu', '==2.4.1', ''],
      ['pytorch', '>=2.0,<2.1', ''],
      ['tensorflow', '>=2.8,<2.9', ''],
    ]);
    const bracket = pins(s)[5];
    assert.equal(slice(t, bracket.range), "pytorch[version='>=2.0,<2.1']");
    assert.deepEqual(channels(s).map((c) => [c.channel, c.written?.form, c.written?.newEntry]), [
      ['conda-forge', 'list', ', '],
      ['nvidia', 'list', ', '],
      ['pytorch', 'package', undefined],
    ]);
    assert.equal(slice(t, channels(s)[1].range), '"nvidia"');
    const [py] = pythons(s);
    assert.equal(py.version, '3.10');
    assert.equal(slice(t, py.versionRange), '3.10');
  });

  it('maps positions through double-quoted escapes and single-quote doubling', () => {
    const t = 'dependencies:\n  - "py\\x74orch=1.\\u00313"\n  - \'tensorflow==2.4.1\'\n  - "tensorflow\\\n    ==2.5.0"\n';
    const s = scanCondaEnvironment(t, catalog);
    const [a, b, c] = pins(s);
    assert.equal(a.pin.name, 'pytorch');
    assert.equal(slice(t, a.pin.nameRange), 'py\\x74orch');
    assert.equal(slice(t, a.pin.clauses[0].versionRange), '1.\\u00313');
    assert.equal(slice(t, b.pin.clauses[0].versionRange), '2.4.1');
    assert.equal(slice(t, c.pin.clauses[0].versionRange), '2.5.0');
  });

  it('pins python to one minor only: open ranges and majors are not Python version references', () => {
    const one = ['python=3.9', 'python==3.9.16', 'python 3.9.*', 'python=3.9=h12debd9_8', "python[version='>=3.9,<3.10']", 'python>=3.9.1,<=3.9.18', 'conda-forge::python=3.9'];
    for (const spec of one) {
      const s = scanCondaEnvironment(`dependencies:\n  - "${spec}"\n`, catalog);
      assert.equal(pythons(s).length, 1, spec);
      assert.match(pythons(s)[0].version, /^3\.9/, spec);
    }
    for (const spec of ['python', 'python>=3.8', 'python=3', 'python>=3.8,<3.11', 'python_abi=3.9', 'pythonnet=3.0']) {
      assert.equal(pythons(scanCondaEnvironment(`dependencies:\n  - ${spec}\n`, catalog)).length, 0, spec);
    }
  });

  it('reports the implicit defaults channel when there is no channels key', () => {
    const t = fixture('no-channels.yml');
    const [c] = channels(scanCondaEnvironment(t, catalog));
    assert.equal(c.channel, 'defaults');
    assert.equal(c.written?.form, 'implicit');
    assert.equal(slice(t, c.range), 'dependencies');
  });

  it('reads anchored scalars once, where they are written, and notes unresolvable aliases', () => {
    const t = fixture('anchors.yml');
    const s = scanCondaEnvironment(t, catalog);
    assert.deepEqual(pins(s).map((p) => slice(t, p.range)), ['pytorch=1.12']);
    assert.deepEqual(channels(s).map((c) => c.channel), ['conda-forge', 'nodefaults']);
    assert.equal(pythons(s)[0].version, '3.12.*');
    assert.deepEqual(s.notes.map((n) => [n.message, slice(t, n.range)]), [['alias *missing names no anchor; not read', '*missing']]);
  });

  it('keeps what a broken file has before its error and notes the error at its position', () => {
    const t = fixture('broken.yml');
    const s = scanCondaEnvironment(t, catalog);
    assert.deepEqual(pins(s).map((p) => p.text), ['pytorch=1.13']);
    assert.ok(s.notes.length >= 1);
    assert.ok(s.notes.every((n) => n.message.startsWith('YAML syntax error')));
    assert.ok(s.notes[0].range.start.line >= 4);
  });

  it('flow-style documents', () => {
    const t = fixture('flow.yml');
    const s = scanCondaEnvironment(t, catalog);
    assert.deepEqual(pins(s).map((p) => slice(t, p.range)), ['pytorch=1.8', 'torch==1.8.1']);
    assert.equal(pythons(s)[0].version, '3.7.12');
    assert.deepEqual(channels(s).map((c) => [c.channel, c.written?.newEntry]), [['anaconda', ', ']]);
  });
});

describe('conda explicit lock files', () => {
  it('splits a package URL into channel, name, version and build', () => {
    const line = 'https://conda.anaconda.org/pytorch/linux-64/pytorch-1.13.1-py3.9_cuda11.7_cudnn8.5.0_0.tar.bz2#abc';
    const p = parseExplicitUrl(line)!;
    assert.equal(line.slice(p.channel.start, p.channel.end), 'https://conda.anaconda.org/pytorch');
    assert.equal(line.slice(p.name.start, p.name.end), 'pytorch');
    assert.equal(line.slice(p.version.start, p.version.end), '1.13.1');
    assert.equal(line.slice(p.build.start, p.build.end), 'py3.9_cuda11.7_cudnn8.5.0_0');
    assert.equal(parseExplicitUrl('@EXPLICIT'), undefined);
    assert.equal(parseExplicitUrl('https://h/x/linux-64/noversion.tar.bz2'), undefined);
  });

  it('reports locked framework pins, Python and each channel once; lookalikes are not matched', () => {
    const t = fixture('conda-linux-64.lock');
    const s = scanCondaExplicit(t, catalog);
    const [torch] = pins(s);
    assert.equal(pins(s).length, 1);
    assert.equal(torch.subject, 'pytorch');
    assert.equal(torch.version, '1.13.1');
    assert.equal(torch.pin.locked, true);
    assert.equal(torch.pin.manager, 'conda');
    assert.equal(slice(t, torch.range), 'pytorch-1.13.1');
    assert.equal(slice(t, torch.pin.clauses[0].versionRange), '1.13.1');
    const [py] = pythons(s);
    assert.equal(py.version, '3.9.16');
    assert.equal(py.locked, true);
    assert.equal(slice(t, py.versionRange), '3.9.16');
    assert.deepEqual(channels(s).map((c) => [c.channel, c.written?.form]), [
      ['https://repo.anaconda.com/pkgs/main', 'lock'],
      ['https://conda.anaconda.org/pytorch', 'lock'],
      ['https://conda.anaconda.org/conda-forge', 'lock'],
    ]);
    assert.equal(s.comments.length, 3);
  });

  it('a file whose first line is not @EXPLICIT yields nothing', () => {
    const s = scanCondaExplicit('# comment\nnumpy==1.0\nhttps://h/c/linux-64/pytorch-1.13.1-0.tar.bz2\n', catalog);
    assert.deepEqual(s.references, []);
    assert.deepEqual(s.comments, []);
  });
});
