import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { AcceleratorReference, DlamiReference, ImageReference, Range, ScanResult } from '../../../server/src/model';
import type { ImageMapping } from '../../../server/src/policy/images';
import { cdkGrammarForPath, cdkParserNotLoaded, decodeEscape, mayReferenceCdk, scanCdk } from '../../../server/src/scanners/cdk';
import type { FileKind } from '../../../server/src/scanners/fileKinds';
import { initParsers } from '../../../server/src/scanners/treeSitter';
import { applyEdits, TextIndex } from '../../../server/src/text';
import { checkScanResult } from '../../fixtures/scanChecks';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'cdk');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const sliceOf = (text: string, range: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(range.start), idx.offsetAt(range.end));
};
/** 0-based line of the first line holding `needle`. */
const lineOf = (text: string, needle: string) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `fixture holds ${needle}`);
  return text.slice(0, i).split(/\r\n|\r|\n/).length - 1;
};
const images = (r: ScanResult) => r.references.filter((x): x is ImageReference => x.kind === 'container-image');
const dlamis = (r: ScanResult) => r.references.filter((x): x is DlamiReference => x.kind === 'dlami');
const accelerators = (r: ScanResult) => r.references.filter((x): x is AcceleratorReference => x.kind === 'accelerator');
/** Scans with the grammar of the path and checks every range against the text. */
const scan = (text: string, path = 'stack.ts', mappings?: readonly ImageMapping[]) => {
  const r = scanCdk(text, catalog, { grammar: cdkGrammarForPath(path), mappings });
  checkResult(text, r);
  return r;
};
/** {@link checkScanResult} with `//` comments; block comments are checked here (text between the markers). */
function checkResult(text: string, r: ScanResult): void {
  const block = r.comments.filter((c) => sliceOf(text, c.range).startsWith('/*'));
  for (const c of block) assert.ok(sliceOf(text, c.range).startsWith(`/*${c.text}`), 'block comment text follows its marker');
  checkScanResult(text, { ...r, comments: r.comments.filter((c) => !block.includes(c)) }, '//');
}

