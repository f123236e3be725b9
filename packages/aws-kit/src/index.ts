// AWS plumbing shared by the actions that call AWS.
export { resolveRegion, resolveEndpoint, awsClientConfig, type AwsClientConfig } from './client-config.js';
export { explainAwsError, isTransientAwsError, awsErrorName } from './aws-errors.js';
export { parseEcsNameOrArn, parseContainerName } from './ecs-names.js';
