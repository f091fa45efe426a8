import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText, ruleContext } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Finding, Range } from '../../../server/src/model';
import { checkChannel, isAnacondaChannel } from '../../../server/src/rules/conda';
import { describeReference } from '../../../server/src/rules/describe';
import { fileKindById } from '../../../server/src/scanners/fileKinds';
import { applyEdits, TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const env = fileKindById('conda-environment')!;
const lock = fileKindById('conda-explicit')!;
const analyze = (text: string, kind = env, file = 'environment.yml') => analyzeText(text, file, kind, catalog, { asOf: AS_OF });
const fixture = (name: string) => readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'conda', name), 'utf8');
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const ofRule = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

describe('framework rules on conda pins', () => {
  it('pytorch=1.13 is past end of patch; the fix edits only the 1.13 and keeps the fuzzy shape', () => {
    const text = 'channels:\n  - conda-forge\ndependencies:\n  - pytorch=1.13  # keep me\n';
    const [f] = ofRule(analyze(text).findings, 'end-of-patch');
    assert.ok(f, 'end-of-patch expected');
    assert.equal(f.subject, 'pytorch');
    assert.equal(slice(text, f.range), 'pytorch=1.13');
    const fix = f.fixes[0];
    assert.equal(fix.edits.length, 1);
    assert.equal(slice(text, fix.edits[0].range), '1.13');
    assert.match(fix.edits[0].newText, /^2\.\d+$/);
    const fixed = applyEdits(text, fix.edits);
    assert.equal(fixed, text.replace('pytorch=1.13', `pytorch=${fix.edits[0].newText}`));
    // the fixed file is no longer past end of patch
    assert.deepEqual(ofRule(analyze(fixed).findings, 'end-of-patch'), []);
  });

  it('pins in the pip sub-list get the same rules and fixes inside the YAML scalar', () => {
    const text = 'channels: [conda-forge]\ndependencies:\n  - pip:\n    - "torch==1.13.1"\n';
    const [f] = ofRule(analyze(text).findings, 'end-of-patch');
    assert.equal(slice(text, f.range), 'torch==1.13.1');
    assert.equal(slice(text, f.fixes[0].edits[0].range), '1.13.1');
  });

  it('lookalikes get no findings', () => {
    const text = 'channels: [conda-forge]\ndependencies:\n  - pytorch-lightning=1.9\n  - torchvision=0.14.1\n  - tensorflow-datasets=4.8\n';
    assert.deepEqual(analyze(text).findings, []);
  });

  it('a locked framework pin and Python of an explicit file are judged but get no fix', () => {
    const text = fixture('conda-linux-64.lock');
    const findings = analyze(text, lock, 'conda-linux-64.lock').findings;
    const judged = ['end-of-patch', 'python-end-of-life'].map((rule) => ofRule(findings, rule)[0]);
    assert.deepEqual(judged.map((f) => slice(text, f.range)), ['pytorch-1.13.1', 'python-3.9.16']);
    assert.deepEqual(judged.map((f) => f.fixes), [[], []]);
  });

  it('a suppression comment on the line silences the finding', () => {
    const text = 'channels: [conda-forge]\ndependencies:\n  - pytorch=1.13  # dl-lifecycle: ignore end-of-patch\n';
    const findings = analyze(text).findings;
    assert.deepEqual(ofRule(findings, 'end-of-patch'), []);
    assert.deepEqual(ofRule(findings, 'unused-suppression'), []);
  });
});

