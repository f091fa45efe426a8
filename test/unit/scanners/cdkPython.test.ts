import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { AcceleratorReference, DlamiReference, ImageReference, Range, ScanResult, SdkFrameworkReference } from '../../../server/src/model';
import { fileKindById } from '../../../server/src/scanners/fileKinds';
import { CDK_CALL_NAMES } from '../../../server/src/scanners/python/cdk';
import { mayReferenceSageMaker, scanPython } from '../../../server/src/scanners/python/sagemakerSdk';
import { initParsers } from '../../../server/src/scanners/treeSitter';
import { applyEdits, TextIndex } from '../../../server/src/text';
import { checkScanResult } from '../../fixtures/scanChecks';

const catalog = loadBundledCatalog();
const APP = readFileSync(join(__dirname, '..', '..', 'fixtures', 'cdk', 'app.py'), 'utf8');

const sliceOf = (text: string, range: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(range.start), idx.offsetAt(range.end));
};
const lineOf = (text: string, needle: string) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `text holds ${needle}`);
  return text.slice(0, i).split(/\r\n|\r|\n/).length - 1;
};
const scan = (text: string) => {
  const r = scanPython(text, catalog);
  checkScanResult(text, r);
  return r;
};
const images = (r: ScanResult) => r.references.filter((x): x is ImageReference => x.kind === 'container-image');
const dlamis = (r: ScanResult) => r.references.filter((x): x is DlamiReference => x.kind === 'dlami');
const python = () => fileKindById('python')!;

