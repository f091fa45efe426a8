import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { AcceleratorReference, DlamiReference, ImageReference, Range, ScanResult } from '../../../server/src/model';
import { parsePolicy } from '../../../server/src/policy/policyFile';
import type { FileKind } from '../../../server/src/scanners/fileKinds';
import { scanTerraform } from '../../../server/src/scanners/terraform';
import { scanTerraformJson } from '../../../server/src/scanners/terraformJson';
import { initParsers } from '../../../server/src/scanners/treeSitter';
import { applyEdits, TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'terraform');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
/** 0-based line of the first line containing `needle`. */
const lineOf = (text: string, needle: string) => {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `fixture holds ${needle}`);
  return text.slice(0, at).split(/\r\n|\r|\n/).length - 1;
};
const images = (r: ScanResult) => r.references.filter((x): x is ImageReference => x.kind === 'container-image');
const dlamis = (r: ScanResult) => r.references.filter((x): x is DlamiReference => x.kind === 'dlami');
const accelerators = (r: ScanResult) => r.references.filter((x): x is AcceleratorReference => x.kind === 'accelerator');
const onLine = <T extends { range: Range }>(xs: T[], line: number) => xs.filter((x) => x.range.start.line === line);

/** Each fixture scanned once (the parser is loaded by the `before` hook of this file). */
const scans = new Map<string, { text: string; result: ScanResult }>();
const scanned = (name: string) => {
  let s = scans.get(name);
  if (!s) {
    const text = fixture(name);
    scans.set(name, (s = { text, result: name.endsWith('.json') ? scanTerraformJson(text, catalog) : scanTerraform(text, catalog) }));
  }
  return s;
};

before(async () => {
  await initParsers(['terraform']);
});

const INFERENCE_TAG = '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker';
const TRAINING_TAG = '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';
const TRAINING_URI = `763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:${TRAINING_TAG}`;
const HF_URI = '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04';

