/**
 * Protocol tests of the workspace scan over stdio: unopened files get diagnostics, with progress
 * and cancellation; `.gitignore`, `files.exclude` and the policy file's `exclude` are respected; the
 * summary counts and the report match what was published and what the CLI reports for the same
 * folder; a file that is opened and closed again falls back to its content on disk; changes on
 * disk are picked up; a start-up scan over the file limit reads nothing.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FileEvent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { CancellationTokenSource, DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import type { WorkspaceReport } from '../../server/src/report/workspaceReport';
import type { ScanWorkspaceResult, WorkspaceSummary } from '../../server/src/settings';
import { REPORT_REQUEST, SCAN_WORKSPACE_REQUEST, SUMMARY_NOTIFICATION } from '../../server/src/settings';
import { runCli } from '../cli/runCli';
import type { Session } from './session';
import { start, stop } from './session';

const AS_OF = '2026-11-21';
const DLC = '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker';

function write(root: string, rel: string, text: string): string {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function uriOf(root: string, rel: string): string {
  return URI.file(path.join(root, rel)).toString();
}

/** The newest diagnostics published for each URI. */
function latest(s: Session): Map<string, PublishDiagnosticsParams> {
  const out = new Map<string, PublishDiagnosticsParams>();
  for (const p of s.diagnostics) out.set(p.uri, p);
  return out;
}

