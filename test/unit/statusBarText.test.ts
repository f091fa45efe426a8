import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusBarText } from '../../client/src/statusBarText';
import type { WorkspaceSummary } from '../../server/src/settings';
import { COMMANDS } from '../../server/src/settings';

const summary = (over: Partial<WorkspaceSummary> = {}): WorkspaceSummary => ({ error: 0, warning: 0, information: 0, hint: 0, scanned: true, catalogGenerated: '2026-11-01', catalogStale: false, ...over });

describe('status bar text', () => {
  it('counts errors + warnings in the text, with the icon of the worst', () => {
    assert.equal(statusBarText(summary({ warning: 3, information: 5, hint: 7 })).text, '$(warning) DL Lifecycle: 3');
    assert.equal(statusBarText(summary({ error: 1, warning: 2 })).text, '$(error) DL Lifecycle: 3');
    assert.equal(statusBarText(summary({ error: 4 })).text, '$(error) DL Lifecycle: 4');
  });

  it('a check mark and no number when there is no error or warning (information and hints do not count)', () => {
    assert.equal(statusBarText(summary()).text, '$(check) DL Lifecycle');
    assert.equal(statusBarText(summary({ information: 2, hint: 9 })).text, '$(check) DL Lifecycle');
  });

  it('tooltip: every count, the scope, the catalog date and a link to the report', () => {
    const t = statusBarText(summary({ error: 1, warning: 2, information: 1, hint: 3 })).tooltip;
    assert.match(t, /1 error, 2 warnings, 1 information, 3 hints/);
    assert.match(t, /whole workspace scanned/);
    assert.match(t, /Catalog dated 2026-11-01/);
    assert.doesNotMatch(t, /stale/);
    assert.ok(t.includes(`(command:${COMMANDS.showReport})`));
    const open = statusBarText(summary({ scanned: false, warning: 1 })).tooltip;
    assert.match(open, /open files only/);
    assert.doesNotMatch(open, /whole workspace scanned/);
    assert.match(statusBarText(summary({ error: 2 })).tooltip, /2 errors, 0 warnings, 0 information, 0 hints/);
  });

  it('a stale catalog: flagged, and the tooltip says to refresh it with a command link', () => {
    const s = statusBarText(summary({ catalogStale: true }));
    assert.equal(s.stale, true);
    assert.match(s.tooltip, /Catalog dated 2026-11-01 — stale: run \[DL Lifecycle: Refresh Catalog\]\(command:dlLifecycle\.refreshCatalog\)/);
    assert.match(s.accessibilityLabel, /catalog stale/);
    assert.equal(statusBarText(summary()).stale, false);
  });

  it('no catalog loaded; catalog date text is Markdown-escaped', () => {
    assert.match(statusBarText(summary({ catalogGenerated: undefined })).tooltip, /No catalog loaded/);
    assert.match(statusBarText(summary({ catalogGenerated: '<b>[x](y)' })).tooltip, /Catalog dated \\<b\\>\\\[x\\\]\\\(y\\\)/);
  });

  it('the accessibility label spells the counts out, without codicons', () => {
    assert.equal(statusBarText(summary({ error: 1, warning: 2 })).accessibilityLabel, 'DL Lifecycle: 1 error, 2 warnings');
    assert.equal(statusBarText(summary({ hint: 2 })).accessibilityLabel, 'DL Lifecycle: no errors or warnings');
    assert.doesNotMatch(statusBarText(summary({ warning: 1 })).accessibilityLabel, /\$\(/);
  });
});
