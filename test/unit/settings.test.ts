import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/settings';

describe('settings', () => {
  it('reads asOf, the warning window and per-rule severities', () => {
    const { settings, problems } = readSettings({ asOf: '2027-01-31', warningWindowDays: 120, rules: { 'superseded-patch': { severity: 'off' }, 'end-of-patch': 'error' } });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, { ...DEFAULT_SETTINGS, asOf: '2027-01-31', warningWindowDays: 120, severities: { 'superseded-patch': 'off', 'end-of-patch': 'error' } });
  });
  it('keeps the defaults for invalid values and names each problem', () => {
    const { settings, problems } = readSettings({ asOf: 'tomorrow', warningWindowDays: -3, rules: { nope: 'off', 'end-of-patch': { severity: 'fatal' } } });
    assert.deepEqual(settings, { ...DEFAULT_SETTINGS, asOf: undefined, warningWindowDays: 90, severities: {}, settingsOverridePolicyFile: false });
    assert.equal(problems.length, 4);
    assert.match(problems[0], /dlLifecycle\.asOf must be a calendar day/);
    assert.match(problems[2], /unknown rule 'nope'/);
  });
  it('reads settingsOverridePolicyFile, and keeps false for a value that is not a boolean', () => {
    assert.equal(readSettings({ settingsOverridePolicyFile: true }).settings.settingsOverridePolicyFile, true);
    const { settings, problems } = readSettings({ settingsOverridePolicyFile: 'yes' });
    assert.equal(settings.settingsOverridePolicyFile, false);
    assert.match(problems[0], /dlLifecycle\.settingsOverridePolicyFile must be true or false \(got "yes"\); using false/);
  });
  it('reads the nested switches notebooks.scanMarkdown and textFiles.enabled, naming a bad value', () => {
    const ok = readSettings({ notebooks: { scanMarkdown: true }, textFiles: { enabled: true } });
    assert.deepEqual([ok.settings.scanNotebookMarkdown, ok.settings.scanTextFiles, ok.problems], [true, true, []]);
    const bad = readSettings({ notebooks: 'yes', textFiles: { enabled: 'on' } });
    assert.deepEqual([bad.settings.scanNotebookMarkdown, bad.settings.scanTextFiles], [undefined, undefined]);
    assert.deepEqual(bad.problems, ['dlLifecycle.notebooks.scanMarkdown must be true or false (got "yes"); using false', 'dlLifecycle.textFiles.enabled must be true or false (got "on"); using false']);
  });

  it('reads the workspace scan, file size, inlay hint and code lens settings, with their defaults', () => {
    const d = readSettings({}).settings;
    assert.deepEqual([d.scanWorkspaceOnStartup, d.workspaceScanMaxFiles, d.maxFileSizeMb, d.inlayHints, d.codeLens], [true, 5000, 2, false, false]);
    const ok = readSettings({ workspaceScan: { onStartup: false, maxFiles: 10 }, maxFileSize: 0.5, inlayHints: { enabled: true }, codeLens: { enabled: true } });
    assert.deepEqual(ok.problems, []);
    assert.deepEqual([ok.settings.scanWorkspaceOnStartup, ok.settings.workspaceScanMaxFiles, ok.settings.maxFileSizeMb, ok.settings.inlayHints, ok.settings.codeLens], [false, 10, 0.5, true, true]);
    const bad = readSettings({ workspaceScan: { onStartup: 'no', maxFiles: -1 }, maxFileSize: 0, codeLens: { enabled: 1 } });
    assert.deepEqual([bad.settings.scanWorkspaceOnStartup, bad.settings.workspaceScanMaxFiles, bad.settings.maxFileSizeMb, bad.settings.codeLens], [true, 5000, 2, false]);
    assert.deepEqual(bad.problems, [
      'dlLifecycle.workspaceScan.onStartup must be true or false (got "no"); using true',
      'dlLifecycle.workspaceScan.maxFiles must be a whole number ≥ 0 (got -1); using 5000',
      'dlLifecycle.maxFileSize must be a positive number of MB (got 0); using 2',
      'dlLifecycle.codeLens.enabled must be true or false (got 1); using false',
    ]);
  });

  it('treats null and empty values as unset', () => {
    assert.deepEqual(readSettings({ asOf: null, warningWindowDays: null, rules: null }).problems, []);
    assert.deepEqual(readSettings(undefined).settings.asOf, undefined);
  });
});
