import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workspace as tempWorkspace } from '../fixtures/workspace';
import { root, runCli as run } from './runCli';

const workspace = (files: Record<string, string>) => tempWorkspace(files, 'dl-lifecycle-policy-cli-');

type Report = { asOf: string; findings: Array<{ file: string; rule: string; severity: string }>; policies: Array<{ file: string; kind: string; problems: Array<{ message: string }> }> };
const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Report;
const findings = (r: { stdout: string }) => json(r).findings.map((f) => `${f.file} ${f.rule} ${f.severity}`);

// PyTorch 1.13 reached end of patch on 2024-10-28 (AWS support table, bundled catalog)
const POLICY = `as-of = 2024-11-27
exclude = ["legacy/**"]

[rules]
end-of-patch = { severity = "warning", escalate-to = "error", after-days = 30 }
`;

describe('dl-lifecycle scan with a policy file (built CLI)', () => {
  it('applies the nearest policy: as-of, escalation, exclude; the report lists it', () => {
    const dir = workspace({
      '.dl-lifecycle.toml': POLICY,
      'app/requirements.txt': 'torch==1.13.1\n',
      'legacy/requirements.txt': 'torch==1.13.1\n',
    });
    const r = run(['scan', '--format', 'json'], dir);
    assert.equal(r.code, 1, 'the escalated error fails the default --fail-on error');
    assert.equal(r.stderr, '');
    const report = json(r);
    assert.equal(report.asOf, '2024-11-27');
    assert.deepEqual(findings(r), ['app/requirements.txt end-of-patch error'], 'escalated on day 30; legacy/ excluded');
    assert.deepEqual(report.policies.map((p) => [p.file, p.kind, p.problems.length]), [['.dl-lifecycle.toml', 'dl-lifecycle-toml', 0]]);
    const text = run(['scan'], dir);
    assert.match(text.stdout, /; as of 2024-11-27, catalog dated \d{4}-\d{2}-\d{2}; policy \.dl-lifecycle\.toml$/m);
  });

  it('command-line options override the policy file; --exclude adds to it', () => {
    const dir = workspace({ '.dl-lifecycle.toml': POLICY, 'app/requirements.txt': 'torch==1.13.1\n', 'legacy/requirements.txt': 'torch==1.13.1\n', 'other/requirements.txt': 'torch==1.13.1\n' });
    const r = run(['scan', '--format', 'json', '--as-of', '2024-11-26', '--exclude', 'other/**'], dir);
    assert.equal(json(r).asOf, '2024-11-26');
    assert.deepEqual(findings(r), ['app/requirements.txt end-of-patch warning'], 'day 29: not yet escalated');
  });

  it('nested policies: the nearest one wins; pyproject.toml [tool.dl-lifecycle] counts; --no-policy and --policy', () => {
    const dir = workspace({
      '.dl-lifecycle.toml': POLICY,
      'app/requirements.txt': 'torch==1.13.1\n',
      'svc/pyproject.toml': '[project]\nname = "svc"\n\n[tool.dl-lifecycle]\nas-of = "2024-11-01"\n\n[tool.dl-lifecycle.rules]\nend-of-patch = "information"\n',
      'svc/requirements.txt': 'torch==1.13.1\n',
    });
    assert.deepEqual(findings(run(['scan', '--format', 'json'], dir)), ['app/requirements.txt end-of-patch error', 'svc/requirements.txt end-of-patch information']);
    const none = run(['scan', '--format', 'json', '--no-policy', '--as-of', '2024-11-27'], dir);
    assert.deepEqual(findings(none), ['app/requirements.txt end-of-patch warning', 'svc/requirements.txt end-of-patch warning']);
    assert.deepEqual(json(none).policies, []);
    const one = run(['scan', '--format', 'json', '--policy', 'svc/pyproject.toml'], dir);
    assert.deepEqual(findings(one), ['app/requirements.txt end-of-patch information', 'svc/requirements.txt end-of-patch information']);
    assert.deepEqual(json(one).policies.map((p) => p.file), ['svc/pyproject.toml']);
  });

  it('an invalid policy file: exit 2, file:line:col message on stderr, findings still printed with the valid rest', () => {
    const dir = workspace({
      '.dl-lifecycle.toml': 'as-of = 2024-11-27\nwarning-window = 30\n[rules]\nend-of-patch = "eror"\nunpinned = "warning"\n',
      'requirements.txt': 'torch==1.13.1\ntensorflow\n',
    });
    const r = run(['scan'], dir);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      ".dl-lifecycle.toml:2:1: unknown key 'warning-window' (did you mean 'warning-window-days'?); known keys: as-of, warning-window-days, exclude, rules, images",
      `.dl-lifecycle.toml:4:16: end-of-patch must be one of off, hint, information, warning, error, not "eror" (did you mean 'error'?)`,
    ]);
    assert.match(r.stdout, /^ {2}1:1 {5}warning {5}PyTorch 1\.13 reached end of patch on 2024-10-28 \(30 days ago\)/m, 'as-of still applies; the bad severity does not');
    assert.match(r.stdout, /^ {2}2:1 {5}warning {5}.*unpinned$/m, 'the valid rule still applies');
    assert.equal(run(['scan', '--fail-on', 'never'], dir).code, 2, 'a policy problem is a configuration error whatever --fail-on says');
    const j = run(['scan', '--format', 'json'], dir);
    assert.equal(j.code, 2);
    assert.equal(json(j).policies[0].problems.length, 2);
  });

  it('a TOML syntax error: one line at its position, and nothing of the file applies', () => {
    const dir = workspace({ '.dl-lifecycle.toml': 'as-of = 2024-11-27\nexclude = ["legacy/**"\n', 'legacy/requirements.txt': 'torch==1.13.1\n' });
    const r = run(['scan', '--format', 'json', '--as-of', '2026-11-21'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^\.dl-lifecycle\.toml:3:1: TOML syntax error: .*; nothing in this policy file applies until it is fixed\n$/);
    assert.deepEqual(findings(r), ['legacy/requirements.txt end-of-patch warning']);
  });

  it('--policy with a missing file, a pyproject.toml without the table, or together with --no-policy exits 2 with one line', () => {
    const dir = workspace({ 'pyproject.toml': '[project]\nname = "x"\n', 'requirements.txt': 'torch==1.13.1\n' });
    for (const [args, message] of [
      [['--policy', 'nope.toml'], /--policy nope\.toml: no such file/],
      [['--policy', 'pyproject.toml'], /--policy pyproject\.toml: no \[tool\.dl-lifecycle\] table in it/],
      [['--policy', 'pyproject.toml', '--no-policy'], /--policy and --no-policy cannot be used together/],
    ] as const) {
      const r = run(['scan', ...args], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    }
  });

  it('--help documents --policy, --no-policy and the exit code of a policy problem', () => {
    const r = run(['scan', '--help'], root);
    assert.match(r.stdout, /--policy FILE/);
    assert.match(r.stdout, /--no-policy/);
    assert.match(r.stdout, /the exit code is 2/);
  });
});
