import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { ImageReference, PackagePinReference, Range, ScanResult } from '../../../server/src/model';
import { scanDockerfile } from '../../../server/src/scanners/dockerfile';
import { fileKindForPath } from '../../../server/src/scanners/fileKinds';
import { parseCondaSpec, splitShellCommands } from '../../../server/src/scanners/shellInstalls';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'dockerfiles');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const images = (r: ScanResult) => r.references.filter((x): x is ImageReference => x.kind === 'container-image');
const pins = (r: ScanResult) => r.references.filter((x): x is PackagePinReference => x.kind === 'framework-package-pin');
const line = (r: Range) => r.start.line;

describe('Dockerfile scanner: FROM', () => {
  it('reads a DLC image after --platform and before AS, with the range of every part', () => {
    const text = fixture('dlc-platform-as.Dockerfile');
    const result = scanDockerfile(text, catalog);
    const [img, ...rest] = images(result);
    assert.equal(rest.length, 0);
    assert.equal(img.image.family, 'dlc');
    assert.equal(img.subject, 'pytorch');
    assert.equal(img.version, '2.1.0');
    assert.equal(slice(text, img.range), '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(img.text, slice(text, img.range));
    assert.equal(slice(text, img.image.repository.range), 'pytorch-inference');
    assert.equal(slice(text, img.image.tag!.range), '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(slice(text, img.image.account!.range), '763104351884');
    assert.equal(slice(text, img.image.region!.range), 'us-east-1');
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '2.1.0');
    assert.equal(slice(text, img.image.parts.python!.range), 'py310');
    assert.equal(img.image.substitutedFrom, undefined);
    assert.deepEqual(result.notes, []);
  });

  it('skips later FROMs that name an earlier stage and FROM scratch, and reads base images', () => {
    const text = fixture('multi-stage.Dockerfile');
    const result = scanDockerfile(text, catalog);
    assert.deepEqual(images(result).map((i) => [i.image.family, i.image.repository.text, i.image.tag?.text, line(i.range)]), [
      ['base', 'python', '3.8-slim', 0],
      ['base', 'nvidia/cuda', '11.8.0-cudnn8-runtime-ubuntu22.04', 6],
    ]);
    const cuda = images(result)[1];
    assert.equal(slice(text, cuda.image.parts.cuda!.range), '11.8.0');
    assert.equal(slice(text, cuda.image.parts.os!.range), 'ubuntu22.04');
    assert.equal(slice(text, images(result)[0].image.parts.python!.range), '3.8');
    // the wheel path is skipped, the pin after it is read
    assert.deepEqual(pins(result).map((p) => [p.text, line(p.range)]), [['torch==2.1.0', 8]]);
    assert.deepEqual(result.notes, []);
  });

  it('treats a stage name case-insensitively and a later stage of the same name as a stage', () => {
    const text = 'FROM python:3.9 AS Build\nFROM build\nFROM BUILD AS again\nFROM again\n';
    assert.equal(images(scanDockerfile(text, catalog)).length, 1);
  });

  it('follows the escape directive: backtick continuations in FROM and RUN, backslashes literal', () => {
    const text = fixture('escape-backtick.Dockerfile');
    const result = scanDockerfile(text, catalog);
    const [img] = images(result);
    assert.equal(img.image.repository.text, 'pytorch-training');
    assert.equal(line(img.image.tag!.range), 3);
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '1.13.1');
    const [pin] = pins(result);
    assert.equal(pin.version, '1.13.1');
    assert.equal(slice(text, pin.pin.clauses[0].versionRange), '1.13.1');
    assert.equal(line(pin.range), 7);
    assert.deepEqual(result.statements, [{ startLine: 2, endLine: 4 }, { startLine: 5, endLine: 8 }]);
  });

  it('reads continued FROM and RUN lines, with comment and blank lines between them', () => {
    const text = fixture('continuations.Dockerfile');
    const result = scanDockerfile(text, catalog);
    const [img] = images(result);
    assert.equal(line(img.range), 1);
    assert.equal(img.image.tag!.text, '2.1.0-gpu-py310-cu118-ubuntu20.04-ec2');
    const [pin] = pins(result);
    assert.equal(slice(text, pin.range), 'torch==2.1.2');
    assert.equal(line(pin.range), 8);
    assert.deepEqual(result.indexUrls, ['https://neuron.example.invalid/pip']);
    assert.deepEqual(result.statements, [{ startLine: 0, endLine: 2 }, { startLine: 3, endLine: 9 }]);
    assert.deepEqual(result.comments.map((c) => [c.text, line(c.range), c.standalone]), [[' the Neuron runtime comes from the Neuron apt repository', 4, true]]);
  });
});

