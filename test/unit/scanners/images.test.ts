import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { ImagePartName, ImageReference, Located } from '../../../server/src/model';
import type { ImageMapping } from '../../../server/src/policy/images';
import { findImageReferences, recognizeImage } from '../../../server/src/scanners/images';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const DLC = '763104351884.dkr.ecr.us-west-2.amazonaws.com';

/** Recognises `uri` placed at line 2, column 6 of a document, so that ranges are checked against real positions. */
function recognizeInDocument(uri: string, mappings?: readonly ImageMapping[]): { ref: ImageReference | undefined; doc: string } {
  const doc = `# a\n\nFROM ${uri}\n`;
  const base = doc.indexOf(uri);
  const idx = new TextIndex(doc);
  return { ref: recognizeImage(uri, (o) => idx.positionAt(base + o), catalog, { mappings }), doc };
}

/** The document text a located piece's range covers equals its `text`. */
function assertLocated(doc: string, piece: Located | undefined, expected: string, what: string): void {
  assert.ok(piece, `${what} missing`);
  const idx = new TextIndex(doc);
  assert.equal(doc.slice(idx.offsetAt(piece.range.start), idx.offsetAt(piece.range.end)), expected, `${what} range`);
  assert.equal(piece.text, expected, `${what} text`);
}

/** Part name → text of an image's parts. */
const partTexts = (ref: ImageReference | undefined) => Object.fromEntries(Object.entries(ref?.image.parts ?? {}).map(([k, v]) => [k, v.text]));

const dlc = (uri: string) => {
  const { ref, doc } = recognizeInDocument(uri);
  assert.ok(ref, `not recognised: ${uri}`);
  assert.equal(ref.image.family, 'dlc');
  return { ref, doc };
};

