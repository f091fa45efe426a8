import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compare, satisfies } from '@renovatebot/pep440';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import { packagePinEdits } from '../../../server/src/fixes/packagePin';
import type { PackagePinReference, Position, Range, ScanResult } from '../../../server/src/model';
import { scanPipfile } from '../../../server/src/scanners/pipfile';
import { parsePoetryConstraint } from '../../../server/src/scanners/poetryConstraint';
import { readTomlDocument, scanPyproject, tomlString } from '../../../server/src/scanners/pyproject';
import { applyEdits, TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'python-envs');
const fixtures = ['pep621/pyproject.toml', 'poetry/pyproject.toml', 'pdm-uv/pyproject.toml', 'escapes/pyproject.toml', 'broken/pyproject.toml', 'pipenv/Pipfile']
  .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

/** Every range a scan reports, named. */
function rangesOf(result: ScanResult): Array<[string, Range]> {
  const out: Array<[string, Range]> = [];
  for (const ref of result.references) {
    out.push(['reference', ref.range]);
    if (ref.kind === 'python-version') out.push(['python version', ref.versionRange]);
    if (ref.kind !== 'framework-package-pin') continue;
    out.push(['name', ref.pin.nameRange], ...ref.pin.clauses.map((c): [string, Range] => ['version', c.versionRange]));
    if (ref.pin.specifierRange) out.push(['specifier', ref.pin.specifierRange]);
  }
  return [...out, ...result.comments.map((c): [string, Range] => ['comment', c.range]), ...result.notes.map((n): [string, Range] => ['note', n.range])];
}

/** Ranges outside the text (their positions do not survive offsetAt, which clamps) or reversed fail, named. */
function assertRangesInside(text: string, result: ScanResult): void {
  const idx = new TextIndex(text);
  const inside = (p: Position) => {
    const q = idx.positionAt(idx.offsetAt(p));
    return q.line === p.line && q.character === p.character;
  };
  const bad = rangesOf(result).filter(([, r]) => !inside(r.start) || !inside(r.end) || idx.offsetAt(r.start) > idx.offsetAt(r.end));
  assert.deepEqual(bad.map(([what]) => what), []);
  assert.ok(result.statements.every((st) => st.startLine <= st.endLine && st.endLine < idx.lineCount), 'statement lines');
}

const scanBoth = (text: string) => {
  assertRangesInside(text, scanPyproject(text, catalog));
  assertRangesInside(text, scanPipfile(text, catalog));
};

/** Pieces of real pyproject and Pipfile syntax, to build plausible and broken files. */
const piece = fc.constantFrom(
  '[project]', '[tool.poetry.dependencies]', '[tool.poetry.group.dev.dependencies]', '[packages]', '[requires]', '[[source]]',
  '[dependency-groups]', '[tool.uv]', 'dependencies = [', 'dev = [', ']', '[', '{', '}', '=', ',', ' ', '\n', '\r\n', '\t', '#', ' # c',
  '"', "'", '"""', "'''", '\\', '\\u00e9', '\\"', 'torch', 'tensorflow', 'mxnet-cu112', 'torchvision', 'python', 'python_version',
  'requires-python', 'version', '"torch==1.13.1"', "'tensorflow>=2.4,<2.5'", '"^1.13"', '"~2.4"', '"*"', '"==3.8.*"', '">=1.0 || ^2.0"',
  '{ version = "^1.13" }', '{include-group = "x"}', '🚀', 'é', '\uFEFF', '\u0000', '1.13', '2.*', '^', '~', '||',
);

