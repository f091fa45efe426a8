import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { AcceleratorReference, DlamiReference, ImageReference, Range, Reference, ScanResult } from '../../../server/src/model';
import type { ImageMapping } from '../../../server/src/policy/images';
import type { FileKind } from '../../../server/src/scanners/fileKinds';
import { scanInfrastructureJson, scanInfrastructureYaml } from '../../../server/src/scanners/infrastructure';
import { applyEdits, TextIndex } from '../../../server/src/text';
import { checkScanResult } from '../../fixtures/scanChecks';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'infrastructure');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const images = (r: ScanResult) => r.references.filter((x): x is ImageReference => x.kind === 'container-image');
const dlamis = (r: ScanResult) => r.references.filter((x): x is DlamiReference => x.kind === 'dlami');
const accelerators = (r: ScanResult) => r.references.filter((x): x is AcceleratorReference => x.kind === 'accelerator');
const line = (r: Range) => r.start.line;
/** The 0-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string, from = 0) => {
  const lines = text.split(/\r\n|\r|\n/);
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  assert.ok(i >= 0, `no line holds ${needle}`);
  return i;
};
const at = (refs: readonly Reference[], l: number) => refs.filter((r) => line(r.range) === l);

const PT_TRAINING = '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';
const SSM_PATH = '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id';

describe('infrastructure scanner: CloudFormation YAML', () => {
  const text = fixture('sagemaker-endpoint.template.yaml');
  const result = scanInfrastructureYaml(text, catalog);

  it('passes the shared range checks and reports no duplicate place', () => {
    checkScanResult(text, result);
    const keys = result.references.map((r) => `${r.kind}@${slice(text, r.range)}@${JSON.stringify(r.range)}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('reads a !Sub image whose tag comes from a parameter default, pointing the tag at the default', () => {
    const l = lineOf(text, "Image: !Sub '763104351884");
    const [img, ...rest] = images({ ...result, references: at(result.references, l) });
    assert.equal(rest.length, 0);
    assert.equal(img.text, '763104351884.dkr.ecr.${AWS::Region}.amazonaws.com/pytorch-inference:${ImageTag}');
    assert.equal(img.image.family, 'dlc');
    assert.equal(img.subject, 'pytorch');
    assert.equal(img.version, '2.1.0');
    assert.equal(img.image.region?.text, '${AWS::Region}');
    assert.equal(img.image.region?.placeholder, true);
    assert.equal(img.image.tag?.text, '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(line(img.image.tag!.range), lineOf(text, 'Default: 2.1.0-gpu-py310-cu118'));
    assert.equal(slice(text, img.image.tag!.range), '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(slice(text, img.image.parts.frameworkVersion!.range), '2.1.0');
    assert.equal(img.image.substitutedFrom?.variable, 'ImageTag');
    assert.equal(slice(text, img.image.substitutedFrom!.range), '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(img.image.published, true);
  });

  it('reads !Sub [template, {vars}]: literal vars are substituted, pseudo parameters stay placeholders', () => {
    const l = lineOf(text, "- '${Account}.dkr.ecr");
    const [img] = images({ ...result, references: at(result.references, l) });
    assert.equal(img.text, '${Account}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/pytorch-training:${Tag}');
    assert.equal(img.version, '1.13.1');
    assert.equal(slice(text, img.image.account!.range), '763104351884');
    assert.equal(line(img.image.account!.range), lineOf(text, "Account: '763104351884'"));
    assert.equal(img.image.substitutedFrom?.variable, 'Tag');
    assert.equal(slice(text, img.image.tag!.range), '1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker');
    assert.equal(slice(text, img.image.parts.python!.range), 'py39');
  });

  it('reads !Join of literals and !Ref pseudo parameters', () => {
    const l = lineOf(text, '- Image: !Join');
    const [img] = images({ ...result, references: at(result.references, l) });
    assert.equal(img.image.family, 'dlc');
    assert.equal(img.image.repository.text, 'pytorch-inference');
    assert.equal(slice(text, img.image.tag!.range), '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(img.image.account?.placeholder, true);
    assert.equal(img.image.region?.placeholder, true);
    assert.equal(img.image.substitutedFrom, undefined);
    assert.ok(img.text.endsWith('pytorch-inference:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker'));
  });

  it('tries every region of !FindInMap [Map, !Ref AWS::Region, Key], reporting each value where it is written', () => {
    const east = lineOf(text, 'BaseImage: 763104351884.dkr.ecr.us-east-1');
    const west = lineOf(text, 'BaseImage: 763104351884.dkr.ecr.us-west-2');
    const [e] = images({ ...result, references: at(result.references, east) });
    const [w] = images({ ...result, references: at(result.references, west) });
    assert.equal(e.subject, 'huggingface-pytorch');
    assert.equal(e.image.substitutedFrom?.variable, 'RegionMap.us-east-1.BaseImage');
    assert.equal(slice(text, e.range), e.text);
    assert.ok(e.text.startsWith('763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:'));
    assert.equal(w.image.repository.text, 'pytorch-inference');
    assert.equal(w.image.region?.text, 'us-west-2');
    // nothing is reported at the !FindInMap itself
    assert.equal(at(result.references, lineOf(text, 'Image: !FindInMap')).length, 0);
  });

  it('reads !Ref Param as its default, once, though the parameters are swept too', () => {
    const l = lineOf(text, `Default: ${PT_TRAINING}`);
    const found = at(result.references, l);
    assert.equal(found.length, 1);
    const img = found[0] as ImageReference;
    assert.equal(img.text, PT_TRAINING);
    assert.equal(img.image.substitutedFrom?.variable, 'TrainingImage');
  });

  it('reads {{resolve:ssm:…}} dynamic references and SSM-typed parameter defaults as DLAMI SSM paths', () => {
    const ssm = dlamis(result);
    const dyn = ssm.find((d) => line(d.range) === lineOf(text, "ImageId: '{{resolve:ssm"));
    assert.ok(dyn);
    assert.equal(dyn.text, SSM_PATH);
    assert.equal(dyn.dlami.form, 'ssm-parameter');
    assert.equal(dyn.subject, 'oss-nvidia-driver-gpu-pytorch');
    assert.equal(slice(text, dyn.dlami.parts.frameworkVersion!.range), '2.1');
    const def = at(result.references, lineOf(text, `Default: ${SSM_PATH}`));
    assert.equal(def.length, 1, 'the default used by !Ref and ${BuildHostAmi} is reported once');
    assert.equal(def[0].kind, 'dlami');
  });

  it('sweeps mapping values (a DLAMI name filter) and never reads ami- ids', () => {
    const [name] = at(result.references, lineOf(text, 'AMI: Deep Learning AMI GPU PyTorch')) as DlamiReference[];
    assert.equal(name.text, 'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *');
    assert.equal(name.dlami.form, 'filter');
    assert.equal(name.version, '2.0.1');
    for (const l of text.split('\n').flatMap((s, k) => (s.includes('ami-0abc') ? [k] : []))) assert.equal(at(result.references, l).length, 0);
  });

  it('reports an Elastic Inference AcceleratorType of an endpoint configuration', () => {
    const [acc, ...rest] = accelerators(result);
    assert.equal(rest.length, 0);
    assert.equal(acc.subject, 'ml.eia2.medium');
    assert.equal(acc.text, 'ml.eia2.medium');
    assert.equal(acc.version, '');
    assert.equal(line(acc.range), lineOf(text, 'AcceleratorType:'));
    assert.equal(slice(text, acc.range), 'ml.eia2.medium');
  });

  it('reads a !Sub block scalar of user data line by line', () => {
    const l = lineOf(text, 'docker pull 763104351884');
    const [img] = images({ ...result, references: at(result.references, l) });
    assert.equal(img.text, '763104351884.dkr.ecr.${AWS::Region}.amazonaws.com/pytorch-training:${ImageTag}');
    assert.equal(img.range.start.character, text.split('\n')[l].indexOf('763104351884'));
  });

  it('keeps reading after an unknown tag, and names an unresolved ${Param} in a note', () => {
    const l = lineOf(text, 'pytorch-training:${UnknownTag}');
    const [img] = images({ ...result, references: at(result.references, l) });
    assert.equal(img.image.tag?.text, '${UnknownTag}');
    assert.equal(img.image.published, undefined);
    const notes = result.notes.filter((n) => line(n.range) === l);
    assert.deepEqual(notes.map((n) => n.message), ["'${UnknownTag}' could not be resolved in this file: its tag cannot be judged"]);
    assert.equal(result.notes.length, 1, 'no syntax note: short-form tags parse without errors');
  });

  it('reports comments and one statement per line holding a reference', () => {
    assert.deepEqual(result.comments.map((c) => [c.text, c.standalone]), [[' the serving model, tag from the parameter', true], [' Elastic Inference, retired', false]]);
    const lines = [...new Set([...result.references, ...result.notes].map((r) => line(r.range)))].sort((a, b) => a - b);
    assert.deepEqual(result.statements.map((s) => s.startLine), lines);
    assert.ok(result.statements.every((s) => s.startLine === s.endLine));
  });
});

describe('infrastructure scanner: CloudFormation JSON', () => {
  const text = fixture('sagemaker-endpoint.template.json');
  const result = scanInfrastructureJson(text, catalog);

  it('passes the shared range checks and has no comments', () => {
    checkScanResult(text, result);
    assert.deepEqual(result.comments, []);
  });

  it('reads Fn::Sub with a parameter default, Fn::Join of Ref objects and Fn::Sub [template, vars]', () => {
    const sub = images({ ...result, references: at(result.references, lineOf(text, '"Image": { "Fn::Sub"')) })[0];
    assert.equal(sub.image.substitutedFrom?.variable, 'ImageTag');
    assert.equal(line(sub.image.tag!.range), lineOf(text, '"Default": "2.1.0-gpu'));
    const join = images({ ...result, references: at(result.references, lineOf(text, '"Fn::Join"')) })[0];
    assert.equal(join.image.repository.text, 'pytorch-training');
    assert.equal(slice(text, join.image.tag!.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    const vars = images({ ...result, references: at(result.references, lineOf(text, '"Fn::Sub": ["${Account}')) })[0];
    assert.equal(vars.subject, 'huggingface-pytorch');
    assert.equal(slice(text, vars.image.parts.transformersVersion!.range), '4.26.0');
    assert.equal(slice(text, vars.image.account!.range), '763104351884');
  });

  it('reads the accelerator, the FindInMap DLAMI name (not the ami- id) and a versioned SSM dynamic reference', () => {
    assert.deepEqual(accelerators(result).map((a) => a.text), ['ml.eia1.large']);
    const names = dlamis(result).filter((d) => d.dlami.form !== 'ssm-parameter');
    assert.deepEqual(names.map((d) => [d.text, line(d.range)]), [['Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *', lineOf(text, '"us-east-1": { "AMI"')]]);
    const ssm = dlamis(result).filter((d) => d.dlami.form === 'ssm-parameter');
    assert.deepEqual(ssm.map((d) => [d.text, line(d.range)]), [
      [SSM_PATH, lineOf(text, `"Default": "${SSM_PATH}"`)],
      [SSM_PATH, lineOf(text, '{{resolve:ssm:')],
    ]);
  });

  it('gives the same references when the JSON template is read as YAML (a .template file)', () => {
    const asYaml = scanInfrastructureYaml(text, catalog);
    checkScanResult(text, asYaml);
    assert.ok(result.references.length >= 8);
    assert.deepEqual(asYaml.references.map((r) => [r.kind, r.text, r.range]), result.references.map((r) => [r.kind, r.text, r.range]));
  });

  it('maps a string with JSON escapes character by character', () => {
    const l = lineOf(text, '"UserData"');
    const [img] = images({ ...result, references: at(result.references, l) });
    assert.equal(img.text, PT_TRAINING);
    assert.equal(slice(text, img.range), PT_TRAINING);
    assert.equal(slice(text, img.image.tag!.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
  });
});

describe('infrastructure scanner: SAM', () => {
  const text = fixture('sam-function.yaml');
  const result = scanInfrastructureYaml(text, catalog);

  it('reads Image values of any resource and skips a private function image', () => {
    checkScanResult(text, result);
    assert.deepEqual(images(result).map((i) => [i.image.family, i.image.repository.text, line(i.range)]), [
      ['dlc', 'pytorch-training', lineOf(text, 'Image: "763104351884')],
      ['base', 'python', lineOf(text, 'Image: python:3.8-slim')],
      ['dlc', 'pytorch-training', lineOf(text, 'public.ecr.aws/deep-learning-containers')],
    ]);
    assert.equal(at(result.references, lineOf(text, 'ImageUri:')).length, 0);
  });

  it('names a parameter without a default in a note', () => {
    assert.deepEqual(result.notes.map((n) => [n.message, line(n.range)]), [["'${SidecarTag}' could not be resolved in this file: its tag cannot be judged", lineOf(text, '${SidecarTag}')]]);
  });

  it('takes a template by its Transform alone', () => {
    const sam = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      ImageUri: !Sub "${Repo}:1"\n';
    const r = scanInfrastructureYaml(`${sam}Parameters:\n  Repo:\n    Type: String\n    Default: python\n`, catalog);
    assert.deepEqual(images(r).map((i) => [i.image.uri, i.image.substitutedFrom?.variable]), [['python:1', 'Repo']]);
  });
});

describe('infrastructure scanner: Kubernetes manifests', () => {
  const text = fixture('k8s-deployment.yaml');
  const result = scanInfrastructureYaml(text, catalog);

  it('reads every image of every document, base images included, and DLC URIs in other strings', () => {
    checkScanResult(text, result);
    assert.deepEqual(images(result).map((i) => [i.image.family, i.image.repository.text, i.image.tag?.text, line(i.range)]), [
      ['base', 'amazonlinux', '2', lineOf(text, 'image: "amazonlinux:2"')],
      ['dlc', 'pytorch-inference', '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker', lineOf(text, 'image: 763104351884.dkr.ecr.us-east-1')],
      ['base', 'nvidia/cuda', '11.8.0-cudnn8-runtime-ubuntu22.04', lineOf(text, "image: 'nvidia/cuda")],
      ['dlc', 'pytorch-training', '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', lineOf(text, 'example.com/base:')],
      ['dlc', 'pytorch-training', '{{ .Values.trainingTag }}', lineOf(text, '{{ .Values.trainingTag }}')],
    ]);
    const quoted = images(result)[0];
    assert.equal(slice(text, quoted.range), 'amazonlinux:2');
  });

  it('notes the unresolved template value of a tag, and reads no ConfigMap value as an image', () => {
    assert.deepEqual(result.notes.map((n) => n.message), ["'{{ .Values.trainingTag }}' could not be resolved in this file: its tag cannot be judged"]);
    assert.equal(at(result.references, lineOf(text, 'logo: ./logo.png')).length, 0);
  });

  it('attaches a standalone suppression comment to the image line after it', () => {
    const directive = result.comments.find((c) => c.text.includes('dl-lifecycle: ignore'));
    assert.ok(directive?.standalone);
    const next = result.statements.find((s) => s.startLine > directive.range.start.line);
    assert.equal(next?.startLine, lineOf(text, 'image: 763104351884.dkr.ecr.us-east-1'));
  });
});

describe('infrastructure scanner: docker-compose', () => {
  const text = fixture('docker-compose.yml');
  const result = scanInfrastructureYaml(text, catalog);

  it('reads service images and DLC URIs in environment entries; merge keys add nothing twice', () => {
    checkScanResult(text, result);
    assert.deepEqual(images(result).map((i) => [i.image.family, i.subject, line(i.range)]), [
      ['dlc', 'pytorch', lineOf(text, 'image: 763104351884')],
      ['base', 'pytorch', lineOf(text, 'pytorch/pytorch:1.13.1')],
      ['dlc', 'huggingface-pytorch', lineOf(text, 'BASE_IMAGE=')],
    ]);
    assert.equal(images(result)[1].version, '1.13.1');
    assert.deepEqual(result.notes, []);
  });
});

describe('infrastructure scanner: GitHub Actions', () => {
  const text = fixture('github-workflow.yml');
  const result = scanInfrastructureYaml(text, catalog);

  it('reads the job container, service images, docker:// steps and references in run scripts', () => {
    checkScanResult(text, result);
    assert.deepEqual(result.references.map((r) => [r.kind, r.text, line(r.range)]), [
      ['container-image', 'python:3.10', lineOf(text, 'container: python:3.10')],
      ['container-image', '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker', lineOf(text, 'image: 763104351884.dkr.ecr.us-east-1')],
      ['container-image', 'public.ecr.aws/deep-learning-containers/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', lineOf(text, 'uses: docker://')],
      ['container-image', PT_TRAINING, lineOf(text, 'docker pull')],
      ['dlami', SSM_PATH, lineOf(text, 'aws ssm get-parameter')],
      ['container-image', '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${{ matrix.tag }}', lineOf(text, '${{ matrix.tag }}')],
    ]);
    const pull = result.references[3];
    assert.equal(pull.range.start.character, text.split('\n')[line(pull.range)].indexOf('763104351884'));
  });

  it('keeps a ${{ }} expression as a placeholder named as written', () => {
    const matrix = images(result).find((i) => i.text.includes('matrix'));
    assert.equal(matrix?.image.tag?.text, '${{ matrix.tag }}');
    assert.equal(matrix?.image.published, undefined);
    assert.deepEqual(result.notes.map((n) => n.message), ["'${{ matrix.tag }}' could not be resolved in this file: its tag cannot be judged"]);
  });
});

describe('infrastructure scanner: GitLab CI and buildspec', () => {
  it('reads image strings and {name:} maps, services entries and script lines', () => {
    const text = fixture('gitlab-ci.yml');
    const result = scanInfrastructureYaml(text, catalog);
    checkScanResult(text, result);
    assert.deepEqual(images(result).map((i) => [i.image.family, i.image.repository.text, line(i.range)]), [
      ['base', 'python', lineOf(text, 'image: python:3.8')],
      ['dlc', 'pytorch-training', lineOf(text, 'DLC_IMAGE: "763104351884')],
      ['base', 'nvidia/cuda', lineOf(text, 'name: nvidia/cuda')],
      ['dlc', 'pytorch-inference', lineOf(text, '- name: 763104351884')],
      ['dlc', 'huggingface-pytorch-inference', lineOf(text, 'docker run 763104351884')],
    ]);
  });

  it('reads a buildspec variable, not the bare registry of a login command', () => {
    const text = fixture('buildspec.yml');
    const result = scanInfrastructureYaml(text, catalog);
    checkScanResult(text, result);
    assert.deepEqual(result.references.map((r) => [r.text, line(r.range)]), [[PT_TRAINING, lineOf(text, 'BASE_IMAGE: 763104351884')]]);
  });
});

describe('infrastructure scanner: scalars and intrinsics', () => {
  const scan = (text: string) => {
    const r = scanInfrastructureYaml(text, catalog);
    checkScanResult(text, r);
    return r;
  };

  it('maps block scalars line by line, with an explicit indentation indicator and folding', () => {
    const literal = `steps:\n  - run: |2\n       echo hi\n      docker pull ${PT_TRAINING}\n`;
    const folded = `steps:\n  - run: >\n      docker pull\n      ${PT_TRAINING}\n\n      and more\n`;
    for (const text of [literal, folded]) {
      const [img] = images(scan(text));
      assert.equal(line(img.range), 3);
      assert.equal(img.range.start.character, text.split('\n')[3].indexOf('763104351884'));
      assert.equal(slice(text, img.image.tag!.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    }
  });

  it('maps double-quoted escapes to what they are written as, and reads an aliased image once', () => {
    const escaped = `env: "x\\t${PT_TRAINING}\\u0020y"\n`;
    const [img] = images(scan(escaped));
    assert.equal(slice(escaped, img.range), PT_TRAINING);
    const aliased = `base: &img python:3.10\nspec:\n  image: *img\n  sidecar:\n    image: *img\n`;
    assert.deepEqual(scan(aliased).references.map((r) => [r.text, line(r.range)]), [['python:3.10', 0]]);
  });

  it('reads both branches of !If, skips AWS::NoValue, reads AcceleratorTypes lists', () => {
    const text = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::SageMaker::NotebookInstance\n    Properties:\n      Image: !If [IsProd, 'python:3.10', !Ref AWS::NoValue]\n      AcceleratorTypes: [ml.eia1.medium, ml.g5.xlarge]\n";
    assert.deepEqual(scan(text).references.map((r) => [r.kind, r.text, line(r.range)]), [
      ['container-image', 'python:3.10', 5],
      ['accelerator', 'ml.eia1.medium', 6],
    ]);
  });

  it('reads a !Sub of a whole parameter default where the default is written, in image and in script', () => {
    const text = `AWSTemplateFormatVersion: x\nParameters:\n  Uri:\n    Default: ${PT_TRAINING}\nResources:\n  A:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Image: !Sub '\${Uri}'\n      Script: !Sub 'docker pull \${Uri}'\n`;
    const r = scan(text);
    assert.deepEqual(images(r).map((i) => [line(i.range), i.image.substitutedFrom?.variable]), [[3, 'Uri']]);
  });

  it('keeps a var that is no literal as a placeholder standing for its ${…}, in file order', () => {
    const text = "AWSTemplateFormatVersion: x\nResources:\n  M:\n    Type: AWS::SageMaker::Model\n    Properties:\n      Image: !Sub ['${Account}.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:${Tag}', {Account: {Odd: map}, Tag: !Ref AWS::NoTag}]\n";
    const r = scan(text);
    const [img] = images(r);
    assert.equal(img.image.account?.placeholder, true);
    assert.equal(img.image.account?.text, '${Account}');
    assert.equal(img.text, '${Account}.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:${Tag}');
    assert.deepEqual(r.notes.map((n) => n.message), ["'${AWS::NoTag}' could not be resolved in this file: its tag cannot be judged"]);
  });

  it('names the placeholder that hides a DLAMI SSM path of an ImageId', () => {
    const text = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: !Sub '{{resolve:ssm:/aws/service/deeplearning/ami/x86_64/${Flavor}/latest/ami-id}}'\n";
    const r = scan(text);
    assert.deepEqual(r.references, []);
    assert.deepEqual(r.notes.map((n) => [n.message, line(n.range)]), [["'${Flavor}' could not be resolved in this file: the AMI cannot be read", 5]]);
  });
});

describe('infrastructure scanner: lookalikes and cheap decisions', () => {
  it('reads no image, AMI or accelerator from values that are none', () => {
    const result = scanInfrastructureYaml(fixture('lookalikes.yaml'), catalog);
    assert.deepEqual(result.references, []);
    assert.deepEqual(result.notes, []);
    assert.equal(result.comments.length, 1);
  });

  it('yields nothing for a conda environment file, package.json and tsconfig.json', () => {
    const env = scanInfrastructureYaml(fixture('environment.yml'), catalog);
    assert.deepEqual([env.references, env.notes, env.statements], [[], [], []]);
    for (const name of ['npm-package.json', 'tsconfig-images.json']) {
      const r = scanInfrastructureJson(fixture(name), catalog);
      assert.deepEqual([r.references, r.notes], [[], []], name);
    }
  });

  it('does not parse a file that mentions none of the relevant words', () => {
    const text = '# settings\nreplicas: 3\nname: "unterminated\n';
    assert.deepEqual(scanInfrastructureYaml(text, catalog), { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] });
    assert.deepEqual(scanInfrastructureJson('{"a": [1, 2', catalog).notes, []);
    // the same broken text with an image word is parsed (its comment is reported)
    assert.equal(scanInfrastructureYaml(`${text}image: x\n`, catalog).comments.length, 1);
  });

  it('reports a private ECR image only through a policy mapping', () => {
    const text = 'spec:\n  containers:\n    - image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:2.1.0-gpu-py310\n';
    assert.deepEqual(scanInfrastructureYaml(text, catalog).references, []);
    const mappings: ImageMapping[] = [{ pattern: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:{framework_version}-gpu-{python}', placeholders: ['framework_version', 'python'], framework: 'pytorch' }];
    const [img] = images(scanInfrastructureYaml(text, catalog, { mappings }));
    assert.equal(img.image.family, 'mapped');
    assert.equal(img.version, '2.1.0');
    assert.equal(slice(text, img.image.parts.python!.range), 'py310');
  });
});

describe('infrastructure scanner: broken YAML', () => {
  it('reads what the parser recovers around bad indentation and tabs, with one note per broken document', () => {
    const text = `containers:\n  - image: python:3.10\n\t- image: bad\n   x: [\n---\nservices:\n  web:\n    image: "${PT_TRAINING}"\n`;
    const result = scanInfrastructureYaml(text, catalog);
    checkScanResult(text, result);
    assert.deepEqual(images(result).map((i) => [i.text, line(i.range)]), [['python:3.10', 1], [PT_TRAINING, 7]]);
    assert.equal(result.notes.length, 1);
    assert.match(result.notes[0].message, /^YAML syntax error: /);
    assert.ok(line(result.notes[0].range) < 4);
  });

  it('reads an unclosed quote without throwing, and gives no syntax note for Helm templates', () => {
    const unclosed = `image: "python:3.10\nother: x\n`;
    const r = scanInfrastructureYaml(unclosed, catalog);
    checkScanResult(unclosed, r);
    assert.ok(r.notes.length <= 1);
    const helm = `{{- if .Values.enabled }}\nspec:\n  containers:\n    - image: ${PT_TRAINING}\n{{- end }}\n`;
    const h = scanInfrastructureYaml(helm, catalog);
    checkScanResult(helm, h);
    assert.deepEqual(h.notes, []);
  });

  it('never throws on CRLF, a BOM, NUL characters or deep nesting', () => {
    const crlf = `\uFEFFservices:\r\n  a:\r\n    image: ${PT_TRAINING}\r\n`;
    const r = scanInfrastructureYaml(crlf, catalog);
    checkScanResult(crlf, r);
    assert.deepEqual(images(r).map((i) => [i.text, line(i.range)]), [[PT_TRAINING, 2]]);
    const deep = `${'a: '.repeat(0)}${'['.repeat(3000)}"${PT_TRAINING}"${']'.repeat(3000)}\nimage: x\0\n`;
    checkScanResult(deep, scanInfrastructureYaml(deep, catalog));
    const json = `{"image": ${'['.repeat(3000)}"${PT_TRAINING}"${']'.repeat(3000)}}`;
    checkScanResult(json, scanInfrastructureJson(json, catalog));
  });
});

describe('infrastructure scanner: analysis', () => {
  const kind: FileKind = { id: 'infrastructure-yaml', languageIds: [], patterns: [], lineComment: '#', scan: (t, c) => scanInfrastructureYaml(t, c), includesAreLocal: false };
  const text = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Resources:',
    '  Model:',
    '    Type: AWS::SageMaker::Model',
    '    Properties:',
    '      PrimaryContainer:',
    "        Image: !Sub '763104351884.dkr.ecr.${AWS::Region}.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker'",
    '  Config:',
    '    Type: AWS::SageMaker::EndpointConfig',
    '    Properties:',
    '      ProductionVariants:',
    '        - ModelName: !GetAtt Model.ModelName',
    '          AcceleratorType: ml.eia2.medium',
    '',
  ].join('\n');
  const analysis = analyzeText(text, 'template.yaml', kind, catalog, { asOf: '2026-11-21' });

  it('finds end of patch on an old PyTorch DLC in a !Sub image, with a fix that edits the literal tag', () => {
    const eop = analysis.findings.find((f) => f.rule === 'end-of-patch');
    assert.ok(eop, 'an end-of-patch finding');
    assert.equal(line(eop.range), 6);
    const edits = eop.fixes.flatMap((f) => f.edits);
    assert.ok(edits.length > 0, 'a fix');
    for (const e of edits) {
      assert.equal(line(e.range), 6);
      assert.equal(slice(text, e.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    }
    const fixed = applyEdits(text, eop.fixes[0].edits);
    assert.match(fixed.split('\n')[6], /^ {8}Image: !Sub '763104351884\.dkr\.ecr\.\$\{AWS::Region\}\.amazonaws\.com\/pytorch-training:\d+\.\d+\.\d+-[^']+'$/);
    assert.notEqual(fixed, text);
  });

  it('finds the Elastic Inference accelerator discontinued', () => {
    const d = analysis.findings.find((f) => f.rule === 'discontinued' && f.reference?.kind === 'accelerator');
    assert.ok(d);
    assert.equal(slice(text, d.range), 'ml.eia2.medium');
  });
});