describe('DLC image URI recogniser', () => {
  it('reads a full SageMaker tag with the range of every part', () => {
    const uri = `${DLC}/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`;
    const { ref, doc } = dlc(uri);
    assert.equal(ref.kind, 'container-image');
    assert.equal(ref.subject, 'pytorch');
    assert.equal(ref.version, '2.1.0');
    assert.deepEqual(ref.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 5 + uri.length } });
    const im = ref.image;
    assert.equal(im.scheme, 'full');
    assert.equal(im.published, true);
    assertLocated(doc, im.registry, DLC, 'registry');
    assertLocated(doc, im.account, '763104351884', 'account');
    assertLocated(doc, im.region, 'us-west-2', 'region');
    assert.equal(im.account?.placeholder, false);
    assert.equal(im.region?.placeholder, false);
    assertLocated(doc, im.repository, 'pytorch-training', 'repository');
    assertLocated(doc, im.tag, '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', 'tag');
    const expected = { frameworkVersion: '2.1.0', processor: 'gpu', python: 'py310', cuda: 'cu121', os: 'ubuntu20.04', platform: 'sagemaker' };
    assert.deepEqual(partTexts(ref), expected);
    for (const [name, text] of Object.entries(expected)) assertLocated(doc, im.parts[name as keyof typeof expected], text, name);
  });

  it('reads the tag schemes of the catalog: -v1 suffix, short, AL2023, Neuron SDK, Hugging Face, legacy py3, minimal, engine', () => {
    const cases: Array<[string, string, string, Record<string, string>]> = [
      [`${DLC}/pytorch-training:2.6-cpu-py312-ubuntu22.04-ec2-v1`, 'full', 'pytorch', { frameworkVersion: '2.6', processor: 'cpu', python: 'py312', os: 'ubuntu22.04', platform: 'ec2', suffix: 'v1' }],
      [`${DLC}/pytorch-training:2.10-gpu-py313-cu130-ubuntu22.04-sagemaker-v1`, 'full', 'pytorch', { frameworkVersion: '2.10', processor: 'gpu', python: 'py313', cuda: 'cu130', os: 'ubuntu22.04', platform: 'sagemaker', suffix: 'v1' }],
      [`${DLC}/autogluon-inference:0.3.1-cpu-py37`, 'short', 'autogluon', { frameworkVersion: '0.3.1', processor: 'cpu', python: 'py37' }],
      [`${DLC}/pytorch:2.11-cu130-amzn2023-sagemaker`, 'amzn2023', 'pytorch', { frameworkVersion: '2.11', cuda: 'cu130', os: 'amzn2023', platform: 'sagemaker' }],
      [`${DLC}/pytorch-inference-neuronx:1.13.1-neuronx-py310-sdk2.15.0-ubuntu20.04`, 'neuron', 'pytorch', { frameworkVersion: '1.13.1', processor: 'neuronx', python: 'py310', neuronSdk: 'sdk2.15.0', os: 'ubuntu20.04' }],
      [`${DLC}/huggingface-pytorch-inference:1.10-transformers4.17-gpu-py38-cu113-ubuntu20.04`, 'huggingface', 'huggingface-pytorch', { frameworkVersion: '1.10', transformersVersion: '4.17', processor: 'gpu', python: 'py38', cuda: 'cu113', os: 'ubuntu20.04' }],
      [`520713654638.dkr.ecr.us-west-2.amazonaws.com/sagemaker-chainer:4.0-cpu-py3`, 'legacy-py', 'chainer', { frameworkVersion: '4.0', processor: 'cpu', python: 'py3' }],
      [`${DLC}/mxnet-inference:1.4-gpu-py3`, 'legacy-py', 'mxnet', { frameworkVersion: '1.4', processor: 'gpu', python: 'py3' }],
      [`${DLC}/tensorflow-inference:1.13-gpu`, 'minimal', 'tensorflow', { frameworkVersion: '1.13', processor: 'gpu' }],
      [`${DLC}/djl-inference:0.21.0-deepspeed0.8.3-cu117`, 'engine', 'djl', { frameworkVersion: '0.21.0', engine: 'deepspeed0.8.3', cuda: 'cu117' }],
    ];
    for (const [uri, scheme, subject, parts] of cases) {
      const { ref, doc } = dlc(uri);
      assert.equal(ref.image.scheme, scheme, uri);
      assert.equal(ref.subject, subject, uri);
      assert.equal(ref.image.published, true, uri);
      assert.deepEqual(partTexts(ref), parts, uri);
      for (const [name, text] of Object.entries(parts)) assertLocated(doc, ref.image.parts[name as ImagePartName], text, `${uri} ${name}`);
    }
  });

  it('reads public ECR images of the DLC and Neuron registries', () => {
    const { ref, doc } = dlc('public.ecr.aws/deep-learning-containers/vllm:0.11-gpu-py312');
    assertLocated(doc, ref.image.registry, 'public.ecr.aws/deep-learning-containers', 'registry');
    assertLocated(doc, ref.image.repository, 'vllm', 'repository');
    assert.equal(ref.image.account, undefined);
    assert.equal(ref.subject, 'vllm');
    assert.equal(ref.image.scheme, 'short');
    assert.equal(ref.image.published, true);
    const neuron = dlc('public.ecr.aws/neuron/pytorch-inference-neuronx:1.13.1-neuronx-py310-sdk2.15.0-ubuntu20.04').ref;
    assert.equal(neuron.image.registry?.text, 'public.ecr.aws/neuron');
    assert.equal(neuron.image.parts.neuronSdk?.text, 'sdk2.15.0');
    assert.equal(recognizeInDocument('public.ecr.aws/someone-else/vllm:0.11-gpu-py312').ref, undefined, 'other public namespaces are not DLCs');
  });

  it('reads digests with and without a tag', () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const tagged = dlc(`${DLC}/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker@${digest}`);
    assertLocated(tagged.doc, tagged.ref.image.digest, digest, 'digest');
    assert.equal(tagged.ref.image.tag?.text, '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.equal(tagged.ref.image.published, true);
    const bare = dlc(`${DLC}/pytorch-training@${digest}`);
    assert.equal(bare.ref.image.tag, undefined);
    assert.equal(bare.ref.image.published, undefined);
    assertLocated(bare.doc, bare.ref.image.digest, digest, 'digest');
    assert.equal(recognizeInDocument(`${DLC}/pytorch-training@sha256:abc`).ref, undefined, 'a short digest is not a reference');
  });

  it('reads China, GovCloud and ISO regions with their own accounts and domains', () => {
    const cn = dlc('727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/pytorch-inference:2.1.0-cpu-py310').ref;
    assert.equal(cn.image.region?.text, 'cn-north-1');
    assert.equal(cn.image.registry?.text, '727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn');
    const gov = dlc('442386744353.dkr.ecr.us-gov-west-1.amazonaws.com/tensorflow-training:2.13.0-gpu-py310-cu118-ubuntu20.04-sagemaker').ref;
    assert.equal(gov.image.account?.text, '442386744353');
    assert.equal(gov.image.region?.text, 'us-gov-west-1');
    assert.equal(dlc('886529160074.dkr.ecr.us-iso-east-1.c2s.ic.gov/pytorch-training:2.1.0-gpu-py310').ref.image.region?.text, 'us-iso-east-1');
    assert.equal(recognizeInDocument('763104351884.dkr.ecr.us-east-1.amazonaws.com.example.net/pytorch-training:2.1.0-gpu-py310').ref, undefined, 'an unknown domain');
  });

  it('keeps every placeholder form of account and region as written', () => {
    const forms = ['{region}', '{REGION}', '{}', '${AWS::Region}', '${AWS::AccountId}', '${var.region}', '${local.x}', '${REGION}', '$REGION', '%s', '{account_id}', '{self.region}', '{0}', '<region>', '{{ region }}', '%(region)s'];
    for (const form of forms) {
      const uri = `${form}.dkr.ecr.${form}.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`;
      const { ref, doc } = dlc(uri);
      assertLocated(doc, ref.image.account, form, `${form} account`);
      assertLocated(doc, ref.image.region, form, `${form} region`);
      assert.equal(ref.image.account?.placeholder, true, form);
      assert.equal(ref.image.region?.placeholder, true, form);
      assert.equal(ref.image.published, true, form);
      assert.equal(ref.version, '2.1.0', form);
    }
    const cfn = dlc('${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/pytorch-inference:2.1.0-cpu-py310').ref;
    assert.equal(cfn.image.repository.text, 'pytorch-inference');
    const literalAccount = dlc('763104351884.dkr.ecr.{region}.amazonaws.com/pytorch-training:2.1.0-gpu-py310').ref;
    assert.deepEqual([literalAccount.image.account?.placeholder, literalAccount.image.region?.placeholder], [false, true]);
  });

  it('does not judge publication of a tag that holds a placeholder, and reports an unpublished literal tag', () => {
    const templated = dlc(`${DLC}/pytorch-training:\${TAG}`).ref;
    assert.equal(templated.image.published, undefined);
    assert.deepEqual(templated.image.parts, {});
    assert.equal(templated.image.tag?.text, '${TAG}');
    const unpublished = dlc(`${DLC}/pytorch-training:2.1.7-gpu-py310-cu121-ubuntu20.04-sagemaker`).ref;
    assert.equal(unpublished.image.published, false);
    assert.equal(unpublished.image.parts.frameworkVersion?.text, '2.1.7');
  });

  it('rejects private ECR images of other accounts, and a known repository under an unknown account', () => {
    assert.equal(recognizeInDocument('123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1.0').ref, undefined);
    assert.equal(recognizeInDocument('123456789012.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310').ref, undefined);
    assert.equal(recognizeInDocument('{account}.dkr.ecr.{region}.amazonaws.com/my-model:1.0').ref, undefined, 'placeholder account and unknown repository');
  });

  it('keeps an unknown repository on a DLC account as a DLC reference without a publication verdict', () => {
    const { ref } = dlc(`${DLC}/some-new-repository:1.2.0-gpu-py312`);
    assert.equal(ref.subject, 'some-new-repository');
    assert.equal(ref.image.published, undefined);
    assert.equal(ref.image.parts.frameworkVersion?.text, '1.2.0');
  });

  it('maps an internal image through a policy [[images]] pattern, with the placeholders as parts', () => {
    const mapping: ImageMapping = {
      pattern: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:{framework_version}-gpu-{python}',
      placeholders: ['framework_version', 'python'],
      framework: 'pytorch',
    };
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:2.3.0-gpu-py311';
    const { ref, doc } = recognizeInDocument(uri, [mapping]);
    assert.ok(ref);
    assert.equal(ref.image.family, 'mapped');
    assert.equal(ref.subject, 'pytorch');
    assert.equal(ref.version, '2.3.0');
    assertLocated(doc, ref.image.parts.frameworkVersion, '2.3.0', 'frameworkVersion');
    assertLocated(doc, ref.image.parts.python, 'py311', 'python');
    assertLocated(doc, ref.image.repository, 'ml-base', 'repository');
    assert.equal(recognizeInDocument('123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:2.3.0-cpu-py311', [mapping]).ref, undefined);
  });
});

