import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCatalog, loadBundledCatalog, parseCatalog, CatalogError, readBundledParts } from '../../server/src/catalog/load';
import { addDays, daysBetween, isCalendarDay } from '../../server/src/dates';
import { resolveAsOf } from '../../server/src/asOf';
import { SYNTHETIC_TOML } from '../fixtures/catalog';

describe('bundled catalog', () => {
  const catalog = loadBundledCatalog();

  it('loads, validates and covers PyTorch from 1.0, TensorFlow from 1.13 and MXNet from 1.4', () => {
    assert.ok(isCalendarDay(catalog.generated));
    assert.equal(catalog.frameworkVersions('pytorch')[0].version, '1.0');
    assert.equal(catalog.frameworkVersions('tensorflow')[0].version, '1.13');
    assert.equal(catalog.frameworkVersions('mxnet')[0].version, '1.4');
  });

  it('has every part (images, lifecycle, neuron), each valid, and parts validate on first use', () => {
    assert.doesNotThrow(() => catalog.validateAllParts());
    assert.ok(catalog.images?.isPublished('pytorch-training', '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker'));
    assert.equal(catalog.lifecycle?.pythonEol('py38')?.endOfLife, '2024-10-07');
    assert.ok(catalog.neuron?.release('2.15.0'));
    const broken = readBundledParts().parts;
    const lazy = buildCatalog({ ...broken, neuron: { ...broken.neuron, releases: 'not a list' } });
    assert.equal(lazy.frameworkVersion('pytorch', '1.13')?.endOfPatch, '2024-10-28', 'frameworks work without touching the other parts');
    assert.throws(() => lazy.neuron, (e: unknown) => e instanceof CatalogError && /neuron\.toml: releases: /.test(e.message));
    assert.throws(() => lazy.validateAllParts(), CatalogError);
  });

  it('derives the Hugging Face DLC lines (transformers × framework version) from the published tags', () => {
    const lines = catalog.huggingFaceLines();
    const line = lines.find((l) => l.repository === 'huggingface-pytorch-training' && l.frameworkVersion === '2.1.0' && l.transformersVersion === '4.36.0');
    assert.ok(line, `no huggingface-pytorch-training 4.36.0 on PyTorch 2.1.0 among ${lines.length} lines`);
    assert.equal(line.framework, 'pytorch');
    assert.ok(line.tags.includes('2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04'));
    assert.ok(lines.some((l) => l.framework === 'tensorflow'));
    assert.ok(lines.every((l) => l.tags.every((t) => t.includes(`transformers${l.transformersVersion}`))));
  });

  it('gives PyTorch 2.6 inference images their longer end of patch', () => {
    const v26 = catalog.frameworkVersion('pytorch', '2.6')!;
    assert.equal(catalog.endOfPatch(v26, 'training'), '2026-01-29');
    assert.equal(catalog.endOfPatch(v26, 'inference'), '2026-06-30');
    assert.equal(catalog.endOfPatch(catalog.frameworkVersion('pytorch', '2.5')!, 'inference'), catalog.frameworkVersion('pytorch', '2.5')!.endOfPatch);
  });

  it('holds the published and derived end-of-patch dates with their basis and source', () => {
    const v = (fw: string, minor: string) => catalog.frameworkVersion(fw, minor)!;
    assert.deepEqual([v('pytorch', '1.13').endOfPatch, v('pytorch', '1.13').endOfPatchBasis], ['2024-10-28', 'table']);
    assert.deepEqual([v('pytorch', '2.10').endOfPatch, v('tensorflow', '2.21').endOfPatch], ['2027-01-21', '2027-07-10']);
    assert.deepEqual([v('mxnet', '1.9').endOfPatch, v('mxnet', '1.9').endOfPatchBasis], ['2022-11-04', 'release-plus-365']);
    assert.equal(v('pytorch', '2.6').endOfPatchInference, '2026-06-30');
    for (const fw of ['pytorch', 'tensorflow', 'mxnet']) {
      for (const x of catalog.frameworkVersions(fw)) {
        if (x.endOfPatchBasis === 'release-plus-365') assert.equal(x.endOfPatch, addDays(x.ga!, 365), `${fw} ${x.version}`);
        if (x.endOfPatch) assert.ok(catalog.source(x.endOfPatchSource), `${fw} ${x.version} source`);
        if (x.ga && x.endOfPatch) assert.ok(daysBetween(x.ga, x.endOfPatch) >= 365, `${fw} ${x.version} EOP before GA + 1 year`);
      }
    }
  });

  it('knows the aliases of the issue and no lookalikes', () => {
    for (const [pkg, fw] of [['torch', 'pytorch'], ['pytorch', 'pytorch'], ['tensorflow', 'tensorflow'], ['tensorflow-gpu', 'tensorflow'], ['tensorflow-cpu', 'tensorflow'], ['mxnet', 'mxnet'], ['mxnet-cu112', 'mxnet']]) {
      assert.equal(catalog.frameworkForPackage(pkg)?.id, fw, pkg);
    }
    for (const pkg of ['torchvision', 'torchaudio', 'tensorboard', 'tensorflow-datasets', 'tensorflow-probability', 'torch-neuronx', 'mxnet-model-server']) {
      assert.equal(catalog.frameworkForPackage(pkg), undefined, pkg);
    }
    assert.ok(catalog.framework('mxnet')!.discontinued);
  });
});

