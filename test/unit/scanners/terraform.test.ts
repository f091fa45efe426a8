import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { AcceleratorReference, DlamiReference, Finding, ImageReference, Range, ScanResult, SdkFrameworkReference } from '../../../server/src/model';
import { parsePolicy } from '../../../server/src/policy/policyFile';
import type { FileKind } from '../../../server/src/scanners/fileKinds';
import { scanPython } from '../../../server/src/scanners/python/sagemakerSdk';
import { MAX_ALTERNATIVES, scanTerraform } from '../../../server/src/scanners/terraform';
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
const sdkCalls = (r: ScanResult) => r.references.filter((x): x is SdkFrameworkReference => x.kind === 'sdk-framework');
/** The range of the first `needle` in `text` (after `from`), for comparing with a reference's range. */
const rangeOf = (text: string, needle: string, from = 0): Range => {
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `text holds ${needle}`);
  const idx = new TextIndex(text);
  return { start: idx.positionAt(at), end: idx.positionAt(at + needle.length) };
};
const TERRAFORM_KIND: FileKind = { id: 'terraform', languageIds: [], patterns: [], lineComment: '#', scan: (t, c, _p, o) => scanTerraform(t, c, { mappings: o?.mappings }), includesAreLocal: false };
const PYTHON_KIND: FileKind = { id: 'python', languageIds: [], patterns: [], lineComment: '#', scan: (t, c) => scanPython(t, c), includesAreLocal: false };
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
  await initParsers(['terraform', 'python']);
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
    assert.deepEqual(result.notes.map((n) => [n.message, n.range.start.line]), [["'${var.release}' could not be resolved in this file: the parts of the tag around it are judged, the image as a whole is not", unresolvedLine]]);
    assert.equal(slice(text, result.notes[0].range), '${var.release}-gpu-py310-cu121-ubuntu20.04-sagemaker');
    // a first-party algorithm repository is not a DLC; the model's registry_path is judged at the data source
    assert.equal(images(result).length, 3);
  });
});

