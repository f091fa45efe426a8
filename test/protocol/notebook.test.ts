/**
 * Protocol test: a Jupyter notebook opened through notebook document sync. Diagnostics, hovers and
 * code actions are per cell (`vscode-notebook-cell:` URIs), with ranges inside each cell.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CodeActionRequest,
  DidChangeNotebookDocumentNotification,
  DidCloseNotebookDocumentNotification,
  DidOpenNotebookDocumentNotification,
  HoverRequest,
  NotebookCellKind,
  type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/text';
import type { Session } from './session';
import { start, stop } from './session';

const NOTEBOOK = 'file:///workspace/training.ipynb';
const INSTALL = 'vscode-notebook-cell:/workspace/training.ipynb#W0sZmlsZQ%3D%3D';
const ESTIMATOR = 'vscode-notebook-cell:/workspace/training.ipynb#W1sZmlsZQ%3D%3D';
const NOTES = 'vscode-notebook-cell:/workspace/training.ipynb#W2sZmlsZQ%3D%3D';
const INSTALL_TEXT = '!pip install torch==1.13.1\n';
const ESTIMATOR_TEXT = 'from sagemaker.pytorch import PyTorch\n\nest = PyTorch(framework_version="1.8.0", py_version="py3")\n';
const NOTES_TEXT = '# Notes\n\n!pip install torch==1.13.1 is not run from Markdown.\n';

describe('language server: notebook document sync', () => {
  let s: Session;
  before(async () => {
    s = await start(false, { asOf: '2026-11-21' });
  });
  after(async () => stop(s));

  it('publishes diagnostics on the cell URIs, with ranges inside each cell; Markdown cells stay quiet', async () => {
    const waits = [s.next(INSTALL, 1), s.next(ESTIMATOR, 1), s.next(NOTES, 1)];
    await s.conn.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: {
        uri: NOTEBOOK,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: [
          { kind: NotebookCellKind.Code, document: INSTALL },
          { kind: NotebookCellKind.Code, document: ESTIMATOR },
          { kind: NotebookCellKind.Markup, document: NOTES },
        ],
      },
      cellTextDocuments: [
        { uri: INSTALL, languageId: 'python', version: 1, text: INSTALL_TEXT },
        { uri: ESTIMATOR, languageId: 'python', version: 1, text: ESTIMATOR_TEXT },
        { uri: NOTES, languageId: 'markdown', version: 1, text: NOTES_TEXT },
      ],
    });
    const [install, estimator, notes] = await Promise.all(waits);
    assert.deepEqual(install.diagnostics.map((d) => [d.code, d.range]), [['end-of-patch', { start: { line: 0, character: 13 }, end: { line: 0, character: 26 } }]]);
    assert.match(install.diagnostics[0].message as string, /PyTorch 1\.13 reached end of patch on 2024-10-28/);
    assert.deepEqual(estimator.diagnostics.map((d) => [d.code, d.range.start.line]), [['end-of-patch', 2]]);
    assert.match(estimator.diagnostics[0].message as string, /PyTorch 1\.8 reached end of patch/);
    assert.deepEqual(notes.diagnostics, []);
  });

  it('answers hovers in a cell', async () => {
    const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri: INSTALL }, position: { line: 0, character: 22 } });
    assert.match((h!.contents as { value: string }).value, /\*\*PyTorch 1\.13\*\*/);
  });

  it('fixes the pin in its cell; the changed cell is checked again', async () => {
    const diag = s.diagnostics.filter((d) => d.uri === INSTALL).at(-1)!.diagnostics[0];
    const actions = (await s.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: INSTALL }, range: diag.range, context: { diagnostics: [diag] } })) as CodeAction[];
    assert.equal(actions[0].title, 'Bump torch to 2.11.0 (nearest supported PyTorch version)');
    assert.deepEqual(Object.keys(actions[0].edit!.changes!), [INSTALL]);
    const fixed = applyEdits(INSTALL_TEXT, actions[0].edit!.changes![INSTALL]);
    assert.equal(fixed, '!pip install torch==2.11.0\n');
    const wait = s.next(INSTALL, 2);
    await s.conn.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: NOTEBOOK, version: 2 },
      change: { cells: { textContent: [{ document: { uri: INSTALL, version: 2 }, changes: [{ text: fixed }] }] } },
    });
    assert.deepEqual((await wait).diagnostics, []);
  });

  it('clears the cells\' diagnostics when the notebook closes', async () => {
    const wait = s.next(ESTIMATOR);
    await s.conn.sendNotification(DidCloseNotebookDocumentNotification.type, {
      notebookDocument: { uri: NOTEBOOK },
      cellTextDocuments: [{ uri: INSTALL }, { uri: ESTIMATOR }, { uri: NOTES }],
    });
    assert.deepEqual((await wait).diagnostics, []);
  });
});
