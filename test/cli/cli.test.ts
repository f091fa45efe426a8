import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { workspace as tempWorkspace } from '../fixtures/workspace';
import { runCli as run } from './runCli';

const golden = path.join(__dirname, 'golden', 'examples.json');
const workspace = (files: Record<string, string>) => tempWorkspace(files, 'dl-lifecycle-cli-');

describe('dl-lifecycle scan (built CLI)', () => {
  it('matches the golden JSON report for examples/ at a fixed --as-of', () => {
    const r = run(['scan', 'examples', '--as-of', '2026-11-21', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const actual = JSON.parse(r.stdout);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, `${JSON.stringify(actual, null, 2)}\n`);
    assert.deepEqual(actual, JSON.parse(readFileSync(golden, 'utf8')));
    assert.deepEqual(Object.keys(actual), ['asOf', 'catalog', 'files', 'references', 'findings', 'policies']);
    assert.deepEqual(Object.keys(actual.references[0]), ['file', 'range', 'kind', 'subject', 'version', 'text']);
  });

  it('prints grouped text with a summary line', () => {
    const r = run(['scan', 'examples', '--as-of', '2026-11-21']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^examples\/training\/requirements\.txt$/m);
    assert.match(r.stdout, /^ {2}5:1 {5}warning {5}PyTorch 1\.13 reached end of patch on 2024-10-28 \(754 days ago\)/m);
    assert.match(r.stdout, /fix: Bump torch to 2\.11\.0 \(nearest supported PyTorch version\)/);
    assert.match(r.stdout, /findings \(.*\) in 9 files, 13 references; as of 2026-11-21, catalog dated \d{4}-\d{2}-\d{2}$/m);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colours when NO_COLOR is set / not a TTY');
  });

  it('exit codes follow --fail-on', () => {
    assert.equal(run(['scan', 'examples', '--as-of', '2026-11-21']).code, 0, 'no errors: default --fail-on error passes');
    assert.equal(run(['scan', 'examples', '--as-of', '2026-11-21', '--fail-on', 'warning']).code, 1);
    assert.equal(run(['scan', 'examples', '--as-of', '2026-11-21', '--fail-on', 'never']).code, 0);
    const clean = workspace({ 'requirements.txt': 'numpy==1.26.4\n' });
    assert.equal(run(['scan', clean, '--fail-on', 'hint']).code, 0);
  });

  it('a bad path, a bad option or a bad value exits 2 with one line', () => {
    for (const args of [['scan', 'no/such/dir'], ['scan', '--bogus'], ['scan', '--as-of', '2026-13-01'], ['scan', '--fail-on', 'loud'], ['scan', '--format', 'xml'], ['frobnicate'], []]) {
      const r = run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^dl-lifecycle: /);
    }
  });

  it('walks the tree: .gitignore, --exclude, node_modules, binaries and big files', () => {
    const dir = workspace({
      '.gitignore': 'ignored/\n',
      'requirements.txt': 'torch==1.13.1\n',
      'ignored/requirements.txt': 'torch==1.13.1\n',
      'node_modules/x/requirements.txt': 'torch==1.13.1\n',
      'legacy/requirements.txt': 'torch==1.13.1\n',
      'bin/requirements.txt': 'torch==1.13.1\u0000\n',
      'big/requirements.txt': `torch==1.13.1\n${'#'.repeat(3 * 1024 * 1024)}\n`,
      'sub/.gitignore': 'local-*.txt\n',
      'sub/requirements.txt': 'tensorflow==2.4.1\n',
      'sub/local-requirements.txt': 'torch==1.13.1\n',
    });
    const r = run(['scan', '.', '--exclude', 'legacy/**', '--format', 'json', '--as-of', '2026-11-21'], dir);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.references.map((x: { file: string }) => x.file), ['requirements.txt', 'sub/requirements.txt']);
    assert.match(r.stderr, /note: big\/requirements\.txt: skipped: 3\.0 MB is over the 2 MB limit/);
    assert.match(r.stderr, /note: bin\/requirements\.txt: skipped: binary file/);
  });

  it('searches scripts by default, other text files with --text, none with --no-text, and any file named explicitly', () => {
    const dlc = '763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker';
    const dir = workspace({ 'scripts/pull.sh': `docker pull ${dlc}\n`, 'Makefile': `IMAGE := ${dlc}\n`, 'docs/guide.md': `Run \`${dlc}\`.\n`, 'notes.cfg': `image=${dlc}\n` });
    const files = (args: string[]) => {
      const r = run(['scan', ...args, '--format', 'json', '--as-of', '2026-11-21', '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { references: Array<{ file: string }> }).references.map((x) => path.basename(x.file)).sort();
    };
    assert.deepEqual(files([dir]), ['Makefile', 'pull.sh']);
    assert.deepEqual(files([dir, '--text', 'docs/**/*.md', '--text', '*.cfg']), ['Makefile', 'guide.md', 'notes.cfg', 'pull.sh']);
    assert.deepEqual(files([dir, '--no-text']), []);
    assert.deepEqual(files([path.join(dir, 'notes.cfg'), path.join(dir, 'docs', 'guide.md')]), ['guide.md', 'notes.cfg']);
  });

  it('follows -r/-c includes inside the workspace, reports each reference in its own file, survives cycles', () => {
    const dir = workspace({
      'requirements.txt': '-r deps/base.in\ntorch==1.13.1\n',
      'deps/base.in': '-r ../requirements.txt\n-c pins.cfg\ntensorflow==2.4.1\n',
      'deps/pins.cfg': 'mxnet==1.9.1\n',
    });
    const report = JSON.parse(run(['scan', 'requirements.txt', '--format', 'json', '--as-of', '2026-11-21'], dir).stdout);
    assert.deepEqual(report.references.map((x: { file: string; subject: string }) => `${x.file}:${x.subject}`), ['deps/base.in:tensorflow', 'deps/pins.cfg:mxnet', 'requirements.txt:pytorch']);
    assert.equal(report.files, 3);
    const outside = workspace({ 'a/requirements.txt': '-r ../../etc/requirements.txt\n' });
    const r = run(['scan', 'a', '--format', 'json'], outside);
    assert.match(r.stderr, /include \.\.\/\.\.\/etc\/requirements\.txt is outside the workspace; not followed/);
  });

  it('--help, <command> --help and --version exit 0; no command exits 2', () => {
    const top = run(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /Usage: dl-lifecycle <command>/);
    assert.match(top.stdout, /^ {2}scan /m);
    const scan = run(['scan', '--help']);
    assert.equal(scan.code, 0);
    assert.match(scan.stdout, /Usage: dl-lifecycle scan/);
    assert.match(scan.stdout, /--fail-on/);
    assert.match(run(['--version']).stdout, /^\d+\.\d+\.\d+$/m);
    const none = run([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing command/);
  });
});
