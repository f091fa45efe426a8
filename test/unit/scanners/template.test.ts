import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Range } from '../../../server/src/model';
import type { TemplatePiece } from '../../../server/src/scanners/images/template';
import { literalPiece, recognizeRepositoryAndTag, scanTemplate } from '../../../server/src/scanners/images/template';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const TAG = '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';

/**
 * A small Terraform-like file and the pieces of its template, built by searching the text: a
 * variable default `tag`, a literal `version` default, and an image template using both.
 */
function file(template: string) {
  const text = `variable "tag" { default = "${TAG}" }\nvariable "v" { default = "2.1.0" }\nimage = "${template}"\n`;
  const ix = new TextIndex(text);
  const pos = (o: number) => ix.positionAt(o);
  const range = (s: number, e: number): Range => ({ start: pos(s), end: pos(e) });
  const textAt = (r: Range) => text.slice(ix.offsetAt(r.start), ix.offsetAt(r.end));
  const start = text.indexOf('image = "') + 'image = "'.length;
  const defaults: Record<string, string> = { 'var.tag': TAG, 'var.v': '2.1.0' };
  const pieces: TemplatePiece[] = [];
  const re = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) pieces.push(literalPiece(template.slice(last, m.index), start + last, pos));
    const value = defaults[m[1]];
    const r = range(start + m.index, start + m.index + m[0].length);
    if (value !== undefined) {
      const at = text.indexOf(`"${value}"`) + 1;
      pieces.push({ kind: 'substituted', text: value, range: r, at: (o) => pos(at + o), from: { name: m[1], range: range(at, at + value.length) } });
    } else pieces.push({ kind: 'placeholder', text: m[0], range: r });
    last = m.index + m[0].length;
  }
  if (last < template.length) pieces.push(literalPiece(template.slice(last), start + last, pos));
  return { text, pieces, anchor: range(start, start + template.length), textAt, lineOf: (r: Range) => r.start.line };
}

