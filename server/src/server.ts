/**
 * The dl-lifecycle language server: glue between LSP and the core pipeline (analysis.ts).
 * Transport: stdio (`--stdio`) or Node IPC (`--node-ipc`), chosen by the command line as
 * vscode-languageserver does. Diagnostics are pushed on open and (debounced) on change;
 * hovers and code actions are computed from the same analysis.
 *
 * Each document is analysed under its nearest policy file (policy/find.ts, walking up to its
 * workspace folder) merged with the settings (policy/precedence.ts); a document the policy
 * excludes gets no diagnostics. A policy file's problems are published as diagnostics of the policy
 * file (open or not), re-read live from an open editor buffer and on watched-file events, after
 * which the open documents are validated again.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  NotebookCellKind,
  NotebookDocuments,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Analysis } from './analysis';
import { analyzeText } from './analysis';
import { resolveAsOf } from './asOf';
import type { Catalog } from './catalog/catalog';
import { readBundledParts } from './catalog/load';
import { loadCatalogWithCache } from './catalog/refresh/refresh';
import { computeCodeActions, FIX_ALL_KIND } from './features/codeActions';
import { policyProblemDiagnostic, toDiagnostic } from './features/diagnostics';
import { computeDocumentLinks } from './features/documentLinks';
import { computeHover } from './features/hover';
import type { LoadedPolicy } from './policy/find';
import { isExcluded, isInside, PolicyFinder, policyKindOfPath } from './policy/find';
import { editorLayers, mergeLayers } from './policy/precedence';
import { DEFAULT_WARNING_WINDOW_DAYS } from './rules/context';
import type { FileKind } from './scanners/fileKinds';
import { fileKindForLanguage, fileKindForPath } from './scanners/fileKinds';
import { initParsers } from './scanners/treeSitter';
import { notebookCellKind } from './scanners/notebook/cells';
import type { Settings } from './settings';
import { CATALOG_CHANGED_NOTIFICATION, DEFAULT_SETTINGS, readSettings, SETTINGS_SECTION } from './settings';

const DEBOUNCE_MS = 150;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** Notebooks (Jupyter) synchronised as notebook documents: each cell is a text document of its own (`vscode-notebook-cell:` URI). */
const notebooks = new NotebookDocuments(TextDocument);
let catalog: Catalog | undefined;
let catalogCacheFile: string | undefined;
let catalogNotes: string[] = [];
let catalogRefreshed: string[] = [];
let catalogError: string | undefined;
let settings: Settings = DEFAULT_SETTINGS;
let pullConfiguration = false;
const reportedProblems = new Set<string>();
const timers = new Map<string, NodeJS.Timeout>();
const cache = new Map<string, { version: number; analysis: Analysis | undefined }>();
const policies = new PolicyFinder();
/** Diagnostics of each policy file (by URI) the server has read, as last published. */
const policyDiagnostics = new Map<string, Diagnostic[]>();
/** The valid content of each policy file as last read, to tell a real change from a re-read. */
const lastPolicies = new Map<string, string>();
const lastLoaded = new Map<string, LoadedPolicy>();
/** Workspace folders as file-system paths: the nearest-policy walk stops at the one holding a document. */
let workspaceFolders: string[] = [];
let foldersChange = false;

function log(message: string): void {
  connection.console.log(`[dl-lifecycle] ${message}`);
}

/** An open document or notebook cell by URI. */
function documentOf(uri: string): TextDocument | undefined {
  return documents.get(uri) ?? notebooks.cellTextDocuments.get(uri);
}

/** Every open document and notebook cell. */
function allDocuments(): TextDocument[] {
  return [...documents.all(), ...notebooks.cellTextDocuments.all()];
}

function kindOf(doc: TextDocument): FileKind | undefined {
  // a notebook cell is read as a cell of its kind (Python code with magics, or Markdown), not by its language
  const cell = notebooks.getNotebookCell(doc.uri);
  if (cell) return notebookCellKind(cell.kind === NotebookCellKind.Markup ? 'markdown' : 'code', { scanMarkdown: settings.scanNotebookMarkdown });
  let kind = fileKindForLanguage(doc.languageId);
  try {
    kind ??= fileKindForPath(URI.parse(doc.uri).path);
  } catch {
    return undefined;
  }
  // scripts and Markdown are read by the generic recognisers only when dlLifecycle.textFiles.enabled is on
  return kind?.generic && !settings.scanTextFiles ? undefined : kind;
}