describe('base image recogniser', () => {
  const base = (uri: string) => {
    const { ref, doc } = recognizeInDocument(uri);
    assert.ok(ref, `not recognised: ${uri}`);
    assert.equal(ref.image.family, 'base', uri);
    assert.equal(ref.image.scheme, 'base', uri);
    return { ref, doc };
  };

  it('reads the OS, Python, CUDA, cuDNN and framework parts of the well-known base images', () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['ubuntu:18.04', 'ubuntu', { os: '18.04' }],
      ['docker.io/library/ubuntu:22.04', 'ubuntu', { os: '22.04' }],
      ['public.ecr.aws/lts/ubuntu:22.04', 'ubuntu', { os: '22.04' }],
      ['public.ecr.aws/ubuntu/ubuntu:20.04', 'ubuntu', { os: '20.04' }],
      ['ubuntu:jammy-20240125', 'ubuntu', { os: 'jammy' }],
      ['python:3.8-slim', 'python', { python: '3.8' }],
      ['python:3.10-slim-bullseye', 'python', { python: '3.10' }],
      ['python:3.11', 'python', { python: '3.11' }],
      ['public.ecr.aws/docker/library/python:3.9.18-bookworm', 'python', { python: '3.9.18' }],
      ['nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu18.04', 'nvidia/cuda', { cuda: '11.3.1', cudnn: 'cudnn8', os: 'ubuntu18.04' }],
      ['nvidia/cuda:12.1.0-devel-ubuntu22.04', 'nvidia/cuda', { cuda: '12.1.0', os: 'ubuntu22.04' }],
      ['pytorch/pytorch:1.8.1-cuda11.1-cudnn8-runtime', 'pytorch', { frameworkVersion: '1.8.1', cuda: 'cuda11.1', cudnn: 'cudnn8' }],
      ['tensorflow/tensorflow:2.4.1-gpu', 'tensorflow', { frameworkVersion: '2.4.1', processor: 'gpu' }],
      ['tensorflow/tensorflow:2.4.1-gpu-jupyter', 'tensorflow', { frameworkVersion: '2.4.1', processor: 'gpu' }],
      ['tensorflow/tensorflow:1.15.5-gpu-py3', 'tensorflow', { frameworkVersion: '1.15.5', processor: 'gpu', python: 'py3' }],
      ['amazonlinux:1', 'amazonlinux', { os: '1' }],
      ['amazonlinux:2023', 'amazonlinux', { os: '2023' }],
      ['public.ecr.aws/amazonlinux/amazonlinux:2', 'amazonlinux', { os: '2' }],
      ['continuumio/miniconda3:4.12.0', 'continuumio/miniconda3', {}],
      ['condaforge/miniforge3', 'condaforge/miniforge3', {}],
    ];
    for (const [uri, subject, parts] of cases) {
      const { ref, doc } = base(uri);
      assert.equal(ref.subject, subject, uri);
      assert.deepEqual(partTexts(ref), parts, uri);
      for (const [name, text] of Object.entries(parts)) assertLocated(doc, ref.image.parts[name as ImagePartName], text, `${uri} ${name}`);
      assert.equal(ref.version, parts.frameworkVersion ?? '', uri);
    }
  });

  it('keeps no-tag and digest forms, and fills no part from a tag it cannot read', () => {
    const latest = base('ubuntu').ref;
    assert.equal(latest.image.tag, undefined);
    assert.deepEqual(latest.image.parts, {});
    const pinned = base(`python@sha256:${'a'.repeat(64)}`).ref;
    assert.equal(pinned.image.digest?.text, `sha256:${'a'.repeat(64)}`);
    assert.deepEqual(base('ubuntu:latest').ref.image.parts, {});
    assert.deepEqual(base('python:3-slim').ref.image.parts, {}, 'a bare major is no Python release');
    assert.deepEqual(base('amazonlinux:latest').ref.image.parts, {});
    assert.deepEqual(base('python:${PY}-slim').ref.image.parts, {}, 'a placeholder tag');
    assert.equal(base('docker.io/library/ubuntu:22.04').ref.image.registry?.text, 'docker.io');
  });

  it('does not take lookalikes, stage names or other registries for base images', () => {
    for (const text of ['builder', 'myorg/ubuntu:22.04', 'ghcr.io/ubuntu:22.04', 'ubuntu:22.04 AS build', 'Ubuntu:22.04', 'pytorch:2.1.0']) {
      assert.equal(recognizeImage(text, (o) => ({ line: 0, character: o }), catalog), undefined, text);
    }
  });
});

