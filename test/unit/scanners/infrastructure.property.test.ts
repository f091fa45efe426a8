import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Range, ScanResult } from '../../../server/src/model';
import { scanInfrastructureJson, scanInfrastructureYaml } from '../../../server/src/scanners/infrastructure';
import { checkScanResult } from '../../fixtures/scanChecks';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'infrastructure');
const names = readdirSync(FIXTURES).sort();
const fixtures = names.map((f) => ({ name: f, text: readFileSync(join(FIXTURES, f), 'utf8') }));
const yamlFixtures = fixtures.filter((f) => /\.ya?ml$/.test(f.name));
const RUNS = 500;

const PT = '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';

/** Both scanners over a text: no exception, every range inside the text and holding its text, references in order without duplicates. */
function checkBoth(text: string): { yaml: ScanResult; json: ScanResult } {
  const yaml = scanInfrastructureYaml(text, catalog);
  const json = scanInfrastructureJson(text, catalog);
  for (const r of [yaml, json]) {
    checkScanResult(text, r);
    const keys = r.references.map((x) => `${x.kind}${JSON.stringify(x.range)}`);
    assert.equal(new Set(keys).size, keys.length, 'no two references of a kind at one range');
    for (let i = 1; i < r.references.length; i++) assert.ok(!before(r.references[i].range, r.references[i - 1].range), 'references in file order');
    for (let i = 1; i < r.statements.length; i++) assert.ok(r.statements[i - 1].startLine <= r.statements[i].startLine, 'statements in order');
  }
  assert.deepEqual(json.comments, []);
  return { yaml, json };
}

const before = (a: Range, b: Range) => a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character < b.start.character);

/** Pieces infrastructure files are made of, to build plausible and broken files. */
const piece = fc.constantFrom(
  'image: ', 'Image: ', 'ImageId: ', 'ImageUri: ', 'container: ', 'services:', 'uses: docker://', 'name: ', 'AcceleratorType: ', 'ml.eia2.medium',
  'Resources:', 'AWSTemplateFormatVersion: x', 'Parameters:', 'Mappings:', 'Default: ', 'Type: AWS::SageMaker::Model', '!Sub ', '!Ref ', '!Join ',
  '!FindInMap ', '!GetAtt ', '!If ', '!Select ', '!Base64 ', '!Custom ', '!!str ', '&a ', '*a', '<<: ', 'Fn::Sub', 'Ref', '{"Fn::Join": ["", [',
  PT, '763104351884.dkr.ecr.${AWS::Region}.amazonaws.com/', 'pytorch-inference:', '${Tag}', '${AWS::AccountId}', '${!Literal}', '${{ matrix.tag }}',
  '{{ .Values.tag }}', '$TAG', '{{resolve:ssm:', '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id',
  '}}', 'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *', 'ami-0abc1234', 'python:3.10', 'nvidia/cuda:11.8.0-runtime-ubuntu22.04',
  '- ', '  ', '    ', '\t', '\n', '\r\n', '\r', ': ', ', ', '[', ']', '{', '}', '"', "'", '\\', '\\u00', '|', '>-', '#', '# c\n', '---\n', '...\n',
  '\uFEFF', '\u0000', '🚀', 'é', 'dependencies:', 'channels:', 'jobs:', 'kind: Deployment', 'apiVersion: v1',
);

/** Random edits (insert, delete, replace) applied to a text. */
const edits = fc.array(
  fc.record({
    at: fc.nat(),
    del: fc.nat({ max: 4 }),
    ins: fc.oneof(fc.constantFrom('', '\n', '\r\n', '\t', ' ', '"', "'", ':', '-', '{', '}', '[', ']', '$', '!', '#', '\\', '|', '&', '*', '\u0000', '\uFEFF'), fc.string({ maxLength: 4 })),
  }),
  { minLength: 1, maxLength: 8 },
);

function mutate(text: string, ops: ReadonlyArray<{ at: number; del: number; ins: string }>): string {
  let t = text;
  for (const op of ops) {
    const i = t.length === 0 ? 0 : op.at % (t.length + 1);
    t = t.slice(0, i) + op.ins + t.slice(i + op.del);
  }
  return t;
}

