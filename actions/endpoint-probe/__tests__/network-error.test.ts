import { expect, test } from '@jest/globals';
import { classifyNetworkError } from '../src/network-error.js';

test.each([
  { code: 'ECONNREFUSED', timedOut: false, kind: 'connection-refused', transient: true },
  { code: 'ENOTFOUND', timedOut: false, kind: 'dns', transient: true },
  { code: 'EAI_AGAIN', timedOut: false, kind: 'dns', transient: true },
  { code: 'UND_ERR_CONNECT_TIMEOUT', timedOut: false, kind: 'timeout', transient: true },
  { code: 'UND_ERR_ABORTED', timedOut: true, kind: 'timeout', transient: true },
  { code: 'ECONNRESET', timedOut: false, kind: 'connection-reset', transient: true },
  { code: 'UND_ERR_SOCKET', timedOut: false, kind: 'connection-reset', transient: true },
  { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', timedOut: false, kind: 'tls', transient: false },
  { code: 'ERR_TLS_CERT_ALTNAME_INVALID', timedOut: false, kind: 'tls', transient: false },
  { code: 'UND_ERR_MAX_REDIRECTS', timedOut: false, kind: 'too-many-redirects', transient: false },
  { code: 'HPE_INVALID_CONSTANT', timedOut: false, kind: 'other', transient: false },
  { code: undefined, timedOut: false, kind: 'other', transient: false },
])('$code (timed out: $timedOut) is $kind', ({ code, timedOut, kind, transient }) => {
  const failure = classifyNetworkError(code, 'detail', timedOut);
  expect(failure.kind).toBe(kind);
  expect(failure.transient).toBe(transient);
});

test('a self-signed certificate names the insecure input', () => {
  expect(
    classifyNetworkError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', false).message,
  ).toMatch(
    /TLS certificate rejected \(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate\); set insecure: true/,
  );
});
