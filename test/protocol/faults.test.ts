/**
 * Server fault tests over stdio: an exception in one document's analysis yields no diagnostics for
 * that document and one log line, and the server keeps answering for the others; a document over
 * the size limit or binary is not analysed, is named in the log once, and one notice is shown per
 * session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { Session } from './session';
import { start, stop } from './session';

const AS_OF = '2026-11-21';

describe('server faults', () => {
  let s: Session;
  // notices reach the client as window/showMessageRequest, which the session records among the messages
  const notices = () => s.messages.filter((m) => m.startsWith('DL Lifecycle does not check'));
  before(async () => {
    s = await start(false, { asOf: AS_OF, maxFileSize: 0.001 }, 'file:///workspace', {}, {}, { DL_LIFECYCLE_FAULT_INJECTION: '/faulty/' });
  });
  after(() => stop(s));

  const open = async (uri: string, text: string) => {
    const published = s.next(uri, 1);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'pip-requirements', version: 1, text } });
    return published;
  };

  it('an analysis that throws: no diagnostics for that file, one log line, and the server keeps answering', async () => {
    const faulty = 'file:///workspace/faulty/requirements.txt';
    const p = await open(faulty, 'torch==1.13.1\n');
    assert.deepEqual(p.diagnostics, []);
    const lines = s.messages.filter((m) => m.includes(faulty));
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.match(lines[0], /analysis of .* failed: fault injected by DL_LIFECYCLE_FAULT_INJECTION \(at /);
    assert.ok(!lines[0].includes('\n'), 'one line');
    assert.equal(await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: faulty }, position: { line: 0, character: 1 } }), null);
    // another document is analysed as usual
    const good = 'file:///workspace/good/requirements.txt';
    const q = await open(good, 'torch==1.13.1\n');
    assert.ok(q.diagnostics.some((d) => d.code === 'end-of-patch'));
    const hover = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: good }, position: { line: 0, character: 1 } });
    assert.ok(hover, 'the server still answers hovers');
  });

  it('documents over the size limit or binary are not analysed; the log names each once, one notice per session', async () => {
    const big = 'file:///workspace/big/requirements.txt';
    const p = await open(big, `torch==1.13.1\n${'# padding\n'.repeat(200)}`); // 2 KB, over the 0.001 MB (1,048 bytes) limit
    assert.deepEqual(p.diagnostics, []);
    const binary = 'file:///workspace/bin/requirements.txt';
    const q = await open(binary, 'torch==1.13.1\n\u0000\u0001\u0002');
    assert.deepEqual(q.diagnostics, []);
    assert.equal(s.messages.filter((m) => m.includes('/big/requirements.txt is not analysed: over the 0.001 MB limit')).length, 1);
    assert.equal(s.messages.filter((m) => m.includes('/bin/requirements.txt is not analysed: a binary file')).length, 1);
    for (let i = 0; i < 50 && notices().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(notices().length, 1, JSON.stringify(notices()));
    assert.match(notices()[0], /DL Lifecycle does not check requirements\.txt: over the 0\.001 MB limit/);
  });
});
