import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as toml from 'toml';
import { CatalogError } from '../../server/src/catalog/load';
import { expandTagPattern, parseDlcTag, parseDlcTagAt, parseImagesFile, processorKind } from '../../server/src/catalog/images';
import type { DlcTagParts, TagPart } from '../../server/src/catalog/images';
import { isCalendarDay } from '../../server/src/dates';

const TOML_TEXT = readFileSync(path.join(__dirname, '../../server/data/images.toml'), 'utf8');
const raw = () => toml.parse(TOML_TEXT) as Record<string, any>;
const images = parseImagesFile(raw(), 'images.toml');

const SLOTS = ['frameworkVersion', 'transformersVersion', 'engine', 'variant', 'processor', 'arch', 'python', 'cuda', 'os', 'neuronSdk', 'platform', 'suffix'] as const;
const partsOf = (p: DlcTagParts) => SLOTS.filter((s) => p[s]).map((s) => [s, (p[s] as TagPart).text]);
const minorOf = (v: string) => /^(\d+)\.(\d+)/.exec(v)?.slice(1, 3).join('.');

describe('images.toml: schema and cross-checks', () => {
  it('validates and carries the header the project requires', () => {
    assert.match(TOML_TEXT, /^# .*\n# GENERATED FILE by tools\/derive-images\.mjs/);
    assert.match(TOML_TEXT, /--sources <sources> --generated YYYY-MM-DD/);
    assert.doesNotMatch(TOML_TEXT, /\/work\/|\/tmp\/|\/root\//);
    assert.equal(images.generated, '2026-11-21');
    assert.equal(images.dataAsOf, '2026-08-21');
  });

  it('defines every source id it uses, all prefixed images-', () => {
    const file = raw();
    for (const id of Object.keys(file.sources)) assert.match(id, /^images-/);
    for (const r of images.repositories()) {
      for (const id of r.sources) assert.ok(images.source(id), `${r.name}: ${id}`);
      for (const l of r.lines) assert.ok(images.source(l.source));
    }
    for (const g of [...images.registryList('dlc'), ...images.registryList('sagemaker-algorithm')]) {
      for (const id of [g.source, ...g.confirmedBy, ...g.otherAccounts.map((o) => o.source)]) assert.ok(images.source(id), `${g.region}: ${id}`);
    }
  });

  it('has one registry per region and kind, with a partition rule that agrees', () => {
    for (const kind of ['dlc', 'sagemaker-algorithm'] as const) {
      const regions = images.registryList(kind).map((g) => g.region);
      assert.equal(new Set(regions).size, regions.length, kind);
      for (const g of images.registryList(kind)) {
        const rule = images.partitionFor(g.region)!;
        assert.deepEqual([rule.partition, rule.domain], [g.partition, g.domain], g.region);
        assert.match(g.account, /^\d{12}$/);
      }
    }
    assert.ok(images.registryList('dlc').length >= 40);
    // Regions of every partition the SDK lists are covered.
    for (const p of ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-f', 'aws-iso-e', 'aws-eusc']) {
      assert.ok(images.registryList('dlc').some((g) => g.partition === p), p);
    }
  });

  it('reads every published tag by the tag grammar, consistent with the repository facts', () => {
    let count = 0;
    for (const r of images.repositories()) {
      assert.ok(r.tags.length > 0, r.name);
      for (const tag of r.tags) {
        count++;
        const p = parseDlcTag(tag);
        assert.ok(p, `${r.name}:${tag} does not parse`);
        assert.equal(p.end, tag.length);
        const kind = processorKind(p);
        if (kind) assert.ok(r.processors.includes(kind), `${r.name}:${tag} processor ${kind} not in ${r.processors.join(',')}`);
        if (p.platform) assert.ok(r.platforms.includes(p.platform.text), `${r.name}:${tag} platform`);
        if (r.accelerator === 'neuronx' && p.processor) assert.equal(kind, 'neuronx', `${r.name}:${tag}`);
        if (['pytorch', 'tensorflow', 'mxnet'].includes(r.framework) && p.scheme !== 'rolling') {
          assert.match(p.frameworkVersion?.text ?? '', /^\d+\.\d+(\.\d+)*$/, `${r.name}:${tag}`);
        }
      }
    }
    assert.ok(count > 2000, `only ${count} tags`);
  });

  it('agrees with the DLC docs image lines: version, processor and Python of each line tag', () => {
    let checked = 0;
    for (const r of images.repositories()) {
      for (const l of r.lines) {
        if (l.ga && l.eop) assert.ok(l.ga <= l.eop && isCalendarDay(l.ga) && isCalendarDay(l.eop), `${r.name} ${l.version}`);
        for (const tag of l.tags) {
          assert.ok(images.isPublished(r.name, tag), `${r.name}:${tag}`);
          const p = parseDlcTag(tag)!;
          const minor = minorOf(l.version);
          if (p.frameworkVersion && minor && p.scheme !== 'algorithm') assert.equal(minorOf(p.frameworkVersion.text), minor, `${r.name}:${tag} vs ${l.version}`);
          if (processorKind(p)) assert.equal(processorKind(p), l.processor, `${r.name}:${tag}`);
          if (p.python && l.python) assert.equal(p.python.text, l.python, `${r.name}:${tag}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 150, `only ${checked}`);
  });

  it('frameworks use the catalog ids for PyTorch, TensorFlow and MXNet', () => {
    assert.equal(images.repository('pytorch-training')?.framework, 'pytorch');
    assert.equal(images.repository('sagemaker-tensorflow-serving')?.framework, 'tensorflow');
    assert.equal(images.repository('mxnet-inference-eia')?.framework, 'mxnet');
    assert.equal(images.repository('huggingface-pytorch-training')?.framework, 'huggingface-pytorch');
    assert.equal(images.repository('sagemaker-chainer')?.framework, 'chainer');
  });
});

describe('images.toml: facts copied from the source rows', () => {
  it('pytorch-training 2.6 gpu sagemaker (dlc-images.csv): full tag, -v1 tag, short tag, GA/EOP', () => {
    const tag = '2.6.0-gpu-py312-cu126-ubuntu22.04-sagemaker';
    assert.ok(images.isPublished('pytorch-training', tag));
    assert.ok(images.isPublished('pytorch-training', '2.6-gpu-py312-cu126-ubuntu22.04-sagemaker-v1'));
    assert.ok(images.isPublished('pytorch-training', '2.6.0-gpu-py312'));
    assert.equal(images.tagSource('pytorch-training', tag), 'images-dlc-docs-data');
    const p = parseDlcTag(tag)!;
    assert.equal(p.scheme, 'full');
    assert.deepEqual(partsOf(p), [['frameworkVersion', '2.6.0'], ['processor', 'gpu'], ['python', 'py312'], ['cuda', 'cu126'], ['os', 'ubuntu22.04'], ['platform', 'sagemaker']]);
    const v1 = parseDlcTag('2.6-gpu-py312-cu126-ubuntu22.04-sagemaker-v1')!;
    assert.deepEqual([v1.frameworkVersion?.text, v1.suffix?.text, v1.suffix?.start], ['2.6', 'v1', 42]);
    const line = images.repository('pytorch-training')!.lines.find((l) => l.tags.includes(tag))!;
    assert.deepEqual([line.version, line.ga, line.eop], ['2.6', '2025-01-29', '2026-01-29']);
    const r = images.repository('pytorch-training')!;
    assert.deepEqual([r.job, r.legacy, r.accelerator], ['training', false, undefined]);
    assert.deepEqual(r.publicRegistries, ['public.ecr.aws/deep-learning-containers']);
  });

  it('pytorch 2.13 AL2023 (dlc-images.csv): 2.13.0-cu133-amzn2023-sagemaker, EOP 2027-07-20', () => {
    const p = parseDlcTag('2.13.0-cu133-amzn2023-sagemaker')!;
    assert.equal(p.scheme, 'amzn2023');
    assert.deepEqual(partsOf(p), [['frameworkVersion', '2.13.0'], ['cuda', 'cu133'], ['os', 'amzn2023'], ['platform', 'sagemaker']]);
    assert.equal(processorKind(p), 'gpu');
    assert.ok(images.isPublished('pytorch', '2.13.0-cu133-amzn2023-sagemaker'));
    assert.ok(images.isPublished('pytorch', '2.13-cpu-amzn2023'));
    const line = images.repository('pytorch')!.lines.find((l) => l.tags.includes('2.13.0-cu133-amzn2023-sagemaker'))!;
    assert.deepEqual([line.ga, line.eop], ['2026-07-20', '2027-07-20']);
  });

  it('Neuron: public.ecr.aws/neuron/pytorch-inference-neuronx:2.9.0-neuronx-py312-sdk2.31.1-ubuntu24.04 (neuron-dlc-images.csv)', () => {
    const tag = '2.9.0-neuronx-py312-sdk2.31.1-ubuntu24.04';
    assert.ok(images.isPublished('pytorch-inference-neuronx', tag));
    const p = parseDlcTag(tag)!;
    assert.equal(p.scheme, 'neuron');
    assert.deepEqual(partsOf(p), [['frameworkVersion', '2.9.0'], ['processor', 'neuronx'], ['python', 'py312'], ['os', 'ubuntu24.04'], ['neuronSdk', 'sdk2.31.1']]);
    const r = images.repository('pytorch-inference-neuronx')!;
    assert.equal(r.accelerator, 'neuronx');
    assert.ok(r.publicRegistries.includes('public.ecr.aws/neuron'));
    // Inf1 (legacy list): pytorch-inference-neuron 1.13.1-neuron-py310-sdk2.15.0-ubuntu20.04
    assert.ok(images.isPublished('pytorch-inference-neuron', '1.13.1-neuron-py310-sdk2.15.0-ubuntu20.04'));
    assert.equal(images.repository('pytorch-inference-neuron')!.accelerator, 'neuron');
  });

  it('Hugging Face: huggingface-pytorch-training 2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04', () => {
    const tag = '2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04';
    assert.ok(images.isPublished('huggingface-pytorch-training', tag));
    const p = parseDlcTag(tag)!;
    assert.equal(p.scheme, 'huggingface');
    assert.deepEqual([p.frameworkVersion?.text, p.transformersVersion?.text, p.transformersVersion?.start], ['2.1.0', '4.36.0', 18]);
    // The SDK's alias form (transformers_version="4.36", pytorch_version="2.1") is a published tag too.
    assert.ok(images.isPublished('huggingface-pytorch-training', '2.1-transformers4.36-gpu-py310-cu121-ubuntu20.04'));
    assert.equal(images.tagSource('huggingface-pytorch-training', '2.1-transformers4.36-gpu-py310-cu121-ubuntu20.04'), 'images-sagemaker-sdk');
  });

  it('legacy Python 2/3 tags: sagemaker-chainer 4.1.0-gpu-py2, sagemaker-pytorch 1.0.0-cpu-py3, tensorflow-inference 1.13-gpu', () => {
    assert.ok(images.isPublished('sagemaker-chainer', '4.1.0-gpu-py2'));
    assert.ok(images.isPublished('sagemaker-chainer', '5.0-cpu-py3'));
    assert.ok(images.isPublished('sagemaker-pytorch', '1.0.0-cpu-py3'));
    assert.ok(images.isPublished('tensorflow-inference', '1.13-gpu'));
    assert.equal(parseDlcTag('1.0.0-cpu-py3')!.scheme, 'legacy-py');
    assert.equal(parseDlcTag('1.13-gpu')!.scheme, 'minimal');
    assert.deepEqual([images.repository('sagemaker-chainer')!.legacy, images.repository('sagemaker-chainer')!.job], [true, 'training-inference']);
    // available_images.md history: pytorch-training 1.2.0-cpu-py36-ubuntu16.04 (first seen 2020-12-18)
    assert.ok(images.isPublished('pytorch-training', '1.2.0-cpu-py36-ubuntu16.04'));
    // Triton: 23.12-py3 (GPU tags carry no -gpu), 21.08-py3-cpu
    assert.ok(images.isPublished('sagemaker-tritonserver', '23.12-py3'));
    assert.ok(images.isPublished('sagemaker-tritonserver', '21.08-py3-cpu'));
    assert.ok(!images.isPublished('sagemaker-tritonserver', '22.'));
  });

  it('other schemes of the data: engine, algorithm, build, rolling', () => {
    assert.deepEqual(partsOf(parseDlcTag('0.36.0-lmi27.0.0-cu130')!), [['frameworkVersion', '0.36.0'], ['engine', 'lmi27.0.0'], ['cuda', 'cu130']]);
    assert.ok(images.isPublished('djl-inference', '0.36.0-lmi27.0.0-cu130'));
    assert.deepEqual(partsOf(parseDlcTag('1.0-1-arm64-cpu-py3')!), [['frameworkVersion', '1.0-1'], ['processor', 'cpu'], ['arch', 'arm64'], ['python', 'py3']]);
    assert.ok(images.isPublished('sagemaker-xgboost', '3.0-5'));
    assert.equal(parseDlcTag('b9522-gpu-cu130-ubuntu24.04-v1.0')!.scheme, 'build');
    assert.deepEqual(partsOf(parseDlcTag('server-sagemaker-cuda-v2.0')!), [['variant', 'server'], ['processor', 'cuda'], ['platform', 'sagemaker'], ['suffix', 'v2.0']]);
    assert.ok(images.isPublished('vllm', 'server-sagemaker-cuda-v2.0'));
    assert.ok(images.isPublished('ray', 'serve-ml-cpu-v1.0'));
  });

  it('registries: us-east-1, cn-north-1, us-gov-west-1, ap-east-1, me-south-1 (region_availability.md, SDK config)', () => {
    const acct = (r: string) => {
      const g = images.registryFor(r)!;
      return [g.account, g.domain, g.partition];
    };
    assert.deepEqual(acct('us-east-1'), ['763104351884', 'amazonaws.com', 'aws']);
    assert.deepEqual(acct('cn-north-1'), ['727897471807', 'amazonaws.com.cn', 'aws-cn']);
    assert.deepEqual(acct('us-gov-west-1'), ['442386744353', 'amazonaws.com', 'aws-us-gov']);
    assert.deepEqual(acct('ap-east-1'), ['871362719292', 'amazonaws.com', 'aws']);
    assert.deepEqual(acct('me-south-1'), ['217643126080', 'amazonaws.com', 'aws']);
    assert.equal(images.registryFor('us-gov-west-1')!.source, 'images-sagemaker-sdk'); // not in the DLC docs table
    assert.equal(images.registryFor('us-east-1', 'sagemaker-algorithm')!.account, '683313688378');
    assert.equal(images.registryFor('xx-nowhere-1'), undefined);
    assert.ok(images.regionsForAccount('763104351884').includes('eu-west-1'));
    assert.deepEqual(images.regionsForAccount('727897471807'), ['cn-north-1', 'cn-northwest-1']);
    assert.ok(images.isDlcAccount('763104351884'));
    assert.ok(!images.isDlcAccount('683313688378'));
    assert.equal(images.accountKind('683313688378'), 'sagemaker-algorithm');
    assert.ok(!images.isDlcAccount('123456789012'));
  });

  it('legacy accounts: 520713654638 pattern and the pre-23.12 Triton account 007439368137', () => {
    assert.ok(images.isLegacyAccount('520713654638'));
    assert.ok(!images.isDlcAccount('520713654638'));
    assert.ok(images.legacyAccount('520713654638')!.regions.includes('us-west-2'));
    assert.ok(images.isLegacyAccount('007439368137'));
    // ap-northeast-3 kept its legacy account for DLCs.
    assert.ok(images.isLegacyAccount('364406365360') && images.isDlcAccount('364406365360'));
  });

  it('public registries', () => {
    assert.equal(images.publicRegistry('public.ecr.aws/deep-learning-containers/vllm:0.13-gpu-py312')?.kind, 'dlc');
    assert.equal(images.publicRegistry('public.ecr.aws/neuron/pytorch-inference-neuronx:2.9.0-neuronx-py312-sdk2.31.1-ubuntu24.04')?.kind, 'neuron');
    assert.equal(images.publicRegistry('public.ecr.aws/neuronx/foo:1'), undefined);
    assert.equal(images.publicRegistry('public.ecr.aws/docker/library/python:3.11'), undefined);
  });
});

describe('isPublished and parseDlcTag(tag, repository)', () => {
  it('answers exact tags only', () => {
    assert.ok(!images.isPublished('pytorch-training', '2.6.1-gpu-py312-cu126-ubuntu22.04-sagemaker'));
    assert.ok(!images.isPublished('pytorch-training', '2.6.0-gpu-py312-cu126-ubuntu22.04-sagemakerx'));
    assert.ok(!images.isPublished('pytorch-training', '2.6.0-GPU-py312'));
    assert.ok(!images.isPublished('no-such-repo', '2.6.0-gpu-py312'));
    assert.ok(!images.isPublished('pytorch-inference', '2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04'));
    assert.equal(images.parseDlcTag('2.6.0-gpu-py312', 'pytorch-training')?.published, true);
    assert.equal(images.parseDlcTag('2.6.7-gpu-py312', 'pytorch-training')?.published, false);
    assert.equal(images.parseDlcTag('2.6.7-gpu-py312')?.published, undefined);
    assert.equal(images.parseDlcTag('2.6.7-gpu-py312', 'unknown')?.published, undefined);
  });
});

describe('nearestPublishedTags', () => {
  const from = (minor: string) => (v: string) => {
    const m = minorOf(v);
    return m !== undefined && Number(m.split('.')[0]) === 2 && Number(m.split('.')[1]) >= Number(minor.split('.')[1]);
  };
  it('suggests the nearest newer supported minors in the same layout', () => {
    const out = images.nearestPublishedTags('pytorch-training', '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', from('2.6'));
    assert.deepEqual(out.map((x) => x.tag), ['2.6.0-gpu-py312-cu126-ubuntu22.04-sagemaker', '2.7.1-gpu-py312-cu128-ubuntu22.04-sagemaker', '2.8.0-gpu-py312-cu129-ubuntu22.04-sagemaker']);
    assert.equal(out[0].parts.platform?.text, 'sagemaker');
    const short = images.nearestPublishedTags('pytorch-training', '2.9.0-gpu-py312', from('2.10'), 2);
    assert.deepEqual(short.map((x) => x.tag), ['2.10.0-gpu-py313']);
    const cpuEc2 = images.nearestPublishedTags('pytorch-training', '2.5.1-cpu-py311-ubuntu22.04-ec2', from('2.6'), 1);
    assert.deepEqual(cpuEc2.map((x) => x.tag), ['2.6.0-cpu-py312-ubuntu22.04-ec2']);
  });
  it('prefers a newer patch of the same minor, then newer, then older versions', () => {
    const samePatch = images.nearestPublishedTags('tensorflow-inference', '2.9.2-gpu-py39-cu112-ubuntu20.04-sagemaker', (v) => v !== '2.9.2');
    assert.equal(samePatch[0].tag, '2.9.3-gpu-py39-cu112-ubuntu20.04-sagemaker');
    assert.equal(samePatch[1].tag, '2.10.0-gpu-py39-cu112-ubuntu20.04-sagemaker');
    const older = images.nearestPublishedTags('tensorflow-inference', '2.9.2-gpu-py39-cu112-ubuntu20.04-sagemaker', (v) => minorOf(v) === '2.8' || minorOf(v) === '2.3', 4);
    // Same layout first; then, widening to other layouts of the same processor, the nearest older first.
    assert.deepEqual(older.map((x) => x.tag), ['2.8.3-gpu-py39-cu112-ubuntu20.04-sagemaker', '2.8.4-gpu', '2.8-gpu', '2.3.2-gpu']);
    // Hugging Face: the same layout (full transformers version) is preferred.
    const hf = images.nearestPublishedTags('huggingface-pytorch-inference', '1.13.1-transformers4.26.0-gpu-py39-cu117-ubuntu20.04', (v) => v.startsWith('2.'), 1);
    assert.equal(hf[0].tag, '2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04');
  });
  it('returns nothing for an unknown repository, an unreadable tag or an empty acceptance', () => {
    assert.deepEqual(images.nearestPublishedTags('nope', '2.1.0-gpu-py310', () => true), []);
    assert.deepEqual(images.nearestPublishedTags('pytorch-training', 'not a tag', () => true), []);
    assert.deepEqual(images.nearestPublishedTags('pytorch-training', '2.1.0-gpu-py310', () => false), []);
  });
});

describe('parseDlcTag / parseDlcTagAt', () => {
  it('reads a tag inside a larger text by its range', () => {
    const text = 'FROM 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker AS base';
    const start = text.indexOf(':2.1.0') + 1;
    const end = text.indexOf(' AS');
    const p = parseDlcTagAt(text, start, end)!;
    assert.deepEqual([p.frameworkVersion, p.platform?.text], [{ text: '2.1.0', start, end: start + 5 }, 'sagemaker']);
  });
  it('rejects what is no DLC tag', () => {
    for (const t of ['', '-', '2.1.0-', '-2.1.0', '2.1.0--gpu', '2.1.0-gpu-gpu', '2.1.0-v1-gpu', '2.1.0-GPU', '2.1.0-gpu py3', 'sagemaker', 'x'.repeat(200), '2.1.0-foo']) {
      assert.equal(parseDlcTag(t), undefined, JSON.stringify(t));
    }
    assert.equal(parseDlcTagAt('2.1.0', 3, 2), undefined);
    assert.equal(parseDlcTagAt('2.1.0', -1, 2), undefined);
    assert.equal(parseDlcTagAt('2.1.0', 0, 9), undefined);
    assert.equal(parseDlcTagAt('2.1.0', 0.5, 3), undefined);
  });
  it('expands tag patterns', () => {
    assert.deepEqual(expandTagPattern('{2.6,2.6.0}-gpu-py312'), ['2.6-gpu-py312', '2.6.0-gpu-py312']);
    assert.deepEqual(expandTagPattern('2.6.0-gpu-py312'), ['2.6.0-gpu-py312']);
  });

  const checkParts = (text: string, start: number, end: number) => {
    const p = parseDlcTagAt(text, start, end);
    if (!p) return;
    assert.deepEqual([p.start, p.end], [start, end]);
    for (const s of SLOTS) {
      const part: TagPart | undefined = p[s];
      if (!part) continue;
      assert.ok(part.start >= start && part.start < part.end && part.end <= end, `${s} out of range`);
      assert.equal(text.slice(part.start, part.end), part.text);
    }
    if (p.suffix) assert.equal(p.suffix.end, end);
  };
  it('never throws on random input; offsets stay inside the range (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 160 }), fc.nat(170), fc.nat(170), (text, a, b) => {
        checkParts(text, 0, text.length);
        checkParts(text, Math.min(a, b), Math.max(a, b));
        parseDlcTagAt(text, a, b);
      }),
      { numRuns: 3000 },
    );
  });
  it('reads tags built from tag parts, inside surrounding text (property)', () => {
    const opt = (xs: string[]) => fc.option(fc.constantFrom(...xs), { nil: undefined });
    const built = fc.record({
      version: fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }).map((xs) => xs.join('.')),
      transformers: opt(['transformers4.36.0', 'transformers5.3.0']),
      engine: opt(['tgi0.6.0', 'lmi27.0.0', 'optimum0.4.5']),
      processor: opt(['cpu', 'gpu', 'neuronx', 'neuron', 'inf', 'hpu']),
      python: opt(['py2', 'py3', 'py38', 'py310', 'py312']),
      cuda: opt(['cu121', 'cu133']),
      os: opt(['ubuntu20.04', 'ubuntu22.04', 'amzn2023', 'al2023']),
      sdk: opt(['sdk2.15.0', 'sdk1.19.1']),
      platform: opt(['sagemaker', 'ec2', 'e3']),
      suffix: opt(['v1', 'v1.2', 'v8']),
      noise: fc.option(fc.constantFrom('-', '--', 'x', '-gpu', '-foo', ' '), { nil: undefined }),
      before: fc.constantFrom('', 'repo:', 'FROM x/pytorch-training:', '"'),
      after: fc.constantFrom('', ' AS base', '"', '\n'),
    });
    fc.assert(
      fc.property(built, (b) => {
        const pieces = [b.version, b.transformers, b.engine, b.processor, b.python, b.cuda, b.os, b.sdk, b.platform, b.suffix].filter((x): x is string => x !== undefined);
        const tag = pieces.join('-') + (b.noise ?? '');
        const text = b.before + tag + b.after;
        const start = b.before.length;
        const end = start + tag.length;
        checkParts(text, start, end);
        const p = parseDlcTagAt(text, start, end);
        if (b.noise === undefined) {
          assert.ok(p, `${tag} should parse`);
          assert.equal(p.frameworkVersion?.text, b.version);
          assert.equal(p.python?.text, b.python);
          assert.equal(p.processor?.text, b.processor);
          assert.equal(p.transformersVersion?.text, b.transformers?.slice('transformers'.length));
        } else if (b.noise !== '-gpu' || b.processor === 'gpu' || b.suffix) {
          assert.equal(p, undefined, tag);
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('stays fast on adversarial input', () => {
    const t0 = performance.now();
    for (const s of ['1.'.repeat(63) + '1', 'a'.repeat(127), `${'1.1-'.repeat(31)}x`, `py3-${'cu1-'.repeat(30)}`]) parseDlcTag(s);
    for (let i = 0; i < 2000; i++) parseDlcTag(`${i}.0.0-gpu-py310-cu121-ubuntu20.04-sagemaker-v1`);
    assert.ok(performance.now() - t0 < 500);
  });
});

describe('parseImagesFile errors', () => {
  const mutate = (f: (file: Record<string, any>) => void) => {
    const file = raw();
    f(file);
    return () => parseImagesFile(file, 'x.toml');
  };
  it('reports schema errors with the key path', () => {
    assert.throws(mutate((f) => { f.registries[0].account = '123'; }), (e: unknown) => e instanceof CatalogError && /^x\.toml: registries\[0\]\.account: must be a 12-digit/.test(e.message));
    assert.throws(mutate((f) => { f.repositories[0].job = 'serving'; }), /x\.toml: repositories\[0\]\.job:/);
    assert.throws(mutate((f) => { f.repositories[0].lines = [{ version: '1', processor: 'cpu', platform: 'ec2', ga: '2025-02-30', tags: ['a'], source: 'images-dlc-docs-data' }]; }), /repositories\[0\]\.lines\[0\]\.ga: must be a calendar day/);
  });
  it('reports cross-check failures', () => {
    assert.throws(mutate((f) => { f.registries[1].region = f.registries[0].region; f.registries[1].kind = f.registries[0].kind; }), /duplicate registry/);
    assert.throws(mutate((f) => { f.registries[0].source = 'nowhere'; }), /unknown source id "nowhere"/);
    assert.throws(mutate((f) => { f.registries.find((g: any) => g.region === 'cn-north-1').domain = 'amazonaws.com'; }), /partition\/domain do not follow/);
    assert.throws(mutate((f) => { f.repositories[0].tags['images-dlc-docs-data'] += '\nBad Tag'; }), /is not a tag pattern/);
    assert.throws(mutate((f) => { f.repositories[1].name = f.repositories[0].name; }), /duplicate repository/);
    const withLine = raw().repositories.findIndex((r: any) => r.lines?.length);
    assert.throws(mutate((f) => { f.repositories[withLine].lines[0].tags.push('9.9.9-gpu-py39'); }), /is not among the repository's tags/);
  });
});
