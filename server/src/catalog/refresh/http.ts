/**
 * Fetches one public document for a catalog refresh, with the limits of the catalog spec
 * (`catalog.md` §Refresh): a time limit for the whole exchange, a cap on the body size, an
 * optional HTTP(S) proxy, and one clear error per failure. Sends no cookies, no credentials and
 * nothing about the workspace: only a GET of the configured URL with a `User-Agent`.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import * as tls from 'node:tls';

/** Why a fetch failed. */
export type FetchFailure = 'timeout' | 'too-large' | 'http-status' | 'network' | 'proxy' | 'bad-url';

/** A failed fetch; `message` is one line that names the URL (without credentials) and the cause. */
export class FetchError extends Error {
  constructor(
    readonly failure: FetchFailure,
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface FetchOptions {
  /** Whole-exchange limit in milliseconds (connect, headers and body); the spec's 10 s by default. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes (decoded size); 10 MiB by default. */
  maxBytes?: number;
  /** `http://[user:pass@]host:port` of a proxy, or undefined for a direct connection. */
  proxy?: string;
  /** Verify TLS certificates (default true; the editor's `http.proxyStrictSSL` can turn it off). */
  strictSSL?: boolean;
  /** Aborts the fetch (e.g. the user cancelled the refresh). */
  signal?: AbortSignal;
  userAgent?: string;
}

/** The spec's defaults: 10 s per request, 10 MiB per body. */
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** A function that fetches a URL's body as text; injectable so the editor can use its own networking. */
export type Fetcher = (url: string, options?: FetchOptions) => Promise<string>;

/** `url` without user info, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * The proxy for `url` from the environment (`HTTPS_PROXY`/`https_proxy` for https URLs,
 * `HTTP_PROXY`/`http_proxy` for http), unless `NO_PROXY`/`no_proxy` lists the host (exact name,
 * `.suffix` / `suffix` domain match, or `*`). Loopback hosts never go through a proxy.
 */
export function proxyFromEnv(url: string, env: NodeJS.ProcessEnv): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const host = u.hostname.toLowerCase();
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const entry of noProxy) {
    if (entry === '*') return undefined;
    const bare = entry.replace(/^\*?\./, '').replace(/:\d+$/, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  const value = u.protocol === 'https:' ? env.HTTPS_PROXY ?? env.https_proxy : env.HTTP_PROXY ?? env.http_proxy;
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * GETs `url` and returns its body as UTF-8 text.
 * Follows up to 5 redirects. @throws FetchError (never anything else)
 */
export async function fetchText(url: string, options: FetchOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const shown = redactUrl(url);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new FetchError('timeout', shown, `${shown}: no complete answer within ${timeoutMs / 1000} s`)), timeoutMs);
  const onOuterAbort = () => controller.abort(new FetchError('network', shown, `${shown}: cancelled`));
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    let current = url;
    for (let hop = 0; hop <= 5; hop++) {
      const answer = await getOnce(current, options, controller.signal);
      if (answer.redirect === undefined) return answer.body;
      current = new URL(answer.redirect, current).toString();
    }
    throw new FetchError('http-status', shown, `${shown}: too many redirects`);
  } catch (e) {
    if (e instanceof FetchError) throw e;
    const reason = controller.signal.reason;
    if (reason instanceof FetchError) throw reason;
    throw new FetchError('network', shown, `${shown}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

interface Answer {
  body: string;
  redirect?: string;
}

function getOnce(url: string, options: FetchOptions, signal: AbortSignal): Promise<Answer> {
  const shown = redactUrl(url);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new FetchError('bad-url', url, `${url}: not a valid URL`));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.reject(new FetchError('bad-url', shown, `${shown}: only http and https URLs can be fetched`));
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const headers = { 'user-agent': options.userAgent ?? 'dl-lifecycle catalog refresh', accept: 'application/json, text/plain, */*' };
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const fail = (e: FetchError) => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    const onAbort = () => {
      const r = signal.reason;
      fail(r instanceof FetchError ? r : new FetchError('network', shown, `${shown}: aborted`));
      req?.destroy();
    };
    let req: http.ClientRequest | undefined;
    const start = (socket?: Socket) => {
      const requestOptions: https.RequestOptions = { method: 'GET', headers, rejectUnauthorized: options.strictSSL !== false };
      if (socket) {
        requestOptions.createConnection = () => tls.connect({ socket, servername: target.hostname, rejectUnauthorized: options.strictSSL !== false });
      }
      const plainViaProxy = options.proxy !== undefined && target.protocol === 'http:';
      if (plainViaProxy) {
        const p = new URL(options.proxy!);
        req = http.request({ host: p.hostname, port: p.port || 80, path: target.toString(), method: 'GET', headers: { ...headers, host: target.host, ...proxyAuth(p) } });
      } else {
        req = (target.protocol === 'https:' ? https : http).request(target, requestOptions);
      }
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          settled = true;
          resolve({ body: '', redirect: res.headers.location });
          return;
        }
        if (status !== 200) {
          res.resume();
          fail(new FetchError('http-status', shown, `${shown}: HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`));
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          fail(new FetchError('too-large', shown, `${shown}: the answer is ${declared} bytes, more than the ${maxBytes}-byte limit`));
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            fail(new FetchError('too-large', shown, `${shown}: the answer is more than the ${maxBytes}-byte limit`));
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          if (res.complete === false) {
            fail(new FetchError('network', shown, `${shown}: the connection closed before the answer was complete`));
            return;
          }
          settled = true;
          resolve({ body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('aborted', () => fail(new FetchError('network', shown, `${shown}: the connection closed before the answer was complete`)));
        res.on('error', (e) => fail(new FetchError('network', shown, `${shown}: ${e.message}`)));
      });
      req.on('error', (e) => fail(new FetchError('network', shown, `${shown}: ${e.message}`)));
      req.end();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (options.proxy !== undefined && target.protocol === 'https:') {
      tunnel(options.proxy, target, signal).then(start, (e: unknown) =>
        fail(e instanceof FetchError ? e : new FetchError('proxy', shown, `${shown}: proxy: ${String(e)}`)),
      );
    } else {
      start();
    }
  });
}

function proxyAuth(p: URL): Record<string, string> {
  if (!p.username) return {};
  const cred = `${decodeURIComponent(p.username)}:${decodeURIComponent(p.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(cred).toString('base64')}` };
}

/** Opens a CONNECT tunnel through an HTTP proxy to `target`'s host and port. */
function tunnel(proxy: string, target: URL, signal: AbortSignal): Promise<Socket> {
  const shownProxy = redactUrl(proxy);
  let p: URL;
  try {
    p = new URL(proxy);
  } catch {
    return Promise.reject(new FetchError('proxy', redactUrl(target.toString()), `proxy ${shownProxy} is not a valid URL`));
  }
  const port = target.port || '443';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: p.hostname, port: p.port || 80, method: 'CONNECT', path: `${target.hostname}:${port}`, headers: { host: `${target.hostname}:${port}`, ...proxyAuth(p) } });
    const onAbort = () => req.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('connect', (res, socket) => {
      signal.removeEventListener('abort', onAbort);
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new FetchError('proxy', redactUrl(target.toString()), `proxy ${shownProxy} refused the tunnel: HTTP ${res.statusCode}`));
      }
    });
    req.on('error', (e) => reject(new FetchError('proxy', redactUrl(target.toString()), `proxy ${shownProxy}: ${e.message}`)));
    req.end();
  });
}
