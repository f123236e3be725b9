// The deploy: validate everything read-only, register the new revision, update the service, watch the rollout,
// roll back on failure, and gather the evidence (failed tasks, their log tails, service events) into a report.
import { ConfigurationError, type Logger } from '@hokusai/action-kit';
import { awsErrorName, explainAwsError } from '@hokusai/aws-kit';
import {
  describeStoppedTask,
  fetchFailedTaskLogs,
  recordLastGood,
  rollBack,
  RollbackError,
  taskDefinitionName,
  updateServiceCommand,
  watchRollout,
  type ApiCallLog,
  type AwsApis,
  type Clock,
  type RollbackResult,
  type ServiceEvent,
  type ServiceInfo,
  type Tag,
  type TaskDefinition,
  type TaskInfo,
  type TaskLogTail,
  type TimelineEntry,
  type WatchDecision,
} from '@hokusai/ecs-kit';
import type { Inputs } from './inputs.js';
import { applyRevisionChange, pickContainer } from './revision.js';

export type DeployResult = 'succeeded' | 'failed' | 'rolled-back' | 'timed-out' | 'rollback-failed';

export interface DeployReport {
  result: DeployResult;
  failureReason: string;
  cluster: string;
  service: string;
  serviceArn: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  deploymentId: string;
  startedAt: number;
  elapsedMs: number;
  waited: boolean;
  cancelled: boolean;
  decision?: WatchDecision;
  failedTasks: TaskInfo[];
  logTails: TaskLogTail[];
  events: ServiceEvent[];
  timeline: TimelineEntry[];
  rollback?: RollbackResult;
  /** The AWS CLI command that puts the service back by hand. */
  rollbackCommand: string;
  /** Where the watch stood last (for a cancelled run). */
  lastState: string;
}

export interface DeployContext {
  apis: AwsApis;
  clock: Clock;
  logger: Logger;
  callLog: ApiCallLog;
  signal?: AbortSignal;
}

interface Plan {
  service: ServiceInfo;
  previous: string;
  /** Registered as is (an existing ARN) or to register. */
  existing?: string;
  register?: { definition: TaskDefinition; tags: Tag[] };
  /** The container whose logs matter most. */
  container?: string;
}

function clusterName(inputCluster: string, service: ServiceInfo): string {
  return service.clusterArn
    ? service.clusterArn.slice(service.clusterArn.lastIndexOf('/') + 1)
    : inputCluster;
}

async function readOnly<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (awsErrorName(error) === 'ClusterNotFoundException')
      throw new ConfigurationError(`cluster not found while ${what}`);
    throw explainAwsError(error, what);
  }
}

