#!/usr/bin/env node
// Derives the bundled Python / OS end-of-life, retired-things and DLAMI-family data
// (server/data/lifecycle.toml) from a folder of collected public source data.
//
//   node tools/derive-lifecycle.mjs --sources <dir> [--generated YYYY-MM-DD] > server/data/lifecycle.toml
//
// Plain Node 20 ESM, no dependencies. Fails loudly (exit 1, message on stderr) when an input is
// missing, empty or no longer looks like the snapshot this script was written against, or when a
// DLAMI name / SSM path in the sources is not recognised by any family below. See
// server/data/README.md (section "lifecycle.toml") for the rules.
//
// Inputs (relative to --sources):
//   endoflife-date/{python,ubuntu,amazon-linux}.md   endoflife.date product files (YAML front matter)
//   framework-support-policy.csv                     rows with product DLAMI-OS (DLAMI OS end of patch)
//   misc-eol-facts.csv                               retired services/frameworks, DLAMI deprecations
//   dlami-names.md                                   DLAMI names and SSM parameter paths (examples)
//   dlami/awsdocs-aws-deep-learning-amis/*.md        2022 DLAMI docs (release-note titles, deprecations)
//   dlc-images-legacy-available_images.csv           legacy DLC images (`-eia` repositories, py27 tags)
// and the seed documents (--seeds, default <sources>/../seeds):
//   dlami-framework-support-policy.md, sagemaker-prebuilt-dl-images.md

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { catalogHeader, check, DeriveError, fail, readCsv, readText, tomlString, tomlValue } from './lib.mjs';

// ---------------------------------------------------------------------------
// Failure reporting

// ---------------------------------------------------------------------------
// Dates

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDay(s) {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function day(s, where) {
  check(isDay(s), `${where}: not a YYYY-MM-DD calendar day: ${JSON.stringify(s)}`);
  return s;
}

// "10/07/2021" (US order, as in the DLAMI deprecations table) -> 2021-10-07
function usDate(s, where) {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s.trim());
  check(m, `${where}: not an MM/DD/YYYY date: ${JSON.stringify(s)}`);
  return day(`${m[3]}-${m[1]}-${m[2]}`, where);
}

// ---------------------------------------------------------------------------
// Input readers

// RFC 4180 CSV (quoted fields may hold commas, doubled quotes and newlines).
// The `releases:` list of an endoflife.date product file's YAML front matter. Only the shape these
// files use is accepted: `  - key: value` starts an item, `    key: value` continues it; values are
// scalars (quoted strings, dates, booleans). Anything else inside `releases:` is an error.
function parseEndoflifeReleases(text, rel) {
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
  check(fm, `${rel}: no YAML front matter`);
  const lines = fm[1].split('\n');
  const start = lines.findIndex((l) => /^releases:\s*$/.test(l));
  check(start >= 0, `${rel}: no releases: key`);
  const items = [];
  let item = null;
  for (let i = start + 1; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim()) continue;
    if (/^\S/.test(line)) break; // next top-level key
    let m;
    if ((m = /^ {2}- ([A-Za-z]+):\s*(.*)$/.exec(line))) {
      item = {};
      items.push(item);
      item[m[1]] = scalar(m[2]);
      continue;
    }
    if ((m = /^ {4}([A-Za-z]+):\s*(.*)$/.exec(line)) && item) {
      item[m[1]] = scalar(m[2]);
      continue;
    }
    fail(`${rel}: unexpected line in releases: ${JSON.stringify(raw)}`);
  }
  check(items.length > 0, `${rel}: empty releases list`);
  for (const it of items) check(typeof it.releaseCycle === 'string', `${rel}: release without releaseCycle`);
  return items;
}

function scalar(v) {
  const t = v.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  const q = /^"(.*)"$/.exec(t) ?? /^'(.*)'$/.exec(t);
  return q ? q[1] : t;
}

// ---------------------------------------------------------------------------
// Sources ([sources] table). `expect` pins the snapshot: [file, marker]; when the input no longer
// contains the marker, the data changed and this registry (and the README) must be reviewed.

