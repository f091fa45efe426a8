#!/usr/bin/env node
// Derives server/data/neuron.toml (AWS Neuron SDK releases, the package versions each release
// shipped, and Neuron end-of-support announcements) from a folder of collected public
// source data (see server/data/README.md).
//
//   node tools/derive-neuron.mjs --sources <dir> [--generated YYYY-MM-DD] > server/data/neuron.toml
//
// Plain Node 20 ESM, no dependencies. Fails loudly (exit 1, message on stderr) when an input is
// missing or no longer looks like the snapshot this tool was written against.
// Rules and conflicts: the "neuron.toml" section of server/data/README.md.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeriveError, readCsv } from './lib.mjs';

const check = (cond, message) => {
  if (!cond) throw new DeriveError(message);
};

// ---------------------------------------------------------------------------
// Inputs

// ---------------------------------------------------------------------------
// Versions and names

/** PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`. */
const normalizeName = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** Compares dotted numeric versions (non-numeric parts compare as text after the numbers). */
function cmpVersion(a, b) {
  const pa = a.split(/[.+]/);
  const pb = b.split(/[.+]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) { if (nx !== ny) return nx - ny; continue; }
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Key under which two spellings of one PEP 440 release compare equal (`1.15.5.2.3.0.0` = `1.15.5.2.3`). */
const versionKey = (v) => (/^\d+(\.\d+)*$/.test(v) ? v.replace(/(\.0)+$/, '') : v.toLowerCase());

const pad = (n) => String(n).padStart(2, '0');
const isDay = (s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.toISOString().slice(0, 10) === s;
};

// ---------------------------------------------------------------------------
// Sources. `expect` pins the snapshot: a marker that must occur in the named input.

const SNAPSHOT = 'aws-neuron/aws-neuron-sdk@81ce03ae261e';
const SOURCES = {
  'neuron-n2-manifest': {
    title: 'AWS Neuron SDK release manifest for Neuron 2.x (n2-manifest.json: release -> package versions, instances, Python versions)',
    url: 'https://github.com/aws-neuron/aws-neuron-sdk/blob/master/src/helperscripts/n2-manifest.json',
    snapshot: `${SNAPSHOT} (2026-08-21) src/helperscripts/n2-manifest.json, manifest_version 2.32.0, manifest_date 08/17/2026`,
    expect: ['neuron-releases.csv', 'n2-manifest.json (manifest_version 2.32.0'],
  },
  'neuron-releases-manifest': {
    title: 'AWS Neuron SDK release manifest for Inf1 packages (neuron-releases-manifest.json, Neuron 1.10.0-2.8.0)',
    url: 'https://github.com/aws-neuron/aws-neuron-sdk/blob/master/src/helperscripts/neuron-releases-manifest.json',
    snapshot: `${SNAPSHOT} (2026-08-21) src/helperscripts/neuron-releases-manifest.json, manifest_version 1.0.1, manifest_date 2022-12-12`,
    expect: ['neuron-releases.csv', 'neuron-releases-manifest.json (manifest_version 1.0.1'],
  },
  'neuron-release-notes': {
    title: 'AWS Neuron SDK release notes (release headings "Neuron X.Y.Z (MM/DD/YYYY)" and "Date of release" lines)',
    url: 'https://github.com/aws-neuron/aws-neuron-sdk/tree/master/release-notes',
    snapshot: `${SNAPSHOT} (2026-08-21) release-notes/**`,
    expect: ['neuron-release-dates.csv', `${SNAPSHOT}:release-notes/`],
  },
  'neuron-git-tags': {
    title: 'aws-neuron/aws-neuron-sdk git tags (commit date of the tagged commit)',
    url: 'https://github.com/aws-neuron/aws-neuron-sdk/tags',
    snapshot: `${SNAPSHOT} (2026-08-21), tags v1.0.0 ... v2.32.0`,
    expect: ['neuron-release-dates.csv', 'git_tag_commit_date'],
  },
  'neuron-announcements': {
    title: 'AWS Neuron announcements (end of support, maintenance mode, deprecations)',
    url: 'https://github.com/aws-neuron/aws-neuron-sdk/tree/master/about-neuron/announcements',
    snapshot: `${SNAPSHOT} (2026-08-21) about-neuron/announcements/** (post dates; dated headings of neuron1.x/announcements.rst)`,
    expect: ['neuron-eos-announcements.csv', `${SNAPSHOT}:about-neuron/announcements/`],
  },
};
const DATA_AS_OF = '2026-08-21';

// ---------------------------------------------------------------------------
// Packages. Keys are PEP 503-normalised; `spellings` keeps the manifests' own names.

/** Kind of artefact behind a manifest name; everything not listed is a pip package. */
function packageType(name) {
  if (name === 'aws-neuronx-runtime-discovery') return 'pip'; // a wheel despite its prefix
  if (/^(aws-)?neuronx?-gpsimd-|^aws-neuronx?-/.test(name) || /^tensorflow-model-server-neuronx?$/.test(name)) return 'os';
  if (name === 'libnrt' || name === 'libnrt-so') return 'library';
  if (name === 'efa-installer') return 'installer';
  return 'pip';
}

/** Names in the manifests that are not Neuron's own (also published outside the Neuron repositories). */
const SHARED_NAMES = new Set(['efa-installer', 'islpy', 'torch-xla']);


/** Why a release from 1.10.0 on has no packages (checked against the release notes). */
const NO_PACKAGES_NOTE = {
  '2.22.1': 'not in n2-manifest.json; the release notes say 2.22.1 only updated the Neuron Driver',
};
const fail = (message) => { throw new DeriveError(message); };

/** Manifest values that are not versions of a package (skipped, counted in the header). */
const NOT_A_VERSION = new Set(['na']);

// ---------------------------------------------------------------------------
// Releases

function deriveReleases(dir) {
  const dates = readCsv(dir, 'neuron-release-dates.csv', ['neuron_sdk_version', 'release_date', 'date_source', 'other_dates_seen_in_docs', 'git_tag', 'git_tag_commit_date', 'notes']);
  const rows = readCsv(dir, 'neuron-releases.csv', ['neuron_sdk_version', 'release_date', 'package', 'package_version', 'source', 'supported_instances', 'supported_python_versions']);
  check(rows.length === 2668, `neuron-releases.csv: expected 2,668 rows, found ${rows.length} (review this tool)`);
  check(dates.length === 90, `neuron-release-dates.csv: expected 90 rows, found ${dates.length}`);

  const releases = new Map();
  for (const d of dates) {
    const version = d.neuron_sdk_version;
    check(/^\d+\.\d+\.\d+$/.test(version), `bad SDK version ${version}`);
    const r = { version, line: version.startsWith('1.') ? 'neuron1' : 'neuron2', packages: new Map(), instances: new Set(), python: new Map(), bySource: new Map() };
    if (d.release_date) {
      check(isDay(d.release_date), `${version}: bad date ${d.release_date}`);
      r.date = d.release_date;
      r.date_source = 'neuron-release-notes';
      r.date_evidence = d.date_source.replace(`${SNAPSHOT}:`, '');
    } else if (d.git_tag_commit_date) {
      check(isDay(d.git_tag_commit_date), `${version}: bad tag date`);
      r.date = d.git_tag_commit_date;
      r.date_source = 'neuron-git-tags';
      r.date_evidence = `no dated release-notes heading; commit date of tag ${d.git_tag}`;
    }
    if (d.git_tag_commit_date && d.git_tag_commit_date !== r.date) r.tag_date = d.git_tag_commit_date;
    const other = new Set(d.other_dates_seen_in_docs.split(/[;\s]+/).filter(Boolean));
    for (const m of d.notes.matchAll(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g)) other.add(`${m[3]}-${pad(m[1])}-${pad(m[2])}`);
    other.delete(r.date);
    for (const o of other) check(isDay(o), `${version}: bad other date ${o}`);
    if (other.size) r.other_dates = [...other].sort();
    if (d.notes && !/^version<->date mapping inferred/.test(d.notes)) r.date_note = d.notes;
    else if (d.notes) r.date_note = 'the release-notes heading has a date but no version; the version is the git tag of the same day';
    releases.set(version, r);
  }

  const spellings = new Map();
  const pkgInstances = new Map();
  let skipped = 0;
  for (const row of rows) {
    const r = releases.get(row.neuron_sdk_version);
    check(r, `neuron-releases.csv: release ${row.neuron_sdk_version} has no row in neuron-release-dates.csv`);
    check(row.release_date === (r.date_source === 'neuron-release-notes' ? r.date : ''), `${r.version}: release_date ${row.release_date} differs from neuron-release-dates.csv`);
    const sourceId = /n2-manifest\.json/.test(row.source) ? 'neuron-n2-manifest' : /neuron-releases-manifest\.json/.test(row.source) ? 'neuron-releases-manifest' : undefined;
    check(sourceId, `unknown source of row: ${row.source}`);
    const name = normalizeName(row.package);
    if (!spellings.has(name)) spellings.set(name, new Set());
    spellings.get(name).add(row.package);
    const instances = row.supported_instances.split(';').map((s) => s.trim()).filter((s) => /^(inf|trn)\d+n?$/.test(s));
    if (!pkgInstances.has(name)) pkgInstances.set(name, new Set());
    for (const i of instances) { r.instances.add(i); pkgInstances.get(name).add(i); }
    // The manifest has one stray comma (`3.7,`) and one `inf.` for an instance (left out).
    const pythons = row.supported_python_versions.split(';').map((s) => s.trim().replace(/,$/, '')).filter(Boolean);
    for (const p of pythons) check(/^3\.\d+$/.test(p), `${r.version} ${row.package}: bad python ${p}`);
    if (packageType(name) === 'pip') {
      for (const i of instances) {
        if (!r.python.has(i)) r.python.set(i, new Set());
        for (const p of pythons) r.python.get(i).add(p);
      }
    }
    if (NOT_A_VERSION.has(row.package_version)) { skipped++; continue; }
    const v = row.package_version;
    if (!r.packages.has(name)) r.packages.set(name, new Map());
    const byKey = r.packages.get(name);
    const key = versionKey(v);
    if (!byKey.has(key)) byKey.set(key, { version: v, sources: new Set() });
    byKey.get(key).sources.add(sourceId);
    r.bySource.set(sourceId, true);
  }
  return { releases: [...releases.values()].sort((a, b) => cmpVersion(a.version, b.version)), spellings, pkgInstances, skipped };
}

// ---------------------------------------------------------------------------
// Announcements

const STATEMENT_MAX = 300;

function truncate(text) {
  const t = text.replace(/\s+/g, ' ').replace(/\^{4,}/g, '').trim();
  if (t.length <= STATEMENT_MAX) return t;
  const cut = t.slice(0, STATEMENT_MAX - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), STATEMENT_MAX - 40))}…`;
}

/** `2.29` -> `2.29.0`; `1.14.0` stays. */
const fullRelease = (v) => (/^\d+\.\d+$/.test(v) ? `${v}.0` : v);

const list = (s) => s.split(/,\s*|\s+and\s+|\s*,\s*and\s+/).map((x) => x.trim()).filter((x) => /^\d+(\.\d+)*$/.test(x));

/**
 * Subjects found by pattern in the title and statement. Curated entries (CURATED below) replace
 * them where the text needs reading (lists, tables, features).
 */
function guessSubjects(what, statement) {
  const text = `${what}. ${statement}`;
  const out = [];
  const add = (s) => { if (!out.some((o) => JSON.stringify(o) === JSON.stringify(s))) out.push(s); };
  let m;
  if ((m = /\bPython (3\.\d+)/.exec(what))) add({ python: m[1] });
  if ((m = /\btorch-neuron versions? (\d+(?:\.\d+)*(?:(?:,\s*|\s+and\s+)\d+(?:\.\d+)*)*)/i.exec(text))) for (const v of list(m[1])) add({ package: 'torch-neuron', version: v });
  if ((m = /\bPyTorch Neuron versions? (\d+(?:\.\d+)*(?:(?:,\s*|\s+and\s+)\d+(?:\.\d+)*)*)/.exec(text))) for (const v of list(m[1])) add({ package: 'torch-neuron', version: v });
  if ((m = /\bPyTorch NeuronX versions? (\d+(?:\.\d+)*)/.exec(text))) add({ package: 'torch-neuronx', version: m[1] });
  if ((m = /\btensorflow-neuron versions? (\d+(?:\.\d+)*(?:(?:,\s*|\s+and\s+)\d+(?:\.\d+)*)*)/i.exec(text))) for (const v of list(m[1])) add({ package: 'tensorflow-neuron', version: v });
  if ((m = /\bmxnet-neuron versions? (\d+(?:\.\d+)*)/i.exec(text))) add({ package: 'mxnet-neuron', version: m[1] });
  if (!out.some((s) => s.package) && (m = /\bPyTorch (?:versions? )?(\d+\.\d+(?:(?:,\s*|\s+and\s+)\d+\.\d+)*)/.exec(what))) for (const v of list(m[1])) add({ framework: 'pytorch', version: v });
  if (!out.some((s) => s.package) && (m = /\bTensorflow (\d+\.\d+(?:(?:,\s*|\s+and\s+)\d+\.\d+)*)/i.exec(what))) for (const v of list(m[1])) add({ framework: 'tensorflow', version: v });
  if ((m = /\bJAX (\d+\.\d+)/.exec(what))) add({ framework: 'jax', version: m[1] });
  if ((m = /\bUbuntu ?(\d\d)(?:\.04)?\b/.exec(what))) add({ os: `ubuntu${m[1]}.04` });
  return out;
}

/** Releases named in a statement: `[effective, last]` as written (`2.29`, `1.14.0`). */
function guessReleases(what, statement) {
  const text = `${statement} ${what}`;
  let effective;
  let last;
  let m;
  const REL = '(?:Neuron\\s+(?:SDK\\s+)?(?:[Rr]elease\\s+)?|Neuron\\s+release\\s+)v?(\\d+\\.\\d+(?:\\.\\d+)?)';
  if ((m = new RegExp(`${REL}(?:\\s*\\([^)]*\\))?\\s+(?:will be|is|was)\\s+the\\s+last`).exec(text))) last = m[1];
  if ((m = new RegExp(`[Ss]tarting\\s+(?:with\\s+|from\\s+)?(?:the\\s+)?(?:release\\s+of\\s+)?(?:the\\s+)?${REL}`).exec(text))) effective = m[1];
  if (!effective && (m = new RegExp(`^${REL}\\s+no longer`).exec(statement))) effective = m[1];
  return [effective, last];
}

/**
 * Announcements whose subjects, kind or releases need reading (lists, tables, prose). Keyed by id.
 * `kind` overrides the extracted kind; `effective`/`last` override the extracted releases;
 * `note` says why.
 */
const CURATED = {
  'neuron1-end-of-support-for-pytorch-1-3': { subjects: [{ package: 'torch-neuron', version: '1.3' }], effectiveSameDay: true },
  'neuron1-end-of-support-for-onnx': { subjects: [{ feature: 'ONNX' }], kind: 'maintenance', note: 'statement: no additional capabilities will be added to ONNX (no date of removal)' },
  'neuron1-end-of-support-for-python-3-5': { subjects: [{ python: '3.5' }], effectiveSameDay: true },
  'neuron1-end-of-support-for-ubuntu-16-starting-neuron-1-14-0': { subjects: [{ os: 'ubuntu16.04' }] },
  'neuron1-end-of-support-for-classic-tensorboard-neuron-starting-neuron-1-13-0-and-introducing-neuron-plugin-for-tensorboard': { subjects: [{ package: 'tensorboard-neuron' }] },
  'neuron1-end-of-support-for-neuron-conda-packages-in-deep-learning-ami-starting-neuron-1-14-0': { subjects: [{ feature: 'Neuron conda packages' }], last: '1.13.0', note: 'Neuron 1.13.0 was the last release with Neuron conda packages' },
  'neuron1-announcing-end-of-support-for-neuroncore-group-sizes': { subjects: [{ feature: 'NEURONCORE_GROUP_SIZES' }], kind: 'deprecation' },
  'neuron1-end-of-support-for-neuroncore-groups-ncg': { subjects: [{ feature: 'NeuronCore Groups (NCG)' }], kind: 'intent' },
  'neuron1-introducing-neuron-runtime-2-x-libnrt-so': { subjects: [{ feature: 'Neuron Runtime 1.x (neuron-rtd)' }], kind: 'other' },
  'neuron1-neuron-runtime-1-x-neuron-rtd-enters-maintenance-mode': { subjects: [{ feature: 'Neuron Runtime 1.x (neuron-rtd)' }, { package: 'aws-neuron-runtime' }] },
  'neuron1-neuron-support-for-apache-mxnet-1-5-enters-maintenance-mode': { subjects: [{ package: 'mxnet-neuron', version: '1.5' }], effective: '1.16.0' },
  'neuron1-neuron-cli-enters-maintenance-mode': { subjects: [{ feature: 'neuron-cli' }], effective: '1.16.0' },
  'neuron1-tensorflow-neuron-versions-2-1-2-2-2-3-and-2-4-enter-maintenance-mode': {},
  'eol-ncgs-env_2': { subjects: [{ feature: 'NEURONCORE_GROUP_SIZES' }], note: 'Neuron 1.20.0 was never released; the next release was 2.3.0' },
  'announce-eol-pt-1-5': { subjects: [{ package: 'torch-neuron', version: '1.5' }], last: '1.18.0' },
  'neuron-rtd-eol': { subjects: [{ feature: 'Neuron Runtime 1.x (neuron-rtd)' }, { package: 'aws-neuron-runtime' }] },
  'github-changes': { subjects: [{ feature: 'Neuron GitHub repositories' }] },
  'neuron230-packages-changes': { subjects: [{ feature: 'Neuron package names and installation (2.3)' }] },
  'dlami-pytorch-introduce': { subjects: [{ image: 'dlami', framework: 'pytorch' }] },
  'sm-training-trn1-introduce': { subjects: [{ instance: 'trn1' }] },
  'gpg-expiration': { subjects: [{ feature: 'Neuron apt GPG key' }] },
  'neuron250-packages-changes': { subjects: [{ feature: 'Inf1 package names (2.5)' }, { package: 'aws-neuron-dkms' }, { package: 'aws-neuron-k8-plugin' }, { package: 'aws-neuron-k8-scheduler' }, { package: 'aws-neuron-tools' }, { package: 'tensorflow-model-server-neuron' }] },
  'sm-training-dlc-2.9.1': { subjects: [{ image: 'dlc', framework: 'pytorch', version: '1.13' }], effective: '2.9.1' },
  'announce-eol-mx-before-1-5': { subjects: [{ package: 'mxnet-neuron', version: '1.5' }] },
  'dlami-neuron-2.10': { subjects: [{ image: 'dlami' }], effective: '2.10.0' },
  'announce-eol-ubuntu-18': { subjects: [{ os: 'ubuntu18.04' }] },
  'dlami-neuron-2.12': { subjects: [{ image: 'dlami' }], effective: '2.12.0' },
  'announce-eol-megatron-lm': { subjects: [{ feature: 'AWS Neuron reference for Megatron-LM' }] },
  'announce-eos-megatronlm-2-13': { subjects: [{ feature: 'AWS Neuron reference for Megatron-LM' }], effective: '2.13' },
  'announce-deprecation-transformer-flag': { subjects: [{ feature: 'neuronx-cc --model-type=transformer-inference' }], kind: 'deprecation' },
  'announce-intent-eos-opt': { subjects: [{ feature: 'Transformers NeuronX OPT example' }] },
  'announce-intent-eol-nemo-arg': { subjects: [{ feature: 'neuronx-cc --distribution_strategy=nemo' }] },
  'announce-eos-pt-versions': { subjects: [{ package: 'torch-neuron', version: '1.10' }] },
  'announce-eos-pt2': { subjects: [{ package: 'torch-neuronx', version: '2.0' }] },
  'announce-deprecation-containers-rtd': { subjects: [{ image: 'dlc', name: 'Neuron Runtime 1.x containers' }, { feature: 'Neuron Runtime 1.x (neuron-rtd)' }] },
  'announce-moving-samples': { subjects: [{ feature: 'NeuronX Distributed Training samples in aws-neuron-samples' }] },
  'announce-component-change': { subjects: [{ feature: 'Neuron component names (2.16)' }] },
  'end-of-support-pt2': { subjects: [{ package: 'torch-neuronx', version: '2.0' }], effective: '2.17' },
  'announce-maintenance-tf': { subjects: [{ package: 'tensorflow-neuron', version: '1' }] },
  'announce-eos-dlami': { subjects: [{ release: '2.18.0', image: 'dlami' }], kind: 'end-of-support', effective: null, last: null, effectiveDate: '2024-04-24', note: 'DLAMIs of Neuron 2.18.0 released 2024-03-26 to 2024-04-10 (shipped without the audit package)' },
  'announce-eos-multiframework-dlamis-inf1': { subjects: [{ image: 'dlami', name: 'aws_neuron_pytorch_p38', framework: 'pytorch', version: '1.13' }, { image: 'dlami', name: 'aws_neuron_tensorflow2_p38', framework: 'tensorflow', version: '2.10' }, { os: 'amazonlinux2', scope: 'dlami' }] },
  'announce-eos-neurondevice-version': { subjects: [{ feature: "neuron-monitor field 'neuron-device-version'" }] },
  'announce-eos-neurondevice': { subjects: [{ feature: "Neuron device plugin resource name 'neurondevice'" }] },
  'announce-eos-al2': { subjects: [{ os: 'amazonlinux2', scope: 'runtime' }, { package: 'aws-neuronx-runtime-lib' }] },
  'announce-eos-probuf': { subjects: [{ feature: 'protobuf <= 3.19' }, { package: 'torch-neuronx' }, { package: 'neuronx-distributed' }, { package: 'transformers-neuronx' }] },
  'announce-eos-tensorflow1-x': { subjects: [{ package: 'tensorflow-neuron', version: '1' }] },
  'announce-maintenance-mxnet': { subjects: [{ framework: 'mxnet' }, { package: 'mxnet-neuron' }, { package: 'mx-neuron' }] },
  'announce-no-support-neurondevice': { subjects: [{ feature: "neuron-monitor field 'neuron-device-version'" }] },
  'announce-no-support-device-version': { subjects: [{ feature: "Neuron device plugin resource name 'neurondevice'" }] },
  'announce-package-change': { subjects: [{ package: 'neuronx-distributed' }] },
  'announce-eos-torch-neuron': { subjects: [{ package: 'torch-neuron', version: '1.9' }, { package: 'torch-neuron', version: '1.10' }] },
  'announce-no-support-al2': { subjects: [{ os: 'amazonlinux2', scope: 'runtime' }, { package: 'aws-neuronx-runtime-lib' }] },
  'announce-no-support-tensorflow1-x': { subjects: [{ package: 'tensorflow-neuron', version: '1' }] },
  'announce-eos-neuron-det': { subjects: [{ feature: 'Neuron Distributed Event Tracing (neuron-det)' }] },
  'announce-eos-pytorch-1-1-3': { subjects: [{ framework: 'pytorch', version: '1.13', instances: ['trn1', 'trn2', 'inf2'] }, { package: 'torch-neuronx', version: '1.13' }] },
  'announce-eos-pytorch-2-1': { subjects: [{ framework: 'pytorch', version: '2.1', instances: ['trn1', 'trn2', 'inf2'] }, { package: 'torch-neuronx', version: '2.1' }] },
  'announce-eos-python38': { subjects: [{ python: '3.8' }], kind: 'intent' },
  'announce-eos-u20-dlamis': { subjects: [{ os: 'ubuntu20.04', scope: 'dlami' }, { os: 'ubuntu20.04', scope: 'dlc' }], last: '2.21', effective: '2.22' },
  'announce-eos-nxd-examples': { subjects: [{ feature: 'NxD Core inference examples' }] },
  'announce-no-support-torch-neuron-versions': { subjects: [{ package: 'torch-neuron', version: '1.9' }, { package: 'torch-neuron', version: '1.10' }] },
  'announce-eos-nemo': { subjects: [{ feature: 'NeMo Megatron' }] },
  'announce-eos-tensorflow-2-8-9': { subjects: [{ package: 'tensorflow-neuron', version: '2.8' }, { package: 'tensorflow-neuron', version: '2.9' }, { package: 'tensorflow-neuronx', version: '2.8' }, { package: 'tensorflow-neuronx', version: '2.9' }] },
  'announce-eos-jax-neuronx-nki-call': { subjects: [{ feature: 'jax_neuronx.nki_call' }, { package: 'jax-neuronx' }] },
  'announce-no-longer-support-neuron-det': { subjects: [{ feature: 'Neuron Distributed Event Tracing (neuron-det)' }] },
  'announce-no-longer-support-u20-dlc-dlami': { subjects: [{ os: 'ubuntu20.04', scope: 'dlami' }, { os: 'ubuntu20.04', scope: 'dlc' }] },
  'announce-no-longer-support-pytorch-113': { subjects: [{ framework: 'pytorch', version: '1.13', instances: ['trn1', 'trn2', 'inf2'] }, { package: 'torch-neuronx', version: '1.13' }] },
  'announce-no-longer-support-pytorch-2-1': { subjects: [{ framework: 'pytorch', version: '2.1', instances: ['trn1', 'trn2', 'inf2'] }, { package: 'torch-neuronx', version: '2.1' }] },
  'announce-eos-xla-bf16': { subjects: [{ feature: 'XLA_USE_BF16' }, { feature: 'XLA_DOWNCAST_BF16' }], kind: 'deprecation', effective: null, note: 'starting with Neuron 2.23 the variables only warn; the end of support follows in a later release' },
  'announce-eos-mllama-checkpoint': { subjects: [{ feature: 'mllama 3.2 Meta checkpoint API' }] },
  'announce-eos-torch-neuronx-nki-jit': { subjects: [{ feature: 'torch_neuronx.nki_jit' }, { package: 'torch-neuronx' }] },
  'announce-intent-maintenance-tnx': { subjects: [{ package: 'transformers-neuronx' }] },
  'announce-no-longer-support-nxd-examples': { subjects: [{ feature: 'NxD Core inference examples' }] },
  'announce-no-support-nemo-megatron': { subjects: [{ feature: 'NeMo Megatron' }] },
  'announce-no-support-tf-versions': { subjects: [{ package: 'tensorflow-neuron', version: '2.8' }, { package: 'tensorflow-neuron', version: '2.9' }, { package: 'tensorflow-neuronx', version: '2.8' }, { package: 'tensorflow-neuronx', version: '2.9' }] },
  'announce-no-support-ubuntu-20-base': { subjects: [{ os: 'ubuntu20.04' }], effective: '2.23' },
  'announce-no-support-jax-neuronx-nki-call': { subjects: [{ feature: 'jax_neuronx.nki_call' }, { package: 'jax-neuronx' }], effective: '2.23' },
  'announce-intent-eos-pt-version': { subjects: [{ package: 'torch-neuronx', version: '2.5' }, { framework: 'pytorch', version: '2.5', instances: ['trn1', 'trn2', 'inf2'] }] },
  'announce-intent-eos-tensorflow-tutorial-inf': { subjects: [{ feature: 'TensorFlow Neuron Inf1 SSD300 tutorial' }] },
  'announce-eos-bf16-vars': { subjects: [{ feature: 'XLA_USE_BF16' }, { feature: 'XLA_DOWNCAST_BF16' }] },
  'announce-eos-beta-pytorch-neuroncore-placement-apis': { subjects: [{ feature: 'Beta PyTorch NeuronCore Placement APIs' }, { package: 'torch-neuronx' }] },
  'announce-no-support-llama3-2-checkpoint': { subjects: [{ feature: 'mllama 3.2 Meta checkpoint API' }], kind: 'no-longer-supported' },
  'announce-eos-block-dimension-nki': { subjects: [{ feature: 'NKI block dimension in tensor creation' }] },
  'announce-intent-eos-tnx': { subjects: [{ package: 'transformers-neuronx' }], effective: '2.26', note: 'maintenance mode from Neuron 2.24; end of support in Neuron 2.26' },
  'announce-no-support-nki-jit-torch': { subjects: [{ feature: 'torch_neuronx.nki_jit' }, { package: 'torch-neuronx' }] },
  'announce-eos-neuron-driver-support-inf1': { subjects: [{ package: 'aws-neuronx-dkms', instances: ['inf1'] }], kind: 'other', effective: '2.26', note: 'superseded by announce-correction-neuron-driver-support-inf1 (last driver for Inf1 is 2.24, not 2.21)' },
  'announce-intent-eos-pt2-6': { subjects: [{ package: 'torch-neuronx', version: '2.6' }, { framework: 'pytorch', version: '2.6', instances: ['trn1', 'trn2', 'inf2'] }] },
  'announce-deprecation-nxd-path-trace-api': { subjects: [{ feature: 'parallel_model_trace' }, { package: 'neuronx-distributed-inference' }] },
  'announcement-end-of-support-nxdt-nxd-core': { subjects: [{ package: 'neuronx-distributed-training' }, { feature: 'NxD Core training APIs' }, { feature: 'PyTorch/XLA for training' }], note: 'the last release is the one of the last Neuron support for PyTorch 2.9 (Neuron 2.28, see announce-eos-nxdt-nxd-core-training)' },
  'announce-eos-tensorboard-tools': { subjects: [{ package: 'tensorboard-plugin-neuronx' }] },
  'announcement-end-of-support-neuronxcc-nki': { subjects: [{ feature: 'neuronxcc.nki namespace' }, { package: 'neuronx-cc' }], last: '2.27' },
  'announcement-end-of-support-vllm-v0': { subjects: [{ feature: 'vLLM V0' }] },
  'announcement-nki-library-kernel-migration': { subjects: [{ feature: 'NKI Library neuronxcc.nki namespace' }] },
  'announcement-nki-library-namespace-changes': { subjects: [{ feature: 'NKI Library namespace' }], effective: '2.28' },
  'announce-transition-pytorch-trainium': { subjects: [{ feature: 'PyTorch/XLA backend' }] },
  'announce-eos-neuron-profiler': { subjects: [{ feature: 'Neuron Profiler and Profiler 2.0' }], kind: 'intent', effective: null, note: 'planned for Neuron 2.29.0 (statement); moved to 2.30.0 by announce-eos-neuron-profiler-v230' },
  'announce-eos-pytorch-profiling-api': { subjects: [{ feature: 'PyTorch experimental profiling API' }, { package: 'torch-neuronx' }], kind: 'intent' },
  'announcement-end-of-support-pytorch-2-6': { subjects: [{ framework: 'pytorch', version: '2.6', instances: ['trn1', 'trn2', 'inf2'] }, { package: 'torch-neuronx', version: '2.6' }] },
  'announcement-python-3-9-eol': { subjects: [{ python: '3.9' }] },
  'announcement-end-of-support-parallel-model-trace': { subjects: [{ feature: 'parallel_model_trace' }, { package: 'neuronx-distributed-inference' }] },
  'announce-no-support-tensorflow2-10': { subjects: [{ image: 'dlami', name: 'tensorflow_2_10', framework: 'tensorflow', version: '2.10' }] },
  'announce-eos-dlami-ubuntu-22-04': { subjects: [{ os: 'ubuntu22.04', scope: 'dlami' }], kind: 'intent' },
  'announce-eos-inf1-virtual-environments': { subjects: [{ instance: 'inf1', scope: 'dlami' }], note: 'Inf1 users are told to use Neuron DLAMIs of 2.26.1 or earlier' },
  'announce-nxdi-changes': { subjects: [{ package: 'neuronx-distributed-inference' }] },
  'announce-eos-nxdt-nxd-core-training': { subjects: [{ package: 'neuronx-distributed-training' }, { feature: 'NxD Core training APIs' }, { feature: 'PyTorch/XLA for training' }], last: '2.28' },
  'announce-eos-pytorch-2-7-2-8': { subjects: [{ framework: 'pytorch', version: '2.7', instances: ['trn1', 'trn2', 'trn3', 'inf2'] }, { framework: 'pytorch', version: '2.8', instances: ['trn1', 'trn2', 'trn3', 'inf2'] }, { package: 'torch-neuronx', version: '2.7' }, { package: 'torch-neuronx', version: '2.8' }] },
  'announce-eos-tensorflow-inf2': { subjects: [{ framework: 'tensorflow', instances: ['inf2'] }, { package: 'tensorflow-neuronx', instances: ['inf2'] }] },
  'announce-nki-library-namespace-changes-2-28': { subjects: [{ feature: 'NKI Library namespace' }] },
  'announce-eos-neuron-profiler-2': { subjects: [{ feature: 'Neuron Profiler and Profiler 2.0' }], kind: 'end-of-support', note: 'moved to Neuron 2.30.0 by announce-eos-neuron-profiler-v230' },
  'announce-no-support-tensorboard-plugin': { subjects: [{ package: 'tensorboard-plugin-neuronx' }] },
  'announce-no-support-vllm-v0': { subjects: [{ feature: 'vLLM V0' }] },
  'announce-correction-neuron-driver-support-inf1': { subjects: [{ package: 'aws-neuronx-dkms', version: '2.24', instances: ['inf1'] }], kind: 'other', note: 'the last Neuron driver for Inf1 is 2.24 (aws-neuronx-dkms 2.24.*); corrects announce-eos-neuron-driver-support-inf1' },
  'announce-no-longer-support-pytorch-2-7-2-8': { subjects: [{ framework: 'pytorch', version: '2.7', instances: ['trn1', 'trn2', 'trn3', 'inf2'] }, { framework: 'pytorch', version: '2.8', instances: ['trn1', 'trn2', 'trn3', 'inf2'] }, { package: 'torch-neuronx', version: '2.7' }, { package: 'torch-neuronx', version: '2.8' }] },
  'announce-no-longer-support-tensorflow-inf2': { subjects: [{ framework: 'tensorflow', instances: ['inf2'] }, { package: 'tensorflow-neuronx', instances: ['inf2'] }] },
  'announce-nki-namespace-migration': { subjects: [{ feature: 'NKI Library namespace' }] },
  'announce-eos-neuron-profiler-v230': { subjects: [{ feature: 'Neuron Profiler and Profiler 2.0' }], kind: 'end-of-support' },
  'announce-eos-pytorch-2-7-2-8-v229': { subjects: [{ framework: 'pytorch', version: '2.7', instances: ['trn1', 'trn2', 'trn3', 'inf2'] }, { framework: 'pytorch', version: '2.8', instances: ['trn1', 'trn2', 'trn3', 'inf2'] }, { package: 'torch-neuronx', version: '2.7' }, { package: 'torch-neuronx', version: '2.8' }] },
  'announce-dlc-dlami-ubuntu-24-04': { subjects: [{ os: 'ubuntu22.04', scope: 'dlami' }, { os: 'ubuntu22.04', scope: 'dlc' }], kind: 'no-longer-supported', note: 'Ubuntu 22.04-based DLCs and DLAMIs are no longer published from 2.30.0; new ones are based on Ubuntu 24.04' },
  'announce-no-longer-support-neuron-profiler': { subjects: [{ feature: 'Neuron Profiler and Profiler 2.0' }], kind: 'no-longer-supported' },
  'announce-no-support-jax-0-7': { subjects: [{ framework: 'jax', version: '0.7' }, { package: 'jax-neuronx', version: '0.7' }] },
  'announce-no-support-pytorch-xla-training': { subjects: [{ feature: 'PyTorch/XLA for training' }, { package: 'torch-neuronx', scope: 'training' }] },
  'announcement-python-3-10-eol': { subjects: [{ python: '3.10' }] },
  'announce-support-jax-0-9-0': { subjects: [{ framework: 'jax', version: '0.9' }] },
  'announce-support-python-3-13': { subjects: [{ python: '3.13' }] },
  'announce-maintenance-nxdi-nxd-core-inference': { subjects: [{ package: 'neuronx-distributed-inference' }, { feature: 'NxD Core inference APIs' }] },
  'announce-maintenance-nxdt-nxd-core-training': { subjects: [{ package: 'neuronx-distributed-training' }, { feature: 'NxD Core training APIs' }] },
  'announce-eos-implicit-async-mode': { subjects: [{ feature: 'Neuron Runtime implicit asynchronous mode' }, { feature: 'NEURON_RT_ASYNC_EXEC_MAX_INFLIGHT_REQUESTS' }], kind: 'intent' },
  'announce-eos-ubuntu-22-04-dlami-dlc': { subjects: [{ os: 'ubuntu22.04', scope: 'dlami' }, { os: 'ubuntu22.04', scope: 'dlc' }] },
  'announce-intent-eos-nki-spmd-launch-grid': { subjects: [{ feature: 'NKI SPMD launch grid requirement for LNC2 kernels' }, { package: 'nki' }], kind: 'intent', effective: null },
  'announce-nki-library-kernel-rename-segmented-cte': { subjects: [{ feature: 'NKI Library kernel kv_parallel_segmented_prefill' }] },
  'announce-no-longer-include-nxdt-dlami': { subjects: [{ package: 'neuronx-distributed-training', scope: 'dlami' }] },
  'announce-no-longer-publish-pytorch-training-dlc': { subjects: [{ image: 'dlc', name: 'pytorch-training-neuronx' }] },
  'announce-no-support-implicit-async-mode': { subjects: [{ feature: 'Neuron Runtime implicit asynchronous mode' }, { feature: 'NEURON_RT_ASYNC_EXEC_MAX_INFLIGHT_REQUESTS' }] },
  'announce-maintenance-pytorch-xla-inference': { subjects: [{ feature: 'Torch/XLA inference on Inf2 and Trn1' }, { package: 'torch-neuronx', instances: ['inf2', 'trn1'] }] },
  'announce-nxdi-maintenance-support-2-31': { subjects: [{ package: 'neuronx-distributed-inference', version: '0.10.18399' }, { package: 'neuronx-distributed', version: '0.19.28492' }], effective: '2.30', last: '2.31.0', note: 'NxD Inference 0.10.18399 and NxD Core 0.19.28492 (Neuron 2.31.0) stay supported; no new releases are planned' },
  'announce-maintenance-gpsimd-customop-lib': { subjects: [{ package: 'aws-neuronx-gpsimd-customop-lib' }], effective: '2.33.0' },
};

const KIND_MAP = { 'end-of-support': 'end-of-support', 'no-longer-supported': 'no-longer-supported', maintenance: 'maintenance', deprecation: 'deprecation', other: 'other' };

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function deriveAnnouncements(dir, releases) {
  const rows = readCsv(dir, 'neuron-eos-announcements.csv', ['what', 'announced_date', 'eos_date_or_release', 'kind', 'statement', 'tags', 'source']);
  check(rows.length === 143, `neuron-eos-announcements.csv: expected 143 rows, found ${rows.length}`);
  const byDay = new Map(releases.filter((r) => r.date).map((r) => [r.date, r.version]));
  const ids = new Set();
  const used = new Set();
  const out = rows.map((row) => {
    const m = /^aws-neuron\/aws-neuron-sdk@81ce03ae261e:(about-neuron\/announcements\/[^ ]+\.rst)/.exec(row.source);
    check(m, `announcement source not in the pinned snapshot: ${row.source}`);
    const file = m[1];
    const base = path.basename(file, '.rst');
    const id = base === 'announcements' ? `neuron1-${slug(row.what)}` : base;
    check(!ids.has(id), `duplicate announcement id ${id}`);
    ids.add(id);
    check(isDay(row.announced_date), `${id}: bad announced date ${row.announced_date}`);
    const kind = KIND_MAP[row.kind];
    check(kind, `${id}: unknown kind ${row.kind}`);
    const cur = CURATED[id] ?? {};
    if (CURATED[id]) used.add(id);
    let [effective, last] = guessReleases(row.what, row.statement);
    if (cur.effectiveSameDay) {
      effective = byDay.get(row.announced_date);
      check(effective, `${id}: no release dated ${row.announced_date} for "this release"`);
    }
    if ('effective' in cur) effective = cur.effective ?? undefined;
    if ('last' in cur) last = cur.last ?? undefined;
    let k = cur.kind ?? kind;
    if (!cur.kind && k === 'end-of-support' && !effective && !last && !cur.effectiveDate) k = 'intent';
    const subjects = cur.subjects ?? guessSubjects(row.what, row.statement);
    const a = { id, what: row.what.trim(), kind: k, announced: row.announced_date };
    if (effective) a.effective_release = fullRelease(effective);
    if (last) a.last_release = last;
    if (cur.effectiveDate) a.effective_date = cur.effectiveDate;
    a.subjects = subjects;
    if (cur.note) a.note = cur.note;
    a.statement = truncate(row.statement || row.what);
    a.source = 'neuron-announcements';
    a.path = file;
    if (row.kind !== k) a.source_kind = row.kind;
    return a;
  });
  for (const id of Object.keys(CURATED)) check(used.has(id), `curated announcement ${id} not in the input (review CURATED)`);
  return out;
}

// ---------------------------------------------------------------------------
// Conda packages (misc-eol-facts.csv: the last Neuron conda packages shipped with 1.13.0)

function deriveConda(dir) {
  const rows = readCsv(dir, 'misc-eol-facts.csv', ['what', 'kind', 'date', 'detail', 'source']);
  const row = rows.find((r) => r.what === 'Neuron Conda packages');
  check(row, 'misc-eol-facts.csv: no "Neuron Conda packages" row');
  check(/Neuron 1\.13\.0 \(2021-05-01\) is the last release with Neuron conda packages/.test(row.detail), 'misc-eol-facts.csv: conda detail changed');
  const m = /Neuron Conda Packages: torch-neuron-([\d.]+), tensorflow-neuron ([\d.]+), mxnet-neuron-([\d.]+)/.exec(row.detail);
  check(m, 'misc-eol-facts.csv: conda package list changed');
  return {
    last_release: '1.13.0',
    ended_with: '1.14.0',
    announced: '2021-05-28',
    packages: { 'torch-neuron': [m[1]], 'tensorflow-neuron': [m[2]], 'mxnet-neuron': [m[3]] },
    statement: 'Starting with Neuron SDK 1.14.0 conda packages are no longer supported to install Neuron SDK frameworks in DLAMI and Neuron conda packages are no longer updated; Neuron 1.13.0 is the last release with Neuron conda packages.',
    source: 'neuron-announcements',
    path: 'about-neuron/announcements/neuron1.x/announcements.rst (eol-conda-packages); release-notes/archive/neuron1/prev/rn.rst (Neuron 1.13.0)',
  };
}

// ---------------------------------------------------------------------------
// TOML output

const q = (s) => JSON.stringify(s); // TOML basic strings accept JSON escapes for this text
const arr = (xs) => `[${xs.map(q).join(', ')}]`;
const key = (k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : q(k));
const inline = (o) => `{ ${Object.entries(o).map(([k, v]) => `${key(k)} = ${Array.isArray(v) ? arr(v) : q(v)}`).join(', ')} }`;

function render({ generated, releases, spellings, pkgInstances, skipped, announcements, conda }, sourcesDir) {
  const L = [];
  const pkgNames = [...spellings.keys()].sort();
  const nPkgVersions = releases.reduce((n, r) => n + [...r.packages.values()].reduce((m, p) => m + p.size, 0), 0);
  L.push('# dl-lifecycle bundled lifecycle catalog (schema v1): AWS Neuron SDK releases and announcements.');
  L.push('# GENERATED FILE by tools/derive-neuron.mjs from a folder of collected public source data (see server/data/README.md):');
  L.push('#   neuron-releases.csv, neuron-release-dates.csv, neuron-eos-announcements.csv, misc-eol-facts.csv.');
  L.push('# Regenerate: node tools/derive-neuron.mjs --sources <sources> --generated YYYY-MM-DD > server/data/neuron.toml');
  L.push('# Do not hand-edit (the next regeneration would undo the edit). Schema: server/src/catalog/neuronSchema.ts.');
  L.push('#');
  L.push(`# ${releases.length} releases, ${pkgNames.length} package names, ${nPkgVersions} (release, package, version) entries, ${announcements.length} announcements.`);
  L.push('# Package names are PEP 503-normalised (lowercase, runs of -_. become -); `[packages.<name>].spellings`');
  L.push('# keeps the manifests\' own spellings (mx_neuron -> mx-neuron, mxnet_neuron and mxnet-neuron -> mxnet-neuron,');
  L.push('# torch_xla and torch-xla -> torch-xla, libnrt.so -> libnrt-so). Two spellings of one PEP 440 version');
  L.push('# (1.15.5.2.3.0 and 1.15.5.2.3.0.0) are one entry; the spelling of neuron-n2-manifest is kept.');
  L.push(`# ${skipped} manifest rows with version "na" (efa-installer) are left out.`);
  L.push('#');
  L.push('# Release dates, and how conflicts are resolved: the date printed for the release in its own');
  L.push('# release-notes page ("Date of release") or, for older releases, the dated release heading of');
  L.push('# release-notes/**/rn.rst, as recorded in neuron-release-dates.csv (source neuron-release-notes).');
  L.push('# Other dates printed elsewhere in the docs are kept in `other_dates` (2.12.2, 2.21.0, 2.27.1,');
  L.push('# 2.29.0, 2.29.1, 2.31.0) with `date_note`; the git tag date is kept in `tag_date` when it differs.');
  L.push('# Releases with no dated heading take the commit date of their git tag (source neuron-git-tags:');
  L.push('# 1.0.0, 1.1.0, 1.6.1); 1.12.3 has neither and no date.');
  L.push('# Packages: Neuron 2.3.0-2.32.0 from n2-manifest.json, Neuron 1.10.0-2.8.0 (Inf1 packages) from');
  L.push('# neuron-releases-manifest.json; for 2.3.0-2.8.0 both are merged (union), and `only_in` lists the');
  L.push('# entries that only one of them has. Releases 1.0.0-1.9.0 are in neither manifest, and 2.22.1 (a');
  L.push('# driver-only patch) is not in n2-manifest.json: no packages (`packages_note` says so).');
  L.push('# Neuron 2.32.0 lists no torch-neuronx or neuronx-distributed* (it lists libtorch-neuronx-lite');
  L.push('# and torch-xla 2.11/2.12 instead); 2.31.1 is the last release that lists torch-neuronx.');
  L.push('#');
  L.push('# Announcements: `kind` is end-of-support (announced, effective later), no-longer-supported');
  L.push('# (ended), maintenance, deprecation, intent (announced without a release or date) or other');
  L.push('# (introductions, renames, corrections). `effective_release` is the first release without support');
  L.push('# ("starting with Neuron 2.29" = 2.29.0), `last_release` the last release with it, as written');
  L.push('# ("2.28" = the 2.28 line). Both come from the statement; where it needs reading the tool\'s');
  L.push('# CURATED table sets them and the subjects, and `note` says why. `source_kind` keeps the');
  L.push('# extraction\'s kind where it differs. Statements are cut to 300 characters.');
  L.push('');
  L.push('[catalog]');
  L.push('schema_version = 1');
  L.push(`generated = ${q(generated)}`);
  L.push(`data_as_of = ${q(DATA_AS_OF)}`);
  for (const [id, s] of Object.entries(SOURCES)) {
    L.push('');
    L.push(`[sources.${id}]`);
    L.push(`title = ${q(s.title)}`);
    L.push(`url = ${q(s.url)}`);
    L.push(`snapshot = ${q(s.snapshot)}`);
  }
  L.push('');
  L.push('# Neuron conda packages: the last ones shipped with Neuron 1.13.0 (Neuron SDK maintenance policy, Overview).');
  L.push('[conda]');
  for (const [k, v] of Object.entries(conda)) {
    if (k === 'packages') L.push(`packages = ${inline(v)}`);
    else L.push(`${k} = ${q(v)}`);
  }
  for (const name of pkgNames) {
    L.push('');
    L.push(`[packages.${key(name)}]`);
    L.push(`spellings = ${arr([...spellings.get(name)].sort())}`);
    L.push(`type = ${q(packageType(name))}`);
    if (SHARED_NAMES.has(name)) L.push('shared = true');
    L.push(`instances = ${arr([...pkgInstances.get(name)].sort(cmpInstance))}`);
  }
  for (const r of releases) {
    L.push('');
    L.push('[[releases]]');
    L.push(`version = ${q(r.version)}`);
    if (r.date) {
      L.push(`date = ${q(r.date)}`);
      L.push(`date_source = ${q(r.date_source)}`);
      L.push(`date_evidence = ${q(r.date_evidence)}`);
    }
    if (r.other_dates) L.push(`other_dates = ${arr(r.other_dates)}`);
    if (r.tag_date) L.push(`tag_date = ${q(r.tag_date)}`);
    if (r.date_note) L.push(`date_note = ${q(r.date_note)}`);
    L.push(`line = ${q(r.line)}`);
    const sources = [...r.bySource.keys()].sort();
    if (r.instances.size) L.push(`instances = ${arr([...r.instances].sort(cmpInstance))}`);
    if (r.python.size) {
      const py = Object.fromEntries([...r.python.entries()].sort((a, b) => cmpInstance(a[0], b[0])).map(([i, s]) => [i, [...s].sort(cmpVersion)]).filter(([, s]) => s.length));
      if (Object.keys(py).length) L.push(`python = ${inline(py)}`);
    }
    L.push(`sources = ${arr(sources)}`);
    if (r.packages.size === 0) L.push(`packages_note = ${q(NO_PACKAGES_NOTE[r.version] ?? (cmpVersion(r.version, '1.10.0') < 0 ? 'before neuron-releases-manifest.json (first release 1.10.0): no package list' : fail(`${r.version}: no packages and no note`)))}`);
    if (sources.length > 1) {
      const only = {};
      for (const [name, byKey] of r.packages) {
        for (const e of byKey.values()) {
          if (e.sources.size === 1) {
            const s = [...e.sources][0];
            (only[s] ??= []).push(`${name} ${e.version}`);
          }
        }
      }
      if (Object.keys(only).length) L.push(`only_in = ${inline(Object.fromEntries(Object.entries(only).map(([s, xs]) => [s, xs.sort()])))}`);
    }
    L.push('[releases.packages]');
    for (const name of [...r.packages.keys()].sort()) {
      L.push(`${key(name)} = ${arr([...r.packages.get(name).values()].map((e) => e.version).sort(cmpVersion))}`);
    }
  }
  for (const a of announcements) {
    L.push('');
    L.push('[[announcements]]');
    for (const [k, v] of Object.entries(a)) {
      if (k === 'subjects') {
        L.push(`subjects = [${v.map((s) => inline(s)).join(', ')}]`);
      } else L.push(`${k} = ${q(v)}`);
    }
  }
  L.push('');
  // Pin the snapshot: each source's marker must occur in its input.
  for (const [id, s] of Object.entries(SOURCES)) {
    const [rel, marker] = s.expect;
    check(fs.readFileSync(path.join(sourcesDir, rel), 'utf8').includes(marker), `source ${id}: marker ${JSON.stringify(marker)} not found in ${rel} (snapshot changed; review)`);
  }
  return L.join('\n');
}

const INSTANCE_ORDER = ['inf1', 'inf2', 'trn1', 'trn1n', 'trn2', 'trn3'];
function cmpInstance(a, b) {
  const ia = INSTANCE_ORDER.indexOf(a);
  const ib = INSTANCE_ORDER.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
}

// ---------------------------------------------------------------------------

function main() {
  const { values } = parseArgs({ options: { sources: { type: 'string' }, generated: { type: 'string' } } });
  check(values.sources, 'usage: node tools/derive-neuron.mjs --sources <dir> [--generated YYYY-MM-DD]');
  const generated = values.generated ?? new Date().toISOString().slice(0, 10);
  check(isDay(generated), `--generated must be YYYY-MM-DD, got ${generated}`);
  const { releases, spellings, pkgInstances, skipped } = deriveReleases(values.sources);
  const announcements = deriveAnnouncements(values.sources, releases);
  const conda = deriveConda(values.sources);
  process.stdout.write(render({ generated, releases, spellings, pkgInstances, skipped, announcements, conda }, values.sources));
}

try {
  main();
} catch (e) {
  if (e instanceof DeriveError) {
    process.stderr.write(`derive-neuron: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
