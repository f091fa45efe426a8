#!/usr/bin/env node
// Derives the DLC image catalog (server/data/images.toml): DLC repositories, their published
// tags, tag facts per image line, and the ECR registries (region -> account) that serve them.
//
//   node tools/derive-images.mjs --sources <sources> --generated YYYY-MM-DD > server/data/images.toml
//
// Plain Node 20 ESM, no dependencies. Reads the source snapshots once; fails loudly (exit 1,
// message on stderr) when an input is missing, empty, or no longer carries the snapshot marker
// it was written against. Rules: the header comment of the output and server/data/README.md.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeriveError, readCsv, readText } from './lib.mjs';

const need = (ok, message) => {
  if (!ok) throw new DeriveError(message);
};

// ---------------------------------------------------------------------------
// Sources (ids are unique across the project's data files: prefix `images-`)

const SOURCES = {
  'images-dlc-docs-data': {
    title: 'AWS Deep Learning Containers documentation data (per-image YAML: tags, platform, GA/EOP)',
    url: 'https://github.com/aws/deep-learning-containers/tree/main/docs/src/data',
    snapshot: 'aws/deep-learning-containers main@e0ecedea6a1c (2026-08-21) docs/src/data/**/*.yml',
    marker: ['dlc-images.csv', 'main@e0ecedea6a1c'],
  },
  'images-dlc-available-images': {
    title: 'AWS Deep Learning Containers available_images.md (legacy image list, yearly snapshots)',
    url: 'https://github.com/aws/deep-learning-containers/blob/master/available_images.md',
    snapshot: 'aws/deep-learning-containers master branch, snapshots of 2020-12-18, 2021-12-02, 2022-12-22, 2023-12-07, 2024-12-23, 2025-12-18 and 2026-02-02 (304df582b242)',
    marker: ['dlc-images-legacy-available_images.csv', 'available_images.md (snapshots listed)'],
  },
  'images-neuron-dlc': {
    title: 'AWS Neuron Deep Learning Containers README (public.ecr.aws/neuron images)',
    url: 'https://github.com/aws-neuron/deep-learning-containers',
    snapshot: 'aws-neuron/deep-learning-containers main@2be9ed1d5da9 (2026-08-17) README.md, with the README of 4217d71bfb68 (2024-09-17)',
    marker: ['neuron-dlc-images.csv', 'main@2be9ed1d5da9'],
  },
  'images-sagemaker-sdk': {
    title: 'SageMaker Python SDK image URI configuration (image_uri_config/*.json), tags as image_uris.retrieve builds them',
    url: 'https://github.com/aws/sagemaker-python-sdk/tree/master-v2/src/sagemaker/image_uri_config',
    snapshot: 'union of aws/sagemaker-python-sdk master-v2@fc582aaa46fa (2026-08-10) src/sagemaker/image_uri_config and master@a24812666d25 (2026-08-21) sagemaker-core/src/sagemaker/core/image_uri_config',
    marker: ['sagemaker-image-uris-flat.csv', 'master-v2@fc582aaa46fa'],
  },
  'images-dlc-region-availability': {
    title: 'AWS Deep Learning Containers region availability (ECR account per region)',
    url: 'https://aws.github.io/deep-learning-containers/reference/region_availability/',
    snapshot: 'aws/deep-learning-containers main@e0ecedea6a1c docs/reference/region_availability.md; identical to the rendered gh-pages@51cc34dfd6f3 (2026-08-19)',
  },
  'images-dlc-available-images-regions': {
    title: 'AWS Deep Learning Containers available_images.md region table (last full version)',
    url: 'https://github.com/aws/deep-learning-containers/blob/master/available_images.md',
    snapshot: 'aws/deep-learning-containers master@304df582b242 (2026-02-02) available_images.md',
  },
  'images-aws-partitions': {
    title: 'botocore partitions.json (partition and DNS suffix of each region prefix)',
    url: 'https://github.com/boto/botocore/blob/develop/botocore/data/partitions.json',
    snapshot: 'public botocore partitions.json (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f); aws-eusc (amazonaws.eu) from the newer AWS SDK partition list',
  },
};

// Partition and ECR domain by region prefix (images-aws-partitions). Order matters: first match wins.
const PARTITIONS = [
  [/^cn-/, 'aws-cn', 'amazonaws.com.cn'],
  [/^us-gov-/, 'aws-us-gov', 'amazonaws.com'],
  [/^us-isob-/, 'aws-iso-b', 'sc2s.sgov.gov'],
  [/^us-isof-/, 'aws-iso-f', 'csp.hci.ic.gov'],
  [/^us-iso-/, 'aws-iso', 'c2s.ic.gov'],
  [/^eu-isoe-/, 'aws-iso-e', 'cloud.adc-e.uk'],
  [/^eusc-/, 'aws-eusc', 'amazonaws.eu'],
  [/^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/, 'aws', 'amazonaws.com'],
];

