import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { ImageReference, Range, ScanResult } from '../../../server/src/model';
import type { CdkGrammar } from '../../../server/src/scanners/cdk';
import { cdkGrammarForPath, scanCdk } from '../../../server/src/scanners/cdk';
import { initParsers } from '../../../server/src/scanners/treeSitter';
import { TextIndex } from '../../../server/src/text';
import { checkScanResult } from '../../fixtures/scanChecks';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'cdk');
const fixtures = readdirSync(FIXTURES)
  .filter((f) => cdkGrammarForPath(f))
  .map((f) => ({ name: f, grammar: cdkGrammarForPath(f)!, text: readFileSync(join(FIXTURES, f), 'utf8') }));
const RUNS = 500;

const sliceOf = (text: string, range: Range) => {
  const idx = new TextIndex(text);
  return text.slice(idx.offsetAt(range.start), idx.offsetAt(range.end));
};

/** Scans and checks every range against the text (block comments: their text follows `/*`). */
function scanChecked(text: string, grammar: CdkGrammar): ScanResult {
  const r = scanCdk(text, catalog, { grammar });
  const block = r.comments.filter((c) => sliceOf(text, c.range).startsWith('/*'));
  for (const c of block) assert.ok(sliceOf(text, c.range).startsWith(`/*${c.text}`), 'block comment text follows its marker');
  checkScanResult(text, { ...r, comments: r.comments.filter((c) => !block.includes(c)) }, '//');
  return r;
}

const grammar = fc.constantFrom<CdkGrammar>('typescript', 'tsx');

/** Text that looks like CDK code: the APIs, quotes, template literals, comments, odd characters and line ends. */
const cdkish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'ContainerImage.fromDlc(', 'DeepLearningContainerImage.fromDeepLearningContainerImage(', 'ecs.ContainerImage.fromRegistry(', 'MachineImage.lookup({ name: ',
        'MachineImage.fromSsmParameter(', 'new sagemaker.CfnModel(this, "M", { primaryContainer: { image: ', 'acceleratorType: ', "'ml.eia2.medium'", "'pytorch-inference'",
        "'2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker'", '`${ACCOUNT}.dkr.ecr.${this.region}.amazonaws.com/pytorch-training:${TAG}`', '"763104351884.dkr.ecr.us-east-1.amazonaws.com/',
        "'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *'", "'/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id'",
        'const TAG = ', 'const ACCOUNT = "763104351884";\n', ' + ', '${', '}', '`', "'", '"', '\\', '\\x2d', '(', ')', '{', '}', ',', ';', '\n', '\r\n', '\r', '// ', '/* ', ' */',
        '\u0000', '\ufeff', 'é', '😀', '\u2028', '<A b="x" />', 'function f(TAG) { return ', 'let ', '=> ',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => `import * as cdk from 'aws-cdk-lib';\n${parts.join('')}`);

/** Insertions, deletions and replacements at random places of a fixture. */
const mutated = fc
  .tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 }))
  .map(([f, edits]) => {
    let t = f.text;
    for (const [at, del, ins] of edits) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + ins + t.slice(i + del);
    }
    return { text: t, grammar: f.grammar };
  });

const texts = (r: ScanResult) => r.references.map((x) => `${x.kind}|${x.text}`);

