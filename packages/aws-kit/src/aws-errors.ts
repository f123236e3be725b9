// AWS errors in words a person can act on, one line each: the ones a user can fix (no credentials, expired token,
// access denied) become ConfigurationErrors; faults that outlasted the retries (throttling, 5xx, timeouts, a page
// that is not an AWS answer) say which call failed and what AWS said; everything else passes through unchanged.
import { ConfigurationError } from '@hokusai/action-kit';
import { describeGiveUp } from './retry.js';

const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
]);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i;
const NETWORK_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
];

export function awsErrorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error) return String((error as { name: unknown }).name);
  return '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * No answer in time: the SDK's connection or request timeout (NodeHttpHandler's TimeoutError, see
 * awsClientConfig), a socket that timed out (ETIMEDOUT), or an AWS RequestTimeout.
 */
export function isTimeoutError(error: unknown): boolean {
  const name = awsErrorName(error);
  const code = (error as { code?: string } | null)?.code ?? '';
  return name === 'TimeoutError' || code === 'ETIMEDOUT' || /^RequestTimeout/.test(name);
}

/**
 * The SDK could not read the answer as an AWS response (an HTML error page from a proxy or load balancer, a
 * truncated or garbled body): its message is the JSON/XML parser's plus a hint about `$response`.
 */
export function isUnreadableAnswer(error: unknown): boolean {
  return /Deserialization error/i.test(messageOf(error));
}

/** Errors worth retrying: throttling, 5xx, timeouts and network faults. */
export function isTransientAwsError(error: unknown): boolean {
  const name = awsErrorName(error);
  if (THROTTLING.test(name)) return true;
  const status = statusOf(error);
  if (status && status >= 500) return true;
  if (isTimeoutError(error)) return true;
  const code = (error as { code?: string } | null)?.code ?? '';
  return (
    NETWORK_CODES.includes(code) ||
    /socket hang up|ECONNRESET|TimeoutError/i.test(`${name} ${String((error as Error)?.message ?? '')}`)
  );
}

/** The AWS call an error came from, as recorded by nameAwsCalls(): `{ service: 'ECS', operation: 'DescribeServices' }`. */
export interface AwsCall {
  service: string;
  operation: string;
}

const callsOf = new WeakMap<object, AwsCall>();

/** The call that threw `error` (or its `cause`), when the client was named with nameAwsCalls(). */
export function awsCallOf(error: unknown): AwsCall | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const cause = (error as { cause?: unknown }).cause;
  return callsOf.get(error) ?? (typeof cause === 'object' && cause !== null ? callsOf.get(cause) : undefined);
}

interface MiddlewareStackLike {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { clientName?: string; commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
}

/**
 * Makes every error `client` throws remember its call (the service from the client's name, the operation from the
 * command's), so explainAwsError can name it: `ECS DescribeServices`. Works for any SDK v3 client; returns it.
 */
export function nameAwsCalls<T extends { middlewareStack: unknown }>(client: T): T {
  (client.middlewareStack as MiddlewareStackLike).add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (typeof error === 'object' && error !== null && !callsOf.has(error)) {
          callsOf.set(error, {
            service: String(context.clientName ?? '').replace(/Client$/, '') || 'AWS',
            operation: String(context.commandName ?? '').replace(/Command$/, '') || 'request',
          });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'hokusaiNameAwsCalls' },
  );
  return client;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

function seconds(ms: string): string {
  const n = Number(ms);
  return n >= 1000 ? `${n / 1000}s` : `${n}ms`;
}

/**
 * What AWS (or whatever answered in its place) said, in one line without SDK internals:
 * `throttled (ThrottlingException: Rate exceeded)`, `no answer within the 20s request timeout`,
 * `HTTP 502 with a body that is not an AWS response (text/html)`, `HTTP 503 ServiceUnavailable: …`,
 * `ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:4566)`, else `Name: message`.
 */
export function describeAwsError(error: unknown): string {
  const name = awsErrorName(error);
  const message = firstLine(messageOf(error));
  const status = statusOf(error);
  const http = status ? `HTTP ${status} ` : '';
  if (name === 'TimeoutError') {
    const request = /(\d+) ms requestTimeout/.exec(message);
    if (request) return `no answer within the ${seconds(request[1]!)} request timeout`;
    const connect = /timeout of (\d+) ms/.exec(message);
    if (connect) return `no connection within the ${seconds(connect[1]!)} connection timeout`;
    const idle = /after (\d+) ms of inactivity/.exec(message);
    if (idle) return `no answer: the connection was idle for ${seconds(idle[1]!)}`;
    return `timed out (${message})`;
  }
  if (isUnreadableAnswer(error)) {
    const headers = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers ?? {};
    const type = headers['content-type'] ?? headers['Content-Type'];
    return `${http}with a body that is not an AWS response${type ? ` (${type})` : ''}: a proxy, load balancer or endpoint in the way?`;
  }
  if (THROTTLING.test(name)) return `throttled (${name}: ${message})`;
  const code = (error as { code?: string } | null)?.code ?? '';
  if (NETWORK_CODES.includes(code)) return `${code} (${message})`;
  const label = name && name !== 'Error' ? `${name}: ` : '';
  return `${http}${label}${message}`;
}

/** A call that failed for good after its retries, or with an answer that was not AWS's: one line, cause kept. */
export class AwsCallError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'AwsCallError';
  }
}

/**
 * `action` says what we were doing, e.g. "describing service api in cluster prod". Errors a user can fix become a
 * one-line ConfigurationError; a transient fault that outlasted its retries (throttling, 5xx, timeouts, network) and
 * an answer that was not an AWS response become a one-line AwsCallError naming the call, the attempts and what AWS
 * said: `describing service api: ECS DescribeServices failed after 8 attempts: throttled (ThrottlingException:
 * Rate exceeded)`. Everything else is returned unchanged (callers classify it by name).
 */
export function explainAwsError(error: unknown, action: string): unknown {
  const name = awsErrorName(error);
  const message = messageOf(error);
  if (CREDENTIALS.has(name) || /Could not load credentials/i.test(message)) {
    return new ConfigurationError(
      `no usable AWS credentials while ${action}: configure them first (aws-actions/configure-aws-credentials with role-to-assume) — ${firstLine(message)}`,
    );
  }
  if (EXPIRED.has(name)) {
    return new ConfigurationError(`the AWS credentials have expired while ${action}: ${firstLine(message)}`);
  }
  if (DENIED.has(name)) {
    return new ConfigurationError(`access denied while ${action}: ${firstLine(message)}`);
  }
  if (isTransientAwsError(error) || isUnreadableAnswer(error)) {
    const call = awsCallOf(error);
    const how = describeGiveUp(error);
    const after = !how
      ? ''
      : how.stoppedBy === 'timeouts'
        ? ` after ${how.attempts} attempts (${how.attempts > 1 ? 'it timed out again and again' : 'it timed out'})`
        : how.stoppedBy === 'deadline'
          ? ` after ${how.attempts} attempt${how.attempts > 1 ? 's' : ''} (no time left to retry)`
          : how.stoppedBy === 'cancelled'
            ? ` after ${how.attempts} attempt${how.attempts > 1 ? 's' : ''} (cancelled)`
            : ` after ${how.attempts} attempt${how.attempts > 1 ? 's' : ''}`;
    return new AwsCallError(
      `${action}: ${call ? `${call.service} ${call.operation}` : 'the AWS call'} failed${after}: ${describeAwsError(error)}`,
      error,
    );
  }
  return error;
}
