import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { PackagePinReference, PythonVersionReference, Range, Reference } from '../../../server/src/model';
import { fileKindById, fileKindForLanguage, fileKindForPath } from '../../../server/src/scanners/fileKinds';
import { parsePoetryConstraint, pinnedMinor } from '../../../server/src/scanners/poetryConstraint';
import { scanPyproject } from '../../../server/src/scanners/pyproject';
import { applyEdits, TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const AS_OF = '2026-11-21';
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'python-envs');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const slice = (text: string, r: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
};
const pins = (refs: Reference[]) => refs.filter((r): r is PackagePinReference => r.kind === 'framework-package-pin');
const pythons = (refs: Reference[]) => refs.filter((r): r is PythonVersionReference => r.kind === 'python-version');
const analyze = (text: string, path = 'pyproject.toml') => analyzeText(text, path, fileKindForPath(path)!, catalog, { asOf: AS_OF });

describe('pyproject.toml file kind', () => {
  it('is chosen by the name pyproject.toml, never by the toml language id', () => {
    assert.equal(fileKindForPath('svc/pyproject.toml')?.id, 'pyproject');
    assert.equal(fileKindForPath('C:\\repo\\PyProject.toml')?.id, 'pyproject');
    assert.equal(fileKindForPath('Cargo.toml'), undefined);
    assert.equal(fileKindForLanguage('toml'), undefined);
    assert.equal(fileKindById('pyproject')?.lineComment, '#');
  });
});

describe('pyproject scanner: PEP 621, optional dependencies and dependency groups', () => {
  const text = fixture('pep621/pyproject.toml');
  const scan = scanPyproject(text, catalog);

  it('finds each framework requirement string with ranges inside the quotes', () => {
    const found = pins(scan.references).map((r) => [r.subject, r.text, slice(text, r.range), r.pin.manager]);
    assert.deepEqual(found, [
      ['pytorch', 'torch==1.13.1', 'torch==1.13.1', 'pip'],
      ['tensorflow', 'tensorflow>=2.4,<2.5', 'tensorflow>=2.4,<2.5', 'pip'],
      ['mxnet', 'mxnet-cu112==1.9.1', 'mxnet-cu112==1.9.1', 'pip'],
      ['pytorch', 'Torch[cpu] (>=2.1,<2.2)', 'Torch[cpu] (>=2.1,<2.2)', 'pip'],
      ['pytorch', 'torch~=2.1.0', 'torch~=2.1.0', 'pip'],
    ]);
    const tf = pins(scan.references)[1];
    assert.deepEqual(tf.pin.clauses.map((c) => slice(text, c.versionRange)), ['2.4', '2.5']);
    assert.equal(slice(text, tf.pin.nameRange), 'tensorflow');
  });

  it('skips [build-system] requires, lookalikes and {include-group} tables', () => {
    const lines = scan.references.map((r) => r.range.start.line);
    assert.ok(!lines.includes(3), 'build-system requires is build time only');
    for (const r of pins(scan.references)) assert.ok(!/torchvision|datasets|tensorboard/.test(r.text));
    assert.deepEqual(scan.notes, []);
  });

  it('reads requires-python ==3.8.* as Python 3.8 with the range of 3.8', () => {
    const [py] = pythons(scan.references);
    assert.equal(py.version, '3.8');
    assert.equal(py.text, '==3.8.*');
    assert.equal(slice(text, py.versionRange), '3.8');
    assert.equal(slice(text, py.range), '==3.8.*');
  });

  it('reports comments and one statement per array item', () => {
    assert.ok(scan.comments.some((c) => c.standalone && c.text.includes('the serving extra')));
    assert.ok(scan.comments.some((c) => !c.standalone && c.text.includes('dl-lifecycle: ignore end-of-patch')));
    const itemLines = [11, 12, 13, 14, 16];
    for (const l of itemLines) assert.ok(scan.statements.some((s) => s.startLine === l && s.endLine === l), `statement on line ${l}`);
  });

  it('runs the framework and Python rules through analyzeText, honouring the trailing suppression', () => {
    const findings = analyze(text).findings.map((f) => `${f.rule}@${f.range.start.line}`);
    assert.ok(!findings.includes('end-of-patch@11'), 'suppressed by its trailing directive');
    assert.ok(findings.includes('end-of-patch@16'));
    assert.ok(findings.includes('end-of-patch@26'));
    assert.ok(findings.includes('python-end-of-life@9'));
    assert.ok(!findings.some((f) => f.startsWith('unused-suppression')));
  });
});

