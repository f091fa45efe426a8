// End-to-end tests through the real `vscode` API, in a real extension host, against the real
// language client and server. Workspace: test/e2e/workspace (dlLifecycle.asOf = 2026-11-21).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DlLifecycleApi } from '../../../client/src/extension';
import type { WorkspaceReport } from '../../../server/src/report/workspaceReport';

const EXTENSION_ID = 'dl-lifecycle.dl-lifecycle';
const SOURCE = 'dl-lifecycle';
const TORCH_EOP = '2024-10-28'; // PyTorch 1.13 end of patch
const TORCH_COMMENT = '# pinned for the old model';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? c.value : c;
}

function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  if (ds.length === 0) return '(none)';
  return ds
    .map((d) => `  line ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} [${d.source}/${String(codeOf(d))}] ${d.message}`)
    .join('\n');
}

function hoverText(hovers: readonly vscode.Hover[]): string {
  const parts: string[] = [];
  for (const h of hovers) {
    for (const c of h.contents) {
      if (typeof c === 'string') parts.push(c);
      else parts.push(c.value);
    }
  }
  return parts.join('\n');
}

function lineOf(doc: vscode.TextDocument, prefix: string): number {
  for (let i = 0; i < doc.lineCount; i++) {
    if (doc.lineAt(i).text.startsWith(prefix)) return i;
  }
  throw new Error(`no line starting with ${JSON.stringify(prefix)} in ${doc.uri.toString()}`);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined, onTimeout: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; ${onTimeout()}`);
    await sleep(100);
  }
}

/**
 * Asks the editor for code actions of `kind` on `range` until one with an edit matches `pick`.
 * The editor may answer a request made while it is still settling with no actions (seen once in CI
 * right after start-up), so one empty answer is not a failure; 20 s of them is.
 */
async function awaitCodeAction(
  uri: vscode.Uri,
  range: vscode.Range,
  kind: vscode.CodeActionKind,
  what: string,
  pick: (a: vscode.CodeAction) => boolean,
): Promise<vscode.CodeAction & { edit: vscode.WorkspaceEdit }> {
  const deadline = Date.now() + 20_000;
  for (let attempt = 1; ; attempt++) {
    const actions =
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        uri,
        range,
        kind.value,
        10, // resolve up to 10 actions (edits may be filled in by codeAction/resolve)
      )) ?? [];
    const found = actions.find((a): a is vscode.CodeAction & { edit: vscode.WorkspaceEdit } => 'kind' in a && a.edit !== undefined && pick(a));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} after ${attempt} requests; the last answer was ${JSON.stringify(actions.map((a) => a.title))}`);
    await sleep(250);
  }
}