/** The references of a scan as kinds, texts and lines (what must not change when only line breaks or a BOM change). */
const shape = (r: ScanResult) => r.references.map((x) => [x.kind, x.text.replace(/\r\n/g, '\n'), x.range.start.line]);

describe('infrastructure scanner: properties', () => {
  it('never throws on random text made of infrastructure pieces, and every range holds its text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        checkBoth(parts.join(''));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        checkBoth(`image: ${s}\n${s}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads mutated fixtures (inserted, deleted, replaced characters) without exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), edits, (f, ops) => {
        checkBoth(mutate(f.text, ops));
      }),
      { numRuns: RUNS },
    );
  });

  it('finds the same references on the same lines with CRLF line breaks and a BOM', () => {
    const bases = new Map(yamlFixtures.map((f) => [f.name, scanInfrastructureYaml(f.text, catalog)]));
    fc.assert(
      fc.property(fc.constantFrom(...yamlFixtures), fc.boolean(), fc.boolean(), (f, crlf, bom) => {
        const base = bases.get(f.name)!;
        const text = `${bom ? '\uFEFF' : ''}${crlf ? f.text.replace(/\n/g, '\r\n') : f.text}`;
        const yaml = scanInfrastructureYaml(text, catalog);
        checkScanResult(text, yaml);
        assert.deepEqual(shape(yaml), shape(base));
        assert.equal(yaml.notes.length, base.notes.length);
        assert.deepEqual(yaml.comments.map((c) => c.text.replace(/\r$/, '')), base.comments.map((c) => c.text));
      }),
      { numRuns: RUNS },
    );
  });

  it('survives NUL characters anywhere', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (f, spots) => {
        checkBoth(mutate(f.text, spots.map((at) => ({ at, del: 0, ins: '\u0000' }))));
      }),
      { numRuns: RUNS },
    );
  });

  it('finds an image at the bottom of deep nesting (block and flow, YAML and JSON) and never throws deeper still', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), fc.constantFrom('block', 'flow', 'json'), fc.integer({ min: 0, max: 500 }), (depth, style, extra) => {
        let yamlText: string;
        if (style === 'block') {
          yamlText = Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:\n`).join('') + `${'  '.repeat(depth)}image: ${PT}\n`;
        } else {
          yamlText = `${'{k: '.repeat(depth)}{image: "${PT}"}${'}'.repeat(depth)}\n`;
        }
        const jsonText = `${'{"k": '.repeat(depth)}{"image": "${PT}"}${'}'.repeat(depth)}`;
        const { yaml, json } = checkBoth(style === 'json' ? jsonText : yamlText);
        const found = style === 'json' ? json : yaml;
        assert.deepEqual(found.references.map((r) => r.text), [PT]);
        checkBoth(`${'['.repeat(extra)}"${PT}"${']'.repeat(extra)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps reading after unknown tags: an image written after the tag is still found', () => {
    const tagName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,12}$/);
    fc.assert(
      fc.property(tagName, fc.constantFrom('scalar', 'seq', 'map'), (name, shapeKind) => {
        const value = shapeKind === 'scalar' ? 'value' : shapeKind === 'seq' ? '[a, b]' : '{a: b}';
        const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::Custom::Thing\n    Properties:\n      Odd: !${name} ${value}\n      Image: ${PT}\n`;
        const { yaml } = checkBoth(text);
        assert.deepEqual(yaml.references.map((r) => [r.text, r.range.start.line]), [[PT, 6]]);
      }),
      { numRuns: RUNS },
    );
  });

  it('returns an empty result without parsing when none of the relevant words occur', () => {
    const plain = fc.array(fc.constantFrom('a', 'b', 'x', 'y', 'k', 'v', '1', '2', ':', ' ', '-', '\n', '\t', '"', "'", '[', ']', '{', '}', '#', '!', '&', '*', ',', '\uFEFF'), { maxLength: 120 });
    fc.assert(
      fc.property(plain, (chars) => {
        const text = chars.join('');
        for (const r of [scanInfrastructureYaml(text, catalog), scanInfrastructureJson(text, catalog)]) {
          assert.deepEqual(r, { references: [], includes: [], comments: [], statements: [], indexUrls: [], notes: [] });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
