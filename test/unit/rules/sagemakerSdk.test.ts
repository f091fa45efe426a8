import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { AnalysisOptions } from '../../../server/src/analysis';
import { analyzeText } from '../../../server/src/analysis';
import { minorOf } from '../../../server/src/catalog/catalog';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import { publishedCombinations } from '../../../server/src/fixes/sdkVersions';
import type { Finding, SdkFrameworkReference } from '../../../server/src/model';
import { describeReference } from '../../../server/src/rules/describe';
import { fileKindById } from '../../../server/src/scanners/fileKinds';
import { initPythonParser } from '../../../server/src/scanners/python/treeSitter';
import { applyEdits, TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const kind = fileKindById('python')!;
const analyze = (text: string, o: Partial<AnalysisOptions> = {}) => analyzeText(text, 'train.py', kind, catalog, { asOf: AS_OF, ...o });
const rules = (text: string, o: Partial<AnalysisOptions> = {}) => analyze(text, o).findings.map((f) => f.rule);
const one = (text: string, rule: string, o: Partial<AnalysisOptions> = {}): Finding => {
  const found = analyze(text, o).findings.filter((f) => f.rule === rule);
  assert.equal(found.length, 1, `one ${rule} expected, got ${found.length}`);
  return found[0];
};
const slice = (text: string, f: Finding) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(f.range.start), idx.offsetAt(f.range.end));
};
const PT = 'from sagemaker.pytorch import PyTorch, PyTorchModel\n';
const sdkOf = (text: string) => analyze(text).scan.references.filter((r): r is SdkFrameworkReference => r.kind === 'sdk-framework');

/** After a fix: the call's framework version and Python form a published combination, supported at `asOf` (no end-of-patch or Python finding left). */
function assertFixedToPublished(fixed: string, repository: string, o: Partial<AnalysisOptions> = {}): void {
  const a = analyze(fixed, o);
  const [ref] = a.scan.references.filter((r): r is SdkFrameworkReference => r.kind === 'sdk-framework');
  const s = ref.sdk;
  const version = (s.framework === 'huggingface' ? s.baseFrameworkVersion : s.frameworkVersion)!.text;
  const published = publishedCombinations(catalog, repository).some(
    (c) => minorOf(c.frameworkVersion) === minorOf(version) && c.frameworkVersion.startsWith(version) && (!s.pyVersion || c.pyVersion === s.pyVersion.text) && (!s.transformersVersion || c.transformersVersion?.startsWith(s.transformersVersion.text)),
  );
  assert.ok(published, `${version} ${s.pyVersion?.text ?? ''} is published in ${repository}`);
  const left = a.findings.map((f) => f.rule).filter((r) => ['end-of-patch', 'python-end-of-life', 'unsupported-version', 'unknown-version'].includes(r));
  assert.deepEqual(left, [], fixed);
}