/** The file a document's policy is looked up for: the notebook's file for a notebook cell, else the document's own. */
function policyPathOf(uri: string): string | undefined {
  const notebook = notebooks.findNotebookDocumentForCell(uri);
  return fsPathOf(notebook ? notebook.uri : uri);
}

/** The file-system path of a `file:` URI, else undefined (untitled documents have no policy). */
function fsPathOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** Records a policy file's content and problems, and publishes its diagnostics when they changed (and `publishNow`). */
function notePolicy(loaded: LoadedPolicy, publishNow = true): void {
  if (lastLoaded.get(loaded.file) === loaded) return; // the finder returns the same object while the file is unchanged
  lastLoaded.set(loaded.file, loaded);
  lastPolicies.set(loaded.file, JSON.stringify(loaded.policy));
  const uri = URI.file(loaded.file).toString();
  const diagnostics = loaded.problems.map(policyProblemDiagnostic);
  const before = policyDiagnostics.get(uri);
  if (before && JSON.stringify(before) === JSON.stringify(diagnostics)) return;
  policyDiagnostics.set(uri, diagnostics);
  if (publishNow) publish(uri);
}

/** The policy of a document: the nearest policy file up to the workspace folder that holds it (or the filesystem root). */
function policyOf(file: string): LoadedPolicy | undefined {
  const folder = workspaceFolders.filter((f) => isInside(f, file)).sort((a, b) => b.length - a.length)[0];
  const loaded = policies.nearest(path.dirname(file), folder);
  if (loaded) notePolicy(loaded);
  return loaded;
}