describe('pyproject scanner: requires-python', () => {
  const cases: Array<[string, string | undefined, string?]> = [
    ['==3.8.*', '3.8', '3.8'],
    ['~=3.8.0', '3.8', '3.8'],
    ['==3.10.12', '3.10', '3.10.12'],
    ['== 3.9', '3.9', '3.9'],
    ['>=3.8', undefined],
    ['>=3.8,<3.9', undefined],
    ['~=3.8', undefined],
    ['>=3.8,!=3.9.*', undefined],
    ['3.8', undefined],
  ];
  for (const [spec, minor, written] of cases) {
    it(`${spec} → ${minor ?? 'no pin'}`, () => {
      const text = `[project]\nrequires-python = "${spec}"\n`;
      const refs = pythons(scanPyproject(text, catalog).references);
      if (!minor) return assert.deepEqual(refs, []);
      assert.equal(refs.length, 1);
      assert.equal(slice(text, refs[0].versionRange), written);
      assert.equal(refs[0].version, written);
    });
  }
});

describe('pyproject scanner: Poetry', () => {
  const text = fixture('poetry/pyproject.toml');
  const scan = scanPyproject(text, catalog);
  const byLine = (line: number) => pins(scan.references).find((r) => r.range.start.line === line)!;

  it('reads strings, inline tables, arrays of tables, groups, dev-dependencies and sub-tables', () => {
    const found = pins(scan.references).map((r) => [r.range.start.line, r.pin.name, r.pin.specifier, r.pin.clauses.map((c) => `${c.operator}${c.version}${c.implied ? '(implied)' : ''}`).join(',')]);
    assert.deepEqual(found, [
      [6, 'torch', '^1.13', '>=1.13,<2.0(implied)'],
      [8, 'tensorflow', '~2.4', '>=2.4,<2.5(implied)'],
      [10, 'mxnet', '^1.8', '>=1.8,<2.0(implied)'],
      [11, 'mxnet', '1.9.1', '==1.9.1'],
      [17, 'torch', '>=1.13, <2.0 || ^2.12', '>=2.12,<3.0(implied)'],
      [20, 'tensorflow-gpu', '2.4.*', '==2.4.*'],
      [23, 'mxnet-cu117', '==1.9.1', '==1.9.1'],
    ]);
    assert.ok(pins(scan.references).every((r) => r.pin.manager === 'poetry'));
  });

  it('points every version range at the version as written, and the name range at the key', () => {
    const torch = byLine(6);
    assert.equal(torch.text, 'torch = "^1.13"');
    assert.deepEqual(torch.pin.clauses.map((c) => slice(text, c.versionRange)), ['1.13', '1.13']);
    assert.equal(slice(text, torch.pin.specifierRange!), '^1.13');
    assert.equal(slice(text, byLine(17).pin.nameRange), 'torch');
    assert.equal(byLine(11).version, '1.9.1');
    assert.equal(slice(text, byLine(11).range), '{ version = "1.9.1"');
  });

  it('skips git dependencies, lookalikes and reads python ~3.9 as a pin', () => {
    assert.ok(!pins(scan.references).some((r) => /lightning|torchvision|tensorflow-cpu/.test(r.pin.name)));
    const [py] = pythons(scan.references);
    assert.equal(py.version, '3.9');
    assert.equal(slice(text, py.versionRange), '3.9');
    assert.deepEqual(scan.indexUrls, ['https://example.com/simple']);
    assert.deepEqual(scan.notes, []);
  });

  it('does not take python = "^3.10" for a pin, but python = "3.10.*" and "3.10" are', () => {
    const py = (v: string) => pythons(scanPyproject(`[tool.poetry.dependencies]\npython = "${v}"\n`, catalog).references).map((r) => r.version);
    assert.deepEqual(py('^3.10'), []);
    assert.deepEqual(py('>=3.10,<3.12'), []);
    assert.deepEqual(py('3.10.*'), ['3.10']);
    assert.deepEqual(py('3.10'), ['3.10']);
  });

  it('reads dotted keys and notes values it cannot read', () => {
    const t = '[tool.poetry.dependencies]\ntorch.version = "^1.13"\ntensorflow = 2.4\nmxnet = "^x"\n';
    const s = scanPyproject(t, catalog);
    assert.deepEqual(pins(s.references).map((r) => r.pin.specifier), ['^1.13']);
    assert.deepEqual(s.notes.map((n) => n.range.start.line), [2, 3]);
    assert.match(s.notes[1].message, /Poetry constraint "\^x" of mxnet/);
  });

  it('fires end-of-patch on torch = "^1.13" with a fix that edits only the version: ^2.11', () => {
    const t = '[tool.poetry.dependencies]\ntorch = "^1.13"  # pinned\n';
    const eop = analyze(t).findings.find((f) => f.rule === 'end-of-patch')!;
    assert.ok(eop, 'end-of-patch');
    const fix = eop.fixes.find((f) => f.preferred)!;
    assert.equal(fix.edits.length, 1);
    assert.equal(slice(t, fix.edits[0].range), '1.13');
    const fixed = applyEdits(t, fix.edits);
    assert.equal(fixed, '[tool.poetry.dependencies]\ntorch = "^2.11"  # pinned\n');
    assert.ok(!analyze(fixed).findings.some((f) => f.rule === 'end-of-patch'));
  });

  it('moves a tilde constraint to the target minor, which it then resolves to', () => {
    const t = '[tool.poetry.group.dev.dependencies]\ntorch = { version = "~1.13", source = "pytorch" }\n';
    const fix = analyze(t).findings.find((f) => f.rule === 'end-of-patch')!.fixes[0];
    const fixed = applyEdits(t, fix.edits);
    assert.match(fixed, /version = "~2\.11", source = "pytorch"/);
    const [ref] = pins(scanPyproject(fixed, catalog).references);
    assert.deepEqual(ref.pin.clauses.map((c) => `${c.operator}${c.version}`), ['>=2.11', '<2.12']);
  });
});

