import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Range, Reference, ScanResult } from '../../../server/src/model';
import { MAX_ALTERNATIVES, scanTerraform } from '../../../server/src/scanners/terraform';
import { scanTerraformJson } from '../../../server/src/scanners/terraformJson';
import { initParsers } from '../../../server/src/scanners/treeSitter';
import { TextIndex } from '../../../server/src/text';
import { checkScanResult } from '../../fixtures/scanChecks';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'terraform');
const files = readdirSync(FIXTURES);
const hclFixtures = files.filter((f) => !f.endsWith('.json')).map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
const jsonFixtures = files.filter((f) => f.endsWith('.json')).map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

const TAG = '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';
const URI = `763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${TAG}`;
const RUNS = 500;

/** Text decoded before recognition (escapes, `$${`, regular expression wildcards): part texts are values, not what is written. */
const DECODED = /\\|\.\*|\.\+|\$\$|%%/;

/**
 * `checkScanResult` for Terraform: comments are checked here with the marker each one is written
 * with (`#`, `//`, `/* *\/`, a JSON `"//"` property); the parts of references written with escapes
 * or as a regular expression hold decoded values, so only their ranges are checked.
 */
function check(text: string, result: ScanResult): void {
  const index = new TextIndex(text);
  const slice = (r: Range) => text.slice(index.offsetAt(r.start), index.offsetAt(r.end));
  const plain: Reference[] = [];
  for (const ref of result.references) {
    if (ref.kind === 'sdk-framework') {
      // a module is called as `module.<label>`, its label written at callRange
      assert.equal(ref.sdk.call, `module.${slice(ref.sdk.callRange)}`);
      plain.push({ ...ref, sdk: { ...ref.sdk, call: slice(ref.sdk.callRange) } });
      continue;
    }
    if (!DECODED.test(slice(ref.range))) {
      plain.push(ref);
      continue;
    }
    if (ref.kind === 'dlami') plain.push({ ...ref, dlami: { ...ref.dlami, parts: {} } });
    // an image marked as substituted has its part ranges checked without comparing texts
    else if (ref.kind === 'container-image') plain.push({ ...ref, image: { ...ref.image, parts: {}, substitutedFrom: ref.image.substitutedFrom ?? { variable: '', range: ref.range } } });
    else plain.push(ref);
  }
  checkScanResult(text, { ...result, references: plain, comments: [] });
  // every range of the dropped parts still lies inside the text
  const lastLine = index.lineCount - 1;
  for (const ref of result.references) {
    const parts = ref.kind === 'dlami' ? Object.values(ref.dlami.parts) : ref.kind === 'container-image' ? Object.values(ref.image.parts) : [];
    for (const p of parts) assert.ok(p && p.range.end.line <= lastLine && index.offsetAt(p.range.start) <= index.offsetAt(p.range.end));
  }
  for (const c of result.comments) {
    const written = slice(c.range);
    const ok = written === `#${c.text}` || written === `//${c.text}` || written === `/*${c.text}*/` || written === `/*${c.text}` || (written.startsWith('"//"') && (written.endsWith(`"${c.text}"`) || written.endsWith(`"${c.text}`)));
    assert.ok(ok, `comment ${JSON.stringify(written)} holds ${JSON.stringify(c.text)} after its marker`);
    assert.equal(index.positionAt(index.offsetAt(c.range.end)).line, c.range.end.line);
  }
}

/** A scanner whose every result is checked. */
const checked = (scan: typeof scanTerraform) => (text: string) => {
  const r = scan(text, catalog);
  check(text, r);
  return r;
};
const scanHcl = checked(scanTerraform);
const scanJson = checked(scanTerraformJson);