async function until<T>(what: string, get: () => T | undefined, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('workspace scan over LSP', () => {
  let root: string;
  let s: Session;
  const summaries: WorkspaceSummary[] = [];
  const progress: Array<{ kind: string; message?: string; percentage?: number; cancellable?: boolean }> = [];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-ws-'));
    write(root, 'requirements.txt', 'numpy==1.26.4\ntorch==1.13.1\n');
    write(root, 'serving/Dockerfile', `FROM ${DLC}\nRUN pip install tensorflow==2.9.0\n`);
    write(root, '.gitignore', 'ignored/\n');
    write(root, 'ignored/requirements.txt', 'torch==1.12.1\n');
    write(root, 'build/requirements.txt', 'torch==1.11.0\n');
    write(root, 'legacy/requirements.txt', 'torch==1.10.0\n');
    write(root, '.dl-lifecycle.toml', 'exclude = ["legacy/**"]\n');
    write(root, 'notes.md', `Use ${DLC}\n`);
    s = await start(false, { asOf: AS_OF }, URI.file(root).toString(), {}, { window: { workDoneProgress: true } });
    s.conn.onNotification(SUMMARY_NOTIFICATION, (p: WorkspaceSummary) => void summaries.push(p));
    s.conn.onRequest('window/workDoneProgress/create', () => null);
    s.conn.onNotification('$/progress', (p: { value: { kind: string; message?: string; percentage?: number; cancellable?: boolean } }) => void progress.push(p.value));
  });
  after(async () => {
    await stop(s);
    rmSync(root, { recursive: true, force: true });
  });

  it('publishes diagnostics for unopened files, with progress, leaving out ignored and excluded files', async () => {
    const result = await s.conn.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, { exclude: ['build'], reason: 'command' });
    assert.equal(result.cancelled, false);
    assert.equal(result.skipped, undefined);
    const published = latest(s);
    const req = published.get(uriOf(root, 'requirements.txt'));
    assert.ok(req, 'requirements.txt has diagnostics');
    assert.ok(req.diagnostics.some((d) => d.code === 'end-of-patch' && d.range.start.line === 1), JSON.stringify(req.diagnostics));
    const docker = published.get(uriOf(root, 'serving/Dockerfile'));
    assert.ok(docker?.diagnostics.some((d) => d.range.start.line === 0), 'the FROM line of the Dockerfile has a finding');
    assert.ok(docker?.diagnostics.some((d) => d.range.start.line === 1), 'the RUN pip install line has a finding');
    for (const rel of ['ignored/requirements.txt', 'build/requirements.txt', 'legacy/requirements.txt', 'notes.md']) {
      assert.equal(published.get(uriOf(root, rel))?.diagnostics.length ?? 0, 0, `${rel} is not scanned`);
    }
    assert.equal(result.files, result.found);
    assert.equal(result.found, 2); // requirements.txt and serving/Dockerfile; notes.md is read only with dlLifecycle.textFiles.enabled
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress[0]?.cancellable, true);
    assert.equal(progress.at(-1)?.kind, 'end');
    // the built server analyses unopened files in a worker process
    assert.ok(s.messages.some((m) => m.includes('workspace scan done: 2 of 2 files; 2 read in a worker process')), s.messages.join('\n'));
  });

  it('sends a summary whose counts are those of the published diagnostics', async () => {
    const summary = await until('a scanned summary', () => summaries.filter((x) => x.scanned).at(-1));
    const all = [...latest(s).values()].flatMap((p) => p.diagnostics);
    const bySeverity = (n: number) => all.filter((d) => d.severity === n).length;
    assert.equal(summary.error, bySeverity(1));
    assert.equal(summary.warning, bySeverity(2));
    assert.equal(summary.information, bySeverity(3));
    assert.equal(summary.hint, bySeverity(4));
    assert.ok(summary.warning > 0);
    assert.match(summary.catalogGenerated ?? '', /^\d{4}-\d{2}-\d{2}$/);
  });

  it('reports the same references as the CLI for the same folder', async () => {
    const report = await s.conn.sendRequest<WorkspaceReport>(REPORT_REQUEST);
    assert.equal(report.asOf, AS_OF);
    assert.equal(report.scanned, true);
    const cli = runCli(['scan', '.', '--as-of', AS_OF, '--format', 'json', '--exclude', 'build/**', '--fail-on', 'never'], root);
    assert.equal(cli.code, 0, cli.stderr);
    const json = JSON.parse(cli.stdout) as { references: Array<{ file: string; range: unknown; kind: string; subject: string; version: string; text: string }>; findings: unknown[] };
    const key = (r: { file: string; range: unknown; kind: string; subject: string; version: string; text: string }) => JSON.stringify([r.file, r.range, r.kind, r.subject, r.version, r.text]);
    assert.deepEqual(report.rows.map(key).sort(), json.references.map(key).sort());
    assert.equal(report.rows.reduce((n, r) => n + r.findings.length, 0) + report.fileFindings.length, json.findings.length);
    const torch = report.rows.find((r) => r.subject === 'pytorch' && r.version === '1.13.1');
    assert.equal(torch?.status, 'ended');
    assert.ok(report.timeline.some((b) => b.id === torch?.line));
  });

  it('uses the editor text of an open file, and its content on disk again once it is closed', async () => {
    const uri = uriOf(root, 'requirements.txt');
    const opened = s.next(uri, 1);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'pip-requirements', version: 1, text: 'torch==2.1.0\nnumpy==1.26.4\n' } });
    const p = await opened;
    assert.ok(p.diagnostics.every((d) => d.range.start.line === 0));
    const report = await s.conn.sendRequest<WorkspaceReport>(REPORT_REQUEST);
    assert.deepEqual(report.rows.filter((r) => r.file === 'requirements.txt' && r.subject === 'pytorch').map((r) => r.version), ['2.1.0']);
    const before = s.diagnostics.length;
    await s.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    const restored = await until('diagnostics from disk', () => s.diagnostics.slice(before).filter((x) => x.uri === uri && x.diagnostics.length > 0).at(-1));
    assert.ok(restored.diagnostics.some((d) => d.code === 'end-of-patch' && d.range.start.line === 1), 'torch==1.13.1 on line 2 again');
  });

  it('analyses an unopened file again when it changes on disk, and clears a deleted one', async () => {
    const file = write(root, 'serving/requirements.txt', 'tensorflow==2.9.0\n');
    const uri = URI.file(file).toString();
    const before = s.diagnostics.length;
    await s.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type: FileChangeType.Created }] });
    const p = await until('diagnostics of the new file', () => s.diagnostics.slice(before).find((x) => x.uri === uri));
    assert.ok(p.diagnostics.length > 0);
    rmSync(file);
    const mark = s.diagnostics.length;
    await s.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type: FileChangeType.Deleted }] });
    const cleared = await until('cleared diagnostics', () => s.diagnostics.slice(mark).find((x) => x.uri === uri));
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('analyses Python files changed on disk in a worker process, in one batch', async () => {
    const sdk = (v: string) => `from sagemaker.pytorch import PyTorch\nest = PyTorch(entry_point="train.py", framework_version="${v}", py_version="py39", role="r", instance_count=1, instance_type="ml.p3.2xlarge")\n`;
    const uris = ['jobs/a/train_job.py', 'jobs/b/train_job.py'].map((rel) => {
      write(root, rel, sdk('1.13.1'));
      return uriOf(root, rel);
    });
    const mark = s.diagnostics.length;
    await s.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: uris.map((uri): FileEvent => ({ uri, type: FileChangeType.Created })) });
    for (const uri of uris) {
      const p = await until(`diagnostics of ${uri}`, () => s.diagnostics.slice(mark).find((x) => x.uri === uri));
      assert.ok(p.diagnostics.some((d) => JSON.stringify(d.message).includes('PyTorch')), JSON.stringify(p.diagnostics));
    }
    assert.ok(s.messages.some((m) => m.includes('2 of 2 files changed on disk read in a worker process')), s.messages.join('\n'));
    rmSync(path.join(root, 'jobs'), { recursive: true, force: true });
    await s.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: uris.map((uri): FileEvent => ({ uri, type: FileChangeType.Deleted })) });
  });

  it('can be cancelled, and answers open documents while it runs', async () => {
    for (let i = 0; i < 1500; i++) write(root, `many/m${i}/requirements.txt`, `torch==1.13.1\nnumpy==1.${i}.0\n`);
    const source = new CancellationTokenSource();
    const scan = s.conn.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, { exclude: ['build'], reason: 'command' }, source.token);
    // an open document is analysed while the scan runs
    const uri = uriOf(root, 'open/requirements.txt');
    const opened = s.next(uri, 1);
    await s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'pip-requirements', version: 1, text: 'torch==1.13.1\n' } });
    const p = await opened;
    assert.ok(p.diagnostics.length > 0);
    source.cancel();
    const result = await scan;
    assert.equal(result.cancelled, true);
    assert.ok(result.files < result.found, `${result.files} of ${result.found}`);
    rmSync(path.join(root, 'many'), { recursive: true, force: true });
  });
});

