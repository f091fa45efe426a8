import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Located, Position, Range, ScanResult } from '../../../server/src/model';
import { scanDockerfile } from '../../../server/src/scanners/dockerfile';
import { parseCondaSpec, splitShellCommands } from '../../../server/src/scanners/shellInstalls';
import { TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'dockerfiles');
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.Dockerfile')).map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

/** Characters that change how a written span reads: escapes, quotes, variables, line breaks. */
const NOT_SIDE_BY_SIDE = /[$\\`"'\r\n{}]/;

function checkResult(text: string, result: ScanResult): void {
  const idx = new TextIndex(text);
  // the lines as LSP counts them, to check positions independently of offsetAt (which clamps)
  const lineLengths = text.split(/\r\n|\r|\n/).map((l) => l.length);
  const offsetOf = (p: Position, what: string) => {
    assert.ok(p.line >= 0 && p.line < lineLengths.length && p.character >= 0 && p.character <= lineLengths[p.line], `${what} outside the text`);
    return idx.offsetAt(p);
  };
  const sliceOf = (r: Range, what: string) => {
    const [s, e] = [offsetOf(r.start, `${what} start`), offsetOf(r.end, `${what} end`)];
    assert.ok(s <= e, `${what} is reversed`);
    return text.slice(s, e);
  };
  const checkLocated = (l: Located, what: string) => {
    const written = sliceOf(l.range, what);
    if (written !== l.text) assert.ok(NOT_SIDE_BY_SIDE.test(written), `${what}: ${JSON.stringify(written)} at its range is not ${JSON.stringify(l.text)}`);
  };
  for (const ref of result.references) {
    assert.equal(sliceOf(ref.range, 'reference'), ref.text, 'reference text is the text at its range');
    if (ref.kind === 'container-image') {
      const img = ref.image;
      for (const key of ['registry', 'account', 'region', 'repository', 'tag', 'digest'] as const) {
        const l = img[key];
        if (l) checkLocated(l, key);
      }
      for (const [name, part] of Object.entries(img.parts)) if (part) checkLocated(part, name);
      if (img.substitutedFrom) sliceOf(img.substitutedFrom.range, 'substitutedFrom');
    } else if (ref.kind === 'framework-package-pin') {
      checkLocated({ text: ref.pin.name, range: ref.pin.nameRange }, 'name');
      if (ref.pin.specifierRange) sliceOf(ref.pin.specifierRange, 'specifier');
      for (const c of ref.pin.clauses) sliceOf(c.versionRange, 'version');
    }
  }
  for (const c of result.comments) assert.equal(sliceOf(c.range, 'comment'), `#${c.text}`);
  for (const i of result.includes) sliceOf(i.range, 'include');
  for (const n of result.notes) sliceOf(n.range, 'note');
  for (const s of result.statements) assert.ok(s.startLine >= 0 && s.startLine <= s.endLine && s.endLine < lineLengths.length, 'statement lines inside the text');
}

/** Pieces real Dockerfiles are made of, to build plausible and broken files. */
const piece = fc.constantFrom(
  'FROM ', 'from ', 'ARG ', 'RUN ', 'LABEL ', 'COPY ', ' AS ', ' as ', '--platform=linux/amd64 ', 'scratch', 'builder',
  '763104351884.dkr.ecr.us-west-2.amazonaws.com/', 'public.ecr.aws/deep-learning-containers/', 'pytorch-training', ':',
  '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker', 'python:3.8-slim', 'nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04', '@sha256:',
  'TAG', 'TAG=', '${TAG}', '$TAG', '${TAG:-2.1.0}', '${', '}', '=', '"', "'", '\\', '`', '# escape=`\n', '# c\n', '#', '\n', '\r\n', '\r',
  ' ', '\t', 'pip install ', 'python -m pip install ', 'conda install -y -c pytorch ', 'apt-get install -y ', 'torch==2.1.0',
  "'tensorflow>=2.14,<2.15'", 'pytorch=1.13.1', 'aws-neuronx-runtime-lib=2.22.14.0-*', '-r ', 'requirements.txt', '--extra-index-url ',
  ' && ', '; ', ' | ', '||', '["pip", "install", "torch==2.1.0"]', '[', ']', ',', '<<EOF\n', 'EOF\n', '\uFEFF', '🚀', 'é', '\u0000',
);