describe('CDK scanner (TypeScript, JavaScript)', () => {
  before(async () => {
    await initParsers();
  });

  it('notes (does not judge) a repository template that ends untagged where a tag is appended in code', () => {
    const text = [
      'const repository = `${this.account}.dkr.ecr.${this.region}.amazonaws.com/huggingface-pytorch-inference`;',
      'const image = `${repository}:${props.tag}`;',
      "const pinned = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';",
      '',
    ].join('\n');
    // the repository is not an image by itself; where the tag is appended, the image is read with its tag unresolved (and a note)
    const r = scanCdk(text, catalog);
    assert.deepEqual(images(r).map((x) => [x.range.start.line, x.image.tag?.text]), [[1, '${props.tag}'], [2, '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker']]);
    assert.deepEqual(r.notes.map((n) => [n.range.start.line, n.message.replace(/:.*/, '')]), [
      [0, 'the tag of the huggingface-pytorch-inference image is not in this string (the code adds it)'],
      [1, "'${props.tag}' could not be resolved in this file"],
    ]);
  });

  it('picks the grammar by extension: TypeScript for .ts/.mts/.cts, TSX for .tsx and JavaScript', () => {
    assert.deepEqual(
      ['a.ts', 'a.mts', 'a.cts', 'a.d.ts', 'a.tsx', 'a.js', 'a.jsx', 'a.mjs', 'a.cjs', 'a.py', 'a.json', 'ts'].map(cdkGrammarForPath),
      ['typescript', 'typescript', 'typescript', 'typescript', 'tsx', 'tsx', 'tsx', 'tsx', 'tsx', undefined, undefined, undefined],
    );
  });

  it('does not parse files that mention none of the relevant words', () => {
    const text = fixture('unrelated.ts');
    assert.equal(mayReferenceCdk(text), false);
    assert.deepEqual(scanCdk(text, catalog), { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] });
    for (const word of ['x.dkr.ecr.y', 'public.ecr.aws', 'Deep Learning', 'DEEPLEARNING', '/aws/service/', 'fromDlc', 'DeepLearningContainerImage', 'fromRegistry', 'MachineImage', 'CfnModel', 'ml.eia1', 'aws-cdk-lib']) {
      assert.equal(mayReferenceCdk(`const a = "${word}";`), true, word);
    }
    // a policy mapping's literal start makes a file worth parsing
    const mapping: ImageMapping = { pattern: 'registry.example.com/ml/torch:{framework_version}-gpu', placeholders: ['framework_version'], framework: 'pytorch' };
    assert.equal(mayReferenceCdk("const i = 'registry.example.com/ml/torch:2.1-gpu';", [mapping]), true);
    assert.equal(mayReferenceCdk("const i = 'elsewhere';", [mapping]), false);
  });

  it('a SageMaker stack: fromDlc with constants, CfnModel images, the endpoint accelerator, fromRegistry, DLAMI lookups and SSM parameters', () => {
    const text = fixture('inference-stack.ts');
    const r = scan(text);
    const summary = r.references.map((x) => `${x.range.start.line}:${x.kind}:${x.subject}:${x.version}`);
    assert.deepEqual(summary, [
      `${lineOf(text, "const INFERENCE_TAG")}:container-image:pytorch:2.1.0`,
      `${lineOf(text, 'huggingface-pytorch-inference:1.13.1')}:container-image:huggingface-pytorch:1.13.1`,
      `${lineOf(text, 'pytorch-training:${props.servingTag}')}:container-image:pytorch:`,
      `${lineOf(text, 'nvidia/cuda')}:container-image:nvidia/cuda:`,
      `${lineOf(text, "acceleratorType: 'ml.eia2.medium'")}:accelerator:ml.eia2.medium:`,
      `${lineOf(text, "fromRegistry('python:3.8')")}:container-image:python:`,
      `${lineOf(text, 'MachineImage.lookup')}:dlami:gpu-pytorch:2.0.1`,
      `${lineOf(text, 'fromSsmParameter')}:dlami:oss-nvidia-driver-gpu-pytorch:2.1`,
      `${lineOf(text, 'valueForStringParameter')}:dlami:oss-nvidia-driver-gpu-pytorch:2.1`,
      `${lineOf(text, 'const regional')}:container-image:pytorch:`,
      `${lineOf(text, "'Baseline'")}:container-image:pytorch:2.1.0`,
    ]);
    // every reference's text is what the file holds at its range (checked for all by checkResult)
    const [alphaImage, hf, unresolved, cuda] = images(r);
    assert.equal(alphaImage.text, '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(alphaImage.image.uri, 'pytorch-inference:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(alphaImage.image.published, true);
    assert.equal(alphaImage.image.registry, undefined);
    assert.equal(hf.image.account?.text, '763104351884', 'the account constant is substituted');
    assert.equal(sliceOf(text, hf.image.account!.range), '763104351884', 'and located at the constant');
    assert.equal(hf.image.account!.range.start.line, lineOf(text, 'const DLC_ACCOUNT'));
    assert.equal(hf.image.region?.text, '${this.region}');
    assert.equal(hf.image.region?.placeholder, true);
    assert.equal(hf.image.published, true);
    assert.equal(sliceOf(text, hf.image.tag!.range), '1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04');
    assert.equal(unresolved.image.tag?.text, '${props.servingTag}');
    assert.equal(unresolved.image.published, undefined);
    assert.equal(cuda.image.family, 'base');
    const base = images(r).find((x) => x.subject === 'python');
    assert.equal(base?.text, 'python:3.8');
    const [lookup, ssmAmi, ssmParam] = dlamis(r);
    assert.equal(lookup.dlami.form, 'filter');
    assert.equal(lookup.text, 'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *');
    assert.equal(ssmAmi.dlami.form, 'ssm-parameter');
    assert.equal(ssmParam.text, '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id');
    const [eia] = accelerators(r);
    assert.deepEqual([eia.subject, eia.text, eia.version], ['ml.eia2.medium', 'ml.eia2.medium', '']);
  });

  it('a constant chain is substituted: the reference points at the literal, substitutedFrom names the constant holding it', () => {
    const text = fixture('inference-stack.ts');
    const [alphaImage] = images(scan(text));
    const line = lineOf(text, 'const INFERENCE_TAG');
    const start = text.split('\n')[line].indexOf("'") + 1;
    assert.deepEqual(alphaImage.range, { start: { line, character: start }, end: { line, character: start + alphaImage.text.length } });
    assert.deepEqual(alphaImage.image.substitutedFrom, { variable: 'INFERENCE_TAG', range: alphaImage.range });
    assert.deepEqual(alphaImage.image.tag?.range, alphaImage.range);
    assert.equal(sliceOf(text, alphaImage.image.parts.frameworkVersion!.range), '2.1.0');
  });

  it('notes say what could not be resolved: a tag from props or an import (then no image is reported), a repository from props', () => {
    const text = fixture('inference-stack.ts');
    const r = scan(text);
    const notes = r.notes.map((n) => `${n.range.start.line}:${sliceOf(text, n.range)}:${n.message}`);
    assert.deepEqual(notes, [
      `${lineOf(text, 'pytorch-training:${props.servingTag}')}:\${Aws.ACCOUNT_ID}.dkr.ecr.\${Aws.REGION}.amazonaws.com/pytorch-training:\${props.servingTag}:'\${props.servingTag}' could not be resolved in this file: its tag cannot be judged`,
      `${lineOf(text, 'TRAINING_TAG);')}:TRAINING_TAG:'TRAINING_TAG' could not be resolved in this file: its tag cannot be judged`,
      `${lineOf(text, 'fromDlc(props.repository')}:props.repository:'props.repository' could not be resolved in this file: the image cannot be read`,
      `${lineOf(text, 'const regional')}:\${DLC_ACCOUNT}.dkr.ecr.\${this.region}.amazonaws.com/pytorch-inference:\${props.servingTag}:'\${props.servingTag}' could not be resolved in this file: its tag cannot be judged`,
    ]);
  });

  it('lookalikes are not references: fromAsset, latestAmazonLinux2, AMI ids, other accounts, unrelated fromRegistry, other instance types', () => {
    const text = fixture('lookalikes.ts');
    const r = scan(text);
    assert.deepEqual(r.references, []);
    assert.deepEqual(r.notes, []);
    // the private ECR image of the stack fixture (not a DLC account) is not reported either
    const stack = fixture('inference-stack.ts');
    assert.ok(!scan(stack).references.some((x) => x.text.includes('123456789012')));
  });

  it('generative-ai-cdk-constructs style constants: each static member is a reference at its tag', () => {
    const text = fixture('dlc-images.ts');
    const r = scan(text);
    const found = images(r).map((x) => `${x.range.start.line}:${x.image.uri}:${x.image.published}:${x.image.substitutedFrom?.variable ?? '-'}`);
    assert.deepEqual(found, [
      `${lineOf(text, "'2.0.1-tgi1.1.0-gpu-py39-cu118-ubuntu20.04',")}:huggingface-pytorch-tgi-inference:2.0.1-tgi1.1.0-gpu-py39-cu118-ubuntu20.04:true:-`,
      `${lineOf(text, 'fromDeepLearningContainerImage(HF_TGI')}:huggingface-pytorch-tgi-inference:2.0.1-tgi1.1.0-gpu-py39-cu118-ubuntu20.04:true:HF_TGI`,
      `${lineOf(text, 'PYTORCH_INFERENCE_2_1_0')}:pytorch-inference:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker:true:-`,
      `${lineOf(text, 'PYTORCH_INFERENCE_1_8_1')}:pytorch-inference:1.8.1-gpu-py36-cu111-ubuntu18.04:true:-`,
      `${lineOf(text, 'PYTORCH_TRAINING_2_1_0')}:pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker:true:-`, // `this.fromDeepLearningContainerImage`
    ]);
    assert.equal(images(r)[0].subject, 'huggingface-tgi');
    // the repository constant is substituted, the tag written in the call: the tag is the reference
    assert.equal(images(r)[1].image.repository.text, 'huggingface-pytorch-tgi-inference');
    assert.equal(images(r)[1].image.repository.range.start.line, lineOf(text, 'const HF_TGI'));
    // the class's own template (everything a parameter) cannot be read: said, not guessed
    assert.deepEqual(
      r.notes.map((n) => [n.range.start.line, n.message]),
      [[lineOf(text, 'return `${account}'), "'${account}', '${Stack.of(scope).region}', '${this.repositoryName}', '${this.tag}' could not be resolved in this file: the image cannot be read"]],
    );
    // a multi-line member is one statement for suppression comments
    const member = lineOf(text, 'HUGGINGFACE_PYTORCH_TGI_INFERENCE_2_0_1_TGI1_1_0_GPU_PY39_CU118_UBUNTU20_04 =');
    assert.ok(r.statements.some((s) => s.startLine === member && s.endLine === member + 3));
  });

  it('JavaScript: templates and concatenations with constants, escapes, base images', () => {
    const text = fixture('app.js');
    const r = scan(text, 'app.js');
    const found = images(r).map((x) => `${x.range.start.line}:${x.image.uri}`);
    assert.deepEqual(found, [
      `${lineOf(text, "return ACCOUNT + '.dkr.ecr.'")}:763104351884.dkr.ecr.\${region}.amazonaws.com/huggingface-pytorch-inference:1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04`,
      `${lineOf(text, 'fromRegistry(`${ACCOUNT}')}:763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04`,
      `${lineOf(text, 'tensorflow/tensorflow')}:tensorflow/tensorflow:2.4.1-gpu`,
      `${lineOf(text, 'serves with')}:763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker`,
    ]);
    const [concat, template, , afterEscape] = images(r);
    // the concatenation: the tag is the TAG constant's literal, the region a parameter read as written
    assert.equal(concat.text, "ACCOUNT + '.dkr.ecr.' + region + '.amazonaws.com/' + REPOSITORY + ':' + TAG");
    assert.equal(concat.image.region?.text, 'region');
    assert.equal(concat.image.region?.placeholder, true);
    assert.equal(concat.image.tag?.range.start.line, lineOf(text, 'const TAG'));
    assert.equal(sliceOf(text, concat.image.tag!.range), '1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04');
    assert.equal(concat.image.substitutedFrom?.variable, 'TAG');
    assert.equal(concat.image.published, true);
    // no literal of the concatenation is reported on its own
    assert.equal(r.references.filter((x) => x.range.start.line === concat.range.start.line).length, 1);
    // the repository comes from a template-literal constant
    assert.equal(template.image.repository.range.start.line, lineOf(text, 'const REPOSITORY'));
    assert.equal(template.text, '${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${REPOSITORY}:${TAG}');
    // `\n` before the account is decoded: the image after it is found where it is written
    assert.equal(afterEscape.range.start.character, text.split('\n')[afterEscape.range.start.line].indexOf('763104351884'));
    // an escape inside the tag (`\x2d`) cannot be shown as written: noted, not judged
    assert.deepEqual(
      r.notes.map((n) => [n.range.start.line, n.message]),
      [[lineOf(text, '\\x2dsagemaker'), "the parts of '763104351884.dkr.ecr.us-west-2.amazonaws…' cannot be mapped to where they are written; it is not judged"]],
    );
    assert.deepEqual(r.comments.map((c) => [c.text, c.standalone]), [
      [' concatenation: the account and tag are constants, the region a parameter', true],
      [' the base image of the batch job ', true],
    ]);
  });

  it('comments: line and block markers, trailing and standalone, CRLF line ends', () => {
    const text = "import * as x from 'aws-cdk-lib';\r\n// dl-lifecycle: ignore end-of-patch\r\nconst a = 1; // trailing\r\n/* block\r\n   two lines */\r\nconst b = 2; /* after */ const c = 3;\r\n";
    const r = scan(text);
    assert.deepEqual(
      r.comments.map((c) => [c.text, c.standalone, sliceOf(text, c.range)]),
      [
        [' dl-lifecycle: ignore end-of-patch', true, '// dl-lifecycle: ignore end-of-patch'],
        [' trailing', false, '// trailing'],
        [' block\r\n   two lines ', true, '/* block\r\n   two lines */'],
        [' after ', false, '/* after */'],
      ],
    );
  });

  it('scopes: a const of the same function or module resolves; a let, a parameter, a shadowing name or a twice-declared name does not', () => {
    const tag = '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker';
    const text = [
      "import { ContainerImage } from '@aws-cdk/aws-sagemaker-alpha';",
      `const TAG = '${tag}';`,
      'function a() {',
      "  return ContainerImage.fromDlc('pytorch-inference', TAG);",
      '}',
      'function b(TAG: string) {',
      "  return ContainerImage.fromDlc('pytorch-inference', TAG);",
      '}',
      'function c() {',
      `  let LOCAL = '${tag}';`,
      "  return ContainerImage.fromDlc('pytorch-inference', LOCAL);",
      '}',
      'function d() {',
      `  const INNER = '${tag}';`,
      "  return [1].map((TAG) => ContainerImage.fromDlc('pytorch-inference', INNER + TAG));",
      '}',
      'if (true) {',
      `  const BLOCK = '${tag}';`,
      '}',
      "export const e = ContainerImage.fromDlc('pytorch-inference', BLOCK);",
      '',
    ].join('\n');
    const r = scan(text);
    // only the module constant seen from a function resolves
    assert.deepEqual(images(r).map((x) => `${x.range.start.line}:${x.image.tag?.text}`), [`1:${tag}`]);
    assert.deepEqual(
      r.notes.map((n) => `${n.range.start.line}:${sliceOf(text, n.range)}:${n.message}`),
      [
        "6:TAG:'TAG' could not be resolved in this file: its tag cannot be judged", // a parameter shadows the module constant
        "10:LOCAL:'LOCAL' could not be resolved in this file: its tag cannot be judged", // let is not a constant
        "14:INNER + TAG:'TAG' could not be resolved in this file: the parts of the tag around it are judged, the image as a whole is not", // the function's constant joined with an arrow parameter
        "19:BLOCK:'BLOCK' could not be resolved in this file: its tag cannot be judged", // a block's const is not seen outside the block
      ],
    );
  });

  it('a constant used twice is one reference; a literal read by a call is not searched again', () => {
    const uri = '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';
    const text = [
      "import * as ecs from 'aws-cdk-lib/aws-ecs';",
      `const IMAGE = '${uri}';`,
      'export const a = ecs.ContainerImage.fromRegistry(IMAGE);',
      'export const b = ecs.ContainerImage.fromRegistry(IMAGE);',
      `export const c = ecs.ContainerImage.fromRegistry('${uri}');`,
      '',
    ].join('\n');
    const r = scan(text);
    assert.deepEqual(images(r).map((x) => x.range.start.line), [1, 4]);
    assert.equal(images(r)[0].image.substitutedFrom?.variable, 'IMAGE');
  });

  it('CfnModel: images from a props constant, a shorthand property and a const container', () => {
    const text = [
      "import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';",
      "const image = 'pytorch/pytorch:1.8.1-cuda11.1-cudnn8-runtime';",
      "const container = { image: 'python:3.7-slim' };",
      'const props = { executionRoleArn: role, primaryContainer: { image }, containers: [container, { image: someImage }] };',
      "new sagemaker.CfnModel(this, 'M', props);",
      "new Other(this, 'N', { primaryContainer: { image: 'ubuntu:18.04' } });",
      '',
    ].join('\n');
    const r = scan(text);
    assert.deepEqual(images(r).map((x) => `${x.range.start.line}:${x.text}`), ['1:pytorch/pytorch:1.8.1-cuda11.1-cudnn8-runtime', '2:python:3.7-slim']);
  });

  it('accelerators: any acceleratorType property and AcceleratorType.of; other types and objects are not', () => {
    const text = [
      "import * as sagemaker from '@aws-cdk/aws-sagemaker-alpha';",
      "const EIA = 'ml.eia1.large';",
      'export const variants = [{ acceleratorType: EIA }, { acceleratorType: "ml.g5.xlarge" }, { "acceleratorType": " ml.eia2.xlarge" }];',
      "export const t = sagemaker.AcceleratorType.of('ml.eia2.medium');",
      "export const u = Other.of('ml.eia2.medium');",
      '',
    ].join('\n');
    const r = scan(text);
    assert.deepEqual(accelerators(r).map((x) => `${x.range.start.line}:${x.range.start.character}:${x.text}`), [
      `1:${text.split('\n')[1].indexOf('ml.eia')}:ml.eia1.large`,
      `2:${text.split('\n')[2].indexOf('ml.eia2.x')}:ml.eia2.xlarge`,
      `3:${text.split('\n')[3].indexOf('ml.eia')}:ml.eia2.medium`,
    ]);
  });

  it('TSX grammar reads JSX files; a DLAMI name in a JSX attribute string is found', () => {
    const text = "import React from 'react';\nexport const A = () => <Ami name=\"Deep Learning AMI (Ubuntu 18.04) Version 60.*\" />;\n";
    const r = scan(text, 'a.jsx');
    assert.deepEqual(dlamis(r).map((x) => x.text), ['Deep Learning AMI (Ubuntu 18.04) Version 60.*']);
  });

  it('policy mappings: an internal image is found in any string once a mapping is given', () => {
    const mapping: ImageMapping = { pattern: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:{framework_version}-gpu-{python}', placeholders: ['framework_version', 'python'], framework: 'pytorch' };
    const text = "export const i = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:2.3.0-gpu-py311';\n";
    assert.deepEqual(images(scan(text)).length, 0);
    const r = scan(text, 'a.ts', [mapping]);
    assert.deepEqual(images(r).map((x) => [x.image.family, x.subject, x.version]), [['mapped', 'pytorch', '2.3.0']]);
  });

  it('decodes JavaScript escapes', () => {
    assert.deepEqual(['\\n', '\\x2d', '\\u002d', '\\u{1F600}', '\\q', '\\\n', '\\\\'].map(decodeEscape), ['\n', '-', '-', '😀', 'q', '', '\\']);
  });

  it('analysis: an old DLC tag from fromDlc is end-of-patch, and the fix edits the tag constant', () => {
    const text = [
      "import * as sagemaker from '@aws-cdk/aws-sagemaker-alpha';",
      "const TAG = '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';",
      "export const image = sagemaker.ContainerImage.fromDlc('pytorch-training', TAG);",
      '',
    ].join('\n');
    const kind: FileKind = { id: 'cdk', languageIds: [], patterns: [], lineComment: '//', scan: (t, c) => scanCdk(t, c), includesAreLocal: false };
    const a = analyzeText(text, 'stack.ts', kind, catalog, { asOf: '2026-11-21' });
    const eop = a.findings.find((f) => f.rule === 'end-of-patch');
    assert.ok(eop, 'end-of-patch finding');
    assert.equal(sliceOf(text, eop.range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.equal(eop.range.start.line, 1);
    const fix = eop.fixes[0];
    assert.ok(fix, 'a fix');
    assert.equal(fix.edits.length, 1);
    assert.equal(sliceOf(text, fix.edits[0].range), '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed.split('\n')[1], /^const TAG = '\d+\.\d+\.\d+-gpu-py\d+-cu\d+-ubuntu\d+\.\d+-sagemaker';$/);
    assert.equal(fixed.split('\n')[2], text.split('\n')[2], 'the call is unchanged');
    // after the fix the image is no longer past end of patch
    const again = analyzeText(fixed, 'stack.ts', kind, catalog, { asOf: '2026-11-21' });
    assert.ok(!again.findings.some((f) => f.rule === 'end-of-patch'));
  });

  it('analysis: suppression comments apply to the statement holding the reference', () => {
    const text = fixture('inference-stack.ts');
    const kind: FileKind = { id: 'cdk', languageIds: [], patterns: [], lineComment: '//', scan: (t, c) => scanCdk(t, c), includesAreLocal: false };
    const a = analyzeText(text, 'stack.ts', kind, catalog, { asOf: '2026-11-21' });
    const at = (needle: string) => a.findings.filter((f) => f.range.start.line === lineOf(text, needle)).map((f) => f.rule);
    // `// dl-lifecycle: ignore end-of-patch` above a container with an unresolved tag: nothing to suppress there
    assert.ok(a.findings.some((f) => f.rule === 'unused-suppression' && f.range.start.line === lineOf(text, 'ignore end-of-patch')));
    // the trailing block comment suppresses os-end-of-life of the SSM parameter on its line, not the other one
    assert.ok(!at('valueForStringParameter').includes('os-end-of-life'));
    assert.ok(at('fromSsmParameter').includes('os-end-of-life'));
  });

  it('without the grammar loaded: one note, no references', () => {
    const script = [
      "const { scanCdk } = require('./server/src/scanners/cdk');",
      "const { loadBundledCatalog } = require('./server/src/catalog/load');",
      "const r = scanCdk(\"ContainerImage.fromDlc('pytorch-inference', '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');\", loadBundledCatalog(), { grammar: 'tsx' });",
      'process.stdout.write(JSON.stringify(r));',
    ].join('\n');
    const out = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const r = JSON.parse(out.stdout) as ScanResult;
    assert.deepEqual(r.references, []);
    assert.deepEqual(r.notes, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: cdkParserNotLoaded('tsx') }]);
    assert.equal(cdkParserNotLoaded('tsx'), 'the JavaScript/TSX parser is not loaded');
  });
});
