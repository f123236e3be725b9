// SDK-backed EcsApi / LogsApi / ElbApi: thin mappings to plain data, every call counted and retried on transient
// errors by withRetries (the SDK's own retries are off so the count and the backoff are ours and visible).
import {
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type Service,
  type Task,
  type TaskDefinition,
  type Tag,
} from '@aws-sdk/client-ecs';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { systemClock, type Clock, type Environment } from '@hokusai/action-kit';
import {
  awsClientConfig,
  nameAwsCalls,
  awsErrorName,
  DEFAULT_RETRY_POLICY,
  isTransientAwsError,
  RequestAbortedError,
  withRetries,
  type RetryContext,
  type RetryPolicy,
} from '@hokusai/aws-kit';
import type { AwsApis, CloudWatchApi, DeploymentHistoryEntry, EcsApi, ElbApi, LogsApi } from './api.js';
import { taskIdOf, type AlarmInfo, type ServiceInfo, type TaskInfo } from './model.js';
import { redactServiceInfo, redactTaskInfo, type Redact } from './outside-text.js';

export interface AwsApiOptions {
  region: string;
  env: Environment;
  /** How transient errors are retried (default DEFAULT_RETRY_POLICY); `retrying()` makes views with another. */
  retry?: RetryPolicy;
  /** The clock the backoff sleeps on (default: the system clock). */
  clock?: Clock;
  /**
   * Cancellation: aborts the request in flight and any backoff (RequestAbortedError), and no request starts once it
   * fired. Calls that must still be made after it (the report, a rollback within the runner's grace time) go through
   * a `retrying()` view with another signal.
   */
  signal?: AbortSignal;
  /** Called for every request attempt (1 = first), e.g. to count calls per minute. */
  onCall?: (operation: string, attempt: number) => void;
  /** Called before each backoff. */
  onRetry?: (operation: string, error: unknown, attempt: number, delayMs: number) => void;
  /**
   * Removes secrets from outside text as it is read — tasks' stopped reasons and containers' reasons, log lines,
   * service events — before anything shortens it to one line or escapes it (a secret cut in half would no longer be
   * found). E.g. `(t) => redactSecrets(t, credentials)`.
   */
  redact?: Redact;
}

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition refuses. */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

/** A task definition as RegisterTaskDefinition accepts it. */
export function registrableTaskDefinition(definition: TaskDefinition): TaskDefinition {
  const copy: Record<string, unknown> = { ...definition };
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) delete copy[field];
  for (const [key, value] of Object.entries(copy))
    if (value === undefined || value === null) delete copy[key];
  return copy as TaskDefinition;
}

const ms = (date: Date | undefined): number | undefined => (date ? date.getTime() : undefined);

