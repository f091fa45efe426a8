/**
 * No regular expression of the scanners, rules or fixes can backtrack catastrophically, shown two
 * ways without timing assertions (see test/fixtures/fuzzRegex.ts):
 * - by construction: every pattern is parsed and has none of the shapes that make a backtracking
 *   engine super-linear (nested or adjacent repetitions over the same characters, overlapping
 *   alternatives under a repetition, an unanchored leading repetition that can fail after its run);
 * - by a hang detector: every pattern runs on its adversarial 100 KB inputs in a worker that is ended
 *   after 2 s (a linear pattern needs well under a millisecond; the patterns this test was written
 *   against needed minutes).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import type { RegexNode } from '../fixtures/fuzzRegex';
import { ADVERSARIAL_LENGTH, adversarialInputs, backtrackingRisks, collectPatterns, DYNAMIC_PATTERNS, HangDetector, parseRegex, runPattern } from '../fixtures/fuzzRegex';

const ROOT = join(__dirname, '..', '..');
const HANG_MS = 2000;
const { literals, dynamic } = collectPatterns(ROOT);
const frameworkIds = loadBundledCatalog().frameworks.map((f) => f.id);
/** Every pattern the sources hold or build, with where. */
const patterns = [
  ...literals.map((l) => ({ where: `${l.file}:${l.line}`, source: l.source, flags: l.flags })),
  ...DYNAMIC_PATTERNS.flatMap((d) => d.patterns(frameworkIds).map((re) => ({ where: `${d.file} (${d.code})`, source: re.source, flags: re.flags }))),
];
const risksOf = (source: string, flags = '') => backtrackingRisks(parseRegex(source, flags), flags).map((r) => r.kind);

describe('regular expressions of the scanners, rules and fixes', () => {
  const detector = new HangDetector(HANG_MS);
  after(() => detector.close());

  it('are all found: every literal, and every RegExp built at run time is listed with the patterns it builds', () => {
    assert.ok(literals.length > 150, `${literals.length} literals`);
    for (const l of literals) assert.doesNotThrow(() => new RegExp(l.source, l.flags), `${l.file}:${l.line}`);
    for (const d of dynamic) {
      assert.ok(DYNAMIC_PATTERNS.some((k) => k.file === d.file && d.code.includes(k.code)), `${d.file}:${d.line} builds a RegExp not listed in DYNAMIC_PATTERNS: ${d.code}`);
    }
    for (const k of DYNAMIC_PATTERNS) {
      assert.ok(dynamic.some((d) => d.file === k.file && d.code.includes(k.code)), `DYNAMIC_PATTERNS lists ${k.file} ${k.code}, which is gone`);
      assert.ok(k.patterns(frameworkIds).length > 0);
    }
  });

  it('the parser reads every pattern', () => {
    for (const p of patterns) assert.doesNotThrow(() => parseRegex(p.source, p.flags), `${p.where}: /${p.source}/${p.flags}`);
    // what it reads: a class with a range and an escape, a bounded repetition, a lookbehind
    assert.deepEqual(parseRegex('(?<!a)[b-d\\n]{2,5}', ''), {
      type: 'seq',
      items: [
        { type: 'look', body: (parseRegex('a', '') as RegexNode), behind: true, negate: true },
        { type: 'quant', body: parseRegex('[b-d\\n]', ''), min: 2, max: 5, lazy: false },
      ],
    });
  });

  it('the static check flags the shapes that backtrack catastrophically, and passes their linear rewrites', () => {
    assert.ok(risksOf('(a+)+$').includes('nested-quantifier'));
    assert.ok(risksOf('^(\\w+\\s?)*$').includes('nested-quantifier'));
    assert.ok(risksOf('^(?:\\r\\n|\\r|\\n)+x').includes('overlapping-alternatives'));
    assert.ok(risksOf('^(a|ab)*c').includes('overlapping-alternatives'));
    // the patterns as they were before this test (terraformJson, requirements, conda, text, notebook cells)
    assert.ok(risksOf('^\\s*~?\\s*(var|local)\\.([A-Za-z_][A-Za-z0-9_-]*)\\s*~?\\s*$').includes('adjacent-quantifiers'));
    assert.ok(risksOf('^%%([A-Za-z_][\\w-]{0,50})(?:[ \\t]+(.*))?$').includes('adjacent-quantifiers'));
    for (const s of ['\\\\+$', '\\/+$', '[\\r\\n]+$', '\\s+$']) assert.deepEqual(risksOf(s), ['unanchored-leading-quantifier'], s);
    for (const s of ['^[a-z]+$', '^[ ]*(?:-[ ]+)*', '(?<![\\r\\n])[\\r\\n]+$', '(?<!\\\\)\\\\+$', '[^\\r\\n]*(?:\\r\\n|\\n|\\r|$)', '\\s+', '^\\d+(?:\\.\\d+)+$', '^[A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*$']) {
      assert.deepEqual(risksOf(s), [], s);
    }
  });

  it('none has a shape that backtracks catastrophically', () => {
    const risky = patterns.map((p) => ({ ...p, risks: backtrackingRisks(parseRegex(p.source, p.flags), p.flags) })).filter((p) => p.risks.length > 0);
    assert.deepEqual(risky.map((p) => `${p.where}: /${p.source}/${p.flags}: ${p.risks.map((r) => r.kind).join(', ')}`), []);
  });

  it('the hang detector catches a pattern that backtracks (the trailing-backslash pattern as it was) and passes its rewrite', async () => {
    const inputs = adversarialInputs(parseRegex('\\\\+$', ''));
    const before = await Promise.all([inputs.find((i) => i.text.startsWith('\\\\\\\\') && !i.text.endsWith('\\'))!].map((i) => detector.run('\\\\+$', '', i.text)));
    assert.deepEqual(before, ['hang']);
    for (const i of adversarialInputs(parseRegex('(?<!\\\\)\\\\+$', ''))) assert.notEqual(await detector.run('(?<!\\\\)\\\\+$', '', i.text), 'hang', i.label);
    assert.equal(runPattern('(?<!\\\\)\\\\+$', '', 'a\\\\\\'), 1);
  });

  it(`none hangs (${HANG_MS / 1000} s) on its adversarial 100 KB inputs`, async () => {
    const hangs: string[] = [];
    let runs = 0;
    for (const p of patterns) {
      const inputs = adversarialInputs(parseRegex(p.source, p.flags));
      assert.ok(inputs.length > 0, p.where);
      for (const input of inputs) {
        assert.ok(input.text.length >= ADVERSARIAL_LENGTH, `${p.where}: ${input.label}`);
        runs++;
        if ((await detector.run(p.source, p.flags, input.text)) === 'hang') hangs.push(`${p.where}: /${p.source}/${p.flags} on ${input.label}`);
      }
    }
    assert.deepEqual(hangs, []);
    assert.ok(runs > patterns.length * 5, `${runs} runs`);
  });
});
