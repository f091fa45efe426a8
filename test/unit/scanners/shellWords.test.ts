import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityOffsets, splitShellCommands } from '../../../server/src/scanners/shellInstalls';

/** The words of each command, with the document offset of each character. */
const split = (text: string) => splitShellCommands({ text, offsets: identityOffsets(text.length) }).map((ws) => ws.map((w) => [w.text, w.offsets.join(','), w.expands]));

describe('shell words (splitShellCommands)', () => {
  it('reads runs of plain characters with quotes, escapes, expansions and redirections as the shell does', () => {
    assert.deepEqual(split(`pip install to"rch=="2.1 x$V 'a b'\\ c 2>&1 >out y#z # note\nconda install -y k`), [
      [
        ['pip', '0,1,2', false],
        ['install', '4,5,6,7,8,9,10', false],
        ['torch==2.1', '12,13,15,16,17,18,19,21,22,23', false],
        ['x$V', '25,26,27', true],
        ['a b c', '30,31,32,35,36', false],
        ['y#z', '48,49,50', false],
      ],
      [
        ['conda', '59,60,61,62,63', false],
        ['install', '65,66,67,68,69,70,71', false],
        ['-y', '73,74', false],
        ['k', '76', false],
      ],
    ]);
  });

  it('maps characters through the given offsets (a text assembled from several places)', () => {
    const words = splitShellCommands({ text: 'ab cd', offsets: [10, 11, 20, 30, 31] });
    assert.deepEqual(words.map((ws) => ws.map((w) => [w.text, w.offsets])), [[['ab', [10, 11]], ['cd', [30, 31]]]]);
  });

  it('identity offsets cover at least the text and map each offset to itself', () => {
    const a = identityOffsets(5);
    assert.ok(a.length >= 5);
    for (let i = 0; i < 5; i++) assert.equal(a[i], i);
    const b = identityOffsets(1000);
    assert.ok(b.length >= 1000);
    assert.equal(b[999], 999);
  });
});