const DLC_ACCOUNT = '763104351884';
const LEGACY_ACCOUNT = '520713654638';
/** Repositories in SageMaker's algorithm registries that the DLC documentation lists as DLCs. */
const ALGORITHM_REPOS = new Set(['sagemaker-scikit-learn', 'sagemaker-xgboost', 'tei', 'tei-cpu']);

// ---------------------------------------------------------------------------
// Readers

/** Rows of the first Markdown table after `heading` (or of the first table when heading is null). */
function markdownTable(text, heading, rel) {
  const lines = text.split('\n');
  let at = 0;
  if (heading) {
    at = lines.findIndex((l) => l.trim() === heading);
    need(at >= 0, `${rel}: heading ${JSON.stringify(heading)} not found`);
  }
  while (at < lines.length && !lines[at].trim().startsWith('|')) at++;
  const rows = [];
  for (; at < lines.length && lines[at].trim().startsWith('|'); at++) {
    const cells = lines[at].trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    rows.push(cells);
  }
  need(rows.length > 1, `${rel}: no table rows under ${heading ?? 'the first table'}`);
  return rows.slice(1);
}

// ---------------------------------------------------------------------------
// Tag reading (the same token grammar as server/src/catalog/images.ts; used here to
// check the output and to derive repository facts)

const PROCESSOR_KIND = {
  cpu: 'cpu', gpu: 'gpu', cuda: 'gpu', neuron: 'neuron', inf: 'neuron', inf1: 'neuron',
  neuronx: 'neuronx', inf2: 'neuronx', trn: 'neuronx', trn1: 'neuronx', hpu: 'hpu',
};

function tagTokens(tag) {
  const t = tag.split('-');
  const out = { head: t[0] };
  for (const tok of t.slice(1)) {
    if (/^py\d+$/.test(tok)) out.python = tok;
    else if (/^cu\d+$/.test(tok)) out.cuda = tok;
    else if (/^sdk\d/.test(tok)) out.sdk = tok;
    else if (/^(ubuntu\d|amzn\d|al\d)/.test(tok)) out.os = tok;
    else if (tok in PROCESSOR_KIND) out.processor = tok;
    else if (tok === 'sagemaker' || tok === 'ec2' || tok === 'e3') out.platform = tok;
  }
  if (!out.processor && out.cuda) out.processorKind = 'gpu';
  else if (out.processor) out.processorKind = PROCESSOR_KIND[out.processor];
  return out;
}

// ---------------------------------------------------------------------------
// Repository facts by name

/** Framework id and display name of a repository (server/data/catalog.toml ids where one applies). */
function frameworkOf(repo) {
  const rules = [
    [/^huggingface-pytorch-tgi-/, 'huggingface-tgi', 'Hugging Face Text Generation Inference'],
    [/^huggingface-pytorch-/, 'huggingface-pytorch', 'Hugging Face PyTorch'],
    [/^huggingface-tensorflow-/, 'huggingface-tensorflow', 'Hugging Face TensorFlow'],
    [/^huggingface-vllm-omni$/, 'huggingface-vllm-omni', 'Hugging Face vLLM-Omni'],
    [/^huggingface-vllm/, 'huggingface-vllm', 'Hugging Face vLLM'],
    [/^huggingface-sglang$/, 'huggingface-sglang', 'Hugging Face SGLang'],
    [/^huggingface-llamacpp$/, 'huggingface-llamacpp', 'Hugging Face llama.cpp'],
    [/^tei(-cpu)?$/, 'huggingface-tei', 'Hugging Face Text Embeddings Inference'],
    [/^stabilityai-/, 'stabilityai', 'Stability AI'],
    [/^pytorch-inference-vllm-neuronx$/, 'vllm', 'vLLM'],
    [/^(sagemaker-)?pytorch(-|$)/, 'pytorch', 'PyTorch'],
    [/^(sagemaker-)?tensorflow(-|$)/, 'tensorflow', 'TensorFlow'],
    [/^(sagemaker-)?mxnet(-|$)/, 'mxnet', 'Apache MXNet'],
    [/^sagemaker-chainer$/, 'chainer', 'Chainer'],
    [/^autogluon-/, 'autogluon', 'AutoGluon'],
    [/^djl-inference$/, 'djl', 'DJL Serving'],
    [/^base$/, 'base', 'Base (CUDA)'],
    [/^vllm(-arm64)?$/, 'vllm', 'vLLM'],
    [/^sglang$/, 'sglang', 'SGLang'],
    [/^ray$/, 'ray', 'Ray'],
    [/^whisperx$/, 'whisperx', 'WhisperX'],
    [/^sagemaker-tritonserver$/, 'triton', 'NVIDIA Triton Inference Server'],
    [/^sagemaker-scikit-learn$/, 'sklearn', 'Scikit-learn'],
    [/^sagemaker-xgboost$/, 'xgboost', 'XGBoost'],
    [/^sagemaker-inspect-ai$/, 'inspect-ai', 'Inspect AI'],
    [/^jax-/, 'jax', 'JAX'],
  ];
  const hit = rules.find(([re]) => re.test(repo));
  need(hit, `no framework rule for repository ${repo}: add one to frameworkOf()`);
  return { id: hit[1], name: hit[2] };
}

