// ECS rollout model shared by ecs-deploy-and-wait and auto-rollback: adapters, observations, the verdict, the
// watcher, rollback and the revision bookkeeping.
export * from './model.js';
export type {
  EcsApi,
  LogsApi,
  ElbApi,
  AwsApis,
  RegisteredTaskDefinition,
  DeploymentHistoryEntry,
  TaskDefinition,
  Tag,
} from './api.js';
export {
  createAwsApis,
  registrableTaskDefinition,
  READ_ONLY_TASK_DEFINITION_FIELDS,
  serviceInfoFromSdk,
  taskInfoFromSdk,
  type AwsApiOptions,
} from './aws-adapters.js';
export { withRetries, backoffDelay, DEFAULT_RETRY_POLICY, realSleep, type RetryPolicy } from './retry.js';
export { systemClock, scaledClock, ApiCallLog, type Clock } from './clock.js';
export {
  classifyStoppedTask,
  describeStoppedTask,
  type StoppedTaskClassification,
  type StopKind,
} from './stopped-task.js';
export { lastExceptionLine } from './log-tail.js';
export {
  decideVerdict,
  initialVerdictState,
  isFinal,
  isStopped,
  tasksOfDeployment,
  failedTasksOf,
  describeProgress,
  type Decision,
  type DecisionKind,
  type VerdictConfig,
  type VerdictState,
  type VerdictStep,
} from './verdict.js';
export { timelineMermaid, type TimelineEntry, type TimelineKind } from './timeline.js';
export {
  watchRollout,
  DEFAULT_CALL_BUDGET,
  type CallBudget,
  type WatchOptions,
  type WatchResult,
  type WatchDecision,
} from './watcher.js';
export {
  rollBack,
  RollbackError,
  type RollbackOptions,
  type RollbackResult,
  type RollbackOutcome,
} from './rollback.js';
export { LAST_GOOD_TAG, recordLastGood, readLastGood } from './last-good.js';
export {
  resolveRollbackTarget,
  unsafePreviousReason,
  type RollbackTarget,
  type RollbackTargetSource,
  type ResolveRollbackTargetOptions,
} from './rollback-target.js';
export { awslogsStreamOf, fetchFailedTaskLogs, type TaskLogTail } from './task-logs.js';
export { awsCliCommand, updateServiceCommand, shellQuote } from './update-service-command.js';
