import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Located, Range, ScanResult, SdkFrameworkReference } from '../../../server/src/model';
import { fileKindForPath } from '../../../server/src/scanners/fileKinds';
import { mayReferenceSageMaker, PYTHON_PARSER_NOT_LOADED, scanPython } from '../../../server/src/scanners/python/sagemakerSdk';
import { initPythonParser } from '../../../server/src/scanners/python/treeSitter';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'python');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const sdkRefs = (r: ScanResult) => r.references.filter((x): x is SdkFrameworkReference => x.kind === 'sdk-framework');
const sliceOf = (text: string, range: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(range.start), idx.offsetAt(range.end));
};
/** The located value's text is exactly what the file holds at its range. */
const at = (text: string, l: Located | undefined) => {
  assert.ok(l, 'value expected');
  assert.equal(sliceOf(text, l.range), l.text);
  return l.text;
};
/** One line per SDK reference: callee, framework, job and the argument values. */
const summary = (r: ScanResult) =>
  sdkRefs(r).map((x) => {
    const s = x.sdk;
    const parts = [s.call, s.framework || '-', s.job ?? '-'];
    if (s.frameworkVersion) parts.push(`fv=${s.frameworkVersion.text}`);
    if (s.baseFrameworkVersion) parts.push(`${s.baseFrameworkVersion.framework}=${s.baseFrameworkVersion.text}`);
    if (s.transformersVersion) parts.push(`tv=${s.transformersVersion.text}`);
    if (s.pyVersion) parts.push(`py=${s.pyVersion.text}`);
    if (s.instanceType) parts.push(`it=${s.instanceType.text}`);
    if (s.acceleratorType) parts.push(`acc=${s.acceleratorType.text}`);
    if (s.resolvedFrom) parts.push(`from=${s.resolvedFrom.map((f) => f.name).join(',')}`);
    return parts.join(' ');
  });

