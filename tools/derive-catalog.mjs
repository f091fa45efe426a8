#!/usr/bin/env node
// Derives the bundled lifecycle catalog (server/data/catalog.toml) for PyTorch,
// TensorFlow and Apache MXNet from a folder of collected public source data (see server/data/README.md).
//
//   node tools/derive-catalog.mjs --sources <dir> [--generated YYYY-MM-DD] > server/data/catalog.toml
//
// Plain Node 20 ESM, no dependencies. Fails loudly (exit 1, message on stderr)
// when an input is missing, empty or no longer looks like the snapshot this
// script was written against. See server/data/README.md for the rules.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { catalogHeader, check, DeriveError, fail, readCsv, readText, tomlString, tomlValue } from './lib.mjs';

// ---------------------------------------------------------------------------
// Failure helpers

// ---------------------------------------------------------------------------
// Dates (UTC, real calendar arithmetic)

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(s) {
  const m = DATE_RE.exec(s);
  check(m, `not a YYYY-MM-DD date: ${JSON.stringify(s)}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  check(d.toISOString().slice(0, 10) === s, `invalid calendar date: ${s}`);
  return d;
}

function fmtDate(d) {
  return d.toISOString().slice(0, 10);
}

function addDays(s, days) {
  const d = parseDate(s);
  d.setUTCDate(d.getUTCDate() + days);
  return fmtDate(d);
}

// Same month and day N years later; 29 February becomes 28 February.
function addYears(s, years) {
  const d = parseDate(s);
  const y = d.getUTCFullYear() + years;
  const m = d.getUTCMonth();
  const day = Math.min(d.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  return fmtDate(new Date(Date.UTC(y, m, day)));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December'];

function monthName(yyyyMm) {
  const m = /^(\d{4})-(\d{2})/.exec(yyyyMm);
  check(m, `not a YYYY-MM value: ${yyyyMm}`);
  return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

// "March 15, 2021", "Dec 15, 2022", "November 09, 2022" -> YYYY-MM-DD
function parseProseDate(text) {
  const m = /\b([A-Z][a-z]{2,8})\.? (\d{1,2}), (\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const idx = MONTHS.findIndex((n) => n.startsWith(m[1].slice(0, 3)));
  if (idx < 0) return undefined;
  return `${m[3]}-${String(idx + 1).padStart(2, '0')}-${m[2].padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------
// Versions

function cmpVersion(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function minorOf(v) {
  return v.split('.').slice(0, 2).join('.');
}

// ---------------------------------------------------------------------------
// Input readers

// RFC 4180 CSV (quoted fields may hold commas, doubled quotes and newlines).
// legacy_support.yml: `<framework>:` followed by `- version/ga/eop` items.
function parseLegacySupport(text, rel) {
  const out = {};
  let key = null;
  let item = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (!line.trim()) continue;
    let m;
    if ((m = /^([a-z][a-z0-9_-]*):\s*$/.exec(line))) { key = m[1]; out[key] = []; item = null; continue; }
    check(key, `${rel}: entry before any framework key: ${raw}`);
    if ((m = /^\s+-\s+(\w+):\s*"?([^"]*)"?\s*$/.exec(line))) { item = { [m[1]]: m[2] }; out[key].push(item); continue; }
    if ((m = /^\s+(\w+):\s*"?([^"]*)"?\s*$/.exec(line)) && item) { item[m[1]] = m[2]; continue; }
    fail(`${rel}: unexpected line: ${raw}`);
  }
  for (const [k, items] of Object.entries(out)) {
    for (const it of items) {
      check(it.version && it.ga && it.eop, `${rel}: ${k} entry without version/ga/eop`);
      parseDate(it.ga); parseDate(it.eop);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Sources ([sources] table). `expect` pins the snapshot: when the input no
// longer contains the marker, the data changed and this registry (and the
// README) must be reviewed before regenerating.

const SOURCES = {
  'dlc-support-policy': {
    title: 'AWS Deep Learning Containers support policy',
    url: 'https://aws.github.io/deep-learning-containers/reference/support_policy/',
    snapshot: 'aws/deep-learning-containers gh-pages@51cc34dfd6f3 (2026-08-19), deployed from main 86bef99',
    date: '2026-08-19',
    expect: ['framework-support-policy.csv', 'gh-pages@51cc34dfd6f3'],
  },
  'dlc-legacy-support': {
    title: 'AWS Deep Learning Containers legacy support data (GA/EOP of PyTorch 1.13-2.5, TensorFlow 2.14-2.18)',
    url: 'https://github.com/aws/deep-learning-containers/blob/main/docs/src/legacy/legacy_support.yml',
    snapshot: 'aws/deep-learning-containers main@e0ecedea6a1c (2026-08-21) docs/src/legacy/legacy_support.yml',
    date: '2026-08-21',
    expect: ['framework-releases.csv', 'main@e0ecedea6a1c'],
  },
  'dlc-image-configs': {
    title: 'AWS Deep Learning Containers image data (per-image YAML behind the DLC docs site)',
    url: 'https://github.com/aws/deep-learning-containers/tree/main/docs/src/data',
    snapshot: 'aws/deep-learning-containers main@e0ecedea6a1c (2026-08-21) docs/src/data/**/*.yml',
    date: '2026-08-21',
    expect: ['dlc-images.csv', 'main@e0ecedea6a1c'],
  },
  'dlc-available-images-history': {
    title: 'AWS Deep Learning Containers available_images.md (legacy image list, yearly snapshots)',
    url: 'https://github.com/aws/deep-learning-containers/blob/master/available_images.md',
    snapshot: 'aws/deep-learning-containers master branch, snapshots of 2020-12-18, 2021-12-02, 2022-12-22, 2023-12-07, 2024-12-23, 2025-12-18 and 2026-02-02',
    date: '2026-02-02',
    expect: ['dlc-images-legacy-available_images.csv', 'available_images.md'],
  },
  'dlami-support-policy-table': {
    title: 'AWS Deep Learning AMI framework support policy table',
    url: 'https://docs.amazonaws.cn/dlami/latest/devguide/dlami-support-policy-table.md',
    snapshot: 'stored copy of the machine-translated (zh) page, copy date unknown; newest row PyTorch 2.9.0, truncated after PyTorch 1.12.1; PyTorch rows only',
    expect: ['framework-support-policy.csv', 'dlami-support-policy-table'],
  },
  'dlc-policy-2022': {
    title: 'AWS Deep Learning Containers framework support policy FAQ, 2022 text (365-day end-of-patch rule, major-version exception)',
    url: 'https://github.com/awsdocs/aws-deep-learning-containers',
    snapshot: 'awsdocs/aws-deep-learning-containers@8949a0a1c63f doc_source/support-policy.md (last changed 2022-12-11; repository archived 2023-06); the same rule is in awsdocs/aws-deep-learning-amis@578e7dd1e3d3 doc_source/support-policy.md',
    date: '2023-06-15',
    expect: ['dlc/awsdocs-aws-deep-learning-containers/support-policy.md', '365 days after the GitHub release date'],
  },
  'dlc-release-notes': {
    title: 'Release Notes for AWS Deep Learning Containers (2020-2022 list of release notes with dates)',
    url: 'https://github.com/awsdocs/aws-deep-learning-containers',
    snapshot: 'awsdocs/aws-deep-learning-containers@8949a0a1c63f doc_source/dlc-release-notes.md (repository archived 2023-06)',
    date: '2023-06-15',
    expect: ['dlc/awsdocs-aws-deep-learning-containers/dlc-release-notes.md', 'Single\\-framework Deep Learning Containers'],
  },
  'sagemaker-image-uri-config': {
    title: 'SageMaker Python SDK image URI config (framework version aliases)',
    url: 'https://github.com/aws/sagemaker-python-sdk/tree/master-v2/src/sagemaker/image_uri_config',
    snapshot: 'aws/sagemaker-python-sdk master-v2@fc582aaa46fa (2026-08-10)',
    date: '2026-08-10',
    expect: ['framework-support-policy.csv', 'master-v2@fc582aaa46fa'],
  },
  'pytorch-versions-wiki': {
    title: 'PyTorch wiki: PyTorch Versions (release dates and torchvision/torchaudio pairing)',
    url: 'https://github.com/pytorch/pytorch/wiki/PyTorch-Versions',
    snapshot: "stored copy 'edited this page Apr 23, 2025' (earlier copies of 2021-06 and 2024-04 agree)",
    date: '2025-04-23',
    expect: ['framework-releases.csv', 'pytorch/pytorch/wiki/PyTorch-Versions'],
  },
  'pytorch-docs-versions': {
    title: 'PyTorch documentation version list',
    url: 'https://docs.pytorch.org/docs/versions',
    snapshot: 'stored copy, date unknown (lists the version only, no dates)',
    expect: ['framework-releases.csv', 'docs.pytorch.org/docs/versions'],
  },
  'anaconda-pytorch-lts': {
    title: 'Anaconda pytorch-lts channel (PyTorch 1.8.2 LTS)',
    url: 'https://anaconda.org/channels/pytorch-lts',
    snapshot: 'stored copy, date unknown (lists the version only, no dates)',
    expect: ['framework-releases.csv', 'pytorch-lts'],
  },
  'pypi-package-index': {
    title: 'Python Package Index release listing (torch, torchvision)',
    url: 'https://pypi.org/project/torch/',
    snapshot: 'package listing read after the August 2026 snapshots (torch 2.15.0 upload month 2026-10); upload months only, no release days',
    expect: ['framework-releases.csv', 'pypi.tsv'],
  },
  'pytorch-website-prs': {
    title: 'pytorch/pytorch.github.io pull requests (release-manager website updates)',
    url: 'https://github.com/pytorch/pytorch.github.io/pulls',
    snapshot: 'PR open dates as stored in the search tool issues corpus',
    expect: ['framework-releases.csv', 'pytorch/pytorch.github.io/pull/'],
  },
  'pytorch-2-11-article': {
    title: "Third-party article 'PyTorch 2.11: faster, broader, closer to the metal'",
    url: 'https://neurabooks.online/news/posts/pytorch/pytorch-2-11-faster-broader-closer-to-the-metal-2026-03-24',
    snapshot: 'stored copy (article dated 2026-03-24)',
    date: '2026-03-24',
    expect: ['framework-releases.csv', 'neurabooks.online'],
  },
  'spack-packages': {
    title: 'Spack package pull requests adding py-torch / py-tensorflow versions',
    url: 'https://github.com/spack/spack-packages',
    snapshot: 'spack/spack and spack/spack-packages PR open dates as stored in the search tool issues corpus; usually 0-1 day after the GitHub release',
    expect: ['framework-releases.csv', 'github.com/spack/spack'],
  },
  'rlan-notebooks-watcher': {
    title: "Third-party release-watcher issues ('... released') in rlan/notebooks",
    url: 'https://github.com/rlan/notebooks/issues',
    snapshot: 'issue open dates as stored in the search tool issues corpus; can lag the release by days to weeks',
    expect: ['framework-releases.csv', 'rlan/notebooks/issues/'],
  },
  'dependabot-prs': {
    title: 'Dependabot version-bump pull requests in third-party repositories',
    snapshot: 'PR dates as stored in the search tool docs corpus; run on each repository\'s own schedule, so can lag by weeks',
    expect: ['framework-releases.csv', 'dependabot'],
  },
  'tensorflow-docs-install': {
    title: 'tensorflow/docs install pages (first commit adding a version\'s wheel links)',
    url: 'https://github.com/tensorflow/docs/tree/master/site/en/install',
    snapshot: 'tensorflow/docs@7c3650212740 (2026-03-11), history of site/en/install',
    date: '2026-03-11',
    expect: ['framework-releases.csv', 'tensorflow/docs@7c3650212740'],
  },
  'tensorflow-github': {
    title: 'tensorflow/tensorflow GitHub releases page and pull requests',
    url: 'https://github.com/tensorflow/tensorflow/releases',
    snapshot: 'stored copies in the search tool corpora, undated (version lists only)',
    expect: ['framework-releases.csv', 'tensorflow/tensorflow'],
  },
  'api-evangelist-tensorflow-changelog': {
    title: 'api-evangelist TensorFlow changelog (third-party list of blog.tensorflow.org post dates)',
    url: 'https://raw.githubusercontent.com/api-evangelist/tensorflow/refs/heads/main/changelog/tensorflow-changelog.yml',
    snapshot: 'stored copy, date unknown; blog dates lag GitHub releases by 2-7 days',
    expect: ['framework-releases.csv', 'api-evangelist'],
  },
  'apache-mxnet-tags': {
    title: 'apache/mxnet git tags',
    url: 'https://github.com/apache/mxnet/tags',
    snapshot: 'apache/mxnet@b84609d3fc73 (HEAD 2023-01-26); tagger date for annotated tags, else commit date of the tagged (final release candidate) commit',
    date: '2023-01-26',
    expect: ['framework-releases.csv', 'apache/mxnet@b84609d3fc73'],
  },
  'apache-attic-mxnet': {
    title: 'Apache Attic: Apache MXNet',
    url: 'https://attic.apache.org/projects/mxnet.html',
    snapshot: 'not read directly; dates as cited by several public documents that link this page',
    expect: ['misc-eol-facts.csv', 'attic.apache.org/projects/mxnet'],
  },
};

// Which source a framework-releases.csv row (or its notes, for undated rows) cites.
const RELEASE_SOURCE_RULES = [
  [/pytorch\/pytorch\/wiki\/PyTorch-Versions/, 'pytorch-versions-wiki'],
  [/pytorch\.github\.io\/pull\//, 'pytorch-website-prs'],
  [/spack\/spack(-packages)?\/pull\//, 'spack-packages'],
  [/rlan\/notebooks\/issues\//, 'rlan-notebooks-watcher'],
  [/dependabot/i, 'dependabot-prs'],
  [/neurabooks\.online/, 'pytorch-2-11-article'],
  [/api-evangelist/, 'api-evangelist-tensorflow-changelog'],
  [/tensorflow\/docs@/, 'tensorflow-docs-install'],
  [/apache\/mxnet@/, 'apache-mxnet-tags'],
  [/legacy_support\.yml/, 'LEGACY_OR_TABLE'],
  [/framework-support-policy\.csv DLAMI row/, 'dlami-support-policy-table'],
  [/framework-support-policy\.csv DLC row/, 'dlc-support-policy'],
  [/docs\.pytorch\.org\/docs\/versions/, 'pytorch-docs-versions'],
  [/pytorch-lts/, 'anaconda-pytorch-lts'],
  [/local package index|pypi\.tsv/, 'pypi-package-index'],
  [/tensorflow\/tensorflow/, 'tensorflow-github'],
  [/framework-support-policy\.csv/, 'LATEST_PATCH'],
];

// ---------------------------------------------------------------------------
// Frameworks

const FRAMEWORKS = [
  {
    id: 'pytorch',
    name: 'PyTorch',
    packages: ['torch', 'pytorch'],
    package_patterns: [],
    tableNames: ['PyTorch', 'PyTorch Training', 'PyTorch Inference'],
    legacyKey: 'pytorch',
    minMinor: '1.0',
  },
  {
    id: 'tensorflow',
    name: 'TensorFlow',
    packages: ['tensorflow', 'tensorflow-gpu', 'tensorflow-cpu'],
    package_patterns: [],
    tableNames: ['TensorFlow'],
    legacyKey: 'tensorflow',
    minMinor: '1.13',
  },
  {
    id: 'mxnet',
    name: 'Apache MXNet',
    packages: ['mxnet', 'mxnet-mkl'],
    package_patterns: ['mxnet-cu*'],
    tableNames: [],
    legacyKey: 'mxnet',
    minMinor: '1.4',
  },
];

const FRAMEWORK_BY_LABEL = { pytorch: 'pytorch', tensorflow: 'tensorflow', mxnet: 'mxnet', mx: 'mxnet' };

// Facts that the CSV columns do not carry; each is restated from the source
// files named in server/data/README.md.
const EXTRA_NOTES = {
  'pytorch@2.5': 'The DLC GA 2024-10-29 is not the 2.5.0 release day; it is one day before the earliest 2.5.1 evidence (spack PR 2024-10-30).',
  'pytorch@2.11': 'The DLC GA is a DLC image date, not the upstream release date.',
  'pytorch@2.12': 'The DLC GA is a DLC image date, not the upstream release date.',
  'pytorch@2.13': 'The DLC GA is a DLC image date, not the upstream release date.',
  'tensorflow@2.21': 'The DLC GA is a DLC image date, not the upstream release date.',
  'pytorch@1.11': 'The PyTorch wiki prints 2022-02-10 for 1.11.0, but every other trace (spack PR 2022-03-11, watcher issue 2022-03-13) is a month later; the upper bound 2022-03-11 is used.',
};

// ---------------------------------------------------------------------------
// Derivation

function deriveCatalog(dir, generated) {
  check(fs.existsSync(dir) && fs.statSync(dir).isDirectory(), `--sources is not a directory: ${dir}`);
  const entries = fs.readdirSync(dir);
  check(entries.length > 0, `--sources directory is empty: ${dir}`);

  // Pin snapshots.
  const textCache = new Map();
  const text = (rel) => {
    if (!textCache.has(rel)) textCache.set(rel, readText(dir, rel));
    return textCache.get(rel);
  };
  for (const [id, s] of Object.entries(SOURCES)) {
    const [rel, marker] = s.expect;
    check(text(rel).includes(marker),
      `source ${id}: ${rel} no longer contains ${JSON.stringify(marker)}; the sources changed, review SOURCES in this script and server/data/README.md`);
  }

  const policyRows = readCsv(dir, 'framework-support-policy.csv',
    ['framework', 'version', 'latest_patch_if_known', 'ga_date', 'end_of_patch_date', 'source', 'product', 'notes']);
  const releaseRows = readCsv(dir, 'framework-releases.csv',
    ['framework', 'version', 'release_date', 'source', 'date_kind', 'notes']);
  const miscRows = readCsv(dir, 'misc-eol-facts.csv', ['what', 'kind', 'date', 'detail', 'source']);
  const legacyImages = readCsv(dir, 'dlc-images-legacy-available_images.csv',
    ['repository', 'tag', 'details', 'first_seen']);
  const currentImages = readCsv(dir, 'dlc-images.csv', ['repository', 'framework', 'version', 'tags']);
  const legacySupport = parseLegacySupport(text('dlc/main/docs/src/legacy/legacy_support.yml'), 'legacy_support.yml');
  const releaseNotesText = text('dlc/awsdocs-aws-deep-learning-containers/dlc-release-notes.md');
  const policyText = text('dlc/awsdocs-aws-deep-learning-containers/support-policy.md').replace(/\\/g, '');

  // The 2022 policy text must still state both rules this script applies.
  check(/hit their end of patch date 365 days after the GitHub release date/.test(policyText),
    'support-policy.md: 365-day end-of-patch rule not found');
  check(/two years from the date of the GitHub release or six months after the origin framework maintenance team drops support, whichever date is earlier/.test(policyText),
    'support-policy.md: major-version exception not found');

  const fwIds = new Set(FRAMEWORKS.map((f) => f.id));
  const used = new Set(['dlc-policy-2022']);
  const use = (id) => {
    check(SOURCES[id], `internal: unknown source id ${id}`);
    used.add(id);
    return id;
  };

  // --- DLC published table (primary) -------------------------------------
  const table = new Map(); // fw@minor -> { ga, eop, eopInference, latestPatch, latestPatchSource, rows }
  const dlami = new Map(); // fw@minor -> row
  for (const r of policyRows) {
    const fw = FRAMEWORKS.find((f) => f.tableNames.includes(r.framework));
    if (!fw) continue;
    check(/^\d+\.\d+$/.test(r.version), `framework-support-policy.csv: unexpected version ${r.version}`);
    const key = `${fw.id}@${r.version}`;
    if (r.product === 'DLAMI') {
      check(!dlami.has(key), `framework-support-policy.csv: duplicate DLAMI row ${key}`);
      dlami.set(key, r);
      continue;
    }
    if (r.product !== 'DLC') continue;
    parseDate(r.ga_date); parseDate(r.end_of_patch_date);
    const qualifier = r.framework.slice(fw.tableNames[0].length).trim().toLowerCase(); // '', 'training', 'inference'
    check(['', 'training', 'inference'].includes(qualifier), `framework-support-policy.csv: unexpected qualifier in ${r.framework}`);
    const t = table.get(key) ?? { rows: [] };
    t.rows.push({ qualifier, ga: r.ga_date, eop: r.end_of_patch_date });
    if (r.latest_patch_if_known) {
      t.latestPatch = r.latest_patch_if_known;
      t.latestPatchSource = /latest_patch from DLC image tags/.test(r.source) ? 'dlc-image-configs'
        : /latest_patch from sagemaker-python-sdk/.test(r.source) ? 'sagemaker-image-uri-config'
          : /latest_patch from DLC changelog/.test(r.source) ? 'dlc-image-configs'
            : fail(`framework-support-policy.csv: unknown latest_patch provenance for ${key}`);
    }
    table.set(key, t);
  }
  for (const [key, t] of table) {
    const gas = new Set(t.rows.map((r) => r.ga));
    check(gas.size === 1, `framework-support-policy.csv: ${key} rows disagree on GA`);
    t.ga = t.rows[0].ga;
    const byQ = Object.fromEntries(t.rows.map((r) => [r.qualifier, r.eop]));
    if ('' in byQ) {
      check(t.rows.length === 1, `framework-support-policy.csv: ${key} has both a plain and a split row`);
      t.eop = byQ[''];
    } else {
      // Split Training/Inference rows: the earlier (Training) date is the end of patch.
      t.eop = t.rows.map((r) => r.eop).sort()[0];
      if (byQ.inference && byQ.inference !== t.eop) t.eopInference = byQ.inference;
      t.split = true;
    }
  }
  // legacy_support.yml must agree with the published table (it is its data source).
  const legacyNotes = new Map();
  for (const fw of FRAMEWORKS) {
    for (const it of legacySupport[fw.legacyKey] ?? []) {
      const key = `${fw.id}@${it.version}`;
      const t = table.get(key);
      if (!t) {
        table.set(key, { rows: [], ga: it.ga, eop: it.eop, fromLegacy: true });
      } else if (t.ga !== it.ga || t.eop !== it.eop) {
        legacyNotes.set(key, `legacy_support.yml has GA ${it.ga} / EOP ${it.eop}, the published table GA ${t.ga} / EOP ${t.eop}.`);
      }
    }
  }
  const legacyMinors = new Set(FRAMEWORKS.flatMap((f) => (legacySupport[f.legacyKey] ?? []).map((it) => `${f.id}@${it.version}`)));

  // --- Upstream releases ---------------------------------------------------
  const releases = new Map(); // fw@x.y.z -> row
  for (const r of releaseRows) {
    if (!fwIds.has(r.framework)) continue;
    check(/^\d+\.\d+\.\d+$/.test(r.version), `framework-releases.csv: unexpected version ${r.framework} ${r.version}`);
    const key = `${r.framework}@${r.version}`;
    check(!releases.has(key), `framework-releases.csv: duplicate row ${key}`);
    if (r.release_date) {
      parseDate(r.release_date);
      check(['stated', 'tag', 'upper_bound'].includes(r.date_kind), `framework-releases.csv: ${key} has date_kind ${JSON.stringify(r.date_kind)}`);
    }
    releases.set(key, r);
  }
  for (const fw of FRAMEWORKS) {
    check([...releases.keys()].some((k) => k.startsWith(`${fw.id}@`)), `framework-releases.csv: no rows for ${fw.id}`);
  }

  // --- Extra patch evidence from AWS image lists and release notes ---------
  const extra = new Map(); // fw@x.y.z -> [{ source, text, date? }]
  const addExtra = (fwId, version, source, evidenceText, date) => {
    const key = `${fwId}@${version}`;
    const list = extra.get(key) ?? [];
    if (!list.some((e) => e.source === source)) list.push({ source, text: evidenceText, date });
    else {
      const e = list.find((x) => x.source === source);
      if (date && (!e.date || date < e.date)) Object.assign(e, { text: evidenceText, date });
    }
    extra.set(key, list);
  };
  // Elastic Inference images carry AWS's EI builds; they are not used as evidence.
  for (const r of legacyImages) {
    if (/-eia$/.test(r.repository) || /Elastic Inference/i.test(r.details)) continue;
    const m = /Framework=(PyTorch|TensorFlow|MXNet) (\d+\.\d+\.\d+)\b/i.exec(r.details);
    if (!m) continue;
    addExtra(m[1].toLowerCase(), m[2], 'dlc-available-images-history',
      `image ${r.repository}:${r.tag} (listed from ${r.first_seen})`, r.first_seen);
  }
  for (const r of currentImages) {
    const fwId = { PyTorch: 'pytorch', TensorFlow: 'tensorflow', MXNet: 'mxnet' }[r.framework];
    if (!fwId) continue;
    for (const tag of r.tags.split(';')) {
      const m = /^(\d+\.\d+\.\d+)-/.exec(tag.trim());
      if (m && minorOf(m[1]) === r.version) addExtra(fwId, m[1], 'dlc-image-configs', `image ${r.repository}:${tag.trim()}`);
    }
  }
  let releaseNoteLinks = 0;
  for (const line of releaseNotesText.split('\n')) {
    const m = /^\+ \[(.+?)\]\((\S+?)\s*\)\s*$/.exec(line.trim());
    if (!m) continue;
    releaseNoteLinks++;
    const label = m[1].replace(/\\/g, '');
    if (/Elastic Inference/i.test(label)) continue;
    const v = /(pytorch|tensorflow|mxnet|mx)-(\d+)-(\d+)-(\d+)(?![\d])/.exec(m[2]);
    if (!v) continue;
    const date = parseProseDate(label);
    const title = label.replace(/:?\s*[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\s*$/, '').replace(/^AWS Deep Learning Containers (for |with )?/, '');
    addExtra(FRAMEWORK_BY_LABEL[v[1]], `${v[2]}.${v[3]}.${v[4]}`, 'dlc-release-notes',
      `DLC release note '${title}'${date ? ` dated ${date}` : ''}`, date);
  }
  check(releaseNoteLinks > 0, 'dlc-release-notes.md: no release-note links found');

  // --- Helpers over release rows ---------------------------------------------
  const sourceOfRelease = (r, fwId) => {
    const hay = r.source === 'see notes' || !r.source ? r.notes : r.source;
    for (const [re, id] of RELEASE_SOURCE_RULES) {
      if (!re.test(hay)) continue;
      if (id === 'LEGACY_OR_TABLE') return legacyMinors.has(`${fwId}@${minorOf(r.version)}`) ? 'dlc-legacy-support' : 'dlc-support-policy';
      if (id === 'LATEST_PATCH') {
        const t = table.get(`${fwId}@${minorOf(r.version)}`);
        check(t?.latestPatch === r.version, `framework-releases.csv: ${fwId} ${r.version} cites the support table, which does not list it`);
        return t.latestPatchSource;
      }
      return id;
    }
    return fail(`framework-releases.csv: cannot tell the source of ${fwId} ${r.version}: ${hay}`);
  };

  const weak = (r) => /\bWEAK\b/.test(r.notes) || /\bWEAK\b/.test(r.source);

  const evidenceOfRelease = (r, source) => {
    const s = r.source;
    let m;
    const ghRef = (str) => {
      const g = /github\.com\/([\w.-]+\/[\w.-]+)\/(?:pull|issues)\/(\d+)/.exec(str);
      return g ? `${g[1]}#${g[2]}` : undefined;
    };
    if (!r.release_date) {
      // Undated row: restate the note on why the version is known to exist.
      if (source === 'sagemaker-image-uri-config' || source === 'dlc-image-configs') {
        return 'latest patch of the DLC support-policy row (provenance: ' +
          (source === 'dlc-image-configs' ? 'DLC image tags' : 'SageMaker Python SDK version_aliases') + ')';
      }
      let t = /^no date read/i.test(r.notes) ? r.notes.replace(/^no date read \((.*)\)$/, '$1')
        : r.notes.replace(/^exists:\s*/, '').replace(/;?\s*(no (exact )?(release )?date read|release date not read|date not in stored text)\b.*$/i, '');
      t = t.replace(/the PyPI package list of the package lists \(pypi\.tsv\)/, 'the PyPI listing')
        .replace(/\blocal package index\b/g, 'package index')
        .replace(/https?:\/\/(?:www\.)?github\.com\/([\w.-]+\/[\w.-]+)\/(?:pull|issues)\/(\d+)/g, '$1#$2')
        .replace(/\s*\((?:docs|issues|pages) corpus(?:, [^)]*)?\)/g, '');
      return t.trim() || undefined;
    }
    let e;
    switch (source) {
      case 'pytorch-versions-wiki':
        e = undefined;
        break;
      case 'spack-packages':
        e = `${ghRef(s)} opened ${r.release_date}`;
        break;
      case 'rlan-notebooks-watcher':
        e = `${ghRef(s)} watcher issue opened ${r.release_date}`;
        break;
      case 'dependabot-prs':
        e = `dependabot PR ${ghRef(s) ?? ''} dated ${r.release_date}`.replace('  ', ' ');
        break;
      case 'pytorch-website-prs':
        e = `${ghRef(s)} release-manager website PR ${r.release_date}`;
        break;
      case 'tensorflow-docs-install':
        m = /site\/en\/install\/: ([0-9a-f]{12}) (\S+)(?: \([^)]*\))? '([^']*)'/.exec(s);
        e = m ? `tensorflow/docs commit ${m[1]} ${m[2]} '${m[3]}'` : undefined;
        break;
      case 'apache-mxnet-tags':
        m = /^(annotated|lightweight) tag; (?:tagger )?(\S+?Z)/.exec(r.notes);
        e = m ? `tag ${r.version}: ${m[1]} tag, ${m[1] === 'annotated' ? 'tagger date' : 'commit date of the tagged final release candidate'} ${m[2]}` : `tag ${r.version}`;
        break;
      case 'api-evangelist-tensorflow-changelog':
        e = 'blog.tensorflow.org post date (lags the GitHub release by days)';
        break;
      case 'pytorch-2-11-article':
        e = "'On March 23, version 2.11 was launched'";
        break;
      case 'dlami-support-policy-table':
        e = "AWS DLAMI table column 'GitHub GA'; DLC table GA agrees";
        break;
      case 'dlc-support-policy':
      case 'dlc-legacy-support':
        e = 'AWS DLC table GA date';
        break;
      default:
        fail(`internal: no evidence format for ${source}`);
    }
    const flags = [];
    if (weak(r)) flags.push('WEAK: may lag the release by weeks');
    if (/^UNCERTAIN/.test(r.notes)) flags.push('UNCERTAIN');
    if (/^CONFLICT: PyTorch wiki table says (\S+)/.test(r.notes)) {
      const c = /^CONFLICT: PyTorch wiki table says (\d\d)\/(\d\d)\/(\d{4})/.exec(r.notes);
      if (c) flags.push(`PyTorch wiki says ${c[3]}-${c[1]}-${c[2]}`);
    }
    if (/wikipedia/i.test(r.notes) && source === 'dlc-support-policy') e += '; a Wikipedia mirror gives the same day';
    if (flags.length) e = e ? `${e} (${flags.join('; ')})` : flags.join('; ');
    return e;
  };

  // --- Minors ----------------------------------------------------------------
  const minors = new Map(); // fwId -> Set(minor)
  for (const fw of FRAMEWORKS) minors.set(fw.id, new Set());
  for (const key of [...releases.keys(), ...table.keys(), ...dlami.keys()]) {
    const [fwId, v] = key.split('@');
    minors.get(fwId).add(minorOf(v));
  }
  for (const fw of FRAMEWORKS) {
    const list = [...minors.get(fw.id)].filter((m) => cmpVersion(m, fw.minMinor) >= 0).sort(cmpVersion);
    minors.set(fw.id, list);
    check(list.length > 0 && list[0] === fw.minMinor, `${fw.id}: coverage must start at ${fw.minMinor}, found ${list[0]}`);
    // Contiguity: within a major every minor from the first to the last must be present.
    for (let i = 1; i < list.length; i++) {
      const [pM, pm] = list[i - 1].split('.').map(Number);
      const [cM, cm] = list[i].split('.').map(Number);
      check((cM === pM && cm === pm + 1) || (cM === pM + 1 && cm === 0), `${fw.id}: gap in minors between ${list[i - 1]} and ${list[i]}`);
    }
  }

  // --- Versions ---------------------------------------------------------------
  const versions = [];
  for (const fw of FRAMEWORKS) {
    const list = minors.get(fw.id);
    const majors = new Set(list.map((m) => m.split('.')[0]));
    for (const minor of [...list].reverse()) {
      const key = `${fw.id}@${minor}`;
      const notes = [];

      // Patches: union of release rows, table latest patch, DLAMI current version, images, release notes.
      const patchVersions = new Set();
      for (const k of [...releases.keys(), ...extra.keys()]) {
        const [f, v] = k.split('@');
        if (f === fw.id && minorOf(v) === minor) patchVersions.add(v);
      }
      const t = table.get(key);
      if (t?.latestPatch) patchVersions.add(t.latestPatch);
      if (dlami.get(key)?.latest_patch_if_known) patchVersions.add(dlami.get(key).latest_patch_if_known);
      const patches = [...patchVersions].sort(cmpVersion).map((v) => {
        const r = releases.get(`${fw.id}@${v}`);
        if (r) {
          const source = use(sourceOfRelease(r, fw.id));
          const p = { version: v };
          if (r.release_date) Object.assign(p, { released: r.release_date, date_kind: r.date_kind });
          p.source = source;
          let ev = evidenceOfRelease(r, source);
          if (!r.release_date) {
            const ex = (extra.get(`${fw.id}@${v}`) ?? []).filter((x) => x.source === 'dlc-release-notes');
            if (ex.length) ev = [ev, ...ex.map((x) => x.text)].filter(Boolean).join('; ');
          }
          if (ev) p.evidence = ev;
          return p;
        }
        // Known only from AWS artefacts: no upstream release date.
        const ex = [...(extra.get(`${fw.id}@${v}`) ?? [])];
        const order = ['dlc-release-notes', 'dlc-available-images-history', 'dlc-image-configs'];
        ex.sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
        if (ex.length) {
          return { version: v, source: use(ex[0].source), evidence: ex.map((x) => x.text).join('; ') };
        }
        if (t?.latestPatch === v) {
          return { version: v, source: use(t.latestPatchSource), evidence: 'latest patch of the DLC support-policy row' };
        }
        const d = dlami.get(key);
        check(d?.latest_patch_if_known === v, `internal: no evidence for ${fw.id} ${v}`);
        return { version: v, source: use('dlami-support-policy-table'), evidence: 'current version in the DLAMI table' };
      });
      check(patches.length > 0, `${key}: no patch versions known`);

      const firstRelease = releases.get(`${fw.id}@${minor}.0`);
      const v = { framework: fw.id, version: minor };

      // Is this the last minor of a major that was followed by a new major?
      const [maj] = minor.split('.');
      const isLastOfMajor = majors.has(String(Number(maj) + 1)) && !list.some((m) => m.split('.')[0] === maj && cmpVersion(m, minor) > 0);

      if (t) {
        // Rule 1: the published table.
        v.ga = t.ga;
        v.ga_source = use(t.fromLegacy ? 'dlc-legacy-support' : 'dlc-support-policy');
        v.end_of_patch = t.eop;
        v.end_of_patch_basis = 'table';
        v.end_of_patch_source = v.ga_source;
        if (t.eopInference) v.end_of_patch_inference = t.eopInference;
        if (t.split) {
          const ext = miscRows.find((r) => /PyTorch 2\.6 Inference/.test(r.what) && r.date === t.eopInference);
          notes.push(`The table splits this version: Training EOP ${t.eop}, Inference EOP ${t.eopInference}` +
            (ext ? ' (inference extended as the last PyTorch inference images with TorchServe support).' : '.') +
            ' end_of_patch is the Training date.');
        }
        if (isLastOfMajor && t.eop === addYears(t.ga, 2)) {
          notes.push(`Table EOP is GA + 2 years: AWS's major-version exception (last ${maj}.x minor before ${Number(maj) + 1}.0).`);
        } else if (t.eop !== addYears(t.ga, 1) && !t.split) {
          notes.push(`Table EOP is not one year after GA.`);
        }
        if (legacyNotes.has(key)) notes.push(legacyNotes.get(key));
        // Upstream release vs. table GA (only when the upstream date is independent of AWS).
        if (firstRelease?.release_date) {
          const src = sourceOfRelease(firstRelease, fw.id);
          const awsDerived = ['dlc-support-policy', 'dlc-legacy-support', 'dlami-support-policy-table'].includes(src);
          if (!awsDerived && firstRelease.release_date !== t.ga) {
            const how = firstRelease.date_kind === 'upper_bound' ? `was released by ${firstRelease.release_date} (upper bound, ${src})`
              : `was released on ${firstRelease.release_date} (${firstRelease.date_kind}, ${src})`;
            notes.push(`Upstream ${minor}.0 ${how}; ${minor}.0 + 365 days would be ${addDays(firstRelease.release_date, 365)}.`);
          }
          const c = /^CONFLICT: PyTorch wiki table says (\d\d)\/(\d\d)\/(\d{4})/.exec(firstRelease.notes);
          if (c) notes.push(`The PyTorch wiki gives ${c[3]}-${c[1]}-${c[2]} for ${minor}.0; the AWS tables give ${t.ga}.`);
        } else if (!firstRelease) {
          const first = patches[0];
          const r = releases.get(`${fw.id}@${first.version}`);
          if (r && new RegExp(`no ${minor.replace('.', '\\.')}\\.0 final`).test(r.notes)) {
            notes.push(`There was no ${minor}.0 final release; ${minor} shipped as ${first.version}.`);
          }
        }
      } else if (isLastOfMajor) {
        // Rule 3: major-version exception (no upstream end-of-support date is in the sources).
        notes.push(`Major-version exception applies (last ${maj}.x minor; ${Number(maj) + 1}.0 followed): end of patch is the earlier of ${minor}.0 release + 2 years and upstream end of support + 6 months. No upstream end-of-support date is in the sources.`);
        if (firstRelease?.release_date) {
          v.ga = firstRelease.release_date;
          v.ga_source = use(sourceOfRelease(firstRelease, fw.id));
          v.end_of_patch = addYears(firstRelease.release_date, 2);
          v.end_of_patch_basis = 'major-version-exception';
          v.end_of_patch_source = 'dlc-policy-2022';
          notes.push('Only release + 2 years is computable, so it is used.');
        } else {
          const dated = patches.filter((p) => p.released);
          notes.push(`${minor}.0 has no release date in the sources, so neither term is computable and end_of_patch is left out` +
            (dated.length ? `; the earliest dated patch is ${dated[0].version} (${dated[0].date_kind === 'upper_bound' ? 'by ' : ''}${dated[0].released}), so ${minor}.0 + 2 years falls on or before ${addYears(dated[0].released, 2)}.` : '.'));
        }
      } else if (firstRelease?.release_date) {
        // Rule 2: GitHub release of x.y.0 + 365 days.
        v.ga = firstRelease.release_date;
        v.ga_source = use(sourceOfRelease(firstRelease, fw.id));
        v.end_of_patch = addDays(firstRelease.release_date, 365);
        v.end_of_patch_basis = 'release-plus-365';
        v.end_of_patch_source = 'dlc-policy-2022';
        if (firstRelease.date_kind === 'upper_bound') {
          notes.push(`GA is an upper bound (earliest evidence that ${minor}.0 existed${weak(firstRelease) ? ', WEAK' : ''}); the actual release and end of patch may be earlier.`);
        } else if (firstRelease.date_kind === 'tag') {
          const lw = /^lightweight tag/.test(firstRelease.notes);
          notes.push(`GA is the git tag date of ${minor}.0 (${lw ? 'lightweight tag: commit date of the final release candidate, before the Apache release' : 'annotated tag: tagger date'}).`);
        }
        if (table.size && fw.tableNames.length && cmpVersion(minor, minLegacyOrTable(table, fw.id)) > 0) {
          notes.push('Not listed in the AWS DLC support-policy table; end of patch computed with the 365-day rule.');
        }
      } else {
        const dated = patches.filter((p) => p.released);
        if (!firstRelease) {
          notes.push(`${minor}.0 is not in the release data (first final release found: ${patches[0].version}${patches[0].released ? `, ${patches[0].date_kind === 'upper_bound' ? 'upper bound ' : ''}${patches[0].released}` : ''}); no GitHub release date of ${minor}.0 for the 365-day rule, so ga and end_of_patch are left out.`);
        } else {
          notes.push(`${minor}.0 exists but has no release date in the sources, so ga and end_of_patch are left out` +
            (dated.length ? ` (earliest dated patch: ${dated[0].version}, ${dated[0].released}).` : '.'));
        }
      }

      // DLAMI differences (secondary table).
      const d = dlami.get(key);
      if (d) {
        if (!d.ga_date || !d.end_of_patch_date) {
          notes.push(`The DLAMI table lists ${fw.name} ${minor} (current ${d.latest_patch_if_known}), but its GA/EOP cells are truncated in the copy read.`);
        } else if (d.ga_date !== v.ga || d.end_of_patch_date !== v.end_of_patch) {
          notes.push(`The DLAMI table differs: ${d.latest_patch_if_known} 'GitHub GA' ${d.ga_date}, EOP ${d.end_of_patch_date}.`);
        }
      }
      // Unmerged SageMaker SDK proposal (never published).
      const sdk = miscRows.find((r) => /end_of_support metadata \(unmerged\)/.test(r.what));
      if (sdk && fw.id === 'pytorch') {
        const re = new RegExp(`(?:PyTorch |, )(${minor.replace('.', '\\.')}\\.\\d+) -> (\\d{4}-\\d{2}-\\d{2})`);
        const m = re.exec(sdk.detail);
        if (m) notes.push(`An unmerged SageMaker Python SDK PR (#3761) proposed end of support ${m[2]} for ${m[1]}; never published.`);
      }
      if (fw.id === 'mxnet') {
        const last = miscRows.find((r) => /^Apache MXNet \(DLC\)/.test(r.what) && r.kind === 'last DLC framework version');
        if (last && new RegExp(`MXNet ${minor.replace('.', '\\.')} `).test(last.detail)) {
          notes.push(`Last MXNet DLC release notes (MXNet ${minor}) are dated ${last.date}.`);
        }
      }
      if (EXTRA_NOTES[key]) notes.push(EXTRA_NOTES[key]);

      if (notes.length) v.note = notes.join(' ');
      v.patches = patches;
      versions.push(v);
    }
  }

  // --- Frameworks -------------------------------------------------------------
  const frameworks = FRAMEWORKS.map((fw) => {
    const f = { id: fw.id, name: fw.name, packages: fw.packages, package_patterns: fw.package_patterns };
    if (fw.id === 'mxnet') {
      const retired = miscRows.find((r) => r.what === 'Apache MXNet' && r.kind === 'project retired');
      const attic = miscRows.find((r) => r.what === 'Apache MXNet' && r.kind === 'Apache Attic move completed');
      check(retired && /^\d{4}-\d{2}(-\d{2})?$/.test(retired.date), 'misc-eol-facts.csv: MXNet retirement row missing');
      check(attic && /^\d{4}-\d{2}/.test(attic.date), 'misc-eol-facts.csv: MXNet Attic row missing');
      f.discontinued = {
        on: retired.date,
        note: `Apache MXNet was retired in ${monthName(retired.date)} and moved to the Apache Attic in ${monthName(attic.date)}.`,
        source: use('apache-attic-mxnet'),
      };
    }
    return f;
  });

  // --- Self-checks ------------------------------------------------------------
  for (const v of versions) {
    for (const k of ['ga_source', 'end_of_patch_source']) if (v[k]) check(SOURCES[v[k]], `${v.framework} ${v.version}: unknown ${k}`);
    for (const p of v.patches) check(SOURCES[p.source], `${v.framework} ${p.version}: unknown source ${p.source}`);
    if (v.end_of_patch_basis === 'release-plus-365') check(v.end_of_patch === addDays(v.ga, 365), `${v.framework} ${v.version}: EOP is not GA + 365`);
    check(!v.end_of_patch === !v.end_of_patch_basis, `${v.framework} ${v.version}: end_of_patch and basis must come together`);
  }
  const emitted = Object.keys(SOURCES).filter((id) => used.has(id) || ['dlc-legacy-support', 'dlami-support-policy-table', 'dlc-release-notes'].includes(id));
  const dataAsOf = emitted.map((id) => SOURCES[id].date).filter(Boolean).sort().at(-1);

  return { generated, dataAsOf, sources: emitted, frameworks, versions };
}

function minLegacyOrTable(table, fwId) {
  const mins = [...table.keys()].filter((k) => k.startsWith(`${fwId}@`)).map((k) => k.split('@')[1]).sort(cmpVersion);
  return mins[0];
}

// ---------------------------------------------------------------------------
// TOML output

function renderToml(c) {
  const out = [];
  out.push('# dl-lifecycle bundled lifecycle catalog (schema v1): PyTorch, TensorFlow, Apache MXNet.');
  out.push('# GENERATED FILE by tools/derive-catalog.mjs from a folder of collected public source data (see server/data/README.md).');
  out.push('# Regenerate: node tools/derive-catalog.mjs --sources <sources> --generated YYYY-MM-DD > server/data/catalog.toml');
  out.push('# Do not hand-edit without updating the script (the next regeneration would undo the edit).');
  out.push('# Rules, sources and known conflicts: server/data/README.md.');
  out.push('');
  out.push(...catalogHeader(c.generated, c.dataAsOf));
  for (const id of c.sources) {
    const s = SOURCES[id];
    out.push('');
    out.push(`[sources.${id}]`);
    out.push(`title = ${tomlString(s.title)}`);
    if (s.url) out.push(`url = ${tomlString(s.url)}`);
    out.push(`snapshot = ${tomlString(s.snapshot)}`);
  }
  for (const f of c.frameworks) {
    out.push('');
    out.push('[[frameworks]]');
    for (const [k, v] of Object.entries(f)) out.push(`${k} = ${tomlValue(v)}`);
  }
  for (const v of c.versions) {
    out.push('');
    out.push('[[versions]]');
    for (const k of ['framework', 'version', 'ga', 'ga_source', 'end_of_patch', 'end_of_patch_basis',
      'end_of_patch_source', 'end_of_patch_inference', 'note']) {
      if (v[k] !== undefined) out.push(`${k} = ${tomlString(v[k])}`);
    }
    out.push('patches = [');
    for (const p of v.patches) out.push(`  ${tomlValue(p)},`);
    out.push(']');
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// CLI

function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { sources: { type: 'string' }, generated: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${e.message}\nusage: node tools/derive-catalog.mjs --sources <dir> [--generated YYYY-MM-DD]`);
  }
  if (values.help) {
    process.stdout.write('usage: node tools/derive-catalog.mjs --sources <dir> [--generated YYYY-MM-DD] > server/data/catalog.toml\n');
    return;
  }
  check(values.sources, 'missing required --sources <dir>\nusage: node tools/derive-catalog.mjs --sources <dir> [--generated YYYY-MM-DD]');
  const generated = values.generated ?? new Date().toISOString().slice(0, 10);
  parseDate(generated);
  const catalog = deriveCatalog(path.resolve(values.sources), generated);
  process.stdout.write(renderToml(catalog));
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof DeriveError) {
    process.stderr.write(`derive-catalog: error: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
