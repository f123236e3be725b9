// Names a failed request's error for people and decides whether it is worth retrying while the service starts.

export type NetworkErrorKind =
  'connection-refused' | 'connection-reset' | 'dns' | 'timeout' | 'tls' | 'too-many-redirects' | 'other';

export interface NetworkFailure {
  kind: NetworkErrorKind;
  /** Connection refused, DNS, timeout and resets happen while a service (re)starts; the rest will not heal. */
  transient: boolean;
  message: string;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Classifies an error by its Node/undici code; `timedOut` is set when our own per-request timer fired. */
export function classifyNetworkError(
  code: string | undefined,
  detail: string,
  timedOut: boolean,
): NetworkFailure {
  if (
    timedOut ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return { kind: 'timeout', transient: true, message: 'timed out (no complete answer within timeout)' };
  }
  if (code === 'ECONNREFUSED') {
    return {
      kind: 'connection-refused',
      transient: true,
      message: 'connection refused (nothing listening yet?)',
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return { kind: 'dns', transient: true, message: `DNS lookup failed (${code})` };
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'ECONNABORTED' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH'
  ) {
    return { kind: 'connection-reset', transient: true, message: `connection dropped (${code})` };
  }
  if (
    code !== undefined &&
    (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))
  ) {
    const hint =
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN'
        ? '; set insecure: true only for a self-signed test certificate'
        : '';
    return { kind: 'tls', transient: false, message: `TLS certificate rejected (${code}: ${detail})${hint}` };
  }
  if (code === 'UND_ERR_MAX_REDIRECTS') {
    return { kind: 'too-many-redirects', transient: false, message: detail };
  }
  return { kind: 'other', transient: false, message: code ? `${code}: ${detail}` : detail };
}