const SOURCES = {
  'eol-endoflife-python': {
    title: 'endoflife.date: Python (release cycles, first release, end of bugfix support, end of life)',
    url: 'https://endoflife.date/python',
    snapshot: 'endoflife-date/endoflife.date master@a70eca337600, products/python.md last changed 778cb9f6c (2026-08-14)',
    date: '2026-08-14',
    expect: ['endoflife-date/python.md', 'title: Python'],
  },
  'eol-endoflife-ubuntu': {
    title: 'endoflife.date: Ubuntu (release cycles, standard and expanded security maintenance)',
    url: 'https://endoflife.date/ubuntu',
    snapshot: 'endoflife-date/endoflife.date master@a70eca337600, products/ubuntu.md last changed 9ecc5090c (2026-05-05)',
    date: '2026-05-05',
    expect: ['endoflife-date/ubuntu.md', 'eolColumn: Maintenance & Security Support'],
  },
  'eol-endoflife-amazon-linux': {
    title: 'endoflife.date: Amazon Linux (standard support and security support)',
    url: 'https://endoflife.date/amazon-linux',
    snapshot: 'endoflife-date/endoflife.date master@a70eca337600, products/amazon-linux.md last changed 709363cf5 (2026-08-22)',
    date: '2026-08-22',
    expect: ['endoflife-date/amazon-linux.md', 'eolColumn: Security Support'],
  },
  'eol-dlami-os-table': {
    title: 'AWS Deep Learning AMI support policy table, "Supported operating systems" rows (end of patch per OS)',
    url: 'https://docs.aws.amazon.com/dlami/latest/devguide/dlami-support-policy-table.html',
    snapshot: 'stored copy of the machine-translated (zh) docs.amazonaws.cn page, copy date unknown; OS rows Amazon Linux 2023, Amazon Linux 2, Ubuntu 24.04, Ubuntu 22.04',
    expect: ['framework-support-policy.csv', 'DLAMI-OS'],
  },
  'eol-dlami-deprecations': {
    title: 'AWS Deep Learning AMI Developer Guide: DLAMI deprecation notices (2022 text)',
    url: 'https://github.com/awsdocs/aws-deep-learning-amis',
    snapshot: 'awsdocs/aws-deep-learning-amis@578e7dd1e3d3 doc_source/deprecations.md (last changed 2022-12-11; repository archived 2023-06)',
    date: '2023-06-15',
    expect: ['dlami/awsdocs-aws-deep-learning-amis/deprecations.md', 'Deprecation Notice'],
  },
  'eol-dlami-release-notes-2022': {
    title: 'AWS Deep Learning AMI Developer Guide: release notes index (names of the DLAMI families in 2022)',
    url: 'https://github.com/awsdocs/aws-deep-learning-amis',
    snapshot: 'awsdocs/aws-deep-learning-amis@578e7dd1e3d3 doc_source/appendix-ami-release-notes.md (repository archived 2023-06)',
    date: '2023-06-15',
    expect: ['dlami/awsdocs-aws-deep-learning-amis/appendix-ami-release-notes.md', 'Multi\\-framework DLAMI'],
  },
  'eol-dlami-conda-overview': {
    title: 'AWS Deep Learning AMI Developer Guide: Deep Learning AMI with Conda (frameworks, v28 removals, Python 2)',
    url: 'https://github.com/awsdocs/aws-deep-learning-amis',
    snapshot: 'awsdocs/aws-deep-learning-amis@578e7dd1e3d3 doc_source/overview-conda.md (repository archived 2023-06)',
    date: '2023-06-15',
    expect: ['dlami/awsdocs-aws-deep-learning-amis/overview-conda.md', 'starting with the v28 release'],
  },
  'eol-dlami-support-policy': {
    title: 'AWS Deep Learning AMI framework support policy (FAQ; multi-framework DLAMIs, dependency end of support, conda-forge)',
    url: 'https://docs.aws.amazon.com/dlami/latest/devguide/support-policy.html',
    snapshot: 'seed copy of the page; the same text is awsdocs/aws-deep-learning-amis@578e7dd1e3d3 doc_source/support-policy.md',
    expect: ['dlami/awsdocs-aws-deep-learning-amis/support-policy.md', 'For [multi\\-framework DLAMIs]'],
  },
  'eol-dlami-find-id': {
    title: 'AWS Deep Learning AMI Developer Guide: find the DLAMI ID (SSM parameter format /aws/service/deeplearning/ami/$architecture/$ami_type/latest/ami-id)',
    url: 'https://docs.aws.amazon.com/dlami/latest/devguide/find-dlami-id.html',
    snapshot: 'stored copies of the page (docs.aws.amazon.com and docs.amazonaws.cn), copy date unknown; the 2022 text (awsdocs/aws-deep-learning-amis@578e7dd1e3d3 find-dlami-id.md) used EC2 name filters instead',
    expect: ['dlami-names.md', '/aws/service/deeplearning/ami/$architecture/$ami_type/latest/ami-id'],
  },
  'eol-dlami-names-public-code': {
    title: 'DLAMI names, name filters and SSM parameter paths as written in public repositories',
    snapshot: 'GitHub code index hits collected in August 2026 (one file id per example in the collected notes); verbatim strings, not an AWS page',
    date: '2026-08-22',
    expect: ['dlami-names.md', 'GPU DLAMI name families'],
  },
  'eol-neuron-dlami-guide': {
    title: 'AWS Neuron documentation: Neuron DLAMIs (names and /aws/service/neuron/dlami SSM parameter prefixes)',
    url: 'https://github.com/aws-neuron/aws-neuron-sdk/blob/master/deploy/environments/dlami.rst',
    snapshot: 'aws-neuron/aws-neuron-sdk master@81ce03ae261e (2026-08-21) and the git history of its *dlami* files',
    date: '2026-08-21',
    expect: ['dlami-names.md', '/aws/service/neuron/dlami/multi-framework/ubuntu-24.04'],
  },
  'eol-sagemaker-prebuilt-images': {
    title: 'Amazon SageMaker Developer Guide: Prebuilt SageMaker Docker images for TensorFlow, MXNet, Chainer and PyTorch (URL patterns, Elastic Inference repositories)',
    url: 'https://docs.aws.amazon.com/sagemaker/latest/dg/pre-built-containers-frameworks-deep-learning.html',
    snapshot: 'seed copy of the page (undated, pre-2023 text)',
    expect: null,
  },
  'eol-dlc-available-images-history': {
    title: 'AWS Deep Learning Containers available_images.md (legacy image list with the Elastic Inference section, yearly snapshots)',
    url: 'https://github.com/aws/deep-learning-containers/blob/master/available_images.md',
    snapshot: 'aws/deep-learning-containers master branch, snapshots of 2020-12-18, 2021-12-02, 2022-12-22, 2023-12-07, 2024-12-23, 2025-12-18 and 2026-02-02',
    date: '2026-02-02',
    expect: ['dlc-images-legacy-available_images.csv', 'Elastic Inference Containers'],
  },
  'eol-ei-service-notice': {
    title: 'Amazon Elastic Inference service notice of 2023-02-15 (no new customers from 2023-04-15), in the AWS CLI reference and SDK service descriptions',
    url: 'https://docs.aws.amazon.com/cli/latest/reference/elastic-inference/index.html',
    snapshot: 'stored copies of the AWS CLI v1 reference and AWS SDK service descriptions, copy dates unknown',
    expect: ['misc-eol-facts.csv', 'AWS will not onboard new customers to Amazon EI'],
  },
  'eol-ei-dlc-maintainer': {
    title: 'aws/deep-learning-containers issue comments by an AWS maintainer: "We are going to deprecate Elastic Inference by end of April, 2024"',
    url: 'https://github.com/aws/deep-learning-containers/issues/2006',
    snapshot: 'comments of 2024-02-26 on issues #2006, #1428 and #1444, as stored in a search index of GitHub issues',
    date: '2024-02-26',
    expect: ['misc-eol-facts.csv', 'We are going to deprecate Elastic Inference by end of April, 2024'],
  },
  'eol-ei-no-longer-available': {
    title: 'AWS API reference: "Amazon Elastic Inference is no longer available." (documentation-only SDK release of 2024-10-10)',
    url: 'https://docs.aws.amazon.com/cli/latest/reference/elastic-inference/index.html',
    snapshot: 'stored copy of the AWS CLI v1 reference; aws-sdk-go-v2 service/ecs CHANGELOG v1.47.3 (2024-10-10)',
    date: '2024-10-10',
    expect: ['misc-eol-facts.csv', 'Elastic Inference is no longer available'],
  },
  'eol-ei-botocore-removal': {
    title: 'boto/botocore pull request #3403 "Remove elastic inference"',
    url: 'https://github.com/boto/botocore/pull/3403',
    snapshot: 'pull request of 2025-02-21/24 as stored in a search index of GitHub pull requests',
    expect: ['misc-eol-facts.csv', 'botocore PR #3403'],
  },
  'eol-apache-attic-mxnet': {
    title: 'Apache Attic: Apache MXNet (retired September 2023, Attic move completed February 2024)',
    url: 'https://attic.apache.org/projects/mxnet.html',
    snapshot: 'not read directly; dates as cited by several public documents that link this page',
    expect: ['misc-eol-facts.csv', 'attic.apache.org/projects/mxnet'],
  },
  'eol-dlc-release-notes-2022': {
    title: 'Release Notes for AWS Deep Learning Containers (2020-2022 list; last MXNet DLC: MXNet 1.9, 2022-01-31)',
    url: 'https://github.com/awsdocs/aws-deep-learning-containers',
    snapshot: 'awsdocs/aws-deep-learning-containers@8949a0a1c63f doc_source/dlc-release-notes.md (repository archived 2023-06)',
    date: '2023-06-15',
    expect: ['misc-eol-facts.csv', 'AWS Deep Learning Containers for MXNet 1.9'],
  },
  'eol-dlami-features': {
    title: 'AWS Deep Learning AMI Developer Guide: DLAMI features (no longer supports Apache MXNet, CNTK, Caffe, Caffe2, Theano, Chainer, Keras)',
    url: 'https://docs.aws.amazon.com/dlami/latest/devguide/features.html',
    snapshot: 'stored copy of the machine-translated (zh) docs.amazonaws.cn page, copy date unknown',
    expect: ['misc-eol-facts.csv', 'DLAMI no longer supports Apache MXNet'],
  },
  'eol-neuron-mxnet-maintenance': {
    title: 'AWS Neuron announcement: Neuron support for MXNet enters maintenance mode starting with Neuron 2.19',
    url: 'https://github.com/aws-neuron/aws-neuron-sdk/blob/master/about-neuron/announcements/neuron2.x/announce-maintenance-mxnet.rst',
    snapshot: 'aws-neuron/aws-neuron-sdk master@81ce03ae261e (2026-08-21)',
    date: '2026-08-21',
    expect: ['misc-eol-facts.csv', 'announce-maintenance-mxnet.rst'],
  },
  'eol-chainer-maintenance': {
    title: 'Chainer project statement: "Chainer is under the maintenance phase" (announcement of 2019-12-05, chainer.org/announcement/2019/12/05/released-v7.html)',
    url: 'https://chainer.org/announcement/2019/12/05/released-v7.html',
    snapshot: 'announcement not read directly; statement quoted in copies of the Chainer README/contribution guide found in public repositories',
    expect: ['misc-eol-facts.csv', 'Chainer is under the maintenance phase'],
  },
  'eol-neuron-conda-eol': {
    title: 'AWS Neuron announcement of 2021-05-28: end of support for Neuron conda packages in the DLAMI starting Neuron 1.14.0',
    url: 'https://github.com/aws-neuron/aws-neuron-sdk/blob/master/about-neuron/announcements/neuron1.x/announcements.rst',
    snapshot: 'aws-neuron/aws-neuron-sdk master@81ce03ae261e: announcements.rst (anchor eol-conda-packages) and the Neuron 1.13.0 release notes (conda packages listed)',
    date: '2026-08-21',
    expect: ['misc-eol-facts.csv', 'eol-conda-packages'],
  },
};

function checkSourceMarkers(dir) {
  for (const [id, s] of Object.entries(SOURCES)) {
    if (!s.expect) continue;
    const [rel, marker] = s.expect;
    check(readText(dir, rel).includes(marker), `source ${id}: ${rel} no longer contains ${JSON.stringify(marker)}; review the source registry`);
  }
}

// ---------------------------------------------------------------------------
// OS normalisation (mirrors normalizeOs in server/src/catalog/lifecycle.ts; used here to file the
// OS of every example name under its family).