describe('pyproject and Pipfile scanner properties', () => {
  it('never throw and keep ranges inside the text, on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), scanBoth), { numRuns: 400 });
  });

  it('never throw and keep ranges inside the text, on files built from real syntax', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 50 }), (pieces) => scanBoth(pieces.join(''))), { numRuns: 1500 });
  });

  it('never throw and keep ranges inside the text, on mutated fixtures', () => {
    const mutation = fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), insert: fc.oneof(piece, fc.string({ maxLength: 3 })) });
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, muts) => {
        let text = base;
        for (const m of muts) {
          const at = m.at % (text.length + 1);
          text = text.slice(0, at) + m.insert + text.slice(at + m.del);
        }
        scanBoth(text);
      }),
      { numRuns: 600 },
    );
  });

  it('gives a reference text equal to the document slice for literal strings', () => {
    const req = fc.record({
      name: fc.constantFrom('torch', 'Torch', 'tensorflow-gpu', 'mxnet_cu112'),
      spec: fc.constantFrom('==1.13.1', '>=2.1,<2.2', '~=2.4.0', ' (>=1.0)', '', '[cuda]==2.1.0'),
      marker: fc.constantFrom('', '; python_version < "3.9"'),
      pad: fc.constantFrom('', ' ', '  '),
    });
    fc.assert(
      fc.property(fc.array(req, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (reqs, eol, multiline) => {
        const q = multiline ? "'''" : "'";
        const items = reqs.map((r) => `  ${q}${r.pad}${r.name}${r.spec}${r.marker}${q},`);
        const text = ['[project]', 'dependencies = [', ...items, ']', ''].join(eol);
        const scan = scanPyproject(text, catalog);
        assert.equal(scan.references.length, reqs.length);
        const idx = new TextIndex(text);
        for (const ref of scan.references) assert.equal(text.slice(idx.offsetAt(ref.range.start), idx.offsetAt(ref.range.end)), ref.text);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes basic strings as the parser does and maps each unit to its source', () => {
    // each character written plainly or as an escape
    const unit = fc.oneof(
      fc.constantFrom('a', 'é', '🚀', '=', ' ', '.').map((c) => ({ c, src: c })),
      fc.constantFrom('"', '\\', '\t', '\n').map((c) => ({ c, src: { '"': '\\"', '\\': '\\\\', '\t': '\\t', '\n': '\\n' }[c]! })),
      fc.constantFrom('a', 'é', '🚀').map((c) => ({ c, src: c.codePointAt(0)! > 0xffff ? `\\U${c.codePointAt(0)!.toString(16).padStart(8, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` })),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 20 }), fc.boolean(), (units, multiline) => {
        const q = multiline ? '"""' : '"';
        const text = `k = ${q}${units.map((u) => u.src).join('')}${q}\n`;
        const doc = readTomlDocument(text);
        assert.equal(doc.notes.length, 0);
        const s = tomlString(doc.pairs[0].value, doc)!;
        const expected = units.map((u) => u.c).join('');
        assert.equal(s.value, expected);
        assert.equal(s.value, (doc.pairs[0].value as { value: string }).value);
        let at = 0;
        for (const u of units) {
          assert.equal(slice(text, s.range(at, at + u.c.length)), u.src);
          at += u.c.length;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reads every Poetry constraint without throwing, with version offsets inside the text and implied bounds above the written ones', () => {
    const term = fc.tuple(fc.constantFrom('', '^', '~', '~=', '==', '=', '>=', '>', '<', '<=', '!=', '<>', '=== '), fc.constantFrom('1', '1.2', '0.2.3', '0.0.3', '2.1.0rc1', '1.*', 'x', '*', 'v1.2', '1.2.3+cpu', ''));
    const constraint = fc.array(fc.tuple(term, fc.constantFrom(',', ' ', ', ', ' || ', '|', ',,')), { maxLength: 4 })
      .map((ts) => ts.map(([[op, v], sep]) => `${op}${v}${sep}`).join(''));
    fc.assert(
      fc.property(fc.oneof(constraint, fc.string({ maxLength: 40 })), (c) => {
        const p = parsePoetryConstraint(c, ['1.2.0', '2.1.0']);
        for (const cl of p.clauses) {
          assert.ok(0 <= cl.from && cl.from <= cl.to && cl.to <= c.length);
          if (cl.implied) {
            const lower = p.clauses[p.clauses.indexOf(cl) - 1];
            assert.ok(compare(lower.version, cl.version) < 0, `${lower.version} < ${cl.version}`);
          }
        }
        if (p.error) assert.ok(0 <= p.error.from && p.error.from <= p.error.to && p.error.to <= c.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('moves Poetry caret and tilde pins to a target that the fixed constraint allows', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('^', '~', ''),
        fc.constantFrom('1.13', '1.13.1', '2.1', '1.*'),
        fc.constantFrom('2.11.0', '2.13.0', '2.10.1'),
        fc.constantFrom('"', "'"),
        (op, version, target, q) => {
          if (op && version.includes('*')) return;
          const text = `[tool.poetry.dependencies]\ntorch = ${q}${op}${version}${q}\n`;
          const [ref] = scanPyproject(text, catalog).references as PackagePinReference[];
          const edits = packagePinEdits(ref.pin, target)!;
          assert.equal(edits.length, 1, 'one edit: the written version');
          const fixed = applyEdits(text, edits);
          const [moved] = scanPyproject(fixed, catalog).references as PackagePinReference[];
          assert.equal(moved.pin.specifier.slice(0, op.length), op, 'the Poetry operator is kept');
          const spec = moved.pin.clauses.map((c) => `${c.operator}${c.version}`).join(', ');
          assert.ok(satisfies(target, spec), `${fixed.split('\n')[1]} allows ${target}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays fast on a large file', () => {
    const lines = ['[project]', 'dependencies = ['];
    for (let i = 0; i < 20_000; i++) lines.push(`  "torch==1.13.${i % 10}",`);
    lines.push(']');
    const started = Date.now();
    const scan = scanPyproject(lines.join('\n'), catalog);
    assert.equal(scan.references.length, 20_000);
    assert.ok(Date.now() - started < 5000);
    const broken = `${lines.slice(0, 10_000).join('\n')}\n  "torch" "x"\n${lines.slice(10_000).join('\n')}`;
    const t2 = Date.now();
    scanPyproject(broken, catalog);
    assert.ok(Date.now() - t2 < 10000);
  });
});

function slice(text: string, r: Range): string {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
}