describe('CDK in Python (SageMaker SDK scanner)', () => {
  before(async () => {
    await initParsers();
  });

  it('reads every CDK construct of the app once: from_dlc, CfnModel images, from_registry, DLAMI lookups and SSM parameters, accelerators', () => {
    const r = scan(APP);
    assert.deepEqual(
      r.references.map((x) => `${x.range.start.line}:${x.kind}:${x.subject}:${x.version}:${x.text}`),
      [
        `${lineOf(APP, 'INFERENCE_TAG =')}:container-image:pytorch:2.1.0:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker`,
        `${lineOf(APP, 'TRAINING_IMAGE =')}:container-image:pytorch:2.1.0:763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`,
        `${lineOf(APP, '"image": f"')}:container-image:huggingface-pytorch:1.13.1:{DLC_ACCOUNT}.dkr.ecr.{self.region}.amazonaws.com/huggingface-pytorch-inference:1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04`,
        `${lineOf(APP, 'nvidia/cuda')}:container-image:nvidia/cuda::nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu18.04`,
        `${lineOf(APP, 'ProductionVariantProperty(')}:sdk-framework:::sagemaker.CfnEndpointConfig.ProductionVariantProperty`,
        `${lineOf(APP, '"accelerator_type": "ml.eia1.large"')}:accelerator:ml.eia1.large::ml.eia1.large`,
        `${lineOf(APP, 'from_registry("python:3.8")')}:container-image:python::python:3.8`,
        `${lineOf(APP, 'MachineImage.lookup')}:dlami:gpu-pytorch:2.0.1:Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *`,
        `${lineOf(APP, 'from_ssm_parameter')}:dlami:oss-nvidia-driver-gpu-pytorch:2.1:/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id`,
        `${lineOf(APP, 'value_for_string_parameter')}:dlami:oss-nvidia-driver-gpu-pytorch:2.1:/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id`,
      ],
    );
    // nothing twice: no two references share a range
    const keys = r.references.map((x) => JSON.stringify(x.range));
    assert.equal(new Set(keys).size, keys.length);
  });

  it('from_dlc: constants resolve to their literals; a parameter tag is noted, not guessed', () => {
    const r = scan(APP);
    const [alpha] = images(r);
    assert.equal(alpha.image.uri, 'pytorch-inference:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(alpha.image.published, true);
    assert.equal(alpha.image.substitutedFrom?.variable, 'INFERENCE_TAG');
    assert.equal(alpha.image.repository.range.start.line, lineOf(APP, 'INFERENCE_REPOSITORY ='));
    assert.equal(sliceOf(APP, alpha.image.repository.range), 'pytorch-inference');
    assert.deepEqual(
      r.notes.map((n) => `${n.range.start.line}:${sliceOf(APP, n.range)}:${n.message}`),
      [`${lineOf(APP, 'tag=serving_tag')}:serving_tag:'serving_tag' could not be resolved in this file: its tag cannot be judged`],
    );
  });

  it('an f-string image: a constant field is substituted (located at the constant), other fields stay placeholders', () => {
    const hf = images(scan(APP))[2];
    assert.equal(hf.image.account?.text, '763104351884');
    assert.equal(hf.image.account?.range.start.line, lineOf(APP, 'DLC_ACCOUNT ='));
    assert.equal(sliceOf(APP, hf.image.account!.range), '763104351884');
    assert.equal(hf.image.region?.text, '{self.region}');
    assert.equal(hf.image.region?.placeholder, true);
    assert.equal(hf.image.substitutedFrom?.variable, 'DLC_ACCOUNT');
    assert.equal(sliceOf(APP, hf.image.tag!.range), '1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04');
    assert.equal(hf.image.published, true);
  });

  it('Elastic Inference: the keyword form stays an SDK accelerator, the dictionary form is an accelerator reference; neither twice', () => {
    const r = scan(APP);
    const sdk = r.references.filter((x): x is SdkFrameworkReference => x.kind === 'sdk-framework');
    assert.deepEqual(sdk.map((x) => x.sdk.acceleratorType?.text), ['ml.eia2.medium']);
    const acc = r.references.filter((x): x is AcceleratorReference => x.kind === 'accelerator');
    assert.deepEqual(acc.map((x) => [x.subject, x.text, sliceOf(APP, x.range)]), [['ml.eia1.large', 'ml.eia1.large', 'ml.eia1.large']]);
  });

  it('lookalikes: from_asset, latest_amazon_linux2, AMI ids, a private ECR image, lookup and of on other objects', () => {
    const text = [
      'from aws_cdk import aws_ec2 as ec2, aws_ecs as ecs',
      'a = ecs.ContainerImage.from_asset("./docker")',
      'b = ec2.MachineImage.latest_amazon_linux2()',
      'c = ec2.MachineImage.generic_linux({"us-west-2": "ami-0abc1234def567890"})',
      'd = ecs.ContainerImage.from_registry("444455556666.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker")',
      'e = cache.lookup(name="python:3.8")',
      'f = Other.of("ml.eia2.medium")',
      'g = ecs.ContainerImage.from_registry("my-team/service:latest")',
      '',
    ].join('\n');
    const r = scan(text);
    assert.deepEqual(r.references, []);
    assert.deepEqual(r.notes, []);
  });

  it('a CDK app without SageMaker or ECR words is parsed (aws_cdk), and a base image in from_registry is found', () => {
    const text = 'from aws_cdk import aws_ecs as ecs\n\nimage = ecs.ContainerImage.from_registry("python:3.7-slim")\n';
    assert.equal(mayReferenceSageMaker(text), true);
    assert.deepEqual(images(scan(text)).map((x) => [x.subject, x.text]), [['python', 'python:3.7-slim']]);
    // the same call in a file that never mentions the CDK or an image word is not parsed
    assert.deepEqual(scan('image = ContainerImage.from_registry("python:3.7-slim")\n').references, []);
  });

  it('keyword forms and f-strings: from_dlc(repository_name=, tag=), from_registry(name=f"…"), value_from_lookup, ContainerDefinitionProperty', () => {
    const text = [
      'from aws_cdk import aws_sagemaker as sagemaker, aws_ssm as ssm',
      'REGISTRY = "763104351884.dkr.ecr.us-west-2.amazonaws.com"',
      'TAG = "2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker"',
      'def build(self):',
      '    a = ContainerImage.from_dlc(repository_name="pytorch-training", tag=TAG)',
      '    b = ecs.ContainerImage.from_registry(name=f"{REGISTRY}/pytorch-training:{TAG}")',
      '    c = ssm.StringParameter.value_from_lookup(self, "/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id")',
      '    d = sagemaker.CfnModel.ContainerDefinitionProperty(image=f"{REGISTRY}/pytorch-training:{self.tag}")',
      '    e = DeepLearningContainerImage.from_deep_learning_container_image("huggingface-pytorch-tgi-inference", "2.0.1-tgi1.1.0-gpu-py39-cu118-ubuntu20.04")',
      '',
    ].join('\n');
    const r = scan(text);
    assert.deepEqual(
      r.references.map((x) => `${x.range.start.line}:${x.kind}:${x.text}`),
      [
        '2:container-image:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', // from_dlc: the tag at the TAG constant
        '5:container-image:{REGISTRY}/pytorch-training:{TAG}', // the f-string, both fields constants
        '6:dlami:/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id',
        '7:container-image:{REGISTRY}/pytorch-training:{self.tag}',
        '8:container-image:2.0.1-tgi1.1.0-gpu-py39-cu118-ubuntu20.04',
      ],
    );
    const [, fromRegistry, withField, tgi] = images(r);
    assert.equal(fromRegistry.image.uri, '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.equal(fromRegistry.image.published, true);
    assert.equal(fromRegistry.image.tag?.range.start.line, 2, 'the tag is located at its constant');
    assert.equal(withField.image.tag?.text, '{self.tag}');
    assert.equal(withField.image.substitutedFrom?.variable, 'REGISTRY');
    assert.equal(tgi.subject, 'huggingface-tgi');
    assert.deepEqual(r.notes.map((n) => [n.range.start.line, n.message]), [[7, "'{self.tag}' could not be resolved in this file: its tag cannot be judged"]]);
  });

  it('analysis: an old tag of from_dlc is end-of-patch and the fix edits the constant; a trailing directive suppresses its rule', () => {
    const text = [
      'from aws_cdk import aws_sagemaker_alpha as sagemaker_alpha',
      'TAG = "2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker"',
      'image = sagemaker_alpha.ContainerImage.from_dlc("pytorch-training", TAG)',
      '',
    ].join('\n');
    const a = analyzeText(text, 'app.py', python(), catalog, { asOf: '2026-11-21' });
    const eop = a.findings.find((f) => f.rule === 'end-of-patch');
    assert.ok(eop);
    assert.equal(sliceOf(text, eop.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.equal(eop.range.start.line, 1);
    assert.ok(eop.fixes[0]);
    const fixed = applyEdits(text, eop.fixes[0].edits);
    assert.match(fixed.split('\n')[1], /^TAG = "\d+\.\d+\.\d+-gpu-py\d+-cu\d+-ubuntu\d+\.\d+-sagemaker"$/);
    assert.ok(!analyzeText(fixed, 'app.py', python(), catalog, { asOf: '2026-11-21' }).findings.some((f) => f.rule === 'end-of-patch'));
    const app = analyzeText(APP, 'app.py', python(), catalog, { asOf: '2026-11-21' });
    const onTraining = app.findings.filter((f) => f.range.start.line === lineOf(APP, 'TRAINING_IMAGE =')).map((f) => f.rule);
    assert.ok(onTraining.includes('end-of-patch'));
    assert.ok(!onTraining.includes('unused-suppression'));
  });

  it('the call names read here are all candidates of the scanner', () => {
    for (const n of ['from_dlc', 'from_deep_learning_container_image', 'from_registry', 'lookup', 'from_ssm_parameter', 'CfnModel', 'ContainerDefinitionProperty', 'CfnEndpointConfig']) assert.ok(CDK_CALL_NAMES.has(n), n);
  });

  describe('properties', () => {
    const pythonish = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'ContainerImage.from_dlc(', 'ecs.ContainerImage.from_registry(', 'MachineImage.lookup(name=', 'CfnModel(self, "M", primary_container={"image": ',
            'ContainerDefinitionProperty(image=', 'CfnEndpointConfig(self, "E", production_variants=[{"accelerator_type": ', '"ml.eia2.medium"', '"pytorch-inference"',
            '"2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker"', 'f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/pytorch-training:{TAG}"', 'TAG = ', 'ACCOUNT = "763104351884"\n',
            'f"', '{', '}', '{{', '\\n', ')', ']', ',', '\n', '\r\n', '\r', '    ', '#', '"""', '\u0000', '😀', 'def f(TAG):\n    return ',
          ),
          fc.string({ maxLength: 8 }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => `from aws_cdk import aws_ecs as ecs\n${parts.join('')}`);

    it('never throws, every range inside the text, on CDK-like Python', () => {
      fc.assert(fc.property(pythonish, (text) => void scan(text)), { numRuns: 500 });
    });

    it('never throws on the app mutated, cut short, with CRLF or a BOM', () => {
      const mutated = fc
        .tuple(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.string({ maxLength: 6 })), { maxLength: 6 }), fc.nat(), fc.boolean(), fc.boolean())
        .map(([edits, cut, crlf, bom]) => {
          let t = APP;
          for (const [at, del, ins] of edits) {
            const i = at % (t.length + 1);
            t = t.slice(0, i) + ins + t.slice(i + del);
          }
          if (edits.length === 0) t = t.slice(0, cut % (t.length + 1));
          if (crlf) t = t.replace(/\r?\n/g, '\r\n');
          return bom ? `\ufeff${t}` : t;
        });
      fc.assert(fc.property(mutated, (text) => void scan(text)), { numRuns: 500 });
    });

    it('a from_dlc tag written as a literal, through a constant or in an f-string is read back as written, once', () => {
      const tags = ['2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker', '1.8.1-gpu-py36-cu111-ubuntu18.04'];
      const gap = fc.constantFrom('', ' ', '\n    ', '  # note\n    ', '\r\n\t');
      fc.assert(
        fc.property(fc.constantFrom(...tags), gap, gap, fc.constantFrom('"', "'", '"""'), fc.constantFrom('literal', 'constant', 'f-string'), fc.boolean(), (tag, g1, g2, q, form, keywords) => {
          const value = form === 'constant' ? 'TAG' : form === 'f-string' ? `f${q}{TAG}${q}` : `${q}${tag}${q}`;
          const args = keywords ? `repository_name=${q}pytorch-inference${q},${g2}tag=${value}` : `${q}pytorch-inference${q},${g2}${value}`;
          const text = `from aws_cdk import aws_sagemaker_alpha as sm\nTAG = ${q}${tag}${q}\nimage = sm.ContainerImage.from_dlc(${g1}${args}${g1})\n`;
          const r = scan(text);
          const found = images(r);
          assert.equal(found.length, 1);
          assert.equal(found[0].text, tag);
          assert.equal(found[0].image.uri, `pytorch-inference:${tag}`);
          assert.equal(found[0].image.published, true);
          assert.equal(found[0].range.start.line, form === 'literal' ? found[0].range.start.line : 1);
          assert.equal(found[0].image.substitutedFrom?.variable, form === 'literal' ? undefined : 'TAG');
          assert.deepEqual(r.notes, []);
          assert.deepEqual(dlamis(r), []);
        }),
        { numRuns: 500 },
      );
    });
  });
});