describe('SageMaker SDK rules (bundled catalog, asOf 2026-11-21)', () => {
  before(async () => {
    await initPythonParser();
  });

  it('PyTorch(framework_version="1.8.0", py_version="py3"): end of patch on the version; py3 names no Python version and is not judged', () => {
    const text = `${PT}est = PyTorch(entry_point="train.py", framework_version="1.8.0", py_version="py3")\n`;
    assert.deepEqual(rules(text), ['end-of-patch']);
    const f = one(text, 'end-of-patch');
    assert.equal(f.severity, 'warning');
    assert.equal(slice(text, f), '1.8.0');
    assert.equal(f.since, '2022-03-04');
    assert.match(f.message, /^PyTorch 1\.8 reached end of patch on 2022-03-04 \(1723 days ago\); SageMaker images for it get no more security patches/);
    assert.deepEqual(f.fixes.map((x) => [x.title, x.safe, x.preferred]), [['Use PyTorch 2.10.0, py_version py313 (nearest supported: PyTorch 2.10)', false, true]]);
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.equal(fixed, `${PT}est = PyTorch(entry_point="train.py", framework_version="2.10.0", py_version="py313")\n`);
    assertFixedToPublished(fixed, 'pytorch-training');
  });

  it('python-end-of-life on py_version, on the py_version argument, with a combination fix', () => {
    const text = `${PT}est = PyTorch(framework_version="2.9", py_version="py38")\n`;
    assert.deepEqual(rules(text), ['end-of-patch', 'python-end-of-life']);
    const f = one(text, 'python-end-of-life');
    assert.equal(slice(text, f), 'py38');
    assert.equal(f.since, '2024-10-07');
    assert.match(f.message, /^Python 3\.8 \(`py38`\) reached end of life on 2024-10-07 \(775 days ago\); SageMaker images built on it/);
    assert.equal(f.fixes[0].title, 'Use PyTorch 2.10, py_version py313 (nearest with a supported Python: PyTorch 2.10)');
    assertFixedToPublished(applyEdits(text, f.fixes[0].edits), 'pytorch-training');
  });

  it('HuggingFace(transformers_version="4.26", pytorch_version="1.13", py_version="py39"): the base PyTorch version and the Python are judged', () => {
    const text = 'from sagemaker.huggingface import HuggingFace\nhf = HuggingFace(transformers_version="4.26", pytorch_version="1.13", py_version="py39")\n';
    assert.deepEqual(rules(text), ['end-of-patch', 'python-end-of-life']);
    const eop = one(text, 'end-of-patch');
    assert.equal(slice(text, eop), '1.13');
    assert.match(eop.message, /^PyTorch 1\.13 reached end of patch on 2024-10-28/);
    // no Hugging Face PyTorch line is supported on 2026-11-21 (2.9 ended 2026-10-15): no fix is offered
    assert.deepEqual(eop.fixes, []);
    assert.equal(slice(text, one(text, 'python-end-of-life')), 'py39');
  });

  it('Hugging Face fix: transformers, PyTorch and Python versions change together to one published line', () => {
    const text = 'from sagemaker.huggingface import HuggingFace\nhf = HuggingFace(transformers_version="4.26", pytorch_version="1.13", py_version="py39")\n';
    const f = one(text, 'end-of-patch', { asOf: '2025-06-01' });
    assert.equal(f.fixes[0].title, 'Use PyTorch 2.5, transformers 4.49, py_version py311 (nearest supported: PyTorch 2.5)');
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.equal(fixed, 'from sagemaker.huggingface import HuggingFace\nhf = HuggingFace(transformers_version="4.49", pytorch_version="2.5", py_version="py311")\n');
    assertFixedToPublished(fixed, 'huggingface-pytorch-training', { asOf: '2025-06-01' });
  });

  it('instance_type="ml.eia2.medium" and accelerator_type on deploy(): discontinued (Amazon Elastic Inference), on the value', () => {
    const text = `${PT}est = PyTorch(framework_version="2.10.0", py_version="py313", instance_type="ml.eia2.medium")\np = model.deploy(initial_instance_count=1, accelerator_type="ml.eia1.large")\n`;
    const found = analyze(text).findings.filter((f) => f.rule === 'discontinued');
    assert.deepEqual(found.map((f) => slice(text, f)), ['ml.eia2.medium', 'ml.eia1.large']);
    assert.match(found[0].message, /^`ml\.eia2\.medium` belongs to Amazon Elastic Inference, which is discontinued since 2024-04/);
    assert.equal(found[0].since, '2024-04-01');
    assert.equal(found[0].severity, 'warning');
    // an ordinary instance type is nothing
    assert.deepEqual(rules(`${PT}est = PyTorch(framework_version="2.10.0", py_version="py313", instance_type="ml.g5.xlarge")\n`), ['end-of-patch-soon']);
  });

  it('Chainer and MXNet calls are discontinued (on the callee); MXNet versions also get end of patch', () => {
    const chainer = 'from sagemaker.chainer import Chainer\nChainer(entry_point="t.py", framework_version="5.0.0", py_version="py3")\n';
    const f = one(chainer, 'discontinued');
    assert.equal(slice(chainer, f), 'Chainer');
    assert.match(f.message, /^Chainer\(…\) belongs to Chainer, which is discontinued since 2019-12-05/);
    const mxnet = 'import sagemaker\nsagemaker.mxnet.MXNet(framework_version="1.9.0", py_version="py38")\n';
    assert.deepEqual(rules(mxnet), ['discontinued', 'end-of-patch', 'python-end-of-life']);
  });

  it('the job decides the end of patch: PyTorch 2.6 training images ended 2026-01-29, inference images 2026-06-30', () => {
    const train = `${PT}PyTorch(framework_version="2.6.0", py_version="py312")\n`;
    const model = `${PT}PyTorchModel(model_data="s3://b/m", framework_version="2.6.0", py_version="py312")\n`;
    assert.equal(one(train, 'end-of-patch', { asOf: '2026-03-01' }).endOfPatch, '2026-01-29');
    assert.ok(!rules(model, { asOf: '2026-03-01' }).includes('end-of-patch'));
    const inf = one(model, 'end-of-patch');
    assert.equal(inf.endOfPatch, '2026-06-30');
    assert.match(inf.message, /^PyTorch 2\.6 \(inference images\) reached end of patch on 2026-06-30/);
    // image_uris.retrieve takes the job from image_scope
    const retrieve = 'from sagemaker import image_uris\nimage_uris.retrieve(framework="pytorch", region="us-east-1", version="2.6.0", py_version="py312", image_scope="inference")\n';
    assert.equal(one(retrieve, 'end-of-patch').endOfPatch, '2026-06-30');
  });

  it('end-of-patch-soon within the window; superseded-patch when the later patch is published for the repository', () => {
    const soon = one(`${PT}PyTorch(framework_version="2.10.0", py_version="py313")\n`, 'end-of-patch-soon');
    assert.equal(soon.severity, 'information');
    assert.match(soon.message, /^PyTorch 2\.10 ends patch support on 2027-01-21 \(in 61 days\)/);
    const text = `${PT}PyTorch(framework_version="2.5.0", py_version="py311")\n`;
    assert.deepEqual(rules(text, { asOf: '2025-06-01' }), ['superseded-patch']);
    const f = one(text, 'superseded-patch', { asOf: '2025-06-01' });
    assert.equal(f.severity, 'hint');
    assert.match(f.message, /^PyTorch 2\.5\.0 is superseded by 2\.5\.1 \(released by 2024-10-30\)/);
    assert.equal(applyEdits(text, f.fixes[0].edits), `${PT}PyTorch(framework_version="2.5.1", py_version="py311")\n`);
    // `2.5` means the newest patch to the SDK: not superseded
    assert.deepEqual(rules(`${PT}PyTorch(framework_version="2.5", py_version="py311")\n`, { asOf: '2025-06-01' }), []);
  });

  it('unknown and unsupported versions', () => {
    assert.deepEqual(rules(`${PT}PyTorch(framework_version="9.9.0", py_version="py312")\n`), ['unknown-version']);
    const f = one(`${PT}PyTorch(framework_version="0.4.0")\n`, 'unsupported-version');
    assert.match(f.message, /older than every version in the support table/);
  });

  it('a value from a constant: the finding and the fix are on the constant literal', () => {
    const text = `${PT}FRAMEWORK_VERSION = "1.8.0"\nPY = "py36"\nest = PyTorch(framework_version=FRAMEWORK_VERSION, py_version=PY)\n`;
    const f = one(text, 'end-of-patch');
    assert.equal(f.range.start.line, 1);
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.equal(fixed, `${PT}FRAMEWORK_VERSION = "2.10.0"\nPY = "py313"\nest = PyTorch(framework_version=FRAMEWORK_VERSION, py_version=PY)\n`);
    assertFixedToPublished(fixed, 'pytorch-training');
  });

  it('without py_version only the framework version changes, and the fix says which Python it is published with', () => {
    const text = `${PT}PyTorch(framework_version="1.8")\n`;
    const f = one(text, 'end-of-patch');
    assert.equal(f.fixes[0].title, 'Use PyTorch 2.10 (nearest supported: PyTorch 2.10; published with py313: check the default py_version)');
    assert.equal(applyEdits(text, f.fixes[0].edits), `${PT}PyTorch(framework_version="2.10")\n`);
  });

  it('what the scanner could not read is an unresolved-reference hint; a suppression comment silences a finding', () => {
    const text = `${PT}def f(v):\n    return PyTorch(framework_version=v)\n`;
    const f = one(text, 'unresolved-reference');
    assert.equal(f.severity, 'hint');
    assert.equal(f.message, 'Cannot read framework_version of PyTorch: `v` is a parameter; it is not judged.');
    const suppressed = `${PT}# dl-lifecycle: ignore end-of-patch\nPyTorch(framework_version="1.8.0", py_version="py3")\n`;
    assert.deepEqual(rules(suppressed), []);
    const inside = `${PT}PyTorch(\n    # dl-lifecycle: ignore end-of-patch\n    framework_version="1.8.0",\n    py_version="py36",\n)\n`;
    assert.deepEqual(rules(inside), ['python-end-of-life']);
  });

  it('hover: the framework version lifecycle, the py_version end of life, the published combinations', () => {
    const text = `${PT}PyTorch(framework_version="1.8.0", py_version="py36")\n`;
    const a = analyze(text);
    const d = describeReference(a.scan.references[0], a.context)!;
    assert.equal(d.title, 'PyTorch 1.8 (SageMaker SDK PyTorch, training)');
    assert.equal(d.status, '⚠ End of patch reached 1723 days ago.');
    const facts = Object.fromEntries(d.facts.map((x) => [x.label, x.value]));
    assert.equal(facts['PyTorch 1.8 end of patch'], '2022-03-04 (1723 days ago)');
    assert.equal(facts['Python 3.6 end of life'], '2021-12-23 (1794 days ago)');
    assert.equal(facts['Published in pytorch-training for PyTorch 1.8'], '1.8.0 py3, 1.8.0 py36, 1.8.1 py3, 1.8.1 py36');
    assert.equal(facts['Supported combinations'], '2.10.0 py313');
  });

  it('the fixture file: every SDK finding lies on an argument or callee of its call', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'fixtures', 'python', 'estimators.py'), 'utf8');
    const a = analyze(text);
    for (const f of a.findings) {
      if (f.reference?.kind !== 'sdk-framework') continue;
      const s = f.reference.sdk;
      const allowed = [s.callRange, s.frameworkVersion?.range, s.baseFrameworkVersion?.range, s.pyVersion?.range, s.instanceType?.range, s.acceleratorType?.range];
      assert.ok(allowed.some((r) => r && JSON.stringify(r) === JSON.stringify(f.range)), `${f.rule} at ${JSON.stringify(f.range)}`);
    }
    assert.ok(a.findings.some((f) => f.reference?.kind === 'container-image' && f.rule === 'end-of-patch'), 'the image URI string is judged by the image rules');
  });

  it('property: every fix re-scans to a published combination supported at asOf', () => {
    const combos = publishedCombinations(catalog, 'pytorch-training').filter((c) => c.pyVersion && /^py\d{2,3}$/.test(c.pyVersion));
    const tf = publishedCombinations(catalog, 'tensorflow-inference').filter((c) => c.pyVersion && /^py\d{2,3}$/.test(c.pyVersion));
    const call = fc.oneof(
      fc.constantFrom(...combos).map((c) => ({ c, cls: 'PyTorch', repo: 'pytorch-training', imp: PT })),
      fc.constantFrom(...tf).map((c) => ({ c, cls: 'TensorFlowModel', repo: 'tensorflow-inference', imp: 'from sagemaker.tensorflow import TensorFlowModel\n' })),
    );
    fc.assert(
      fc.property(call, fc.boolean(), fc.constantFrom('2025-01-15', '2025-09-01', AS_OF), ({ c, cls, repo, imp }, withPy, asOf) => {
        const text = `${imp}x = ${cls}(framework_version="${c.frameworkVersion}"${withPy ? `, py_version="${c.pyVersion}"` : ''})\n`;
        for (const f of analyze(text, { asOf }).findings) {
          assert.ok(!f.fixes.some((x) => x.safe), 'SDK fixes are never safe');
          if (!['end-of-patch', 'end-of-patch-soon', 'python-end-of-life', 'unsupported-version'].includes(f.rule)) continue;
          for (const fix of f.fixes) assertFixedToPublished(applyEdits(text, fix.edits), repo, { asOf });
        }
      }),
      { numRuns: 120 },
    );
  });

  it('the scanner reports what the rules need (sanity: the call and its arguments)', () => {
    const [ref] = sdkOf(`${PT}PyTorch(framework_version="2.1.0", py_version="py310")\n`);
    assert.equal(ref.subject, 'pytorch');
    assert.equal(ref.version, '2.1.0');
  });
});