describe('findImageReferences', () => {
  it('finds two URIs on one shell line, with exact ranges', () => {
    const a = `${DLC}/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`;
    const b = 'public.ecr.aws/deep-learning-containers/vllm:0.11-gpu-py312';
    const line = `docker pull ${a} && docker run --rm "${b}" python3 -c 'import torch'; echo ubuntu:22.04`;
    const refs = findImageReferences(line, (o) => ({ line: 7, character: o }), catalog);
    assert.deepEqual(refs.map((r) => r.text), [a, b]);
    assert.deepEqual(refs[0].range, { start: { line: 7, character: 12 }, end: { line: 7, character: 12 + a.length } });
    assert.equal(refs[1].range.start.character, line.indexOf(b));
    assert.equal(refs[1].image.parts.python?.range.start.character, line.indexOf('py312'));
  });

  it('finds URIs in Markdown prose, code spans, links and format strings, dropping sentence punctuation', () => {
    const doc = [
      '# Images',
      '',
      `Use \`${DLC}/tensorflow-training:2.13.0-gpu-py310-cu118-ubuntu20.04-sagemaker\` for training.`,
      `Or see [the image](https://${DLC}/pytorch-inference:2.1.0-cpu-py310).`,
      "uri = '{}.dkr.ecr.{}.amazonaws.com/pytorch-training:1.8.1-gpu-py3'.format(account, region)",
      `It was ${DLC}/mxnet-training:1.4-gpu-py3.`,
      'Not ours: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0, nor python:3.8.',
    ].join('\n');
    const idx = new TextIndex(doc);
    const refs = findImageReferences(doc, (o) => idx.positionAt(o), catalog);
    assert.deepEqual(
      refs.map((r) => [r.text, r.range.start.line]),
      [
        [`${DLC}/tensorflow-training:2.13.0-gpu-py310-cu118-ubuntu20.04-sagemaker`, 2],
        [`${DLC}/pytorch-inference:2.1.0-cpu-py310`, 3],
        ['{}.dkr.ecr.{}.amazonaws.com/pytorch-training:1.8.1-gpu-py3', 4],
        [`${DLC}/mxnet-training:1.4-gpu-py3`, 5],
      ],
    );
    for (const r of refs) assert.equal(doc.slice(idx.offsetAt(r.range.start), idx.offsetAt(r.range.end)), r.text);
  });

  it('finds mapped internal images in free text only with the policy mappings', () => {
    const mapping: ImageMapping = { pattern: 'registry.example.com/ml/base:{framework_version}-*', placeholders: ['framework_version'], framework: 'tensorflow' };
    const text = `image: registry.example.com/ml/base:2.16.1-weekly and ${DLC}/pytorch-training:2.1.0-gpu-py310`;
    const at = (o: number) => ({ line: 0, character: o });
    assert.deepEqual(findImageReferences(text, at, catalog).map((r) => r.image.family), ['dlc']);
    const refs = findImageReferences(text, at, catalog, { mappings: [mapping] });
    assert.deepEqual(refs.map((r) => [r.image.family, r.subject, r.version]), [['mapped', 'tensorflow', '2.16.1'], ['dlc', 'pytorch', '2.1.0']]);
    assert.equal(refs[0].image.parts.frameworkVersion?.range.start.character, text.indexOf('2.16.1'));
  });
});