describe('Dockerfile scanner: ARG substitution', () => {
  it('substitutes global ARG defaults into FROM and points each part at where it is written', () => {
    const text = fixture('arg-chain.Dockerfile');
    const result = scanDockerfile(text, catalog);
    const [img] = images(result);
    assert.equal(img.image.uri, '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.equal(img.image.published, true);
    // the reference itself is the FROM argument as written
    assert.equal(img.text, '${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/pytorch-training:${TAG}');
    assert.equal(slice(text, img.range), img.text);
    // parts taken from ARG defaults point into those defaults
    const fv = img.image.parts.frameworkVersion!;
    assert.equal(line(fv.range), 3);
    assert.equal(slice(text, fv.range), '2.1.0');
    assert.equal(slice(text, img.image.tag!.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.equal(line(img.image.account!.range), 2);
    assert.equal(slice(text, img.image.account!.range), '763104351884');
    assert.equal(slice(text, img.image.region!.range), 'us-west-2');
    assert.equal(line(img.image.region!.range), 1);
    // literal parts stay on the FROM line; a part put together from several places covers what produces it
    assert.equal(slice(text, img.image.repository.range), 'pytorch-training');
    assert.equal(slice(text, img.image.registry!.range), '${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com');
    assert.equal(img.image.substitutedFrom?.variable, 'TAG');
    assert.equal(slice(text, img.image.substitutedFrom!.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    const inside = (inner: Range, outer: Range) => inner.start.line === outer.start.line && inner.start.character >= outer.start.character && inner.end.character <= outer.end.character;
    assert.ok(inside(fv.range, img.image.substitutedFrom!.range));
  });

  it('resolves chains of ARGs (ARG B=${A}) and a whole image in an ARG, ignoring ARGs after the first FROM', () => {
    const text = fixture('arg-chain-nested.Dockerfile');
    const result = scanDockerfile(text, catalog);
    const refs = images(result);
    assert.equal(refs.length, 1, 'FROM train names a stage');
    const [img] = refs;
    // `FROM $IMAGE`: the whole image is written in ARG IMAGE's default, so the reference is reported there
    assert.equal(img.text, '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${TAG}');
    assert.equal(line(img.range), 2);
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '2.1.0');
    assert.equal(line(img.image.parts.frameworkVersion!.range), 0);
    // the tag is ARG TAG's default: `${FRAMEWORK_VERSION}-gpu-…` is what produces exactly the tag
    assert.equal(slice(text, img.image.tag!.range), '${FRAMEWORK_VERSION}-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.equal(img.image.substitutedFrom?.variable, 'TAG');
    assert.equal(slice(text, img.image.repository.range), 'pytorch-training');
    assert.equal(line(img.image.repository.range), 2);
  });

  it('reports an ARG without a default and an undefined variable, and does not guess the image', () => {
    const text = fixture('arg-no-default.Dockerfile');
    const result = scanDockerfile(text, catalog);
    assert.deepEqual(result.notes.map((n) => [slice(text, n.range), n.message]), [
      ['${TAG}', 'cannot resolve ${TAG}: ARG has no default; the image is not judged'],
      ['$UNDEFINED', 'cannot resolve ${UNDEFINED}: no ARG defines it before the first FROM; the image is not judged'],
    ]);
    // `${VAR:-default}` uses the default written in FROM
    const refs = images(result);
    assert.equal(refs.length, 1);
    assert.equal(refs[0].image.uri, 'python:3.8-slim');
    assert.equal(slice(text, refs[0].image.parts.python!.range), '3.8');
    assert.equal(refs[0].image.substitutedFrom, undefined);
  });

  it('applies the substitution modifiers as the builder does', () => {
    const uri = (from: string) => images(scanDockerfile(`ARG SET=3.10\nARG EMPTY=""\nARG NODEF\n${from}\n`, catalog))[0]?.image.uri;
    assert.equal(uri('FROM python:${SET:-3.8}'), 'python:3.10');
    assert.equal(uri('FROM python:${EMPTY:-3.8}'), 'python:3.8');
    assert.equal(uri('FROM python:${NODEF:-3.8}'), 'python:3.8');
    assert.equal(uri('FROM python:${NODEF-3.9}'), 'python:3.9');
    assert.equal(uri('FROM python:3.11${SET:+-slim}'), 'python:3.11-slim');
    assert.equal(uri('FROM python:3.11${EMPTY:+-slim}'), 'python:3.11');
    assert.equal(uri('FROM python:$SET'), 'python:3.10');
    assert.equal(uri('FROM python:${SET%.*}'), undefined);
  });

  it('reports an ARG whose default uses an unresolvable variable at the FROM that uses it', () => {
    const text = 'ARG A\nARG B=${A}-slim\nFROM python:${B}\n';
    const { notes, references } = scanDockerfile(text, catalog);
    assert.equal(references.length, 0);
    assert.equal(notes.length, 1);
    assert.equal(slice(text, notes[0].range), '${B}');
    assert.match(notes[0].message, /^cannot resolve \$\{B\}: its default uses \$\{A\}, which cannot be resolved \(ARG has no default\)/);
  });

  it('reads quoted ARG defaults and points into the quotes', () => {
    const text = 'ARG TAG="2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker"\nFROM 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${TAG}\n';
    const [img] = images(scanDockerfile(text, catalog));
    assert.equal(slice(text, img.image.substitutedFrom!.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '2.1.0');
  });
});

describe('Dockerfile scanner: installs in RUN', () => {
  it('reads pip, conda and apt installs chained with &&', () => {
    const text = fixture('installs.Dockerfile');
    const result = scanDockerfile(text, catalog);
    const first = pins(result).filter((p) => line(p.range) === 1);
    assert.deepEqual(first.map((p) => [p.subject, p.text, p.version]), [
      ['pytorch', 'torch==2.1.0', '2.1.0'],
      ['tensorflow', 'tensorflow>=2.14,<2.15', '>=2.14,<2.15'],
      ['pytorch', 'pytorch=1.13.1', '1.13.1'],
      ['neuron', 'aws-neuronx-runtime-lib=2.22.14.0-*', '2.22.14.0-*'],
    ]);
    for (const p of first) {
      assert.equal(slice(text, p.range), p.text);
      assert.equal(slice(text, p.pin.nameRange), p.pin.name);
      for (const c of p.pin.clauses) assert.equal(slice(text, c.versionRange), c.version);
    }
    const [, tf, conda, neuron] = first;
    assert.deepEqual(tf.pin.clauses.map((c) => [c.operator, c.version]), [['>=', '2.14'], ['<', '2.15']]);
    assert.equal(slice(text, conda.pin.clauses[0].versionRange), '1.13.1');
    assert.equal(neuron.pin.name, 'aws-neuronx-runtime-lib');
    assert.deepEqual(result.includes.map((i) => [i.kind, i.path, slice(text, i.range)]), [
      ['requirements', 'requirements.txt', 'requirements.txt'],
      ['constraints', 'constraints.txt', 'constraints.txt'],
    ]);
  });

  it('skips option values, reads index URLs, uv, mamba, micromamba, sudo apt and notes variables', () => {
    const text = fixture('installs.Dockerfile');
    const result = scanDockerfile(text, catalog);
    const later = pins(result).filter((p) => line(p.range) > 1);
    assert.deepEqual(later.map((p) => [p.subject, p.text, line(p.range)]), [
      ['mxnet', 'mxnet-cu112==1.9.1', 2],
      ['pytorch', 'torch>=2.0,<2.2', 3],
      ['tensorflow', 'tensorflow>=2.12,<2.13', 4],
      ['pytorch', 'pytorch==2.0.1', 5],
      ['neuron', 'aws-neuronx-tools=2.*', 6],
      ['neuron', 'aws-neuron-dkms', 6],
    ]);
    assert.deepEqual(result.indexUrls, ['https://example.invalid/simple', 'https://neuron.example.invalid/pip']);
    assert.equal(later[3].pin.specifier, '==2.0.1', 'the build string after the version is not part of the pin');
    assert.deepEqual(later[5].pin.clauses, []);
    assert.deepEqual(result.notes.map((n) => [slice(text, n.range), line(n.range)]), [['torch==${TORCH_VERSION}', 7]]);
    // the redirect target is not a requirement
    assert.ok(!result.references.some((r) => r.text.includes('null')));
  });

  it('reads exec-form RUN, a shell run by exec form, and RUN with --mount', () => {
    const text = fixture('exec-form.Dockerfile');
    const result = scanDockerfile(text, catalog);
    assert.deepEqual(pins(result).map((p) => [p.subject, slice(text, p.range), p.version, line(p.range)]), [
      ['pytorch', 'torch==2.1.0', '2.1.0', 1],
      ['tensorflow', 'tensorflow==2.14.0', '2.14.0', 2],
      ['mxnet', 'mxnet=1.9', '==1.9.*', 2],
      ['pytorch', 'torch==2.2.1', '2.2.1', 3],
    ]);
  });

  it('maps JSON escapes in exec form back to the file', () => {
    const text = 'FROM scratch\nRUN ["pip", "install", "\\u0074orch==2.1.0"]\n';
    const [p] = pins(scanDockerfile(text, catalog));
    assert.equal(p.pin.name, 'torch');
    assert.equal(slice(text, p.pin.clauses[0].versionRange), '2.1.0');
    assert.equal(slice(text, p.pin.nameRange), '\\u0074orch');
  });

  it('reads python -m pip, pip3.11, -r glued, -rfile and skips paths, URLs and lookalikes', () => {
    const text = [
      'FROM scratch',
      'RUN python3 -m pip install -Ur req-a.txt --requirement=req-b.txt -rreq-c.txt ./local torchvision==0.16.0 git+https://x/torch.git torch-2.1.0-cp310-linux_x86_64.whl',
      'RUN /usr/local/bin/pip3.11 install --index-url https://example.invalid/simple --find-links /wheels tensorflow-gpu==2.4.0',
      'RUN echo pip install torch==1.0.0 && pip download torch==1.0.0 && pip install torch==1.0.0',
    ].join('\n');
    const result = scanDockerfile(text, catalog);
    assert.deepEqual(result.includes.map((i) => slice(text, i.range)), ['req-a.txt', 'req-b.txt', 'req-c.txt']);
    assert.deepEqual(pins(result).map((p) => [p.text, line(p.range)]), [['tensorflow-gpu==2.4.0', 2], ['torch==1.0.0', 3]]);
    assert.equal(pins(result)[1].range.start.character, text.split('\n')[3].lastIndexOf('torch'));
    assert.deepEqual(result.indexUrls, ['https://example.invalid/simple']);
  });

  it('reads installs inside a here-document RUN', () => {
    const text = 'FROM scratch\nRUN <<EOF\nset -e\npip install torch==2.1.0\nEOF\n';
    const result = scanDockerfile(text, catalog);
    assert.deepEqual(pins(result).map((p) => [p.text, line(p.range)]), [['torch==2.1.0', 3]]);
  });
});

describe('Dockerfile scanner: file forms', () => {
  it('accepts CRLF line endings and a byte order mark', () => {
    const text = fixture('crlf-bom.Dockerfile');
    assert.ok(text.startsWith('\uFEFF') && text.includes('\r\n'), 'the fixture keeps its BOM and CRLF');
    const result = scanDockerfile(text, catalog);
    const [img] = images(result);
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '2.1.0');
    assert.equal(line(img.image.parts.frameworkVersion!.range), 0);
    const [pin] = pins(result);
    assert.equal(slice(text, pin.range), 'torch==2.1.0');
    assert.equal(line(pin.range), 4);
    assert.deepEqual(result.comments.map((c) => [c.text, slice(text, c.range)]), [[' pinned', '# pinned']]);
    assert.deepEqual(result.statements, [{ startLine: 0, endLine: 0 }, { startLine: 1, endLine: 1 }, { startLine: 3, endLine: 4 }]);
  });

  it('reads the same references from a fixture whatever its line endings', () => {
    for (const name of ['arg-chain.Dockerfile', 'installs.Dockerfile', 'continuations.Dockerfile']) {
      const lf = fixture(name);
      const crlf = '\uFEFF' + lf.replace(/\n/g, '\r\n');
      const a = scanDockerfile(lf, catalog).references.map((r) => [r.kind, r.subject, r.version, line(r.range)]);
      const b = scanDockerfile(crlf, catalog).references.map((r) => [r.kind, r.subject, r.version, line(r.range)]);
      assert.deepEqual(b, a, name);
    }
  });

  it('is the file kind of Dockerfile names', () => {
    for (const p of ['Dockerfile', 'docker/Dockerfile', 'Dockerfile.gpu', 'train.Dockerfile', 'x/serve.dockerfile', 'Containerfile', 'Containerfile.cpu']) {
      assert.equal(fileKindForPath(p)?.id, 'dockerfile', p);
    }
    assert.equal(fileKindForPath('requirements.txt')?.id, 'pip-requirements');
    assert.equal(fileKindForPath('Dockerfile')!.scan('FROM python:3.8\n', catalog, 'Dockerfile').references.length, 1);
  });

  it('does not look for images outside FROM', () => {
    const text = 'ARG BASE=763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker\nFROM python:3.8\nLABEL base=763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker\n';
    assert.deepEqual(images(scanDockerfile(text, catalog)).map((i) => i.image.repository.text), ['python']);
  });
});

describe('shell words and conda specs', () => {
  const mapped = (text: string) => ({ text, offsets: Array.from({ length: text.length }, (_, i) => i) });

  it('splits commands at operators and removes quotes, keeping offsets', () => {
    const cmds = splitShellCommands(mapped(`a 'b c'&&d "e\\"f"; g | h || i # j k\nl 2>&1 >/dev/null m`));
    assert.deepEqual(cmds.map((c) => c.map((w) => w.text)), [['a', 'b c'], ['d', 'e"f'], ['g'], ['h'], ['i'], ['l', 'm']]);
    assert.deepEqual(cmds[0][1].offsets, [3, 4, 5]);
    assert.deepEqual(cmds[1][1].offsets, [12, 14, 15]);
  });

  it('reads conda MatchSpecs', () => {
    const clauses = (s: string) => parseCondaSpec(s)?.clauses.map((c) => `${c.operator}${c.version}@${c.start}`);
    assert.deepEqual(clauses('pytorch=1.13.1'), ['==1.13.1@8']);
    assert.deepEqual(clauses('pytorch=1.13'), ['==1.13.*@8']);
    assert.deepEqual(clauses('pytorch==1.13.1=py3.9_0'), ['==1.13.1@9']);
    assert.deepEqual(clauses('pytorch>=1.12,<1.14'), ['>=1.12@9', '<1.14@15']);
    assert.deepEqual(clauses('pytorch::pytorch=2.1'), ['==2.1.*@17']);
    assert.deepEqual(clauses('pytorch 1.13.1'), ['==1.13.1@8']);
    assert.deepEqual(clauses('pytorch'), []);
    assert.match(parseCondaSpec('pytorch=1.13|1.12')!.unreadable!, /not a plain version/);
    assert.equal(parseCondaSpec('=1.2'), undefined);
  });
});

describe('Dockerfile scanner: framework versions declared as build arguments', () => {
  const text = [
    'ARG FRAMEWORK=huggingface-pytorch-training',
    'ARG FRAMEWORK_VERSION=2.11.0',
    'ARG TORCH_VERSION=1.13.1',
    'ARG TF_VERSION="2.4.1"',
    'ARG CUDA_VERSION=12.1 PYTHON_VERSION=3.12',
    'ARG MXNET_VERSION=${OTHER}',
    'FROM ubuntu:22.04',
    'ARG TORCH_VERSION',
    '',
  ].join('\n');

  it('reads TORCH_VERSION, TF_VERSION and FRAMEWORK_VERSION (framework named by ARG FRAMEWORK) as pins located at their defaults', () => {
    const pins = scanDockerfile(text, catalog).references.filter((r): r is PackagePinReference => r.kind === 'framework-package-pin');
    assert.deepEqual(
      pins.map((p) => [p.subject, p.version, p.range.start.line, slice(text, p.pin.clauses[0].versionRange)]),
      [
        ['pytorch', '2.11.0', 1, '2.11.0'],
        ['pytorch', '1.13.1', 2, '1.13.1'],
        ['tensorflow', '2.4.1', 3, '2.4.1'],
      ],
    );
  });

  it('without ARG FRAMEWORK, FRAMEWORK_VERSION names no framework and is left alone', () => {
    const pins = scanDockerfile('ARG FRAMEWORK_VERSION=2.11.0\nFROM ubuntu:22.04\n', catalog).references.filter((r) => r.kind === 'framework-package-pin');
    assert.deepEqual(pins, []);
  });
});