function normalizeOs(text) {
  const t = text.trim().toLowerCase();
  let m = /^ubuntu[\s:_-]*(\d{2})(?:[.-](\d{2}))?(?:\.\d+)?(?:\s+lts)?$/.exec(t);
  if (m) return { id: 'ubuntu', version: `${m[1]}.${m[2] ?? '04'}` };
  m = /^(?:amazon[\s_-]*linux|amazonlinux|amzn|al)[\s:_-]*(.*)$/.exec(t);
  if (!m) return undefined;
  const rest = m[1];
  const bare = /^(?:amazon[\s_-]*linux|amazonlinux)/.test(t);
  if (rest === '' || rest === 'ami') return bare ? { id: 'amazon-linux', version: '1' } : undefined;
  if (/^(?:2023|2022)(?:[.-]|$)/.test(rest)) return { id: 'amazon-linux', version: '2023' };
  if (/^(?:ami[\s-]*)?20(?:1\d)\.\d{2}(?:[.-]|$)/.test(rest)) return { id: 'amazon-linux', version: '1' };
  if (/^2(?:[.-]|$)/.test(rest)) return { id: 'amazon-linux', version: '2' };
  if (/^1(?:[.-]|$)/.test(rest)) return { id: 'amazon-linux', version: '1' };
  return undefined;
}

function osKey(os) {
  return `${os.id}-${os.version}`;
}

// ---------------------------------------------------------------------------
// DLAMI families. Name and SSM templates: literal text (matched ignoring ASCII case), placeholders
// {framework_version} {cuda_version} {version} {date} {os} {arch}, and optional groups [ ... ]
// (not nested). Names may carry an "amazon/" (owner alias) or "AWS " (release-note title) prefix.
// The families come from dlami-names.md and the 2022 release-notes index; every name and SSM
// path found in those files must be recognised by one of them (checked below).

const FAMILIES = [
  {
    id: 'oss-nvidia-driver-gpu-pytorch', name: 'Deep Learning OSS Nvidia Driver AMI GPU PyTorch',
    accelerator: 'nvidia-gpu', arch: ['x86_64'], framework: 'pytorch',
    name_patterns: ['Deep Learning OSS Nvidia Driver AMI GPU PyTorch {framework_version} ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-{framework_version}-{os}/latest/ami-id'],
    sources: ['eol-dlami-names-public-code', 'eol-dlami-find-id'],
  },
  {
    id: 'arm64-oss-nvidia-driver-gpu-pytorch', name: 'Deep Learning ARM64 AMI OSS Nvidia Driver GPU PyTorch',
    accelerator: 'nvidia-gpu', arch: ['arm64'], framework: 'pytorch',
    name_patterns: ['Deep Learning ARM64 AMI OSS Nvidia Driver GPU PyTorch {framework_version} ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/deeplearning/ami/arm64/oss-nvidia-driver-gpu-pytorch-{framework_version}-{os}/latest/ami-id'],
    sources: ['eol-dlami-names-public-code', 'eol-dlami-find-id'],
    note: 'ARM64 names put "ARM64 AMI" before "OSS Nvidia Driver GPU"; the SSM ami_type is the same as on x86_64, under arm64.',
  },
  {
    id: 'oss-nvidia-driver-gpu', name: 'Deep Learning OSS Nvidia Driver AMI GPU (no framework in the SSM path)',
    accelerator: 'nvidia-gpu', arch: ['x86_64'],
    name_patterns: [],
    ssm_patterns: ['/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-{os}/latest/ami-id'],
    sources: ['eol-dlami-names-public-code'],
    note: 'Seen only as an SSM parameter path in public code; the AMI name behind it is not in the sources.',
  },
  {
    id: 'base-oss-nvidia-driver-gpu', name: 'Deep Learning Base OSS Nvidia Driver GPU AMI',
    accelerator: 'nvidia-gpu', arch: ['x86_64'],
    name_patterns: ['Deep Learning Base OSS Nvidia Driver GPU AMI ({os})[ {date}]'],
    ssm_patterns: [
      '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-{os}/latest/ami-id',
      '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-{os}/latest/ami-id',
    ],
    sources: ['eol-dlami-names-public-code', 'eol-dlami-find-id'],
    note: 'The AWS guide\'s own SSM example is .../base-oss-nvidia-driver-ubuntu-22.04/...; public code uses .../base-oss-nvidia-driver-gpu-ubuntu-22.04/....',
  },
  {
    id: 'arm64-base-oss-nvidia-driver-gpu', name: 'Deep Learning ARM64 Base OSS Nvidia Driver GPU AMI',
    accelerator: 'nvidia-gpu', arch: ['arm64'],
    name_patterns: ['Deep Learning ARM64 Base OSS Nvidia Driver GPU AMI ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-{os}/latest/ami-id'],
    sources: ['eol-dlami-names-public-code'],
  },
  {
    id: 'base-single-cuda', name: 'Deep Learning Base AMI with Single CUDA',
    accelerator: 'nvidia-gpu', arch: ['x86_64', 'arm64'],
    name_patterns: ['Deep Learning Base AMI with Single CUDA ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/deeplearning/ami/{arch}/base-with-single-cuda-{os}/latest/ami-id'],
    sources: ['eol-dlami-names-public-code'],
  },
  {
    id: 'proprietary-nvidia-driver-gpu-pytorch', name: 'Deep Learning Proprietary Nvidia Driver AMI GPU PyTorch',
    accelerator: 'nvidia-gpu', arch: ['x86_64'], framework: 'pytorch',
    name_patterns: ['Deep Learning Proprietary Nvidia Driver AMI GPU PyTorch {framework_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-names-public-code'],
  },
  {
    id: 'proprietary-nvidia-driver-gpu-tensorflow', name: 'Deep Learning Proprietary Nvidia Driver AMI GPU TensorFlow',
    accelerator: 'nvidia-gpu', arch: ['x86_64'], framework: 'tensorflow',
    name_patterns: ['Deep Learning Proprietary Nvidia Driver AMI GPU TensorFlow {framework_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-names-public-code'],
  },
  {
    id: 'proprietary-nvidia-driver-versioned', name: 'Deep Learning Proprietary Nvidia Driver AMI (Version NN)',
    accelerator: 'nvidia-gpu', arch: ['x86_64'],
    name_patterns: ['Deep Learning Proprietary Nvidia Driver AMI ({os})[ Version {version}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-names-public-code'],
    note: 'Seen once in public code ("... (Amazon Linux 2) Version 81"); which frameworks it carries is not stated in the sources.',
  },
  {
    id: 'gpu-pytorch', name: 'Deep Learning AMI GPU PyTorch',
    accelerator: 'nvidia-gpu', arch: ['x86_64'], framework: 'pytorch',
    name_patterns: ['Deep Learning AMI GPU PyTorch {framework_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022', 'eol-dlami-names-public-code'],
  },
  {
    id: 'gpu-tensorflow', name: 'Deep Learning AMI GPU TensorFlow',
    accelerator: 'nvidia-gpu', arch: ['x86_64'], framework: 'tensorflow',
    name_patterns: ['Deep Learning AMI GPU TensorFlow {framework_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022', 'eol-dlami-names-public-code'],
  },
  {
    id: 'gpu-mxnet', name: 'Deep Learning AMI GPU MXNet',
    accelerator: 'nvidia-gpu', arch: ['x86_64'], framework: 'mxnet', retired: 'apache-mxnet',
    name_patterns: ['Deep Learning AMI GPU MXNet {framework_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022'],
  },
  {
    id: 'graviton-gpu-pytorch', name: 'Deep Learning AMI Graviton GPU PyTorch',
    accelerator: 'nvidia-gpu', arch: ['arm64'], framework: 'pytorch',
    name_patterns: ['Deep Learning AMI Graviton GPU PyTorch {framework_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022'],
  },
  {
    id: 'graviton-gpu-tensorflow', name: 'Deep Learning AMI Graviton GPU TensorFlow',
    accelerator: 'nvidia-gpu', arch: ['arm64'], framework: 'tensorflow',
    name_patterns: ['Deep Learning AMI Graviton GPU TensorFlow {framework_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022'],
  },
  {
    id: 'gpu-cuda', name: 'Deep Learning AMI GPU CUDA',
    accelerator: 'nvidia-gpu', arch: ['x86_64'],
    name_patterns: ['Deep Learning AMI GPU CUDA {cuda_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022'],
  },
  {
    id: 'graviton-gpu-cuda', name: 'Deep Learning AMI Graviton GPU CUDA',
    accelerator: 'nvidia-gpu', arch: ['arm64'],
    name_patterns: ['Deep Learning AMI Graviton GPU CUDA {cuda_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022'],
  },
  {
    id: 'base-gpu-cuda', name: 'Deep Learning Base AMI GPU CUDA',
    accelerator: 'nvidia-gpu', arch: ['x86_64'],
    name_patterns: ['Deep Learning Base AMI GPU CUDA {cuda_version} ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022'],
  },
  {
    id: 'habana-pytorch', name: 'Deep Learning AMI Habana PyTorch SynapseAI',
    accelerator: 'habana', arch: ['x86_64'], framework: 'pytorch',
    name_patterns: ['Deep Learning AMI Habana PyTorch SynapseAI ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022'],
    note: 'Only the 2022 release-note title is in the sources; the EC2 AMI names may carry versions this pattern does not know.',
  },
  {
    id: 'habana-tensorflow', name: 'Deep Learning AMI Habana TensorFlow SynapseAI',
    accelerator: 'habana', arch: ['x86_64'], framework: 'tensorflow',
    name_patterns: ['Deep Learning AMI Habana TensorFlow SynapseAI ({os})[ {date}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022'],
    note: 'Only the 2022 release-note title is in the sources; the EC2 AMI names may carry versions this pattern does not know.',
  },
  {
    id: 'conda-multi-framework', name: 'Deep Learning AMI (multi-framework, Conda)',
    accelerator: 'nvidia-gpu', arch: ['x86_64'], multi_framework: true,
    bundled_frameworks: ['mxnet', 'pytorch', 'tensorflow'], retired: 'multi-framework-conda-dlami',
    name_patterns: ['Deep Learning AMI ({os})[ Version {version}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022', 'eol-dlami-conda-overview', 'eol-dlami-names-public-code'],
    note: 'The "Conda DLAMI": one AMI with a conda environment per framework (2022: Apache MXNet, PyTorch, TensorFlow 2). Builds are named "Version NN.N".',
  },
  {
    id: 'base-legacy', name: 'Deep Learning Base AMI (2022 base family)',
    accelerator: 'nvidia-gpu', arch: ['x86_64'],
    name_patterns: ['Deep Learning Base AMI ({os})[ Version {version}]'],
    ssm_patterns: [],
    sources: ['eol-dlami-release-notes-2022', 'eol-dlami-deprecations'],
  },
  {
    id: 'neuron-multi-framework', name: 'Deep Learning AMI Neuron (multi-framework)',
    accelerator: 'neuron', arch: ['x86_64'], multi_framework: true,
    name_patterns: ['Deep Learning AMI Neuron ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/neuron/dlami/multi-framework/{os}[/latest/image_id]'],
    sources: ['eol-neuron-dlami-guide'],
    note: 'Neuron multi-framework DLAMI (virtual environments per framework); not a Conda DLAMI and not retired.',
  },
  {
    id: 'neuron-pytorch', name: 'Deep Learning AMI Neuron PyTorch',
    accelerator: 'neuron', arch: ['x86_64'], framework: 'pytorch',
    name_patterns: ['Deep Learning AMI Neuron PyTorch {framework_version} ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/neuron/dlami/pytorch-{framework_version}/{os}[/latest/image_id]'],
    sources: ['eol-neuron-dlami-guide', 'eol-dlami-release-notes-2022'],
  },
  {
    id: 'neuron-pytorch-inf1', name: 'Deep Learning AMI Neuron PyTorch Inf1',
    accelerator: 'neuron', arch: ['x86_64'], framework: 'pytorch',
    name_patterns: ['Deep Learning AMI Neuron PyTorch {framework_version} Inf1 ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/neuron/dlami/pytorch-{framework_version}-inf1/{os}[/latest/image_id]'],
    sources: ['eol-neuron-dlami-guide'],
  },
  {
    id: 'neuron-tensorflow', name: 'Deep Learning AMI Neuron TensorFlow',
    accelerator: 'neuron', arch: ['x86_64'], framework: 'tensorflow',
    name_patterns: ['Deep Learning AMI Neuron TensorFlow {framework_version} ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/neuron/dlami/tensorflow-{framework_version}/{os}[/latest/image_id]'],
    sources: ['eol-neuron-dlami-guide'],
  },
  {
    id: 'neuron-tensorflow-inf1', name: 'Deep Learning AMI Neuron TensorFlow Inf1',
    accelerator: 'neuron', arch: ['x86_64'], framework: 'tensorflow',
    name_patterns: ['Deep Learning AMI Neuron TensorFlow {framework_version} Inf1 ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/neuron/dlami/tensorflow-{framework_version}-inf1/{os}[/latest/image_id]'],
    sources: ['eol-neuron-dlami-guide'],
  },
  {
    id: 'neuron-jax', name: 'Deep Learning AMI Neuron JAX',
    accelerator: 'neuron', arch: ['x86_64'], framework: 'jax',
    name_patterns: ['Deep Learning AMI Neuron JAX {framework_version} ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/neuron/dlami/jax-{framework_version}/{os}[/latest/image_id]'],
    sources: ['eol-neuron-dlami-guide'],
  },
  {
    id: 'neuron-pytorch-inference-vllm', name: 'Deep Learning AMI Neuron PyTorch Inference vLLM',
    accelerator: 'neuron', arch: ['x86_64'], framework: 'vllm',
    name_patterns: ['Deep Learning AMI Neuron PyTorch Inference vLLM[ {framework_version}] ({os})[ {date}]'],
    ssm_patterns: ['/aws/service/neuron/dlami/pytorch-inference-vllm[-{framework_version}]/{os}[/latest/image_id]'],
    sources: ['eol-neuron-dlami-guide'],
    note: 'The version in the name is the vllm-neuron package version (e.g. 0.24.0.1.1.0), not a PyTorch version.',
  },
  {
    id: 'neuron-base', name: 'Deep Learning Base Neuron AMI',
    accelerator: 'neuron', arch: ['x86_64'],
    name_patterns: [
      'Deep Learning Base Neuron AMI ({os})[ {date}]',
      'Deep Learning Base AMI Neuron ({os})[ {date}]',
      'Deep Learning AMI Base Neuron ({os})[ {date}]',
    ],
    ssm_patterns: [
      '/aws/service/neuron/dlami/base/{os}[/latest/image_id]',
      '/aws/service/deep-learning-base-neuron/{os}[/latest]',
    ],
    sources: ['eol-neuron-dlami-guide', 'eol-dlami-release-notes-2022'],
    note: 'Three word orders were used over time; the /aws/service/deep-learning-base-neuron/ path is the one in the Neuron quick-start pages.',
  },
];

