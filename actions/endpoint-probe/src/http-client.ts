// Sends one probe request with undici and measures it. The only I/O adapter of the probe: redirects are followed
// here (so configured headers never travel to another origin) and TLS verification is relaxed only for this
// action's own Agent when `insecure` is set — never the process-wide default.
import { Agent, request } from 'undici';
import { classifyNetworkError, type NetworkFailure } from './network-error.js';

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  followRedirects: boolean;
  /** The step's cancellation: aborts the request in flight. */
  signal?: AbortSignal;
}

export type HttpResult =
  | { kind: 'response'; status: number; body: string; latencyMs: number; finalUrl: string; redirects: number }
  | { kind: 'error'; failure: NetworkFailure; latencyMs: number };

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResult>;
  close(): Promise<void>;
}

/** Bodies are read up to this size for checks; a health endpoint that returns more is cut, not buffered whole. */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpClientOptions {
  insecure: boolean;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Called when a redirect to another origin drops the configured headers. */
  onCrossOriginRedirect?: (from: string, to: string) => void;
}

async function readBody(
  body: AsyncIterable<Buffer> & { text(): Promise<string> },
  contentLength: string | string[] | undefined,
): Promise<string> {
  // A declared small body is read in one go (measurably faster under load); anything else chunk by chunk, capped.
  if (
    typeof contentLength === 'string' &&
    /^\d+$/.test(contentLength) &&
    Number(contentLength) <= MAX_BODY_BYTES
  ) {
    return body.text();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_BODY_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici wraps system errors (ECONNREFUSED, TLS) in `cause`; the innermost code names what happened.
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    const cause = (current as { cause?: unknown }).cause;
    if (typeof code === 'string' && !(cause && typeof cause === 'object' && 'code' in cause)) return code;
    current = cause;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorDetail(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agent = new Agent({
    connect: { rejectUnauthorized: !options.insecure },
    // Below Node's and most proxies' 5s server-side idle timeout, so a probe never reuses a socket the server is
    // closing at that moment (a spurious ECONNRESET); at the default 5s interval each probe opens a new connection.
    keepAliveTimeout: 4_000,
  });

  async function send(req: HttpRequest): Promise<HttpResult> {
    const started = options.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, req.timeoutMs);
    const cancel = () => controller.abort();
    if (req.signal?.aborted) controller.abort();
    req.signal?.addEventListener('abort', cancel, { once: true });
    const origin = new URL(req.url).origin;
    let url = req.url;
    let method = req.method;
    let body = req.body;
    let headers = { ...req.headers };
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await request(url, {
          method: method as 'GET',
          headers,
          body,
          dispatcher: agent,
          signal: controller.signal,
        });
        const location = response.headers.location;
        if (
          req.followRedirects &&
          REDIRECT_STATUSES.has(response.statusCode) &&
          typeof location === 'string'
        ) {
          await response.body.dump();
          if (redirects >= MAX_REDIRECTS) {
            return {
              kind: 'error',
              failure: classifyNetworkError(
                'UND_ERR_MAX_REDIRECTS',
                `more than ${MAX_REDIRECTS} redirects`,
                false,
              ),
              latencyMs: options.now() - started,
            };
          }
          const next = new URL(location, url);
          if (next.origin !== origin && Object.keys(headers).length > 0) {
            // Credentials were configured for the probed origin only.
            headers = {};
            options.onCrossOriginRedirect?.(url, next.href);
          }
          if (
            response.statusCode === 303 ||
            ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')
          ) {
            method = 'GET';
            body = undefined;
          }
          url = next.href;
          continue;
        }
        const text = await readBody(response.body, response.headers['content-length']);
        return {
          kind: 'response',
          status: response.statusCode,
          body: text,
          latencyMs: options.now() - started,
          finalUrl: url,
          redirects,
        };
      }
    } catch (error) {
      return {
        kind: 'error',
        failure: classifyNetworkError(errorCode(error), errorDetail(error), timedOut),
        latencyMs: options.now() - started,
      };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', cancel);
    }
  }

  return { send, close: () => agent.close() };
}