/** Every read and check, before the first mutating call. */
async function plan(inputs: Inputs, ctx: DeployContext): Promise<Plan> {
  const { ecs } = ctx.apis;
  const where = `service "${inputs.service}" in cluster "${inputs.cluster}"`;
  const service = await readOnly(`describing ${where}`, async () => {
    try {
      return await ecs.describeService(inputs.cluster, inputs.service);
    } catch (error) {
      if (awsErrorName(error) === 'ClusterNotFoundException')
        throw new ConfigurationError(`cluster "${inputs.cluster}" not found`);
      throw error;
    }
  });
  if (!service) throw new ConfigurationError(`${where} not found`);
  if (service.status !== 'ACTIVE') throw new ConfigurationError(`${where} is ${service.status}, not ACTIVE`);
  const previous = service.taskDefinition;
  // The watch needs ListTasks; a missing permission should fail here, before anything changes.
  await readOnly(`listing the tasks of ${where}`, () =>
    ecs.listTasks(inputs.cluster, inputs.service, 'RUNNING'),
  );
  const current = await readOnly(`describing task definition ${taskDefinitionName(previous)}`, () =>
    ecs.describeTaskDefinition(previous),
  );
  if (!current)
    throw new ConfigurationError(
      `the service's current task definition ${taskDefinitionName(previous)} cannot be described`,
    );
  const source = inputs.source;
  const change = {
    ...(source.kind !== 'task-definition-arn' && source.image ? { image: source.image } : {}),
    ...(inputs['container-name'] ? { containerName: inputs['container-name'] } : {}),
    environment: inputs.environment,
  };
  if (source.kind === 'task-definition-arn') {
    const target = await readOnly(`describing task definition ${source.reference}`, () =>
      ecs.describeTaskDefinition(source.reference),
    );
    if (!target)
      throw new ConfigurationError(
        `task definition "${source.reference}" (input "task-definition-arn") not found`,
      );
    if (target.taskDefinition.status && target.taskDefinition.status !== 'ACTIVE') {
      throw new ConfigurationError(
        `task definition "${source.reference}" (input "task-definition-arn") is ${target.taskDefinition.status}`,
      );
    }
    return { service, previous, existing: target.taskDefinition.taskDefinitionArn ?? source.reference };
  }
  if (source.kind === 'image') {
    const container = pickContainer(
      current.taskDefinition,
      inputs['container-name'] || undefined,
      `task definition ${taskDefinitionName(previous)}`,
    );
    return {
      service,
      previous,
      register: { definition: applyRevisionChange(current.taskDefinition, change), tags: current.tags },
      container,
    };
  }
  const fileTags = (source.definition as { tags?: Tag[] }).tags;
  const definition = applyRevisionChange(source.definition, change, `task definition file ${source.path}`);
  delete (definition as { tags?: unknown }).tags;
  const container =
    change.image || change.environment.length > 0
      ? pickContainer(definition, inputs['container-name'] || undefined, source.path)
      : undefined;
  return {
    service,
    previous,
    register: { definition, tags: fileTags ?? current.tags },
    ...(container ? { container } : {}),
  };
}

