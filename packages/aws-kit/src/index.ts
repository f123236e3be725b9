// AWS plumbing shared by the actions that call AWS: client configuration, error wording, the one retry policy and
// the call log.
export { resolveRegion, resolveEndpoint, awsClientConfig, type AwsClientConfig } from './client-config.js';
export { explainAwsError, isTransientAwsError, awsErrorName } from './aws-errors.js';
export { parseEcsNameOrArn, parseContainerName } from './ecs-names.js';
export {
  withRetries,
  backoffDelays,
  describeGiveUp,
  isRequestAborted,
  RequestAbortedError,
  DEFAULT_RETRY_POLICY,
  PERSISTENT_RETRY_POLICY,
  type RetryPolicy,
  type RetryContext,
  type GiveUp,
} from './retry.js';
export { ApiCallLog, type ApiCall } from './call-log.js';
