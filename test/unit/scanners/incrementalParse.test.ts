/**
 * Incremental parsing (`parseWith` in server/src/scanners/treeSitter.ts) gives the tree a full
 * parse gives: for every grammar, fixture and generated texts are parsed, then edited at random
 * (deletions, insertions of code pieces, non-ASCII characters, surrogate pairs, line breaks) up to
 * three times in a row, each version parsed after the one before; the tree of every version must
 * equal, node by node (type, field, offsets, rows and columns, missing nodes), the tree of a fresh
 * parse of the same text. The test also
 * proves that the incremental path was taken, and that the cases it declines are parsed in full.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { SyntaxTree, Grammar } from '../../../server/src/scanners/treeSitter';
import { incrementalParse, initParsers, parseWith } from '../../../server/src/scanners/treeSitter';
import { generateDocument } from '../../../bench/generate';
import { fixtureSamples } from '../../fixtures/fuzz';

/** Every node of a tree in pre-order, with what a scanner can read of it. */
function nodesOf(tree: SyntaxTree): string[] {
  const out: string[] = [];
  const c = tree.walk();
  try {
    for (;;) {
      const s = c.startPosition;
      const e = c.endPosition;
      out.push(`${c.currentDepth} ${c.nodeType}${c.nodeIsMissing ? '(missing)' : ''} ${c.currentFieldName ?? ''} ${c.startIndex}-${c.endIndex} ${s.row}:${s.column}-${e.row}:${e.column}`);
      if (c.gotoFirstChild()) continue;
      while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
    }
  } finally {
    c.delete();
  }
}

/** The tree of a fresh (full) parse of `text`: the last parse is not used. */
function fullParse(grammar: Grammar, text: string): string[] {
  incrementalParse.enabled = false;
  try {
    const tree = parseWith(grammar, text)!;
    try {
      return nodesOf(tree);
    } finally {
      tree.delete();
    }
  } finally {
    incrementalParse.enabled = true;
  }
}

/** Parses `before`, then `after` (incrementally when parseWith can); the nodes of the second tree. */
function parseAfter(grammar: Grammar, previous: string, text: string): string[] {
  parseWith(grammar, previous)!.delete();
  const tree = parseWith(grammar, text)!;
  try {
    return nodesOf(tree);
  } finally {
    tree.delete();
  }
}

const GRAMMAR_OF: Array<[RegExp, Grammar]> = [
  [/\.py$/, 'python'],
  [/\.(tf|tfvars|hcl)$/, 'terraform'],
  [/\.ts$/, 'typescript'],
  [/\.(tsx|jsx?|mjs|cjs)$/, 'tsx'],
];

/** Fixture and example texts of every grammar, and generated documents of the kinds that parse. */
function textsByGrammar(): Map<Grammar, string[]> {
  const out = new Map<Grammar, string[]>();
  const add = (g: Grammar, text: string) => out.set(g, [...(out.get(g) ?? []), text]);
  for (const samples of fixtureSamples().values()) {
    for (const s of samples) {
      const g = GRAMMAR_OF.find(([re]) => re.test(s.path))?.[1];
      if (g && s.text.length > 0) add(g, s.text);
    }
  }
  add('python', generateDocument('python', 300).text);
  add('typescript', generateDocument('cdk', 300).text);
  add('terraform', generateDocument('terraform', 300).text);
  return out;
}

/** What an edit inserts: code pieces of the grammars, odd characters, line breaks. */
const PIECES = ['(', ')', '"', "'", '{', '}', '[', ']', ':', ',', '=', '#', '//', '/*', '\n', '\r\n', '    ', '\t', 'é', '𝔸', '\u{1F600}', 'x', '1.13.1', 'def f(a):\n  return a\n', 'image_uri="763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310"', ' = "${var.x}"\n', 'new ecr.Repository(this, "r");\n', ''];

/** An edit of `text`: `length` characters from `at` replaced by `insert` (both taken modulo the text). */
const editArb = fc.record({ at: fc.nat(), length: fc.nat({ max: 24 }), insert: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((a) => a.join('')) });

function applyEdit(text: string, e: { at: number; length: number; insert: string }): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.length));
}

describe('incremental parsing gives the tree of a full parse', () => {
  before(() => initParsers());
  const texts = textsByGrammar();

  for (const grammar of ['python', 'typescript', 'tsx', 'terraform'] as const) {
    it(`${grammar}: random edits of fixture and generated texts`, () => {
      const pool = texts.get(grammar) ?? [];
      assert.ok(pool.length > 0, `texts for ${grammar}`);
      const reusedBefore = incrementalParse.reused;
      let compared = 0;
      fc.assert(
        fc.property(fc.nat({ max: pool.length - 1 }), fc.array(editArb, { minLength: 1, maxLength: 3 }), (pick, edits) => {
          // a chain of versions, each parsed after the one before (a broken version's tree is the
          // last tree of the next parse), every one compared with a full parse
          let previous = pool[pick];
          for (const [k, edit] of edits.entries()) {
            const edited = applyEdit(previous, edit);
            assert.deepEqual(parseAfter(grammar, previous, edited), fullParse(grammar, edited), `${grammar}: edit ${k} of ${JSON.stringify(edits)}`);
            previous = edited;
            compared++;
          }
        }),
        { numRuns: 300, seed: 20261122 },
      );
      // the comparison proved something only when edits were parsed incrementally (error-free results)
      assert.ok(incrementalParse.reused - reusedBefore > 30, `${grammar}: ${incrementalParse.reused - reusedBefore} of ${compared} edits parsed incrementally`);
    });
  }

  it('the same text again, another text and a broken result are parsed in full', () => {
    const text = 'import sagemaker\nest = sagemaker.estimator.Estimator(image_uri="x")\n'.repeat(20);
    parseWith('python', text)!.delete();
    let reused = incrementalParse.reused;
    parseWith('python', text)!.delete();
    assert.equal(incrementalParse.reused, reused, 'an unchanged text is parsed in full');
    parseWith('python', 'print(1)\n')!.delete();
    assert.equal(incrementalParse.reused, reused, 'a text that shares little with the last is parsed in full');
    parseWith('python', text)!.delete();
    const small = text.replace('image_uri="x"', 'image_uri="y"');
    parseWith('python', small)!.delete();
    assert.equal(incrementalParse.reused, reused + 1, 'a small edit is parsed incrementally');
    reused = incrementalParse.reused;
    const broken = small.replace('image_uri="y")', 'image_uri="y"');
    const tree = parseWith('python', broken)!;
    try {
      assert.equal(tree.rootNode.hasError, true);
      assert.equal(incrementalParse.reused, reused, 'an edit whose tree has a syntax error is parsed again in full');
      assert.deepEqual(nodesOf(tree), fullParse('python', broken));
    } finally {
      tree.delete();
    }
  });
});