describe('SageMaker SDK scanner', () => {
  before(async () => {
    await initPythonParser();
  });

  it('notes (does not judge) a repository string that ends untagged where a tag is appended in code', () => {
    const text = [
      'def get_image_uri(region, pytorch_version):',
      '    repository = f"{region_dict[region]}.dkr.ecr.{region}.amazonaws.com/huggingface-pytorch-inference"',
      '    return f"{repository}:{pytorch_version}-cpu-py38"',
      'IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker"',
      'UNTAGGED_IN_TEXT = "docker pull 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training --quiet"',
      '',
    ].join('\n');
    const r = scanPython(text, catalog);
    assert.deepEqual(r.references.map((x) => [x.range.start.line, x.kind === 'container-image' ? x.image.tag?.text : undefined]), [
      [3, '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker'],
      [4, undefined],
    ]);
    // seen and said, not judged as an untagged image
    assert.deepEqual(r.notes.map((n) => [n.range.start.line, n.message]), [[1, 'the tag of the huggingface-pytorch-inference image is not in this string (the code adds it): the image cannot be judged here']]);
  });

  it('registers *.py as the python file kind', () => {
    assert.equal(fileKindForPath('src/train.py')?.id, 'python');
    assert.equal(fileKindForPath('src/train.pyc'), undefined);
  });

  it('reads every call form of the fixture: names, aliases, attribute access, constants, retrieve, the LLM image function', () => {
    const text = fixture('estimators.py');
    const r = scanPython(text, catalog);
    assert.deepEqual(summary(r), [
      'PyTorch pytorch training fv=1.8.0 py=py36 it=ml.p3.2xlarge from=FRAMEWORK_VERSION,PY_VERSION',
      'PT pytorch training fv=2.9 py=py312',
      'sagemaker.tensorflow.TensorFlow tensorflow training fv=2.14.1 py=py310',
      'smx.MXNet mxnet training fv=1.9.0 py=py38',
      'estimator.PyTorch pytorch training fv=1.8.0 py=py3 from=ALIAS_VERSION,FRAMEWORK_VERSION',
      'PyTorchModel pytorch inference fv=2.6.0 py=py312 from=version',
      'model.deploy - - acc=ml.eia2.medium',
      'HuggingFace huggingface training pytorch=1.13 tv=4.26 py=py39',
      'HuggingFaceModel huggingface inference tensorflow=2.14.1 tv=4.37.0 py=py310',
      'Chainer chainer training fv=5.0.0 py=py3',
      'image_uris.retrieve pytorch inference fv=1.13 py=py39 it=ml.g4dn.xlarge',
      'sagemaker.image_uris.retrieve tensorflow training fv=2.3 py=py37',
      'get_uri huggingface training pytorch=1.13.1 tv=4.26.0',
      'get_huggingface_llm_image_uri huggingface-llm inference fv=1.0.3',
      'PyTorch pytorch training it=ml.p3.2xlarge',
    ]);
    assert.deepEqual(r.notes, []);
  });

  it('each argument has its own range: the string content inside the quotes; constants point at their literal', () => {
    const text = fixture('estimators.py');
    const [byName, aliased] = sdkRefs(scanPython(text, catalog));
    // framework_version=FRAMEWORK_VERSION resolves to `FRAMEWORK_VERSION = "1.8.0"` (line 12)
    assert.deepEqual(byName.sdk.frameworkVersion!.range, { start: { line: 12, character: 21 }, end: { line: 12, character: 26 } });
    assert.equal(at(text, byName.sdk.frameworkVersion), '1.8.0');
    assert.equal(at(text, byName.sdk.pyVersion), 'py36');
    assert.deepEqual(byName.sdk.resolvedFrom, [
      { name: 'FRAMEWORK_VERSION', range: { start: { line: 12, character: 0 }, end: { line: 12, character: 17 } } },
      { name: 'PY_VERSION', range: { start: { line: 13, character: 0 }, end: { line: 13, character: 10 } } },
    ]);
    assert.equal(byName.text, 'PyTorch');
    assert.deepEqual(byName.range, { start: { line: 17, character: 10 }, end: { line: 17, character: 17 } });
    assert.equal(sliceOf(text, byName.sdk.callRange), 'PyTorch');
    // a literal argument: the range is inside the quotes on the call's line
    assert.equal(aliased.sdk.frameworkVersion!.range.start.line, 20);
    assert.equal(at(text, aliased.sdk.frameworkVersion), '2.9');
    assert.equal(text.split('\n')[20].slice(aliased.sdk.frameworkVersion!.range.start.character - 1, aliased.sdk.frameworkVersion!.range.end.character + 1), '"2.9"');
  });

  it('Hugging Face: the base framework version of base_framework_version="pytorch1.13.1" is located after the framework name', () => {
    const text = fixture('estimators.py');
    const getUri = sdkRefs(scanPython(text, catalog)).find((x) => x.sdk.call === 'get_uri')!;
    assert.equal(at(text, getUri.sdk.baseFrameworkVersion), '1.13.1');
    assert.equal(getUri.subject, 'huggingface-pytorch');
    assert.equal(getUri.version, '1.13.1');
  });

  it('string literals: DLC image URIs (f-string fields are placeholders), DLAMI names and SSM parameter paths', () => {
    const text = fixture('estimators.py');
    const others = scanPython(text, catalog).references.filter((x) => x.kind !== 'sdk-framework');
    assert.deepEqual(
      others.map((x) => [x.kind, x.subject, x.version]),
      [
        ['container-image', 'pytorch', '1.8.0'],
        ['container-image', 'tensorflow', '2.3.1'],
        ['dlami', 'gpu-pytorch', '1.13.1'],
        ['dlami', 'oss-nvidia-driver-gpu-pytorch', '2.1'],
      ],
    );
    for (const x of others) assert.equal(sliceOf(text, x.range), x.text);
    const templated = others[1];
    assert.ok(templated.kind === 'container-image' && templated.image.account?.placeholder && templated.image.account.text === '{account}');
  });

  it('lookalikes are not matched: local definitions, other modules, attribute calls on other objects, bare retrieve, keyword arguments of other calls', () => {
    const r = scanPython(fixture('lookalikes.py'), catalog);
    assert.deepEqual(r.references, []);
    assert.deepEqual(r.notes, []);
  });

  it('a file that mentions no SageMaker, ECR or DLAMI word is not parsed', () => {
    const text = fixture('no_sagemaker.py');
    assert.equal(mayReferenceSageMaker(text), false);
    assert.deepEqual(scanPython(text, catalog), { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] });
    // the same call with the SDK imported is read
    const imported = `from sagemaker.pytorch import PyTorch\n${text.replace(/^def PyTorch[^]*?return kwargs\n/m, '')}`;
    assert.deepEqual(summary(scanPython(imported, catalog)), ['PyTorch pytorch training fv=1.8.0 py=py36']);
    // alwaysParse reads a cell whose import lives elsewhere
    assert.deepEqual(summary(scanPython('est = PyTorch(framework_version="2.1")\n', catalog, { alwaysParse: true })), ['PyTorch pytorch training fv=2.1']);
  });

  it('a name neither imported nor defined is taken as the SDK one; a name imported from elsewhere is not', () => {
    assert.deepEqual(summary(scanPython('import sagemaker\nest = TensorFlow(framework_version="2.3")\n', catalog)), ['TensorFlow tensorflow training fv=2.3']);
    assert.deepEqual(summary(scanPython('import sagemaker\nfrom keras import TensorFlow\nest = TensorFlow(framework_version="2.3")\n', catalog)), []);
    assert.deepEqual(summary(scanPython('import sagemaker\nest = session.PyTorch(framework_version="2.3")\n', catalog)), []);
  });

  it('values that cannot be read are said, not guessed: parameters, constants assigned twice, f-strings, expressions; None is silent', () => {
    const text = fixture('unresolved.py');
    const r = scanPython(text, catalog);
    assert.deepEqual(summary(r), ['PyTorch pytorch training', 'PyTorch pytorch training', 'PyTorch pytorch training']);
    assert.deepEqual(
      r.notes.map((n) => [n.range.start.line, n.message]),
      [
        [9, 'cannot read framework_version of PyTorch: `framework_version` is a parameter; it is not judged'],
        [9, 'cannot read py_version of PyTorch: an f-string with replacement fields; it is not judged'],
        [10, 'cannot read framework_version of PyTorch: `TWICE` is assigned more than once; it is not judged'],
        [10, 'cannot read py_version of PyTorch: `os.environ["PY"]` is not a string literal or a constant of this file; it is not judged'],
      ],
    );
    for (const n of r.notes) assert.ok(sliceOf(text, n.range).length > 0);
  });

  it('same-function constants resolve and shadow module constants; class bodies are not seen from methods', () => {
    const text = [
      'from sagemaker.pytorch import PyTorch',
      'V = "1.8.0"',
      'def f():',
      '    V = "2.1.0"',
      '    return PyTorch(framework_version=V)',
      'class C:',
      '    W = "2.2.0"',
      '    def m(self):',
      '        return PyTorch(framework_version=W)',
      'g = PyTorch(framework_version=V)',
      'A = B = "2.3.0"',
      'h = PyTorch(framework_version=B)',
      '',
    ].join('\n');
    const r = scanPython(text, catalog);
    assert.deepEqual(summary(r), ['PyTorch pytorch training fv=2.1.0 from=V', 'PyTorch pytorch training', 'PyTorch pytorch training fv=1.8.0 from=V', 'PyTorch pytorch training fv=2.3.0 from=B']);
    assert.equal(sdkRefs(r)[0].sdk.frameworkVersion!.range.start.line, 3);
    assert.match(r.notes[0].message, /`W` is not assigned in this file/);
  });

  it('a syntax error loses only its own place: the call after it is still read', () => {
    const text = fixture('broken.py');
    assert.deepEqual(summary(scanPython(text, catalog)), ['PyTorch pytorch training fv=1.10.2 py=py38']);
  });

  it('comments (standalone or trailing) and statements, for suppression comments', () => {
    const text = ['import sagemaker', '# dl-lifecycle: ignore', 'est = sagemaker.pytorch.PyTorch(', '    framework_version="1.8.0",  # trailing', ')', ''].join('\n');
    const r = scanPython(text, catalog);
    assert.deepEqual(
      r.comments.map((c) => [c.text, c.range.start.line, c.standalone]),
      [
        [' dl-lifecycle: ignore', 1, true],
        [' trailing', 3, false],
      ],
    );
    assert.ok(r.statements.some((s) => s.startLine === 2 && s.endLine === 4), 'the whole call statement');
    assert.ok(r.statements.some((s) => s.startLine === 3 && s.endLine === 3), 'the keyword argument');
  });

  it('ranges are UTF-16 LSP positions across non-ASCII text, astral characters and CRLF line ends', () => {
    const text = 'import sagemaker\r\nnote = "é😀"; est = sagemaker.pytorch.PyTorch(framework_version="1.8.0", py_version="py36")\r\n';
    const [ref] = sdkRefs(scanPython(text, catalog));
    const column = text.split('\r\n')[1].indexOf('1.8.0'); // UTF-16 code units: é is 1, 😀 is 2
    assert.equal(column, 65);
    assert.deepEqual(ref.sdk.frameworkVersion!.range, { start: { line: 1, character: 65 }, end: { line: 1, character: 70 } });
    assert.equal(at(text, ref.sdk.pyVersion), 'py36');
  });

  it('escaped and bytes strings are not read as versions', () => {
    const r = scanPython('from sagemaker.pytorch import PyTorch\nPyTorch(framework_version="1.8\\x2e0", py_version=b"py36")\n', catalog);
    assert.deepEqual(summary(r), ['PyTorch pytorch training']);
    assert.deepEqual(r.notes.map((n) => n.message.replace(/^.*: /, '')), ['a string with escape sequences; it is not judged', 'a bytes literal; it is not judged']);
  });
});

describe('SageMaker SDK scanner before the parser is loaded', () => {
  it('returns one note and no references (a fresh process, where nothing loaded the parser)', () => {
    const script = [
      "const { scanPython } = require('./server/src/scanners/python/sagemakerSdk');",
      "const { loadBundledCatalog } = require('./server/src/catalog/load');",
      "const r = scanPython('from sagemaker.pytorch import PyTorch\\nPyTorch(framework_version=\"1.8.0\")\\n', loadBundledCatalog());",
      'process.stdout.write(JSON.stringify(r));',
    ].join('\n');
    const out = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const r = JSON.parse(out.stdout) as ScanResult;
    assert.deepEqual(r.references, []);
    assert.deepEqual(r.notes, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: PYTHON_PARSER_NOT_LOADED }]);
  });

  it('loading twice returns the same promise', async () => {
    const a = initPythonParser();
    assert.equal(initPythonParser(), a);
    await a;
  });
});
