import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from '../../server/src/analysis';
import { analyzeText } from '../../server/src/analysis';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { daysBetween } from '../../server/src/dates';
import { computeCodeLenses } from '../../server/src/features/codeLens';
import type { Reference } from '../../server/src/model';
import { fileKindById } from '../../server/src/scanners/fileKinds';
import { COMMANDS } from '../../server/src/settings';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const analyze = (text: string, kindId: string, path: string, warningWindowDays?: number) => analyzeText(text, path, fileKindById(kindId)!, catalog, { asOf: AS_OF, warningWindowDays });
/** The catalog's end of patch of a framework version for images of `job` (read, not written here). */
const eopOf = (framework: string, minor: string, job: 'training' | 'inference' = 'training') => {
  const record = catalog.frameworkVersion(framework, minor);
  const eop = record && catalog.endOfPatch(record, job);
  assert.ok(eop, `the catalog dates ${framework} ${minor}`);
  return eop;
};
/** [line, end character of the range, title] of each lens; checks the parts every lens shares. */
const summary = (lenses: CodeLens[]) =>
  lenses.map((l) => {
    assert.equal(l.range.start.character, 0, 'a lens starts at the start of its line');
    assert.equal(l.range.end.line, l.range.start.line);
    assert.equal(l.command?.command, COMMANDS.showReport);
    assert.equal(l.command?.arguments, undefined);
    return [l.range.start.line, l.range.end.character, l.command?.title];
  });

const ECR = '763104351884.dkr.ecr.us-east-1.amazonaws.com';
const ENDED = eopOf('pytorch', '2.1');
const SOON = eopOf('pytorch', '2.10');
const dockerfile = [
  `FROM ${ECR}/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`,
  'FROM ubuntu:22.04',
  `FROM --platform=linux/amd64 ${ECR}/pytorch-training:2.10.0-gpu-py312-cu130-ubuntu22.04-sagemaker AS train`,
  `FROM ${ECR}/pytorch-training:2.14.0-gpu-py312-cu130-ubuntu22.04-sagemaker`,
  'FROM public.ecr.aws/neuron/pytorch-training-neuronx:2.1.2-neuronx-py310-sdk2.20.0-ubuntu20.04',
  'RUN pip install torch==1.13.1 numpy',
  '',
].join('\n');