describe('Terraform scanner: SageMaker model module', () => {
  const text = fixture('sagemaker-model.tf');
  let result: ScanResult;
  before(() => {
    result = scanned('sagemaker-model.tf').result;
  });

  it('resolves a primary_container image template from variable defaults, parts pointing into the defaults', () => {
    const line = lineOf(text, 'image          = "${var.account}');
    const [img, ...rest] = onLine(images(result), line);
    assert.equal(rest.length, 0);
    assert.equal(img.text, '${var.account}.dkr.ecr.${var.region}.amazonaws.com/pytorch-inference:${var.inference_tag}');
    assert.equal(slice(text, img.range), img.text);
    assert.equal(img.image.family, 'dlc');
    assert.equal(img.subject, 'pytorch');
    assert.equal(img.version, '2.1.0');
    assert.equal(img.image.published, true);
    assert.equal(img.image.uri, `763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:${INFERENCE_TAG}`);
    // the tag is the variable's default, where a fix edits it
    const tagLine = lineOf(text, `default     = "${INFERENCE_TAG}"`);
    assert.equal(img.image.tag!.range.start.line, tagLine);
    assert.equal(slice(text, img.image.tag!.range), INFERENCE_TAG);
    assert.equal(img.image.tag!.text, INFERENCE_TAG);
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '2.1.0');
    assert.equal(img.image.parts.frameworkVersion!.range.start.line, tagLine);
    assert.deepEqual(img.image.substitutedFrom && { variable: img.image.substitutedFrom.variable, value: slice(text, img.image.substitutedFrom.range) }, { variable: 'var.inference_tag', value: INFERENCE_TAG });
    assert.equal(slice(text, img.image.account!.range), '763104351884');
    assert.equal(img.image.account!.range.start.line, lineOf(text, 'default = "763104351884"'));
    assert.equal(slice(text, img.image.region!.range), 'us-west-2');
    // the literal part of the template stays where it is written
    assert.equal(slice(text, img.image.repository.range), 'pytorch-inference');
    assert.equal(img.image.repository.range.start.line, line);
  });

  it('follows `local.x` through a chain of locals and reports the image once, at the use site', () => {
    const line = lineOf(text, 'image = local.inference_image');
    const [img, ...rest] = onLine(images(result), line);
    assert.equal(rest.length, 0);
    assert.equal(img.text, 'local.inference_image');
    assert.equal(img.image.uri, `763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:${INFERENCE_TAG}`);
    assert.equal(slice(text, img.image.tag!.range), INFERENCE_TAG);
    assert.equal(img.image.substitutedFrom?.variable, 'var.inference_tag');
    const localLine = lineOf(text, 'inference_image = "${local.registry}');
    assert.equal(img.image.repository.range.start.line, localLine);
    assert.equal(slice(text, img.image.repository.range), 'pytorch-inference');
    // the local itself is not swept a second time
    assert.deepEqual(onLine(result.references, localLine), []);
    assert.deepEqual(onLine(result.references, lineOf(text, 'registry        = ')), []);
  });

  it('reports an image written whole in a variable default once, inside the default', () => {
    const defaultLine = lineOf(text, `default = "${HF_URI}"`);
    const found = images(result).filter((i) => i.image.uri === HF_URI);
    assert.equal(found.length, 1);
    const [img] = found;
    assert.equal(img.range.start.line, defaultLine);
    assert.equal(img.text, HF_URI);
    assert.equal(img.subject, 'huggingface-pytorch');
    assert.deepEqual(img.image.substitutedFrom && { variable: img.image.substitutedFrom.variable, value: slice(text, img.image.substitutedFrom.range) }, { variable: 'var.training_image', value: HF_URI });
    // the use site is a statement, so a suppression comment above it applies to its line
    const use = lineOf(text, 'image = var.training_image');
    assert.ok(result.statements.some((s) => s.startLine === use));
  });

  it('recognises a base image in a model container', () => {
    const [img] = onLine(images(result), lineOf(text, 'image = "python:3.8-slim"'));
    assert.equal(img.image.family, 'base');
    assert.equal(img.subject, 'python');
    assert.equal(slice(text, img.image.tag!.range), '3.8-slim');
  });

  it('keeps unresolved interpolations as placeholders and says so', () => {
    const line = lineOf(text, 'image = "${data.aws_caller_identity.current.account_id}');
    const [img] = onLine(images(result), line);
    assert.equal(img.image.family, 'dlc');
    assert.equal(img.image.account?.placeholder, true);
    assert.equal(img.image.account?.text, '${data.aws_caller_identity.current.account_id}');
    assert.equal(img.image.tag?.text, '${var.custom_tag}');
    assert.equal(img.image.published, undefined);
    const notes = onLine(result.notes, line);
    assert.deepEqual(notes.map((n) => n.message), ["'${var.custom_tag}' could not be resolved in this file: its tag cannot be judged"]);
    assert.equal(slice(text, notes[0].range), img.text);
  });

  it('sweeps a local that no image attribute uses, with its placeholders', () => {
    const line = lineOf(text, 'batch_uri = ');
    const [img] = onLine(images(result), line);
    assert.equal(img.image.repository.text, 'pytorch-training');
    assert.equal(slice(text, img.image.region!.range), 'us-west-2');
    assert.equal(img.image.region!.range.start.line, lineOf(text, 'default = "us-west-2"'));
    assert.deepEqual(onLine(result.notes, line).map((n) => n.message), ["'${var.custom_tag}' could not be resolved in this file: its tag cannot be judged"]);
  });

  it('reads an Elastic Inference accelerator_type of an endpoint configuration, not other accelerators', () => {
    const [acc, ...rest] = accelerators(result);
    assert.equal(rest.length, 0);
    assert.equal(acc.text, 'ml.eia2.medium');
    assert.equal(acc.subject, 'ml.eia2.medium');
    assert.equal(acc.version, '');
    assert.equal(slice(text, acc.range), 'ml.eia2.medium');
    assert.equal(acc.range.start.line, lineOf(text, 'accelerator_type       = "ml.eia2.medium"'));
  });

  it('finds images in jsonencode container definitions and heredocs, not private images', () => {
    const ecs = onLine(images(result), lineOf(text, 'image     = "${local.registry}/pytorch-training:${var.training_tag}"'));
    assert.equal(ecs.length, 1);
    assert.equal(ecs[0].text, '${local.registry}/pytorch-training:${var.training_tag}');
    assert.equal(ecs[0].image.uri, TRAINING_URI.replace('us-east-1', 'us-west-2'));
    assert.equal(slice(text, ecs[0].image.tag!.range), TRAINING_TAG);
    assert.equal(ecs[0].image.substitutedFrom?.variable, 'var.training_tag');
    const legacy = '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker';
    const [heredoc] = onLine(images(result), lineOf(text, legacy));
    assert.equal(heredoc.text, legacy);
    assert.equal(heredoc.version, '1.13.1');
    assert.ok(!result.references.some((r) => r.text.includes('123456789012')), 'a private account is not a DLC registry');
  });

  it('ignores lookalikes: AMI ids and image attributes of other resources', () => {
    assert.deepEqual(onLine(result.references, lineOf(text, 'image  = "ubuntu-20-04-x64"')), []);
    assert.deepEqual(onLine(result.references, lineOf(text, 'image = "debian-cloud/debian-11"')), []);
    assert.deepEqual(onLine(result.references, lineOf(text, 'ami           = "ami-0abcdef1234567890"')), []);
    assert.equal(result.references.length, 9, result.references.map((r) => r.text).join('\n'));
  });

  it('returns comments of every syntax and one statement per attribute holding a reference', () => {
    assert.deepEqual(
      result.comments.map((c) => [c.text, c.range.start.line, c.standalone]),
      [
        [' SageMaker inference endpoint for the ranking model.', 0, true],
        [' sidecar image, not a DLC', lineOf(text, '// sidecar'), true],
        [' the batch image is built by another pipeline ', lineOf(text, '/* the batch'), true],
        [' dl-lifecycle: ignore os-end-of-life -- base OS upgrade planned', lineOf(text, '# dl-lifecycle'), true],
      ],
    );
    const block = result.comments[2];
    assert.equal(slice(text, block.range), '/* the batch image is built by another pipeline */');
    for (const ref of result.references) assert.ok(result.statements.some((s) => s.startLine <= ref.range.start.line && ref.range.start.line <= s.endLine), `statement of ${ref.text}`);
    const heredoc = result.statements.find((s) => s.startLine === lineOf(text, 'container_definitions = <<-EOT'));
    assert.deepEqual(heredoc, { startLine: lineOf(text, 'container_definitions = <<-EOT'), endLine: lineOf(text, '  EOT') });
  });
});

