/**
 * Baselines: the pure functions of server/src/cli/baseline.ts (build, serialise, parse, match),
 * `dl-lifecycle baseline create` and `scan --baseline` / `--max-warnings` through the built CLI,
 * and the pre-commit hook's `files` regex against the file kinds the CLI reads.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import type { Baseline } from '../../server/src/cli/baseline';
import { buildBaseline, matchBaseline, parseBaseline, serializeBaseline } from '../../server/src/cli/baseline';
import type { ScanRun } from '../../server/src/cli/scan';
import { InputError, walkedKind } from '../../server/src/cli/scan';
import type { Finding } from '../../server/src/model';
import { workspace as tempWorkspace } from '../fixtures/workspace';
import { root, runCli as run } from './runCli';

const workspace = (files: Record<string, string>) => tempWorkspace(files, 'dl-lifecycle-baseline-');
const AS_OF = ['--as-of', '2026-11-21'];

/** A finding with what the baseline reads: rule, subject, version, start line. */
function finding(rule: string, subject: string, version: string | undefined, line: number): Finding {
  return { rule, subject, version, severity: 'warning', message: `${subject} ${version}`, range: { start: { line, character: 0 }, end: { line, character: 5 } }, facts: [], fixes: [] };
}

/** A scan run of `files` (file → findings, in the order the analysis lists them). */
function runOf(files: Record<string, Finding[]>): ScanRun {
  return {
    files: Object.entries(files).map(([file, findings]) => ({ file, absolute: `/${file}`, analysis: { findings } })) as unknown as ScanRun['files'],
    notes: [],
    policies: [],
    asOfDays: ['2026-11-21'],
  };
}

const baselineOf = (findings: Baseline['findings']): Baseline => ({ version: 1, tool: 'dl-lifecycle', asOf: '2026-11-21', findings });