describe('python-end-of-life on environments', () => {
  it('python=3.8 is past end of life; the fix moves to the nearest supported minor, not safe', () => {
    const text = 'channels: [conda-forge]\ndependencies:\n  - python=3.8\n';
    const [f] = ofRule(analyze(text).findings, 'python-end-of-life');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.equal(f.since, '2024-10-07');
    assert.match(f.message, /^Python 3\.8 \(`3\.8`\) reached end of life on 2024-10-07/);
    assert.equal(f.fixes.length, 1);
    // 3.9 ended 2025-10-31 and 3.10 on 2026-10-31, both before 2026-11-21
    assert.equal(applyEdits(text, f.fixes[0].edits), text.replace('python=3.8', 'python=3.11'));
    assert.equal(f.fixes[0].safe, false);
    assert.deepEqual(ofRule(analyze(applyEdits(text, f.fixes[0].edits)).findings, 'python-end-of-life'), []);
  });

  it('keeps the written shape: 3.8.* and 3.8.10', () => {
    const star = 'channels: [conda-forge]\ndependencies:\n  - python 3.8.*\n';
    assert.equal(ofRule(analyze(star).findings, 'python-end-of-life')[0].fixes[0].edits[0].newText, '3.11.*');
    const exact = 'channels: [conda-forge]\ndependencies:\n  - python==3.8.10\n';
    assert.match(ofRule(analyze(exact).findings, 'python-end-of-life')[0].fixes[0].edits[0].newText, /^3\.11\.\d+$/);
  });

  it('a one-minor range is judged without a fix; a supported Python and an open range are not reported', () => {
    const range = 'channels: [conda-forge]\ndependencies:\n  - python>=3.8,<3.9\n';
    const [f] = ofRule(analyze(range).findings, 'python-end-of-life');
    assert.ok(f);
    assert.deepEqual(f.fixes, []);
    assert.deepEqual(analyze('channels: [conda-forge]\ndependencies:\n  - python=3.12\n  - python>=3.6\n').findings, []);
  });

  it('the hover names release, end of life and its source', () => {
    const a = analyze('channels: [conda-forge]\ndependencies:\n  - python=3.8\n');
    const ref = a.scan.references.find((r) => r.kind === 'python-version')!;
    const d = describeReference(ref, a.context)!;
    assert.equal(d.title, 'Python 3.8');
    assert.match(d.status!, /End of life reached 775 days ago/);
    const eol = d.facts.find((x) => x.label === 'End of life')!;
    assert.match(eol.value, /^2024-10-07/);
    assert.ok(eol.source && eol.source.length > 0);
    assert.match(d.facts.find((x) => x.label === 'Nearest supported Python')!.value, /^3\.11/);
  });
});

describe('anaconda-channel', () => {
  it('recognises Anaconda channels and not others', () => {
    for (const c of ['defaults', 'anaconda', 'main', 'r', 'msys2', 'pkgs/main', 'https://repo.anaconda.com/pkgs/main', 'https://repo.anaconda.com/pkgs/r/', 'https://conda.anaconda.org/anaconda', 'Defaults']) {
      assert.ok(isAnacondaChannel(c), c);
    }
    for (const c of ['conda-forge', 'pytorch', 'nvidia', 'nodefaults', 'https://conda.anaconda.org/conda-forge', 'https://conda.anaconda.org/pytorch', 'bioconda', 'https://example.org/repo.anaconda.com', '']) {
      assert.ok(!isAnacondaChannel(c), c);
    }
  });

  it('channels: [defaults] → information, fixed to conda-forge and nodefaults (flow list)', () => {
    const text = 'channels: [defaults]\ndependencies:\n  - numpy\n';
    const [f] = ofRule(analyze(text).findings, 'anaconda-channel');
    assert.equal(f.severity, 'information');
    assert.equal(slice(text, f.range), 'defaults');
    assert.equal(applyEdits(text, f.fixes[0].edits), 'channels: [conda-forge, nodefaults]\ndependencies:\n  - numpy\n');
  });

  it('block lists keep their indentation; an existing conda-forge turns defaults into nodefaults', () => {
    const text = 'channels:\n    - pytorch\n    - "defaults"\ndependencies:\n  - numpy\n';
    const [f] = ofRule(analyze(text).findings, 'anaconda-channel');
    assert.equal(applyEdits(text, f.fixes[0].edits), 'channels:\n    - pytorch\n    - conda-forge\n    - nodefaults\ndependencies:\n  - numpy\n');
    const withForge = 'channels:\r\n  - conda-forge\r\n  - defaults\r\ndependencies: []\r\n';
    const [g] = ofRule(analyze(withForge).findings, 'anaconda-channel');
    assert.equal(applyEdits(withForge, g.fixes[0].edits), 'channels:\r\n  - conda-forge\r\n  - nodefaults\r\ndependencies: []\r\n');
  });

  it('a channel:: prefix is replaced by conda-forge', () => {
    const text = 'channels: [conda-forge, nodefaults]\ndependencies:\n  - anaconda::numpy=1.26\n';
    const [f] = ofRule(analyze(text).findings, 'anaconda-channel');
    assert.equal(slice(text, f.range), 'anaconda');
    assert.equal(applyEdits(text, f.fixes[0].edits), text.replace('anaconda::', 'conda-forge::'));
  });

  it('no channels key → reported on dependencies, fixed by adding a channels list', () => {
    const text = fixture('no-channels.yml');
    const [f] = ofRule(analyze(text).findings, 'anaconda-channel');
    assert.equal(slice(text, f.range), 'dependencies');
    assert.match(f.message, /lists no `channels:`/);
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.equal(fixed, text.replace('dependencies:', 'channels:\n  - conda-forge\n  - nodefaults\ndependencies:'));
    assert.deepEqual(ofRule(analyze(fixed).findings, 'anaconda-channel'), []);
  });

  it('a lock file reports Anaconda-hosted channels once, without fix', () => {
    const text = fixture('conda-linux-64.lock');
    const found = ofRule(analyze(text, lock, 'conda-linux-64.lock').findings, 'anaconda-channel');
    assert.equal(found.length, 1);
    assert.equal(slice(text, found[0].range), 'https://repo.anaconda.com/pkgs/main');
    assert.deepEqual(found[0].fixes, []);
  });

  it('conda-forge, nodefaults and vendor channels are not reported; the hover explains the channel', () => {
    const a = analyze('channels:\n  - pytorch\n  - nvidia\n  - conda-forge\n  - nodefaults\ndependencies:\n  - numpy\n');
    assert.deepEqual(a.findings, []);
    const ref = a.scan.references.find((r) => r.kind === 'package-channel' && r.channel === 'nodefaults')!;
    assert.match(describeReference(ref, a.context)!.status!, /default/);
    const ctx = ruleContext(catalog, { asOf: AS_OF });
    assert.equal(ref.kind, 'package-channel');
    if (ref.kind === 'package-channel') {
      assert.deepEqual(checkChannel({ ...ref, channel: 'conda-forge' }, [], ctx), []);
      assert.equal(checkChannel({ ...ref, channel: 'defaults' }, [], ctx).length, 1);
    }
  });
});