describe('code lenses', () => {
  it('the catalog facts the tests rest on', () => {
    assert.ok(daysBetween(AS_OF, ENDED) < 0);
    assert.ok(daysBetween(AS_OF, SOON) > 30 && daysBetween(AS_OF, SOON) <= 90);
    assert.equal(catalog.frameworkVersion('pytorch', '2.14')?.endOfPatch, undefined, 'PyTorch 2.14 has no end of patch');
  });

  it('one lens on each DLC FROM line: ended, supported until (with the days left inside the warning window), undated', () => {
    const lenses = computeCodeLenses(analyze(dockerfile, 'dockerfile', 'Dockerfile'));
    assert.deepEqual(summary(lenses), [
      [0, 'FROM '.length, `ended ${ENDED}`],
      [2, 'FROM --platform=linux/amd64 '.length, `supported until ${SOON} (ends in ${daysBetween(AS_OF, SOON)} days)`],
      [3, 'FROM '.length, 'no end of patch known'],
    ]);
    // no lens for ubuntu (a base image), the Neuron image (Neuron SDK policy) or the pip install line
    assert.match(lenses[0].command!.tooltip!, new RegExp(`^pytorch-training 2\\.1: end of patch ${ENDED} \\(${daysBetween(ENDED, AS_OF)} days ago\\)\\. End of patch published in the `));
  });

  it('outside the warning window the title has no countdown', () => {
    const lenses = computeCodeLenses(analyze(dockerfile, 'dockerfile', 'Dockerfile', 30));
    assert.equal(lenses[1].command?.title, `supported until ${SOON}`);
  });

  it('the end-of-patch day itself is still supported, the day after has ended', () => {
    const text = `FROM ${ECR}/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker\n`;
    const on = analyzeText(text, 'Dockerfile', fileKindById('dockerfile')!, catalog, { asOf: ENDED });
    assert.equal(computeCodeLenses(on)[0].command?.title, `supported until ${ENDED} (ends today)`);
  });

  it('image URIs in YAML: one lens per reference, also two on one line', () => {
    const text = `images: ["${ECR}/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker", "${ECR}/tensorflow-inference:2.21.0-gpu-py312-cu125-ubuntu22.04-sagemaker"]\nbase: ubuntu:22.04\n`;
    const future = eopOf('tensorflow', '2.21', 'inference');
    assert.ok(daysBetween(AS_OF, future) > 90);
    const second = text.indexOf(`"${ECR}/tensorflow`) + 1;
    assert.deepEqual(summary(computeCodeLenses(analyze(text, 'infrastructure-yaml', 'template.yaml'))), [
      [0, 'images: ["'.length, `ended ${ENDED}`],
      [0, second, `supported until ${future}`],
    ]);
  });

  it('DLAMIs with a dated framework version get a lens too', () => {
    const text = [
      'ImageId: "{{resolve:ssm:/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id}}"',
      'Name: "Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.10.0 (Ubuntu 22.04) 20260101"',
      'Other: "Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.14.0 (Ubuntu 22.04) 20260101"',
      '',
    ].join('\n');
    const a = analyze(text, 'infrastructure-yaml', 'template.yaml');
    assert.equal(a.scan.references.filter((r) => r.kind === 'dlami').length, 3, 'the DLAMIs are read');
    assert.deepEqual(summary(computeCodeLenses(a)), [
      [0, text.indexOf('/aws/service'), `ended ${ENDED}`],
      [1, 'Name: "'.length, `supported until ${SOON} (ends in ${daysBetween(AS_OF, SOON)} days)`],
    ]);
  });

  it('nothing for files without dated images: requirements, base images only', () => {
    assert.deepEqual(computeCodeLenses(analyze('torch==1.13.1\ntensorflow==2.21.0\n', 'pip-requirements', 'requirements.txt')), []);
    const a = analyze('FROM ubuntu:22.04\nFROM python:3.8-slim\nFROM nvidia/cuda:12.1.0-runtime-ubuntu22.04\n', 'dockerfile', 'Dockerfile');
    assert.equal(a.scan.references.length, 3, 'the base images are read');
    assert.deepEqual(computeCodeLenses(a), []);
  });

  it('never throws: a reference the rules cannot evaluate is skipped, the others keep their lenses', () => {
    const a = analyze(dockerfile, 'dockerfile', 'Dockerfile');
    const r = { start: { line: 1, character: 5 }, end: { line: 1, character: 9 } };
    const broken = [{ kind: 'container-image', subject: 'pytorch', version: '2.1', text: 'x', range: r }, { kind: 'dlami', subject: 'x', version: '', text: 'x', range: r }] as unknown as Reference[];
    const withBroken: Analysis = { ...a, scan: { ...a.scan, references: [...broken, ...a.scan.references] } };
    assert.deepEqual(computeCodeLenses(withBroken), computeCodeLenses(a));
    const badDay: Analysis = { ...a, context: { ...a.context, asOf: 'not a day' } };
    // dated lenses need the day; the undated DLC still says so
    assert.deepEqual(summary(computeCodeLenses(badDay)).map((s) => s[2]), ['no end of patch known']);
  });

  it('property: never throws, every lens lies inside the document, on its reference\'s line', () => {
    const repo = fc.constantFrom('pytorch-training', 'pytorch-inference', 'tensorflow-training', 'tensorflow-inference', 'huggingface-pytorch-training', 'mxnet-training', 'unknown-repo');
    const version = fc.oneof(fc.constantFrom('2.1.0', '2.10.0', '2.14.0', '1.13.1', '2.21.0', '2.6.0', '1.8.1', '${VERSION}'), fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 1, maxLength: 3 }).map((n) => n.join('.')));
    const rest = fc.constantFrom('-gpu-py310-cu121-ubuntu20.04-sagemaker', '-cpu-py312-ubuntu22.04-sagemaker', '-gpu-py312-cu130-ubuntu22.04-ec2', '', '-x');
    const dlc = fc.tuple(fc.constantFrom(ECR, '763104351884.dkr.ecr.{region}.amazonaws.com', 'public.ecr.aws/deep-learning-containers'), repo, version, rest).map(([r, p, v, s]) => `${r}/${p}:${v}${s}`);
    const line = fc.oneof(
      dlc.map((u) => `FROM ${u}`),
      dlc.map((u) => `FROM --platform=linux/arm64 ${u} AS b`),
      fc.constantFrom('FROM ubuntu:22.04', 'ARG VERSION=2.1.0', 'RUN pip install torch==2.1.0', 'FROM scratch', '# 😀 comment', 'FROM $BASE'),
      fc.string({ maxLength: 20 }).map((s) => `FROM ${s}`),
    );
    let seen = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = lines.join(eol);
        const a = analyze(text, 'dockerfile', 'Dockerfile');
        const docLines = text.split(/\r\n|\r|\n/);
        const lenses = computeCodeLenses(a);
        for (const l of lenses) {
          seen++;
          const { start, end } = l.range;
          assert.ok(start.line >= 0 && start.line < docLines.length && start.character === 0, JSON.stringify(l.range));
          assert.ok(end.line === start.line && end.character <= docLines[end.line].length, `${JSON.stringify(l.range)} in ${JSON.stringify(text)}`);
          assert.ok(a.scan.references.some((r) => r.range.start.line === start.line && r.range.start.character === end.character), 'a lens ends where a reference starts');
          assert.match(l.command!.title, /^(supported until \d{4}-\d{2}-\d{2}( \(ends (in \d+ days?|today)\))?|ended \d{4}-\d{2}-\d{2}|no end of patch known)$/);
          assert.equal(l.command!.command, COMMANDS.showReport);
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(seen > 10, `the generated documents produced lenses (${seen})`);
  });
});
