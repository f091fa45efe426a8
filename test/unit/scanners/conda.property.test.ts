import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { analyzeText } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Position, Range, ScanResult } from '../../../server/src/model';
import { mapScalar, scanCondaEnvironment } from '../../../server/src/scanners/condaEnvironment';
import { scanCondaExplicit } from '../../../server/src/scanners/condaExplicit';
import { fileKindById } from '../../../server/src/scanners/fileKinds';
import { parseCondaSpec } from '../../../server/src/scanners/shellInstalls';
import { applyEdits, TextIndex } from '../../../server/src/text';

const catalog = loadBundledCatalog();
const fixtures = ['environment.yml', 'matchspecs.yml', 'flow.yml', 'anchors.yml', 'broken.yml', 'no-channels.yml'].map((n) =>
  readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'conda', n), 'utf8'),
);
const lockFixture = readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'conda', 'conda-linux-64.lock'), 'utf8');

/** Every range a scan holds, named for messages. */
function rangesOf(result: ScanResult): Array<[string, Range]> {
  const out: Array<[string, Range]> = [];
  for (const ref of result.references) {
    out.push([ref.kind, ref.range]);
    if (ref.kind === 'framework-package-pin') {
      out.push(['name', ref.pin.nameRange], ...ref.pin.clauses.map((c): [string, Range] => ['version', c.versionRange]));
      if (ref.pin.channel) out.push(['channel', ref.pin.channel.range]);
    } else if (ref.kind === 'python-version') out.push(['python version', ref.versionRange]);
  }
  result.comments.forEach((c) => out.push(['comment', c.range]));
  result.includes.forEach((i) => out.push(['include', i.range]));
  result.notes.forEach((n) => out.push(['note', n.range]));
  return out;
}

/** Every range lies inside the text (its positions survive the round trip through offsets) and is not reversed; statements too. */
function assertRangesInside(text: string, result: ScanResult): void {
  const idx = new TextIndex(text);
  const inside = (p: Position) => JSON.stringify(idx.positionAt(idx.offsetAt(p))) === JSON.stringify(p);
  const bad = rangesOf(result).filter(([, r]) => !inside(r.start) || !inside(r.end) || idx.offsetAt(r.start) > idx.offsetAt(r.end));
  assert.deepEqual(bad, [], 'ranges outside the text or reversed');
  assert.deepEqual(result.statements.filter((st) => st.startLine > st.endLine || st.endLine >= idx.lineCount), [], 'statement lines');
}

/** Pieces of real environment files, to build plausible and broken ones. */
const piece = fc.constantFrom(
  'name: x\n', 'channels:\n', 'dependencies:\n', '  - ', '    - ', '- ', 'pip:\n', '  - pip:\n', 'defaults', 'conda-forge', 'nodefaults',
  'pytorch', 'python', 'torch', 'tensorflow', 'torch-neuron', 'pytorch-lightning', '=', '==', '>=', '<', ',', '1.13', '3.8', '.*', '=py39_0',
  '::', '[version=', "'", '"', ']', '[', '{', '}', ': ', '\n', '\r\n', '\t', ' ', '#', ' # c', '&a ', '*a', '\\x41', '\\u00e9', '\\', "''",
  '-r req.txt', '--extra-index-url u', '🚀', 'é', '\uFEFF', '---\n', '...\n', '|\n', '>\n', '!!str ', '%YAML 1.2\n',
);

