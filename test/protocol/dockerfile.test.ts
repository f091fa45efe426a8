/**
 * Protocol test of a Dockerfile over stdio: the built server publishes diagnostics for a DLC image
 * whose tag is written in an ARG default, hovers on the image, and offers a whole-tag fix that edits
 * the ARG default; applying it clears the framework finding.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { CodeActionRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, DocumentLinkRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/text';
import type { Session } from './session';
import { start, stop } from './session';

const URI = 'file:///workspace/train/Dockerfile';
const TEXT = [
  'ARG TAG=2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker',
  'FROM 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:${TAG}',
  'RUN pip install -r /opt/ml/code/requirements.txt',
  '',
].join('\n');

describe('language server on a Dockerfile', () => {
  let s: Session;
  before(async () => {
    s = await start(false, { asOf: '2026-11-21' });
  });
  after(async () => stop(s));

  it('publishes image findings, hovers on the image, and fixes the tag where the ARG default holds it', async () => {
    const wait = s.next(URI, 1);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'dockerfile', version: 1, text: TEXT } });
    const published = await wait;
    const codes = published.diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['end-of-patch', 'os-end-of-life', 'python-end-of-life']);
    const eop = published.diagnostics.find((d) => d.code === 'end-of-patch')!;
    assert.equal(eop.range.start.line, 1, 'reported on the FROM line');
    assert.match(String(eop.message), /PyTorch 2\.1 reached end of patch on 2024-10-04/);

    const hover = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 1, character: 60 } });
    const md = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(md, /pytorch-training/);
    assert.match(md, /2024-10-04/);

    const actions = (await s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: URI }, range: eop.range, context: { diagnostics: [eop] } })) as CodeAction[];
    const update = actions.find((a) => a.title.startsWith('Update image to '));
    assert.ok(update, `no whole-tag fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    const edits = update.edit!.changes![URI];
    assert.ok(edits.every((e) => e.range.start.line === 0), 'the edit is in the ARG default, where the tag is written');
    const fixed = applyEdits(TEXT, edits);
    const newTag = /^ARG TAG=(\S+)$/m.exec(fixed)![1];
    assert.notEqual(newTag, '2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker');
    assert.match(newTag, /^2\.\d+\.\d+-gpu-py3\d+-cu\d+-ubuntu\d+\.\d+-sagemaker$/);
    assert.equal(fixed.split('\n').slice(1).join('\n'), TEXT.split('\n').slice(1).join('\n'), 'nothing else changes');

    const next = s.next(URI, 2);
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: fixed }] });
    // the nearest supported version may itself end soon (information), but nothing has ended
    const after = (await next).diagnostics.map((d) => String(d.code));
    assert.deepEqual(after.filter((c) => c !== 'end-of-patch-soon'), [], `after the fix to ${newTag}: ${after.join(', ')}`);
  });

  it('does not link pip -r paths inside the image to files beside the Dockerfile', async () => {
    const links = await s.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: URI } });
    assert.deepEqual(links, []);
  });
});