export function serviceInfoFromSdk(s: Service): ServiceInfo {
  const breaker = s.deploymentConfiguration?.deploymentCircuitBreaker;
  const alarms = s.deploymentConfiguration?.alarms;
  return {
    arn: s.serviceArn ?? '',
    name: s.serviceName ?? '',
    clusterArn: s.clusterArn ?? '',
    status: s.status ?? 'ACTIVE',
    taskDefinition: s.taskDefinition ?? '',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    pendingCount: s.pendingCount ?? 0,
    deployments: (s.deployments ?? []).map((d) => ({
      id: d.id ?? '',
      status: d.status ?? '',
      taskDefinition: d.taskDefinition ?? '',
      desiredCount: d.desiredCount ?? 0,
      runningCount: d.runningCount ?? 0,
      pendingCount: d.pendingCount ?? 0,
      failedTasks: d.failedTasks ?? 0,
      ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
      ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
      ...(d.createdAt ? { createdAt: ms(d.createdAt) } : {}),
      ...(d.updatedAt ? { updatedAt: ms(d.updatedAt) } : {}),
    })),
    events: (s.events ?? []).map((e) => ({
      id: e.id ?? '',
      createdAt: ms(e.createdAt) ?? 0,
      message: e.message ?? '',
    })),
    loadBalancers: (s.loadBalancers ?? []).map((lb) => ({
      targetGroupArn: lb.targetGroupArn,
      containerName: lb.containerName,
      containerPort: lb.containerPort,
    })),
    ...(breaker
      ? {
          circuitBreaker: {
            enable: !!breaker.enable,
            rollback: !!breaker.rollback,
            ...(breaker.thresholdConfiguration
              ? {
                  thresholdConfiguration: {
                    ...(breaker.thresholdConfiguration.type
                      ? { type: breaker.thresholdConfiguration.type }
                      : {}),
                    ...(breaker.thresholdConfiguration.value !== undefined
                      ? { value: breaker.thresholdConfiguration.value }
                      : {}),
                  },
                }
              : {}),
            ...(breaker.resetOnHealthyTask !== undefined
              ? { resetOnHealthyTask: breaker.resetOnHealthyTask }
              : {}),
          },
        }
      : {}),
    ...(s.deploymentController?.type ? { deploymentController: s.deploymentController.type } : {}),
    ...(s.deploymentConfiguration?.strategy
      ? { deploymentStrategy: s.deploymentConfiguration.strategy }
      : {}),
    ...(alarms
      ? {
          deploymentAlarms: {
            alarmNames: [...(alarms.alarmNames ?? [])],
            enable: !!alarms.enable,
            rollback: !!alarms.rollback,
          },
        }
      : {}),
  };
}

/** DescribeAlarms returns at most this many names per call (its AlarmNames parameter takes up to 100). */
export const DESCRIBE_ALARMS_BATCH = 100;

type SdkAlarm = {
  AlarmName?: string;
  StateValue?: string;
  StateReason?: string;
  StateTransitionedTimestamp?: Date;
  StateUpdatedTimestamp?: Date;
};

export function alarmInfoFromSdk(a: SdkAlarm): AlarmInfo {
  const at = ms(a.StateTransitionedTimestamp) ?? ms(a.StateUpdatedTimestamp);
  return {
    name: a.AlarmName ?? '',
    state: a.StateValue ?? '',
    reason: a.StateReason ?? '',
    ...(at !== undefined ? { transitionedAt: at } : {}),
  };
}

export function taskInfoFromSdk(t: Task): TaskInfo {
  const ips = new Set<string>();
  for (const attachment of t.attachments ?? []) {
    for (const detail of attachment.details ?? [])
      if (detail.name === 'privateIPv4Address' && detail.value) ips.add(detail.value);
  }
  for (const c of t.containers ?? [])
    for (const ni of c.networkInterfaces ?? []) if (ni.privateIpv4Address) ips.add(ni.privateIpv4Address);
  const arn = t.taskArn ?? '';
  return {
    arn,
    id: taskIdOf(arn),
    taskDefinitionArn: t.taskDefinitionArn ?? '',
    ...(t.startedBy ? { startedBy: t.startedBy } : {}),
    lastStatus: t.lastStatus ?? '',
    desiredStatus: t.desiredStatus ?? '',
    ...(t.healthStatus ? { healthStatus: t.healthStatus } : {}),
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    ...(t.createdAt ? { createdAt: ms(t.createdAt) } : {}),
    ...(t.startedAt ? { startedAt: ms(t.startedAt) } : {}),
    ...(t.stoppingAt ? { stoppingAt: ms(t.stoppingAt) } : {}),
    ...(t.stoppedAt ? { stoppedAt: ms(t.stoppedAt) } : {}),
    containers: (t.containers ?? []).map((c) => ({
      name: c.name ?? '',
      ...(c.lastStatus ? { lastStatus: c.lastStatus } : {}),
      ...(c.exitCode !== undefined && c.exitCode !== null ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.healthStatus ? { healthStatus: c.healthStatus } : {}),
    })),
    privateIps: [...ips],
  };
}

