/**
 * Protocol tests of the policy file: the built server (dist/server.js) over stdio, on a workspace
 * folder on disk.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification, DidOpenTextDocumentNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { URI as Uri } from 'vscode-uri';
import { workspace as tempWorkspace } from '../fixtures/workspace';
import type { Session } from './session';
import { start, stop } from './session';

// PyTorch 1.13 reached end of patch on 2024-10-28 (AWS support table, bundled catalog)
const POLICY = 'as-of = "2024-11-27"\nexclude = ["legacy/**"]\n\n[rules]\nend-of-patch = { severity = "warning", escalate-to = "error", after-days = 30 }\n';
const BAD_POLICY = 'as-of = "2024-11-27"\n[rules]\nend-of-patch = "eror"\nunpinned = "warning"\n';

const workspace = (files: Record<string, string>) => tempWorkspace(files, 'dl-lifecycle-policy-lsp-');

describe('language server with policy files', () => {
  const dir = workspace({ '.dl-lifecycle.toml': POLICY, 'bad/.dl-lifecycle.toml': BAD_POLICY });
  const uri = (...parts: string[]) => Uri.file(path.join(dir, ...parts)).toString();
  let s: Session;
  const open = async (u: string, text: string, languageId = 'pip-requirements', version = 1) => {
    const wait = s.next(u, version);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId, version, text } });
    return wait;
  };
  /** The first diagnostics of `u` from now on that satisfy `ok` (earlier, stale publications are passed over), given their `code:severity` list and messages. */
  const until = async (u: string, ok: (codes: string, messages: string) => boolean) => {
    for (let i = 0; i < 20; i++) {
      const p = await s.next(u);
      if (ok(p.diagnostics.map((d) => `${d.code}:${d.severity}`).join(' '), p.diagnostics.map((d) => d.message).join('\n'))) return p;
    }
    throw new Error(`no matching diagnostics for ${u}`);
  };
  before(async () => {
    s = await start(false, { asOf: '2026-11-21' }, Uri.file(dir).toString());
  });
  after(async () => stop(s));

  it('applies the nearest policy to an opened document (as-of and escalation win over the settings)', async () => {
    const p = await open(uri('app', 'requirements.txt'), 'torch==1.13.1\n');
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]), [['end-of-patch', 1]]);
    assert.match(p.diagnostics[0].message as string, /reached end of patch on 2024-10-28 \(30 days ago\)/);
  });

  it('publishes nothing for a document the policy excludes', async () => {
    const p = await open(uri('legacy', 'requirements.txt'), 'torch==1.13.1\n');
    assert.deepEqual(p.diagnostics, []);
  });

  it('publishes the problems of a policy file that is not open, at their ranges; the valid rest applies', async () => {
    const policyProblems = s.next(uri('bad', '.dl-lifecycle.toml'));
    const p = await open(uri('bad', 'requirements.txt'), 'torch==1.13.1\ntensorflow\n');
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line, d.severity]), [['end-of-patch', 0, 2], ['unpinned', 1, 2]]);
    const problems = await policyProblems;
    assert.deepEqual(problems.diagnostics.map((d) => [d.code, d.source, d.severity, d.range, d.message]), [
      ['policy-file', 'dl-lifecycle', 1, { start: { line: 2, character: 15 }, end: { line: 2, character: 21 } }, `end-of-patch must be one of off, hint, information, warning, error, not "eror" (did you mean 'error'?)`],
    ]);
    assert.match(problems.diagnostics[0].codeDescription!.href, /docs\/policy-file\.md$/);
  });

  it('an open policy file gets its problems as diagnostics; editing it re-validates it and the documents under it', async () => {
    const policyUri = uri('bad', '.dl-lifecycle.toml');
    const opened = await open(policyUri, BAD_POLICY, 'toml');
    assert.deepEqual(opened.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['policy-file', 2, 15]]);
    const fixedPolicy = s.next(policyUri, 2);
    const revalidated = until(uri('bad', 'requirements.txt'), (codes) => codes.startsWith('end-of-patch:1'));
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: policyUri, version: 2 }, contentChanges: [{ text: BAD_POLICY.replace('"eror"', '"error"') }] });
    assert.deepEqual((await fixedPolicy).diagnostics, []);
    assert.deepEqual((await revalidated).diagnostics.map((d) => [d.code, d.severity]), [['end-of-patch', 1], ['unpinned', 2]], 'unsaved edits apply at once');
    const broken = s.next(policyUri, 3);
    await s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: policyUri, version: 3 }, contentChanges: [{ text: 'as-of = "2024-11-27\n' }] });
    const syntax = (await broken).diagnostics;
    assert.equal(syntax.length, 1);
    assert.deepEqual(syntax[0].range.start, { line: 0, character: 19 });
    assert.match(syntax[0].message as string, /^TOML syntax error/);
  });

  it('re-reads a policy file changed on disk (watched files) and validates open documents again', async () => {
    // a validation still pending from the previous test may read the file while it is being written
    // (an empty policy for a moment, as when an editor saves it): the watched-file event that follows
    // the write is what must bring the new as-of, so the publication of the new day is awaited
    writeFileSync(path.join(dir, '.dl-lifecycle.toml'), POLICY.replace('2024-11-27', '2024-11-26'));
    const revalidated = until(uri('app', 'requirements.txt'), (codes, messages) => codes === 'end-of-patch:2' && messages.includes('(29 days ago)'));
    await s.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('.dl-lifecycle.toml'), type: FileChangeType.Changed }] });
    const p = await revalidated;
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]), [['end-of-patch', 2]], 'day 29: not escalated');
    assert.match(p.diagnostics[0].message as string, /\(29 days ago\)/);
  });
});

describe('language server with settingsOverridePolicyFile', () => {
  it('lets the settings win over the policy file; the policy escalation for rules the settings leave alone stays', async () => {
    const dir = workspace({ '.dl-lifecycle.toml': POLICY });
    const s = await start(false, { asOf: '2026-11-21', settingsOverridePolicyFile: true }, Uri.file(dir).toString());
    try {
      const u = Uri.file(path.join(dir, 'requirements.txt')).toString();
      const wait = s.next(u, 1);
      await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'pip-requirements', version: 1, text: 'torch==1.13.1\n' } });
      const p = await wait;
      assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]), [['end-of-patch', 1]]);
      assert.match(p.diagnostics[0].message as string, /\(754 days ago\)/);
    } finally {
      await stop(s);
    }
  });
});
