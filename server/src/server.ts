/**
 * The dl-lifecycle language server: glue between LSP and the core pipeline (analysis.ts).
 * Transport: stdio (`--stdio`) or Node IPC (`--node-ipc`), chosen by the command line as
 * vscode-languageserver does. Diagnostics are pushed on open and on change (at once for a document
 * that is quick to analyse, else debounced);
 * hovers and code actions are computed from the same analysis.
 *
 * Each document is analysed under its nearest policy file (policy/find.ts, walking up to its
 * workspace folder) merged with the settings (policy/precedence.ts); a document the policy
 * excludes gets no diagnostics. A policy file's problems are published as diagnostics of the policy
 * file (open or not), re-read live from an open editor buffer and on watched-file events, after
 * which the open documents are validated again.
 */
import type { CancellationToken, Diagnostic, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { Severity } from './model';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  NotebookCellKind,
  NotebookDocuments,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Analysis, AnalysisOptions } from './analysis';
import { analyzeText } from './analysis';
import { resolveAsOf } from './asOf';
import type { Catalog } from './catalog/catalog';
import type { CatalogParts } from './catalog/refresh/merge';
import type { WorkerReply } from './cli/scanPool';
import { ScanPool } from './cli/scanPool';
import { readBundledParts } from './catalog/load';
import { loadCatalogWithCache } from './catalog/refresh/refresh';
import { computeCodeActions, FIX_ALL_KIND } from './features/codeActions';
import { computeCodeLenses } from './features/codeLens';
import { computeInlayHints } from './features/inlayHints';
import type { DiagnosticFinding } from './features/diagnostics';
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
import { newestDataDay, readCache, STALE_AFTER_DAYS } from './catalog/refresh/refresh';
import { daysBetween } from './dates';
import type { FileReport, WorkspaceReport } from './report/workspaceReport';
import type { ScannedPart } from './report/workspaceReport';
import { fileReportOf, mergeFileReports, scannedPartOf, unpackFileReport } from './report/workspaceReport';
import type { ScanWorkspaceParams, ScanWorkspaceResult, Settings, WorkspaceSummary } from './settings';
import { CATALOG_CHANGED_NOTIFICATION, DEFAULT_SETTINGS, readSettings, REPORT_REQUEST, SCAN_WORKSPACE_REQUEST, SETTINGS_SECTION, SUMMARY_NOTIFICATION } from './settings';
import type { WorkspaceFile } from './workspace/workspaceFiles';
import { findWorkspaceFiles } from './workspace/workspaceFiles';
import { readTextFile } from './workspace/walk';
import { DEBOUNCE_MS, validationDelay } from './workspace/validationDelay';


const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** Notebooks (Jupyter) synchronised as notebook documents: each cell is a text document of its own (`vscode-notebook-cell:` URI). */
const notebooks = new NotebookDocuments(TextDocument);
let catalog: Catalog | undefined;
/** The parts {@link catalog} was built from: the workspace scan's worker process builds the same catalog from them. */
let catalogParts: { parts: CatalogParts; origins: Record<string, string> } | undefined;
let catalogCacheFile: string | undefined;
let catalogNotes: string[] = [];
let catalogRefreshed: string[] = [];
let catalogError: string | undefined;
let settings: Settings = DEFAULT_SETTINGS;
let pullConfiguration = false;
const reportedProblems = new Set<string>();
/** Pending validations of documents, by URI (a debounce timer or an immediate). */
const timers = new Map<string, { cancel(): void }>();
/** Each open document's analysis of its current (or last analysed) version, and how long the analysis took (ms). */
const cache = new Map<string, { version: number; analysis: Analysis | undefined; ms: number }>();
const policies = new PolicyFinder();
/** Diagnostics of each policy file (by URI) the server has read, as last published. */
const policyDiagnostics = new Map<string, Diagnostic[]>();
/** The valid content of each policy file as last read, to tell a real change from a re-read. */
const lastPolicies = new Map<string, string>();
const lastLoaded = new Map<string, LoadedPolicy>();
/** Workspace folders as file-system paths: the nearest-policy walk stops at the one holding a document. */
let workspaceFolders: string[] = [];
let foldersChange = false;
/** The client shows server-initiated progress (`window/workDoneProgress/create`). */
let progressSupported = false;
/** The client refreshes inlay hints and code lenses when asked (`workspace/inlayHint/refresh`, `workspace/codeLens/refresh`). */
let refreshSupport = { inlayHints: false, codeLens: false };

