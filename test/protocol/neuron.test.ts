/**
 * Protocol test of Neuron pins over stdio: the built server publishes `neuron-mixed-releases` for a
 * requirements file whose Neuron packages come from different SDK releases, hovers on a Neuron pin
 * with its release, and offers one "Align Neuron packages" code action whose edits touch every
 * Neuron line (and the torch pin) and nothing else; after it the file has no mixed releases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { CodeActionRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/text';
import type { Session } from './session';
import { start, stop } from './session';

const URI = 'file:///workspace/trn1/requirements.txt';
const TEXT = [
  '# Trainium inference',
  'neuronx-cc==2.13.66.0  # from Neuron 2.18.0',
  'torch-neuronx==2.5.1.2.6.0',
  'transformers==4.36.2',
  'torch==2.5.1',
  'numpy<2',
  '',
].join('\n');

describe('language server on a requirements file with Neuron pins', () => {
  let s: Session;
  before(async () => {
    s = await start(false, { asOf: '2026-11-21' });
  });
  after(async () => stop(s));

  it('reports mixed releases, hovers on the release, and aligns every Neuron line in one action', async () => {
    const wait = s.next(URI, 1);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'pip-requirements', version: 1, text: TEXT } });
    const published = await wait;
    const mixed = published.diagnostics.filter((d) => d.code === 'neuron-mixed-releases');
    assert.deepEqual(mixed.map((d) => d.range.start.line), [1], 'on the neuronx-cc line');
    assert.match(String(mixed[0].message), /belongs to Neuron SDK 2\.18\.0, but torch-neuronx==2\.5\.1\.2\.6\.0 \(line 3\) belongs to Neuron SDK 2\.22\.0/);
    assert.ok(published.diagnostics.some((d) => d.code === 'neuron-end-of-support' && d.range.start.line === 2), 'PyTorch 2.5 on Neuron has ended');

    const hover = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 2, character: 3 } });
    const md = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(md, /torch-neuronx 2\.5\.1\.2\.6\.0 · Neuron SDK 2\.22\.0/);
    assert.match(md, /Other components of Neuron 2\.22\.0/);

    const actions = (await s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: URI }, range: mixed[0].range, context: { diagnostics: [mixed[0]] } })) as CodeAction[];
    const align = actions.filter((a) => a.title.startsWith('Align Neuron packages to SDK '));
    assert.equal(align.length, 1, `one align action among ${JSON.stringify(actions.map((a) => a.title))}`);
    const edits = align[0].edit!.changes![URI];
    assert.deepEqual([...new Set(edits.map((e) => e.range.start.line))].sort(), [1, 2, 4], 'the two Neuron lines and the torch pin');
    const fixed = applyEdits(TEXT, edits);
    const [before, afterLines] = [TEXT.split('\n'), fixed.split('\n')];
    for (const i of [0, 3, 5, 6]) assert.equal(afterLines[i], before[i], `line ${i + 1} is unchanged`);
    assert.match(afterLines[1], /^neuronx-cc==\d+\.\d+\.\d+\.\d+ {2}# from Neuron 2\.18\.0$/, 'the comment stays');
    assert.notEqual(afterLines[1], before[1]);
    const tnx = /^torch-neuronx==(\d+\.\d+\.\d+)\./.exec(afterLines[2])![1];
    assert.equal(afterLines[4], `torch==${tnx}`, 'torch follows the framework part of torch-neuronx');

    const next = s.next(URI, 2);
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: fixed }] });
    const codes = (await next).diagnostics.map((d) => String(d.code));
    assert.ok(!codes.includes('neuron-mixed-releases') && !codes.includes('neuron-end-of-support'), `after the fix: ${codes.join(', ')}`);
  });
});
