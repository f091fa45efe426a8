import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Located, Position, Range, ScanResult } from '../../../server/src/model';
import { scanPython } from '../../../server/src/scanners/python/sagemakerSdk';
import { initPythonParser } from '../../../server/src/scanners/python/treeSitter';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'python');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

/** Checks every range of a scan result against the text: inside it, not reversed, and texts equal to what the range holds. */
function checkResult(text: string, result: ScanResult): void {
  // line starts and lengths as LSP counts them (`\r\n`, `\r`, `\n`), independent of TextIndex (which clamps)
  const starts = [0];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\r' && c !== '\n') continue;
    ends.push(i);
    if (c === '\r' && text[i + 1] === '\n') i++;
    starts.push(i + 1);
  }
  ends.push(text.length);
  const toOffset = (p: Position, what: string): number => {
    const line = starts[p.line];
    assert.ok(line !== undefined && p.character >= 0 && line + p.character <= ends[p.line], `${what} outside the text`);
    return line + p.character;
  };
  const sliceOf = (r: Range, what: string): string => {
    const from = toOffset(r.start, `${what} start`);
    const to = toOffset(r.end, `${what} end`);
    assert.ok(from <= to, `${what} is reversed`);
    return text.slice(from, to);
  };
  const checkLocated = (l: Located | undefined, what: string) => {
    if (l) assert.equal(sliceOf(l.range, what), l.text, `${what} text is the text at its range`);
  };
  for (const ref of result.references) {
    assert.equal(sliceOf(ref.range, 'reference'), ref.text, 'reference text is the text at its range');
    if (ref.kind === 'sdk-framework') {
      const s = ref.sdk;
      assert.equal(sliceOf(s.callRange, 'call'), s.call);
      for (const key of ['frameworkVersion', 'baseFrameworkVersion', 'pyVersion', 'transformersVersion', 'instanceType', 'acceleratorType'] as const) checkLocated(s[key], key);
      for (const f of s.resolvedFrom ?? []) assert.equal(sliceOf(f.range, 'constant'), f.name);
    } else if (ref.kind === 'container-image') {
      for (const key of ['registry', 'account', 'region', 'repository', 'tag', 'digest'] as const) checkLocated(ref.image[key], key);
      for (const [k, p] of Object.entries(ref.image.parts)) checkLocated(p, k);
    } else if (ref.kind === 'dlami') {
      for (const [k, p] of Object.entries(ref.dlami.parts)) checkLocated(p, k);
    }
  }
  for (const c of result.comments) assert.equal(sliceOf(c.range, 'comment'), `#${c.text}`);
  for (const n of result.notes) sliceOf(n.range, 'note');
  for (const s of result.statements) assert.ok(s.startLine <= s.endLine && s.endLine < starts.length, 'statement lines inside the text');
}

const scanChecked = (text: string) => {
  const r = scanPython(text, catalog);
  checkResult(text, r);
  return r;
};

/** Text that looks like Python around SDK calls: names, quotes, brackets, f-string braces, escapes, line ends, non-ASCII. */
const pythonish = fc
  .array(
    fc.oneof(
      fc.constantFrom('PyTorch(', 'framework_version=', 'py_version=', '"1.8.0"', "'py36'", 'f"', '{x}', 'V = "2.1"', 'V', ')', ',', '\n', '\r\n', '\r', '    ', '#', '"""', '\\', 'é', '😀', 'import sagemaker\n', 'from sagemaker.pytorch import PyTorch as P\n', 'P(', 'image_uris.retrieve(', 'accelerator_type="ml.eia1.large"'),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => `import sagemaker\n${parts.join('')}`);

describe('SageMaker SDK scanner: properties', () => {
  before(async () => {
    await initPythonParser();
  });

  it('never throws, and every range lies inside the text, on Python-like text', () => {
    fc.assert(fc.property(pythonish, (text) => void scanChecked(text)), { numRuns: 400 });
  });

  it('never throws on arbitrary unicode text that mentions sagemaker', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => void scanChecked(`sagemaker ${s}`)), { numRuns: 300 });
  });

  it('never throws on mutated fixtures (deletions, insertions, duplicated slices)', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 }))
      .map(([text, edits]) => {
        let t = text;
        for (const [at, del, ins] of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + ins + t.slice(i + del);
        }
        return t;
      });
    fc.assert(fc.property(mutated, (text) => void scanChecked(text)), { numRuns: 300 });
  });

  it('an argument written as a literal is read back as written, with its range, whatever the layout around it', () => {
    const version = fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 20 }), fc.option(fc.nat({ max: 9 }), { nil: undefined })).map(([a, b, c]) => (c === undefined ? `${a}.${b}` : `${a}.${b}.${c}`));
    const py = fc.constantFrom('py3', 'py27', 'py36', 'py38', 'py310', 'py312');
    const gap = fc.constantFrom('', ' ', '\n    ', '  # note\n', '\r\n\t');
    const quote = fc.constantFrom('"', "'", '"""');
    fc.assert(
      fc.property(version, py, gap, gap, quote, fc.boolean(), (v, p, g1, g2, q, viaConstant) => {
        const value = viaConstant ? 'FV' : `${q}${v}${q}`;
        const text = `from sagemaker.pytorch import PyTorch\nFV = ${q}${v}${q}\nest = PyTorch(${g1}entry_point="t.py",${g2}framework_version=${value},${g1}py_version='${p}'${g2})\n`;
        const r = scanChecked(text);
        const sdk = r.references.filter((x) => x.kind === 'sdk-framework');
        assert.equal(sdk.length, 1);
        const ref = sdk[0];
        assert.ok(ref.kind === 'sdk-framework');
        assert.equal(ref.sdk.frameworkVersion?.text, v);
        assert.equal(ref.sdk.pyVersion?.text, p);
        assert.equal(ref.sdk.frameworkVersion?.range.start.line, viaConstant ? 1 : ref.sdk.frameworkVersion?.range.start.line);
        assert.deepEqual(ref.sdk.resolvedFrom?.map((f) => f.name), viaConstant ? ['FV'] : undefined);
      }),
      { numRuns: 300 },
    );
  });
});