describe('Terraform scanner: aws_sagemaker_prebuilt_ecr_image', () => {

  it('judges repository_name and image_tag together, each with its own range', () => {
    const { text, result } = scanned('prebuilt-image.tf');
    const literalTag = '1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker';
    const [lit] = images(result).filter((i) => i.image.tag?.text === literalTag);
    assert.equal(lit.text, literalTag);
    assert.equal(slice(text, lit.range), literalTag);
    assert.equal(lit.range.start.line, lineOf(text, `image_tag       = "${literalTag}"`));
    assert.equal(slice(text, lit.image.repository.range), 'pytorch-inference');
    assert.equal(lit.image.repository.range.start.line, lineOf(text, 'repository_name = "pytorch-inference"'));
    assert.equal(lit.image.uri, `pytorch-inference:${literalTag}`);
    assert.equal(lit.image.registry, undefined);
    assert.equal(lit.version, '1.13.1');
    assert.equal(lit.image.published, true);
  });

  it('takes a tag from a variable default, and notes a tag it cannot resolve', () => {
    const { text, result } = scanned('prebuilt-image.tf');
    const [fromVar] = images(result).filter((i) => i.image.substitutedFrom);
    assert.equal(fromVar.image.substitutedFrom!.variable, 'var.framework_tag');
    assert.equal(fromVar.range.start.line, lineOf(text, `default = "${INFERENCE_TAG}"`));
    assert.equal(slice(text, fromVar.image.tag!.range), INFERENCE_TAG);
    assert.equal(fromVar.version, '2.1.0');
    const unresolvedLine = lineOf(text, 'image_tag       = "${var.release}');
    const [unresolved] = onLine(images(result), unresolvedLine);
    assert.equal(unresolved.image.repository.text, 'pytorch-training');
    assert.equal(unresolved.image.published, undefined);
    assert.deepEqual(result.notes.map((n) => [n.message, n.range.start.line]), [["'${var.release}' could not be resolved in this file: its tag cannot be judged", unresolvedLine]]);
    assert.equal(slice(text, result.notes[0].range), '${var.release}-gpu-py310-cu121-ubuntu20.04-sagemaker');
    // a first-party algorithm repository is not a DLC; the model's registry_path is judged at the data source
    assert.equal(images(result).length, 3);
  });
});