describe('start-up workspace scan over the file limit', () => {
  it('reads nothing and says why', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-ws-'));
    write(root, 'a/requirements.txt', 'torch==1.13.1\n');
    write(root, 'b/requirements.txt', 'torch==1.13.1\n');
    const s = await start(false, { asOf: AS_OF, workspaceScan: { maxFiles: 1 } }, URI.file(root).toString());
    try {
      const result = await s.conn.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, { exclude: [], reason: 'startup' });
      assert.equal(result.skipped, 'tooManyFiles');
      assert.equal(result.found, 2);
      assert.equal(result.files, 0);
      assert.equal(s.diagnostics.filter((d) => d.diagnostics.length > 0).length, 0);
      // the command scans anyway
      const forced = await s.conn.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, { exclude: [], reason: 'command' });
      assert.equal(forced.files, 2);
      assert.equal(s.diagnostics.filter((d) => d.diagnostics.length > 0).length, 2);
    } finally {
      await stop(s);
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('workspace scan in a worker process and in the server itself', () => {
  it('publishes the same diagnostics and builds the same report both ways, for every file kind', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-ws-'));
    // the fixture folders of the scanners: Python and notebooks, CDK, Terraform, Dockerfiles, conda, infrastructure
    for (const dir of ['python', 'notebooks', 'cdk', 'terraform', 'dockerfiles', 'conda', 'infrastructure']) cpSync(path.join(__dirname, '..', 'fixtures', dir), path.join(root, dir), { recursive: true });
    write(root, 'requirements.txt', 'torch==1.13.1\n');
    const scanWith = async (env: Record<string, string>) => {
      const s = await start(false, { asOf: AS_OF }, URI.file(root).toString(), {}, {}, env);
      try {
        const result = await s.conn.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, { exclude: [], reason: 'command' });
        const report = await s.conn.sendRequest<WorkspaceReport>(REPORT_REQUEST);
        const diagnostics = [...latest(s).values()].filter((p) => p.diagnostics.length > 0).map((p) => JSON.stringify(p)).sort();
        const rows = report.rows.map((r) => JSON.stringify(r)).sort();
        return { result, rows, fileFindings: report.fileFindings.map((f) => JSON.stringify(f)).sort(), diagnostics, log: s.messages.find((m) => m.includes('workspace scan done')) };
      } finally {
        await stop(s);
      }
    };
    try {
      const worker = await scanWith({});
      const here = await scanWith({ DL_LIFECYCLE_SCAN_WORKER: '0' });
      assert.match(worker.log ?? '', new RegExp(`; ${worker.result.files} read in a worker process$`));
      assert.match(here.log ?? '', /; 0 read in a worker process$/);
      assert.ok(worker.result.files > 50, `${worker.result.files} files`);
      assert.deepEqual(here.result, worker.result);
      // Python, notebooks, CDK and Terraform (parsed with tree-sitter) have references on both sides
      for (const dir of ['python/', 'notebooks/', 'cdk/', 'terraform/']) assert.ok(worker.rows.some((r) => r.includes(`"file":"${dir}`)), `${dir} rows`);
      assert.deepEqual(here.rows, worker.rows);
      assert.deepEqual(here.fileFindings, worker.fileFindings);
      assert.deepEqual(here.diagnostics, worker.diagnostics);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
