// Turns the AWS errors a user can fix (no credentials, expired token, access denied) into one-line
// ConfigurationErrors; everything else passes through unchanged.
import { ConfigurationError } from '@hokusai/action-kit';

const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
]);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

export function awsErrorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error) return String((error as { name: unknown }).name);
  return '';
}

/** `action` says what we were doing, e.g. "describing service api in cluster prod". */
export function explainAwsError(error: unknown, action: string): unknown {
  const name = awsErrorName(error);
  const message = error instanceof Error ? error.message : String(error);
  if (CREDENTIALS.has(name) || /Could not load credentials/i.test(message)) {
    return new ConfigurationError(
      `no usable AWS credentials while ${action}: configure them first (aws-actions/configure-aws-credentials with role-to-assume) — ${message}`,
    );
  }
  if (EXPIRED.has(name)) {
    return new ConfigurationError(`the AWS credentials have expired while ${action}: ${message}`);
  }
  if (DENIED.has(name)) {
    return new ConfigurationError(`access denied while ${action}: ${message}`);
  }
  return error;
}

/** Errors worth retrying: throttling, 5xx and network faults. */
export function isTransientAwsError(error: unknown): boolean {
  const name = awsErrorName(error);
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(name)) return true;
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  if (meta?.httpStatusCode && meta.httpStatusCode >= 500) return true;
  const code = (error as { code?: string } | null)?.code ?? '';
  return (
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(
      code,
    ) || /socket hang up|ECONNRESET|TimeoutError/i.test(`${name} ${String((error as Error)?.message ?? '')}`)
  );
}