describe('Terraform scanner: a prebuilt image it cannot resolve', () => {
  before(async () => {
    await initParsers(['terraform']);
  });

  it('names the expressions it cannot resolve (a conditional local, a map lookup) in one note at the tag', () => {
    const text = [
      'locals {',
      '  repository_name = var.pytorch_version != null ? "huggingface-pytorch-inference" : "huggingface-tensorflow-inference"',
      '}',
      'data "aws_sagemaker_prebuilt_ecr_image" "deploy_image" {',
      '  repository_name = local.repository_name',
      '  image_tag       = local.tags[local.image_key]',
      '}',
      '',
    ].join('\n');
    const r = scanTerraform(text, catalog);
    assert.deepEqual(images(r), []);
    assert.equal(r.notes.length, 1);
    assert.equal(r.notes[0].range.start.line, 5);
    assert.equal(slice(text, r.notes[0].range), 'local.tags[local.image_key]');
    assert.match(r.notes[0].message, /^'local\.repository_name', image_tag = 'local\.tags\[local\.image_key\]' could not be resolved in this file: the prebuilt image cannot be judged$/);
  });
});

describe('Terraform scanner: DLAMI data sources', () => {
  const text = fixture('dlami.tf');
  let result: ScanResult;
  before(() => {
    result = scanned('dlami.tf').result;
  });

  it('reads each value of a name filter as a whole DLAMI filter, not other filters or owners', () => {
    const [f] = onLine(dlamis(result), lineOf(text, 'values = ["Deep Learning AMI GPU PyTorch 2.0.1'));
    assert.equal(f.text, 'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *');
    assert.equal(f.dlami.form, 'filter');
    assert.equal(f.subject, 'gpu-pytorch');
    assert.equal(slice(text, f.dlami.parts.frameworkVersion!.range), '2.0.1');
    const [conda, ...rest] = onLine(dlamis(result), lineOf(text, 'Version 60.*'));
    assert.equal(rest.length, 0);
    assert.equal(conda.subject, 'conda-multi-framework');
    assert.deepEqual(onLine(result.references, lineOf(text, '"amzn2-ami-hvm-*"')), []);
    assert.deepEqual(onLine(result.references, lineOf(text, 'owners      = ["898082745236"]')), []);
  });

  it('reads a simple name_regex with escapes, each part pointing at what is written', () => {
    const line = lineOf(text, 'Nvidia Driver AMI GPU PyTorch 2\\\\.1');
    const [r] = onLine(dlamis(result), line);
    assert.equal(r.subject, 'oss-nvidia-driver-gpu-pytorch');
    assert.equal(r.version, '2.1.0');
    assert.equal(r.dlami.parts.frameworkVersion!.text, '2.1.0');
    assert.equal(slice(text, r.dlami.parts.frameworkVersion!.range), '2\\\\.1\\\\.0');
    assert.equal(r.dlami.parts.os!.text, 'Ubuntu 20.04');
    assert.equal(slice(text, r.range), r.text);
    assert.ok(r.text.startsWith('Deep Learning OSS Nvidia Driver AMI'), 'the anchor ^ is not part of the name');
  });

  it('reads a name_regex that leaves the OS to `.*`, and skips a regex that is not simple', () => {
    const [loose] = onLine(dlamis(result), lineOf(text, 'name_regex  = "^Deep Learning AMI GPU PyTorch 2\\\\.0\\\\.1 .*"'));
    assert.equal(loose.subject, 'gpu-pytorch');
    assert.equal(loose.version, '2.0.1');
    assert.equal(slice(text, loose.dlami.parts.os!.range), '.*');
    assert.deepEqual(onLine(result.references, lineOf(text, '\\\\d+')), []);
    assert.deepEqual(onLine(result.notes, lineOf(text, '\\\\d+')), []);
  });

  it('substitutes a variable into a filter value', () => {
    const [t] = onLine(dlamis(result), lineOf(text, 'PyTorch ${var.dlami_version}'));
    assert.equal(t.version, '2.0.1');
    assert.equal(t.dlami.parts.frameworkVersion!.range.start.line, lineOf(text, 'default = "2.0.1"'));
    assert.equal(slice(text, t.dlami.parts.frameworkVersion!.range), '2.0.1');
  });

  it('reads SSM parameter names and resolve:ssm: strings, not AMI ids', () => {
    const path = '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id';
    const ssm = dlamis(result).filter((d) => d.dlami.form === 'ssm-parameter');
    assert.deepEqual(ssm.map((d) => d.range.start.line), [lineOf(text, `name = "${path}"`), lineOf(text, 'resolve:ssm:')]);
    for (const d of ssm) {
      assert.equal(d.text, path);
      assert.equal(slice(text, d.range), path);
      assert.equal(d.version, '2.1');
    }
    assert.deepEqual(onLine(result.references, lineOf(text, 'ami-0abc1234def567890')), []);
    assert.equal(result.references.length, 7);
  });
});