describe('DLC tags with placeholders inside', () => {
  const at = (character: number) => ({ line: 0, character });
  const partsOf = (uri: string) => {
    const ref = recognizeImage(uri, at, catalog)!;
    return Object.fromEntries(Object.entries(ref.image.parts).map(([k, v]) => [k, v!.text]));
  };

  it('reads the parts around a placeholder and leaves out the part it stands in; publication is not judged', () => {
    const uri = `${DLC}/huggingface-pytorch-inference:1.13.1-transformers\${var.transformers_version}-gpu-py39-cu117-ubuntu20.04`;
    const ref = recognizeImage(uri, at, catalog)!;
    assert.equal(ref.version, '1.13.1');
    assert.equal(ref.image.published, undefined);
    assert.deepEqual(partsOf(uri), { frameworkVersion: '1.13.1', processor: 'gpu', python: 'py39', cuda: 'cu117', os: 'ubuntu20.04' });
    const { start, end } = ref.image.parts.python!.range;
    assert.equal(uri.slice(start.character, end.character), 'py39');
  });

  it('reads no framework version when the placeholder stands for it or next to it', () => {
    assert.deepEqual(partsOf(`${DLC}/pytorch-training:\${TAG_VERSION}-gpu-py310-cu121-ubuntu20.04-sagemaker`).frameworkVersion, undefined);
    assert.equal(partsOf(`${DLC}/pytorch-training:\${TAG_VERSION}-gpu-py310-cu121-ubuntu20.04-sagemaker`).python, 'py310');
    assert.deepEqual(partsOf(`${DLC}/pytorch-training:2.1.0-\${DEVICE}-py310`), { python: 'py310' });
  });
});
