// Registry HTTP API v2 client (ECR speaks it too): reads a tag's manifest and digest with basic auth, so the digest
// we report is the registry's own answer, not docker's.
import { createHash } from 'node:crypto';
import { ConfigurationError, errorMessage, redactSecrets } from '@hokusai/action-kit';
import { withRetries } from '@hokusai/aws-kit';
import { MANIFEST_MEDIA_TYPES, parseManifest, type RemoteManifest } from './manifest.js';
import { registryBaseUrl } from './image-reference.js';

export interface RegistryApi {
  /** The manifest under a tag or digest, or undefined when the registry does not have it. */
  getManifest(repository: string, reference: string): Promise<RemoteManifest | undefined>;
  /** A blob's bytes (e.g. an image config), checked against its digest; undefined when the registry lacks it. */
  getBlob(repository: string, digest: string): Promise<Buffer | undefined>;
}

export interface HttpRegistryOptions {
  host: string;
  /** The base64 "user:password" ECR returns, sent as basic auth. */
  basicToken: string;
  /** Attempts for network faults and 5xx answers. */
  attempts?: number;
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** When the token stops being valid, for the message of a 401. */
  tokenExpiresAt?: Date;
  /** The step's cancellation: aborts a request in flight and the retries. */
  signal?: AbortSignal;
}

export class HttpRegistryApi implements RegistryApi {
  private readonly baseUrl: string;
  constructor(private readonly options: HttpRegistryOptions) {
    this.baseUrl = registryBaseUrl(options.host);
  }

  async getManifest(repository: string, reference: string): Promise<RemoteManifest | undefined> {
    const url = `${this.baseUrl}/v2/${repository}/manifests/${encodeURIComponent(reference)}`;
    const response = await this.fetchWithRetry(url, `${repository}:${reference}`);
    if (response.status === 404) return undefined;
    const what = `reading ${repository}:${reference} from registry ${this.options.host}`;
    if (response.status === 401) {
      const expiry = this.options.tokenExpiresAt;
      const expired =
        expiry && expiry.getTime() < Date.now() ? ` (the ECR token expired at ${expiry.toISOString()})` : '';
      throw new ConfigurationError(
        `registry ${this.options.host} rejected the ECR authorization token (401) while ${what}${expired}: is "registry" the registry of this account and region?`,
      );
    }
    if (response.status === 403) {
      throw new ConfigurationError(
        `access denied (403) while ${what}: the role needs ecr:BatchGetImage on the repository`,
      );
    }
    if (!response.ok) {
      // Redacted before it is cut: a cut token would no longer match the runner's mask.
      const text = this.redact(await response.text())
        .slice(0, 300)
        .replace(/\s+/g, ' ');
      throw new ConfigurationError(
        `registry ${this.options.host} answered ${response.status} while ${what}: ${text}`,
      );
    }
    const body = Buffer.from(await response.arrayBuffer());
    const computed = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const header = response.headers.get('docker-content-digest');
    // The digest is the hash of the exact bytes; a header that disagrees means a proxy rewrote the manifest.
    if (header && header !== computed) {
      throw new ConfigurationError(
        `registry ${this.options.host} sent ${repository}:${reference} with Docker-Content-Digest ${header} but the manifest hashes to ${computed}`,
      );
    }
    return parseManifest(computed, response.headers.get('content-type') ?? '', body.toString('utf8'));
  }

  async getBlob(repository: string, digest: string): Promise<Buffer | undefined> {
    const what = `blob ${digest} of ${repository}`;
    let response = await this.fetchWithRetry(
      `${this.baseUrl}/v2/${repository}/blobs/${digest}`,
      what,
      'manual',
    );
    // ECR answers with a redirect to a pre-signed S3 URL: it carries its own credentials, so ours stay here.
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, `${this.baseUrl}/`);
      const sameOrigin = target.origin === new URL(this.baseUrl).origin;
      response = await this.fetchWithRetry(target.href, what, 'follow', sameOrigin);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw new ConfigurationError(
        `registry ${this.options.host} answered ${response.status} while reading ${what} (the role needs ecr:GetDownloadUrlForLayer)`,
      );
    }
    const body = Buffer.from(await response.arrayBuffer());
    const computed = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (computed !== digest) {
      throw new ConfigurationError(
        `registry ${this.options.host} sent ${what} with content that hashes to ${computed}`,
      );
    }
    return body;
  }

  /** The token and the password inside it, as `***` (for registry error bodies, which the log quotes). */
  private redact(text: string): string {
    const password = Buffer.from(this.options.basicToken, 'base64')
      .toString('utf8')
      .split(':')
      .slice(1)
      .join(':');
    return redactSecrets(
      text,
      [this.options.basicToken, password].filter((s) => s.length >= 4),
    );
  }

  private async fetchWithRetry(
    url: string,
    what: string,
    redirect: 'follow' | 'manual' = 'follow',
    withAuthorization = true,
  ): Promise<Response> {
    const attempts = this.options.attempts ?? 3;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    try {
      // The suite's one retry policy (aws-kit): network faults and 5xx answers, backoff with full jitter.
      return await withRetries(
        async (attempt) => {
          const response = await fetch(url, {
            headers: {
              ...(withAuthorization ? { authorization: `Basic ${this.options.basicToken}` } : {}),
              accept: MANIFEST_MEDIA_TYPES.join(', '),
            },
            redirect,
            signal: this.options.signal
              ? AbortSignal.any([AbortSignal.timeout(30_000), this.options.signal])
              : AbortSignal.timeout(30_000),
          });
          // The last 5xx is answered as it is: the caller says what the registry said.
          if (response.status >= 500 && attempt < attempts) {
            await response.body?.cancel();
            throw new RegistryServerError(response.status);
          }
          return response;
        },
        { attempts, baseDelayMs: this.options.retryDelayMs ?? 1000, maxDelayMs: 8000 },
        {
          clock: { now: () => Date.now(), sleep: (ms) => sleep(ms) },
          ...(this.options.signal ? { signal: this.options.signal } : {}),
          isRetryable: (error) =>
            error instanceof RegistryServerError || !(error instanceof ConfigurationError),
        },
      );
    } catch (error) {
      // fetch() wraps the socket error (ECONNREFUSED, ...) in a generic "fetch failed": report the cause.
      const cause = (error as { cause?: { message?: unknown } })?.cause;
      const detail = typeof cause?.message === 'string' ? cause.message : errorMessage(error);
      throw new ConfigurationError(
        `cannot reach registry ${this.options.host} to read ${what} (${attempts} attempts): ${detail}`,
      );
    }
  }
}

/** A 5xx answer, retried like a network fault. */
class RegistryServerError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'RegistryServerError';
  }
}