describe('Terraform scanner: Packer templates and tfvars', () => {

  it('reads source_ami_filter and amazon-ami filters, and strings of provisioners', () => {
    const { text, result } = scanned('dlami.pkr.hcl');
    assert.deepEqual(
      result.references.map((r) => [r.kind, r.subject, r.range.start.line]),
      [
        ['dlami', 'oss-nvidia-driver-gpu-pytorch', lineOf(text, 'name                = "Deep Learning OSS')],
        ['dlami', 'gpu-pytorch', lineOf(text, '"name" = "Deep Learning AMI GPU')],
        ['container-image', 'pytorch', lineOf(text, 'docker pull')],
      ],
    );
    for (const r of result.references) assert.equal(slice(text, r.range), r.text);
    assert.deepEqual(result.comments.map((c) => c.text), [' Base the training image on the PyTorch DLAMI.']);
  });

  it('recognises image keys of a tfvars file whole and sweeps the other strings', () => {
    const { text, result } = scanned('prod.tfvars');
    assert.deepEqual(
      result.references.map((r) => [r.kind, r.subject, r.range.start.line, r.kind === 'container-image' ? r.image.family : r.kind]),
      [
        ['container-image', 'pytorch', lineOf(text, 'inference_image'), 'dlc'],
        ['container-image', 'python', lineOf(text, 'image_uri'), 'base'],
        ['container-image', 'huggingface-pytorch', lineOf(text, 'notes'), 'dlc'],
        ['dlami', 'oss-nvidia-driver-gpu-pytorch', lineOf(text, 'ami_ssm_path'), 'dlami'],
      ],
    );
    const [, base] = result.references;
    assert.equal(slice(text, base.range), 'python:3.7-slim');
  });
});