describe('baseline functions', () => {
  it('buildBaseline counts findings per file, rule, subject and version, sorted; serialize/parse round-trips it', () => {
    const run = runOf({
      'b/requirements.txt': [finding('end-of-patch', 'pytorch', '1.13.1', 4), finding('end-of-patch', 'pytorch', '1.13.1', 1), finding('unpinned', 'tensorflow', undefined, 2)],
      'a/Dockerfile': [finding('end-of-patch', 'pytorch', '1.13.1', 0)],
    });
    const b = buildBaseline(run, '2026-11-21');
    assert.deepEqual(b, {
      version: 1,
      tool: 'dl-lifecycle',
      asOf: '2026-11-21',
      findings: [
        { file: 'a/Dockerfile', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 1 },
        { file: 'b/requirements.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 2 },
        { file: 'b/requirements.txt', rule: 'unpinned', subject: 'tensorflow', version: '', count: 1 },
      ],
    });
    const text = serializeBaseline(b);
    assert.deepEqual(JSON.parse(text), b, 'the text is the baseline as JSON');
    assert.deepEqual(parseBaseline(text, 'base.json'), b);
    // one line per key, so that a diff shows one line per changed key; no line numbers recorded
    const lines = text.split('\n');
    assert.equal(lines.filter((l) => l.includes('"file"')).length, 3);
    assert.doesNotMatch(text, /"line"|"range"/);
    assert.ok(text.endsWith('}\n'));
    assert.equal(serializeBaseline(buildBaseline(runOf({}), '2026-11-21')), '{\n  "version": 1,\n  "tool": "dl-lifecycle",\n  "asOf": "2026-11-21",\n  "findings": []\n}\n');
  });

  it('matchBaseline: per key, the first `count` findings by position are baselined, further ones are new', () => {
    // listed out of position order: the one on line 2 comes first by position
    const run = runOf({
      'requirements.txt': [finding('end-of-patch', 'pytorch', '1.13.1', 7), finding('end-of-patch', 'pytorch', '1.13.1', 2), finding('end-of-patch', 'tensorflow', '2.9.0', 3)],
      'other/requirements.txt': [finding('end-of-patch', 'pytorch', '1.13.1', 0)],
    });
    const m = matchBaseline(run, baselineOf([{ file: 'requirements.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 1 }]));
    assert.deepEqual(m.baselined, [[false, true, false], [false]], 'the key is per file: the copy in other/ is new');
    assert.deepEqual([m.baselinedCount, m.newCount, m.noLongerOccur], [1, 3, 0]);

    const two = matchBaseline(run, baselineOf([{ file: 'requirements.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 2 }]));
    assert.deepEqual(two.baselined[0], [true, true, false]);
  });

  it('matchBaseline: recorded findings the run no longer has are counted, and a changed version or rule is new', () => {
    const run = runOf({ 'requirements.txt': [finding('end-of-patch', 'pytorch', '1.13.1', 0), finding('end-of-patch-soon', 'tensorflow', '2.16.1', 1)] });
    const m = matchBaseline(
      run,
      baselineOf([
        { file: 'requirements.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 3 },
        { file: 'requirements.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.12.1', count: 1 },
        { file: 'requirements.txt', rule: 'end-of-patch', subject: 'tensorflow', version: '2.16.1', count: 1 },
        { file: 'gone.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 1 },
      ]),
    );
    assert.deepEqual(m.baselined, [[true, false]], 'end-of-patch-soon is not the recorded end-of-patch');
    assert.equal(m.noLongerOccur, 2 + 1 + 1 + 1);
    // a finding without a version matches the key with version ''
    const unversioned = matchBaseline(runOf({ 'a.txt': [finding('unpinned', 'pytorch', undefined, 0)] }), baselineOf([{ file: 'a.txt', rule: 'unpinned', subject: 'pytorch', version: '', count: 1 }]));
    assert.deepEqual(unversioned.baselined, [[true]]);
  });

  it('parseBaseline adds up entries with the same key and ignores unknown fields', () => {
    const b = parseBaseline(
      JSON.stringify({
        version: 1,
        tool: 'dl-lifecycle',
        asOf: '2026-11-21',
        note: 'extra',
        findings: [
          { file: 'r.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 1, comment: 'x' },
          { file: 'r.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 2 },
        ],
      }),
      'b.json',
    );
    assert.deepEqual(b.findings, [{ file: 'r.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 3 }]);
  });

  it('parseBaseline names the file and what is wrong', () => {
    const good = { version: 1, tool: 'dl-lifecycle', asOf: '2026-11-21', findings: [{ file: 'r.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 1 }] };
    const entry = (patch: Record<string, unknown>) => JSON.stringify({ ...good, findings: [good.findings[0], { ...good.findings[0], ...patch }] });
    const cases: Array<[string, RegExp]> = [
      ['{"version": 1,', /^--baseline b\.json: not valid JSON \(/],
      ['[]', /^--baseline b\.json: not a baseline file/],
      [JSON.stringify({ ...good, tool: 'eslint' }), /^--baseline b\.json: "tool" must be "dl-lifecycle", got "eslint"$/],
      [JSON.stringify({ ...good, version: 2 }), /^--baseline b\.json: "version" must be 1, got 2 \(written by a newer dl-lifecycle\)$/],
      [JSON.stringify({ ...good, asOf: '2026-02-30' }), /^--baseline b\.json: "asOf" must be a calendar day YYYY-MM-DD, got "2026-02-30"$/],
      [JSON.stringify({ ...good, findings: {} }), /^--baseline b\.json: "findings" must be a list/],
      [entry({ count: 0 }), /^--baseline b\.json: findings\[1\]\.count must be a whole number of at least 1, got 0$/],
      [entry({ count: 1.5 }), /findings\[1\]\.count must be a whole number/],
      [entry({ file: '' }), /^--baseline b\.json: findings\[1\]\.file must be a non-empty string, got ""$/],
      [entry({ version: undefined }), /^--baseline b\.json: findings\[1\]\.version must be a string, got nothing$/],
      [JSON.stringify({ ...good, findings: [3] }), /^--baseline b\.json: findings\[0\] must be an object/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseBaseline(text, 'b.json'), (e: unknown) => e instanceof InputError && message.test(e.message), text);
    }
    assert.doesNotThrow(() => parseBaseline(JSON.stringify(good), 'b.json'));
  });
});

type Report = { findings: Array<{ file: string; rule: string; subject: string; version: string; range: { start: { line: number } }; baselined?: boolean }>; baseline?: { file: string; baselined: number; new: number; noLongerOccur: number } };

describe('dl-lifecycle baseline create / scan --baseline (built CLI)', () => {
  it('round trip: baselined findings are listed and marked, survive moved lines, and only new ones fail', () => {
    const dir = workspace({ 'requirements.txt': 'numpy==1.26.4\ntorch==1.13.1\n' });
    const created = run(['baseline', 'create', '.', '--output', 'dl-lifecycle-baseline.json', ...AS_OF], dir);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, '1 finding recorded in dl-lifecycle-baseline.json\n');
    const recorded = JSON.parse(readFileSync(path.join(dir, 'dl-lifecycle-baseline.json'), 'utf8'));
    assert.deepEqual(recorded, { version: 1, tool: 'dl-lifecycle', asOf: '2026-11-21', findings: [{ file: 'requirements.txt', rule: 'end-of-patch', subject: 'pytorch', version: '1.13.1', count: 1 }] });

    const scan = (...more: string[]) => run(['scan', '.', '--baseline', 'dl-lifecycle-baseline.json', '--fail-on', 'warning', ...AS_OF, ...more], dir);
    const before = scan();
    assert.equal(before.code, 0, before.stdout + before.stderr);
    assert.match(before.stdout, /^ {2}2:1 {5}warning {5}PyTorch 1\.13 reached end of patch .* {2}end-of-patch \(baselined\)$/m);
    assert.match(before.stdout, /^1 finding \(1 warning\) in 2 files, 1 reference; 1 baselined, 0 new; as of 2026-11-21/m);
    assert.equal(run(['scan', '.', '--fail-on', 'warning', ...AS_OF], dir).code, 1, 'without the baseline the same scan fails');

    // lines inserted above the pin: still baselined
    writeFileSync(path.join(dir, 'requirements.txt'), '# training\nnumpy==1.26.4\n\npandas==2.2.0\ntorch==1.13.1\n');
    const moved = scan();
    assert.equal(moved.code, 0, moved.stdout);
    assert.match(moved.stdout, /^ {2}5:1 .* end-of-patch \(baselined\)$/m);

    // a new ended pin: exit 1, and only the new one is unmarked
    writeFileSync(path.join(dir, 'requirements.txt'), '# training\nnumpy==1.26.4\n\npandas==2.2.0\ntorch==1.13.1\ntensorflow==2.9.0\n');
    const added = scan();
    assert.equal(added.code, 1);
    assert.match(added.stdout, /^ {2}5:1 .*PyTorch 1\.13.* end-of-patch \(baselined\)$/m);
    assert.match(added.stdout, /^ {2}6:1 .*TensorFlow 2\.9.* end-of-patch$/m);
    assert.match(added.stdout, /; 1 baselined, 1 new; /);
    const json = JSON.parse(scan('--format', 'json').stdout) as Report;
    assert.deepEqual(json.findings.map((f) => [f.subject, f.baselined]), [['pytorch', true], ['tensorflow', false]]);
    assert.deepEqual(json.baseline, { file: 'dl-lifecycle-baseline.json', baselined: 1, new: 1, noLongerOccur: 0 });

    // the pin fixed: nothing fails, and the summary says a baselined finding no longer occurs
    writeFileSync(path.join(dir, 'requirements.txt'), 'torch==2.11.0\n');
    const fixed = scan();
    assert.equal(fixed.code, 0);
    assert.match(fixed.stdout, /; 0 baselined, 0 new; as of 2026-11-21, catalog dated \d{4}-\d{2}-\d{2}; 1 baselined finding no longer occurs$/m);
  });

  it('counts: a baseline with one copy of a key baselines the first copy by position, the second is new', () => {
    const dir = workspace({ 'requirements.txt': 'torch==1.13.1\n' });
    assert.equal(run(['baseline', 'create', '--output', 'base.json', ...AS_OF], dir).code, 0);
    writeFileSync(path.join(dir, 'requirements.txt'), 'torch==1.13.1\n# again, for another platform\ntorch==1.13.1\n');
    const r = run(['scan', '--baseline', 'base.json', '--fail-on', 'warning', '--format', 'json', ...AS_OF], dir);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(report.findings.map((f) => [f.range.start.line, f.baselined]), [[0, true], [2, false]]);
    // a baseline made now records both copies
    const again = run(['baseline', 'create', '--output', 'base.json', ...AS_OF], dir);
    assert.equal(again.stdout, '2 findings recorded in base.json\n');
    assert.match(readFileSync(path.join(dir, 'base.json'), 'utf8'), /"version": "1\.13\.1", "count": 2\}/);
    assert.equal(run(['scan', '--baseline', 'base.json', '--fail-on', 'warning', ...AS_OF], dir).code, 0);
  });

  it('a missing or malformed baseline file exits 2 with one line naming it; so do bad baseline create lines', () => {
    const dir = workspace({ 'requirements.txt': 'torch==1.13.1\n', 'bad.json': '{"version": 1, "tool": "dl-lifecycle", "asOf": "2026-11-21", "findings": [{"file": "requirements.txt"}]}\n', 'broken.json': '{ not json' });
    const cases: Array<[string[], RegExp]> = [
      [['scan', '--baseline', 'missing.json'], /^dl-lifecycle: --baseline missing\.json: no such file$/],
      [['scan', '--baseline', 'bad.json'], /^dl-lifecycle: --baseline bad\.json: findings\[0\]\.rule must be a non-empty string, got nothing$/],
      [['scan', '--baseline', 'broken.json'], /^dl-lifecycle: --baseline broken\.json: not valid JSON \(.+\)$/],
      [['baseline'], /^dl-lifecycle: missing subcommand: baseline create/],
      [['baseline', 'update', '--output', 'x.json'], /^dl-lifecycle: unknown subcommand 'baseline update'/],
      [['baseline', 'create'], /^dl-lifecycle: baseline create needs --output FILE/],
      [['baseline', 'create', '--output', 'x.json', '--fail-on', 'warning'], /^dl-lifecycle: Unknown option '--fail-on'/],
      [['baseline', 'create', '--output', 'no/such/dir/x.json'], /^dl-lifecycle: --output no\/such\/dir\/x\.json: cannot write \(ENOENT\)$/],
      [['scan', '--max-warnings=-1'], /^dl-lifecycle: --max-warnings must be a whole number \(0 or more\), got '-1'$/],
      [['scan', '--max-warnings', '2.5'], /--max-warnings must be a whole number/],
      [['scan', '--max-warnings', 'many'], /--max-warnings must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const r = run([...args, ...AS_OF], dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr.trimEnd(), message);
    }
  });

  it('--max-warnings N fails when more than N findings that are not baselined are warnings or errors, independent of --fail-on', () => {
    // three ended pins (warnings) and a superseded patch (information) at 2026-11-21
    const dir = workspace({ 'requirements.txt': 'torch==1.13.1\ntensorflow==2.9.0\nmxnet==1.8.0\n' });
    const json = JSON.parse(run(['scan', '--format', 'json', '--fail-on', 'never', ...AS_OF], dir).stdout) as { findings: Array<{ severity: string }> };
    const warnings = json.findings.filter((f) => f.severity === 'warning' || f.severity === 'error').length;
    assert.ok(warnings >= 3, `at least three warnings: ${JSON.stringify(json.findings)}`);
    const code = (...args: string[]) => run(['scan', ...args, ...AS_OF], dir);
    const zero = code('--max-warnings', '0');
    assert.equal(zero.code, 1);
    assert.match(zero.stderr, new RegExp(`^dl-lifecycle: ${warnings} findings at warning or above, more than --max-warnings 0$`, 'm'));
    assert.equal(code('--max-warnings', '5').code, 0);
    assert.equal(code('--max-warnings', String(warnings)).code, 0, 'exactly N passes');
    assert.equal(code('--max-warnings', String(warnings - 1)).code, 1);
    assert.equal(code('--max-warnings', '0', '--fail-on', 'never').code, 1, '--fail-on never does not turn --max-warnings off');
    assert.equal(code('--max-warnings', '5', '--fail-on', 'warning').code, 1, 'either can fail the run');
    // baselined findings do not count
    assert.equal(run(['baseline', 'create', '--output', 'base.json', ...AS_OF], dir).code, 0);
    assert.equal(code('--max-warnings', '0', '--baseline', 'base.json').code, 0);
    writeFileSync(path.join(dir, 'requirements.txt'), 'torch==1.13.1\ntensorflow==2.9.0\nmxnet==1.8.0\ntorch==1.12.1\n');
    const one = code('--max-warnings', '0', '--baseline', 'base.json');
    assert.equal(one.code, 1);
    assert.match(one.stderr, /^dl-lifecycle: 1 finding at warning or above not in the baseline, more than --max-warnings 0$/m);
    assert.equal(code('--max-warnings', '1', '--baseline', 'base.json').code, 0);
  });

  it('the baseline file in the scanned folder adds no references', () => {
    const dir = workspace({ 'requirements.txt': 'torch==1.13.1\ntensorflow==2.9.0\n' });
    const refs = () => (JSON.parse(run(['scan', '--format', 'json', '--fail-on', 'never', ...AS_OF], dir).stdout) as { references: unknown[] }).references;
    const before = refs();
    assert.equal(run(['baseline', 'create', '--output', '.dl-lifecycle-baseline.json', ...AS_OF], dir).code, 0);
    assert.deepEqual(refs(), before);
  });
});

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const hooks = YAML.parse(readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
  const hook = hooks.find((h) => h.id === 'dl-lifecycle');

  it('runs dl-lifecycle scan with the staged file names', () => {
    assert.ok(hook, 'a hook with id dl-lifecycle');
    assert.equal(hook.entry, 'dl-lifecycle scan');
    assert.equal(hook.language, 'node');
    assert.equal(hook.pass_filenames, true);
    assert.equal(typeof hook.name, 'string');
  });

  it('`files` matches exactly the names the CLI reads when it walks a folder (scripts included, Markdown not)', () => {
    const files = String(hook?.files);
    // pre-commit uses Python's re.search; the pattern is case-insensitive like the CLI's file kinds
    assert.ok(files.startsWith('(?i)'));
    const re = new RegExp(files.slice('(?i)'.length), 'i');
    const read = [
      'requirements.txt', 'requirements-dev.txt', 'dev-requirements.txt', 'app/requirements.txt', 'REQUIREMENTS.TXT', 'constraints.txt', 'requirements.in', 'deps.pip', 'requirements/base.txt',
      'Dockerfile', 'docker/Dockerfile', 'Dockerfile.gpu', 'train.Dockerfile', 'Containerfile',
      'train.py', 'notebooks/Train.ipynb', 'pyproject.toml', 'Pipfile', 'environment.yml', 'envs/environment-gpu.yaml', 'conda-linux-64.lock', 'explicit-linux.txt', 'spec-file.txt', 'sm.env.in',
      'main.tf', 'prod.tfvars', 'packer.pkr.hcl', 'main.tf.json', 'bin/app.ts', 'lib/stack.mjs', 'web/App.tsx', 'template.yaml', '.github/workflows/ci.yml', 'task-definition.json', 'stack.template',
      'scripts/pull.sh', 'Makefile', 'rules.mk', 'Jenkinsfile',
    ];
    const notRead = ['README.md', 'docs/guide.rst', 'setup.cfg', 'notes.txt', 'Pipfile.lock', '.dl-lifecycle.toml', 'Cargo.toml', 'logo.png', 'main.go', 'LICENSE', 'pyproject.toml.bak', 'dev.in', 'Dockerfiles/README'];
    for (const name of [...read, ...notRead]) {
      const kind = walkedKind(name, undefined);
      assert.equal(kind !== undefined, read.includes(name), `the CLI ${read.includes(name) ? 'reads' : 'skips'} ${name}`);
      assert.equal(re.test(name), kind !== undefined, `files regex on ${name} (kind ${kind?.id})`);
    }
  });

  it('scanning the file names pre-commit passes reads each of them', () => {
    const dir = workspace({ 'requirements.txt': 'torch==1.13.1\n', 'docker/Dockerfile': 'FROM 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker\n', 'other/requirements.txt': 'tensorflow==2.9.0\n' });
    const r = run(['scan', 'requirements.txt', 'docker/Dockerfile', '--format', 'json', '--fail-on', 'warning', ...AS_OF], dir);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { files: number; references: Array<{ file: string }> };
    assert.equal(report.files, 2);
    assert.deepEqual([...new Set(report.references.map((x) => x.file))], ['docker/Dockerfile', 'requirements.txt'], 'only the files named, not other/');
  });
});