const PLACEHOLDER_RE = {
  framework_version: '[0-9*?][0-9.*?]*',
  cuda_version: '[0-9*?][0-9.*?]*',
  version: '[0-9*?][0-9.*?]*',
  date: '[0-9*?]+',
  os: '[A-Za-z0-9 ._*?-]+',
  arch: '[a-z0-9_]+',
};

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// Template -> RegExp with named groups (only for checking the examples here; the server has its own
// linear-time matcher). Whole-string match, case-insensitive, optional "amazon/" or "AWS " prefix for
// names, optional trailing "*" (a name filter).
function templateRegExp(template, kind) {
  let re = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '[') { re += '(?:'; i++; continue; }
    if (c === ']') { re += ')?'; i++; continue; }
    if (c === '{') {
      const j = template.indexOf('}', i);
      check(j > i, `template ${template}: unclosed placeholder`);
      const name = template.slice(i + 1, j);
      check(name in PLACEHOLDER_RE, `template ${template}: unknown placeholder {${name}}`);
      re += `(?<${name}>${PLACEHOLDER_RE[name]})`;
      i = j + 1;
      continue;
    }
    re += escapeRe(c);
    i++;
  }
  const prefix = kind === 'name' ? '(?:amazon/|AWS )?' : '';
  const suffix = kind === 'name' ? '\\*?' : '';
  return new RegExp(`^${prefix}${re}${suffix}$`, 'i');
}

