// One way to configure AWS SDK v3 clients for every action: region from the input or the standard variables,
// endpoint overrides (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) for moto and the ECS emulator, adaptive retries.
import { ConfigurationError, shorten, type Environment } from '@hokusai/action-kit';

export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
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

export function awsClientConfig(
  serviceId: string,
  options: { region: string; env: Environment; maxAttempts?: number },
): AwsClientConfig {
  const endpoint = resolveEndpoint(serviceId, options.env);
  return {
    region: options.region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 6,
    retryMode: 'adaptive',
  };
}
