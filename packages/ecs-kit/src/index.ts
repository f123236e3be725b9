// ECS rollout model shared by ecs-deploy-and-wait and auto-rollback: adapters, observations, the verdict, the
// watcher, rollback and the revision bookkeeping.
export * from './model.js';
export type {
  EcsApi,
  LogsApi,
  ElbApi,
  CloudWatchApi,
  AwsApis,
  RegisteredTaskDefinition,
  DeploymentHistoryEntry,
  TaskDefinition,
  Tag,
} from './api.js';
export {
  createAwsApis,
  alarmInfoFromSdk,
  DESCRIBE_ALARMS_BATCH,
  registrableTaskDefinition,
  READ_ONLY_TASK_DEFINITION_FIELDS,
  serviceInfoFromSdk,
  taskInfoFromSdk,
  type AwsApiOptions,
} from './aws-adapters.js';
export {
  withRetries,
  describeGiveUp,
  isRequestAborted,
  RequestAbortedError,
  DEFAULT_RETRY_POLICY,
  PERSISTENT_RETRY_POLICY,
  type RetryPolicy,
  type RetryContext,
} from '@hokusai/aws-kit';
export { deadlineApis, persistentApis } from './api.js';
export { CANCEL_GRACE_MS, graceAfter } from './cancellation.js';
export { systemClock, ApiCallLog, type Clock, type ApiCall } from './clock.js';
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
  describeDrain,
  decisionLine,
  describeUncountedStop,
  nameRollbackAlarm,
  nameRollbackAlarmCandidates,
  type BreakerRollback,
  type Decision,
  type FinalDecision,
  type DecisionKind,
  type DecisionCause,
  type DrainState,
  type VerdictConfig,
  type VerdictState,
  type VerdictStep,
} from './verdict.js';
export { breakerThreshold, describeBreaker, type BreakerThreshold } from './circuit-breaker.js';
export {
  wentIntoAlarm,
  firedAlarm,
  alarmsAlreadyInAlarm,
  alarmReasonLine,
  describeFiredAlarm,
  describeIgnoredAlarm,
  type AlarmWatch,
} from './alarms.js';
export { breakerEventsOf, type BreakerEvents } from './service-events.js';
export { timelineMermaid, type TimelineEntry, type TimelineKind } from './timeline.js';
export {
  watchRollout,
  decisiveEvidence,
  DEFAULT_CALL_BUDGET,
  ALARM_READ_EVERY_POLLS,
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
export {
  LAST_GOOD_TAG,
  ROLLED_BACK_FROM_TAG,
  recordLastGood,
  recordRollback,
  readLastGood,
  readRevisionTags,
  type RevisionTags,
} from './last-good.js';
export {
  resolveRollbackTarget,
  alreadyOnLastGoodReason,
  ecsRolledBackReason,
  unsafePreviousReason,
  type RollbackTarget,
  type RollbackTargetSource,
  type ResolveRollbackTargetOptions,
} from './rollback-target.js';
export { awslogsStreamOf, fetchFailedTaskLogs, type TaskLogTail } from './task-logs.js';
export {
  awsCliCommand,
  reRegisterAndUpdateCommand,
  updateServiceCommand,
  shellQuote,
} from './update-service-command.js';
export { serviceConsoleUrl, logStreamConsoleUrl, alarmConsoleUrl } from './console-links.js';
export { describeServiceState } from './service-state.js';
export { logOutsideText, redactServiceInfo, redactTaskInfo, type Redact } from './outside-text.js';
export { unsupportedDeploymentReason } from './deployment-controller.js';
