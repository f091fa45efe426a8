/**
 * `dl-lifecycle scan --format sarif`: the log validates against the SARIF 2.1.0 schema (the OASIS
 * schema as published with Microsoft's SARIF matchers), and holds the findings of the JSON report.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { workspace } from '../fixtures/workspace';
import { runCli as run } from './runCli';

/** The parts of a SARIF log the assertions read. */
interface SarifLog {
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; helpUri: string }> } };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: unknown } }>; fixes?: unknown[] }>;
  }>;
}

const schemaFile = path.join(path.dirname(createRequire(__filename).resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

describe('dl-lifecycle scan --format sarif', () => {
  it('writes a SARIF 2.1.0 log that validates against the schema, one result per finding of the JSON report', () => {
    const sarif = run(['scan', 'examples', '--as-of', '2026-11-21', '--format', 'sarif']);
    assert.equal(sarif.code, 0, sarif.stderr);
    const log = JSON.parse(sarif.stdout) as SarifLog;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }); // the schema's language pattern is not valid in unicode mode
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    // the validator does catch a broken log
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(validate(broken), false);

    const json = JSON.parse(run(['scan', 'examples', '--as-of', '2026-11-21', '--format', 'json']).stdout);
    const results = log.runs[0].results;
    assert.equal(results.length, json.findings.length);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'dl-lifecycle');
    for (const [i, r] of results.entries()) {
      const f = json.findings[i];
      assert.equal(r.ruleId, f.rule);
      assert.equal(driver.rules[r.ruleIndex].id, f.rule);
      assert.match(driver.rules[r.ruleIndex].helpUri, new RegExp(`/docs/rules/${f.rule}\\.md$`));
      assert.equal(r.level, { error: 'error', warning: 'warning', information: 'note', hint: 'note' }[f.severity as string]);
      const loc = r.locations[0].physicalLocation;
      assert.equal(decodeURI(loc.artifactLocation.uri), f.file);
      assert.deepEqual(loc.region, { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 });
      assert.equal((r.fixes ?? []).length, f.fixes.length);
    }
  });

  it('keys findings by file, rule, subject and version, so that a line inserted above keeps the fingerprint', () => {
    const dir = workspace({ 'requirements.txt': 'torch==1.13.1\n' }, 'dl-lifecycle-sarif-');
    const fingerprints = (text?: string) => {
      if (text) writeFileSync(path.join(dir, 'requirements.txt'), text);
      const log = JSON.parse(run(['scan', dir, '--as-of', '2026-11-21', '--format', 'sarif', '--fail-on', 'never']).stdout);
      return log.runs[0].results.map((r: { partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) => [r.partialFingerprints['dlLifecycle/v1'], r.locations[0].physicalLocation.region.startLine]);
    };
    const before = fingerprints();
    const after = fingerprints('numpy==1.26.4\ntorch==1.13.1\n');
    assert.ok(before.length > 0);
    assert.deepEqual(after.map((x: unknown[]) => x[0]), before.map((x: unknown[]) => x[0]));
    assert.deepEqual(after.map((x: unknown[]) => x[1]), before.map((x: unknown[]) => (x[1] as number) + 1));
  });

  it('with --baseline, results carry baselineState unchanged or new, and the log still validates; without, none has it', () => {
    const dir = workspace({ 'requirements.txt': 'torch==1.13.1\n' }, 'dl-lifecycle-sarif-');
    assert.equal(run(['baseline', 'create', '--output', 'base.json', '--as-of', '2026-11-21'], dir).code, 0);
    writeFileSync(path.join(dir, 'requirements.txt'), 'tensorflow==2.9.0\ntorch==1.13.1\n');
    const r = run(['scan', 'requirements.txt', '--baseline', 'base.json', '--as-of', '2026-11-21', '--format', 'sarif', '--fail-on', 'never'], dir);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; baselineState?: string; partialFingerprints: Record<string, string> }> }> };
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    assert.deepEqual(log.runs[0].results.map((x) => [x.partialFingerprints['dlLifecycle/v1'], x.baselineState]), [
      ['requirements.txt|end-of-patch|tensorflow|2.9.0', 'new'],
      ['requirements.txt|end-of-patch|pytorch|1.13.1', 'unchanged'],
    ]);
    // the schema does check the field: a value SARIF does not define fails
    const broken = structuredClone(log);
    broken.runs[0].results[0].baselineState = 'baselined';
    assert.equal(validate(broken), false);
    const plain = JSON.parse(run(['scan', 'requirements.txt', '--as-of', '2026-11-21', '--format', 'sarif', '--fail-on', 'never'], dir).stdout) as { runs: Array<{ results: object[] }> };
    assert.ok(plain.runs[0].results.length === 2 && plain.runs[0].results.every((x) => !('baselineState' in x)));
  });
});