describe('Terraform scanner: a prebuilt image it cannot resolve', () => {
  before(async () => {
    await initParsers(['terraform']);
  });

  it('names what it cannot resolve (a map that is not in the file) in one note at the tag; the conditional repository is read', () => {
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
    assert.equal(r.notes[0].message, "image_tag = 'local.tags[local.image_key]' could not be resolved in this file: the prebuilt image cannot be judged");
  });

  it('still names a repository variable without a default', () => {
    const text = 'data "aws_sagemaker_prebuilt_ecr_image" "d" {\n  repository_name = var.repo\n  image_tag       = var.gpu ? "2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker" : "2.1.0-cpu-py310-ubuntu20.04-sagemaker"\n}\n';
    const r = scanTerraform(text, catalog);
    assert.deepEqual(images(r), []);
    assert.deepEqual(r.notes.map((n) => [n.message, slice(text, n.range)]), [["'var.repo' could not be resolved in this file: the prebuilt image cannot be judged", slice(text, { start: { line: 2, character: 20 }, end: { line: 2, character: text.split('\n')[2].length } })]]);
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

describe('Terraform scanner: values that choose (Hugging Face endpoint module)', () => {
  const text = fixture('hf-endpoint-module.tf');
  let result: ScanResult;
  before(() => {
    result = scanned('hf-endpoint-module.tf').result;
  });
  const MAP_VALUES = {
    pytorch: ['1.9.1-transformers${var.transformers_version}-gpu-py38-cu111-ubuntu20.04', '1.13.1-transformers${var.transformers_version}-gpu-py39-cu117-ubuntu20.04', '1.13.1-transformers4.26.0-cpu-py39-ubuntu20.04'],
    tensorflow: ['2.6.3-transformers${var.transformers_version}-gpu-py38-cu112-ubuntu20.04'],
  };

  it('reports every value of the tag maps once, where it is written, with the repository of its framework', () => {
    const prebuilt = images(result).filter((i) => !i.image.registry);
    assert.equal(prebuilt.length, MAP_VALUES.pytorch.length + MAP_VALUES.tensorflow.length);
    const repoLine = lineOf(text, 'repository_name   = var.pytorch_version');
    for (const [framework, values] of Object.entries(MAP_VALUES)) {
      for (const value of values) {
        const found = prebuilt.filter((i) => i.text === value);
        assert.equal(found.length, 1, value);
        const [img] = found;
        assert.deepEqual(img.range, rangeOf(text, value));
        assert.equal(img.image.repository.text, `huggingface-${framework}-inference`);
        assert.equal(img.image.repository.range.start.line, repoLine);
        assert.equal(slice(text, img.image.repository.range), `huggingface-${framework}-inference`);
        assert.equal(img.subject, `huggingface-${framework}`);
      }
    }
  });

  it('keeps a transformers version without a default as a placeholder, with a note at that tag naming it', () => {
    const templated = images(result).filter((i) => i.text.includes('${var.transformers_version}'));
    assert.equal(templated.length, 3);
    for (const img of templated) {
      assert.equal(img.image.published, undefined);
      assert.equal(img.image.tag?.text, img.text);
      // the parts outside the placeholder are read (and judged); the transformers version is not
      assert.equal(img.version, img.text.split('-')[0]);
      assert.equal(slice(text, img.image.parts.frameworkVersion!.range), img.version);
      assert.ok(img.image.parts.python && img.image.parts.os);
      assert.equal(img.image.parts.transformersVersion, undefined);
      const notes = result.notes.filter((n) => n.range.start.line === img.range.start.line);
      assert.deepEqual(notes.map((n) => [n.message, slice(text, n.range)]), [["'${var.transformers_version}' could not be resolved in this file: the parts of the tag around it are judged, the image as a whole is not", img.text]]);
    }
    assert.equal(result.notes.length, 3, result.notes.map((n) => n.message).join('\n'));
  });

  it('judges a map value written in full: published, its version, substituted from the map element', () => {
    const [img] = images(result).filter((i) => i.text === '1.13.1-transformers4.26.0-cpu-py39-ubuntu20.04');
    assert.equal(img.image.published, true);
    assert.equal(img.version, '1.13.1');
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '1.13.1');
    assert.equal(img.image.parts.frameworkVersion!.range.start.line, lineOf(text, '"1.13.1-cpu" ='));
    assert.equal(img.image.substitutedFrom?.variable, 'local.pytorch_image_tag["1.13.1-cpu"]');
    assert.equal(slice(text, img.image.substitutedFrom!.range), img.text);
  });

  it('judges each branch of a conditional model image where it is written, and reports nothing twice', () => {
    const line = lineOf(text, 'image = var.use_gpu ?');
    const branches = onLine(images(result), line);
    assert.deepEqual(branches.map((i) => [i.version, i.image.tag?.text]), [
      ['1.13.1', '1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04'],
      ['1.9.1', '1.9.1-transformers4.12.3-cpu-py38-ubuntu20.04'],
    ]);
    for (const img of branches) assert.equal(slice(text, img.range), img.image.uri);
    assert.notDeepEqual(branches[0].range, branches[1].range);
    // a conditional instance type is no accelerator, the prebuilt image's registry_path no image
    assert.deepEqual(onLine(result.references, lineOf(text, 'instance_type          = var.use_gpu')), []);
    assert.equal(result.references.length, 6, result.references.map((r) => r.text).join('\n'));
    assert.ok(result.statements.some((st) => st.startLine === lineOf(text, 'image_tag       = var.pytorch_version')));
  });
});

describe('Terraform scanner: values that choose', () => {
  const GPU_TAG = '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';
  const CPU_TAG = '2.1.0-cpu-py310-ubuntu20.04-sagemaker';

  it('pairs a tag with the repository chosen by the same condition, else with the first that publishes it', () => {
    const block = (repoCondition: string) =>
      `data "aws_sagemaker_prebuilt_ecr_image" "d" {\n  repository_name = ${repoCondition} ? "pytorch-training" : "pytorch-inference"\n  image_tag       = var.gpu ? "${GPU_TAG}" : "${CPU_TAG}"\n}\n`;
    const paired = (t: string) => images(scanTerraform(t, catalog)).map((i) => [i.image.tag?.text, i.image.repository.text, i.image.published]);
    assert.deepEqual(paired(block('var.gpu')), [
      [GPU_TAG, 'pytorch-training', true],
      [CPU_TAG, 'pytorch-inference', true],
    ]);
    // another condition: both repositories publish the CPU tag, the first is taken
    assert.deepEqual(paired(block('var.train')), [
      [GPU_TAG, 'pytorch-training', true],
      [CPU_TAG, 'pytorch-training', true],
    ]);
  });

  it('prefers the repository that publishes a templated tag when conditions do not tell', () => {
    const text = [
      'locals {',
      '  repo = var.framework == "pytorch" ? "huggingface-pytorch-inference" : "huggingface-tensorflow-inference"',
      '  tags = {',
      '    tf = "2.6.3-transformers${var.tv}-gpu-py38-cu112-ubuntu20.04"',
      '    pt = "1.9.1-transformers${var.tv}-gpu-py38-cu111-ubuntu20.04"',
      '  }',
      '}',
      'data "aws_sagemaker_prebuilt_ecr_image" "d" {',
      '  repository_name = local.repo',
      '  image_tag       = local.tags[var.key]',
      '}',
      '',
    ].join('\n');
    const found = images(scanTerraform(text, catalog));
    assert.deepEqual(found.map((i) => [i.range.start.line, i.image.repository.text]), [
      [3, 'huggingface-tensorflow-inference'],
      [4, 'huggingface-pytorch-inference'],
    ]);
  });

  it('selects map elements by a key it can read: literal, attribute, lookup with its fallback, and notes a missing key', () => {
    const uri = (tag: string) => `763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${tag}`;
    const text = [
      'variable "images" {',
      '  default = {',
      `    gpu = "${uri(GPU_TAG)}"`,
      `    cpu = "${uri(CPU_TAG)}"`,
      '  }',
      '}',
      'variable "kind" {',
      '  default = "cpu"',
      '}',
      'resource "aws_sagemaker_model" "m" {',
      '  container {',
      '    image = var.images["gpu"]',
      '  }',
      '  container {',
      '    image = var.images.cpu',
      '  }',
      '  container {',
      '    image = lookup(var.images, var.kind, "python:3.10")',
      '  }',
      '  container {',
      '    image = lookup(var.images, var.missing, "python:3.10")',
      '  }',
      '  container {',
      '    image = var.images["missing"]',
      '  }',
      '}',
      '',
    ].join('\n');
    const r = scanTerraform(text, catalog);
    // each element is reported once, where it is written, whichever container chose it
    assert.deepEqual(images(r).map((i) => [i.range.start.line, i.text]), [
      [2, uri(GPU_TAG)],
      [3, uri(CPU_TAG)],
      [20, 'python:3.10'],
    ]);
    assert.deepEqual(images(r).map((i) => slice(text, i.range)), images(r).map((i) => i.text));
    assert.equal(images(r)[0].image.substitutedFrom?.variable, 'var.images["gpu"]');
    assert.deepEqual(r.notes.map((n) => [n.range.start.line, n.message]), [[23, `'var.images["missing"]' could not be resolved in this file: the image cannot be judged`]]);
  });

  it('reads `a ? x : b ? y : z` as three values, and conditions written alike choose together', () => {
    const INFERENCE_GPU = '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker';
    const text = [
      'data "aws_sagemaker_prebuilt_ecr_image" "d" {',
      '  repository_name = "pytorch-training"',
      `  image_tag       = var.a ? "${GPU_TAG}" : var.b ? "${CPU_TAG}" : "${INFERENCE_GPU}"`,
      '}',
      'resource "aws_sagemaker_model" "m" {',
      '  container {',
      '    image = "763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-${var.gpu ? "gpu" : "cpu"}-py310-${var.gpu ? "cu121-" : ""}ubuntu20.04-sagemaker"',
      '  }',
      '}',
      '',
    ].join('\n');
    const r = scanTerraform(text, catalog);
    assert.deepEqual(onLine(images(r), 2).map((i) => [i.text, slice(text, i.range), i.image.published]), [
      [GPU_TAG, GPU_TAG, true],
      [CPU_TAG, CPU_TAG, true],
      [INFERENCE_GPU, INFERENCE_GPU, false],
    ]);
    // two alternatives, not four: the second `var.gpu` takes the branch the first one took
    assert.deepEqual(onLine(images(r), 6).map((i) => [i.image.uri.split(':')[1], i.image.published]), [
      [GPU_TAG, true],
      [CPU_TAG, true],
    ]);
  });

  it('maps an element chosen inside a longer template to the template, its tag to the map', () => {
    const text = [
      'locals {',
      `  tags = { gpu = "${GPU_TAG}", cpu = "${CPU_TAG}" }`,
      '}',
      'resource "aws_sagemaker_model" "m" {',
      '  container {',
      '    image = "763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${local.tags[var.kind]}"',
      '  }',
      '}',
      '',
    ].join('\n');
    const found = images(scanTerraform(text, catalog));
    assert.equal(found.length, 2);
    for (const img of found) {
      assert.equal(img.text, '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${local.tags[var.kind]}');
      assert.deepEqual(img.range, rangeOf(text, img.text));
      assert.equal(img.image.tag!.range.start.line, 1);
      assert.equal(slice(text, img.image.tag!.range), img.image.tag!.text);
    }
    assert.deepEqual(found.map((i) => i.image.tag!.text), [GPU_TAG, CPU_TAG]);
  });

  it(`judges at most ${MAX_ALTERNATIVES} alternatives and says so`, () => {
    const text = [
      'locals {',
      '  a = var.w ? "1" : var.x ? "2" : var.y ? "3" : "4"',
      '  b = var.p ? "0" : var.q ? "1" : var.r ? "2" : "3"',
      '  c = var.s ? "0" : var.t ? "1" : "2"',
      '}',
      'data "aws_sagemaker_prebuilt_ecr_image" "d" {',
      '  repository_name = "pytorch-inference"',
      '  image_tag       = "2.${local.a}.${local.b}${local.c}-gpu-py310-cu118-ubuntu20.04-sagemaker"',
      '}',
      '',
    ].join('\n');
    const r = scanTerraform(text, catalog);
    // 4 × 4 × 3 = 48 alternatives
    assert.equal(images(r).length, MAX_ALTERNATIVES);
    assert.equal(new Set(images(r).map((i) => i.version)).size, MAX_ALTERNATIVES);
    assert.equal(r.notes.length, 1);
    assert.ok(r.notes[0].message.startsWith(`'"2.\${local.a}.\${local.b}`), r.notes[0].message);
    assert.ok(r.notes[0].message.endsWith(`…' has more than ${MAX_ALTERNATIVES} alternatives: only the first ${MAX_ALTERNATIVES} are judged`), r.notes[0].message);
    assert.equal(r.notes[0].range.start.line, 7);
  });

  it('skips a null branch and names a branch it cannot read', () => {
    const text = `resource "aws_sagemaker_model" "m" {\n  container {\n    image = var.custom ? var.custom_image : null\n  }\n  container {\n    image = var.gpu ? "${TRAINING_URI}" : null\n  }\n}\n`;
    const r = scanTerraform(text, catalog);
    assert.deepEqual(images(r).map((i) => [i.range.start.line, i.text]), [[5, TRAINING_URI]]);
    assert.deepEqual(r.notes.map((n) => [n.message, slice(text, n.range)]), [["'var.custom_image' could not be resolved in this file: the image cannot be judged", 'var.custom ? var.custom_image : null']]);
  });
});

describe('Terraform scanner: SageMaker Hugging Face module', () => {
  const text = fixture('hf-callers.tf');
  let result: ScanResult;
  before(() => {
    result = scanned('hf-callers.tf').result;
  });
  const call = (name: string) => {
    const found = sdkCalls(result).filter((r) => r.sdk.call === `module.${name}`);
    assert.equal(found.length, 1, name);
    return found[0];
  };

  it('reads a registry module like HuggingFaceModel, each argument at its literal', () => {
    const ref = call('sentiment');
    assert.equal(ref.subject, 'huggingface-pytorch');
    assert.equal(ref.version, '1.9.1');
    assert.equal(ref.text, 'sentiment');
    assert.deepEqual(ref.range, rangeOf(text, 'sentiment'));
    assert.deepEqual(ref.sdk.callRange, ref.range);
    assert.equal(ref.sdk.framework, 'huggingface');
    assert.equal(ref.sdk.job, 'inference');
    const args = text.indexOf('module "sentiment"');
    assert.deepEqual(ref.sdk.baseFrameworkVersion, { text: '1.9.1', range: rangeOf(text, '1.9.1', args), framework: 'pytorch' });
    assert.deepEqual(ref.sdk.transformersVersion, { text: '4.12.3', range: rangeOf(text, '4.12.3', args) });
    assert.deepEqual(ref.sdk.instanceType, { text: 'ml.g4dn.xlarge', range: rangeOf(text, 'ml.g4dn.xlarge', args) });
    assert.equal(ref.sdk.pyVersion, undefined);
    assert.equal(ref.sdk.resolvedFrom, undefined);
    for (const needle of ['module "sentiment"', 'pytorch_version      = "1.9.1"', 'transformers_version = "4.12.3"']) {
      assert.ok(result.statements.some((st) => st.startLine === lineOf(text, needle)), needle);
    }
  });

  it('reads a git source with values from a variable default and a local, named in resolvedFrom', () => {
    const ref = call('summarizer');
    assert.equal(ref.subject, 'huggingface-tensorflow');
    assert.equal(ref.version, '2.5.1');
    assert.equal(ref.sdk.baseFrameworkVersion?.framework, 'tensorflow');
    assert.deepEqual(ref.sdk.transformersVersion, { text: '4.12.3', range: rangeOf(text, '4.12.3') });
    assert.equal(ref.sdk.transformersVersion!.range.start.line, lineOf(text, 'default = "4.12.3"'));
    assert.deepEqual(ref.sdk.instanceType, { text: 'ml.g4dn.xlarge', range: rangeOf(text, 'ml.g4dn.xlarge') });
    assert.deepEqual(ref.sdk.resolvedFrom, [
      { name: 'transformers_version', range: rangeOf(text, 'transformers_version') },
      { name: 'serving_instance', range: rangeOf(text, 'serving_instance') },
    ]);
  });

  it('reads a local copy of the module by its arguments (transformers_version with a framework version)', () => {
    const ref = call('local_copy');
    assert.equal(ref.subject, 'huggingface-pytorch');
    assert.equal(ref.version, '1.13.1');
    const args = text.indexOf('module "local_copy"');
    assert.deepEqual(ref.sdk.transformersVersion, { text: '4.26.0', range: rangeOf(text, '4.26.0', args) });
  });

  it('notes a version it cannot resolve, and leaves other modules alone', () => {
    const ref = call('translator');
    assert.equal(ref.subject, 'huggingface');
    assert.equal(ref.version, '');
    assert.equal(ref.sdk.baseFrameworkVersion, undefined);
    assert.equal(ref.sdk.transformersVersion?.text, '4.26.0');
    assert.deepEqual(result.notes.map((n) => [n.message, slice(text, n.range), n.range.start.line]), [
      ["'var.translator_pytorch' could not be resolved in this file: pytorch_version of module.translator is not judged", 'var.translator_pytorch', lineOf(text, 'pytorch_version      = var.translator_pytorch')],
    ]);
    assert.equal(sdkCalls(result).length, 4);
    const notebook = lineOf(text, 'module "notebook"');
    assert.deepEqual(result.references.filter((r) => r.range.start.line >= notebook && r.range.start.line < lineOf(text, 'module "local_copy"')), []);
  });

  it('reads the module in JSON syntax too', () => {
    const json = '{\n  "module": {\n    "qa": {\n      "source": "philschmid/sagemaker-huggingface/aws",\n      "pytorch_version": "1.13.1",\n      "transformers_version": "4.26.0"\n    }\n  }\n}\n';
    const [ref, ...rest] = sdkCalls(scanTerraformJson(json, catalog));
    assert.equal(rest.length, 0);
    assert.equal(ref.sdk.call, 'module.qa');
    assert.deepEqual(ref.range, rangeOf(json, 'qa'));
    assert.deepEqual(ref.sdk.baseFrameworkVersion, { text: '1.13.1', range: rangeOf(json, '1.13.1'), framework: 'pytorch' });
    assert.deepEqual(ref.sdk.transformersVersion, { text: '4.26.0', range: rangeOf(json, '4.26.0') });
  });
});

describe('Terraform scanner: the Hugging Face module judged like HuggingFaceModel', () => {
  const text = fixture('hf-callers.tf');
  const python = (py: string) => `from sagemaker.huggingface import HuggingFaceModel\nmodel = HuggingFaceModel(transformers_version="4.12.3", pytorch_version="1.9.1"${py}, instance_type="ml.g4dn.xlarge")\n`;
  const sentimentLines = [lineOf(text, 'module "sentiment"'), lineOf(text, 'module "summarizer"')];
  const ofSentiment = (fs: Finding[]) => fs.filter((f) => f.range.start.line > sentimentLines[0] && f.range.start.line < sentimentLines[1]);
  const summary = (fs: Finding[], t: string) => fs.map((f) => ({ rule: f.rule, message: f.message, at: slice(t, f.range), fixes: f.fixes.map((x) => x.title) }));

  it('PyTorch 1.9.1 with transformers 4.12.3 gets the findings of the Python call, on the module literals', () => {
    const asOf = '2026-11-21';
    const tf = ofSentiment(analyzeText(text, 'main.tf', TERRAFORM_KIND, catalog, { asOf }).findings);
    const py = analyzeText(python(''), 'serve.py', PYTHON_KIND, catalog, { asOf }).findings;
    assert.ok(tf.some((f) => f.rule === 'end-of-patch'), summary(tf, text).map((f) => f.rule).join(' '));
    assert.deepEqual(summary(tf, text), summary(py, python('')));
    const eop = tf.find((f) => f.rule === 'end-of-patch')!;
    assert.deepEqual(eop.range, rangeOf(text, '1.9.1', text.indexOf('module "sentiment"')));
    assert.match(eop.message, /PyTorch 1\.9/);
    // with py_version="py38" the Python call also gets python-end-of-life; the module has no such argument
    const withPy = analyzeText(python(', py_version="py38"'), 'serve.py', PYTHON_KIND, catalog, { asOf }).findings;
    assert.deepEqual(withPy.map((f) => f.rule).filter((r) => !tf.some((f) => f.rule === r)), ['python-end-of-life']);
  });

  it('the combination fix edits the version literals of the module block', () => {
    // on this day a supported Hugging Face PyTorch inference line exists (none is left on 2026-11-21)
    const asOf = '2025-06-01';
    const eop = ofSentiment(analyzeText(text, 'main.tf', TERRAFORM_KIND, catalog, { asOf }).findings).find((f) => f.rule === 'end-of-patch');
    assert.ok(eop);
    const pyEop = analyzeText(python(''), 'serve.py', PYTHON_KIND, catalog, { asOf }).findings.find((f) => f.rule === 'end-of-patch')!;
    assert.deepEqual(eop.fixes.map((f) => [f.title, f.edits.map((e) => e.newText)]), pyEop.fixes.map((f) => [f.title, f.edits.map((e) => e.newText)]));
    const [fix] = eop.fixes;
    assert.ok(fix, 'a fix');
    const args = text.indexOf('module "sentiment"');
    assert.deepEqual(fix.edits.map((e) => slice(text, e.range)).sort(), ['1.9.1', '4.12.3']);
    assert.deepEqual(fix.edits.map((e) => e.range).sort((a, b) => a.start.line - b.start.line), [rangeOf(text, '1.9.1', args), rangeOf(text, '4.12.3', args)]);
    const fixed = applyEdits(text, fix.edits);
    const ref = sdkCalls(scanTerraform(fixed, catalog)).find((r) => r.sdk.call === 'module.sentiment')!;
    assert.deepEqual([ref.sdk.baseFrameworkVersion?.text, ref.sdk.transformersVersion?.text], [fix.edits.find((e) => slice(text, e.range) === '1.9.1')!.newText, fix.edits.find((e) => slice(text, e.range) === '4.12.3')!.newText]);
  });
});
