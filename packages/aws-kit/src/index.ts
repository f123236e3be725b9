// AWS plumbing shared by the actions that call AWS: client configuration, error wording, the one retry policy and
// the call log.
export {
  resolveRegion,
  resolveEndpoint,
  awsClientConfig,
  DEFAULT_AWS_TIMEOUTS,
  type AwsClientConfig,
  type AwsTimeouts,
} from './client-config.js';
export {
  explainAwsError,
  describeAwsError,
  isTransientAwsError,
  isTimeoutError,
  isUnreadableAnswer,
  awsErrorName,
  awsCallOf,
  nameAwsCalls,
  AwsCallError,
  type AwsCall,
} from './aws-errors.js';
export { parseEcsNameOrArn, parseContainerName } from './ecs-names.js';
export { checkServiceInCluster, parseEcsArn, type EcsArn } from './service-in-cluster.js';
export {
  withRetries,
  retryAwsCalls,
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
export { consoleOrigin, partitionOfRegion } from './console.js';
