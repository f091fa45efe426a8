/**
 * A small LSP client for the benchmarks (`bench/lspPeers.ts`, `bench/soak.ts`): starts a language
 * server over stdio, initializes it, answers its requests as an editor would, and records every
 * `textDocument/publishDiagnostics` with the time it arrived. Not a test helper: nothing here asserts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ConfigurationItem,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

/** The repository root (the bench bundles run from `out/bench/`). */
export const ROOT = path.resolve(__dirname, '..', '..');

/** One publishDiagnostics as received: its parameters and its arrival time (`performance.now()`, ms). */
export interface Published { params: PublishDiagnosticsParams; at: number }

/** A running server: its process, the connection, every publishDiagnostics so far, and waits for the next one. */
export interface LspServer {
  name: string;
  proc: ChildProcess;
  conn: ProtocolConnection;
  published: Published[];
  /** The tail of the server's stderr (for error messages). */
  stderr: string[];
  /**
   * Resolves with the next publishDiagnostics for `uri` that arrives after the call (and carries
   * `version`, when given); rejects after `timeoutMs` (default 10 s).
   */
  next(uri: string, version?: number, timeoutMs?: number): Promise<Published>;
  /** Number of `workspace/configuration` requests the server sent so far. */
  configurationRequests(): number;
}

/** How to start a server: node arguments (the entry file and `--stdio`), workspace, options, settings by section. */
export interface StartOptions {
  name: string;
  /** Arguments to `node`: the server's JS entry and `--stdio`. */
  args: string[];
  rootUri: string;
  initializationOptions?: unknown;
  /** The answer to each `workspace/configuration` item (by section); default null. */
  settings?: (item: ConfigurationItem) => unknown;
  /** Client capabilities sent in `initialize` (default: none beyond the basics). */
  capabilities?: Record<string, unknown>;
  /** Environment variables added to this process's for the server. */
  env?: Readonly<Record<string, string>>;
}

/** Starts a server and completes `initialize`/`initialized`. */
export async function startServer(o: StartOptions): Promise<LspServer> {
  const proc = spawn(process.execPath, o.args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT, env: { ...process.env, ...o.env } });
  const stderr: string[] = [];
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr.push(d);
    if (stderr.length > 20) stderr.shift();
  });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const published: Published[] = [];
  const waiters: Array<{ uri: string; version?: number; resolve: (p: Published) => void }> = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const got = { params, at: performance.now() };
    published.push(got);
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i];
      if (w.uri === params.uri && (w.version === undefined || w.version === params.version)) {
        waiters.splice(i--, 1);
        w.resolve(got);
      }
    }
  });
  let configurationRequests = 0;
  conn.onRequest(ConfigurationRequest.type, (params) => {
    configurationRequests++;
    return params.items.map((item) => (o.settings ? o.settings(item) : null));
  });
  // the other requests servers send an editor get an empty answer (an unknown one gets "method not found")
  for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'window/showMessageRequest', 'workspace/inlayHint/refresh', 'workspace/codeLens/refresh', 'workspace/semanticTokens/refresh', 'workspace/diagnostic/refresh']) {
    conn.onRequest(method, () => null);
  }
  conn.listen();
  const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`${o.name} exited with code ${code}: ${stderr.join('')}`))));
  exited.catch(() => undefined);
  await Promise.race([
    conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: o.rootUri,
      workspaceFolders: [{ uri: o.rootUri, name: 'bench' }],
      capabilities: o.capabilities ?? {},
      initializationOptions: o.initializationOptions,
    }),
    exited,
  ]);
  await conn.sendNotification(InitializedNotification.type, {});
  const next = (uri: string, version?: number, timeoutMs = 10_000) =>
    new Promise<Published>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${o.name}: no diagnostics for ${uri}${version === undefined ? '' : ` v${version}`} within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ uri, version, resolve: (p) => (clearTimeout(t), resolve(p)) });
    });
  return { name: o.name, proc, conn, published, stderr, next, configurationRequests: () => configurationRequests };
}

/** Shuts a server down (shutdown, exit) and waits for its process to end (killed after 5 s). */
export async function stopServer(s: LspServer): Promise<void> {
  const ended = new Promise<void>((resolve) => (s.proc.exitCode !== null ? resolve() : s.proc.once('exit', () => resolve())));
  const kill = setTimeout(() => s.proc.kill(), 5000);
  try {
    await Promise.race([s.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 5000))]);
    await s.conn.sendNotification(ExitNotification.type);
  } catch {
    s.proc.kill();
  }
  await ended;
  clearTimeout(kill);
  s.conn.dispose();
}

/** Sends `textDocument/didOpen`. */
export function open(s: LspServer, uri: string, languageId: string, version: number, text: string): Promise<void> {
  return s.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
}

/** Sends `textDocument/didChange` with the given (incremental or full) changes. */
export function change(s: LspServer, uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
  return s.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
}

/** Sends `textDocument/didClose`. */
export function close(s: LspServer, uri: string): Promise<void> {
  return s.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
}

/** Resident set size of a process in KiB, from `/proc/<pid>/status` (`VmRSS`; Linux only). */
export function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}

/** Median and 95th percentile (nearest rank) of samples, in their unit. */
export function stats(samples: number[]): { median: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const rank = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, p95: rank(0.95), n: s.length };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