describe('Terraform JSON scanner', () => {
  const { text, result } = scanned('model.tf.json');

  it('resolves a model image template from a local and a variable default', () => {
    const line = lineOf(text, '"image": "${local.registry}');
    const [img] = onLine(images(result), line);
    assert.equal(img.text, '${local.registry}/pytorch-inference:${var.inference_tag}');
    assert.equal(img.image.uri, `763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:${INFERENCE_TAG}`);
    assert.equal(slice(text, img.image.tag!.range), INFERENCE_TAG);
    assert.equal(img.image.tag!.range.start.line, lineOf(text, `"default": "${INFERENCE_TAG}"`));
    assert.equal(img.image.substitutedFrom?.variable, 'var.inference_tag');
    assert.equal(slice(text, img.image.account!.range), '763104351884');
    assert.equal(img.image.account!.range.start.line, lineOf(text, '"registry":'));
    assert.equal(slice(text, img.image.region!.range), 'us-west-2');
  });

  it('reads aws_ami filters, a name_regex, a prebuilt image and an accelerator', () => {
    const [filter] = onLine(dlamis(result), lineOf(text, '"values": ["Deep Learning AMI'));
    assert.equal(filter.version, '2.0.1');
    const [regex] = onLine(dlamis(result), lineOf(text, '"name_regex"'));
    assert.equal(regex.dlami.parts.os!.text, 'Amazon Linux 2');
    assert.equal(slice(text, regex.dlami.parts.frameworkVersion!.range), '2\\\\.0\\\\.1');
    const prebuilt = images(result).filter((i) => i.image.uri === `pytorch-inference:${INFERENCE_TAG}`);
    assert.equal(prebuilt.length, 1);
    assert.equal(prebuilt[0].image.substitutedFrom?.variable, 'var.inference_tag');
    assert.equal(slice(text, prebuilt[0].image.repository.range), 'pytorch-inference');
    assert.deepEqual(accelerators(result).map((a) => [a.text, slice(text, a.range)]), [['ml.eia1.medium', 'ml.eia1.medium']]);
  });

  it('finds an image in a JSON string holding escaped JSON, with its exact range', () => {
    const [img] = onLine(images(result), lineOf(text, '"container_definitions"'));
    assert.equal(img.text, TRAINING_URI);
    assert.equal(slice(text, img.image.tag!.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.deepEqual(onLine(result.references, lineOf(text, '"ami": "ami-')), []);
    assert.equal(result.references.length, 6);
  });

  it('reads a "//" property as a comment that suppresses findings of the next statement', () => {
    assert.deepEqual(result.comments.map((c) => c.text), ['dl-lifecycle: ignore superseded-patch']);
    const c = result.comments[0];
    assert.equal(slice(text, c.range), '"//": "dl-lifecycle: ignore superseded-patch"');
    assert.ok(c.standalone);
    const next = result.statements.find((s) => s.startLine > c.range.end.line);
    assert.equal(next?.startLine, lineOf(text, '"image": "${local.registry}'));
  });
});

describe('Terraform scanner: broken files and options', () => {

  it('still reads what tree-sitter recovered from unterminated strings and braces', () => {
    const text = [
      'locals {',
      `  a = "unterminated ${TRAINING_URI}`,
      '}',
      'resource "aws_sagemaker_model" "m" {',
      '  primary_container {',
      `    image = "${HF_URI}"`,
      '    x = [1, 2',
      '',
    ].join('\n');
    const result = scanTerraform(text, catalog);
    const found = images(result).map((i) => [i.image.uri, i.range.start.line]);
    assert.deepEqual(found, [
      [TRAINING_URI, 1],
      [HF_URI, 5],
    ]);
    for (const r of result.references) assert.equal(slice(text, r.range), r.text);
  });

  it('finds references written in text that no string holds after a syntax error', () => {
    const text = `locals {\n  c = "x\n}\nresource "x" "y" {\n  image = "${TRAINING_URI}"\n  d = [1, 2\n`;
    const result = scanTerraform(text, catalog);
    assert.ok(images(result).some((i) => i.image.uri === TRAINING_URI && slice(text, i.range) === TRAINING_URI), JSON.stringify(result.references.map((r) => r.text)));
  });

  it('recognises internal images through the policy mappings', () => {
    const { policy } = parsePolicy('[[images]]\npattern = "123456789012.dkr.ecr.*.amazonaws.com/ml-base:{framework_version}-gpu-{python}"\nframework = "pytorch"\n', '.dl-lifecycle.toml', 'dl-lifecycle-toml');
    const text = 'resource "aws_sagemaker_model" "m" {\n  primary_container {\n    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml-base:1.13.1-gpu-py39"\n  }\n}\n';
    assert.deepEqual(scanTerraform(text, catalog).references, []);
    const [img] = images(scanTerraform(text, catalog, { mappings: policy!.images }));
    assert.equal(img.image.family, 'mapped');
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '1.13.1');
  });

  it('keeps function calls and template directives as placeholders, naming what keeps an image from being read', () => {
    const text = [
      'resource "aws_sagemaker_model" "m" {',
      '  container {',
      '    image = "763104351884.dkr.ecr.${lower(var.region)}.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker"',
      '  }',
      '  container {',
      '    image = "763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:%{ if var.gpu }2.1.0-gpu%{ else }2.1.0-cpu%{ endif }-py310-ubuntu20.04-sagemaker"',
      '  }',
      '}',
      '',
    ].join('\n');
    const result = scanTerraform(text, catalog);
    const [img, ...rest] = images(result);
    assert.equal(rest.length, 0);
    assert.equal(img.range.start.line, 2);
    assert.deepEqual(img.image.region && [img.image.region.text, img.image.region.placeholder], ['${lower(var.region)}', true]);
    assert.equal(img.version, '2.1.0');
    assert.deepEqual(
      result.notes.map((n) => [n.message, n.range.start.line]),
      [["'%{ if var.gpu }2.1.0-gpu%{ else }2.1.0-cpu%{ endif }' could not be resolved in this file: the image cannot be read", 5]],
    );
  });

  it('notes a model image it cannot resolve at all (not a null one)', () => {
    const text = 'variable "image" {}\nresource "aws_sagemaker_model" "m" {\n  container {\n    image = var.image\n  }\n  container {\n    image = lookup(var.images, "gpu")\n  }\n  container {\n    image = null\n  }\n}\n';
    const result = scanTerraform(text, catalog);
    assert.deepEqual(result.references, []);
    assert.deepEqual(
      result.notes.map((n) => [n.message, slice(text, n.range)]),
      [
        ["'var.image' could not be resolved in this file: the image cannot be judged", 'var.image'],
        [`'lookup(var.images, "gpu")' could not be resolved in this file: the image cannot be judged`, 'lookup(var.images, "gpu")'],
      ],
    );
  });
});

describe('Terraform scanner: analysis', () => {

  it('an old PyTorch DLC gets end-of-patch, and its whole-tag fix edits the variable default', () => {
    const kind: FileKind = { id: 'terraform', languageIds: [], patterns: [], lineComment: '#', scan: (t, c, _p, o) => scanTerraform(t, c, { mappings: o?.mappings }), includesAreLocal: false };
    const text = fixture('sagemaker-model.tf');
    const analysis = analyzeText(text, 'main.tf', kind, catalog, { asOf: '2026-11-21' });
    const useLine = lineOf(text, 'image     = "${local.registry}/pytorch-training:${var.training_tag}"');
    const eop = analysis.findings.find((f) => f.rule === 'end-of-patch' && f.range.start.line === useLine);
    assert.ok(eop, analysis.findings.map((f) => `${f.rule}@${f.range.start.line}`).join(' '));
    assert.match(eop.message, /PyTorch 2\.1/);
    const fix = eop.fixes.find((f) => f.edits.length === 1 && slice(text, f.edits[0].range) === TRAINING_TAG);
    assert.ok(fix, eop.fixes.map((f) => f.title).join('\n'));
    const defaultLine = lineOf(text, `default = "${TRAINING_TAG}"`);
    assert.equal(fix.edits[0].range.start.line, defaultLine);
    const fixed = applyEdits(text, fix.edits);
    assert.notEqual(fixed.split('\n')[defaultLine], text.split('\n')[defaultLine], 'the default holds the new tag');
    assert.equal(fixed.split('\n')[useLine], text.split('\n')[useLine], 'the template is left as written');
    const rescanned = scanTerraform(fixed, catalog).references.find((r) => r.range.start.line === useLine);
    assert.ok(rescanned?.kind === 'container-image' && rescanned.image.tag?.text === fix.edits[0].newText);
    // the image written in the model's template from the same registry gets its finding where it is written
    const modelLine = lineOf(text, 'image          = "${var.account}');
    assert.ok(analysis.findings.some((f) => f.rule === 'end-of-patch' && f.range.start.line === modelLine));
    // the suppression comment above the model's image applies to its statement
    assert.ok(!analysis.findings.some((f) => f.rule === 'os-end-of-life' && f.range.start.line === modelLine));
    assert.ok(analysis.findings.some((f) => f.rule === 'os-end-of-life' && f.range.start.line === useLine));
    assert.ok(!analysis.findings.some((f) => f.rule === 'unused-suppression'));
  });
});