describe('neuron-conda-package', () => {
  it('torch-neuron from conda is reported with the catalog facts; from pip it is not', () => {
    const text = fixture('environment.yml');
    const [f] = ofRule(analyze(text).findings, 'neuron-conda-package');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.equal(slice(text, f.range), 'torch-neuron=1.7.1.1.3.5.0');
    assert.match(f.message, /ended with Neuron 1\.14\.0/);
    assert.ok(f.facts.some((x) => x.value === '1.13.0'));
    assert.ok(f.facts.some((x) => x.value === '1.7.1.1.3.5.0'));
    const pip = 'channels: [conda-forge]\ndependencies:\n  - pip:\n    - torch-neuron==1.13.1.2.9.74.0\n';
    assert.deepEqual(ofRule(analyze(pip).findings, 'neuron-conda-package'), []);
  });

  it('tensorflow-neuron and mxnet-neuron too, and in explicit lock files', () => {
    const text = 'channels: [conda-forge]\ndependencies:\n  - tensorflow-neuron\n  - mxnet-neuron=1.5.1\n';
    assert.equal(ofRule(analyze(text).findings, 'neuron-conda-package').length, 2);
    const l = '@EXPLICIT\nhttps://conda.repos.example/neuron/linux-64/torch-neuron-1.7.1.1.3.5.0-py37_0.tar.bz2\n';
    assert.equal(ofRule(analyze(l, lock, 'conda-linux-64.lock').findings, 'neuron-conda-package').length, 1);
  });
});

describe('the whole fixture', () => {
  it('environment.yml: every expected rule fires once where it should', () => {
    const text = fixture('environment.yml');
    const rules = analyze(text).findings.map((f) => `${f.rule}@${slice(text, f.range)}`);
    assert.deepEqual(rules.sort(), [
      'anaconda-channel@defaults',
      'end-of-patch@pytorch=1.13',
      'end-of-patch@tensorflow==2.11.0',
      'neuron-conda-package@torch-neuron=1.7.1.1.3.5.0',
      // PyTorch 1.7 builds for Inf1 next to pytorch=1.13: ended, old, and a different framework version
      'neuron-end-of-support@torch-neuron=1.7.1.1.3.5.0',
      'neuron-mixed-releases@torch-neuron=1.7.1.1.3.5.0',
      'neuron-sdk-outdated@torch-neuron=1.7.1.1.3.5.0',
      'python-end-of-life@python=3.8',
    ]);
  });
});