function jobOf(repo, sdkScopes) {
  if (repo === 'base') return 'base';
  // The AL2023 `pytorch` repository serves training and inference (one image per platform).
  if (repo === 'pytorch') return 'training-inference';
  if (/training/.test(repo)) return 'training';
  if (/inference|tgi/.test(repo)) return 'inference';
  const scopes = new Set([...sdkScopes].map((s) => (s === 'eia' || s === 'inference_graviton' ? 'inference' : s)));
  if (scopes.has('training') && scopes.has('inference')) return 'training-inference';
  if (scopes.size === 1) return [...scopes][0];
  // Serving images (vLLM, SGLang, Ray Serve, DJL, Triton, TEI, llama.cpp, WhisperX) are inference images.
  return 'inference';
}

function acceleratorOf(repo) {
  const rules = [
    [/-neuronx$/, 'neuronx'], [/-neuron$/, 'neuron'], [/-eia$/, 'eia'], [/-graviton$/, 'graviton'],
    [/-arm64$/, 'arm64'], [/-habana$/, 'habana'], [/trcomp/, 'trcomp'],
  ];
  return rules.find(([re]) => re.test(repo))?.[1];
}

// ---------------------------------------------------------------------------
// SageMaker SDK config: tags as sagemaker.image_uris.retrieve builds them

/** Files reached through an inference tool (`_format_tag` then writes the tool instead of the processor). */
const INFERENCE_TOOL = {
  'pytorch-neuron': 'neuron', 'huggingface-neuron': 'neuron', 'huggingface-neuronx': 'neuronx',
  'huggingface-llm-neuronx': 'neuronx',
};
/** The framework argument the SDK passes for a file (used by the graviton and Triton special cases). */
const FRAMEWORK_FOR_FILE = { 'pytorch-neuron': 'pytorch', 'huggingface-neuron': 'huggingface', 'huggingface-neuronx': 'huggingface', 'huggingface-training-compiler': 'huggingface', 'pytorch-training-compiler': 'pytorch' };
/** `_get_image_tag`: extra container versions for p4d / smdistributed jobs. */
const AUTO_CONTAINER_VERSIONS = {
  'tensorflow-2.3-gpu-py37': 'cu110-ubuntu18.04-v3', 'tensorflow-2.3.1-gpu-py37': 'cu110-ubuntu18.04',
  'tensorflow-2.3.2-gpu-py37': 'cu110-ubuntu18.04', 'tensorflow-1.15-gpu-py37': 'cu110-ubuntu18.04-v8',
  'tensorflow-1.15.4-gpu-py37': 'cu110-ubuntu18.04', 'tensorflow-1.15.5-gpu-py37': 'cu110-ubuntu18.04',
  'mxnet-1.8-gpu-py37': 'cu110-ubuntu16.04-v1', 'mxnet-1.8.0-gpu-py37': 'cu110-ubuntu16.04',
  'pytorch-1.6-gpu-py36': 'cu110-ubuntu18.04-v3', 'pytorch-1.6.0-gpu-py36': 'cu110-ubuntu18.04',
  'pytorch-1.6-gpu-py3': 'cu110-ubuntu18.04-v3', 'pytorch-1.6.0-gpu-py3': 'cu110-ubuntu18.04',
};
/** `_get_image_tag`: Graviton tags of XGBoost / scikit-learn. */
const ARM64_TAGS = { xgboost: { '1.5-1': '1.5-1-arm64', '1.3-1': '1.3-1-arm64' }, sklearn: { '1.0-1': '1.0-1-arm64-cpu-py3' } };

const formatTag = (...parts) => parts.filter((p) => p).join('-');
/** Python's str.rstrip(chars). */
function rstripChars(s, chars) {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return s.slice(0, end);
}

function includedLeaf(leaf) {
  const accounts = Object.values(leaf.registries ?? {});
  if (leaf.repository.startsWith('sagemaker-rl-')) return false;
  return ALGORITHM_REPOS.has(leaf.repository) || accounts.includes(DLC_ACCOUNT) || accounts.includes(LEGACY_ACCOUNT);
}

/** [(py, config)] of a version config: `py_versions` of a leaf, or per-Python sub-configs. */
function pyLeaves(vc) {
  if ('repository' in vc) return (vc.py_versions?.length ? vc.py_versions : [undefined]).map((py) => [py, vc]);
  return Object.keys(vc).filter((k) => /^py\d+$/.test(k)).map((py) => [py, vc[py]]);
}

/** Container versions for one processor: the config's value (sole value when the processor key is absent), prefixed by each Neuron SDK. */
function containerVersions(leaf, processor) {
  let cv;
  if (leaf.container_version) {
    const values = Object.values(leaf.container_version);
    cv = leaf.container_version[processor] ?? (values.length === 1 ? values[0] : undefined);
    if (cv === undefined) return [];
  }
  if (leaf.sdk_versions?.length) return leaf.sdk_versions.map((sdk) => formatTag(sdk, cv));
  return [cv];
}