/**
 * Files of the workspace scan that are not open in the editor, by URI: the report rows and findings
 * of their analysis from disk, as a packed {@link FileReport} (one JSON string, not the analysis,
 * which holds the file's text), and its findings counted by severity (for the summary); files
 * without references or findings are not kept. Open documents are analysed from the editor's text
 * instead and win over these.
 */
const scannedFiles = new Map<string, { report: string; counts: Record<Severity, number> }>();
/** Whether a workspace scan has completed (the status bar and report then cover unopened files). */
let workspaceScanned = false;
/** The running workspace scan, cancelled when another starts. */
let runningScan: { cancelled: boolean } | undefined;

function log(message: string): void {
  connection.console.log(`[dl-lifecycle] ${message}`);
}

/** An error as one log line: its message and the place it was thrown (the first frame of its stack). */
function oneLine(e: unknown): string {
  if (!(e instanceof Error)) return String(e).replace(/\s+/g, ' ');
  const frame = e.stack?.split('\n').find((l) => l.trimStart().startsWith('at '))?.trim();
  return `${e.message.replace(/\s+/g, ' ')}${frame ? ` (${frame})` : ''}`;
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

/** Analysis options of a file under its policy and the settings. */
function optionsFor(policy: LoadedPolicy | undefined) {
  return mergeLayers(editorLayers(settings, policy?.policy), resolveAsOf(undefined), DEFAULT_WARNING_WINDOW_DAYS);
}

/**
 * Test hook of the fault tests: the analysis of a document whose URI contains this text throws, as a
 * scanner bug would. Unset in normal use.
 */
const FAULT_INJECTION = process.env.DL_LIFECYCLE_FAULT_INJECTION || undefined;
/** Files too large or binary to analyse, each said once (log), and whether the one-time notice was shown. */
const skippedNoted = new Set<string>();
let skippedNoticeShown = false;

/**
 * Why an open document is not analysed: over `dlLifecycle.maxFileSize` (counted in UTF-16 units, a
 * lower bound of its UTF-8 size) or binary (a NUL in its first 8 KiB, as the workspace walk tells);
 * undefined when it is analysed.
 */
function tooLargeOrBinary(text: string): string | undefined {
  const max = settings.maxFileSizeMb * 1024 * 1024;
  if (text.length > max) return `over the ${settings.maxFileSizeMb} MB limit (dlLifecycle.maxFileSize)`;
  if (text.slice(0, 8192).includes('\u0000')) return 'a binary file';
  return undefined;
}

/** Says once per file (log) and once per session (a notice) that files are not analysed, and why. */
function noteSkipped(name: string, why: string): void {
  if (skippedNoted.has(name)) return;
  skippedNoted.add(name);
  log(`${name} is not analysed: ${why}`);
  if (skippedNoticeShown) return;
  skippedNoticeShown = true;
  void connection.window.showInformationMessage(`DL Lifecycle does not check ${path.basename(name)}: ${why}. Files like it are listed in the output (DL Lifecycle: Show Output).`);
}

/**
 * The tree-sitter parsers (WebAssembly: Python, TypeScript/TSX, Terraform) are loaded on first use:
 * when a document of a kind that parses (`FileKind.parses`) is first analysed, or a file of such a
 * kind changes on disk after a workspace scan, not at start. A server that never parses code (and
 * the workspace scan, which runs in a worker process) never holds their WebAssembly memory (about
 * 34 MB), and `initialize` is answered without waiting for them. Documents asked for meanwhile are
 * analysed when the parsers are loaded; a grammar that cannot be loaded is logged, and its files
 * get a note.
 */
let parsersLoaded = false;
let parsersLoading: Promise<void> | undefined;
/** Open documents whose analysis waits for the parsers, by URI. */
const waitingForParsers = new Set<string>();

/** Starts loading the parsers (once) and resolves when they are loaded or failed (never rejects). */
function loadParsers(): Promise<void> {
  parsersLoading ??= initParsers()
    .catch((e: unknown) => log(e instanceof Error ? e.message : String(e)))
    .finally(() => {
      parsersLoaded = true;
      const waiting = [...waitingForParsers];
      waitingForParsers.clear();
      for (const uri of waiting) {
        const doc = documentOf(uri);
        if (doc) validate(doc);
      }
      refreshEditorFeatures();
    });
  return parsersLoading;
}

/** Whether a file of `kind` can be analysed now: true unless it parses and the parsers are not loaded yet (their loading is then started). */
function parsersReadyFor(kind: FileKind): boolean {
  if (!kind.parses || parsersLoaded) return true;
  void loadParsers();
  return false;
}

/**
 * Analyses a document once per version; an exception yields no analysis and one log line. A
 * document of a kind that parses gets no analysis until the parsers are loaded (it is validated
 * then).
 */
function analyze(doc: TextDocument): Analysis | undefined {
  const cached = cache.get(doc.uri);
  if (cached && cached.version === doc.version) return cached.analysis;
  let analysis: Analysis | undefined;
  let ms = 0;
  const kind = kindOf(doc);
  if (kind && catalog && !parsersReadyFor(kind)) {
    waitingForParsers.add(doc.uri);
    return undefined;
  }
  const skipped = kind && catalog ? tooLargeOrBinary(doc.getText()) : undefined;
  if (skipped) noteSkipped(URI.parse(doc.uri).fsPath || doc.uri, skipped);
  else if (kind && catalog) {
    try {
      if (FAULT_INJECTION !== undefined && doc.uri.includes(FAULT_INJECTION)) throw new Error('fault injected by DL_LIFECYCLE_FAULT_INJECTION');
      const file = policyPathOf(doc.uri);
      const policy = file === undefined ? undefined : policyOf(file);
      if (!(file !== undefined && isExcluded(policy, file))) {
        const started = performance.now();
        analysis = analyzeText(doc.getText(), URI.parse(doc.uri).path, kind, catalog, optionsFor(policy));
        ms = performance.now() - started;
      }
    } catch (e) {
      log(`analysis of ${doc.uri} failed: ${oneLine(e)}`);
    }
  }
  cache.set(doc.uri, { version: doc.version, analysis, ms });
  if (++analysesSinceCollection >= ANALYSES_PER_COLLECTION) {
    analysesSinceCollection = 0;
    releaseMemorySoon();
  }
  return analysis;
}

/**
 * Analyses of open documents between two full garbage collections: every edit leaves garbage (texts,
 * trees, analyses) that V8 otherwise lets pile up in a grown heap over a long session; a collection
 * of this server's heap takes a few milliseconds, so one per this many analyses costs nothing
 * noticeable per edit (soak: docs/performance.md).
 */
const ANALYSES_PER_COLLECTION = 500;
let analysesSinceCollection = 0;

/** The findings of an unopened scanned file, as the workspace scan kept them (none when it kept nothing). */
function scannedFindings(uri: string): FileReport['findings'] {
  const packed = scannedFiles.get(uri)?.report;
  return packed === undefined ? [] : unpackFileReport(packed).findings;
}

/**
 * Sends a URI's diagnostics: its analysis findings when it is open, and its problems when it is a
 * policy file. An unopened file gets `unopened` (the findings the workspace scan just computed) or,
 * when not given, the findings the scan kept for it.
 */
function publish(uri: string, unopened?: readonly DiagnosticFinding[]): void {
  const doc = documentOf(uri);
  const analysis = doc ? analyze(doc) : undefined;
  // published once the parsers are loaded (an empty list now would flash the document clean)
  if (doc && !analysis && waitingForParsers.has(uri)) return;
  // an unopened scanned file: its findings as kept by the scan
  const findings: readonly DiagnosticFinding[] = analysis?.findings ?? (doc ? [] : (unopened ?? scannedFindings(uri)));
  const diagnostics = [...findings.map(toDiagnostic), ...(policyDiagnostics.get(uri) ?? [])];
  void connection.sendDiagnostics(doc ? { uri, version: doc.version, diagnostics } : { uri, diagnostics });
  scheduleSummary();
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
  rescanWorkspace();
}

/** Validates a document after `delay` ms (0: in the next turn of the event loop), replacing a validation already pending for it. */
function schedule(doc: TextDocument, delay: number): void {
  cancelPending(doc.uri);
  const run = () => {
    timers.delete(doc.uri);
    const current = documentOf(doc.uri);
    if (current) validate(current);
  };
  if (delay <= 0) {
    const immediate = setImmediate(run);
    timers.set(doc.uri, { cancel: () => clearImmediate(immediate) });
  } else {
    const timer = setTimeout(run, delay);
    timers.set(doc.uri, { cancel: () => clearTimeout(timer) });
  }
}

/** Cancels a document's pending validation, if any. */
function cancelPending(uri: string): void {
  timers.get(uri)?.cancel();
  timers.delete(uri);
}

/** How long to wait before validating an edited document (see {@link validationDelay}). */
function debounceFor(doc: TextDocument): number {
  return validationDelay(cache.get(doc.uri)?.ms);
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
  refreshEditorFeatures();
  rescanWorkspace();
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

connection.onInitialize((params) => {
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceFolders = folders.map(fsPathOf).filter((f): f is string => f !== undefined);
  foldersChange = params.capabilities.workspace?.workspaceFolders === true;
  progressSupported = params.capabilities.window?.workDoneProgress === true;
  refreshSupport = { inlayHints: params.capabilities.workspace?.inlayHint?.refreshSupport === true, codeLens: params.capabilities.workspace?.codeLens?.refreshSupport === true };
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
      // answered only with dlLifecycle.inlayHints.enabled / dlLifecycle.codeLens.enabled (off by default)
      inlayHintProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
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
    catalogParts = { parts: loaded.parts, origins: loaded.origins };
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
  refreshEditorFeatures();
  rescanWorkspace();
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

/**
 * A workspace file changed on disk (the client watches the workspace): after a workspace scan, an
 * unopened file of a known kind is analysed again, a deleted one loses its diagnostics. Open
 * documents keep the editor's text. A file of a kind that parses, while the server has not loaded
 * the parsers, is analysed in a worker process with the others changed within
 * {@link CHANGED_BATCH_MS} ({@link analyzeChangedSoon}), so that a checkout that changes many Python
 * or Terraform files neither loads the parsers into the server nor holds up its thread.
 */
function rescanFile(uri: string, file: string, deleted: boolean): void {
  if (!workspaceScanned || documentOf(uri)) return;
  const normalized = URI.file(file).toString();
  const folder = folderOf(file);
  if (deleted || !folder) {
    changedOnDisk.delete(normalized);
    if (scannedFiles.delete(normalized)) void connection.sendDiagnostics({ uri: normalized, diagnostics: [] });
    scheduleSummary();
    return;
  }
  const relative = path.relative(folder, file).split(path.sep).join('/');
  const kind = workspaceKindFor(relative);
  if (!kind) return;
  const entry: WorkspaceFile = { folder, absolute: file, relative, kind };
  if (kind.parses && !parsersLoaded && SCAN_WORKER_SCRIPT && catalogParts) {
    analyzeChangedSoon(normalized, entry);
    return;
  }
  if (!parsersReadyFor(kind)) {
    void loadParsers().then(() => rescanFile(uri, file, deleted));
    return;
  }
  noteScanned(normalized, analyzeFromDisk(entry, normalized).part);
}

/** Milliseconds during which files changed on disk are gathered into one batch for a worker process. */
const CHANGED_BATCH_MS = 300;
/** Files changed on disk waiting for {@link analyzeChangedSoon}'s batch, by URI. */
const changedOnDisk = new Map<string, WorkspaceFile>();
let changedTimer: NodeJS.Timeout | undefined;

/**
 * Analyses `file` (changed on disk) in a worker process with the other files changed within
 * {@link CHANGED_BATCH_MS}; a file opened meanwhile keeps the editor's text. Files the worker could
 * not analyse are analysed in the server (after loading the parsers).
 */
function analyzeChangedSoon(uri: string, file: WorkspaceFile): void {
  changedOnDisk.set(uri, file);
  changedTimer ??= setTimeout(() => {
    changedTimer = undefined;
    const uris = new Map([...changedOnDisk].map(([u, f]) => [f, u]));
    const batch = [...uris.keys()];
    changedOnDisk.clear();
    const note = (f: WorkspaceFile, part: ScannedPart | undefined) => {
      const u = uris.get(f)!;
      if (!documents.get(u)) noteScanned(u, part);
    };
    void analyzeInWorker(batch, (f) => uris.get(f)!, () => false, (f, outcome) => note(f, outcome.part)).then(async (left) => {
      log(`${batch.length - left.length} of ${batch.length} files changed on disk read in a worker process`);
      if (left.length === 0) return;
      await loadParsers();
      for (const f of left) note(f, analyzeFromDisk(f, uris.get(f)!).part);
    });
  }, CHANGED_BATCH_MS);
}

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
    if (file !== undefined && !policyKindOfPath(file)) {
      rescanFile(change.uri, file, change.type === FileChangeType.Deleted);
      continue;
    }
    if (file === undefined) continue;
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
documents.onDidChangeContent((e) => {
  // fired for an open too, after onDidOpen validated that version
  if (cache.get(e.document.uri)?.version === e.document.version) return;
  schedule(e.document, debounceFor(e.document));
});
documents.onDidClose((e) => {
  cache.delete(e.document.uri);
  waitingForParsers.delete(e.document.uri);
  cancelPending(e.document.uri);
  const file = fsPathOf(e.document.uri);
  // a closed policy file falls back to its content on disk, whose problems stay visible
  if (file !== undefined && policyKindOfPath(file)) rereadPolicy(file, undefined, false);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: policyDiagnostics.get(e.document.uri) ?? [] });
  // after a workspace scan, a closed file keeps the diagnostics of its content on disk
  if (file !== undefined && !policyKindOfPath(file)) rescanFile(URI.file(file).toString(), file, false);
  scheduleSummary();
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
  waitingForParsers.delete(uri);
  cancelPending(uri);
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


// ---------------------------------------------------------------------------------------------
// Workspace scan, summary and report

/** `files.exclude` globs of the last scan, for re-scans after settings, policy or catalog changes. */
let lastExclude: string[] = [];
/** Milliseconds of analysis between yields to the event loop, so that open documents stay responsive during a scan. */
const SCAN_SLICE_MS = 12;

/** The workspace folder holding a file (the innermost), if any. */
function folderOf(file: string): string | undefined {
  return workspaceFolders.filter((f) => isInside(f, file)).sort((a, b) => b.length - a.length)[0];
}

/** The kind a folder-relative path is read as by the workspace scan: structured kinds, and generic ones with `dlLifecycle.textFiles.enabled`. */
function workspaceKindFor(relative: string): FileKind | undefined {
  const kind = fileKindForPath(relative);
  return kind?.generic && !settings.scanTextFiles ? undefined : kind;
}

/** What reading and analysing one workspace file from disk gave: what the scan keeps of it (none: no references or findings, excluded, or its analysis failed), or the note of a skipped file. */
type DiskOutcome = { part?: ScannedPart; note?: string };

/** The analysis options of a workspace file under its policy; undefined when the policy excludes it. */
function diskOptions(file: WorkspaceFile): AnalysisOptions | undefined {
  const policy = policyOf(file.absolute);
  return isExcluded(policy, file.absolute) ? undefined : optionsFor(policy);
}

/** The workspace scan's size limit in bytes (`dlLifecycle.maxFileSize`). */
const maxFileBytes = () => Math.round(settings.maxFileSizeMb * 1024 * 1024);

/** A file skipped for its size or content: said once (log, one notice per session), and its note. */
function skippedOutcome(file: WorkspaceFile, skipped: string): DiskOutcome {
  noteSkipped(file.absolute, skipped.replace(/^skipped: /, ''));
  return { note: skipped };
}

/**
 * Reads and analyses one workspace file (whose URI is `uri`) from disk under its policy, in this
 * thread (the parsers must be loaded for a kind that parses); nothing when it is excluded or fails
 * (one log line).
 */
function analyzeFromDisk(file: WorkspaceFile, uri: string): DiskOutcome {
  if (!catalog) return {};
  try {
    const options = diskOptions(file);
    if (!options) return {};
    const read = readTextFile(file.absolute, maxFileBytes());
    if ('skipped' in read) return skippedOutcome(file, read.skipped);
    const analysis = analyzeText(read.text, file.absolute, file.kind, catalog, options);
    return { part: scannedPartOf({ file: file.relative, uri, analysis }) };
  } catch (e) {
    log(`analysis of ${file.absolute} failed: ${oneLine(e)}`);
    return {};
  }
}

/**
 * The script of the workspace scan's worker process: the CLI bundle beside the server's bundle
 * (`dist/cli.js`, which serves the scan pool of `cli/scanPool.ts` when started as its worker);
 * undefined when running from sources, when it is missing, or with `DL_LIFECYCLE_SCAN_WORKER=0`
 * (then the scan analyses files in the server itself).
 */
const SCAN_WORKER_SCRIPT = (() => {
  if (process.env.DL_LIFECYCLE_SCAN_WORKER === '0' || !__filename.endsWith('.js')) return undefined;
  const script = path.join(__dirname, 'cli.js');
  return existsSync(script) ? script : undefined;
})();

/**
 * Analyses `files` from disk in one worker process (a child process running
 * {@link SCAN_WORKER_SCRIPT} with Node's default options), which is ended afterwards, so that the
 * parsers, the allocations and the garbage of reading thousands of files leave the server with it
 * (a worker thread left about 26 MB more behind). The worker answers each file with what the scan
 * keeps of it ({@link ScannedPart}: packed report part, counts, findings), built there. Policies
 * and options are worked out here (the policy cache stays in the server); each answer is handed to
 * `each` as it comes. Stops handing out files when `isCancelled()`. `uriOf` gives each file's URI
 * (made once by the caller).
 * @returns the files not analysed because the worker could not start or died (logged): the caller
 *   analyses them itself; empty otherwise
 */
function analyzeInWorker(files: readonly WorkspaceFile[], uriOf: (file: WorkspaceFile) => string, isCancelled: () => boolean, each: (file: WorkspaceFile, outcome: DiskOutcome) => void): Promise<WorkspaceFile[]> {
  return new Promise((resolve) => {
    const answered = new Array<boolean>(files.length).fill(false);
    let next = 0;
    let left = files.length;
    let finished = false;
    const finish = (failure?: Error) => {
      if (finished) return;
      finished = true;
      if (failure) log(`the workspace scan's worker process failed (${oneLine(failure)}); the remaining files are analysed in the server`);
      void pool.close().catch(() => undefined);
      resolve(failure && !isCancelled() ? files.filter((_, i) => !answered[i]) : []);
    };
    const answer = (i: number, outcome: DiskOutcome) => {
      if (finished || answered[i]) return;
      answered[i] = true;
      left--;
      each(files[i], outcome);
    };
    const pump = () => {
      if (finished) return;
      while (!isCancelled() && next < files.length && pool.hasRoom) {
        const i = next++;
        const file = files[i];
        let options: AnalysisOptions | undefined;
        try {
          options = diskOptions(file);
        } catch (e) {
          log(`analysis of ${file.absolute} failed: ${oneLine(e)}`);
        }
        if (!options) {
          answer(i, {});
          continue;
        }
        pool.submit(file.absolute, file.kind, options, (r: WorkerReply) => {
          if ('error' in r) {
            log(`analysis of ${file.absolute} failed: ${r.error.message}`);
            answer(i, {});
          } else if ('skipped' in r) answer(i, skippedOutcome(file, r.skipped));
          else if ('part' in r) answer(i, { part: r.part });
          else answer(i, {});
          pump();
        }, { file: file.relative, uri: uriOf(file) });
      }
      if (left === 0 || (isCancelled() && pool.inFlight === 0)) finish();
    };
    // a child process: what it allocated leaves with it; its output must not reach stdout (the LSP stream) and goes to the log
    const pool = new ScanPool(1, SCAN_WORKER_SCRIPT!, { ...catalogParts!, maxBytes: maxFileBytes() }, finish, pump, { processes: true, output: (text) => log(`scan worker: ${text.trimEnd()}`) });
  });
}

/**
 * Stores what the report, the summary and the diagnostics need of the disk analysis of an unopened
 * workspace file (its {@link ScannedPart}: none when it has no references or findings) and publishes
 * its diagnostics (cleared when it has none).
 */
function noteScanned(uri: string, part: ScannedPart | undefined): void {
  const had = scannedFiles.has(uri);
  if (part) scannedFiles.set(uri, { report: part.report, counts: part.counts });
  else scannedFiles.delete(uri);
  // the findings at hand, not the packed copy read back
  if (part || had) publish(uri, part?.findings ?? []);
}

/**
 * Scans the workspace folders for files that are not open: lists them (`.gitignore`,
 * `files.exclude`, the policy's `exclude`), and analyses them from disk in a worker process that
 * ends with the scan ({@link analyzeInWorker}; the server's memory after a scan is then what it
 * keeps, and open documents are answered while it runs). Without the worker (from sources, with
 * `DL_LIFECYCLE_SCAN_WORKER=0`, or for the files left when it failed) files are analysed here in
 * slices of {@link SCAN_SLICE_MS}, yielding to the event loop between slices so that edits of open
 * documents are answered first. Shows `window/workDoneProgress` (cancellable) when the client
 * supports it; a new scan cancels a running one. A start-up scan above
 * `dlLifecycle.workspaceScan.maxFiles` files reads nothing and says so (`skipped: 'tooManyFiles'`).
 */
async function scanWorkspace(params: ScanWorkspaceParams, token?: CancellationToken): Promise<ScanWorkspaceResult> {
  lastExclude = Array.isArray(params.exclude) ? params.exclude.filter((g): g is string => typeof g === 'string') : [];
  if (!catalog) return { files: 0, found: 0, cancelled: false, skipped: 'noCatalog', notes: [] };
  if (runningScan) runningScan.cancelled = true;
  const run = { cancelled: false };
  runningScan = run;
  let progress: WorkDoneProgressServerReporter | undefined;
  try {
    if (progressSupported) {
      progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
      progress?.begin('DL Lifecycle: scanning workspace', 0, 'listing files', true);
    }
    const isCancelled = () => run.cancelled || token?.isCancellationRequested === true || progress?.token.isCancellationRequested === true;
    const listed = findWorkspaceFiles(workspaceFolders, {
      exclude: lastExclude,
      kindFor: workspaceKindFor,
      skip: (abs, isDir) => isExcluded(policies.nearest(isDir ? abs : path.dirname(abs), folderOf(abs)), abs, isDir),
    });
    const notes = listed.notes.map((n) => ({ path: n.path, message: n.message }));
    const found = listed.files.length;
    if (params.reason === 'startup' && found > settings.workspaceScanMaxFiles) {
      log(`start-up workspace scan skipped: ${found} files is over dlLifecycle.workspaceScan.maxFiles (${settings.workspaceScanMaxFiles})`);
      return { files: 0, found, cancelled: false, skipped: 'tooManyFiles', notes };
    }
    // each file's URI, made once
    const uris = new Map(listed.files.map((f) => [f, URI.file(f.absolute).toString()]));
    const uriOf = (f: WorkspaceFile) => uris.get(f)!;
    const listedUris = new Set<string>(uris.values());
    let done = 0;
    let reported = 0;
    const take = (file: WorkspaceFile, { part, note }: DiskOutcome) => {
      const uri = uriOf(file);
      // a file opened meanwhile is analysed from the editor's text
      if (!documents.get(uri)) {
        if (note) notes.push({ path: file.absolute, message: note });
        noteScanned(uri, part);
      }
      done++;
      const percent = Math.floor((done * 100) / found);
      if (percent > reported) {
        reported = percent;
        progress?.report(percent, `${done} of ${found} files`);
      }
    };
    // open documents are analysed from the editor's text
    let here = listed.files.filter((f) => !documents.get(uriOf(f)));
    done = found - here.length;
    let inWorker = 0;
    if (SCAN_WORKER_SCRIPT && catalogParts && here.length > 0) {
      here = await analyzeInWorker(here, uriOf, isCancelled, (file, outcome) => {
        inWorker++;
        take(file, outcome);
      });
    }
    if (here.some((f) => f.kind.parses)) await loadParsers();
    let sliceStart = Date.now();
    for (const file of here) {
      if (isCancelled()) break;
      take(file, analyzeFromDisk(file, uriOf(file)));
      if (Date.now() - sliceStart >= SCAN_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = Date.now();
      }
    }
    const cancelled = isCancelled();
    if (!cancelled) {
      // files gone since the last scan (deleted, now excluded or ignored) lose their diagnostics
      for (const uri of [...scannedFiles.keys()]) {
        if (listedUris.has(uri)) continue;
        scannedFiles.delete(uri);
        if (!documentOf(uri)) void connection.sendDiagnostics({ uri, diagnostics: policyDiagnostics.get(uri) ?? [] });
      }
      workspaceScanned = true;
    }
    log(`workspace scan ${cancelled ? 'cancelled' : 'done'}: ${done} of ${found} files${notes.length ? `, ${notes.length} skipped` : ''}; ${inWorker} read in a worker process`);
    for (const n of listed.notes) log(`${n.path}: ${n.message}`);
    sendSummary();
    releaseMemorySoon();
    return { files: done, found, cancelled, notes };
  } finally {
    progress?.done();
    if (runningScan === run) runningScan = undefined;
  }
}

/**
 * The full garbage collection of `--expose-gc` (one of SERVER_NODE_OPTIONS), undefined when the
 * process was started without it.
 */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

/**
 * Gives the memory of a finished workspace scan or report back: two full garbage collections soon
 * after the answer is sent, half a second apart (the scan read every file and dropped its text and
 * analysis, the report built a row object per reference; both otherwise stay in V8's grown heap;
 * the pages the first collection empties are released by the second, once they are swept). Does
 * nothing without `--expose-gc`.
 */
function releaseMemorySoon(): void {
  const gc = collectGarbage;
  if (!gc) return;
  setTimeout(() => {
    gc();
    setTimeout(() => gc(), 500);
  }, 0);
}

/** Runs the workspace scan again (settings, policy files or catalog changed) when one has run. */
function rescanWorkspace(): void {
  if (workspaceScanned) void scanWorkspace({ exclude: lastExclude, reason: 'command' }).catch((e: unknown) => log(`workspace scan failed: ${String(e)}`));
}

/** The analysed files of the workspace as report parts: open documents (editor text) and scanned unopened files. */
function reportInputs(): FileReport[] {
  const inputs: FileReport[] = [];
  const open = new Set<string>();
  for (const doc of allDocuments()) {
    const notebook = notebooks.findNotebookDocumentForCell(doc.uri);
    const fsPath = fsPathOf(notebook ? notebook.uri : doc.uri);
    if (fsPath !== undefined) open.add(URI.file(fsPath).toString());
    let analysis: Analysis | undefined;
    try {
      analysis = analyze(doc);
    } catch {
      analysis = undefined;
    }
    if (!analysis) continue;
    const folder = fsPath === undefined ? undefined : folderOf(fsPath);
    const file = fsPath === undefined ? doc.uri : (folder ? path.relative(folder, fsPath) : fsPath).split(path.sep).join('/');
    inputs.push(fileReportOf({ file, uri: doc.uri, analysis }));
  }
  for (const [uri, entry] of scannedFiles) {
    if (open.has(uri) || documentOf(uri)) continue;
    inputs.push(unpackFileReport(entry.report));
  }
  return inputs;
}

/** Whether the catalog in force is older than the refresh's stale limit, today. */
function catalogIsStale(): boolean {
  if (!catalog) return false;
  let cache;
  try {
    cache = catalogCacheFile ? readCache(catalogCacheFile) : undefined;
  } catch {
    cache = undefined;
  }
  return daysBetween(newestDataDay(catalog.generated, cache), resolveAsOf(undefined)) > STALE_AFTER_DAYS;
}

function workspaceReport(): WorkspaceReport | undefined {
  if (!catalog) return undefined;
  const asOf = resolveAsOf(settings.asOf);
  return mergeFileReports(reportInputs(), catalog, { asOf, warningWindowDays: settings.warningWindowDays, catalogStale: catalogIsStale(), scanned: workspaceScanned });
}

let summaryTimer: NodeJS.Timeout | undefined;
let lastSummary = '';
/** Sends the summary soon (publishes come in bursts). */
function scheduleSummary(): void {
  if (summaryTimer) return;
  summaryTimer = setTimeout(() => {
    summaryTimer = undefined;
    sendSummary();
  }, 200);
}

/** Sends the workspace's finding counts and catalog date when they changed. */
function sendSummary(): void {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  const counted = new Set<string>();
  for (const doc of allDocuments()) {
    const a = cache.get(doc.uri)?.analysis;
    counted.add(doc.uri);
    for (const f of a?.findings ?? []) counts[f.severity]++;
  }
  for (const [uri, entry] of scannedFiles) {
    if (counted.has(uri) || documentOf(uri)) continue;
    for (const severity of Object.keys(counts) as Severity[]) counts[severity] += entry.counts[severity];
  }
  const summary: WorkspaceSummary = { ...counts, scanned: workspaceScanned, catalogGenerated: catalog?.generated, catalogStale: catalogIsStale() };
  const text = JSON.stringify(summary);
  if (text === lastSummary) return;
  lastSummary = text;
  void connection.sendNotification(SUMMARY_NOTIFICATION, summary);
}

connection.onRequest(SCAN_WORKSPACE_REQUEST, (params: ScanWorkspaceParams, token) => scanWorkspace(params ?? { exclude: [], reason: 'command' }, token));
connection.onRequest(REPORT_REQUEST, () => {
  try {
    const report = workspaceReport() ?? null;
    // a large report (the open report view asks again when the summary changes) leaves its row objects in the grown heap
    if (report && report.rows.length >= 1000) releaseMemorySoon();
    return report;
  } catch (e) {
    log(`report failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return null;
  }
});
connection.languages.inlayHint.on((params) => (settings.inlayHints ? fromAnalysis(params.textDocument.uri, 'inlay hints', [], (a) => computeInlayHints(a, params.range)) : []));
connection.onCodeLens((params) => (settings.codeLens ? fromAnalysis(params.textDocument.uri, 'code lenses', [], (a) => computeCodeLenses(a)) : []));

/** Asks the client to fetch inlay hints and code lenses again (their settings or the analyses changed). */
function refreshEditorFeatures(): void {
  if (refreshSupport.inlayHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
  if (refreshSupport.codeLens) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
}

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