/** Random single-character edits (insert or delete) applied to a text. */
const edits = fc.array(
  fc.record({
    at: fc.nat(),
    del: fc.nat({ max: 3 }),
    ins: fc.oneof(fc.constantFrom('', '\\', '`', '$', '{', '}', '"', "'", '\n', '\r\n', '#', ' ', '=', ':', '&&', '['), fc.string({ maxLength: 3 })),
  }),
  { minLength: 1, maxLength: 8 },
);

function mutate(text: string, ops: Array<{ at: number; del: number; ins: string }>): string {
  let t = text;
  for (const op of ops) {
    const at = t.length ? op.at % (t.length + 1) : 0;
    t = t.slice(0, at) + op.ins + t.slice(at + op.del);
  }
  return t;
}

/** Scans every generated text and checks the result. */
const scansCleanly = (texts: fc.Arbitrary<string>, numRuns: number) =>
  fc.assert(fc.property(texts, (text) => checkResult(text, scanDockerfile(text, catalog))), { numRuns });

describe('Dockerfile scanner properties', () => {
  it('never throws and keeps every range inside the text, on random text', () => {
    scansCleanly(fc.string({ unit: 'binary', maxLength: 400 }), 500);
  });

  it('never throws, ranges inside, reference text at its range, on files built from Dockerfile syntax', () => {
    scansCleanly(fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join('')), 2000);
  });

  it('never throws, ranges inside, reference text at its range, on mutated fixtures', () => {
    scansCleanly(fc.tuple(fc.nat({ max: fixtures.length - 1 }), edits).map(([i, ops]) => mutate(fixtures[i], ops)), 1500);
  });

  it('every fixture passes the checks unmutated, and finds references', () => {
    for (const text of fixtures) {
      const result = scanDockerfile(text, catalog);
      checkResult(text, result);
      assert.ok(result.references.length + result.notes.length > 0);
    }
  });

  it('a DLC tag from an ARG default keeps each part inside that default, whatever the tag', () => {
    const tag = fc.record({
      v: fc.constantFrom('2.1.0', '1.13.1', '2.0.1'),
      py: fc.constantFrom('py310', 'py39'),
      quoted: fc.boolean(),
      crlf: fc.boolean(),
      gap: fc.constantFrom('', '\n', '# note\n', 'ARG OTHER=1\n'),
    });
    fc.assert(
      fc.property(tag, ({ v, py, quoted, crlf, gap }) => {
        const value = `${v}-gpu-${py}-cu118-ubuntu20.04-sagemaker`;
        let text = `ARG TAG=${quoted ? `"${value}"` : value}\n${gap}FROM 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:\${TAG}\n`;
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const result = scanDockerfile(text, catalog);
        checkResult(text, result);
        const [ref] = result.references;
        assert.equal(ref?.kind, 'container-image');
        if (ref.kind !== 'container-image') return;
        const idx = new TextIndex(text);
        const sliceOf = (r: Range) => text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
        assert.equal(ref.image.substitutedFrom?.variable, 'TAG');
        assert.equal(sliceOf(ref.image.substitutedFrom!.range), value);
        for (const part of Object.values(ref.image.parts)) {
          assert.equal(part!.range.start.line, 0);
          assert.equal(sliceOf(part!.range), part!.text);
        }
        assert.equal(sliceOf(ref.image.parts.frameworkVersion!.range), v);
      }),
      { numRuns: 200 },
    );
  });

  it('shell splitting and conda specs never throw and keep offsets from the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const offsets = Array.from({ length: text.length }, (_, i) => i * 2);
        for (const words of splitShellCommands({ text, offsets })) {
          for (const w of words) {
            assert.equal(w.offsets.length, w.text.length);
            for (const o of w.offsets) assert.ok(offsets.includes(o));
          }
        }
        const spec = parseCondaSpec(text);
        if (spec) {
          assert.equal(text.slice(spec.nameStart, spec.nameEnd), spec.name);
          for (const c of spec.clauses) assert.ok(c.start >= 0 && c.end <= text.length && c.start <= c.end);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
