import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as toml from 'toml';
import { CatalogError, parseCatalog } from '../../server/src/catalog/load';
import { lifecycleFileSchema } from '../../server/src/catalog/lifecycleSchema';
import type { DlamiRecognition, LifecycleFacts } from '../../server/src/catalog/lifecycle';
import { compileGlob, normalizeOs, normalizePythonVersion, parseLifecycleFile } from '../../server/src/catalog/lifecycle';
import { isCalendarDay, toEpochDay } from '../../server/src/dates';

const FILE = path.join(__dirname, '../../server/data/lifecycle.toml');
const TEXT = readFileSync(FILE, 'utf8');
const RAW = toml.parse(TEXT) as Record<string, unknown>;
const facts: LifecycleFacts = parseLifecycleFile(RAW, 'lifecycle.toml');

const before = (a: string, b: string) => toEpochDay(a) < toEpochDay(b);
const clone = (): Record<string, any> => JSON.parse(JSON.stringify(RAW));

/** Every span a recognition reports lies inside the input and its text is the input's slice. */
function assertSpans(input: string, rec: DlamiRecognition | undefined): void {
  if (!rec) return;
  assert.ok(rec.start >= 0 && rec.start <= rec.end && rec.end <= input.length, `span ${rec.start}-${rec.end} outside ${input.length}`);
  for (const [k, span] of Object.entries(rec.parts)) {
    assert.ok(span.start >= rec.start && span.start < span.end && span.end <= rec.end, `${k} outside the match`);
    assert.equal(input.slice(span.start, span.end), span.text, `${k} text is not the input's slice`);
  }
}

/** Each case: input, expected family id, framework version text and OS key (`ubuntu-22.04`). */
type Case = [string, string, string | undefined, string | undefined];
function checkCases(cases: Case[], recognise: (text: string) => DlamiRecognition | undefined): void {
  for (const [input, family, fv, os] of cases) {
    const r = recognise(input);
    assert.equal(r?.family.id, family, input);
    assert.equal(r?.parts.frameworkVersion?.text, fv, input);
    const o = r?.parts.os?.os;
    assert.equal(o ? `${o.id}-${o.version}` : undefined, os, input);
    assertSpans(input, r);
  }
}