describe('catalog validation', () => {
  it('reports TOML syntax errors with their line', () => {
    assert.throws(() => parseCatalog('[catalog]\nschema_version = 1\ngenerated = \n', 'x.toml'), (e: unknown) => e instanceof CatalogError && /^x\.toml:3:\d+: invalid TOML/.test(e.message));
  });
  it('reports schema errors with the key path', () => {
    const bad = SYNTHETIC_TOML.replace('end_of_patch = "2023-06-28"', 'end_of_patch = "2023-02-30"');
    assert.throws(() => parseCatalog(bad, 'x.toml'), /x\.toml: versions\[0\]\.end_of_patch: must be a calendar day/);
    assert.throws(() => parseCatalog(SYNTHETIC_TOML.replace('version = "1.12"', 'version = "1.12.0"'), 'x.toml'), /versions\[0\]\.version: must be a major\.minor/);
  });
  it('reports dangling source ids, unknown frameworks and misplaced patches', () => {
    assert.throws(() => parseCatalog(SYNTHETIC_TOML.replace('ga_source = "releases"', 'ga_source = "nowhere"'), 'x.toml'), /unknown source id "nowhere"/);
    assert.throws(() => parseCatalog(SYNTHETIC_TOML.replace('framework = "mxnet"', 'framework = "chainer"'), 'x.toml'), /unknown framework "chainer"/);
    assert.throws(() => parseCatalog(SYNTHETIC_TOML.replace('{ version = "1.12.1"', '{ version = "1.11.1"'), 'x.toml'), /1\.11\.1 is not a patch of 1\.12/);
  });
});

describe('dates and asOf', () => {
  it('adds calendar days across leap years', () => {
    assert.equal(addDays('2024-02-29', 365), '2025-02-28');
    assert.equal(addDays('2023-03-01', -1), '2023-02-28');
    assert.equal(daysBetween('2026-11-21', '2027-01-21'), 61);
    assert.equal(isCalendarDay('2025-02-29'), false);
  });
  it('resolves asOf from the setting, or today from the injected clock', () => {
    assert.equal(resolveAsOf('2027-03-31'), '2027-03-31');
    assert.equal(resolveAsOf('', () => new Date('2026-11-21T23:59:59Z')), '2026-11-21');
    assert.throws(() => resolveAsOf('31/03/2027'), RangeError);
  });
});
