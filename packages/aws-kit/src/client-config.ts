// One way to configure AWS SDK v3 clients for every action: region from the input or the standard variables,
// endpoint overrides (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) for moto and the ECS emulator, connection and
// request timeouts, and the SDK's own retries off (the suite retries with withRetries, one policy for all).
import { ConfigurationError, shorten, type Environment } from '@hokusai/action-kit';

/** How long an AWS request may take (ms). */
export interface AwsTimeouts {
  /** Until the TCP connection is made. */
  connectionTimeoutMs: number;
  /** Until the answer, from the request's start (a server that accepts and never answers hits this). */
  requestTimeoutMs: number;
}

/**
 * The SDK sets no timeout at all: an endpoint that accepts the connection and never answers holds a step until the
 * runner kills it, silently. AWS's control-plane APIs answer in well under a second; 20 s allows a congested
 * runner, a cold proxy and moto on a busy machine. A timeout is a transient error (isTransientAwsError) that
 * withRetries retries, DEFAULT_RETRY_POLICY at most 3 times in all.
 */
export const DEFAULT_AWS_TIMEOUTS: Readonly<AwsTimeouts> = Object.freeze({
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 20_000,
});

export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  /**
   * Options for the SDK's NodeHttpHandler (@smithy/node-http-handler): `throwOnRequestTimeout` makes the request
   * timeout an error (TimeoutError, code ETIMEDOUT) instead of a logged warning.
   */
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

/** The region: the `aws-region` input if given, else AWS_REGION, else AWS_DEFAULT_REGION. */
export function resolveRegion(regionInput: string, env: Environment): string {
  const source = regionInput.trim()
    ? 'input "aws-region"'
    : env.AWS_REGION?.trim()
      ? 'AWS_REGION'
      : 'AWS_DEFAULT_REGION';
  const region = regionInput.trim() || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || '';
  if (region === '') {
    throw new ConfigurationError(
      'no AWS region: set the "aws-region" input, or AWS_REGION (aws-actions/configure-aws-credentials sets it)',
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new ConfigurationError(`invalid AWS region ${shorten(region)} from ${source} (e.g. eu-west-1)`);
  }
  return region;
}

/**
 * The endpoint for a service: AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_ECS) before AWS_ENDPOINT_URL.
 * `serviceId` is the SDK's service id upper-cased with spaces as underscores (ECS, ECR, CLOUDWATCH_LOGS,
 * ELASTIC_LOAD_BALANCING_V2).
 */
export function resolveEndpoint(serviceId: string, env: Environment): string | undefined {
  const value = env[`AWS_ENDPOINT_URL_${serviceId}`]?.trim() || env.AWS_ENDPOINT_URL?.trim() || '';
  if (value === '') return undefined;
  try {
    new URL(value);
  } catch {
    throw new ConfigurationError(
      `invalid endpoint URL ${shorten(value)} in AWS_ENDPOINT_URL_${serviceId} / AWS_ENDPOINT_URL`,
    );
  }
  return value;
}

/**
 * The configuration of one SDK v3 client: region, the endpoint override for `serviceId` (see resolveEndpoint),
 * the timeouts (DEFAULT_AWS_TIMEOUTS unless `timeouts` says otherwise: tests pass short ones in-process), and
 * `maxAttempts` 1 by default — each send() is one request, retried by the caller with withRetries.
 */
export function awsClientConfig(
  serviceId: string,
  options: { region: string; env: Environment; maxAttempts?: number; timeouts?: Partial<AwsTimeouts> },
): AwsClientConfig {
  const endpoint = resolveEndpoint(serviceId, options.env);
  const timeouts = { ...DEFAULT_AWS_TIMEOUTS, ...options.timeouts };
  return {
    region: options.region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 1,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}