/** Analyses a document once per version; an exception yields no analysis and one log line. */
function analyze(doc: TextDocument): Analysis | undefined {
  const cached = cache.get(doc.uri);
  if (cached && cached.version === doc.version) return cached.analysis;
  let analysis: Analysis | undefined;
  const kind = kindOf(doc);
  if (kind && catalog) {
    try {
      const file = policyPathOf(doc.uri);
      const policy = file === undefined ? undefined : policyOf(file);
      if (!(file !== undefined && isExcluded(policy, file))) {
        const options = mergeLayers(editorLayers(settings, policy?.policy), resolveAsOf(undefined), DEFAULT_WARNING_WINDOW_DAYS);
        analysis = analyzeText(doc.getText(), URI.parse(doc.uri).path, kind, catalog, options);
      }
    } catch (e) {
      log(`analysis of ${doc.uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
  cache.set(doc.uri, { version: doc.version, analysis });
  return analysis;
}

/** Sends a URI's diagnostics: its analysis findings when it is open, and its problems when it is a policy file. */
function publish(uri: string): void {
  const doc = documentOf(uri);
  const analysis = doc ? analyze(doc) : undefined;
  const diagnostics = [...(analysis ? analysis.findings.map(toDiagnostic) : []), ...(policyDiagnostics.get(uri) ?? [])];
  void connection.sendDiagnostics(doc ? { uri, version: doc.version, diagnostics } : { uri, diagnostics });
}

function validate(doc: TextDocument): void {
  const file = fsPathOf(doc.uri);
  if (file !== undefined && policyKindOfPath(file)) rereadPolicy(file, doc.getText(), false);
  publish(doc.uri);
}

/**
 * Reads a policy file again (from `text`, an open buffer, or from disk when undefined), publishes
 * its problems (unless the caller will) and, when its valid content changed, validates the other
 * open documents again.
 */
function rereadPolicy(file: string, text: string | undefined, publishNow = true): void {
  const uri = URI.file(file).toString();
  let loaded: LoadedPolicy | undefined;
  try {
    policies.setOverlay(file, text);
    loaded = policies.load(file);
  } catch (e) {
    log(`reading the policy file ${file} failed: ${String(e)}`);
  }
  const before = lastPolicies.get(file);
  if (loaded) notePolicy(loaded, publishNow);
  else {
    lastPolicies.delete(file);
    lastLoaded.delete(file);
    if (policyDiagnostics.delete(uri) && publishNow) publish(uri);
  }
  if (lastPolicies.get(file) === before) return;
  cache.clear();
  for (const other of allDocuments()) if (other.uri !== uri && !policyKindOfPath(fsPathOf(other.uri) ?? '')) schedule(other, 0);
}

function schedule(doc: TextDocument, delay: number): void {
  const pending = timers.get(doc.uri);
  if (pending) clearTimeout(pending);
  timers.set(
    doc.uri,
    setTimeout(() => {
      timers.delete(doc.uri);
      const current = documentOf(doc.uri);
      if (current) validate(current);
    }, delay),
  );
}

async function refreshSettings(raw?: unknown): Promise<void> {
  let value = raw;
  if (pullConfiguration) {
    try {
      value = await connection.workspace.getConfiguration(SETTINGS_SECTION);
    } catch (e) {
      log(`could not read settings: ${String(e)}`);
    }
  }
  useSettings(value);
  cache.clear();
  for (const doc of allDocuments()) validate(doc);
}

/** Reads settings as the client sent them, reporting each invalid value once (log and a warning). */
function useSettings(raw: unknown): void {
  const { settings: next, problems } = readSettings(raw);
  settings = next;
  for (const p of problems) {
    if (reportedProblems.has(p)) continue;
    reportedProblems.add(p);
    log(p);
    void connection.window.showWarningMessage(`DL Lifecycle: ${p}`);
  }
}

connection.onInitialize(async (params) => {
  // the tree-sitter parsers (WebAssembly: Python, TypeScript/TSX, Terraform) load once, before any
  // analysis; a file whose parser could not be loaded gets a note
  await initParsers().catch((e: unknown) => log(e instanceof Error ? e.message : String(e)));
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceFolders = folders.map(fsPathOf).filter((f): f is string => f !== undefined);
  foldersChange = params.capabilities.workspace?.workspaceFolders === true;
  const init = params.initializationOptions as { settings?: unknown; catalogCacheFile?: unknown } | undefined;
  if (init?.settings) useSettings(init.settings);
  catalogCacheFile = typeof init?.catalogCacheFile === 'string' ? init.catalogCacheFile : undefined;
  loadCatalog();
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      // Jupyter notebooks: Python code cells and Markdown cells (read only with dlLifecycle.notebooks.scanMarkdown)
      notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }, { language: 'markdown' }] }] },
      hoverProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'dl-lifecycle', version: '0.1.0' },
  };
});

/**
 * Loads the bundled catalog with the client's refresh cache (if any) merged over it. A cache that
 * cannot be used is reported once (log) and the bundled catalog is used; a bundled catalog that
 * cannot be loaded leaves the server without a catalog (no findings) and is reported at start.
 */
function loadCatalog(): void {
  try {
    const loaded = loadCatalogWithCache(readBundledParts(), catalogCacheFile);
    catalog = loaded.catalog;
    catalogError = undefined;
    catalogNotes = loaded.problems;
    catalogRefreshed = Object.values(loaded.cache?.entries ?? {}).map((e) => `${e!.source} ${e!.fetched}`);
  } catch (e) {
    catalogError = e instanceof Error ? e.message : String(e);
  }
}

function reportCatalog(): void {
  if (catalogError) {
    log(`the bundled catalog could not be loaded: ${catalogError}`);
    void connection.window.showErrorMessage(`DL Lifecycle: the bundled catalog could not be loaded: ${catalogError}`);
  } else if (catalog) {
    log(`catalog dated ${catalog.generated} loaded (${catalog.frameworks.map((f) => f.name).join(', ')})${catalogRefreshed.length ? `; refreshed data: ${catalogRefreshed.join(', ')}` : ''}`);
  }
  for (const note of catalogNotes) log(note);
}

// the client refreshed the catalog cache: load the catalog again and re-check every open document
connection.onNotification(CATALOG_CHANGED_NOTIFICATION, () => {
  loadCatalog();
  reportCatalog();
  revalidateAll();
});

connection.onInitialized(() => {
  reportCatalog();
  if (pullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    void refreshSettings();
  }
  if (foldersChange) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => fsPathOf(f.uri)));
      workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...e.added.map((f) => fsPathOf(f.uri)).filter((f): f is string => f !== undefined)];
      revalidateAll();
    });
  }
});

/** Forgets cached policy lookups and analyses and validates every open document again. */
function revalidateAll(): void {
  policies.invalidate();
  cache.clear();
  for (const doc of allDocuments()) schedule(doc, 0);
}

// `.dl-lifecycle.toml` and `pyproject.toml` changed on disk (the client watches them): open buffers
// keep their own text; the others are read again, and every open document is validated again
connection.onDidChangeWatchedFiles((params) => {
  let relevant = false;
  for (const change of params.changes) {
    const file = fsPathOf(change.uri);
    if (file === undefined || !policyKindOfPath(file)) continue;
    relevant = true;
    if (documents.get(change.uri)) continue;
    rereadPolicy(file, undefined);
  }
  if (relevant) revalidateAll();
});

connection.onDidChangeConfiguration((change) => {
  const raw = (change.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
  void refreshSettings(raw);
});

documents.onDidOpen((e) => validate(e.document));
documents.onDidChangeContent((e) => schedule(e.document, DEBOUNCE_MS));
documents.onDidClose((e) => {
  cache.delete(e.document.uri);
  const t = timers.get(e.document.uri);
  if (t) clearTimeout(t);
  timers.delete(e.document.uri);
  const file = fsPathOf(e.document.uri);
  // a closed policy file falls back to its content on disk, whose problems stay visible
  if (file !== undefined && policyKindOfPath(file)) rereadPolicy(file, undefined, false);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: policyDiagnostics.get(e.document.uri) ?? [] });
});

/** Answers a request from the document's analysis; no document, no analysis or an exception gives `empty` (and one log line). */
function fromAnalysis<T>(uri: string, what: string, empty: T, answer: (analysis: Analysis, doc: TextDocument) => T): T {
  const doc = documentOf(uri);
  if (!doc) return empty;
  try {
    const analysis = analyze(doc);
    return analysis ? answer(analysis, doc) : empty;
  } catch (e) {
    log(`${what} failed: ${String(e)}`);
    return empty;
  }
}

connection.onHover((params) => fromAnalysis(params.textDocument.uri, 'hover', null, (a) => computeHover(a, params.position)));
connection.onCodeAction((params) =>
  fromAnalysis(params.textDocument.uri, 'code actions', [], (a, doc) => computeCodeActions(a, doc.getText(), doc.uri, params.range, params.context.only)),
);
connection.onDocumentLinks((params) => fromAnalysis(params.textDocument.uri, 'document links', [], (a, doc) => computeDocumentLinks(a, doc.uri)));

/** Forgets a closed or removed notebook cell and clears its diagnostics. */
function forgetCell(uri: string): void {
  cache.delete(uri);
  const t = timers.get(uri);
  if (t) clearTimeout(t);
  timers.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
}

// cells are validated once the notebook knows them (the cell map is filled after the cells open)
notebooks.onDidOpen((notebook) => {
  for (const cell of notebook.cells) {
    const doc = notebooks.getCellTextDocument(cell);
    if (doc) validate(doc);
  }
});
notebooks.onDidChange((e) => {
  for (const cell of e.cells?.removed ?? []) if (cell) forgetCell(cell.document);
  const touched = [...(e.cells?.added ?? []), ...(e.cells?.changed.data.map((d) => d.new) ?? []), ...(e.cells?.changed.textContent ?? [])];
  for (const cell of touched) {
    const doc = cell && notebooks.getCellTextDocument(cell);
    if (doc) {
      cache.delete(doc.uri); // a cell's kind may change without a new text version
      schedule(doc, DEBOUNCE_MS);
    }
  }
});
notebooks.onDidClose((notebook) => {
  for (const cell of notebook.cells) forgetCell(cell.document);
});

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