describe('conda environment scanner properties', () => {
  it('never throws and keeps every range inside the text, on random text and on files built from real syntax', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(piece, { maxLength: 80 }).map((p) => p.join('')));
    fc.assert(
      fc.property(text, (t) => {
        assertRangesInside(t, scanCondaEnvironment(t, catalog));
        assertRangesInside(t, scanCondaExplicit(t, catalog));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutated fixtures (deletions, insertions), and analysis neither', () => {
    const kind = fileKindById('conda-environment')!;
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), piece), { maxLength: 6 }), (base, edits) => {
        let text = base;
        for (const [at, del, ins] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + ins + text.slice(i + del);
        }
        const scan = scanCondaEnvironment(text, catalog);
        assertRangesInside(text, scan);
        analyzeText(text, 'environment.yml', kind, catalog, { asOf: '2026-11-21' });
      }),
      { numRuns: 600 },
    );
  });

  it('never throws on mutated explicit lock files', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom('-', '/', '.tar.bz2', '#', '\n', '1.13.1', 'pytorch', 'python', '@EXPLICIT', ' ', '')), { maxLength: 6 }), (edits) => {
        let text = lockFixture;
        for (const [at, del, ins] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + ins + text.slice(i + del);
        }
        assertRangesInside(text, scanCondaExplicit(text, catalog));
      }),
      { numRuns: 500 },
    );
  });

  it('maps every quoted scalar the yaml library writes back to source offsets that spell its value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('QUOTE_DOUBLE', 'QUOTE_SINGLE', 'PLAIN'), (value, type) => {
        const text = `dependencies:\n  - ${stringify(value, { defaultStringType: type as 'QUOTE_DOUBLE', lineWidth: 0 }).trimEnd()}\n`;
        const doc = parseDocument(text);
        const node = (doc.get('dependencies', true) as { items: unknown[] } | undefined)?.items?.[0] as Parameters<typeof mapScalar>[1] | undefined;
        if (!node || typeof node.value !== 'string') return;
        const m = mapScalar(text, node);
        if (!m) return; // block scalars (multi-line values) are not mapped
        assert.equal(m.text, node.value);
        assert.equal(m.offsets.length, m.text.length);
        for (let k = 1; k < m.offsets.length; k++) assert.ok(m.offsets[k] >= m.offsets[k - 1]);
        for (const o of m.offsets) assert.ok(o >= node.range![0] && o < node.range![1]);
        // a character written as itself sits at its own offset
        m.text.split('').forEach((c, k) => {
          if (text[m.offsets[k]] !== '\\' && c !== ' ' && c !== "'") assert.equal(text[m.offsets[k]], c);
        });
      }),
      { numRuns: 800 },
    );
  });

  it('conda MatchSpecs: never throws; offsets lie inside the spec and clause offsets spell the version as written', () => {
    const spec = fc.array(fc.constantFrom('pytorch', 'python', '::', 'conda-forge', '=', '==', '>=', '<', ',', ' ', '1.13', '.1', '.*', '*', '[', ']', "version='", "'", '"', 'build=', '|', 'py39_0'), { maxLength: 14 });
    fc.assert(
      fc.property(spec, (parts) => {
        const s = parts.join('');
        const r = parseCondaSpec(s);
        if (!r) return;
        assert.ok(r.nameStart >= 0 && r.nameEnd <= s.length && r.nameStart < r.nameEnd);
        assert.equal(s.slice(r.nameStart, r.nameEnd), r.name);
        for (const c of r.clauses) {
          assert.ok(c.start >= 0 && c.end <= s.length && c.start < c.end);
          const written = s.slice(c.start, c.end);
          assert.ok(c.version === written || c.version.startsWith(written.replace(/\*$/, '').replace(/\.$/, '')), `${c.version} vs ${written}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('fixes re-parse to their target: framework and Python pins in every spelling', () => {
    const kind = fileKindById('conda-environment')!;
    const pinGen = fc.record({
      pkg: fc.constantFrom('pytorch', 'tensorflow', 'python'),
      minor: fc.constantFrom('1.12', '1.13', '2.4', '2.8', '3.7', '3.8', '3.9'),
      shape: fc.constantFrom('=V', '==V.1', ' V.*', '=V=build_0', 'conda-forge::PKG=V'),
      quote: fc.constantFrom('', '"', "'"),
    });
    fc.assert(
      fc.property(pinGen, ({ pkg, minor, shape, quote }) => {
        const body = shape.startsWith('conda-forge') ? shape.replace('PKG', pkg).replace('V', minor) : `${pkg}${shape.replace('V', minor)}`;
        const text = `channels: [conda-forge]\ndependencies:\n  - ${quote}${body}${quote}\n`;
        const a = analyzeText(text, 'environment.yml', kind, catalog, { asOf: '2026-11-21' });
        for (const f of a.findings) {
          for (const fix of f.fixes) {
            if (!fix.targetVersion) continue;
            const fixed = applyEdits(text, fix.edits);
            const again = analyzeText(fixed, 'environment.yml', kind, catalog, { asOf: '2026-11-21' });
            // the fixed reference is found again and is no longer reported by the rule that proposed the fix
            assert.equal(again.scan.references.length, a.scan.references.length, fixed);
            assert.deepEqual(again.findings.filter((g) => g.rule === f.rule && g.rule !== 'superseded-patch'), [], `${f.rule} after ${fixed}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