describe('dl-lifecycle in a real VS Code', function () {
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;
  let originalBytes: Uint8Array;
  let originalLines: string[];
  let torchLine: number;
  let numpyLine: number;
  let torchDiagnostic: vscode.Diagnostic | undefined;

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open (the runner should open test/e2e/workspace)');
    uri = vscode.Uri.joinPath(folder.uri, 'requirements.txt');
    originalBytes = await vscode.workspace.fs.readFile(uri);
    originalLines = Buffer.from(originalBytes).toString('utf8').split(/\r?\n/);
  });

  after(async function () {
    // Leave the workspace as it was: drop unsaved edits, and restore the bytes on disk if they changed.
    try {
      if (doc && doc.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      if (uri && originalBytes) {
        const now = await vscode.workspace.fs.readFile(uri);
        if (Buffer.compare(Buffer.from(now), Buffer.from(originalBytes)) !== 0) {
          await vscode.workspace.fs.writeFile(uri, originalBytes);
        }
      }
    }
  });

  it('activates the extension', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
    await ext.activate();
    assert.equal(ext.isActive, true, 'extension did not become active');
    const api = ext.exports as DlLifecycleApi;
    assert.ok(api.activationMs > 0);
    // a figure for the benchmark notes, not a pass/fail bar (machines here are noisy)
    console.log(`activation took ${api.activationMs.toFixed(1)} ms (${api.sinceModuleLoadMs.toFixed(1)} ms since the module was evaluated; the server starts in the background)`);
    await api.ready;
  });

  it('the workspace scan reports findings for a file that is not open', async function () {
    const folder = vscode.workspace.workspaceFolders![0];
    const unopened = vscode.Uri.joinPath(folder.uri, 'services', 'batch', 'requirements.txt');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === unopened.toString()), 'the file must not be open');
    // the start-up scan (dlLifecycle.workspaceScan.onStartup, on by default) publishes it
    const eop = await waitFor(
      'end-of-patch on tensorflow==2.9.0 of an unopened file',
      60_000,
      () => vscode.languages.getDiagnostics(unopened).find((d) => d.source === SOURCE && codeOf(d) === 'end-of-patch' && d.range.start.line === 1),
      () => `diagnostics:\n${describeDiagnostics(vscode.languages.getDiagnostics(unopened))}`,
    );
    assert.match(eop.message, /TensorFlow 2\.9/);
    // the command scans again and says how many files it read
    const result = await vscode.commands.executeCommand<{ files: number; found: number; cancelled: boolean }>('dlLifecycle.scanWorkspace');
    assert.ok(result && result.files === result.found && result.files >= 4 && !result.cancelled, JSON.stringify(result));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === unopened.toString()), 'the scan does not open files');
  });

  it('the report view opens, and its rows are the references the CLI reports for the workspace', async function () {
    const ext = vscode.extensions.getExtension<DlLifecycleApi>(EXTENSION_ID)!;
    const api = ext.exports;
    await vscode.commands.executeCommand('dlLifecycle.showReport');
    const shown: WorkspaceReport = await waitFor('the report view', 30_000, () => api.shownReport(), () => 'no report shown');
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    await waitFor(
      'a report webview tab',
      15_000,
      () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('dlLifecycle.report')),
      () => `tabs: ${JSON.stringify(tabs().map((t) => [t.label, t.input instanceof vscode.TabInputWebview ? t.input.viewType : typeof t.input]))}`,
    );
    assert.equal(shown.asOf, '2026-11-21');
    assert.equal(shown.scanned, true);
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const cli = spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), 'scan', '.', '--as-of', '2026-11-21', '--format', 'json', '--fail-on', 'never'], {
      cwd: folder,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', DL_LIFECYCLE_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'dl-lifecycle-nocache-')) },
    });
    assert.equal(cli.status, 0, cli.stderr);
    const json = JSON.parse(cli.stdout) as { references: Array<{ file: string; range: unknown; kind: string; subject: string; version: string; text: string }>; findings: Array<{ rule: string; file: string }> };
    type Keyed = { file: string; range: unknown; kind: string; subject: string; version: string; text: string };
    const key = (r: Keyed) => JSON.stringify([r.file, r.range, r.kind, r.subject, r.version, r.text]);
    assert.deepEqual(shown.rows.map(key).sort(), json.references.map(key).sort());
    assert.equal(shown.rows.reduce((n, r) => n + r.findings.length, 0) + shown.fileFindings.length, json.findings.length);
    assert.ok(shown.rows.some((r) => r.file === 'services/batch/requirements.txt' && r.status === 'ended'));
    assert.ok(shown.timeline.length > 0, 'the timeline has bars');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the status bar counts the warnings and errors of the workspace and names the catalog date', async function () {
    const api = vscode.extensions.getExtension<DlLifecycleApi>(EXTENSION_ID)!.exports;
    const expected = () =>
      vscode.languages
        .getDiagnostics()
        .flatMap(([, ds]) => ds)
        .filter((d) => d.source === SOURCE && d.severity <= vscode.DiagnosticSeverity.Warning).length;
    const bar = await waitFor(
      'the status bar to agree with the Problems panel',
      20_000,
      () => {
        const b = api.statusBar();
        return b && b.text.endsWith(`DL Lifecycle: ${expected()}`) ? b : undefined;
      },
      () => `status bar ${JSON.stringify(api.statusBar())}, ${expected()} warnings and errors in the Problems panel`,
    );
    assert.ok(expected() > 0);
    assert.match(bar.tooltip, /Catalog dated \d{4}-\d{2}-\d{2}/);
  });

  it('opens requirements.txt as pip-requirements', async function () {
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'pip-requirements');
    torchLine = lineOf(doc, 'torch==1.13.1');
    numpyLine = lineOf(doc, 'numpy==1.26.4');
  });

  it('reports end-of-patch on torch==1.13.1 and nothing on numpy', async function () {
    torchDiagnostic = await waitFor(
      `an end-of-patch diagnostic on line ${torchLine}`,
      20_000,
      () =>
        vscode.languages
          .getDiagnostics(uri)
          .find((d) => d.source === SOURCE && codeOf(d) === 'end-of-patch' && d.range.start.line === torchLine),
      () => `diagnostics of ${uri.toString()}:\n${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`,
    );
    assert.ok(
      torchDiagnostic.message.includes(TORCH_EOP),
      `message should mention ${TORCH_EOP}: ${JSON.stringify(torchDiagnostic.message)}`,
    );
    const onNumpy = vscode.languages.getDiagnostics(uri).filter((d) => d.range.start.line === numpyLine || d.range.end.line === numpyLine);
    assert.equal(onNumpy.length, 0, `numpy==1.26.4 should get no diagnostic, got:\n${describeDiagnostics(onNumpy)}`);
  });

  it('hover on "torch" shows the end of patch date', async function () {
    const pos = new vscode.Position(torchLine, 2);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
    const text = hoverText(hovers);
    assert.ok(text.includes('End of patch'), `hover should contain "End of patch": ${JSON.stringify(text)}`);
    assert.ok(text.includes(TORCH_EOP), `hover should contain ${TORCH_EOP}: ${JSON.stringify(text)}`);
  });

  it('quick fix "Bump torch to …" rewrites only the version', async function () {
    assert.ok(torchDiagnostic, 'no end-of-patch diagnostic from the earlier test');
    const range = torchDiagnostic.range;
    const bump = await awaitCodeAction(uri, range, vscode.CodeActionKind.QuickFix, 'a quickfix titled "Bump torch to …"', (a) =>
      a.kind !== undefined && vscode.CodeActionKind.QuickFix.contains(a.kind) && a.title.startsWith('Bump torch to'),
    );
    assert.ok(bump.edit, `quick fix ${JSON.stringify(bump.title)} carries no edit`);
    assert.equal(await vscode.workspace.applyEdit(bump.edit), true, 'workspace.applyEdit returned false');

    const lines = doc.getText().split(/\r?\n/);
    assert.equal(lines.length, originalLines.length, 'line count changed');
    assert.match(lines[torchLine], /^torch==2\.\d+(\.\d+)*\s+# pinned for the old model$/, `torch line after the fix: ${JSON.stringify(lines[torchLine])}`);
    assert.ok(lines[torchLine].endsWith(originalLines[torchLine].slice(originalLines[torchLine].indexOf('  #'))), `comment and its spacing should be unchanged: ${JSON.stringify(lines[torchLine])}`);
    assert.ok(lines[torchLine].includes(TORCH_COMMENT));
    for (let i = 0; i < lines.length; i++) {
      if (i !== torchLine) assert.equal(lines[i], originalLines[i], `line ${i} should be unchanged`);
    }

    // Undo the change in the editor right away, so the rest of the suite sees the original text.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.getText(), Buffer.from(originalBytes).toString('utf8'), 'revert did not restore the original text');
  });

  it('source.fixAll bumps the pin and the diagnostic goes away', async function () {
    const fixAll = await awaitCodeAction(uri, new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.SourceFixAll, 'a source.fixAll action with an edit', (a) =>
      a.kind !== undefined && vscode.CodeActionKind.SourceFixAll.contains(a.kind),
    );
    assert.equal(await vscode.workspace.applyEdit(fixAll.edit), true);
    const lines = doc.getText().split(/\r?\n/);
    assert.match(lines[torchLine], /^torch==2\.\d+\.\d+\s+# pinned for the old model$/);
    await waitFor(
      'the end-of-patch diagnostic to go away after the fix',
      20_000,
      () => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'end-of-patch') ? undefined : true),
      () => describeDiagnostics(vscode.languages.getDiagnostics(uri)),
    );
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.getText(), Buffer.from(originalBytes).toString('utf8'));
  });

  it('the ignore quick fix inserts a suppression comment that silences the finding', async function () {
    const diagnostic = await waitFor(
      'the end-of-patch diagnostic after the revert',
      20_000,
      () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'end-of-patch' && d.range.start.line === torchLine),
      () => describeDiagnostics(vscode.languages.getDiagnostics(uri)),
    );
    const ignore = await awaitCodeAction(uri, diagnostic.range, vscode.CodeActionKind.QuickFix, 'an ignore quick fix', (a) => a.title.startsWith('Ignore end-of-patch'));
    assert.equal(await vscode.workspace.applyEdit(ignore.edit), true);
    assert.equal(doc.lineAt(torchLine).text, '# dl-lifecycle: ignore end-of-patch');
    await waitFor(
      'the suppressed diagnostic to go away',
      20_000,
      () => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'end-of-patch') ? undefined : true),
      () => describeDiagnostics(vscode.languages.getDiagnostics(uri)),
    );
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('a Dockerfile: end of patch on the DLC image, and the whole-tag fix rewrites the ARG default', async function () {
    const folder = vscode.workspace.workspaceFolders![0];
    const dockerUri = vscode.Uri.joinPath(folder.uri, 'Dockerfile');
    const original = Buffer.from(await vscode.workspace.fs.readFile(dockerUri)).toString('utf8');
    const dockerDoc = await vscode.workspace.openTextDocument(dockerUri);
    await vscode.window.showTextDocument(dockerDoc);
    try {
      const eop = await waitFor(
        'an end-of-patch diagnostic on the FROM line of the Dockerfile',
        20_000,
        () => vscode.languages.getDiagnostics(dockerUri).find((d) => d.source === SOURCE && codeOf(d) === 'end-of-patch' && d.range.start.line === 1),
        () => `language ${dockerDoc.languageId}; diagnostics:\n${describeDiagnostics(vscode.languages.getDiagnostics(dockerUri))}`,
      );
      assert.match(eop.message, /PyTorch 2\.1 reached end of patch on 2024-10-04/);
      const update = await awaitCodeAction(dockerUri, eop.range, vscode.CodeActionKind.QuickFix, 'an "Update image to …" quick fix', (a) => a.title.startsWith('Update image to '));
      assert.equal(await vscode.workspace.applyEdit(update.edit), true);
      const lines = dockerDoc.getText().split(/\r?\n/);
      assert.match(lines[0], /^ARG PYTORCH_TAG=2\.\d+\.\d+-gpu-py3\d+-cu\d+-ubuntu\d+\.\d+-sagemaker$/, `ARG line after the fix: ${JSON.stringify(lines[0])}`);
      assert.notEqual(lines[0], original.split(/\r?\n/)[0]);
      assert.deepEqual(lines.slice(1), original.split(/\r?\n/).slice(1), 'only the ARG default changes');
      await waitFor(
        'the end-of-patch diagnostic to go away after the fix',
        20_000,
        () => (vscode.languages.getDiagnostics(dockerUri).some((d) => codeOf(d) === 'end-of-patch') ? undefined : true),
        () => describeDiagnostics(vscode.languages.getDiagnostics(dockerUri)),
      );
    } finally {
      await vscode.window.showTextDocument(dockerDoc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('a Terraform file (no Terraform extension installed): end of patch on the image, and the fix rewrites the variable default', async function () {
    const folder = vscode.workspace.workspaceFolders![0];
    const tfUri = vscode.Uri.joinPath(folder.uri, 'infra', 'main.tf');
    const original = Buffer.from(await vscode.workspace.fs.readFile(tfUri)).toString('utf8');
    const tfDoc = await vscode.workspace.openTextDocument(tfUri);
    await vscode.window.showTextDocument(tfDoc);
    try {
      const imageLine = original.split(/\r?\n/).findIndex((l) => l.trimStart().startsWith('image ='));
      const eop = await waitFor(
        'an end-of-patch diagnostic on the image attribute of infra/main.tf',
        20_000,
        () => vscode.languages.getDiagnostics(tfUri).find((d) => d.source === SOURCE && codeOf(d) === 'end-of-patch' && d.range.start.line === imageLine),
        () => `language ${tfDoc.languageId}; diagnostics:\n${describeDiagnostics(vscode.languages.getDiagnostics(tfUri))}`,
      );
      assert.match(eop.message, /PyTorch 2\.1 reached end of patch on 2024-10-04/);
      const update = await awaitCodeAction(tfUri, eop.range, vscode.CodeActionKind.QuickFix, 'an "Update image to …" quick fix', (a) => a.title.startsWith('Update image to '));
      assert.equal(await vscode.workspace.applyEdit(update.edit), true);
      const lines = tfDoc.getText().split(/\r?\n/);
      const before = original.split(/\r?\n/);
      assert.match(lines[1], /^ {2}default = "2\.\d+\.\d+-gpu-py3\d+-cu\d+-ubuntu\d+\.\d+-sagemaker"$/, `default after the fix: ${JSON.stringify(lines[1])}`);
      assert.notEqual(lines[1], before[1]);
      assert.deepEqual([lines[0], ...lines.slice(2)], [before[0], ...before.slice(2)], 'only the variable default changes');
      await waitFor(
        'the end-of-patch diagnostic to go away after the fix',
        20_000,
        () => (vscode.languages.getDiagnostics(tfUri).some((d) => codeOf(d) === 'end-of-patch') ? undefined : true),
        () => describeDiagnostics(vscode.languages.getDiagnostics(tfUri)),
      );
    } finally {
      await vscode.window.showTextDocument(tfDoc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('a notebook: end of patch on the %pip install line, on the code cell itself', async function () {
    const folder = vscode.workspace.workspaceFolders![0];
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(folder.uri, 'training.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    try {
      const cell = notebook.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code);
      assert.ok(cell, 'training.ipynb has no code cell');
      assert.equal(cell.document.uri.scheme, 'vscode-notebook-cell');
      const eop = await waitFor(
        'an end-of-patch diagnostic on the code cell of training.ipynb',
        20_000,
        () => vscode.languages.getDiagnostics(cell.document.uri).find((d) => d.source === SOURCE && codeOf(d) === 'end-of-patch'),
        () => `notebook type ${notebook.notebookType}, cell language ${cell.document.languageId}; diagnostics:\n${describeDiagnostics(vscode.languages.getDiagnostics(cell.document.uri))}`,
      );
      assert.match(eop.message, new RegExp(`PyTorch 1\\.13 reached end of patch on ${TORCH_EOP}`));
      assert.equal(cell.document.getText(eop.range), 'torch==1.13.1');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('contributes dlLifecycle.showOutput (and runs it), dlLifecycle.refreshCatalog, scanWorkspace and showReport', async function () {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['dlLifecycle.scanWorkspace', 'dlLifecycle.showReport']) assert.ok(commands.includes(id), `command ${id} is not registered`);
    assert.ok(commands.includes('dlLifecycle.showOutput'), 'command dlLifecycle.showOutput is not registered');
    assert.ok(commands.includes('dlLifecycle.refreshCatalog'), 'command dlLifecycle.refreshCatalog is not registered');
    await vscode.commands.executeCommand('dlLifecycle.showOutput');
  });

  it('restarts the language server when it is killed, and diagnostics come back', async function () {
    const servers = () => {
      const out: number[] = [];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
          const ppid = Number(/^\d+ \(.*\) \S+ (\d+)/.exec(readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1]);
          if (ppid === process.pid && cmd.includes('dist/server.js')) out.push(Number(entry));
        } catch {
          /* the process ended meanwhile */
        }
      }
      return out;
    };
    const [pid] = servers();
    assert.ok(pid, 'the language server runs as a child of the extension host');
    process.kill(pid, 'SIGKILL');
    const next = await waitFor('a restarted server', 20_000, () => servers().find((p) => p !== pid), () => `servers: ${servers().join(', ') || 'none'}`);
    assert.notEqual(next, pid);
    const folder = vscode.workspace.workspaceFolders![0];
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'Dockerfile'));
    await vscode.window.showTextDocument(doc);
    await waitFor(
      'diagnostics from the restarted server',
      30_000,
      () => (vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === SOURCE) ? true : undefined),
      () => describeDiagnostics(vscode.languages.getDiagnostics(doc.uri)),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
