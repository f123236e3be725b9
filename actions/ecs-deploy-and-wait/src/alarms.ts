// The CloudWatch alarms the deploy watches: which ones (the `alarms` input, else the service's deployment alarms) and
// their states before any change (plan step); naming the alarm of ECS's own rollback when the watch did not see it
// (report step); the service's deployment alarm configuration in one line.
import { ConfigurationError, shorten, type Logger } from '@hokusai/action-kit';
import {
  alarmsAlreadyInAlarm,
  describeIgnoredAlarm,
  firedAlarm,
  nameRollbackAlarm,
  nameRollbackAlarmCandidates,
  persistentApis,
  type AlarmInfo,
  type AwsApis,
  type BreakerRollback,
  type Clock,
  type ServiceInfo,
  type TimelineEntry,
} from '@hokusai/ecs-kit';
import { PLAN_RETRY_LIMIT_MS, readBeforeChange } from './before-change.js';
import type { Inputs } from './inputs.js';
import type { Started } from './start.js';

export interface PlannedAlarms {
  names: string[];
  /** Where the names came from: the `alarms` input, or the service's deploymentConfiguration.alarms. */
  source: 'input' | 'deployment-alarms';
  /** Their states read in the plan, before the UpdateService. */
  atStart: AlarmInfo[];
}

/**
 * The alarms to watch (the `alarms` input, else the service's deployment alarms when enabled) and their states now.
 * Before any change: a named alarm that does not exist, or no permission to read alarms, is one line. A deployment
 * alarm that does not exist is a warning (ECS's own configuration names it; the deploy is not refused for it).
 */
export async function planAlarms(
  inputs: Inputs,
  service: ServiceInfo,
  apis: AwsApis,
  clock: Clock,
  notes: string[],
  logger: Logger,
  signal?: AbortSignal,
): Promise<PlannedAlarms | undefined> {
  const configured = service.deploymentAlarms;
  if (inputs.alarms === 'none') {
    const ignored = configured?.enable ? [...new Set(configured.alarmNames)] : [];
    logger.warning(
      `alarms: none — this deploy watches no CloudWatch alarms${ignored.length > 0 ? ` (not the service's deployment alarms ${ignored.map((n) => shorten(n, 60)).join(', ')}: ECS itself still rolls back on them)` : ''}`,
    );
    return undefined;
  }
  const source = inputs.alarms.length > 0 ? 'input' : 'deployment-alarms';
  const names =
    source === 'input' ? inputs.alarms : configured?.enable ? [...new Set(configured.alarmNames)] : [];
  if (names.length === 0) return undefined;
  const { cloudwatch } = persistentApis(apis, {
    deadline: clock.now() + Math.min(inputs.timeout, PLAN_RETRY_LIMIT_MS),
    ...(signal ? { signal } : {}),
  });
  if (!cloudwatch) return undefined;
  const from = source === 'input' ? 'input "alarms"' : "the service's deployment alarms";
  const read = await readBeforeChange(
    'DescribeAlarms',
    `reading the CloudWatch alarms the deploy watches (${from}; needs cloudwatch:DescribeAlarms)`,
    () => cloudwatch.describeAlarms(names),
    signal,
  );
  const missing = names.filter((name) => !read.some((a) => a.name === name));
  if (missing.length > 0 && source === 'input') {
    const shown = missing.slice(0, 3).map((name) => shorten(name, 60));
    const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
    throw new ConfigurationError(
      missing.length === 1
        ? `alarm ${shown[0]} (input "alarms") does not exist in CloudWatch; nothing was changed`
        : `alarms ${shown.join(', ')}${more} (input "alarms") do not exist in CloudWatch; nothing was changed`,
    );
  }
  for (const name of missing)
    notes.push(
      `alarm ${shorten(name)} (in the service's deployment alarms) does not exist in CloudWatch: not watched`,
    );
  const watched = names.filter((name) => !missing.includes(name));
  if (watched.length === 0) return undefined;
  const atStart = watched.map((name) => read.find((a) => a.name === name)!);
  logger.info(
    `watching CloudWatch alarms (${from}): ${atStart.map((a) => `${a.name} ${a.state}`).join(', ')}`,
  );
  for (const alarm of alarmsAlreadyInAlarm(atStart)) notes.push(describeIgnoredAlarm(alarm));
  return { names: watched, source, atStart };
}

/** `hokusai-api-5xx, hokusai-api-restarts (rollback on)`, `… (rollback off)`, `… (disabled)`, or `none`. */
export function describeDeploymentAlarms(alarms: ServiceInfo['deploymentAlarms']): string {
  if (!alarms || alarms.alarmNames.length === 0) return 'none';
  const names = alarms.alarmNames.join(', ');
  if (!alarms.enable) return `${names} (disabled)`;
  return `${names} (rollback ${alarms.rollback ? 'on' : 'off'})`;
}

/**
 * ECS rolled back on a deployment alarm the watch did not see go off (one not among the watched alarms): reads the
 * service's deployment alarms once more (retried for up to 30 s) and names the one that went into ALARM after our
 * deployment started, with its transition on the timeline. The decision unchanged when none is found or the read
 * fails: the rollback is reported either way.
 */
export async function nameEcsAlarmRollback(
  decision: BreakerRollback,
  ctx: {
    apis: AwsApis;
    clock: Clock;
    configured: ServiceInfo['deploymentAlarms'];
    planned?: PlannedAlarms;
    started: Started;
    timeline: TimelineEntry[];
  },
): Promise<BreakerRollback> {
  const names = ctx.configured?.alarmNames.slice(0, 100) ?? [];
  const { cloudwatch } = persistentApis(ctx.apis, { deadline: ctx.clock.now() + 30_000 });
  if (decision.trigger !== 'alarm' || decision.alarm || names.length === 0 || !cloudwatch) return decision;
  let found: AlarmInfo | undefined;
  try {
    found = firedAlarm(await cloudwatch.describeAlarms(names), {
      names,
      atStart: ctx.planned?.atStart ?? [],
      ...(ctx.started.deploymentCreatedAt !== undefined
        ? { deploymentCreatedAt: ctx.started.deploymentCreatedAt }
        : {}),
    });
  } catch {
    return nameRollbackAlarmCandidates(decision, names);
  }
  // Back to OK by the time it was read: at least the alarms it was one of.
  if (!found) return nameRollbackAlarmCandidates(decision, names);
  // Its AWS time against the deployment's (both AWS's clock), placed on the action's clock; else now.
  const at =
    found.transitionedAt !== undefined && ctx.started.deploymentCreatedAt !== undefined
      ? ctx.started.startedAt + (found.transitionedAt - ctx.started.deploymentCreatedAt)
      : ctx.clock.now();
  ctx.timeline.push({ at, kind: 'alarm', label: `alarm ${found.name} → ALARM` });
  return nameRollbackAlarm(decision, found);
}