function recogniseExample(text, kind) {
  const hits = [];
  for (const f of FAMILIES) {
    for (const t of kind === 'name' ? f.name_patterns : f.ssm_patterns) {
      const m = templateRegExp(t, kind).exec(text);
      if (!m) continue;
      const g = m.groups ?? {};
      if (g.os !== undefined && !/[*?]/.test(g.os) && !normalizeOs(g.os)) continue;
      if (g.arch !== undefined && !f.arch.includes(g.arch)) continue;
      hits.push({ family: f, groups: g });
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------
// Derivation

function derivePython(dir) {
  const rel = 'endoflife-date/python.md';
  const releases = parseEndoflifeReleases(readText(dir, rel), rel);
  const out = [];
  for (const r of releases) {
    const v = r.releaseCycle;
    check(/^\d+\.\d+$/.test(v), `${rel}: unexpected releaseCycle ${v}`);
    const [major, minor] = v.split('.').map(Number);
    if (major < 2 || (major === 2 && minor < 7) || (major === 3 && minor < 0)) continue; // 2.6 and older: not in scope
    const row = {
      version: v,
      released: day(r.releaseDate, `${rel} ${v} releaseDate`),
      end_of_bugfix: typeof r.eoas === 'string' ? day(r.eoas, `${rel} ${v} eoas`) : undefined,
      end_of_life: day(r.eol, `${rel} ${v} eol`),
      latest_patch: r.latest,
      latest_patch_released: r.latestReleaseDate ? day(r.latestReleaseDate, `${rel} ${v} latestReleaseDate`) : undefined,
      pep: r.pep,
      source: 'eol-endoflife-python',
    };
    out.push(row);
  }
  out.sort((a, b) => cmpMinor(a.version, b.version));
  for (const want of ['2.7', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14']) {
    check(out.some((p) => p.version === want), `${rel}: Python ${want} missing`);
  }
  return out;
}

function cmpMinor(a, b) {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

// DLAMI deprecations table rows: | Feature | MM/DD/YYYY | notice |
function readDlamiDeprecations(dir) {
  const rel = 'dlami/awsdocs-aws-deep-learning-amis/deprecations.md';
  const out = new Map();
  for (const line of readText(dir, rel).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !/^\d{2}\/\d{2}\/\d{4}$/.test(cells[2])) continue;
    const feature = cells[1].replace(/\\/g, '');
    out.set(feature, { on: usDate(cells[2], `${rel} ${feature}`), notice: cells[3].replace(/\\/g, '').replace(/\s+/g, ' ').trim() });
  }
  for (const f of ['Ubuntu 16.04', 'Amazon Linux', 'Chainer', 'Python 3.6', 'Python 2']) check(out.has(f), `${rel}: no row for ${f}`);
  return out;
}

function deriveOs(dir, deprecations) {
  const dlamiRows = readCsv(dir, 'framework-support-policy.csv', ['framework', 'version', 'end_of_patch_date', 'product'])
    .filter((r) => r.product === 'DLAMI-OS');
  check(dlamiRows.length >= 4, 'framework-support-policy.csv: expected at least 4 DLAMI-OS rows');
  const dlamiEop = new Map();
  for (const r of dlamiRows) {
    const os = normalizeOs(r.framework);
    check(os && os.version === r.version, `framework-support-policy.csv: DLAMI-OS row ${r.framework} ${r.version} not understood`);
    dlamiEop.set(osKey(os), day(r.end_of_patch_date, `framework-support-policy.csv DLAMI-OS ${r.framework}`));
  }

  const out = [];
  // Ubuntu: every LTS release from 16.04 (the oldest OS in any DLC tag or DLAMI name of the sources).
  const urel = 'endoflife-date/ubuntu.md';
  for (const r of parseEndoflifeReleases(readText(dir, urel), urel)) {
    const v = r.releaseCycle;
    check(/^\d{1,2}\.\d{2}$/.test(v), `${urel}: unexpected releaseCycle ${v}`);
    if (r.lts !== true || Number(v.slice(0, 2)) < 16) continue;
    const key = `ubuntu-${v}`;
    const row = {
      id: 'ubuntu',
      version: v,
      name: `Ubuntu ${v} LTS`,
      codename: r.codename,
      lts: true,
      released: day(r.releaseDate, `${urel} ${v}`),
      end_of_active_support: day(r.eoas, `${urel} ${v} eoas`),
      end_of_life: day(r.eol, `${urel} ${v} eol`),
      end_of_extended_support: r.eoes ? day(r.eoes, `${urel} ${v} eoes`) : undefined,
      latest: r.latest,
      source: 'eol-endoflife-ubuntu',
    };
    if (dlamiEop.has(key)) {
      row.dlami_end_of_patch = dlamiEop.get(key);
      row.dlami_end_of_patch_source = 'eol-dlami-os-table';
      if (row.dlami_end_of_patch !== row.end_of_life) {
        row.note = `endoflife.date gives end of standard security maintenance ${row.end_of_life}; the DLAMI OS table gives end of patch ${row.dlami_end_of_patch}. end_of_life keeps endoflife.date's value (Canonical's schedule, the OS vendor's date); the DLAMI value is kept in dlami_end_of_patch.`;
      }
    }
    out.push(row);
  }
  const u1604 = out.find((o) => o.version === '16.04');
  check(u1604, `${urel}: Ubuntu 16.04 missing`);
  const dep1604 = deprecations.get('Ubuntu 16.04');
  check(/April 30, 2021/.test(dep1604.notice), 'deprecations.md: Ubuntu 16.04 notice no longer says April 30, 2021');
  u1604.dlami_deprecated = dep1604.on;
  u1604.dlami_deprecated_source = 'eol-dlami-deprecations';
  u1604.conflicts = [{ field: 'end_of_life', value: '2021-04-30', source: 'eol-dlami-deprecations', note: 'The DLAMI deprecation notice says Ubuntu 16.04 LTS "reached the end of its five-year LTS window on April 30, 2021"; endoflife.date (Canonical) gives 2021-04-02. end_of_life keeps endoflife.date\'s value.' }];
  u1604.note = `No updates to the Deep Learning Base AMI (Ubuntu 16.04) in new releases as of October 2021 (DLAMI deprecation of ${dep1604.on}).`;

  // Amazon Linux 2023 and 2.
  const arel = 'endoflife-date/amazon-linux.md';
  const al = parseEndoflifeReleases(readText(dir, arel), arel);
  for (const v of ['2023', '2']) {
    const r = al.find((x) => x.releaseCycle === v);
    check(r, `${arel}: Amazon Linux ${v} missing`);
    const row = {
      id: 'amazon-linux',
      version: v,
      name: `Amazon Linux ${v}`,
      released: day(r.releaseDate, `${arel} ${v}`),
      end_of_active_support: day(r.eoas, `${arel} ${v} eoas`),
      end_of_life: day(r.eol, `${arel} ${v} eol`),
      latest: r.latest,
      source: 'eol-endoflife-amazon-linux',
    };
    const key = `amazon-linux-${v}`;
    if (dlamiEop.has(key)) {
      row.dlami_end_of_patch = dlamiEop.get(key);
      row.dlami_end_of_patch_source = 'eol-dlami-os-table';
    }
    if (v === '2023') {
      check(row.dlami_end_of_patch === row.end_of_life, 'Amazon Linux 2023: the DLAMI table no longer agrees with endoflife.date eol; review the rule');
      row.note = `AWS calls ${row.end_of_active_support} the end of standard support and keeps security updates in a maintenance phase to ${row.end_of_life}; end_of_life is the end of security updates (endoflife.date eol), which is also the DLAMI OS table's end of patch.`;
    }
    out.push(row);
  }
  // Amazon Linux 1: the "Amazon Linux AMI" cycles 2010.11 ... 2018.03.
  const cycles = al.filter((x) => /^20(1\d)\.\d{2}$/.test(x.releaseCycle));
  check(cycles.length >= 10, `${arel}: Amazon Linux AMI cycles missing`);
  const eoas = new Set(cycles.map((c) => c.eoas));
  const eol = new Set(cycles.map((c) => c.eol));
  check(eoas.size === 1 && eol.size === 1, `${arel}: Amazon Linux AMI cycles no longer share one end date`);
  const newest = cycles.reduce((a, b) => (a.releaseDate > b.releaseDate ? a : b));
  const oldest = cycles.reduce((a, b) => (a.releaseDate < b.releaseDate ? a : b));
  const depAl1 = deprecations.get('Amazon Linux');
  check(/December 2020/.test(depAl1.notice), 'deprecations.md: Amazon Linux notice no longer says December 2020');
  out.push({
    id: 'amazon-linux',
    version: '1',
    name: 'Amazon Linux AMI (Amazon Linux 1)',
    released: day(oldest.releaseDate, `${arel} ${oldest.releaseCycle}`),
    end_of_active_support: day([...eoas][0], `${arel} AMI eoas`),
    end_of_life: day([...eol][0], `${arel} AMI eol`),
    latest: newest.releaseCycle,
    cycles: cycles.map((c) => c.releaseCycle).sort(),
    source: 'eol-endoflife-amazon-linux',
    dlami_deprecated: depAl1.on,
    dlami_deprecated_source: 'eol-dlami-deprecations',
    conflicts: [{ field: 'end_of_life', value: '2020-12', source: 'eol-dlami-deprecations', note: 'The DLAMI deprecation notice says Amazon Linux "is end-of-life as of December 2020", i.e. the end of standard support (end_of_active_support); endoflife.date gives the end of security support 2023-12-31 as end_of_life.' }],
    note: `One record for all "Amazon Linux AMI" releases (${cycles.length} cycles, ${oldest.releaseCycle} to ${newest.releaseCycle}); released is the first cycle's date. No updates to the Deep Learning AMI (Amazon Linux) in new releases as of October 2021.`,
  });

  for (const k of dlamiEop.keys()) check(out.some((o) => osKey(o) === k), `DLAMI-OS row ${k} has no OS record`);
  for (const k of ['ubuntu-16.04', 'ubuntu-18.04', 'ubuntu-20.04', 'ubuntu-22.04', 'ubuntu-24.04', 'amazon-linux-1', 'amazon-linux-2', 'amazon-linux-2023']) {
    check(out.some((o) => osKey(o) === k), `OS ${k} missing`);
  }
  return out;
}

function miscRows(dir) {
  return readCsv(dir, 'misc-eol-facts.csv', ['what', 'kind', 'date', 'detail', 'source']);
}

function miscRow(rows, what, kind) {
  const r = rows.find((x) => x.what === what && x.kind === kind);
  check(r, `misc-eol-facts.csv: no row what=${JSON.stringify(what)} kind=${JSON.stringify(kind)}`);
  return r;
}

// "2023-04-15" -> day; "2024-04 (end of April 2024)" -> "2024-04"; "2021-05-28 (announced); ..." -> day
function leadingDate(value, where) {
  const m = /^(\d{4}-\d{2})(-\d{2})?/.exec(value.trim());
  check(m, `${where}: no leading date in ${JSON.stringify(value)}`);
  return m[2] ? day(m[1] + m[2], where) : m[1];
}

function deriveRetired(dir, seedsDir, deprecations, python) {
  const misc = miscRows(dir);
  const legacy = readCsv(dir, 'dlc-images-legacy-available_images.csv', ['repository', 'tag', 'section']);
  const seedImages = readText(seedsDir, 'sagemaker-prebuilt-dl-images.md');

  // Elastic Inference
  const eiNotice = miscRow(misc, 'Amazon Elastic Inference (EI)', 'no new customers');
  const eiEnd = miscRow(misc, 'Amazon Elastic Inference (EI)', 'end of life');
  const eiGone = miscRow(misc, 'Amazon Elastic Inference (EI)', 'no longer available');
  const eiSdk = miscRow(misc, 'Amazon Elastic Inference (EI)', 'SDK client removed');
  const announced = /Notice dated (\d{4}-\d{2}-\d{2})/.exec(eiNotice.detail);
  check(announced, 'misc-eol-facts.csv: EI notice date not found');
  check(/end of April, 2024/.test(eiEnd.detail), 'misc-eol-facts.csv: EI end-of-life wording changed');
  const goneDay = /(\d{4}-\d{2}-\d{2})/.exec(eiGone.date);
  check(goneDay, 'misc-eol-facts.csv: EI "no longer available" date not found');
  const eiRepos = [...new Set(legacy.filter((r) => /-eia$/.test(r.repository)).map((r) => r.repository))];
  check(eiRepos.length >= 3, 'legacy available images: expected the *-eia repositories');
  for (const r of ['sagemaker-tensorflow-eia', 'sagemaker-mxnet-serving-eia']) {
    check(seedImages.includes(`\`${r}\``), `sagemaker-prebuilt-dl-images.md no longer names ${r}`);
    eiRepos.push(r);
  }
  eiRepos.sort();

  // Apache MXNet
  const mxRetired = miscRow(misc, 'Apache MXNet', 'project retired');
  const mxAttic = miscRow(misc, 'Apache MXNet', 'Apache Attic move completed');
  const mxDlc = miscRow(misc, 'Apache MXNet (DLC)', 'last DLC framework version');
  const mxNeuron = miscRow(misc, 'Apache MXNet (Neuron mx_neuron / mxnet_neuron)', 'maintenance mode');
  const mxDlami = miscRow(misc, 'Apache MXNet (DLAMI)', 'removed from DLAMI');
  check(/Conda DLAMI supports PyTorch and TensorFlow 2/.test(mxDlami.detail), 'misc-eol-facts.csv: DLAMI features wording changed');
  const mxRepos = [...new Set(legacy.filter((r) => /^mxnet-/.test(r.repository)).map((r) => r.repository))].sort();
  check(mxRepos.includes('mxnet-training') && mxRepos.includes('mxnet-inference'), 'legacy available images: MXNet repositories missing');

  // Chainer
  const chMaint = miscRow(misc, 'Chainer', 'maintenance phase');
  const chDlami = miscRow(misc, 'Chainer (DLAMI)', 'removed from DLAMI');
  check(seedImages.includes('sagemaker-chainer'), 'sagemaker-prebuilt-dl-images.md no longer names sagemaker-chainer');
  check(deprecations.get('Chainer').on === chDlami.date, 'Chainer DLAMI removal date differs between deprecations.md and misc-eol-facts.csv');

  // Python 2 images
  const py2 = miscRow(misc, 'Python 2 (DLAMI)', 'deprecated');
  const py27 = python.find((p) => p.version === '2.7');
  check(py27.end_of_life === py2.date, 'Python 2 DLAMI deprecation date no longer equals Python 2.7 end of life');
  const py2Tags = legacy.filter((r) => /(^|-)py2\d?(-|$)/.test(r.tag));
  check(py2Tags.length >= 1, 'legacy available images: no py2 tag found');

  // Neuron conda packages
  const nc = miscRow(misc, 'Neuron Conda packages', 'end of support');
  const ncLast = /Neuron 1\.13\.0 \((\d{4}-\d{2}-\d{2})\) is the last release with Neuron conda packages/.exec(nc.detail);
  check(ncLast, 'misc-eol-facts.csv: Neuron conda cut-off wording changed');
  const ncPkgs = /Neuron Conda Packages: ([^"]+)"/.exec(nc.detail);
  check(ncPkgs, 'misc-eol-facts.csv: Neuron 1.13.0 conda package list not found');
  // "torch-neuron-1.7.1.1.3.5.0, tensorflow-neuron 1.15.5.1.3.3.0, mxnet-neuron-1.5.1.1.4.4.0" -> names
  const condaNames = ncPkgs[1].split(',').map((s) => s.trim().replace(/[- ]\d[\d.]*$/, ''));
  check(condaNames.length === 3 && condaNames.every((n) => /^[a-z]+-neuron$/.test(n)), `Neuron conda package names not understood: ${condaNames}`);

  // Multi-framework conda DLAMIs
  const conda = readText(dir, 'dlami/awsdocs-aws-deep-learning-amis/overview-conda.md');
  check(/starting with the v28 release/.test(conda), 'overview-conda.md wording changed');
  const v28 = miscRow(misc, 'CNTK, Caffe, Caffe2, Theano, Chainer, Keras Conda envs (DLAMI)', 'removed from Conda DLAMI');

  return [
    {
      id: 'amazon-elastic-inference',
      name: 'Amazon Elastic Inference',
      kind: 'service',
      summary: 'GPU-powered inference accelerators attached to SageMaker endpoints, EC2 instances and ECS tasks (accelerator types ml.eia1.*, ml.eia2.*), with their own framework images (repositories ending in -eia).',
      announced: day(announced[1], 'EI notice'),
      announced_source: 'eol-ei-service-notice',
      no_new_customers: day(eiNotice.date, 'EI no new customers'),
      no_new_customers_source: 'eol-ei-service-notice',
      end: leadingDate(eiEnd.date, 'EI end of life'),
      end_source: 'eol-ei-dlc-maintainer',
      end_note: 'The sources give only the month: an AWS maintainer wrote "We are going to deprecate Elastic Inference by end of April, 2024" (2024-02-26). The service is gone: AWS API references say "Amazon Elastic Inference is no longer available."',
      month_only: ['end'],
      other_dates: [
        { on: day(goneDay[1], 'EI gone'), what: 'AWS API documentation: "Amazon Elastic Inference is no longer available."', source: 'eol-ei-no-longer-available' },
        { on: leadingDate(eiSdk.date, 'EI SDK'), what: 'botocore removes the elastic-inference client (PR #3403)', source: 'eol-ei-botocore-removal' },
      ],
      migration: 'AWS names no single successor: it offered to migrate current customers "to options that offer better price and performance". Remove accelerator_type / Elastic Inference accelerators and serve from a regular (non -eia) DLC image on an instance type without an attached accelerator.',
      migration_source: 'eol-ei-service-notice',
      match: {
        repositories: eiRepos,
        repository_patterns: ['*-eia'],
        accelerator_types: ['ml.eia*', 'eia1.*', 'eia2.*'],
      },
      sources: ['eol-ei-service-notice', 'eol-ei-dlc-maintainer', 'eol-ei-no-longer-available', 'eol-ei-botocore-removal', 'eol-dlc-available-images-history', 'eol-sagemaker-prebuilt-images'],
    },
    {
      id: 'apache-mxnet',
      name: 'Apache MXNet',
      kind: 'framework',
      summary: 'Deep-learning framework retired by the Apache Software Foundation. The last AWS DLC release notes are for MXNet 1.9 (2022-01-31); DLAMIs no longer include it.',
      end: leadingDate(mxRetired.date, 'MXNet retired'),
      end_source: 'eol-apache-attic-mxnet',
      end_note: 'Retired in September 2023 (month only in the sources); the move to the Apache Attic was completed in February 2024.',
      month_only: ['end'],
      other_dates: [
        { on: leadingDate(mxDlc.date, 'MXNet last DLC'), what: 'Last MXNet DLC release notes: AWS Deep Learning Containers for MXNet 1.9', source: 'eol-dlc-release-notes-2022' },
        { on: leadingDate(mxAttic.date, 'MXNet attic'), what: 'Move to the Apache Attic completed', source: 'eol-apache-attic-mxnet' },
        { on: leadingDate(mxNeuron.date, 'MXNet Neuron'), what: 'Announced: Neuron support for MXNet enters maintenance mode starting with Neuron 2.19', source: 'eol-neuron-mxnet-maintenance' },
      ],
      successor_frameworks: ['pytorch', 'tensorflow'],
      migration: 'Port the model to PyTorch or TensorFlow: DLAMIs no longer support Apache MXNet and the Conda DLAMI supports PyTorch and TensorFlow 2.',
      migration_source: 'eol-dlami-features',
      match: {
        frameworks: ['mxnet'],
        repositories: mxRepos,
        repository_patterns: ['mxnet-*', 'sagemaker-mxnet*', 'sagemaker-*-mxnet'],
        packages: ['mxnet', 'mxnet-mkl', 'mxnet-neuron', 'mx-neuron'],
        package_patterns: ['mxnet-cu*'],
        conda_packages: ['mxnet'],
        dlami_families: ['gpu-mxnet'],
      },
      sources: ['eol-apache-attic-mxnet', 'eol-dlc-release-notes-2022', 'eol-neuron-mxnet-maintenance', 'eol-dlami-features', 'eol-dlc-available-images-history'],
    },
    {
      id: 'chainer',
      name: 'Chainer',
      kind: 'framework',
      summary: 'Deep-learning framework in maintenance since its v7 release (bug fixes only, no new major releases); removed from the DLAMI in July 2020; SageMaker images only for Chainer 4.0.0-5.0.0 (repository sagemaker-chainer).',
      announced: day(/\d{4}-\d{2}-\d{2}/.exec(chMaint.date)[0], 'Chainer'),
      announced_source: 'eol-chainer-maintenance',
      end: day(chMaint.date, 'Chainer maintenance'),
      end_source: 'eol-chainer-maintenance',
      end_note: 'The day Chainer entered its maintenance phase ("further development will be limited to bug-fixes and maintenance only").',
      other_dates: [
        { on: day(chDlami.date, 'Chainer DLAMI'), what: 'Chainer Conda environments no longer included in the DLAMI', source: 'eol-dlami-deprecations' },
      ],
      successor_frameworks: ['pytorch', 'tensorflow'],
      migration: 'Port the model to PyTorch or TensorFlow: DLAMIs no longer support Chainer and the Conda DLAMI supports PyTorch and TensorFlow 2.',
      migration_source: 'eol-dlami-features',
      match: {
        frameworks: ['chainer'],
        repositories: ['sagemaker-chainer'],
        packages: ['chainer'],
        conda_packages: ['chainer'],
      },
      sources: ['eol-chainer-maintenance', 'eol-dlami-deprecations', 'eol-dlami-features', 'eol-sagemaker-prebuilt-images'],
    },
    {
      id: 'python2-images',
      name: 'Python 2 framework images and environments',
      kind: 'image-variant',
      summary: `Images, DLAMI conda environments and SageMaker estimators on Python 2 (py2, py27). Python 2.7 reached end of life on ${py27.end_of_life}; TensorFlow 1.15, TensorFlow 2.1, PyTorch 1.4 and MXNet 1.6.0 were the last releases supporting Python 2.`,
      end: py27.end_of_life,
      end_source: 'eol-dlami-deprecations',
      end_note: 'The DLAMI deprecation of Python 2, the same day as the Python 2.7 end of life.',
      migration: 'Use the Python 3 image or environment of a supported framework version (py3 / py3x tags).',
      migration_source: 'eol-dlami-conda-overview',
      match: {
        image_tags: ['*-py2', '*-py2-*', '*-py27', '*-py27-*'],
        python_versions: ['2.7'],
      },
      sources: ['eol-dlami-deprecations', 'eol-dlami-conda-overview', 'eol-endoflife-python', 'eol-dlc-available-images-history', 'eol-sagemaker-prebuilt-images'],
    },
    {
      id: 'multi-framework-conda-dlami',
      name: 'Multi-framework Conda DLAMIs ("Deep Learning AMI (<OS>) Version NN")',
      kind: 'dlami-family',
      summary: 'The Conda DLAMI carried several frameworks in one AMI. For multi-framework DLAMIs, a framework update requires a new DLAMI and the DLAMI with the old framework version is no longer actively maintained. It was built for Ubuntu 16.04, Ubuntu 18.04, Amazon Linux and Amazon Linux 2.',
      end_note: `No end date for the family is in the sources. Frameworks were removed from it over time (CNTK, Caffe, Caffe2, Theano, Chainer and Keras with ${v28.date}), and the newest build names found are "Version 61.0" (Ubuntu 18.04).`,
      successor_dlami_families: ['oss-nvidia-driver-gpu-pytorch', 'arm64-oss-nvidia-driver-gpu-pytorch', 'base-oss-nvidia-driver-gpu'],
      migration: 'Move to a single-framework DLAMI (e.g. Deep Learning OSS Nvidia Driver AMI GPU PyTorch) on a supported OS, found through its SSM public parameter.',
      migration_source: 'eol-dlami-support-policy',
      match: {
        dlami_names: ['Deep Learning AMI (*) Version *', 'Deep Learning AMI (Ubuntu 16.04)', 'Deep Learning AMI (Ubuntu 18.04)', 'Deep Learning AMI (Amazon Linux)', 'Deep Learning AMI (Amazon Linux 2)'],
        dlami_families: ['conda-multi-framework'],
      },
      sources: ['eol-dlami-support-policy', 'eol-dlami-release-notes-2022', 'eol-dlami-conda-overview', 'eol-dlami-names-public-code'],
    },
    {
      id: 'neuron-conda-packages',
      name: 'Neuron conda packages (torch-neuron, tensorflow-neuron, mxnet-neuron from conda)',
      kind: 'package-distribution',
      summary: `Starting with Neuron SDK 1.14.0 conda packages are no longer supported to install Neuron SDK frameworks and are no longer updated; Neuron 1.13.0 (${ncLast[1]}) is the last release with Neuron conda packages.`,
      announced: leadingDate(nc.date, 'Neuron conda announced'),
      announced_source: 'eol-neuron-conda-eol',
      last_version: '1.13.0',
      last_version_released: day(ncLast[1], 'Neuron 1.13.0'),
      first_version_without: '1.14.0',
      end_note: 'The end is a release, not a day: Neuron SDK 1.14.0 is the first release without conda packages (its date is in the Neuron release data, not here).',
      migration: 'Install the Neuron framework packages with pip from the Neuron pip repository (pip upgrade instead of conda update).',
      migration_source: 'eol-neuron-conda-eol',
      match: {
        conda_packages: condaNames,
      },
      sources: ['eol-neuron-conda-eol'],
    },
  ];
}

function collectExamples(dir) {
  const out = [];
  const rel = 'dlami-names.md';
  for (const m of readText(dir, rel).matchAll(/`([^`\n]+)`/g)) {
    let text = m[1].trim();
    if (/[<>$]/.test(text)) continue; // templates such as <OS>, $architecture
    if (text.startsWith('/aws/service/')) out.push({ kind: 'ssm', text, source: text.startsWith('/aws/service/deeplearning/') ? 'eol-dlami-names-public-code' : 'eol-neuron-dlami-guide' });
    else if (/^(amazon\/)?Deep Learning /.test(text)) out.push({ kind: 'name', text, source: /Neuron/.test(text) ? 'eol-neuron-dlami-guide' : 'eol-dlami-names-public-code' });
  }
  const arel = 'dlami/awsdocs-aws-deep-learning-amis/appendix-ami-release-notes.md';
  for (const m of readText(dir, arel).matchAll(/\[(AWS Deep Learning [^\]]+\([^\]]+)\]\(/g)) {
    out.push({ kind: 'name', text: m[1].replace(/\\/g, '').trim(), source: 'eol-dlami-release-notes-2022' });
  }
  const frel = 'dlami/awsdocs-aws-deep-learning-amis/find-dlami-id.md';
  const filter = /Values=(Deep Learning AMI \(Ubuntu 18\.04\) Version \?\?\.\?)'/.exec(readText(dir, frel));
  check(filter, `${frel}: the name filter example changed`);
  out.push({ kind: 'name', text: filter[1], source: 'eol-dlami-find-id' });
  check(out.length >= 150, `expected at least 150 DLAMI names and SSM paths in the sources, found ${out.length}`);
  const seen = new Set();
  return out.filter((e) => (seen.has(e.kind + e.text) ? false : (seen.add(e.kind + e.text), true)));
}

const MAX_EXAMPLES_PER_FAMILY = 3;

function deriveFamilies(dir, retiredIds) {
  const examples = collectExamples(dir);
  const byFamily = new Map(FAMILIES.map((f) => [f.id, { names: [], ssm: [], os: new Set() }]));
  const unmatched = [];
  for (const e of examples) {
    const hits = recogniseExample(e.text, e.kind);
    if (hits.length === 0) { unmatched.push(e.text); continue; }
    check(new Set(hits.map((h) => h.family.id)).size === 1, `${e.text} matches several families: ${hits.map((h) => h.family.id).join(', ')}`);
    const { family, groups } = hits[0];
    const acc = byFamily.get(family.id);
    (e.kind === 'name' ? acc.names : acc.ssm).push({ text: e.text, source: e.source });
    const os = groups.os && normalizeOs(groups.os);
    if (os) acc.os.add(osKey(os));
  }
  check(unmatched.length === 0, `DLAMI names / SSM paths recognised by no family (add or fix a family):\n  ${unmatched.join('\n  ')}`);
  return FAMILIES.map((f) => {
    const acc = byFamily.get(f.id);
    check(acc.names.length + acc.ssm.length > 0, `family ${f.id} has no example in the sources`);
    if (f.retired) check(retiredIds.has(f.retired), `family ${f.id}: unknown retired id ${f.retired}`);
    const sources = new Set(f.sources);
    for (const x of [...acc.names, ...acc.ssm]) sources.add(x.source);
    return {
      id: f.id,
      name: f.name,
      accelerator: f.accelerator,
      arch: f.arch,
      framework: f.framework,
      multi_framework: f.multi_framework === true,
      bundled_frameworks: f.bundled_frameworks,
      os: [...acc.os].sort(),
      name_patterns: f.name_patterns,
      ssm_patterns: f.ssm_patterns,
      retired: f.retired,
      note: f.note,
      sources: [...sources],
      example_names: acc.names.slice(0, MAX_EXAMPLES_PER_FAMILY).map((x) => x.text),
      example_ssm_parameters: acc.ssm.slice(0, MAX_EXAMPLES_PER_FAMILY).map((x) => x.text),
    };
  });
}

function derive(dir, seedsDir, generated) {
  checkSourceMarkers(dir);
  check(readText(seedsDir, 'dlami-framework-support-policy.md').includes('For [multi\\-framework DLAMIs]'), 'seed dlami-framework-support-policy.md changed');
  const deprecations = readDlamiDeprecations(dir);
  const python = derivePython(dir);
  const p36 = python.find((p) => p.version === '3.6');
  const p27 = python.find((p) => p.version === '2.7');
  p36.dlami_deprecated = deprecations.get('Python 3.6').on;
  p36.dlami_deprecated_source = 'eol-dlami-deprecations';
  p36.dlami_deprecated_note = deprecations.get('Python 3.6').notice;
  p27.dlami_deprecated = deprecations.get('Python 2').on;
  p27.dlami_deprecated_source = 'eol-dlami-deprecations';
  p27.dlami_deprecated_note = 'Python 2 deprecated in the DLAMI: TensorFlow 1.15, TensorFlow 2.1, PyTorch 1.4 and MXNet 1.6.0 were the last releases supporting Python 2.';
  const os = deriveOs(dir, deprecations);
  const retired = deriveRetired(dir, seedsDir, deprecations, python);
  const families = deriveFamilies(dir, new Set(retired.map((r) => r.id)));
  const used = new Set();
  const note = (id) => { check(id in SOURCES, `unknown source id ${id}`); used.add(id); };
  for (const p of python) { note(p.source); if (p.dlami_deprecated_source) note(p.dlami_deprecated_source); }
  for (const o of os) {
    note(o.source);
    if (o.dlami_end_of_patch_source) note(o.dlami_end_of_patch_source);
    if (o.dlami_deprecated_source) note(o.dlami_deprecated_source);
    for (const c of o.conflicts ?? []) note(c.source);
  }
  for (const r of retired) {
    for (const k of ['announced_source', 'no_new_customers_source', 'end_source', 'migration_source']) if (r[k]) note(r[k]);
    for (const d of r.other_dates ?? []) note(d.source);
    r.sources.forEach(note);
  }
  for (const f of families) f.sources.forEach(note);
  const dates = [...used].map((id) => SOURCES[id].date).filter(Boolean).sort();
  return { generated, dataAsOf: dates[dates.length - 1], sources: [...used].sort(), python, os, retired, families };
}

// ---------------------------------------------------------------------------
// TOML output

function pushTable(out, header, obj, multiline = []) {
  out.push('');
  out.push(header);
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (multiline.includes(k) && Array.isArray(v)) {
      if (v.length === 0) { out.push(`${k} = []`); continue; }
      out.push(`${k} = [`);
      for (const x of v) out.push(`  ${tomlValue(x)},`);
      out.push(']');
    } else out.push(`${k} = ${tomlValue(v)}`);
  }
}

function renderToml(c) {
  const out = [];
  out.push('# dl-lifecycle bundled lifecycle data (schema v1): Python and OS end of life, retired things, DLAMI families.');
  out.push('# GENERATED FILE by tools/derive-lifecycle.mjs from a folder of collected public source data (see server/data/README.md).');
  out.push('# Regenerate: node tools/derive-lifecycle.mjs --sources <sources> --generated YYYY-MM-DD > server/data/lifecycle.toml');
  out.push('# Do not hand-edit without updating the script (the next regeneration would undo the edit).');
  out.push('#');
  out.push('# Rules for conflicting sources:');
  out.push('# - OS end_of_life is endoflife.date\'s `eol` (Ubuntu: end of standard security maintenance; Amazon Linux: end of');
  out.push('#   security support). The DLAMI support-policy OS table is kept as dlami_end_of_patch (Ubuntu 22.04: 2027-04-01 vs');
  out.push('#   2027-04-30; 24.04: 2029-05-31 vs 2029-04-30). Other differing values are kept under `conflicts`.');
  out.push('# - Month-only dates ("YYYY-MM") are listed in the record\'s month_only field.');
  out.push('# Schema and field meanings: server/src/catalog/lifecycleSchema.ts; rules and sources: server/data/README.md.');
  out.push('');
  out.push(...catalogHeader(c.generated, c.dataAsOf));
  for (const id of c.sources) {
    const s = SOURCES[id];
    pushTable(out, `[sources.${id}]`, { title: s.title, url: s.url, snapshot: s.snapshot });
  }
  for (const p of c.python) pushTable(out, '[[python]]', p);
  for (const o of c.os) pushTable(out, '[[os]]', o, ['conflicts']);
  for (const r of c.retired) {
    const { match, ...rest } = r;
    pushTable(out, '[[retired]]', rest, ['other_dates']);
    pushTable(out, '[retired.match]', match);
  }
  for (const f of c.families) pushTable(out, '[[dlami_families]]', f, ['example_names', 'example_ssm_parameters', 'name_patterns', 'ssm_patterns']);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// CLI

const USAGE = 'usage: node tools/derive-lifecycle.mjs --sources <dir> [--seeds <dir>] [--generated YYYY-MM-DD] > server/data/lifecycle.toml';

function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { sources: { type: 'string' }, seeds: { type: 'string' }, generated: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${e.message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  check(values.sources, `missing required --sources <dir>\n${USAGE}`);
  const generated = values.generated ?? new Date().toISOString().slice(0, 10);
  day(generated, '--generated');
  const dir = path.resolve(values.sources);
  const seeds = path.resolve(values.seeds ?? path.join(dir, '..', 'seeds'));
  process.stdout.write(renderToml(derive(dir, seeds, generated)));
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof DeriveError) {
    process.stderr.write(`derive-lifecycle: error: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