/**
 * Every (repository, tag, scope) the SDK config of one file yields. Follows image_uris.retrieve:
 * tag = tag_prefix (or the version as passed: config key or alias) - processor (or inference tool)
 * - py_version - container_version; Hugging Face prefixes are `{pt/tf version}-transformers{version}`.
 */
function sdkTags(file, json) {
  const base = file.replace(/\.json$/, '');
  const framework = FRAMEWORK_FOR_FILE[base] ?? base;
  const tool = INFERENCE_TOOL[base];
  const out = [];
  // A top-level `scope` list shares one config between scopes (e.g. chainer: inference and training).
  const scopes = 'versions' in json ? (json.scope ?? ['default']).map((s) => [s, json]) : Object.entries(json).filter(([, v]) => v && typeof v === 'object' && 'versions' in v);
  for (const [scope, cfg] of scopes) {
    const aliases = cfg.version_aliases ?? {};
    for (const [version, vc] of Object.entries(cfg.versions)) {
      const names = [version, ...Object.keys(aliases).filter((a) => aliases[a] === version && a !== 'latest')];
      const hfBases = Object.keys(vc).filter((k) => /^(pytorch|tensorflow)\d/.test(k));
      const emit = (leaf, py, prefixes, extra) => {
        if (!includedLeaf(leaf)) return;
        const processors = cfg.processors ?? leaf.processors ?? [undefined];
        for (const processor of processors) {
          for (let cv of containerVersions(leaf, processor)) {
            if (extra?.hfTrainingGpu && !leaf.container_version && processor === 'gpu') cv = 'cu110-ubuntu18.04';
            if (leaf.repository === `${framework}-inference-graviton` && cv) cv = `${cv}-sagemaker`;
            for (const prefix of prefixes) {
              let tag = formatTag(prefix, tool ?? processor, py, cv);
              if (framework === 'sagemaker-tritonserver' && processor === 'gpu') tag = rstripChars(tag, '-gpu');
              if ((framework === 'xgboost' || framework === 'sklearn') && scope === 'inference_graviton') tag = ARM64_TAGS[framework]?.[version];
              if (!tag) continue;
              out.push({ repository: leaf.repository, tag, scope, leaf, processor: tool ?? processor, file });
              const auto = AUTO_CONTAINER_VERSIONS[`${framework}-${tag}`];
              if (auto) out.push({ repository: leaf.repository, tag: `${tag}-${auto}`, scope, leaf, processor: tool ?? processor, file });
            }
          }
        }
      };
      if (hfBases.length > 0) {
        const baseAliases = vc.version_aliases ?? {};
        for (const baseKey of hfBases) {
          for (const [py, leaf] of pyLeaves(vc[baseKey])) {
            const neuronInference = /^huggingface-pytorch-inference-neuronx?$/.test(leaf.repository);
            const baseNames = neuronInference ? [baseKey] : [baseKey, ...Object.keys(baseAliases).filter((a) => baseAliases[a] === baseKey)];
            const tNames = neuronInference ? [version] : names;
            const prefixes = [];
            for (const b of baseNames) for (const t of tNames) prefixes.push(`${b.replace(/^(pytorch|tensorflow)/, '')}-transformers${t}`);
            emit(leaf, py, prefixes, { hfTrainingGpu: base === 'huggingface' && scope === 'training' });
          }
        }
      } else {
        for (const [py, leaf] of pyLeaves(vc)) emit(leaf, py, leaf.tag_prefix ? [leaf.tag_prefix] : names);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Derivation

function derive(dir) {
  for (const [id, s] of Object.entries(SOURCES)) {
    if (s.marker) need(readText(dir, s.marker[0]).includes(s.marker[1]), `${s.marker[0]} no longer names ${s.marker[1]} (source ${id}): review the script`);
  }
  const repos = new Map();
  const repo = (name) => {
    need(/^[a-z0-9][a-z0-9._-]*$/.test(name), `odd repository name ${JSON.stringify(name)}`);
    if (!repos.has(name)) repos.set(name, { name, sources: new Set(), tags: new Map(), processors: new Set(), platforms: new Set(), scopes: new Set(), public: new Set(), lines: [], current: false });
    return repos.get(name);
  };
  const addTag = (r, tag, source) => {
    if (!r.tags.has(source)) r.tags.set(source, new Set());
    r.tags.get(source).add(tag);
    r.sources.add(source);
  };
  const skipped = [];

  // 1. Current DLC documentation data.
  const docs = readCsv(dir, 'dlc-images.csv', ['repository', 'version', 'accelerator', 'python', 'platform', 'ga', 'eop', 'public_registry', 'tags', 'source']);
  need(docs.length >= 250, `dlc-images.csv: only ${docs.length} rows`);
  for (const row of docs) {
    const r = repo(row.repository);
    r.current = true;
    const tags = row.tags.split(';').filter(Boolean);
    need(tags.length > 0, `dlc-images.csv: ${row.repository} ${row.version} has no tags`);
    for (const t of tags) addTag(r, t, 'images-dlc-docs-data');
    r.processors.add(row.accelerator);
    const platform = row.platform === 'default' ? 'ec2' : row.platform; // global.yml: default -> "EC2"
    r.platforms.add(platform);
    if (row.public_registry === 'True') r.public.add('public.ecr.aws/deep-learning-containers');
    if (row.ga || row.eop) {
      r.lines.push({ version: row.version, processor: row.accelerator, platform, python: row.python || undefined, os: row.os || undefined, ga: row.ga || undefined, eop: row.eop || undefined, tags, source: 'images-dlc-docs-data' });
    }
  }

  // 2. Legacy available_images.md history.
  const legacy = readCsv(dir, 'dlc-images-legacy-available_images.csv', ['repository', 'tag', 'details', 'example_uri']);
  const legacyAccounts = new Map();
  for (const row of legacy) {
    if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(row.tag)) { skipped.push(`${row.repository}:${row.tag} (placeholder tag in available_images.md)`); continue; }
    const r = repo(row.repository);
    addTag(r, row.tag, 'images-dlc-available-images');
    const kind = tagTokens(row.tag).processorKind;
    const detail = /CPU\/GPU=(CPU|GPU)/.exec(row.details)?.[1]?.toLowerCase() ?? (/Device Type=HPU/.test(row.details) ? 'hpu' : kind);
    if (detail) r.processors.add(detail);
    const platform = tagTokens(row.tag).platform;
    if (platform) r.platforms.add(platform);
    const account = row.example_uri.split('.')[0];
    if (account !== DLC_ACCOUNT) legacyAccounts.set(account, { repo: row.repository, region: row.example_uri.split('.')[3] });
  }

  // 3. Neuron DLCs on ECR Public.
  const neuron = readCsv(dir, 'neuron-dlc-images.csv', ['repository', 'instance_types', 'ecr_public_uri', 'tag']);
  for (const row of neuron) {
    const m = /^public\.ecr\.aws\/neuron\/([a-z0-9._-]+):(.+)$/.exec(row.ecr_public_uri);
    need(m && m[2] === row.tag, `neuron-dlc-images.csv: odd URI ${row.ecr_public_uri}`);
    const r = repo(m[1]);
    r.current = true;
    addTag(r, row.tag, 'images-neuron-dlc');
    r.processors.add(/inf1/.test(row.instance_types) ? 'neuron' : 'neuronx');
    r.public.add('public.ecr.aws/neuron');
  }

  // 4. SageMaker SDK image URI config (v2 and v3 copies).
  const sdkRegions = { dlc: new Map(), algorithm: new Map(), legacy: new Map() };
  let sdkLeaves = 0;
  for (const folder of ['sagemaker-image-uri-config', 'sagemaker-image-uri-config-v3']) {
    const files = fs.readdirSync(path.join(dir, folder)).filter((f) => f.endsWith('.json') && f !== 'instance_gpu_info.json').sort();
    need(files.length >= 60, `${folder}: only ${files.length} config files`);
    for (const file of files) {
      const json = JSON.parse(readText(dir, path.join(folder, file)));
      const seenLeaves = new Set();
      for (const t of sdkTags(file, json)) {
        // A tag with a component twice (`1.4-2-py312-cpu-py3`: a version key that already names its
        // Python) is not a tag the registries serve; it is reported and left out.
        const kinds = t.tag.split('-').slice(1).map((x) => (/^py\d+$/.test(x) ? 'py' : /^cu\d+$/.test(x) ? 'cu' : x in PROCESSOR_KIND ? 'proc' : x));
        const r = repo(t.repository);
        if (new Set(kinds).size !== kinds.length) skipped.push(`${t.repository}:${t.tag} (SDK ${file}: a tag component twice)`);
        else addTag(r, t.tag, 'images-sagemaker-sdk');
        r.scopes.add(t.scope);
        if (t.processor) r.processors.add(PROCESSOR_KIND[t.processor] ?? t.processor);
        if (seenLeaves.has(t.leaf)) continue;
        seenLeaves.add(t.leaf);
        sdkLeaves++;
        const accounts = Object.values(t.leaf.registries);
        const kind = ALGORITHM_REPOS.has(t.repository) ? 'algorithm' : accounts.includes(LEGACY_ACCOUNT) ? 'legacy' : 'dlc';
        for (const [region, account] of Object.entries(t.leaf.registries)) {
          const byRegion = sdkRegions[kind];
          if (!byRegion.has(region)) byRegion.set(region, new Map());
          const counts = byRegion.get(region);
          counts.set(account, (counts.get(account) ?? 0) + 1);
        }
      }
    }
  }
  need(sdkLeaves > 500, `SageMaker SDK config: only ${sdkLeaves} DLC entries`);

  // Cross-check: every DLC repository of the flat SDK listing was reached.
  const flat = readCsv(dir, 'sagemaker-image-uris-flat.csv', ['file', 'repository', 'account_763104351884_regions']);
  for (const row of flat) {
    if (Number(row.account_763104351884_regions) > 0 && !row.repository.startsWith('sagemaker-rl-')) need(repos.has(row.repository), `SDK repository ${row.repository} (${row.file}) was not derived`);
  }

  // Repository facts.
  const out = [];
  for (const r of [...repos.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const fw = frameworkOf(r.name);
    const allTags = new Set([...r.tags.values()].flatMap((s) => [...s]));
    for (const t of allTags) {
      const tok = tagTokens(t);
      if (tok.processorKind) r.processors.add(tok.processorKind);
      if (tok.platform) r.platforms.add(tok.platform);
    }
    // Each tag is written once, under the first source (SOURCES order) that lists it.
    const tagsBySource = {};
    const written = new Set();
    for (const id of Object.keys(SOURCES)) {
      if (!r.tags.has(id)) continue;
      const own = [...r.tags.get(id)].filter((t) => !written.has(t)).sort();
      own.forEach((t) => written.add(t));
      if (own.length) tagsBySource[id] = own;
    }
    out.push({
      name: r.name,
      framework: fw.id,
      framework_name: fw.name,
      job: jobOf(r.name, r.scopes),
      processors: [...r.processors].map((p) => PROCESSOR_KIND[p] ?? p).filter((p, i, a) => a.indexOf(p) === i).sort(),
      platforms: [...r.platforms].sort(),
      accelerator: acceleratorOf(r.name),
      legacy: !r.current,
      public_registries: [...r.public].sort(),
      sources: Object.keys(SOURCES).filter((id) => r.tags.has(id)),
      tags: tagsBySource,
      lines: r.lines,
      tagCount: allTags.size,
    });
  }

  // Registries.
  const docsText = readText(dir, 'dlc/main/docs/reference/region_availability.md');
  const renderedText = readText(dir, 'dlc/rendered-gh-pages/region_availability.md');
  const docsDlc = markdownTable(docsText, '## Deep Learning Containers', 'region_availability.md');
  const docsAlgo = markdownTable(docsText, '## SageMaker Algorithm Registry (XGBoost, Scikit-learn, HuggingFace TEI)', 'region_availability.md');
  const rendered = markdownTable(renderedText, '## Deep Learning Containers', 'rendered region_availability.md');
  need(JSON.stringify(rendered) === JSON.stringify(docsDlc), 'rendered gh-pages region table differs from docs/reference/region_availability.md');
  const lastFull = markdownTable(readText(dir, 'dlc/master/available_images.last-full-2026-02-02.md'), null, 'available_images.last-full-2026-02-02.md');
  const conflicts = [];

  const registries = [];
  const build = (kind, candidates) => {
    // candidates: [sourceId, Map(region -> account)] in priority order
    const regions = new Set(candidates.flatMap(([, m]) => [...m.keys()]));
    for (const region of [...regions].sort()) {
      const part = PARTITIONS.find(([re]) => re.test(region));
      need(part, `no partition rule for region ${region}`);
      const seen = candidates.filter(([, m]) => m.has(region)).map(([id, m]) => [id, m.get(region)]);
      const [source, account] = seen[0];
      const agree = seen.slice(1).filter(([, a]) => a === account).map(([id]) => id);
      const other = seen.filter(([, a]) => a !== account);
      if (other.length) conflicts.push(`${kind} ${region}: ${source}=${account} vs ${other.map(([id, a]) => `${id}=${a}`).join(', ')}`);
      registries.push({ kind, region, account, domain: part[2], partition: part[1], source, confirmed_by: agree, other_accounts: other.map(([id, a]) => ({ account: a, source: id })) });
    }
  };
  const fromTable = (rows) => new Map(rows.map((c) => [c[1], c[2]]));
  const sdkMajority = (byRegion) => {
    const m = new Map();
    for (const [region, counts] of byRegion) {
      const sorted = [...counts].sort((a, b) => b[1] - a[1]);
      if (sorted.length > 1) conflicts.push(`SDK config lists ${sorted.length} accounts for ${region}: ${sorted.map(([a, n]) => `${a}×${n}`).join(', ')} (majority kept)`);
      m.set(region, sorted[0][0]);
    }
    return m;
  };
  const lastFullMap = new Map(lastFull.map((c) => {
    const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?)\//.exec(c[4].replace(/&lt;/g, '<'));
    need(m && m[2] === c[1], `available_images.last-full: odd example URL for ${c[1]}`);
    const part = PARTITIONS.find(([re]) => re.test(c[1]));
    need(part[2] === m[3], `available_images.last-full: ${c[1]} domain ${m[3]} differs from partition rule ${part[2]}`);
    return [c[1], m[1]];
  }));
  build('dlc', [['images-dlc-region-availability', fromTable(docsDlc)], ['images-sagemaker-sdk', sdkMajority(sdkRegions.dlc)], ['images-dlc-available-images-regions', lastFullMap]]);
  build('sagemaker-algorithm', [['images-dlc-region-availability', fromTable(docsAlgo)], ['images-sagemaker-sdk', sdkMajority(sdkRegions.algorithm)]]);

  // Legacy account pattern (SageMaker framework images before the DLC accounts) and the old Triton account.
  const legacyRegs = new Map();
  for (const [region, counts] of sdkRegions.legacy) {
    for (const account of counts.keys()) {
      if (!legacyRegs.has(account)) legacyRegs.set(account, new Set());
      legacyRegs.get(account).add(region);
    }
  }
  const legacyRegistries = [...legacyRegs].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).map(([account, regions]) => ({
    account,
    regions: [...regions].sort(),
    note: account === LEGACY_ACCOUNT
      ? 'SageMaker framework images before the DLC accounts (sagemaker-chainer, sagemaker-pytorch, sagemaker-tensorflow*, sagemaker-mxnet*, …) in the main commercial regions'
      : `legacy SageMaker framework image account of ${[...regions].join(', ')}`,
    source: 'images-sagemaker-sdk',
  }));
  for (const [account, seen] of legacyAccounts) {
    legacyRegistries.push({ account, regions: [seen.region], note: `${seen.repo} images before version 23.12 (available_images.md: "Starting version 23.12 … available in a different set of accounts"); the current DLC docs data still print this account in its example URIs`, source: 'images-dlc-available-images' });
  }

  const publicRegistries = [
    { prefix: 'public.ecr.aws/deep-learning-containers', kind: 'dlc', source: 'images-dlc-docs-data' },
    { prefix: 'public.ecr.aws/neuron', kind: 'neuron', source: 'images-neuron-dlc' },
  ];

  return { repositories: out, registries, legacyRegistries, publicRegistries, conflicts, skipped, counts: { docs: docs.length, legacy: legacy.length, neuron: neuron.length, sdkLeaves } };
}

// ---------------------------------------------------------------------------
// TOML output

/**
 * Tag patterns, one per line: tags that differ only in their first `-`-separated token are
 * written once as `{head1,head2}-rest` (the loader expands the braces). Sorted, reversible.
 */
function packTags(tags) {
  const byRest = new Map();
  for (const t of tags) {
    const cut = t.indexOf('-');
    const head = cut < 0 ? t : t.slice(0, cut);
    const rest = cut < 0 ? '' : t.slice(cut);
    need(!/[{},\s']/.test(t), `tag ${JSON.stringify(t)} has a character reserved by the tag pattern syntax`);
    if (!byRest.has(rest)) byRest.set(rest, []);
    byRest.get(rest).push(head);
  }
  const lines = [...byRest].map(([rest, heads]) => (heads.length === 1 ? `${heads[0]}${rest}` : `{${heads.sort().join(',')}}${rest}`));
  return lines.sort();
}

const q = (s) => JSON.stringify(s);
const arr = (a) => `[${a.map(q).join(', ')}]`;

function render(d, generated) {
  const L = [];
  L.push(
    '# dl-lifecycle bundled DLC image catalog (schema v1): repositories, published tags, registries.',
    '# GENERATED FILE by tools/derive-images.mjs from the source snapshots (see [sources.*]).',
    '# Regenerate: node tools/derive-images.mjs --sources <sources> --generated YYYY-MM-DD > server/data/images.toml',
    '# Do not hand-edit; schema and rules: server/src/catalog/imagesSchema.ts, server/data/README.md ("images.toml").',
    '#',
    '# Rules:',
    '# - [[repositories]]: every repository of the current DLC docs data, the legacy available_images.md',
    '#   history, the Neuron DLC README (public.ecr.aws/neuron) and the SageMaker SDK image URI config',
    '#   (entries served from the DLC account 763104351884 family, the legacy 520713654638 family, and the',
    '#   algorithm-registry images the DLC docs list: sagemaker-scikit-learn, sagemaker-xgboost, tei, tei-cpu;',
    '#   SageMaker RL, Neo, first-party algorithm and SMP images are out of scope).',
    '# - framework, job and accelerator follow the repository name (rules in the tool); processors and',
    '#   platforms are the union of the source columns and the tags.',
    '# - [repositories.tags]: one multi-line string per source, one tag pattern per line; each tag is written',
    '#   once, under the first source in [sources] order that lists it; `{a,b}-rest` stands for a-rest, b-rest.',
    '#   Left out: the `22.`/`23.` placeholders of available_images.md and SDK tags with a component twice',
    '#   (`1.4-2-py312-cpu-py3`). SDK tags are built as sagemaker.image_uris.retrieve builds them: tag_prefix or the',
    '#   version as passed (config key or alias) - processor (inference tool for Neuron configs) - py_version',
    '#   - container_version (prefixed by each sdk_versions entry; the sole value when the processor key is',
    '#   missing), Hugging Face `{pt|tf version}-transformers{version}`, Triton GPU tags without `-gpu`, the',
    '#   p4d/smdistributed container versions and the XGBoost/scikit-learn arm64 tags.',
    '# - legacy = the repository is in neither the current DLC docs data nor the current Neuron DLC README.',
    '# - [[registries]] kind "dlc": account per region by priority DLC docs region table > SDK config (the',
    '#   majority account of the DLC entries) > last full available_images.md table; agreeing sources are in',
    '#   confirmed_by, differing ones in other_accounts. kind "sagemaker-algorithm": docs table > SDK config.',
    '#   partition and domain follow the region prefix rules of [[partitions]] (first match wins).',
    '',
    '[catalog]',
    'schema_version = 1',
    `generated = ${q(generated)}`,
    'data_as_of = "2026-08-21"',
    '',
  );
  for (const [id, s] of Object.entries(SOURCES)) {
    L.push(`[sources.${id}]`, `title = ${q(s.title)}`, `url = ${q(s.url)}`, `snapshot = ${q(s.snapshot)}`, '');
  }
  for (const [re, partition, domain] of PARTITIONS) {
    L.push('[[partitions]]', `region_pattern = ${q(re.source)}`, `partition = ${q(partition)}`, `domain = ${q(domain)}`, 'source = "images-aws-partitions"', '');
  }
  for (const r of d.registries) {
    L.push('[[registries]]', `kind = ${q(r.kind)}`, `region = ${q(r.region)}`, `account = ${q(r.account)}`, `domain = ${q(r.domain)}`, `partition = ${q(r.partition)}`, `source = ${q(r.source)}`, `confirmed_by = ${arr(r.confirmed_by)}`);
    if (r.other_accounts.length) L.push(`other_accounts = [${r.other_accounts.map((o) => `{ account = ${q(o.account)}, source = ${q(o.source)} }`).join(', ')}]`);
    L.push('');
  }
  for (const r of d.legacyRegistries) {
    L.push('[[legacy_registries]]', `account = ${q(r.account)}`, `regions = ${arr(r.regions)}`, `note = ${q(r.note)}`, `source = ${q(r.source)}`, '');
  }
  for (const p of d.publicRegistries) {
    L.push('[[public_registries]]', `prefix = ${q(p.prefix)}`, `kind = ${q(p.kind)}`, `source = ${q(p.source)}`, '');
  }
  for (const r of d.repositories) {
    L.push('[[repositories]]', `name = ${q(r.name)}`, `framework = ${q(r.framework)}`, `framework_name = ${q(r.framework_name)}`, `job = ${q(r.job)}`, `processors = ${arr(r.processors)}`, `platforms = ${arr(r.platforms)}`);
    if (r.accelerator) L.push(`accelerator = ${q(r.accelerator)}`);
    L.push(`legacy = ${r.legacy}`, `public_registries = ${arr(r.public_registries)}`, `sources = ${arr(r.sources)}`);
    L.push('[repositories.tags]');
    for (const [id, tags] of Object.entries(r.tags)) L.push(`${id} = '''`, ...packTags(tags), "'''");
    for (const line of r.lines) {
      L.push('[[repositories.lines]]', `version = ${q(line.version)}`, `processor = ${q(line.processor)}`, `platform = ${q(line.platform)}`);
      if (line.python) L.push(`python = ${q(line.python)}`);
      if (line.os) L.push(`os = ${q(line.os)}`);
      if (line.ga) L.push(`ga = ${q(line.ga)}`);
      if (line.eop) L.push(`eop = ${q(line.eop)}`);
      L.push(`tags = ${arr(line.tags)}`, `source = ${q(line.source)}`);
    }
    L.push('');
  }
  return `${L.join('\n').replace(/\n+$/, '')}\n`;
}

// ---------------------------------------------------------------------------

function main() {
  const { values } = parseArgs({ options: { sources: { type: 'string' }, generated: { type: 'string' }, report: { type: 'boolean' } } });
  need(values.sources, 'usage: derive-images.mjs --sources <dir> --generated YYYY-MM-DD');
  const generated = values.generated ?? new Date().toISOString().slice(0, 10);
  need(/^\d{4}-\d{2}-\d{2}$/.test(generated), `--generated must be YYYY-MM-DD, got ${generated}`);
  const d = derive(values.sources);
  process.stdout.write(render(d, generated));
  if (values.report) {
    const tags = d.repositories.reduce((n, r) => n + r.tagCount, 0);
    process.stderr.write(`repositories ${d.repositories.length}, distinct tags ${tags}, registries ${d.registries.length}, legacy registries ${d.legacyRegistries.length}\n`);
    process.stderr.write(`input rows: ${JSON.stringify(d.counts)}\n`);
    for (const c of d.conflicts) process.stderr.write(`conflict: ${c}\n`);
    for (const s of d.skipped) process.stderr.write(`skipped: ${s}\n`);
  }
}

try {
  main();
} catch (e) {
  if (!(e instanceof DeriveError)) throw e;
  process.stderr.write(`derive-images: ${e.message}\n`);
  process.exit(1);
}
