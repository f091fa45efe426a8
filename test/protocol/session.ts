/**
 * A language-server session for protocol tests: starts the built server (dist/server.js) over
 * stdio, answers its requests like a client, and collects what it publishes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  CodeActionKind,
  ConfigurationRequest,
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const serverJs = path.resolve(__dirname, '..', '..', 'dist', 'server.js');

/** A running server: its process, the connection, every publishDiagnostics and log message so far, and a wait for the next diagnostics of a URI (and version). */
export interface Session { proc: ChildProcess; conn: ProtocolConnection; diagnostics: PublishDiagnosticsParams[]; messages: string[]; next(uri: string, version?: number): Promise<PublishDiagnosticsParams> }

/** Starts the server; `rootUri` is the workspace folder it is given; `initOptions` are added to the initialization options. */
export async function start(
  configurationCapability: boolean,
  settings: Record<string, unknown>,
  rootUri = 'file:///workspace',
  initOptions: Record<string, unknown> = {},
  /** More client capabilities (`window.workDoneProgress`), merged over the defaults. */
  moreCapabilities: { window?: Record<string, unknown>; workspace?: Record<string, unknown> } = {},
  /** More environment variables for the server process (the fault tests' `DL_LIFECYCLE_FAULT_INJECTION`). */
  env: Record<string, string> = {},
): Promise<Session> {
  const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics: PublishDiagnosticsParams[] = [];
  const waiters: Array<{ uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && (w.version === undefined || w.version === p.version)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  conn.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  const messages: string[] = [];
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    messages.push(p.message);
  });
  conn.onRequest('window/showMessageRequest', (p: { message: string }) => (messages.push(p.message), null));
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    capabilities: { ...(moreCapabilities.window ? { window: moreCapabilities.window } : {}), workspace: { configuration: configurationCapability, ...moreCapabilities.workspace }, textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: [CodeActionKind.QuickFix] } } } } },
    initializationOptions: { ...(configurationCapability ? {} : { settings }), ...initOptions },
  });
  assert.equal(init.capabilities.hoverProvider, true);
  await conn.sendNotification(InitializedNotification.type, {});
  const next = (uri: string, version?: number) =>
    new Promise<PublishDiagnosticsParams>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), 10_000);
      waiters.push({ uri, version, resolve: (p) => (clearTimeout(t), resolve(p)) });
    });
  return { proc, conn, diagnostics, messages, next };
}

/** Shuts the server down and waits for it to exit. */
export async function stop(s: Session): Promise<void> {
  await s.conn.sendRequest(ShutdownRequest.type);
  await s.conn.sendNotification(ExitNotification.type);
  await new Promise<void>((resolve) => (s.proc.exitCode !== null ? resolve() : s.proc.once('exit', () => resolve())));
  s.conn.dispose();
}