export async function deployAndWait(inputs: Inputs, ctx: DeployContext): Promise<DeployReport> {
  const { apis, clock, logger } = ctx;
  const p = await plan(inputs, ctx);
  const cluster = clusterName(inputs.cluster, p.service);
  const serviceName = p.service.name || inputs.service;
  const timeline: TimelineEntry[] = [];

  // Mutations start here.
  let taskDefinitionArn = p.existing ?? '';
  if (p.register) {
    try {
      taskDefinitionArn = await apis.ecs.registerTaskDefinition(p.register.definition, p.register.tags);
    } catch (error) {
      const explained = explainAwsError(error, 'registering the new task definition');
      if (explained !== error) throw explained;
      if (/ClientException|InvalidParameter/.test(awsErrorName(error))) {
        throw new ConfigurationError(
          `RegisterTaskDefinition refused the new revision: ${(error as Error).message}`,
        );
      }
      throw error;
    }
    logger.info(
      `registered ${taskDefinitionName(taskDefinitionArn)} (from ${taskDefinitionName(p.previous)})`,
    );
  }
  const startedAt = clock.now();
  let updated: ServiceInfo;
  try {
    updated = await apis.ecs.updateService({
      cluster,
      service: serviceName,
      taskDefinition: taskDefinitionArn,
      forceNewDeployment: inputs['force-new-deployment'],
    });
  } catch (error) {
    throw explainAwsError(error, `updating service ${serviceName}`);
  }
  const primary =
    updated.deployments.find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinitionArn) ??
    updated.deployments.find((d) => d.status === 'PRIMARY');
  const deploymentId = primary?.id ?? '';
  logger.info(
    `updated service ${serviceName}: ${taskDefinitionName(p.previous)} -> ${taskDefinitionName(taskDefinitionArn)} (deployment ${deploymentId})`,
  );
  timeline.push({
    at: startedAt,
    kind: 'update',
    label: `UpdateService → ${taskDefinitionName(taskDefinitionArn)}`,
  });

  const report: DeployReport = {
    result: 'succeeded',
    failureReason: '',
    cluster,
    service: serviceName,
    serviceArn: p.service.arn,
    taskDefinitionArn,
    previousTaskDefinitionArn: p.previous,
    deploymentId,
    startedAt,
    elapsedMs: 0,
    waited: inputs.wait,
    cancelled: false,
    failedTasks: [],
    logTails: [],
    events: [],
    timeline,
    rollbackCommand: updateServiceCommand(cluster, serviceName, p.previous),
    lastState: '',
  };
  if (!inputs.wait) {
    report.elapsedMs = clock.now() - startedAt;
    return report;
  }

  let watch: Awaited<ReturnType<typeof watchRollout>>;
  try {
    watch = await watchRollout({
      apis,
      cluster,
      service: serviceName,
      verdict: {
        deploymentId,
        startedAt,
        timeoutMs: inputs.timeout,
        stableForMs: inputs['stable-for'],
        maxFailedTasks: inputs['max-failed-tasks'],
        checkTargetHealth: inputs['check-target-health'],
      },
      pollIntervalMs: inputs['poll-interval'],
      clock,
      logger,
      callLog: ctx.callLog,
      knownEventIds: p.service.events.map((e) => e.id),
      timeline,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (error) {
    // Not a verdict: the deployment goes on without us. Say how to go back by hand, then fail with the cause.
    logger.info(`stopped watching deployment ${deploymentId}: ${(error as Error).message}`);
    logger.info(`to roll back by hand: ${report.rollbackCommand}`);
    throw explainAwsError(error, `watching deployment ${deploymentId} of service ${serviceName}`);
  }
  const decision = watch.decision;
  report.decision = decision;
  report.events = watch.events;
  report.lastState = watch.last?.service ? describeLast(watch.last.service, deploymentId) : '';
  const failedTasks = 'failedTasks' in decision ? decision.failedTasks : [];
  report.failedTasks = failedTasks;
  const verdictLine =
    decision.kind === 'in-progress'
      ? decision.summary
      : 'reason' in decision
        ? decision.reason
        : decision.summary;
  timeline.push({
    at: clock.now(),
    kind: 'verdict',
    label: `${decision.kind}${decision.kind === 'succeeded' ? '' : `: ${verdictLine}`}`,
  });
  logger.info(`verdict: ${decision.kind}${decision.kind === 'succeeded' ? '' : ` — ${verdictLine}`}`);

  if (decision.kind === 'succeeded') {
    try {
      await recordLastGood(apis.ecs, p.service.arn, taskDefinitionArn);
    } catch (error) {
      logger.warning(
        `could not tag the service with the last good revision (${awsErrorName(error) || (error as Error).message}); a later "previous" rollback falls back to ECS's deployment list`,
      );
    }
    report.elapsedMs = clock.now() - startedAt;
    return report;
  }
  if (decision.kind === 'cancelled') {
    report.cancelled = true;
    report.result = 'failed';
    report.failureReason = `cancelled while watching: ${decision.summary || 'no poll finished'}`;
    report.elapsedMs = clock.now() - startedAt;
    return report;
  }

  // Roll back first (the service matters more than the report), then gather the logs.
  const serviceGone = decision.kind === 'failed' && decision.serviceGone === true;
  const shouldRollBack =
    !serviceGone &&
    (decision.kind === 'rolled-back-by-circuit-breaker' ||
      (inputs.rollback && (decision.kind === 'failed' || decision.kind === 'timed-out')));
  if (shouldRollBack) {
    const target =
      decision.kind === 'rolled-back-by-circuit-breaker'
        ? (decision.taskDefinition ?? p.previous)
        : p.previous;
    try {
      report.rollback = await rollBack({
        apis,
        cluster,
        service: serviceName,
        taskDefinitionArn: target,
        // What we saw PRIMARY at the verdict: if someone deploys before the UpdateService, leave theirs alone.
        expectedCurrent: decision.kind === 'rolled-back-by-circuit-breaker' ? target : taskDefinitionArn,
        pollIntervalMs: inputs['poll-interval'],
        timeoutMs: inputs.timeout,
        stableForMs: inputs['stable-for'],
        checkTargetHealth: inputs['check-target-health'],
        clock,
        logger,
        callLog: ctx.callLog,
        timeline,
        ...(watch.last?.service ? { observed: watch.last.service } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    } catch (error) {
      const cause = error instanceof RollbackError ? error.cause : error;
      report.rollback = {
        outcome: 'failed',
        updated: error instanceof RollbackError && error.updated,
        summary:
          `rollback to ${taskDefinitionName(target)} failed: ${awsErrorName(cause) || ''} ${(cause as Error).message}`.trim(),
      };
    }
    logger.info(`rollback: ${report.rollback.summary}`);
    // Cancelled between the verdict and the rollback: nothing was changed, so say cancelled, not rollback-failed.
    if (report.rollback.outcome === 'cancelled') report.cancelled = true;
  }

  const definitions = new Map<string, TaskDefinition>();
  for (const arn of new Set(failedTasks.map((t) => t.taskDefinitionArn))) {
    const described = await apis.ecs.describeTaskDefinition(arn).catch(() => undefined);
    if (described) definitions.set(arn, described.taskDefinition);
  }
  try {
    report.logTails = await fetchFailedTaskLogs(apis.logs, (arn) => definitions.get(arn), failedTasks, {
      lines: inputs['log-lines'],
      ...(p.container ? { preferredContainer: p.container } : {}),
    });
  } catch (error) {
    logger.warning(
      `could not read the failed tasks' logs (${awsErrorName(error) || (error as Error).message})`,
    );
  }
  for (const tail of report.logTails) {
    logger.startGroup(`log tail of task ${tail.taskId} (${tail.group} ${tail.stream})`);
    for (const line of tail.lines) logger.info(line);
    logger.endGroup();
  }

  report.failureReason = failureReason(decision, failedTasks, report.logTails);
  report.result = resultOf(decision, report.rollback);
  report.elapsedMs = clock.now() - startedAt;
  return report;
}

function describeLast(service: ServiceInfo, deploymentId: string): string {
  const d = service.deployments.find((x) => x.id === deploymentId);
  return d
    ? `${d.id} (${taskDefinitionName(d.taskDefinition)}) ${d.status} ${d.rolloutState ?? ''}: ${d.runningCount}/${d.desiredCount} running, ${d.pendingCount} pending`
    : `service ${service.name}`;
}

/** One line: the first failed task with its last exception line, else the decision's own reason. */
export function failureReason(
  decision: WatchDecision,
  failedTasks: TaskInfo[],
  tails: TaskLogTail[],
): string {
  const first = failedTasks[0];
  const reason = 'reason' in decision ? decision.reason : '';
  if (!first) return reason;
  const tail = tails.find((t) => t.taskId === first.id);
  const line = describeStoppedTask(first, tail?.lastLine);
  if (decision.kind === 'failed' && /during stable-for$/.test(reason)) {
    const late = failedTasks[failedTasks.length - 1]!;
    const lateTail = tails.find((t) => t.taskId === late.id);
    return `${describeStoppedTask(late, lateTail?.lastLine)} (during stable-for)`;
  }
  if (decision.kind === 'failed' && !reason.startsWith('task ')) return `${line} (${reason})`;
  if (decision.kind === 'rolled-back-by-circuit-breaker' || decision.kind === 'timed-out')
    return `${line} (${reason})`;
  return line;
}

export function resultOf(decision: WatchDecision, rollback: RollbackResult | undefined): DeployResult {
  if (decision.kind === 'succeeded') return 'succeeded';
  // Someone else deployed before our rollback: ours failed, and theirs is not ours to undo.
  if (rollback?.outcome === 'taken-over') return 'failed';
  // Cancelled before the rollback's UpdateService: the deploy failed and the service was left as it was.
  if (rollback?.outcome === 'cancelled') return 'failed';
  if (rollback)
    return rollback.outcome === 'rolled-back' || rollback.outcome === 'already-rolled-back'
      ? 'rolled-back'
      : 'rollback-failed';
  if (decision.kind === 'rolled-back-by-circuit-breaker') return 'rolled-back';
  if (decision.kind === 'timed-out') return 'timed-out';
  return 'failed';
}