describe('pyproject scanner: PDM and uv', () => {
  const text = fixture('pdm-uv/pyproject.toml');
  const scan = scanPyproject(text, catalog);
  it('reads PDM dev-dependencies and uv dev/constraint/override dependencies, skipping -e and sources', () => {
    assert.deepEqual(pins(scan.references).map((r) => [r.text, r.pin.constraint]), [
      ['torch==2.1.0', false],
      ['tensorflow==2.13.0', false],
      ['torch<2.2', true],
      ['torch==2.1.2', false],
    ]);
    assert.deepEqual(pythons(scan.references), [], 'requires-python >=3.8 is a lower bound, not a pin');
    assert.deepEqual(scan.notes, []);
    assert.deepEqual(scan.indexUrls, ['https://download.pytorch.org/whl/cpu']);
  });
});

describe('pyproject scanner: TOML strings and syntax', () => {
  it('maps ranges through escapes, literal and multi-line strings', () => {
    const text = fixture('escapes/pyproject.toml');
    const refs = pins(scanPyproject(text, catalog).references);
    assert.deepEqual(refs.map((r) => r.text), ['tensorflow==2.4.1', 'torch==1.13.1', 'torch==2.1.0', 'mxnet==1.9.1', 'torch==2.0.1']);
    assert.equal(slice(text, refs[0].range), 'tens\\u006Frflow==2.4.1');
    assert.equal(slice(text, refs[0].pin.nameRange), 'tens\\u006Frflow');
    assert.equal(slice(text, refs[0].pin.clauses[0].versionRange), '2.4.1');
    assert.equal(refs[2].range.start.line, 7, 'the newline after """ is not part of the string');
    assert.equal(slice(text, refs[4].pin.clauses[0].versionRange), '2.0.1');
    assert.equal(refs[4].range.start.line, 9);
    assert.equal(refs[4].pin.clauses[0].versionRange.start.line, 10);
  });

  it('reads CRLF files and a byte-order mark with the same positions', () => {
    const lf = fixture('poetry/pyproject.toml');
    const crlf = `\uFEFF${lf.replace(/\n/g, '\r\n')}`;
    const a = scanPyproject(lf, catalog).references.map((r) => [r.range.start.line, r.text]);
    const b = scanPyproject(crlf, catalog).references.map((r) => [r.range.start.line, r.text]);
    assert.deepEqual(b, a);
    assert.equal(scanPyproject(crlf, catalog).notes.length, 0);
  });

  it('reads what comes before a syntax error and after the next table header, and notes the error', () => {
    const text = fixture('broken/pyproject.toml');
    const scan = scanPyproject(text, catalog);
    assert.deepEqual(scan.references.map((r) => r.text), ['torch==1.13.1', 'torch = "^1.13"']);
    assert.equal(scan.notes.length, 1);
    assert.equal(scan.notes[0].range.start.line, 3);
    assert.match(scan.notes[0].message, /TOML syntax error/);
  });

  it('notes non-string items and non-array dependency values', () => {
    const scan = scanPyproject('[project]\ndependencies = ["torch==2.1.0", 3]\n[tool.uv]\ndev-dependencies = "torch"\n', catalog);
    assert.equal(pins(scan.references).length, 1);
    assert.deepEqual(scan.notes.map((n) => n.range.start.line), [1, 3]);
  });
});

