/**
 * Protocol tests of the inlay hints and code lenses over stdio: both are off by default (empty
 * answers), and with `dlLifecycle.inlayHints.enabled` / `dlLifecycle.codeLens.enabled` the server
 * answers with the end-of-patch date after a pin and "ended D" above a DLC `FROM` line, and asks
 * the client to refresh them when the settings change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, InlayHint } from 'vscode-languageserver-protocol/node';
import { CodeLensRequest, DidChangeConfigurationNotification, DidOpenTextDocumentNotification, InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import type { Session } from './session';
import { start, stop } from './session';

const AS_OF = '2026-11-21';
const REQ_URI = 'file:///workspace/requirements.txt';
const DOCKER_URI = 'file:///workspace/Dockerfile';
const DLC = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';
const whole = { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } };

describe('inlay hints and code lenses over LSP', () => {
  let s: Session;
  const settings: Record<string, unknown> = { asOf: AS_OF };
  const refreshes: string[] = [];
  const torch113 = loadBundledCatalog().frameworkVersion('pytorch', '1.13')!.endOfPatch!;

  before(async () => {
    s = await start(true, settings, 'file:///workspace', {}, { workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } } });
    s.conn.onRequest('workspace/inlayHint/refresh', () => void refreshes.push('inlayHint'));
    s.conn.onRequest('workspace/codeLens/refresh', () => void refreshes.push('codeLens'));
    const a = s.next(REQ_URI);
    const b = s.next(DOCKER_URI);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: REQ_URI, languageId: 'pip-requirements', version: 1, text: 'torch==1.13.1\nnumpy\n' } });
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: DOCKER_URI, languageId: 'dockerfile', version: 1, text: `FROM ${DLC}\n` } });
    await Promise.all([a, b]);
  });
  after(() => stop(s));

  it('answers nothing while the settings are off (the default)', async () => {
    assert.deepEqual(await s.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri: REQ_URI }, range: whole }), []);
    assert.deepEqual(await s.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: DOCKER_URI } }), []);
  });

  it('with the settings on: the end-of-patch date after the pin, "ended D" above the FROM line, and refresh requests', async () => {
    settings.inlayHints = { enabled: true };
    settings.codeLens = { enabled: true };
    const before = refreshes.length;
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { dlLifecycle: settings } });
    for (let i = 0; i < 250 && refreshes.length < before + 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(refreshes.slice(before).sort(), ['codeLens', 'inlayHint']);
    const hints = (await s.conn.sendRequest(InlayHintRequest.type, { textDocument: { uri: REQ_URI }, range: whole })) as InlayHint[];
    assert.equal(hints.length, 1);
    assert.deepEqual(hints[0].position, { line: 0, character: 'torch==1.13.1'.length });
    assert.equal(hints[0].label, `ended ${torch113}`);
    const lenses = (await s.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: DOCKER_URI } })) as CodeLens[];
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].range.start.line, 0);
    assert.match(lenses[0].command?.title ?? '', /^ended \d{4}-\d{2}-\d{2}$/);
    assert.equal(lenses[0].command?.command, 'dlLifecycle.showReport');
  });
});