/** Text that looks like Terraform: blocks, attributes, templates, heredocs, escapes, comments, line ends, non-ASCII. */
const hclish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'resource "aws_sagemaker_model" "m" {', 'primary_container {', 'container {', 'image = ', '"', '${var.tag}', '${local.x}', '${', '}', '{', '[', ']', ',',
        '<<EOT\n', '<<-EOT\n', 'EOT', '%{ if x }', '%{ endif }', '\\', '\\"', '\\u0041', '$${', '%%{', '#', '//', '/*', '*/', '\n', '\r\n', '\r', '  ',
        URI, TAG, '763104351884.dkr.ecr.', '.amazonaws.com/pytorch-inference:', 'Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) *',
        'variable "tag" { default = "', 'locals {', 'x = ', 'local.x', 'var.tag', 'data "aws_ami" "a" {', 'filter {', 'name = "name"', 'values = [',
        'name_regex = "^Deep Learning AMI GPU PyTorch 2\\\\.0\\\\.1 .*"', 'accelerator_type = "ml.eia2.medium"', 'production_variants {',
        'data "aws_sagemaker_prebuilt_ecr_image" "p" {', 'repository_name = "pytorch-inference"', 'image_tag = ', 'jsonencode(', ')',
        '\u0000', '\uFEFF', 'é', '😀', '/aws/service/deeplearning/ami/x86_64/oss-nvidia-driver-gpu-pytorch-2.1-ubuntu-20.04/latest/ami-id',
        ' ? ', ' : ', 'var.gpu', 'null', '(', 'local.m[local.k]', 'var.m["gpu"]', 'local.m.gpu', 'lookup(local.m, var.k, ', 'm = {', 'gpu = "', '"1.9.1-gpu" = ',
        'repository_name = local.repo', 'repo = var.pt != null ? "huggingface-pytorch-inference" : "huggingface-tensorflow-inference"',
        '"1.9.1-transformers${var.tv}-gpu-py38-cu111-ubuntu20.04"', 'module "hf" {', 'source = "philschmid/sagemaker-huggingface/aws"',
        'pytorch_version = ', 'tensorflow_version = "2.5.1"', 'transformers_version = "4.12.3"', 'instance_type = local.it', '"1.9.1"',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

/** Random edits (deletions, insertions) at random places of a text. */
const mutate = (texts: string[]) =>
  fc.tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 6 })).map(([text, edits]) => {
    let t = text;
    for (const [at, del, ins] of edits) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + ins + t.slice(i + del);
    }
    return t;
  });

const summary = (r: ScanResult) => r.references.map((x) => `${x.kind}|${x.subject}|${x.text}`);
/** The summary of each fixture as written, computed once. */
const baseSummaries = new Map<string, string[]>();
const baseSummary = (text: string, scan: (t: string) => ScanResult) => {
  let s = baseSummaries.get(text);
  if (!s) baseSummaries.set(text, (s = summary(scan(text))));
  return s;
};