function isUnsupportedOperation(error: unknown): boolean {
  const name = awsErrorName(error);
  const status =
    (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode ??
    (error as { $response?: { statusCode?: number } })?.$response?.statusCode;
  // An endpoint that answers an HTML page (moto, proxies) does not offer the operation either.
  const notJson = /Deserialization error/i.test(String((error as Error)?.message ?? ''));
  return (
    /UnknownOperation|InvalidAction|NotImplemented|UnsupportedOperation/i.test(name) ||
    status === 404 ||
    status === 501 ||
    notJson
  );
}

export function createAwsApis(options: AwsApiOptions): AwsApis {
  // Credentials from the given environment when it has them (tests pass one), else the SDK's default chain.
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = options.env;
  const credentials =
    accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {};
  const clientOptions = (serviceId: string) => ({
    ...awsClientConfig(serviceId, { region: options.region, env: options.env, maxAttempts: 1 }),
    retryMode: 'standard' as const,
    ...credentials,
  });
  // Errors remember their call (ECS DescribeServices), so explainAwsError can name it.
  const clients = {
    ecs: nameAwsCalls(new ECSClient(clientOptions('ECS'))),
    logs: nameAwsCalls(new CloudWatchLogsClient(clientOptions('CLOUDWATCH_LOGS'))),
    elb: nameAwsCalls(new ElasticLoadBalancingV2Client(clientOptions('ELASTIC_LOAD_BALANCING_V2'))),
    cloudwatch: nameAwsCalls(new CloudWatchClient(clientOptions('CLOUDWATCH'))),
  };
  const base: RetryContext = {
    clock: options.clock ?? systemClock,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return {
    ...apisOver(clients, options, options.retry ?? DEFAULT_RETRY_POLICY, base),
    close() {
      clients.ecs.destroy();
      clients.logs.destroy();
      clients.elb.destroy();
      clients.cloudwatch.destroy();
    },
  };
}

type Clients = {
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  elb: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
};

/** The four APIs over shared clients, every request sent with `policy` and `context`. */
function apisOver(
  clients: Clients,
  options: AwsApiOptions,
  policy: RetryPolicy,
  context: RetryContext,
): AwsApis {
  const { ecs: ecsClient, logs: logsClient, elb: elbClient, cloudwatch: cloudwatchClient } = clients;
  // Each SDK client makes exactly one request per send() (maxAttempts 1), so counting here counts requests.
  // Every request carries its attempt's AbortSignal: cancellation and the view's deadline end a request that never
  // answers, not only the backoff between attempts.
  const redact = options.redact;
  const serviceOf = (s: Service): ServiceInfo =>
    redact ? redactServiceInfo(serviceInfoFromSdk(s), redact) : serviceInfoFromSdk(s);
  const send = <T>(operation: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> =>
    withRetries(
      (attempt, abortSignal) => {
        options.onCall?.(operation, attempt);
        return call(abortSignal);
      },
      policy,
      {
        ...context,
        // An endpoint that does not offer the operation (moto answers some with an HTML 500) will not later.
        isRetryable: (error) => isTransientAwsError(error) && !isUnsupportedOperation(error),
        onRetry: (error, attempt, delay) => options.onRetry?.(operation, error, attempt, delay),
      },
    ).catch((error: unknown) => {
      if (error instanceof RequestAbortedError) error.operation ??= operation;
      throw error;
    });

  const ecs: EcsApi = {
    async describeService(cluster, service) {
      const out = await send('DescribeServices', (abortSignal) =>
        ecsClient.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal }),
      );
      const found = out.services?.[0];
      if (!found || (found.status === 'INACTIVE' && (out.failures?.length ?? 0) > 0)) return undefined;
      return serviceOf(found);
    },
    async describeTaskDefinition(reference) {
      try {
        const out = await send('DescribeTaskDefinition', (abortSignal) =>
          ecsClient.send(
            new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }),
            { abortSignal },
          ),
        );
        return out.taskDefinition ? { taskDefinition: out.taskDefinition, tags: out.tags ?? [] } : undefined;
      } catch (error) {
        const name = awsErrorName(error);
        if (
          name === 'ClientException' ||
          name === 'InvalidParameterException' ||
          name === 'ResourceNotFoundException'
        ) {
          if (
            /unable to describe|not found|does not exist|invalid revision|task ?definition/i.test(
              String((error as Error).message),
            )
          )
            return undefined;
        }
        throw error;
      }
    },
    async registerTaskDefinition(definition, tags) {
      const input = { ...registrableTaskDefinition(definition), ...(tags.length > 0 ? { tags } : {}) };
      const out = await send('RegisterTaskDefinition', (abortSignal) =>
        ecsClient.send(new RegisterTaskDefinitionCommand(input as never), { abortSignal }),
      );
      const arn = out.taskDefinition?.taskDefinitionArn;
      if (!arn) throw new Error('RegisterTaskDefinition returned no taskDefinitionArn');
      return arn;
    },
    async updateService({ cluster, service, taskDefinition, forceNewDeployment }) {
      const out = await send('UpdateService', (abortSignal) =>
        ecsClient.send(
          new UpdateServiceCommand({
            cluster,
            service,
            taskDefinition,
            ...(forceNewDeployment ? { forceNewDeployment: true } : {}),
          }),
          { abortSignal },
        ),
      );
      if (!out.service) throw new Error('UpdateService returned no service');
      return serviceOf(out.service);
    },
    async listTasks(cluster, service, desiredStatus) {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const out = await send('ListTasks', (abortSignal) =>
          ecsClient.send(
            new ListTasksCommand({
              cluster,
              serviceName: service,
              desiredStatus,
              ...(token ? { nextToken: token } : {}),
            }),
            { abortSignal },
          ),
        );
        arns.push(...(out.taskArns ?? []));
        nextToken = out.nextToken;
      } while (nextToken);
      return arns;
    },
    async describeTasks(cluster, taskArns) {
      const tasks: TaskInfo[] = [];
      for (let i = 0; i < taskArns.length; i += 100) {
        const batch = taskArns.slice(i, i + 100);
        const out = await send('DescribeTasks', (abortSignal) =>
          ecsClient.send(new DescribeTasksCommand({ cluster, tasks: batch }), { abortSignal }),
        );
        tasks.push(
          ...(out.tasks ?? []).map((t) =>
            redact ? redactTaskInfo(taskInfoFromSdk(t), redact) : taskInfoFromSdk(t),
          ),
        );
      }
      return tasks;
    },
    async listTags(resourceArn) {
      const out = await send('ListTagsForResource', (abortSignal) =>
        ecsClient.send(new ListTagsForResourceCommand({ resourceArn }), { abortSignal }),
      );
      return Object.fromEntries((out.tags ?? []).filter((t) => t.key).map((t) => [t.key!, t.value ?? '']));
    },
    async tagResource(resourceArn, tags) {
      const list: Tag[] = Object.entries(tags).map(([key, value]) => ({ key, value }));
      await send('TagResource', (abortSignal) =>
        ecsClient.send(new TagResourceCommand({ resourceArn, tags: list }), { abortSignal }),
      );
    },
    async deploymentHistory(cluster, service) {
      let deployments;
      try {
        const out = await send('ListServiceDeployments', (abortSignal) =>
          ecsClient.send(new ListServiceDeploymentsCommand({ cluster, service }), { abortSignal }),
        );
        deployments = out.serviceDeployments ?? [];
      } catch (error) {
        if (isUnsupportedOperation(error)) return undefined;
        throw error;
      }
      const revisionArns = [
        ...new Set(deployments.map((d) => d.targetServiceRevisionArn).filter((a): a is string => !!a)),
      ].slice(0, 20);
      const taskDefinitionOf = new Map<string, string>();
      if (revisionArns.length > 0) {
        try {
          const out = await send('DescribeServiceRevisions', (abortSignal) =>
            ecsClient.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns }), {
              abortSignal,
            }),
          );
          for (const r of out.serviceRevisions ?? [])
            if (r.serviceRevisionArn && r.taskDefinition)
              taskDefinitionOf.set(r.serviceRevisionArn, r.taskDefinition);
        } catch (error) {
          if (!isUnsupportedOperation(error)) throw error;
        }
      }
      const entries: DeploymentHistoryEntry[] = deployments.map((d) => ({
        id: d.serviceDeploymentArn ?? '',
        status: d.status ?? '',
        ...(d.targetServiceRevisionArn && taskDefinitionOf.has(d.targetServiceRevisionArn)
          ? { taskDefinition: taskDefinitionOf.get(d.targetServiceRevisionArn)! }
          : {}),
        ...(d.finishedAt ? { finishedAt: d.finishedAt.getTime() } : {}),
      }));
      return entries.sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    },
  };

  const logs: LogsApi = {
    async tail(group, stream, lines) {
      try {
        const out = await send('GetLogEvents', (abortSignal) =>
          logsClient.send(
            new GetLogEventsCommand({
              logGroupName: group,
              logStreamName: stream,
              limit: lines,
              startFromHead: false,
            }),
            { abortSignal },
          ),
        );
        // Each message redacted whole, before it is split into lines.
        return (out.events ?? [])
          .flatMap((e) =>
            (redact ? redact(e.message ?? '') : (e.message ?? '')).replace(/\n$/, '').split('\n'),
          )
          .slice(-lines);
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return [];
        throw error;
      }
    },
  };

  const elb: ElbApi = {
    async describeTargetHealth(targetGroupArn) {
      const out = await send('DescribeTargetHealth', (abortSignal) =>
        elbClient.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }), { abortSignal }),
      );
      return (out.TargetHealthDescriptions ?? []).map((d) => ({
        targetGroupArn,
        targetId: d.Target?.Id ?? '',
        ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
        state: d.TargetHealth?.State ?? 'unavailable',
        ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
        ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {}),
      }));
    },
    async deregistrationDelaySeconds(targetGroupArn) {
      try {
        const out = await send('DescribeTargetGroupAttributes', (abortSignal) =>
          elbClient.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn }), {
            abortSignal,
          }),
        );
        const value = out.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
        return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
      } catch (error) {
        // Only the log line about the drain needs it: never a reason to stop watching.
        if (isUnsupportedOperation(error) || awsErrorName(error) === 'AccessDenied') return undefined;
        throw error;
      }
    },
  };

  const cloudwatch: CloudWatchApi = {
    async describeAlarms(names) {
      const alarms: AlarmInfo[] = [];
      for (let i = 0; i < names.length; i += DESCRIBE_ALARMS_BATCH) {
        const batch = names.slice(i, i + DESCRIBE_ALARMS_BATCH);
        let nextToken: string | undefined;
        do {
          const token = nextToken;
          const out = await send('DescribeAlarms', (abortSignal) =>
            cloudwatchClient.send(
              new DescribeAlarmsCommand({
                AlarmNames: batch,
                AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
                ...(token ? { NextToken: token } : {}),
              }),
              { abortSignal },
            ),
          );
          for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])])
            alarms.push(alarmInfoFromSdk(a));
          nextToken = out.NextToken;
        } while (nextToken);
      }
      return alarms.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
  };

  return {
    ecs,
    logs,
    elb,
    cloudwatch,
    // A view over the same clients: it has no close() of its own.
    retrying: (nextPolicy, nextContext = {}) =>
      apisOver(clients, options, nextPolicy ?? policy, { ...context, ...nextContext }),
  };
}
