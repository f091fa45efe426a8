import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleContext } from '../../../server/src/analysis';
import { loadBundledCatalog } from '../../../server/src/catalog/load';
import type { Finding, ImageReference, Reference } from '../../../server/src/model';
import { checkContainerImage } from '../../../server/src/rules/containerImage';
import { memoizedFindings, sameSaying } from '../../../server/src/rules/rebase';
import { scanText } from '../../../server/src/scanners/text';

const catalog = loadBundledCatalog();
const E = '763104351884.dkr.ecr.us-east-1.amazonaws.com/';
const TAGS = [
  `${E}pytorch-training:2.5.1-gpu-py311-cu124-ubuntu22.04-sagemaker`,
  `${E}pytorch-training:2.9.0-gpu-py312-cu130-ubuntu22.04-sagemaker`,
  `${E}tensorflow-inference:2.14.1-cpu-py310-ubuntu20.04-sagemaker`,
];

/** A text naming each image several times, at different lines and columns. */
function document(): string {
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) lines.push(`${' '.repeat(i % 5)}image ${i}: ${TAGS[i % TAGS.length]}`, 'some prose');
  return lines.join('\n');
}

const images = (text: string) => scanText(text, catalog).references.filter((r): r is ImageReference => r.kind === 'container-image');

/** The memoised findings of a reference, counting how often the rule really ran. */
function memoised(ref: ImageReference, asOf: string, runs: { n: number }, rule = 'container-image-test'): Finding[] {
  const ctx = ruleContext(catalog, { asOf });
  return memoizedFindings(ref, ctx, rule, () => {
    runs.n++;
    return checkContainerImage(ref, ctx);
  });
}

describe('memoised findings of single-reference rules (rules/rebase.ts)', () => {
  it('give what the rule gives uncached for every reference, moved to its own ranges', () => {
    const refs = images(document());
    assert.equal(refs.length, 12);
    const runs = { n: 0 };
    for (const pass of [1, 2]) {
      for (const ref of refs) {
        const expected = checkContainerImage(ref, ruleContext(catalog, { asOf: '2026-11-21' }));
        assert.ok(expected.length > 0, `the fixture is judged (${ref.text})`);
        assert.deepEqual(memoised(ref, '2026-11-21', runs, 'rebase-equal'), expected, `pass ${pass}, line ${ref.range.start.line}`);
      }
    }
    // the rule ran for fewer references than were judged: the other findings came from the memo
    assert.ok(runs.n < refs.length * 2, `ran ${runs.n} times for ${refs.length * 2} judgements`);
  });

  it('is keyed on asOf: a different day gives that day\'s judgement, not the memoised one', () => {
    const [ref] = images(`x ${TAGS[1]}`);
    const runs = { n: 0 };
    const before = memoised(ref, '2026-10-15', runs, 'rebase-asof');
    const after = memoised(ref, '2026-10-16', runs, 'rebase-asof');
    assert.deepEqual(before.map((f) => f.rule), ['end-of-patch-soon']);
    assert.deepEqual(after.map((f) => f.rule), ['end-of-patch']);
    assert.deepEqual(after, checkContainerImage(ref, ruleContext(catalog, { asOf: '2026-10-16' })));
    assert.equal(runs.n, 2);
    // and each day's answer is memoised on its own
    assert.deepEqual(memoised(ref, '2026-10-15', runs, 'rebase-asof').map((f) => f.rule), ['end-of-patch-soon']);
    assert.equal(runs.n, 2);
  });

  it('reference shapes: the same for references differing only in ranges, different when any value differs', () => {
    const [a, b] = images(`${TAGS[0]}\n   ${TAGS[0]}`);
    const ra = sameSaying(a, a)!;
    const rb = sameSaying(a, b)!;
    assert.ok(ra && rb, 'a says what b says');
    assert.notDeepEqual(ra, rb);
    assert.equal(ra.length, rb.length);
    const [c] = images(TAGS[2]);
    assert.equal(sameSaying(a, c), undefined);
    // strings cannot be mistaken for structure or for each other's boundaries
    const r = (fields: Record<string, unknown>) => ({ kind: 'dlami', ...fields }) as unknown as Reference;
    const differ = (x: Record<string, unknown>, y: Record<string, unknown>) => sameSaying(r(x), r(y)) === undefined && sameSaying(r(y), r(x)) === undefined;
    assert.ok(differ({ text: 'a', subject: 'bc' }, { text: 'ab', subject: 'c' }));
    assert.ok(differ({ text: '1' }, { text: 1 }));
    assert.ok(differ({ text: '"1:x' }, { text: '', subject: 'x' }));
    assert.ok(differ({ text: ['a', 'b'] }, { text: ['a'], subject: ['b'] }));
  });
});
