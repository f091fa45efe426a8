import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisOptions } from '../../../server/src/analysis';
import { analyzeText, ruleContext } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Finding } from '../../../server/src/model';
import { checkContainerImage } from '../../../server/src/rules/containerImage';
import { describeReference } from '../../../server/src/rules/describe';
import { applyEdits } from '../../../server/src/text';
import { recognizeImage } from '../../../server/src/scanners/images';
import { findingHelpers, imageRef, kindReturning } from '../../fixtures/imageRefs';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const E = '763104351884.dkr.ecr.us-east-1.amazonaws.com/';

const check = (uri: string, o: Partial<AnalysisOptions> = {}): Finding[] => checkContainerImage(imageRef(uri, catalog), ruleContext(catalog, { asOf: AS_OF, ...o }));
const { rules, one } = findingHelpers(check);
const analyze = (uri: string, o: Partial<AnalysisOptions> = {}) => analyzeText(uri, 'Dockerfile', kindReturning(imageRef(uri, catalog)), catalog, { asOf: AS_OF, ...o });

describe('container image rules (bundled catalog, asOf 2026-11-21)', () => {
  it('end-of-patch: a DLC tag past its framework version end of patch, with the date, the clause and whole-tag fixes', () => {
    const uri = `${E}pytorch-training:2.5.1-gpu-py311-cu124-ubuntu22.04-sagemaker`;
    const f = one(uri, 'end-of-patch');
    assert.equal(f.severity, 'warning');
    assert.equal(f.since, '2025-10-29');
    assert.equal(f.endOfPatch, '2025-10-29');
    assert.match(f.message, /^PyTorch 2\.5 reached end of patch on 2025-10-29 \(388 days ago\); images .*\(DLAMI §End of patch date \(Aging out\)\)/);
    assert.deepEqual(f.fixes.map((x) => [x.title, x.safe, x.preferred]), [['Update image to 2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker (nearest supported: PyTorch 2.10)', false, true]]);
    assert.equal(applyEdits(uri, f.fixes[0].edits), `${E}pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker`);
    assert.ok(f.facts.some((x) => x.label === 'PyTorch 2.5 end of patch' && x.value.startsWith('2025-10-29')));
  });

  it('end-of-patch is not reported on the end-of-patch day itself, and is reported the day after', () => {
    const uri = `${E}pytorch-training:2.9.0-gpu-py312-cu130-ubuntu22.04-sagemaker`;
    assert.deepEqual(rules(uri, { asOf: '2026-10-15' }), ['end-of-patch-soon']);
    assert.match(one(uri, 'end-of-patch-soon', { asOf: '2026-10-15' }).message, /\(today\)/);
    assert.deepEqual(rules(uri, { asOf: '2026-10-16' }), ['end-of-patch']);
  });

  it('end-of-patch-soon: within the warning window, nearest and latest supported fixes', () => {
    const f = one(`${E}pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker`, 'end-of-patch-soon');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /PyTorch 2\.10 ends patch support on 2027-01-21 \(in 61 days\)/);
    assert.deepEqual(rules(`${E}pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker`, { warningWindowDays: 60 }), []);
    const g = one(`${E}pytorch-training:2.4.0-gpu-py311-cu124-ubuntu22.04-sagemaker`, 'end-of-patch-soon', { asOf: '2025-07-01' });
    assert.deepEqual(g.fixes.map((x) => x.title), [
      'Update image to 2.5.1-gpu-py311-cu124-ubuntu22.04-sagemaker (nearest supported: PyTorch 2.5)',
      'Update image to 2.7.1-gpu-py312-cu128-ubuntu22.04-sagemaker (latest supported: PyTorch 2.7)',
    ]);
    // versions not yet released on asOf (PyTorch 2.10: GA 2026-01-21) are never proposed
  });

  it('PyTorch 2.6: training images end on 2026-01-29, inference images on 2026-06-30', () => {
    const train = one(`${E}pytorch-training:2.6.0-gpu-py312-cu126-ubuntu22.04-sagemaker`, 'end-of-patch');
    assert.equal(train.endOfPatch, '2026-01-29');
    const inf = one(`${E}pytorch-inference:2.6.0-gpu-py312-cu124-ubuntu22.04-sagemaker`, 'end-of-patch');
    assert.equal(inf.endOfPatch, '2026-06-30');
    assert.match(inf.message, /PyTorch 2\.6 \(inference images\) reached end of patch on 2026-06-30/);
    // between the two days the training image is past end of patch, the inference image is not
    assert.deepEqual(rules(`${E}pytorch-training:2.6.0-gpu-py312-cu126-ubuntu22.04-sagemaker`, { asOf: '2026-04-15' }), ['end-of-patch']);
    assert.deepEqual(rules(`${E}pytorch-inference:2.6.0-gpu-py312-cu124-ubuntu22.04-sagemaker`, { asOf: '2026-04-15' }), ['end-of-patch-soon']);
  });

  it('superseded-patch: a warning for images, with a safe latest-patch fix when only the version changes', () => {
    const uri = `${E}tensorflow-inference:2.9.2-gpu-py39-cu112-ubuntu20.04-sagemaker`;
    const f = one(uri, 'superseded-patch', { asOf: '2022-12-01' });
    assert.equal(f.severity, 'warning');
    assert.equal(f.since, '2022-11-17');
    assert.match(f.message, /TensorFlow 2\.9\.2 is superseded by 2\.9\.3 \(released by 2022-11-17\), published as 2\.9\.3-gpu-py39-cu112-ubuntu20\.04-sagemaker.*DLAMI §Framework version \(patch\) upgrades/);
    assert.deepEqual(f.fixes.map((x) => [x.title, x.safe, x.preferred]), [['Update image to 2.9.3-gpu-py39-cu112-ubuntu20.04-sagemaker (latest patch: TensorFlow 2.9.3)', true, true]]);
    // before 2.9.3 was released there was nothing to supersede it
    assert.ok(!rules(uri, { asOf: '2022-10-01' }).includes('superseded-patch'));
  });

  it('a Hugging Face image is judged by the PyTorch version it is built on', () => {
    const uri = `${E}huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04`;
    assert.deepEqual(rules(uri), ['end-of-patch', 'python-end-of-life', 'os-end-of-life']);
    assert.match(one(uri, 'end-of-patch').message, /^PyTorch 2\.1 reached end of patch on 2024-10-04/);
    // earlier, a newer published HF tag on a supported PyTorch is proposed, transformers version and all
    const f = one(uri, 'end-of-patch-soon', { asOf: '2024-09-01' });
    assert.ok(f.fixes.length > 0);
    for (const x of f.fixes) assert.ok(catalog.images!.isPublished('huggingface-pytorch-training', x.edits[0].newText), x.title);
  });

  it('a Neuron DLC: Python and OS are judged, the framework version by the Neuron policy (its sdk part)', () => {
    const uri = `${E}pytorch-inference-neuronx:1.13.1-neuronx-py310-sdk2.15.0-ubuntu20.04`;
    assert.deepEqual(rules(uri).sort(), ['neuron-end-of-support', 'neuron-sdk-outdated', 'os-end-of-life', 'python-end-of-life']);
    assert.deepEqual(rules(`${E}pytorch-inference-neuronx:2.9.0-neuronx-py312-sdk2.31.1-ubuntu24.04`), []);
  });

  it('discontinued: MXNet and Elastic Inference images, with the day each was retired', () => {
    const eia = check(`${E}mxnet-inference-eia:1.5.1-cpu-py3`).filter((f) => f.rule === 'discontinued');
    assert.deepEqual(eia.map((f) => f.since), ['2024-04-01', '2023-09-01']);
    assert.match(eia[0].message, /Amazon Elastic Inference, which is discontinued since 2024-04/);
    assert.match(eia[1].message, /Apache MXNet, which is discontinued since 2023-09/);
    assert.ok(rules(`${E}mxnet-training:1.9.0-gpu-py38-cu112-ubuntu20.04`).includes('discontinued'));
    assert.ok(rules(`${E}pytorch-inference-eia:1.5.1-cpu-py3`).includes('discontinued'));
    assert.ok(!rules(`${E}pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker`).includes('discontinued'));
  });

  it('python-end-of-life: py2 and py36 tags, python base images; not on the end-of-life day itself', () => {
    const py36 = one(`${E}tensorflow-training:1.15.5-gpu-py36-cu100-ubuntu18.04`, 'python-end-of-life');
    assert.equal(py36.since, '2021-12-23');
    assert.match(py36.message, /^Python 3\.6 \(`py36`\) reached end of life on 2021-12-23 .*DLAMI §Dependency end-of-support/);
    const py2 = check(`520713654638.dkr.ecr.us-east-1.amazonaws.com/sagemaker-mxnet:1.3.0-gpu-py2`);
    assert.ok(py2.some((f) => f.rule === 'python-end-of-life' && /Python 2\.7/.test(f.message)));
    assert.ok(py2.some((f) => f.rule === 'discontinued' && /Python 2 framework images/.test(f.message)));
    assert.ok(rules('python:3.7-slim').includes('python-end-of-life'));
    assert.deepEqual(rules('python:3.10', { asOf: '2026-10-31' }), []);
    assert.deepEqual(rules('python:3.10', { asOf: '2026-11-01' }), ['python-end-of-life']);
  });

  it('python-end-of-life fix: the nearest published tag on a supported Python and OS', () => {
    const f = one(`${E}pytorch-training:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker`, 'os-end-of-life', { asOf: '2025-06-15' });
    assert.equal(f.fixes.length, 1);
    const tag = f.fixes[0].edits[0].newText;
    assert.ok(catalog.images!.isPublished('pytorch-training', tag));
    assert.doesNotMatch(tag, /ubuntu20\.04/);
    assert.match(f.fixes[0].title, /nearest with a supported OS/);
  });

  it('os-end-of-life: ubuntu16.04 and ubuntu18.04 tags and base images', () => {
    assert.ok(rules(`${E}tensorflow-training:1.15.5-gpu-py36-cu100-ubuntu18.04`).includes('os-end-of-life'));
    assert.ok(rules(`${E}pytorch-training:1.4.0-gpu-py36-cu101-ubuntu16.04`).includes('os-end-of-life'));
    const u = one('ubuntu:18.04', 'os-end-of-life');
    assert.equal(u.since, '2023-05-31');
    assert.ok(rules('nvidia/cuda:11.8.0-runtime-ubuntu18.04').includes('os-end-of-life'));
    assert.deepEqual(rules('ubuntu:22.04'), []);
    assert.deepEqual(rules('ubuntu:20.04', { asOf: '2025-05-31' }), []);
    assert.deepEqual(rules('ubuntu:20.04', { asOf: '2025-06-01' }), ['os-end-of-life']);
  });

  it('base images: framework end of patch of pytorch/pytorch tags, without fixes', () => {
    const f = one('pytorch/pytorch:1.13.1-cuda11.6-cudnn8-runtime', 'end-of-patch');
    assert.equal(f.endOfPatch, '2024-10-28');
    assert.deepEqual(f.fixes, []);
  });

  it('registry-region-mismatch: the us-east-1 account in ap-east-1, with a safe account fix', () => {
    const uri = '763104351884.dkr.ecr.ap-east-1.amazonaws.com/pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker';
    const f = one(uri, 'registry-region-mismatch');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /^ap-east-1's DLC images are served by account 871362719292, not 763104351884/);
    assert.deepEqual(f.fixes.map((x) => [x.safe, x.preferred]), [[true, true]]);
    assert.equal(applyEdits(uri, f.fixes[0].edits), uri.replace('763104351884', '871362719292'));
    assert.ok(!rules(uri.replace('763104351884', '871362719292')).includes('registry-region-mismatch'));
    assert.ok(!rules(`${E}pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker`).includes('registry-region-mismatch'));
    assert.ok(!rules('${AWS::AccountId}.dkr.ecr.ap-east-1.amazonaws.com/pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker').includes('registry-region-mismatch'));
  });

  it('legacy-image: legacy account and repository in one finding; Graviton moves to arm64', () => {
    const both = check('520713654638.dkr.ecr.us-east-1.amazonaws.com/sagemaker-tensorflow-serving:1.12.0-cpu').filter((f) => f.rule === 'legacy-image');
    assert.equal(both.length, 1);
    assert.match(both[0].message, /sagemaker-tensorflow-serving is a legacy DLC repository.*current repository is tensorflow-inference.*520713654638 is a legacy SageMaker framework image account/);
    const uri = `${E}pytorch-inference-graviton:2.0.0-cpu-py310-ubuntu20.04-sagemaker`;
    const g = one(uri, 'legacy-image', { asOf: '2025-03-01' });
    assert.equal(g.fixes.length, 1);
    assert.equal(g.fixes[0].safe, false);
    const moved = applyEdits(uri, g.fixes[0].edits);
    const [repo, tag] = moved.slice(E.length).split(':');
    assert.equal(repo, 'pytorch-inference-arm64');
    assert.ok(catalog.images!.isPublished(repo, tag), tag);
    // a repository with no single successor: no fix
    assert.deepEqual(one(`${E}sagemaker-chainer:5.0.0-gpu-py3`, 'legacy-image').fixes, []);
  });

  it('image-not-published: information, with published supported tags; build suffixes of listed tags count as published', () => {
    const f = one(`${E}pytorch-training:2.9.9-gpu-py312-cu130-ubuntu22.04-sagemaker`, 'image-not-published');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /lists no tag 2\.9\.9-gpu-py312-cu130-ubuntu22\.04-sagemaker for pytorch-training/);
    assert.ok(f.fixes.length >= 1);
    for (const x of f.fixes) assert.ok(catalog.images!.isPublished('pytorch-training', x.edits[0].newText));
    assert.ok(!rules(`${E}pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker-v1.3`).includes('image-not-published'));
    assert.ok(!rules(`${E}pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker`).includes('image-not-published'));
  });

  it('unpinned: :latest and no tag are a hint for images by default (off for package pins); a digest pins', () => {
    assert.deepEqual(rules(`${E}pytorch-training:latest`), ['unpinned']);
    assert.deepEqual(rules('python'), ['unpinned']);
    assert.deepEqual(rules(`python@sha256:${'a'.repeat(64)}`), []);
    const a = analyze(`${E}pytorch-training:latest`);
    assert.deepEqual(a.findings.map((f) => [f.rule, f.severity]), [['unpinned', 'hint']]);
    assert.deepEqual(analyze(`${E}pytorch-training:latest`, { severities: { unpinned: 'off' } }).findings, []);
  });

  it('the analysis dispatches images to these rules and keeps superseded-patch a warning for them', () => {
    const a = analyze(`${E}tensorflow-inference:2.9.2-gpu-py39-cu112-ubuntu20.04-sagemaker`, { asOf: '2022-12-01' });
    assert.deepEqual(a.findings.map((f) => [f.rule, f.severity]), [['superseded-patch', 'warning']]);
    assert.equal(analyze(`${E}tensorflow-inference:2.9.2-gpu-py39-cu112-ubuntu20.04-sagemaker`, { asOf: '2022-12-01', severities: { 'superseded-patch': 'hint' } }).findings[0].severity, 'hint');
  });

  it('fixes edit the tag range only, and a placeholder tag gets none', () => {
    const ref = imageRef(`${E}pytorch-training:2.5.1-gpu-py311-cu124-ubuntu22.04-sagemaker`, catalog);
    const [f] = checkContainerImage(ref, ruleContext(catalog, { asOf: AS_OF })).filter((x) => x.rule === 'end-of-patch');
    assert.deepEqual(f.fixes[0].edits[0].range, ref.image.tag!.range);
    const placeholder = check(`${E}pytorch-training:\${TAG}`);
    assert.ok(placeholder.every((x) => x.fixes.length === 0));
  });

  it('hover: the parts with their lifecycle, the tags of the same line and the nearest supported tags', () => {
    const d = describeReference(imageRef(`${E}pytorch-training:2.6.0-gpu-py312-cu126-ubuntu22.04-sagemaker`, catalog), ruleContext(catalog, { asOf: AS_OF }))!;
    assert.equal(d.title, 'PyTorch 2.6 DLC (pytorch-training)');
    assert.match(d.status!, /End of patch reached 296 days ago/);
    const label = (l: string) => d.facts.find((f) => f.label === l)?.value;
    assert.match(label('Python 3.12 end of life')!, /^2028-10-31/);
    assert.match(label('Ubuntu 22.04 LTS end of life')!, /^2027-04-01/);
    assert.match(label('Published tags of the same line')!, /2\.6-gpu-py312-cu126-ubuntu22\.04-sagemaker-v1/);
    assert.equal(label('Nearest supported tags'), '2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker');
  });

  it('through the recogniser: a wrong-region account and an old PyTorch in one URI, and ubuntu:18.04', () => {
    const ctx = ruleContext(catalog, { asOf: AS_OF });
    const at = (o: number) => ({ line: 0, character: o });
    const uri = '763104351884.dkr.ecr.ap-east-1.amazonaws.com/pytorch-training:2.5.1-gpu-py311-cu124-ubuntu22.04-sagemaker';
    const ref = recognizeImage(uri, at, catalog)!;
    const found = checkContainerImage(ref, ctx);
    assert.deepEqual(found.map((f) => f.rule), ['registry-region-mismatch', 'end-of-patch']);
    const fixed = applyEdits(uri, [...found[0].fixes[0].edits, ...found[1].fixes[0].edits]);
    assert.equal(fixed, '871362719292.dkr.ecr.ap-east-1.amazonaws.com/pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker');
    assert.deepEqual(checkContainerImage(recognizeImage('ubuntu:18.04', at, catalog)!, ctx).map((f) => f.rule), ['os-end-of-life']);
  });
});
