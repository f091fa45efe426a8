import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compare, satisfies, valid } from '@renovatebot/pep440';
import * as toml from 'toml';
import { CatalogError } from '../../server/src/catalog/load';
import { comparePackageVersions, compareSdkVersions, frameworkPartOf, parseNeuronFile } from '../../server/src/catalog/neuron';
import { isCalendarDay } from '../../server/src/dates';

const TOML_TEXT = readFileSync(path.join(__dirname, '../../server/data/neuron.toml'), 'utf8');
const raw = () => toml.parse(TOML_TEXT) as Record<string, any>;
const neuron = parseNeuronFile(raw(), 'neuron.toml');
const versions = (rs: readonly { version: string }[]) => rs.map((r) => r.version);

/** Releases whose packages are empty on purpose: 1.0.0–1.9.0 predate both manifests; 2.22.1 only updated the driver. */
const NO_PACKAGES = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.4.1', '1.5.0', '1.5.1', '1.6.0', '1.6.1', '1.7.0', '1.7.1', '1.8.0', '1.9.0', '2.22.1'];
/** Announced releases that are not in [[releases]]: 1.20.0 was never published; 2.33.0 is announced ahead. */
const RELEASES_NOT_PUBLISHED = ['1.20.0', '2.33.0'];

describe('neuron.toml: schema and cross-checks', () => {
  it('validates and carries the header the project requires', () => {
    assert.match(TOML_TEXT, /^# .*\n# GENERATED FILE by tools\/derive-neuron\.mjs/);
    assert.match(TOML_TEXT, /--sources <sources> --generated YYYY-MM-DD/);
    assert.equal(neuron.generated, '2026-11-21');
    assert.equal(neuron.dataAsOf, '2026-08-21');
    assert.ok(isCalendarDay(neuron.generated));
  });

  it('lists 90 releases from 1.0.0 to 2.32.0 in ascending version order, dates ascending with them', () => {
    const rs = neuron.releases();
    assert.equal(rs.length, 90);
    assert.deepEqual([rs[0].version, rs[rs.length - 1].version], ['1.0.0', '2.32.0']);
    let prev: { version: string; date?: string } | undefined;
    for (const r of rs) {
      if (r.date === undefined) {
        assert.equal(r.version, '1.12.3', 'only 1.12.3 has no date at all');
        continue;
      }
      if (prev?.date) assert.ok(prev.date <= r.date, `${prev.version} (${prev.date}) after ${r.version} (${r.date})`);
      prev = r;
    }
  });

  it('gives every release packages except the documented pre-manifest ones, and a source for every fact', () => {
    for (const r of neuron.releases()) {
      const n = Object.keys(r.packages).length;
      if (NO_PACKAGES.includes(r.version)) assert.deepEqual([n, typeof r.packagesNote], [0, 'string'], r.version);
      else assert.deepEqual([n > 0, r.packagesNote], [true, undefined], `${r.version} has no packages`);
      for (const s of r.sources) assert.ok(neuron.source(s), `${r.version} source ${s}`);
      if (r.date) assert.ok(neuron.source(r.dateSource), `${r.version} date source`);
      assert.equal(r.line, r.version.startsWith('1.') ? 'neuron1' : 'neuron2');
    }
    for (const a of neuron.announcements()) assert.ok(neuron.source(a.source), a.id);
    assert.ok(neuron.source(neuron.conda.source));
  });

  it("resolves every announcement's effective and last release to a published one, except the documented ones", () => {
    const lines = new Set(neuron.releases().map((r) => r.version.split('.').slice(0, 2).join('.')));
    for (const a of neuron.announcements()) {
      for (const ref of [a.effectiveRelease, a.lastRelease]) {
        if (ref === undefined) continue;
        const known = ref.split('.').length === 2 ? lines.has(ref) : neuron.release(ref) !== undefined;
        assert.ok(known || RELEASES_NOT_PUBLISHED.includes(ref), `${a.id}: ${ref}`);
      }
      if (a.kind === 'no-longer-supported' && a.effectiveRelease) assert.ok(neuron.supportEnd(a).release, `${a.id} has no release`);
    }
  });

  it('splits every version of a framework build into framework and Neuron parts (jax-neuronx 0.1.x predates that)', () => {
    for (const name of ['torch-neuron', 'torch-neuronx', 'tensorflow-neuron', 'tensorflow-neuronx', 'mx-neuron', 'mxnet-neuron', 'libtorch-neuronx-lite', 'jax-neuronx']) {
      assert.ok(neuron.package(name)?.framework, name);
      for (const v of neuron.packageVersions(name)) {
        const part = frameworkPartOf(name, v);
        if (name === 'jax-neuronx' && /^0\.1\.\d+$/.test(v)) assert.equal(part, undefined);
        else assert.ok(part, `${name} ${v}`);
      }
    }
  });

  it('orders package versions as PEP 440 does', () => {
    for (const name of ['torch-neuronx', 'torch-xla', 'neuronx-cc', 'jax-neuronx', 'tensorflow-neuron', 'aws-neuronx-dkms']) {
      const vs = neuron.packageVersions(name).filter((v) => valid(v));
      for (let i = 1; i < vs.length; i++) assert.ok(compare(vs[i - 1], vs[i]) < 0, `${name}: ${vs[i - 1]} !< ${vs[i]}`);
    }
  });
});

describe('neuron.toml: facts copied from the sources', () => {
  it('torch-neuronx 2.1.2.2.3.0 shipped with Neuron 2.20.0 (neuron-releases.csv)', () => {
    assert.deepEqual(versions(neuron.neuronRelease('torch-neuronx', '2.1.2.2.3.0')), ['2.20.0']);
    assert.deepEqual(versions(neuron.neuronRelease('Torch_NeuronX', '2.1.2.2.3.0')), ['2.20.0']);
  });
  it('tensorflow-neuron 1.15.5.2.8.9.0 shipped with 2.11.0; torch-neuron 1.13.1.2.9.74.0 with 2.18.0-2.18.2', () => {
    assert.deepEqual(versions(neuron.neuronRelease('tensorflow-neuron', '1.15.5.2.8.9.0')), ['2.11.0']);
    assert.deepEqual(versions(neuron.neuronRelease('torch-neuron', '1.13.1.2.9.74.0')), ['2.18.0', '2.18.1', '2.18.2']);
  });
  it('Neuron 2.15.0: 2023-10-26, neuronx-cc 2.11.0.34, torch-neuronx 1.13.1.1.12.0 and 2.0.0.2.0.0b0', () => {
    const r = neuron.release('2.15.0')!;
    assert.equal(r.date, '2023-10-26');
    assert.deepEqual(r.packages['neuronx-cc'], ['2.11.0.34']);
    assert.deepEqual(r.packages['torch-neuronx'], ['1.13.1.1.12.0', '2.0.0.2.0.0b0']);
    assert.deepEqual(r.packages['transformers-neuronx'], ['0.8.268']);
  });
  it('Neuron 2.31.0: page date 2026-07-07 used, the rn.rst heading 2026-05-21 kept as a conflict', () => {
    const r = neuron.release('2.31.0')!;
    assert.equal(r.date, '2026-07-07');
    assert.deepEqual(r.otherDates, ['2026-05-21']);
    assert.match(r.dateNote ?? '', /05\/21\/2026/);
    assert.deepEqual(neuron.release('2.12.2')!.otherDates, ['2023-08-20']);
  });
  it('Neuron 1.x line: 1.12.0 (2021-01-30) shipped torch-neuron 1.5.1.1.2.3.0 and 1.7.1.1.2.3.0 for Inf1', () => {
    const r = neuron.release('1.12.0')!;
    assert.deepEqual([r.date, r.line, r.instances], ['2021-01-30', 'neuron1', ['inf1']]);
    assert.deepEqual(r.packages['torch-neuron'], ['1.5.1.1.2.3.0', '1.7.1.1.2.3.0']);
    assert.deepEqual(r.packages['neuron-cc'], ['1.2.2.0']);
    assert.equal(neuron.release('1.0.0')!.dateSource, 'neuron-git-tags');
    assert.equal(neuron.release('1.12.3')!.date, undefined);
  });
  it('mx_neuron and mxnet_neuron keep their own names, under PEP 503 keys', () => {
    assert.deepEqual(versions(neuron.neuronRelease('mx_neuron', '1.8.0.1.1.2.0')), ['1.13.0']);
    assert.deepEqual(neuron.package('mx_neuron')?.spellings, ['mx_neuron']);
    assert.deepEqual(neuron.package('mxnet-neuron')?.spellings, ['mxnet-neuron', 'mxnet_neuron']);
  });
  it('Neuron 2.32.0 lists no torch-neuronx; 2.31.1 is the last that does', () => {
    assert.equal(neuron.release('2.32.0')!.packages['torch-neuronx'], undefined);
    assert.deepEqual(neuron.release('2.31.1')!.packages['torch-neuronx'], ['2.9.0.2.15.32035']);
  });
  it('merges both manifests for 2.3.0-2.8.0 and says which entries only one has', () => {
    const r = neuron.release('2.6.0')!;
    assert.deepEqual(r.sources, ['neuron-n2-manifest', 'neuron-releases-manifest']);
    assert.ok(r.onlyIn['neuron-releases-manifest'].includes('torch-neuron 1.12.1.2.5.8.0'));
    assert.deepEqual(r.packages['torch-neuron'], ['1.7.1.2.5.8.0', '1.8.1.2.5.8.0', '1.9.1.2.5.8.0', '1.10.2.2.5.8.0', '1.11.0.2.5.8.0', '1.12.1.2.5.8.0']);
  });
  it('PyTorch 2.7/2.8: announced 2026-02-26, last release 2.28, no longer supported from 2.29.0 (2026-04-09)', () => {
    const a = neuron.announcements().find((x) => x.id === 'announce-eos-pytorch-2-7-2-8')!;
    assert.deepEqual([a.kind, a.announced, a.lastRelease, a.effectiveRelease], ['end-of-support', '2026-02-26', '2.28', undefined]);
    assert.deepEqual(neuron.supportEnd(a), { release: neuron.release('2.29.0'), date: '2026-04-09' });
    const b = neuron.announcements().find((x) => x.id === 'announce-no-longer-support-pytorch-2-7-2-8')!;
    assert.deepEqual([b.kind, b.announced, b.effectiveRelease], ['no-longer-supported', '2026-03-30', '2.29.0']);
  });
  it('Python 3.8: intent 2024-12-20, then no longer supported starting with 2.22.0', () => {
    const found = neuron.announcementsFor({ python: 'py38' });
    assert.deepEqual(found.map((a) => [a.kind, a.announced, a.effectiveRelease]), [
      ['intent', '2024-12-20', undefined],
      ['no-longer-supported', '2025-04-03', '2.22.0'],
    ]);
  });
  it('conda packages ended with 1.14.0; 1.13.0 shipped the last ones', () => {
    assert.deepEqual([neuron.conda.lastRelease, neuron.conda.endedWith, neuron.conda.announced], ['1.13.0', '1.14.0', '2021-05-28']);
    assert.deepEqual(neuron.conda.packages['torch-neuron'], ['1.7.1.1.3.5.0']);
  });
  it('an announced release that was never published resolves to the next one (1.20.0 -> 2.3.0)', () => {
    const a = neuron.announcements().find((x) => x.id === 'eol-ncgs-env_2')!;
    assert.equal(a.effectiveRelease, '1.20.0');
    assert.equal(neuron.supportEnd(a).release?.version, '2.3.0');
    const future = neuron.announcements().find((x) => x.id === 'announce-maintenance-gpsimd-customop-lib')!;
    assert.deepEqual(neuron.supportEnd(future), { release: undefined, date: undefined });
  });
});

describe('NeuronReleases queries', () => {
  it('latest(asOf) is the newest release dated on or before the day', () => {
    assert.equal(neuron.latest('2026-07-06')?.version, '2.30.0');
    assert.equal(neuron.latest('2026-07-07')?.version, '2.31.0');
    assert.equal(neuron.latest('2019-01-01'), undefined);
    assert.equal(neuron.latest()?.version, '2.32.0');
  });
  it('releasesAllowing takes a predicate such as a PEP 440 specifier', () => {
    const r = neuron.releasesAllowing('torch-neuronx', (v) => satisfies(v, '==2.7.*'));
    assert.deepEqual(versions(r), ['2.24.0', '2.24.1', '2.25.0', '2.26.0', '2.26.1', '2.27.0', '2.27.1', '2.28.0', '2.28.1']);
    assert.deepEqual(neuron.releasesAllowing('torch-neuronx', () => false), []);
    assert.deepEqual(neuron.releasesAllowing('not-a-package', () => true), []);
  });
  it('neuronRelease treats equal PEP 440 spellings alike and unknown versions as none', () => {
    assert.deepEqual(versions(neuron.neuronRelease('tensorflow-neuron', '1.15.5.2.3.0.0')), versions(neuron.neuronRelease('tensorflow-neuron', '1.15.5.2.3.0')));
    assert.ok(neuron.neuronRelease('tensorflow-neuron', '1.15.5.2.3.0').length > 0);
    assert.deepEqual(neuron.neuronRelease('torch-neuronx', '9.9.9'), []);
  });
  it('isNeuronPackage knows Neuron names in any spelling, not shared or foreign ones', () => {
    for (const n of ['torch-neuronx', 'neuronx_cc', 'NeuronX-Distributed', 'aws-neuronx-dkms', 'jax_neuronx', 'nki', 'vllm-neuron', 'libneuronxla']) assert.ok(neuron.isNeuronPackage(n), n);
    for (const n of ['torch', 'torch-xla', 'efa-installer', 'tensorflow']) assert.equal(neuron.isNeuronPackage(n), false, n);
  });
  it('announcementsForPackage adds the framework part and respects instance families', () => {
    const x = neuron.announcementsForPackage('torch-neuronx', '2.7.0.2.12.22436').map((a) => a.id);
    assert.ok(x.includes('announce-no-longer-support-pytorch-2-7-2-8'));
    assert.ok(!x.includes('announce-no-longer-support-pytorch-113'));
    // torch-neuron runs on Inf1: PyTorch 1.13 for Trn/Inf2 does not apply to it.
    assert.deepEqual(neuron.announcementsForPackage('torch-neuron', '1.13.1.2.9.74.0'), []);
    const v19 = neuron.announcementsForPackage('torch-neuron', '1.9.1.2.5.8.0').map((a) => a.id);
    assert.ok(v19.includes('announce-no-support-torch-neuron-versions'));
    assert.ok(!neuron.announcementsForPackage('torch-neuron', '1.10.2.2.5.8.0').some((a) => a.id === 'announce-eos-pytorch-1-9'));
  });
  it('announcementsFor matches OS, instance and feature spellings', () => {
    assert.ok(neuron.announcementsFor({ os: 'Ubuntu 20.04' }).some((a) => a.id === 'announce-no-support-ubuntu-20-base'));
    assert.ok(neuron.announcementsFor({ os: 'ubuntu18' }).some((a) => a.id === 'announce-eol-ubuntu-18'));
    assert.ok(neuron.announcementsFor({ instance: 'ml.inf1.xlarge' }).some((a) => a.id === 'announce-eos-inf1-virtual-environments'));
    assert.ok(neuron.announcementsFor({ feature: 'neuroncore_group_sizes' }).length >= 2);
    assert.deepEqual(neuron.announcementsFor({ framework: 'pytorch', version: '2.10.0' }), []);
  });
});

describe('frameworkPartOf', () => {
  it('splits the framework builds of the issue', () => {
    assert.deepEqual(frameworkPartOf('torch-neuronx', '2.1.2.2.3.0'), { framework: 'pytorch', version: '2.1.2', neuronPart: '2.3.0', offsets: { version: [0, 5], neuronPart: [6, 11] } });
    assert.equal(frameworkPartOf('tensorflow-neuron', '1.15.5.2.8.9.0')?.version, '1.15.5');
    assert.deepEqual([frameworkPartOf('torch_neuron', '1.13.1.2.9.74.0')?.version, frameworkPartOf('torch_neuron', '1.13.1.2.9.74.0')?.neuronPart], ['1.13.1', '2.9.74.0']);
    assert.deepEqual(frameworkPartOf('torch-neuronx', ' 2.1.2.*')?.offsets, { version: [1, 6], neuronPart: [7, 8] });
    assert.equal(frameworkPartOf('mx_neuron', '1.8.0.2.2.2.0')?.framework, 'mxnet');
  });
  it('returns undefined for other packages and incomplete versions', () => {
    assert.equal(frameworkPartOf('torch', '2.1.2.2.3.0'), undefined);
    assert.equal(frameworkPartOf('neuronx-cc', '2.11.0.34'), undefined);
    assert.equal(frameworkPartOf('torch-neuronx', '2.1.*'), undefined);
    assert.equal(frameworkPartOf('torch-neuronx', '2.1.2'), undefined);
    assert.equal(frameworkPartOf('jax-neuronx', '0.1.1'), undefined);
  });
  it('never throws; offsets lie inside the text and slice to the parts', () => {
    const names = fc.constantFrom('torch-neuronx', 'torch_neuron', 'tensorflow-neuron', 'mx-neuron', 'jax-neuronx', 'neuronx-cc', '');
    const versionLike = fc.oneof(
      fc.string(),
      fc.array(fc.oneof(fc.nat(30).map(String), fc.constantFrom('*', 'b0', '+x', ' ', ',', '')), { maxLength: 9 }).map((xs) => xs.join('.')),
    );
    fc.assert(
      fc.property(names, versionLike, (name, text) => {
        const part = frameworkPartOf(name, text);
        if (!part) return;
        const [vs, ve] = part.offsets.version;
        const [ns, ne] = part.offsets.neuronPart;
        assert.ok(vs >= 0 && vs < ve && ve < ns && ns < ne && ne <= text.length);
        assert.equal(text.slice(vs, ve), part.version);
        assert.equal(text.slice(ns, ne), part.neuronPart);
        assert.equal(text[ve], '.');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('version comparators', () => {
  it('order an epoch before the release numbers (PEP 440)', () => {
    assert.equal(comparePackageVersions('1!0', '2'), 1);
    assert.equal(comparePackageVersions('2.1.2', '1!1.0'), -1);
    assert.equal(comparePackageVersions('0!2.1', '2.1.0'), 0);
  });
  it('never throw and agree with PEP 440 on valid versions', () => {
    const v = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom('', '', '1!', '2!'), fc.array(fc.nat(40), { minLength: 1, maxLength: 8 }), fc.constantFrom('', 'b0', 'rc1', '+torchneuron7', '+torchneurona', '.post1')).map(([e, xs, s]) => e + xs.join('.') + s),
    );
    fc.assert(
      fc.property(v, v, (a, b) => {
        const c = comparePackageVersions(a, b);
        assert.ok(Math.sign(c) === -Math.sign(comparePackageVersions(b, a)), `${a} vs ${b} not antisymmetric`);
        if (valid(a) && valid(b) && !/\.post/.test(a + b)) assert.ok(Math.sign(c) === Math.sign(compare(a, b)), `${a} vs ${b}`);
        compareSdkVersions(a, b);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseNeuronFile errors', () => {
  type Edit = (r: Record<string, any>) => void;
  const edited = (edit: Edit) => [raw()].map((r) => (edit(r), r))[0];
  /** A thunk parsing the committed file after `edit`. */
  const bad = (edit: Edit) => () => parseNeuronFile(edited(edit), 'neuron.toml');
  it('names the key path of schema errors', () => {
    assert.throws(bad((r) => { r.releases[3].date = '2020-02-30'; }), /^CatalogError: neuron\.toml: releases\[3\]\.date: must be a calendar day/);
    assert.throws(bad((r) => { r.releases[20].packages['Torch_Neuron'] = ['1.0']; }), /releases\[20\]\.packages\.Torch_Neuron: must be a PEP 503-normalised name/);
    assert.throws(bad((r) => { r.announcements[0].subjects = [{ python: '3.8', os: 'ubuntu20.04' }]; }), /announcements\[0\]\.subjects\[0\]: a python subject cannot have os/);
    assert.throws(bad((r) => { r.announcements[0].subjects = [{ scope: 'dlami' }]; }), /a subject needs one of/);
  });
  it('reports dangling references', () => {
    assert.throws(bad((r) => { r.releases[5].date_source = 'nowhere'; }), (e: unknown) => e instanceof CatalogError && /releases\[5\]\.date_source: unknown source id "nowhere"/.test(e.message));
    assert.throws(bad((r) => { r.releases[30].packages['not-listed'] = ['1.0']; }), /package "not-listed" is not in \[packages\]/);
    assert.throws(bad((r) => { r.releases.push({ ...r.releases[0] }); }), /releases\[90\]\.version: 1\.0\.0 is not after 2\.32\.0/);
    assert.throws(bad((r) => { r.announcements[1].id = r.announcements[0].id; }), /duplicate id/);
    assert.throws(bad((r) => { r.conda.last_release = '1.13.9'; }), /conda: release 1\.13\.9 is not in \[\[releases\]\]/);
  });
});