describe('lifecycle.toml: schema and provenance', () => {
  it('validates against the schema and carries the generated header', () => {
    assert.ok(lifecycleFileSchema.safeParse(RAW).success);
    assert.match(TEXT, /^# .*\n# GENERATED FILE by tools\/derive-lifecycle\.mjs/);
    assert.match(TEXT, /node tools\/derive-lifecycle\.mjs --sources <sources> --generated YYYY-MM-DD > server\/data\/lifecycle\.toml/);
    assert.equal(facts.generated, '2026-11-21');
    assert.equal(facts.dataAsOf, '2026-08-22');
    assert.doesNotMatch(TEXT, /\/work\/|\/tmp\/|\/root\/|\/home\//);
  });

  it('defines every source id it uses, prefixes them with eol- and shares none with catalog.toml', () => {
    const sources = RAW.sources as Record<string, unknown>;
    const used = new Set<string>();
    for (const m of TEXT.matchAll(/(?:^|[\s{,])(?:source|[a-z_]+_source) = "([^"]+)"/gm)) used.add(m[1]);
    for (const m of TEXT.matchAll(/^sources = \[([^\]]*)\]/gm)) for (const s of m[1].matchAll(/"([^"]+)"/g)) used.add(s[1]);
    assert.ok(used.size >= 15, `found only ${used.size} source references`);
    for (const id of used) assert.ok(id in sources, `source ${id} is not defined`);
    for (const id of Object.keys(sources)) {
      assert.ok(id.startsWith('eol-'), id);
      assert.ok(used.has(id), `source ${id} is defined but never used`);
    }
    const catalogIds = Object.keys((toml.parse(readFileSync(path.join(__dirname, '../../server/data/catalog.toml'), 'utf8')) as { sources: object }).sources);
    for (const id of catalogIds) assert.ok(!(id in sources), `source id ${id} also defined in catalog.toml`);
  });
});

describe('lifecycle.toml: cross-checks', () => {
  it('covers Python 2.7 and 3.6-3.14, each released before its end of life', () => {
    for (const v of ['2.7', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14']) assert.ok(facts.pythonEol(v), `Python ${v}`);
    for (const p of facts.pythonReleases) {
      assert.ok(before(p.released, p.endOfLife), `Python ${p.version}`);
      if (p.endOfBugfix) assert.ok(!before(p.endOfLife, p.endOfBugfix), `Python ${p.version} bugfix after EOL`);
      if (p.latestPatch) assert.ok(p.latestPatch.startsWith(`${p.version}.`));
    }
    const versions = facts.pythonReleases.map((p) => p.version);
    assert.deepEqual(versions.slice(-3), ['3.12', '3.13', '3.14'], 'sorted oldest first');
  });

  it('covers Ubuntu 16.04-24.04 LTS and Amazon Linux 1, 2 and 2023 with ordered dates', () => {
    for (const k of ['ubuntu-16.04', 'ubuntu-18.04', 'ubuntu-20.04', 'ubuntu-22.04', 'ubuntu-24.04', 'amazon-linux-1', 'amazon-linux-2', 'amazon-linux-2023']) {
      assert.ok(facts.osReleases.some((o) => o.key === k), k);
    }
    for (const o of facts.osReleases) {
      if (o.id === 'ubuntu') assert.ok(o.lts, `${o.key} is LTS`);
      assert.ok(before(o.released, o.endOfLife), o.key);
      if (o.endOfActiveSupport) assert.ok(!before(o.endOfLife, o.endOfActiveSupport), o.key);
      if (o.endOfExtendedSupport) assert.ok(before(o.endOfLife, o.endOfExtendedSupport), o.key);
      if (o.dlamiEndOfPatch && o.dlamiEndOfPatch.on !== o.endOfLife) assert.ok(o.note?.includes(o.dlamiEndOfPatch.on), `${o.key}: the DLAMI difference is explained`);
      for (const c of o.conflicts) assert.ok(facts.source(c.source), `${o.key} conflict source`);
    }
  });

  it('has retired things with sensible successors, dates and sources', () => {
    const frameworkIds = new Set(parseCatalog(readFileSync(path.join(__dirname, '../../server/data/catalog.toml'), 'utf8')).frameworks.map((f) => f.id));
    for (const r of facts.retiredThings) {
      for (const f of r.successorFrameworks) {
        assert.ok(frameworkIds.has(f), `${r.id}: successor framework ${f} is in the framework catalog`);
        assert.equal(facts.retiredFor({ framework: f }).length, 0, `${r.id}: successor ${f} is itself retired`);
      }
      for (const id of r.successorDlamiFamilies) {
        const fam = facts.dlamiFamily(id);
        assert.ok(fam, `${r.id}: successor family ${id}`);
        assert.equal(fam.retired, undefined, `${r.id}: successor family ${id} is retired`);
        assert.equal(facts.retiredForFamily(id).length, 0);
      }
      assert.ok(r.migration.length > 20, `${r.id} has migration advice`);
      assert.ok(r.end || r.announced || r.lastVersion || r.endNote, `${r.id} has a date or says why not`);
      for (const d of [r.announced, r.noNewCustomers, r.end]) {
        if (!d) continue;
        assert.ok(isCalendarDay(d.effectiveDay));
        assert.ok(facts.source(d.source), `${r.id} date source`);
        assert.equal(d.monthOnly, !isCalendarDay(d.on));
      }
      if (r.announced && r.end) assert.ok(!before(r.end.effectiveDay, r.announced.effectiveDay), `${r.id} ends before it was announced`);
      for (const s of r.sources) assert.ok(facts.source(s), `${r.id} source ${s}`);
    }
    for (const fam of facts.dlamiFamilies) {
      if (fam.retired) assert.ok(facts.retired(fam.retired), `${fam.id} retired id`);
      if (fam.multiFramework) assert.equal(fam.framework, undefined, `${fam.id} multi-framework has no single framework`);
    }
  });

  it('recognises every example of every DLAMI family as that family, and no other', () => {
    let n = 0;
    for (const fam of facts.dlamiFamilies) {
      for (const name of fam.exampleNames) {
        const rec = facts.dlamiFamilyForName(name);
        assert.equal(rec?.family.id, fam.id, name);
        assertSpans(name, rec);
        n++;
      }
      for (const p of fam.exampleSsmParameters) {
        const rec = facts.dlamiFamilyForSsmParameter(p);
        assert.equal(rec?.family.id, fam.id, p);
        if (rec?.parts.os?.os) assert.ok(fam.os.includes(`${rec.parts.os.os.id}-${rec.parts.os.os.version}`), `${p}: OS listed in the family`);
        n++;
      }
    }
    assert.ok(n >= 60, `only ${n} examples`);
  });
});

describe('lifecycle.toml: facts copied from the sources', () => {
  it('Python (endoflife.date python.md)', () => {
    const p38 = facts.pythonEol('3.8')!;
    assert.deepEqual([p38.released, p38.endOfBugfix, p38.endOfLife, p38.latestPatch], ['2019-10-14', '2021-05-03', '2024-10-07', '3.8.20']);
    const p27 = facts.pythonEol('2.7')!;
    assert.deepEqual([p27.released, p27.endOfLife, p27.latestPatch, p27.endOfBugfix], ['2010-07-03', '2020-01-01', '2.7.18', undefined]);
    assert.equal(p27.dlamiDeprecated?.on, '2020-01-01');
    const p36 = facts.pythonEol('3.6')!;
    assert.deepEqual([p36.endOfLife, p36.dlamiDeprecated?.on], ['2021-12-23', '2020-06-15']);
    assert.deepEqual([facts.pythonEol('3.10')!.endOfLife, facts.pythonEol('3.14')!.released, facts.pythonEol('3.14')!.endOfLife], ['2026-10-31', '2025-10-07', '2030-10-31']);
  });

  it('Ubuntu (endoflife.date ubuntu.md and the DLAMI OS table)', () => {
    const u20 = facts.osEol('Ubuntu 20.04')!;
    assert.deepEqual([u20.released, u20.endOfActiveSupport, u20.endOfLife, u20.endOfExtendedSupport, u20.codename], ['2020-04-23', '2022-10-01', '2025-05-31', '2030-04-02', 'Focal Fossa']);
    assert.equal(u20.dlamiEndOfPatch, undefined);
    const u22 = facts.osEol('ubuntu22.04')!;
    assert.deepEqual([u22.endOfLife, u22.dlamiEndOfPatch?.on], ['2027-04-01', '2027-04-30']);
    const u24 = facts.osEol('ubuntu-24.04')!;
    assert.deepEqual([u24.endOfLife, u24.dlamiEndOfPatch?.on], ['2029-05-31', '2029-04-30']);
    const u16 = facts.osEol('ubuntu:16.04')!;
    assert.deepEqual([u16.endOfLife, u16.dlamiDeprecated?.on, u16.conflicts[0]?.value], ['2021-04-02', '2021-10-07', '2021-04-30']);
    assert.equal(facts.osEol('ubuntu18.04')!.endOfLife, '2023-05-31');
  });

  it('Amazon Linux (endoflife.date amazon-linux.md and the DLAMI OS table)', () => {
    const al2 = facts.osEol('Amazon Linux 2')!;
    assert.deepEqual([al2.released, al2.endOfLife, al2.dlamiEndOfPatch?.on], ['2018-06-26', '2026-06-30', '2026-06-30']);
    const al2023 = facts.osEol('al2023')!;
    assert.deepEqual([al2023.released, al2023.endOfActiveSupport, al2023.endOfLife, al2023.dlamiEndOfPatch?.on], ['2023-03-01', '2027-06-30', '2029-06-30', '2029-06-30']);
    const al1 = facts.osEol('amazonlinux:1')!;
    assert.deepEqual([al1.endOfActiveSupport, al1.endOfLife, al1.latest, al1.dlamiDeprecated?.on], ['2020-12-31', '2023-12-31', '2018.03', '2021-10-07']);
    assert.ok(al1.cycles.includes('2017.09'));
  });

  it('Amazon Elastic Inference (misc-eol-facts.csv, legacy images, SageMaker images page)', () => {
    const ei = facts.retired('amazon-elastic-inference')!;
    assert.deepEqual([ei.announced?.on, ei.noNewCustomers?.on, ei.end?.on, ei.end?.monthOnly, ei.end?.effectiveDay], ['2023-02-15', '2023-04-15', '2024-04', true, '2024-04-30']);
    assert.ok(ei.otherDates.some((d) => d.on === '2024-10-10'));
    for (const repo of ['tensorflow-inference-eia', 'mxnet-inference-eia', 'pytorch-inference-eia', 'sagemaker-tensorflow-eia', 'sagemaker-mxnet-serving-eia']) {
      assert.ok(ei.match.repositories.includes(repo), repo);
    }
    assert.ok(ei.match.acceleratorTypes.includes('ml.eia*'));
  });

  it('Apache MXNet, Chainer, Python 2 images, Neuron conda packages, multi-framework Conda DLAMIs', () => {
    const mx = facts.retired('apache-mxnet')!;
    assert.deepEqual([mx.end?.on, mx.end?.monthOnly, mx.end?.effectiveDay], ['2023-09', true, '2023-09-30']);
    assert.ok(mx.otherDates.some((d) => d.on === '2024-02'));
    assert.ok(mx.otherDates.some((d) => d.on === '2022-01-31' && /MXNet 1\.9/.test(d.what)));
    const ch = facts.retired('chainer')!;
    assert.deepEqual([ch.end?.on, ch.otherDates[0]?.on, ch.match.repositories], ['2019-12-05', '2020-07-01', ['sagemaker-chainer']]);
    assert.equal(facts.retired('python2-images')!.end?.on, '2020-01-01');
    const nc = facts.retired('neuron-conda-packages')!;
    assert.deepEqual([nc.lastVersion, nc.lastVersionReleased, nc.firstVersionWithout, nc.announced?.on], ['1.13.0', '2021-05-01', '1.14.0', '2021-05-28']);
    assert.deepEqual([...nc.match.condaPackages].sort(), ['mxnet-neuron', 'tensorflow-neuron', 'torch-neuron']);
    const mf = facts.retired('multi-framework-conda-dlami')!;
    assert.equal(mf.end, undefined);
    assert.deepEqual(mf.match.dlamiFamilies, ['conda-multi-framework']);
  });
});

describe('lookups', () => {
  it('normalises Python spellings', () => {
    const cases: Array<[string, string | undefined]> = [
      ['3.10', '3.10'], ['py310', '3.10'], ['3.10.12', '3.10'], ['python3.10', '3.10'], ['Python 3.8', '3.8'], ['python=3.7', '3.7'],
      ['py3.9', '3.9'], ['cp39', '3.9'], ['py27', '2.7'], ['py2', '2.7'], ['python2', '2.7'], ['3.7-slim', '3.7'], ['3.10.*', '3.10'],
      ['py36', '3.6'], ['py3', undefined], ['python3', undefined], ['310', undefined], ['', undefined], ['latest', undefined], ['py', undefined],
    ];
    for (const [input, want] of cases) assert.equal(normalizePythonVersion(input), want, input);
    assert.equal(facts.pythonEol('py38')?.endOfLife, '2024-10-07');
    assert.equal(facts.pythonEol('py2')?.endOfLife, '2020-01-01');
    assert.equal(facts.pythonEol('3.99'), undefined);
    assert.equal(facts.pythonEol('py3'), undefined);
  });

  it('normalises OS spellings', () => {
    const cases: Array<[string, string | undefined]> = [
      ['ubuntu20.04', 'ubuntu-20.04'], ['ubuntu:20.04', 'ubuntu-20.04'], ['Ubuntu 20.04', 'ubuntu-20.04'], ['Ubuntu 20.04.6 LTS', 'ubuntu-20.04'],
      ['ubuntu-22-04', 'ubuntu-22.04'], ['ubuntu2204', 'ubuntu-22.04'], ['Ubuntu 20', 'ubuntu-20.04'],
      ['amzn2023', 'amazon-linux-2023'], ['al2023', 'amazon-linux-2023'], ['AL2023', 'amazon-linux-2023'], ['Amazon Linux 2023', 'amazon-linux-2023'],
      ['amazon-linux-2023', 'amazon-linux-2023'], ['amazonlinux:2023', 'amazon-linux-2023'], ['Amazon Linux 2', 'amazon-linux-2'], ['amazonlinux:2', 'amazon-linux-2'],
      ['amazonlinux2', 'amazon-linux-2'], ['amzn2', 'amazon-linux-2'], ['amazonlinux:2.0.20240131.0', 'amazon-linux-2'], ['Amazon Linux', 'amazon-linux-1'],
      ['Amazon Linux AMI 2018.03', 'amazon-linux-1'], ['amazonlinux:2018.03', 'amazon-linux-1'], ['amazonlinux:1', 'amazon-linux-1'],
      ['ubuntu', undefined], ['ubuntu:latest', undefined], ['amazonlinux:latest', undefined], ['alpine:3.18', undefined], ['al', undefined], ['', undefined], ['windows 2019', undefined],
    ];
    for (const [input, want] of cases) {
      const n = normalizeOs(input);
      assert.equal(n ? `${n.id}-${n.version}` : undefined, want, input);
    }
    assert.equal(facts.osEol('jammy')?.key, 'ubuntu-22.04');
    assert.equal(facts.osEol('ubuntu:focal')?.key, 'ubuntu-20.04');
    assert.equal(facts.osEol('ubuntu:25.10'), undefined, 'non-LTS releases are not in the data');
  });

  it('finds retired things by repository, accelerator, package, conda, tag, framework, DLAMI name and Python', () => {
    const ids = (q: Parameters<LifecycleFacts['retiredFor']>[0]) => facts.retiredFor(q).map((r) => r.id);
    assert.deepEqual(ids({ repository: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference-eia:1.5.1-cpu-py36-ubuntu16.04' }), ['amazon-elastic-inference']);
    assert.deepEqual(ids({ repository: 'sagemaker-mxnet-serving-eia' }), ['amazon-elastic-inference', 'apache-mxnet']);
    assert.deepEqual(ids({ repository: 'mxnet-training' }), ['apache-mxnet']);
    assert.deepEqual(ids({ repository: 'pytorch-training' }), []);
    assert.deepEqual(ids({ acceleratorType: 'ml.eia2.medium' }), ['amazon-elastic-inference']);
    assert.deepEqual(ids({ acceleratorType: 'ml.g5.xlarge' }), []);
    assert.deepEqual(ids({ packageName: 'MXNet_cu112' }), ['apache-mxnet']);
    assert.deepEqual(ids({ packageName: 'mxnet-model-server' }), []);
    assert.deepEqual(ids({ packageName: 'Chainer' }), ['chainer']);
    assert.deepEqual(ids({ packageName: 'torch-neuron' }), [], 'the pip package is fine');
    assert.deepEqual(ids({ condaPackage: 'torch-neuron' }), ['neuron-conda-packages']);
    assert.deepEqual(ids({ imageTag: '1.6.0-gpu-py27-cu101-ubuntu16.04' }), ['python2-images']);
    assert.deepEqual(ids({ imageTag: '4.1.0-gpu-py2' }), ['python2-images']);
    assert.deepEqual(ids({ imageTag: '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker' }), []);
    assert.deepEqual(ids({ framework: 'chainer' }), ['chainer']);
    assert.deepEqual(ids({ pythonVersion: 'py27' }), ['python2-images']);
    assert.deepEqual(ids({ dlamiName: 'Deep Learning AMI (Ubuntu 18.04) Version 60.4' }), ['multi-framework-conda-dlami']);
    assert.deepEqual(ids({ dlamiName: 'Deep Learning AMI GPU MXNet 1.9 (Ubuntu 20.04)' }), ['apache-mxnet']);
    assert.deepEqual(ids({ dlamiName: 'Deep Learning AMI Neuron (Ubuntu 22.04)' }), []);
    assert.deepEqual(ids({}), []);
  });
});

describe('DLAMI names and SSM parameters (dlami-names.md)', () => {
  it('recognises names with framework version, OS and build date at their offsets', () => {
    const name = 'Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.9 (Amazon Linux 2023) 20260214';
    const rec = facts.dlamiFamilyForName(name)!;
    assert.equal(rec.family.id, 'oss-nvidia-driver-gpu-pytorch');
    assert.deepEqual(rec.parts.frameworkVersion, { text: '2.9', start: 48, end: 51 });
    assert.deepEqual(rec.parts.os, { text: 'Amazon Linux 2023', start: 53, end: 70, os: { id: 'amazon-linux', version: '2023' } });
    assert.deepEqual(rec.parts.date, { text: '20260214', start: 72, end: 80, day: '2026-02-14' });
    assert.deepEqual([rec.wildcard, rec.truncated, rec.family.framework, rec.family.retired], [false, false, 'pytorch', undefined]);

    const cases: Case[] = [
      ['Deep Learning ARM64 AMI OSS Nvidia Driver GPU PyTorch 2.12 (Ubuntu 24.04) 20260724', 'arm64-oss-nvidia-driver-gpu-pytorch', '2.12', 'ubuntu-24.04'],
      ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.7 (AL2023) 20260307', 'oss-nvidia-driver-gpu-pytorch', '2.7', 'amazon-linux-2023'],
      ['Deep Learning OSS Nvidia driver AMI GPU PyTorch 2.1.0 (Ubuntu 20.04)', 'oss-nvidia-driver-gpu-pytorch', '2.1.0', 'ubuntu-20.04'],
      ['Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) 20260403', 'base-oss-nvidia-driver-gpu', undefined, 'ubuntu-22.04'],
      ['Deep Learning Base AMI with Single CUDA (Amazon Linux 2023)', 'base-single-cuda', undefined, 'amazon-linux-2023'],
      ['Deep Learning Proprietary Nvidia Driver AMI GPU TensorFlow 2.16 (Amazon Linux 2) 20240729', 'proprietary-nvidia-driver-gpu-tensorflow', '2.16', 'amazon-linux-2'],
      ['Deep Learning AMI GPU PyTorch 2.0.1 (Ubuntu 20.04) 20230627', 'gpu-pytorch', '2.0.1', 'ubuntu-20.04'],
      ['amazon/Deep Learning AMI GPU TensorFlow 2.6.2 (Amazon Linux 2) 20211111', 'gpu-tensorflow', '2.6.2', 'amazon-linux-2'],
      ['Deep Learning AMI Neuron PyTorch 1.13 Inf1 (Ubuntu 22.04)', 'neuron-pytorch-inf1', '1.13', 'ubuntu-22.04'],
      ['Deep Learning AMI Neuron PyTorch 1.13.1 (Amazon Linux 2)', 'neuron-pytorch', '1.13.1', 'amazon-linux-2'],
      ['Deep Learning AMI Neuron (Ubuntu 22.04)', 'neuron-multi-framework', undefined, 'ubuntu-22.04'],
      ['Deep Learning AMI Neuron JAX 0.10 (Amazon Linux 2023)', 'neuron-jax', '0.10', 'amazon-linux-2023'],
      ['Deep Learning AMI Neuron PyTorch Inference vLLM (Amazon Linux 2023)', 'neuron-pytorch-inference-vllm', undefined, 'amazon-linux-2023'],
      ['Deep Learning AMI Neuron PyTorch Inference vLLM 0.24.0.1.1.0 (Ubuntu 24.04)', 'neuron-pytorch-inference-vllm', '0.24.0.1.1.0', 'ubuntu-24.04'],
      ['Deep Learning AMI Base Neuron (Ubuntu 20.04)', 'neuron-base', undefined, 'ubuntu-20.04'],
      ['Deep Learning Base Neuron AMI (Amazon Linux 2023)', 'neuron-base', undefined, 'amazon-linux-2023'],
    ];
    checkCases(cases, (t) => facts.dlamiFamilyForName(t));
  });

  it('recognises the legacy Conda DLAMI with its Version and name filters with wildcards', () => {
    const conda = facts.dlamiFamilyForName('Deep Learning AMI (Ubuntu 18.04) Version 61.0')!;
    assert.deepEqual([conda.family.id, conda.family.multiFramework, conda.family.retired, conda.parts.version?.text], ['conda-multi-framework', true, 'multi-framework-conda-dlami', '61.0']);
    const filter = facts.dlamiFamilyForName('Deep Learning AMI (Ubuntu 18.04) Version ??.?')!;
    assert.deepEqual([filter.family.id, filter.parts.version, filter.wildcard], ['conda-multi-framework', { text: '??.?', start: 41, end: 45 }, true]);
    const tf = facts.dlamiFamilyForName('Deep Learning AMI GPU TensorFlow 2.11.? (Ubuntu 20.04) ????????')!;
    assert.deepEqual([tf.family.id, tf.parts.frameworkVersion?.text, tf.parts.date?.text, tf.parts.date?.day, tf.wildcard], ['gpu-tensorflow', '2.11.?', '????????', undefined, true]);
    const trailing = facts.dlamiFamilyForName('Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.0.1 (Ubuntu 20.04)*')!;
    assert.deepEqual([trailing.family.id, trailing.parts.frameworkVersion?.text, trailing.parts.os?.text, trailing.wildcard, trailing.end], ['oss-nvidia-driver-gpu-pytorch', '2.0.1', 'Ubuntu 20.04', true, 69]);
    const spaceStar = facts.dlamiFamilyForName('Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *')!;
    assert.deepEqual([spaceStar.parts.date?.text, spaceStar.wildcard], ['*', true]);
    const cut = facts.dlamiFamilyForName('Deep Learning AMI GPU PyTorch 2.0.1*')!;
    assert.deepEqual([cut.family.id, cut.truncated, cut.parts.os], ['gpu-pytorch', true, undefined]);
    const versionOnlyStar = facts.dlamiFamilyForName('Deep Learning OSS Nvidia Driver AMI GPU PyTorch * (Ubuntu 22.04) *')!;
    assert.equal(versionOnlyStar.parts.frameworkVersion?.text, '*');
  });

  it('recognises SSM parameter paths', () => {
    const p = '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.7-ubuntu-22.04/latest/ami-id';
    const rec = facts.dlamiFamilyForSsmParameter(p)!;
    assert.equal(rec.family.id, 'oss-nvidia-driver-gpu-pytorch');
    assert.deepEqual(rec.parts.frameworkVersion, { text: '2.7', start: 67, end: 70 });
    assert.deepEqual(rec.parts.os, { text: 'ubuntu-22.04', start: 71, end: 83, os: { id: 'ubuntu', version: '22.04' } });
    const cases: Case[] = [
      ['/aws/service/deeplearning/ami/arm64/oss-nvidia-driver-gpu-pytorch-2.12-ubuntu-24.04/latest/ami-id', 'arm64-oss-nvidia-driver-gpu-pytorch', '2.12', 'ubuntu-24.04'],
      ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.9-amazon-linux-2023/latest/ami-id', 'oss-nvidia-driver-gpu-pytorch', '2.9', 'amazon-linux-2023'],
      ['/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id', 'base-oss-nvidia-driver-gpu', undefined, 'ubuntu-24.04'],
      ['/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-ubuntu-22.04/latest/ami-id', 'base-oss-nvidia-driver-gpu', undefined, 'ubuntu-22.04'],
      ['/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id', 'arm64-base-oss-nvidia-driver-gpu', undefined, 'amazon-linux-2023'],
      ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id', 'oss-nvidia-driver-gpu', undefined, 'ubuntu-22.04'],
      ['/aws/service/neuron/dlami/pytorch-inference-vllm-0.24.0.1.1.0/ubuntu-24.04/latest/image_id', 'neuron-pytorch-inference-vllm', '0.24.0.1.1.0', 'ubuntu-24.04'],
      ['/aws/service/neuron/dlami/pytorch-inference-vllm/amazon-linux-2023', 'neuron-pytorch-inference-vllm', undefined, 'amazon-linux-2023'],
      ['/aws/service/neuron/dlami/pytorch-1.13-inf1/ubuntu-22.04', 'neuron-pytorch-inf1', '1.13', 'ubuntu-22.04'],
      ['/aws/service/neuron/dlami/pytorch-1.13/amazon-linux-2/latest/image_id', 'neuron-pytorch', '1.13', 'amazon-linux-2'],
      ['/aws/service/neuron/dlami/tensorflow-2.10/ubuntu-20.04', 'neuron-tensorflow', '2.10', 'ubuntu-20.04'],
      ['/aws/service/neuron/dlami/multi-framework/ubuntu-24.04/latest/image_id', 'neuron-multi-framework', undefined, 'ubuntu-24.04'],
      ['/aws/service/neuron/dlami/base/amazon-linux-2', 'neuron-base', undefined, 'amazon-linux-2'],
      ['/aws/service/deep-learning-base-neuron/ubuntu-22-04/latest', 'neuron-base', undefined, 'ubuntu-22.04'],
    ];
    checkCases(cases, (t) => facts.dlamiFamilyForSsmParameter(t));
    const cuda = facts.dlamiFamilyForSsmParameter('/aws/service/deeplearning/ami/arm64/base-with-single-cuda-amazon-linux-2023/latest/ami-id')!;
    assert.deepEqual([cuda.family.id, cuda.parts.arch?.text], ['base-single-cuda', 'arm64']);
  });

  it('rejects lookalikes and malformed text', () => {
    for (const name of ['Deep Learning AMI GPU PyTorch 2.0.1 (Windows 2019)', 'Deep Learning AMI', 'Deep Learning AMI GPU PyTorch (Ubuntu 22.04)', 'ami-0abc1234def567890', '*', '', '   ',
      'My Deep Learning AMI GPU PyTorch 2.0.1 (Ubuntu 20.04)', 'Deep Learning AMI GPU PyTorch 2.0.1 (Ubuntu 20.04) 2023062', 'Deep Learning AMI GPU PyTorch 2.0.1 (Ubuntu 20.04) extra']) {
      assert.equal(facts.dlamiFamilyForName(name), undefined, name);
    }
    for (const p of ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.7-ubuntu-22.04/latest/ami-id/extra', '/aws/service/deeplearning/ami/ppc64/base-with-single-cuda-amazon-linux-2023/latest/ami-id',
      '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-windows-2019/latest/ami-id', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', '/aws/service/neuron/dlami/pytorch-2.9']) {
      assert.equal(facts.dlamiFamilyForSsmParameter(p), undefined, p);
    }
  });

  it('scans a name or path inside longer text', () => {
    const text = 'filter = "Deep Learning AMI Neuron PyTorch 2.9 (Ubuntu 24.04)" # comment';
    const rec = facts.scanDlami(text, 10, 'name')!;
    assert.deepEqual([rec.family.id, rec.start, rec.end, text.slice(rec.start, rec.end)], ['neuron-pytorch', 10, 61, 'Deep Learning AMI Neuron PyTorch 2.9 (Ubuntu 24.04)']);
    assert.equal(rec.parts.frameworkVersion?.start, 43);
    const cfn = 'ImageId: "{{resolve:ssm:/aws/service/neuron/dlami/base/ubuntu-22.04/latest/image_id}}"';
    const ssm = facts.scanDlami(cfn, cfn.indexOf('/aws'), 'ssm')!;
    assert.equal(cfn.slice(ssm.start, ssm.end), '/aws/service/neuron/dlami/base/ubuntu-22.04/latest/image_id');
    assert.equal(facts.scanDlami(text, 0, 'name'), undefined);
    assert.equal(facts.scanDlami(text, -1, 'name'), undefined);
    assert.equal(facts.scanDlami(text, 1e9, 'name'), undefined);
  });
});

describe('validation errors', () => {
  const fails = (mutate: (raw: Record<string, any>) => void, pattern: RegExp) => {
    const raw = clone();
    mutate(raw);
    assert.throws(() => parseLifecycleFile(raw, 'x.toml'), (e: unknown) => e instanceof CatalogError && pattern.test(e.message));
  };
  it('reports schema errors with the key path', () => {
    fails((r) => { r.python[0].end_of_life = '2020-02-30'; }, /^x\.toml: python\[0\]\.end_of_life: must be a calendar day/);
    fails((r) => { r.os[0].id = 'debian'; }, /^x\.toml: os\[0\]\.id:/);
    fails((r) => { r.retired[0].colour = 'red'; }, /^x\.toml: retired\[0\]/);
    fails((r) => { r.catalog.schema_version = 2; }, /^x\.toml: catalog\.schema_version/);
  });
  it('reports failed cross-checks', () => {
    fails((r) => { r.python[0].source = 'eol-nowhere'; }, /unknown source id "eol-nowhere"/);
    fails((r) => { r.python.push({ ...r.python[0] }); }, /duplicate Python version "2\.7"/);
    fails((r) => { r.os[0].end_of_life = '2000-01-01'; }, / is after end_of_life 2000-01-01/);
    fails((r) => { r.retired[0].month_only = []; }, /month-only date 2024-04 must be listed in month_only/);
    fails((r) => { r.retired[0].match.dlami_families = ['no-such-family']; }, /unknown family "no-such-family"/);
    fails((r) => { r.dlami_families[0].retired = 'no-such-thing'; }, /unknown retired id "no-such-thing"/);
    fails((r) => { r.dlami_families[0].name_patterns = ['Deep Learning {nope} ({os})']; }, /unknown placeholder \{nope\}/);
    fails((r) => { r.dlami_families[0].name_patterns = ['Deep Learning [AMI ({os})']; }, /unclosed \[/);
    fails((r) => { r.retired[1].successor_frameworks = ['mxnet']; }, /successor framework mxnet is the retired framework/);
  });
});

describe('parser properties', () => {
  const namePiece = fc.constantFrom(
    'Deep Learning ', 'OSS Nvidia Driver ', 'AMI ', 'GPU ', 'PyTorch ', 'TensorFlow ', 'Neuron ', 'Base ', 'ARM64 ', 'Version ', 'Inf1 ', 'amazon/', 'AWS ',
    '2.9', '1.13.1', '0.24.0.1.1.0', '*', '?', ' ', '(', ')', 'Ubuntu 22.04', 'Amazon Linux 2023', 'AL2023', 'Amazon Linux', '20260214', '2026021', '.', '-',
    '/aws/service/', 'deeplearning/ami/', 'x86_64/', 'arm64/', 'neuron/dlami/', 'oss-nvidia-driver-gpu-', 'pytorch-', 'ubuntu-22.04', 'amazon-linux-2023', '/latest/ami-id', '/latest/image_id',
    'base/', 'multi-framework/', 'é', '🚀', '\u0000', '\n',
  );
  const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(namePiece, { maxLength: 30 }).map((a) => a.join('')));

  it('DLAMI name and SSM recognition never throw and keep every span inside the input', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        assertSpans(text, facts.dlamiFamilyForName(text));
        assertSpans(text, facts.dlamiFamilyForSsmParameter(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('scanning from any offset never throws and keeps spans inside the text', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: -5, max: 250 }), fc.constantFrom('name' as const, 'ssm' as const), (text, from, kind) => {
        const rec = facts.scanDlami(text, from, kind);
        if (rec) assert.equal(rec.start, from);
        assertSpans(text, rec);
      }),
      { numRuns: 2000 },
    );
  });

  it('generated names come back with their parts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.constantFrom('Ubuntu 20.04', 'Ubuntu 22.04', 'Amazon Linux 2023', 'Amazon Linux 2'),
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }), (maj, min, os, d) => {
          const day = d.toISOString().slice(0, 10);
          const name = `Deep Learning OSS Nvidia Driver AMI GPU PyTorch ${maj}.${min} (${os}) ${day.replace(/-/g, '')}`;
          const rec = facts.dlamiFamilyForName(name)!;
          assert.equal(rec.family.id, 'oss-nvidia-driver-gpu-pytorch');
          assert.equal(rec.parts.frameworkVersion?.text, `${maj}.${min}`);
          assert.equal(rec.parts.os?.text, os);
          assert.equal(rec.parts.date?.day, day);
          const ssm = facts.dlamiFamilyForSsmParameter(`/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-${maj}.${min}-${os.toLowerCase().replace(/ /g, '-')}/latest/ami-id`)!;
          assert.equal(ssm.parts.frameworkVersion?.text, `${maj}.${min}`);
          assert.equal(normalizeOs(ssm.parts.os!.text)?.version, normalizeOs(os)?.version);
        }),
      { numRuns: 300 },
    );
  });

  it('Python and OS normalisers never throw, return well-formed values, and read every spelling of a version', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const p = normalizePythonVersion(s);
        assert.ok(p === undefined || /^\d+\.\d+$/.test(p));
        const o = normalizeOs(s);
        assert.ok(o === undefined || (o.id === 'ubuntu' ? /^\d{2}\.\d{2}$/.test(o.version) : ['1', '2', '2023'].includes(o.version)));
        facts.pythonEol(s);
        facts.osEol(s);
        facts.retiredFor({ repository: s, acceleratorType: s, packageName: s, condaPackage: s, condaChannel: s, dlamiName: s, imageTag: s, framework: s, pythonVersion: s });
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 30 }), (maj, min, patch) => {
        const v = `${maj}.${min}`;
        for (const s of [v, `${v}.${patch}`, `python${v}`, `Python ${v}`, `py${maj}${min}`, `py${v}`, `cp${maj}${min}`, `${v}-slim`]) assert.equal(normalizePythonVersion(s), v, s);
      }),
    );
  });

  it('globs never throw, match literal text and stay fast on adversarial input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 80 }), (pattern, text) => {
        compileGlob(pattern)(text);
        const literal = text.replace(/[*?]/g, '');
        assert.ok(compileGlob(literal)(literal));
        assert.ok(compileGlob('*')(text));
      }),
    );
    const t0 = performance.now();
    assert.equal(compileGlob('*a*a*a*a*a*a*a*a*b')('a'.repeat(5000)), false);
    const long = `Deep Learning AMI GPU PyTorch ${'1.'.repeat(20000)} (${'Ubuntu '.repeat(5000)}`;
    assert.equal(facts.dlamiFamilyForName(long), undefined);
    for (let i = 0; i < long.length; i += 997) facts.scanDlami(long, i, 'name');
    assert.ok(performance.now() - t0 < 2000, 'adversarial inputs are handled in linear time');
  });
});
