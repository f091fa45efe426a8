/**
 * The dl-lifecycle language server: glue between LSP and the core pipeline (analysis.ts).
 * Transport: stdio (`--stdio`) or Node IPC (`--node-ipc`), chosen by the command line as
 * vscode-languageserver does. Diagnostics are pushed on open and (debounced) on change;
 * hovers and code actions are computed from the same analysis.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Analysis } from './analysis';
import { analyzeText } from './analysis';
import { resolveAsOf } from './asOf';
import type { Catalog } from './catalog/catalog';
import { loadBundledCatalog } from './catalog/load';
import { computeCodeActions, FIX_ALL_KIND } from './features/codeActions';
import { toDiagnostic } from './features/diagnostics';
import { computeDocumentLinks } from './features/documentLinks';
import { computeHover } from './features/hover';
import type { FileKind } from './scanners/fileKinds';
import { fileKindForLanguage, fileKindForPath } from './scanners/fileKinds';
import type { Settings } from './settings';
import { DEFAULT_SETTINGS, readSettings, SETTINGS_SECTION } from './settings';

const DEBOUNCE_MS = 150;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let catalog: Catalog | undefined;
let catalogError: string | undefined;
let settings: Settings = DEFAULT_SETTINGS;
let pullConfiguration = false;
const reportedProblems = new Set<string>();
const timers = new Map<string, NodeJS.Timeout>();
const cache = new Map<string, { version: number; analysis: Analysis | undefined }>();

function log(message: string): void {
  connection.console.log(`[dl-lifecycle] ${message}`);
}

function kindOf(doc: TextDocument): FileKind | undefined {
  const byLanguage = fileKindForLanguage(doc.languageId);
  if (byLanguage) return byLanguage;
  try {
    return fileKindForPath(URI.parse(doc.uri).path);
  } catch {
    return undefined;
  }
}

function asOf(): string {
  return resolveAsOf(settings.asOf);
}

/** Analyses a document once per version; an exception yields no analysis and one log line. */
function analyze(doc: TextDocument): Analysis | undefined {
  const cached = cache.get(doc.uri);
  if (cached && cached.version === doc.version) return cached.analysis;
  let analysis: Analysis | undefined;
  const kind = kindOf(doc);
  if (kind && catalog) {
    try {
      analysis = analyzeText(doc.getText(), URI.parse(doc.uri).path, kind, catalog, {
        asOf: asOf(),
        warningWindowDays: settings.warningWindowDays,
        severities: settings.severities,
      });
    } catch (e) {
      log(`analysis of ${doc.uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }
  cache.set(doc.uri, { version: doc.version, analysis });
  return analysis;
}

function validate(doc: TextDocument): void {
  const analysis = analyze(doc);
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: analysis ? analysis.findings.map(toDiagnostic) : [] });
}

function schedule(doc: TextDocument, delay: number): void {
  const pending = timers.get(doc.uri);
  if (pending) clearTimeout(pending);
  timers.set(
    doc.uri,
    setTimeout(() => {
      timers.delete(doc.uri);
      const current = documents.get(doc.uri);
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
  for (const doc of documents.all()) validate(doc);
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
  const init = params.initializationOptions as { settings?: unknown } | undefined;
  if (init?.settings) useSettings(init.settings);
  try {
    catalog = loadBundledCatalog();
  } catch (e) {
    catalogError = e instanceof Error ? e.message : String(e);
  }
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND] },
    },
    serverInfo: { name: 'dl-lifecycle', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (catalogError) {
    log(`the bundled catalog could not be loaded: ${catalogError}`);
    void connection.window.showErrorMessage(`DL Lifecycle: the bundled catalog could not be loaded: ${catalogError}`);
  } else if (catalog) {
    log(`catalog dated ${catalog.generated} loaded (${catalog.frameworks.map((f) => f.name).join(', ')})`);
  }
  if (pullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    void refreshSettings();
  }
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
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

/** Answers a request from the document's analysis; no document, no analysis or an exception gives `empty` (and one log line). */
function fromAnalysis<T>(uri: string, what: string, empty: T, answer: (analysis: Analysis, doc: TextDocument) => T): T {
  const doc = documents.get(uri);
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

documents.listen(connection);
connection.listen();
