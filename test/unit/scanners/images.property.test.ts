import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { DlcTagParts } from '../../../server/src/catalog/images';
import type { ImageReference, Located } from '../../../server/src/model';
import type { ImageMapping } from '../../../server/src/policy/images';
import { findImageReferences, recognizeImage } from '../../../server/src/scanners/images';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const images = catalog.images!;
const MAPPINGS: ImageMapping[] = [{ pattern: 'registry.example.com/ml/*:{framework_version}-{processor}-{python}', placeholders: ['framework_version', 'processor', 'python'], framework: 'pytorch' }];

/** Every located piece of a reference (the reference itself, registry, account, …, each part). */
function pieces(ref: ImageReference): Array<[string, Located]> {
  const im = ref.image;
  const out: Array<[string, Located]> = [['reference', { text: ref.text, range: ref.range }], ['repository', im.repository]];
  for (const k of ['registry', 'account', 'region', 'tag', 'digest'] as const) {
    const piece = im[k];
    if (piece) out.push([k, piece]);
  }
  for (const [k, v] of Object.entries(im.parts)) out.push([k, v]);
  return out;
}

/** Each piece lies inside `text`, is not reversed, and its text is the slice its range covers. */
function assertInside(text: string, idx: TextIndex, refs: readonly ImageReference[]): void {
  for (const ref of refs) {
    for (const [what, piece] of pieces(ref)) {
      const s = idx.offsetAt(piece.range.start);
      const e = idx.offsetAt(piece.range.end);
      assert.deepEqual(idx.positionAt(s), piece.range.start, `${what} start outside the text`);
      assert.deepEqual(idx.positionAt(e), piece.range.end, `${what} end outside the text`);
      assert.ok(s <= e, `${what} reversed`);
      assert.equal(text.slice(s, e), piece.text, `${what} text is not the slice of its range`);
    }
  }
}

/** Pieces real image texts are made of, to build plausible and broken references. */
const piece = fc.constantFrom(
  '763104351884', '520713654638', '123456789012', '.dkr.ecr.', '.dkr.ecr', 'us-east-1', 'cn-north-1', '.amazonaws.com', '.amazonaws.com.cn', '/', ':', '@', 'sha256:',
  'a'.repeat(64), 'pytorch-training', 'vllm', 'public.ecr.aws/', 'deep-learning-containers/', 'neuron/', 'ubuntu', 'python', 'nvidia/cuda', 'library/',
  '2.1.0', '-gpu', '-py310', '-cu121', '-ubuntu20.04', '-sagemaker', '-v1', '3.10-slim', '{region}', '{}', '${AWS::Region}', '${', '}', '{', '$REGION', '%s',
  '<region>', '{{', 'registry.example.com/ml/x:', ' ', '\n', '\r\n', '"', "'", '`', '.', ',', '-', '\u0000', '\uD800', '\uDC00', '🚀', 'é', '*', '=',
);
const plausible = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));
const anyText = fc.oneof(plausible, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));

describe('image recogniser properties', () => {
  it('never throws, and keeps every range inside the text with text === slice (whole strings and free text)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const idx = new TextIndex(text);
        const at = (o: number) => idx.positionAt(o);
        const whole = recognizeImage(text, at, catalog, { mappings: MAPPINGS });
        assertInside(text, idx, whole ? [whole] : []);
        assertInside(text, idx, findImageReferences(text, at, catalog, { mappings: MAPPINGS }));
      }),
      { numRuns: 1500 },
    );
  });

  it('survives a 1 MB input, NUL bytes and lone surrogates', () => {
    const at = (o: number) => ({ line: 0, character: o });
    const big = `${'763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310 \u0000\uD800 '.repeat(12_000)}`.slice(0, 1_000_000);
    assert.equal(recognizeImage(big, at, catalog), undefined, 'longer than any image reference');
    const found = findImageReferences(big, at, catalog);
    assert.ok(found.length > 10_000, 'finds the repeated URI');
    assert.equal(recognizeImage('\u0000\uD800ubuntu:22.04', at, catalog), undefined);
    assert.deepEqual(findImageReferences('\uDC00\u0000', at, catalog), []);
  });

  it('runs over a 100 KB adversarial string (anchors, unclosed placeholders, long runs) without blowing up', () => {
    const at = (o: number) => ({ line: 0, character: o });
    const adversarial = [
      '{}.dkr.ecr.'.repeat(10_000),
      '${'.repeat(50_000),
      `public.ecr.aws/${'a-'.repeat(50_000)}`,
      `${'1'.repeat(12)}.dkr.ecr${'.'.repeat(100_000)}`,
      `registry.example.com/ml/${'x:'.repeat(50_000)}`,
      '{{'.repeat(50_000),
    ];
    for (const text of adversarial) {
      const started = performance.now();
      findImageReferences(text, at, catalog, { mappings: MAPPINGS });
      recognizeImage(text.slice(0, 500), at, catalog, { mappings: MAPPINGS });
      const ms = performance.now() - started;
      assert.ok(Number.isFinite(ms)); // measured, not asserted: the run finishing is the check
    }
  });

  it('recognises every published tag of sampled repositories as published, with parts that agree with parseDlcTag', () => {
    const repos = ['pytorch-training', 'tensorflow-inference', 'huggingface-pytorch-inference', 'pytorch-inference-neuronx', 'vllm'];
    const sample = fc.constantFrom(...repos).chain((name) => fc.record({ name: fc.constant(name), tag: fc.constantFrom(...images.repository(name)!.tags) }));
    const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2');
    fc.assert(
      fc.property(sample, region, ({ name, tag }, r) => {
        const prefix = `763104351884.dkr.ecr.${r}.amazonaws.com/${name}:`;
        const ref = recognizeImage(prefix + tag, (o) => ({ line: 3, character: o }), catalog);
        assert.ok(ref, `${name}:${tag} not recognised`);
        assert.equal(ref.image.published, true);
        assert.equal(ref.subject, images.repository(name)!.framework);
        const parsed = images.parseDlcTag(tag, name);
        assert.equal(ref.image.scheme, parsed?.scheme);
        for (const [k, v] of Object.entries(ref.image.parts)) {
          const p = parsed?.[k as keyof DlcTagParts] as { text: string; start: number; end: number } | undefined;
          assert.ok(p, `${k} not in parseDlcTag`);
          assert.equal(v.text, p.text);
          assert.deepEqual(v.range, { start: { line: 3, character: prefix.length + p.start }, end: { line: 3, character: prefix.length + p.end } });
        }
        for (const k of ['frameworkVersion', 'processor', 'python', 'cuda', 'os', 'neuronSdk', 'platform', 'suffix', 'transformersVersion'] as const) {
          if (parsed?.[k]) assert.ok(ref.image.parts[k], `${k} lost`);
        }
      }),
      { numRuns: 400 },
    );
  });
});