describe('Terraform scanner: properties', () => {
  before(async () => {
    await initParsers(['terraform']);
  });

  it('never throws, and every range lies inside the text, on Terraform-like text', () => {
    fc.assert(fc.property(hclish, (text) => void scanHcl(text)), { numRuns: RUNS });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => void scanHcl(s)), { numRuns: RUNS });
  });

  it('never throws on mutated fixtures, unterminated strings and braces included', () => {
    fc.assert(fc.property(mutate(hclFixtures), (text) => void scanHcl(text)), { numRuns: RUNS });
  });

  it('reads the same references from a fixture with CRLF line ends, a BOM, or a NUL byte at the end', () => {
    // (a lone CR is no line break in HCL: such a file is not the same file, see the mutation property)
    const variants = fc.tuple(fc.constantFrom(...hclFixtures), fc.constantFrom('crlf', 'bom', 'nul'));
    fc.assert(
      fc.property(variants, ([text, how]) => {
        const base = baseSummary(text, scanHcl);
        const variant = how === 'crlf' ? text.replace(/\n/g, '\r\n') : how === 'bom' ? `\uFEFF${text}` : `${text}\u0000`;
        assert.deepEqual(summary(scanHcl(variant)).map((s) => s.replace(/\r/g, '')), base);
      }),
      { numRuns: RUNS },
    );
  });

  it('finds a string however deeply it is nested in lists and objects', () => {
    const nesting = fc.tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom('list', 'object', 'call'));
    fc.assert(
      fc.property(nesting, ([depth, shape]) => {
        const open = shape === 'list' ? '[' : shape === 'object' ? '{ k = ' : 'f(';
        const close = shape === 'list' ? ']' : shape === 'object' ? ' }' : ')';
        const text = `locals {\n  x = ${open.repeat(depth)}"${URI}"${close.repeat(depth)}\n}\n`;
        const r = scanHcl(text);
        assert.deepEqual(r.references.map((x) => x.text), [URI]);
      }),
      { numRuns: RUNS },
    );
  });

  it('a model image written as a literal is read back as written, with its range, whatever the layout around it', () => {
    const blank = fc.constantFrom(' ', '  ', '\t', ' # note\n', ' // note\r\n', ' /* c */ ', '\n', '\r\n');
    const inline = fc.constantFrom(' ', '  ', '\t', ' /* c */ ', '/**/');
    const layout = fc.tuple(blank, blank, inline, inline, fc.constantFrom(URI, `763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker`));
    fc.assert(
      fc.property(layout, ([a, b, c, d, uri]) => {
        const text = `resource "aws_sagemaker_model" "m" {${a}primary_container {${b}image${c}=${d}"${uri}"\n}\n}\n`;
        const r = scanHcl(text);
        assert.equal(r.references.length, 1);
        const [ref] = r.references;
        assert.equal(ref.text, uri);
        const at = text.indexOf(uri);
        assert.deepEqual(ref.range.start, new TextIndex(text).positionAt(at));
      }),
      { numRuns: RUNS },
    );
  });

  it('a tag taken from a variable default points into the default, whatever the variable is called', () => {
    const names = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
    fc.assert(
      fc.property(names, fc.boolean(), (name, viaLocal) => {
        const use = viaLocal ? '${local.img_tag}' : `\${var.${name}}`;
        const text = `variable "${name}" {\n  default = "${TAG}"\n}\nlocals {\n  img_tag = var.${name}\n}\nresource "aws_sagemaker_model" "m" {\n  container {\n    image = "763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${use}"\n  }\n}\n`;
        const r = scanHcl(text);
        assert.equal(r.references.length, 1);
        const [ref] = r.references;
        assert.ok(ref.kind === 'container-image');
        const tag = ref.image.tag!;
        assert.equal(tag.range.start.line, 1);
        assert.equal(text.split('\n')[1].slice(tag.range.start.character, tag.range.end.character), TAG);
        assert.equal(ref.image.substitutedFrom?.variable, `var.${name}`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Terraform scanner: properties of values that choose', () => {
  before(async () => {
    await initParsers(['terraform']);
  });

  it(`reads every element of a map chosen by an unknown key, where it is written, at most ${MAX_ALTERNATIVES}, with a note when there are more`, () => {
    const shape = fc.record({
      count: fc.integer({ min: 1, max: MAX_ALTERNATIVES + 8 }),
      access: fc.constantFrom('index', 'lookup'),
      via: fc.constantFrom('local', 'var'),
      pad: fc.constantFrom(' ', '   ', '\t'),
    });
    fc.assert(
      fc.property(shape, ({ count, access, via, pad }) => {
        const tags = Array.from({ length: count }, (_, i) => `2.1.${i}-gpu-py310-cu118-ubuntu20.04-sagemaker`);
        const map = `{\n${tags.map((t, i) => `  k${i} =${pad}"${t}"`).join('\n')}\n}`;
        const def = via === 'local' ? `locals {\n  tags = ${map}\n}\n` : `variable "tags" {\n  default = ${map}\n}\n`;
        const read = access === 'index' ? `${via}.tags[var.key]` : `lookup(${via}.tags, var.key, null)`;
        const text = `${def}data "aws_sagemaker_prebuilt_ecr_image" "d" {\n  repository_name = "pytorch-inference"\n  image_tag       = ${read}\n}\n`;
        const r = scanHcl(text);
        const judged = Math.min(count, MAX_ALTERNATIVES);
        assert.equal(r.references.length, judged);
        const index = new TextIndex(text);
        r.references.forEach((ref, i) => {
          assert.equal(ref.text, tags[i]);
          assert.deepEqual(ref.range.start, index.positionAt(text.indexOf(`"${tags[i]}"`) + 1));
        });
        assert.equal(r.notes.length, count > MAX_ALTERNATIVES ? 1 : 0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Terraform JSON scanner: properties', () => {
  const jsonish = fc
    .array(
      fc.oneof(
        fc.constantFrom('{', '}', '[', ']', ':', ',', '"', '\\"', '\\\\', '\\u0041', '"image": ', '"resource": ', '"aws_sagemaker_model": ', '"primary_container": ', '"//": ', `"${URI}"`, '"${var.tag}"', '${', '$${', '"variable": {"tag": {"default": ', '// c\n', '/* c */', '\n', '\r\n', '\uFEFF', '\u0000'),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));

  it('never throws, and every range lies inside the text, on JSON-like text and mutated fixtures', () => {
    fc.assert(fc.property(fc.oneof(jsonish, mutate(jsonFixtures)), (text) => void scanJson(text)), { numRuns: RUNS });
  });

  it('finds a string value however deeply it is nested, even past what the parser can build', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 300 }), weight: 19 }, { arbitrary: fc.integer({ min: 10000, max: 20000 }), weight: 1 }), (depth) => {
        const text = `${'['.repeat(depth)}"${URI}"${']'.repeat(depth)}`;
        assert.deepEqual(scanJson(text).references.map((x) => x.text), [URI]);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads the same references with CRLF line ends or a BOM', () => {
    fc.assert(
      fc.property(fc.constantFrom(...jsonFixtures), fc.boolean(), (text, crlf) => {
        const variant = crlf ? text.replace(/\n/g, '\r\n') : `\uFEFF${text}`;
        assert.deepEqual(summary(scanJson(variant)), baseSummary(text, scanJson));
      }),
      { numRuns: RUNS },
    );
  });
});