describe('scanTemplate', () => {
  it('maps a substituted tag into the variable default, and the literal parts where they are written', () => {
    const f = file('${var.account}.dkr.ecr.${var.region}.amazonaws.com/pytorch-training:${var.tag}');
    const { images, notes } = scanTemplate(f.pieces, f.anchor, f.textAt, catalog, 'whole');
    assert.equal(images.length, 1);
    const img = images[0].image;
    assert.equal(img.family, 'dlc');
    assert.equal(img.published, true);
    assert.equal(f.textAt(img.tag!.range), TAG);
    assert.equal(img.tag!.range.start.line, 0, 'the tag is written in the default of var.tag');
    assert.equal(f.textAt(img.parts.frameworkVersion!.range), '2.1.0');
    assert.equal(f.textAt(img.repository.range), 'pytorch-training');
    assert.equal(img.repository.range.start.line, 2);
    assert.equal(img.account?.placeholder, true);
    assert.deepEqual(img.substitutedFrom, { variable: 'var.tag', range: img.tag!.range });
    assert.equal(images[0].text, f.textAt(f.anchor), 'the reference text is what is written at its range');
    assert.deepEqual(notes, []);
  });

  it('maps a tag made of a variable and literal text to that text in the template', () => {
    const f = file('763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${var.v}-gpu-py310-cu121-ubuntu20.04-sagemaker');
    const img = scanTemplate(f.pieces, f.anchor, f.textAt, catalog, 'whole').images[0].image;
    assert.equal(img.tag!.text, TAG, 'the tag is read resolved');
    assert.equal(f.textAt(img.tag!.range), '${var.v}-gpu-py310-cu121-ubuntu20.04-sagemaker', 'a fix replaces the written tag');
    assert.equal(f.textAt(img.parts.frameworkVersion!.range), '2.1.0');
    assert.equal(img.parts.frameworkVersion!.range.start.line, 1, 'the framework version alone lies in the default of var.v');
    assert.equal(f.textAt(img.parts.python!.range), 'py310');
  });

  it('says which placeholder leaves a tag or repository unjudged', () => {
    const f = file('763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${var.missing}');
    const r = scanTemplate(f.pieces, f.anchor, f.textAt, catalog, 'whole');
    assert.equal(r.images.length, 1);
    assert.deepEqual(r.notes.map((n) => n.message), ["'${var.missing}' could not be resolved in this file: its tag cannot be judged"]);
    const g = file('763104351884.dkr.ecr.us-west-2.amazonaws.com/${var.repo_and_tag}');
    const s = scanTemplate(g.pieces, g.anchor, g.textAt, catalog, 'whole');
    assert.equal(s.notes.length, 1);
    assert.match(s.notes[0].message, /'\$\{var\.repo_and_tag\}' could not be resolved/);
  });

  it('finds images and DLAMI names inside a longer string in find mode, not base images', () => {
    const f = file('docker pull python:3.10 && docker pull 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:${var.tag} on Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) 20230926');
    const r = scanTemplate(f.pieces, f.anchor, f.textAt, catalog, 'find');
    assert.deepEqual(r.images.map((i) => i.image.repository.text), ['pytorch-training']);
    assert.deepEqual(r.dlamis.map((d) => f.textAt(d.range)), ['Deep Learning AMI GPU PyTorch 2.0.1 (Amazon Linux 2) 20230926']);
  });

  it('keeps every range inside the file for any template (random pieces)', () => {
    const lit = fc.constantFrom('763104351884', '.dkr.ecr.', 'us-west-2', '.amazonaws.com/', 'pytorch-training', ':', '2.1.0', '-gpu-py310', '-cu121-ubuntu20.04-sagemaker', 'Deep Learning AMI ', 'x', '/');
    const part = fc.oneof(lit, fc.constantFrom('${var.tag}', '${var.v}', '${var.region}', '${var.account}'));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 12 }), fc.constantFrom('whole', 'find') as fc.Arbitrary<'whole' | 'find'>, (parts, mode) => {
        const f = file(parts.join(''));
        const r = scanTemplate(f.pieces, f.anchor, f.textAt, catalog, mode);
        const n = f.text.length;
        const ix = new TextIndex(f.text);
        const inside = (range: Range) => {
          const s = ix.offsetAt(range.start);
          const e = ix.offsetAt(range.end);
          assert.ok(s <= e && e <= n && range.end.line <= 3);
        };
        for (const i of r.images) {
          inside(i.range);
          for (const p of Object.values(i.image.parts)) inside(p!.range);
        }
        for (const d of r.dlamis) inside(d.range);
        for (const x of r.notes) inside(x.range);
      }),
      { numRuns: 500 },
    );
  });
});

describe('recognizeRepositoryAndTag', () => {
  const line = (n: number) => (o: number) => ({ line: n, character: 10 + o });
  const anchor: Range = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
  const lines = ['', `          pytorch-inference`, `          2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker`];
  const textAt = (r: Range) => lines[r.start.line]?.slice(r.start.character, r.end.character) ?? '';

  it('reads a DLC repository and tag written apart, each with its own range; the reference is the tag', () => {
    const r = recognizeRepositoryAndTag([literalPiece('pytorch-inference', 0, line(1))], [literalPiece('2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker', 0, line(2))], anchor, textAt, catalog);
    assert.equal(r.images.length, 1);
    const ref = r.images[0];
    assert.equal(ref.image.uri, 'pytorch-inference:2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(ref.subject, 'pytorch');
    assert.equal(ref.image.published, true);
    assert.deepEqual([ref.image.repository.range.start, ref.range.start], [{ line: 1, character: 10 }, { line: 2, character: 10 }]);
    assert.equal(ref.text, '2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker');
    assert.equal(ref.image.registry, undefined);
    assert.equal(ref.image.account, undefined);
  });

  it('recognises nothing for a repository that is not a DLC repository', () => {
    const r = recognizeRepositoryAndTag([literalPiece('my-team/trainer', 0, line(1))], [literalPiece('2.1.0', 0, line(2))], anchor, textAt, catalog);
    assert.deepEqual(r, { images: [], dlamis: [], notes: [] });
  });
});