describe('Poetry constraints', () => {
  const read = (c: string) => parsePoetryConstraint(c).clauses.map((x) => `${x.operator}${x.version}${x.implied ? '!' : ''}`).join(',');
  const cases: Array<[string, string]> = [
    ['^1.2.3', '>=1.2.3,<2.0!'],
    ['^1.2', '>=1.2,<2.0!'],
    ['^1', '>=1,<2.0!'],
    ['^0.2.3', '>=0.2.3,<0.3!'],
    ['^0.0.3', '>=0.0.3,<0.0.4!'],
    ['^0.0', '>=0.0,<0.1!'],
    ['^0', '>=0,<1.0!'],
    ['~1.2.3', '>=1.2.3,<1.3!'],
    ['~1.2', '>=1.2,<1.3!'],
    ['~1', '>=1,<2.0!'],
    ['~=1.2', '~=1.2'],
    ['1.2.*', '==1.2.*'],
    ['1.2.x', '==1.2.*'],
    ['*', ''],
    ['', ''],
    ['=1.2.3', '==1.2.3'],
    ['1.2.3', '==1.2.3'],
    ['>= 1.2, < 2.0', '>=1.2,<2.0'],
    ['>=1.2 <2.0', '>=1.2,<2.0'],
    ['<>1.5', '!=1.5'],
    ['^v1.2', '>=1.2,<2.0!'],
  ];
  for (const [c, expected] of cases) it(`${JSON.stringify(c)} → ${expected || 'any'}`, () => assert.equal(read(c), expected));

  it('keeps each version offset on the version as written', () => {
    const p = parsePoetryConstraint(' ^v1.13 ');
    assert.deepEqual(p.clauses.map((c) => [c.from, c.to]), [[3, 7], [3, 7]]);
    assert.deepEqual([p.from, p.to], [1, 7]);
  });

  it('chooses the || alternative allowing the highest known release, else the highest upper bound', () => {
    assert.equal(parsePoetryConstraint('^1.13 || ^2.0', ['1.13.1', '2.1.0']).clauses[0].version, '2.0');
    assert.equal(parsePoetryConstraint('^2.0 | ^1.13', ['1.13.1', '2.1.0']).clauses[0].version, '2.0');
    assert.equal(parsePoetryConstraint('^3.0 || ^1.13', ['1.13.1']).clauses[0].version, '1.13');
    assert.equal(parsePoetryConstraint('<1.0 || >=2.0').clauses[0].version, '2.0');
    assert.equal(parsePoetryConstraint('^1.0 || ^2.0').alternatives, 2);
  });

  it('rejects what is no constraint, and Poetry-only syntax in the PEP 440 dialect', () => {
    for (const bad of ['^', '>=', 'abc', '^1.0 ||', '>=1.0 foo', '!=*']) assert.ok(parsePoetryConstraint(bad).error, bad);
    for (const bad of ['^1.0', '~1.0', '1.0', '=1.0', '<>1.0', '1.0 || 2.0', '1.x']) assert.ok(parsePoetryConstraint(bad, [], 'pep440').error, bad);
    for (const good of ['==1.0', '*', '>=1.0,<2', '~=1.0', '==1.*']) assert.equal(parsePoetryConstraint(good, [], 'pep440').error, undefined, good);
  });

  it('pins a Python minor only for one-version forms', () => {
    const pin = (c: string) => pinnedMinor(parsePoetryConstraint(c))?.minor;
    assert.equal(pin('~3.9'), '3.9');
    assert.equal(pin('~3.9.2'), '3.9');
    assert.equal(pin('^3.9'), undefined);
    assert.equal(pin('>=3.9,<3.10'), undefined, 'two written bounds: one edit cannot move them');
    assert.equal(pin('==3.9.*,!=3.9.1'), '3.9');
    assert.equal(pin('3.9 || 3.10'), undefined);
  });
});