describe('CDK scanner: properties', () => {
  before(async () => {
    await initParsers();
  });

  it('never throws, and every range lies inside the text, on CDK-like text', () => {
    fc.assert(fc.property(cdkish, grammar, (text, g) => void scanChecked(text, g)), { numRuns: RUNS });
  });

  it('never throws on arbitrary text (any code unit, lone surrogates and NUL included) that mentions aws-cdk', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), grammar, (s, g) => void scanChecked(`aws-cdk ${s}`, g)), { numRuns: RUNS });
  });

  it('never throws on mutated fixtures (deletions, insertions, replacements)', () => {
    fc.assert(fc.property(mutated, ({ text, grammar: g }) => void scanChecked(text, g)), { numRuns: RUNS });
  });

  it('a fixture cut anywhere (unterminated strings, template literals, comments) still yields valid results', () => {
    const cut = fc.tuple(fc.constantFrom(...fixtures), fc.nat()).map(([f, n]) => ({ text: f.text.slice(0, n % (f.text.length + 1)), grammar: f.grammar }));
    fc.assert(fc.property(cut, ({ text, grammar: g }) => void scanChecked(text, g)), { numRuns: RUNS });
  });

  it('CRLF line ends, a BOM and a trailing comment holding NUL bytes change nothing but positions', () => {
    const variant = fc.tuple(fc.constantFrom(...fixtures), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 3 })).map(([f, crlf, bom, nuls]) => {
      let t = crlf ? f.text.replace(/\r?\n/g, '\r\n') : f.text;
      if (bom) t = `\ufeff${t}`;
      if (nuls) t += `// ${'\u0000'.repeat(nuls)}\n`;
      return { f, crlf, text: t };
    });
    const bases = new Map(fixtures.map((f) => [f, texts(scanChecked(f.text, f.grammar))]));
    fc.assert(
      fc.property(variant, ({ f, crlf, text }) => {
        const base = bases.get(f)!;
        assert.deepEqual(texts(scanChecked(text, f.grammar)), crlf ? base.map((t) => t.replace(/\n/g, '\r\n')) : base);
      }),
      { numRuns: RUNS },
    );
  });

  it('NUL bytes, lone surrogates and CR anywhere in a fixture still yield valid results', () => {
    const odd = fc.constantFrom('\u0000', '\ud800', '\udc00', '\r', '\u2028', '\ufeff');
    const variant = fc.tuple(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), odd), { minLength: 1, maxLength: 5 })).map(([f, inserts]) => {
      let t = f.text;
      for (const [at, c] of inserts) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + c + t.slice(i);
      }
      return { text: t, grammar: f.grammar };
    });
    fc.assert(fc.property(variant, ({ text, grammar: g }) => void scanChecked(text, g)), { numRuns: RUNS });
  });

  it('deep nesting and long concatenation chains neither throw nor overflow the stack', () => {
    const uri = "'763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker'";
    const n = 5000;
    const shapes = {
      paren: `const x = ${'('.repeat(n)}${uri}${')'.repeat(n)};`,
      template: `const x = ${'`${'.repeat(n)}${uri}${'}`'.repeat(n)};`,
      concat: `const x = ${Array.from({ length: n }, (_, i) => (i % 2 ? 'X' : "'-'")).join(' + ')} + ' ' + ${uri};`,
      object: `const x = ${'{ a: '.repeat(n)}${uri}${' }'.repeat(n)};`,
      call: `const x = ${'f('.repeat(n)}ContainerImage.fromRegistry(${uri})${')'.repeat(n)};`,
    };
    for (const [shape, text] of Object.entries(shapes)) {
      for (const g of ['typescript', 'tsx'] as const) {
        const r = scanChecked(text, g);
        // the image is found once wherever it sits (the concatenation's last operand starts after a space)
        assert.equal(r.references.length, 1, `${shape} ${g}`);
      }
    }
  });

  it('a tag written as a literal or through a constant is read back as written, whatever the layout and quotes', () => {
    const tags = ['2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker', '1.8.1-gpu-py36-cu111-ubuntu18.04', '2.0.1-gpu-py310-cu118-ubuntu20.04-sagemaker'];
    const gap = fc.constantFrom('', ' ', '\n    ', ' /* c */ ', '\r\n\t', '\n  // note\n  ');
    const quote = fc.constantFrom("'", '"', '`');
    fc.assert(
      fc.property(fc.constantFrom(...tags), gap, gap, quote, quote, fc.boolean(), grammar, (tag, g1, g2, q1, q2, viaConstant, g) => {
        const value = viaConstant ? 'TAG' : `${q2}${tag}${q2}`;
        const text = `import * as sm from '@aws-cdk/aws-sagemaker-alpha';\nconst TAG = ${q2}${tag}${q2};\nexport const i = sm.ContainerImage.fromDlc(${g1}${q1}pytorch-inference${q1},${g2}${value}${g1});\n`;
        const r = scanChecked(text, g);
        const images = r.references.filter((x): x is ImageReference => x.kind === 'container-image');
        assert.equal(images.length, 1);
        const [ref] = images;
        assert.equal(ref.text, tag);
        assert.equal(ref.image.uri, `pytorch-inference:${tag}`);
        assert.equal(ref.image.published, true);
        if (viaConstant) {
          assert.equal(ref.range.start.line, 1);
          assert.equal(ref.image.substitutedFrom?.variable, 'TAG');
        } else assert.equal(ref.image.substitutedFrom, undefined);
        assert.deepEqual(r.notes, []);
      }),
      { numRuns: RUNS },
    );
  });
});
