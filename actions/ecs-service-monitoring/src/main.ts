// plan → apply → report: reads the inputs and the service, works out the alarms, dashboard and stopped-task
// pipeline it wants, diffs them against AWS, makes only the writes that differ, then sets the outputs and writes the
// job summary. Every refusal (bad input, unknown target group, a resource it did not make) comes before any write.
import * as core from '@actions/core';
import {
  ConfigurationError,
  actionClock,
  actionsLogger,
  cancellationSignal,
  errorMessage,
  writeSummary,
} from '@hokusai/action-kit';
import { createMonitoringApi, type ApiCallRecord, type MonitoringApi } from './aws.js';
import { readCurrentState } from './current.js';
import { desiredState } from './desired.js';
import { discoverService } from './discover.js';
import { getInputs, type Inputs } from './inputs.js';
import type { CurrentState, DesiredState, ServiceContext } from './model.js';
import { alarmArn, dashboardConsoleUrl } from './names.js';
import { describeWrite, planMonitoring, type Plan, type Write } from './plan.js';
import { changedSomething, failureSummaryMarkdown, summaryMarkdown, type AlarmReport } from './summary.js';

const logger = actionsLogger;

function refuseConflicts(plan: Plan, desired: DesiredState): void {
  if (plan.conflicts.length === 0) return;
  for (const c of plan.conflicts) {
    logger.error(
      `${c.resource} exists but ${c.ownership === 'other-service' ? 'is kept by this action for another service' : 'was not made by this action'}: refusing to change it`,
    );
  }
  throw new ConfigurationError(
    `${plan.conflicts.length} resource${plan.conflicts.length === 1 ? '' : 's'} with the names this action would use for ${desired.cluster}/${desired.service} ${plan.conflicts.length === 1 ? 'is' : 'are'} not its own (listed above); nothing was changed: set alarm-prefix or dashboard-name to other names, or remove them`,
  );
}

/** Thrown where the step notices the runner cancelled it: no write starts after that. */
class Cancelled extends Error {}

async function applyPlan(
  api: MonitoringApi,
  writes: Write[],
  done: Write[],
  signal: AbortSignal,
): Promise<void> {
  for (const write of writes) {
    if (signal.aborted) throw new Cancelled();
    logger.info(describeWrite(write));
    await api.apply(write);
    done.push(write);
  }
}

function alarmReports(
  desired: DesiredState,
  context: ServiceContext,
  before: CurrentState,
  after: CurrentState['alarms'],
  writes: Write[],
): AlarmReport[] {
  return desired.alarms.map((spec) => {
    const name = spec.definition.AlarmName;
    const written = writes.find((w) => w.kind === 'put-alarm' && w.definition.AlarmName === name);
    const now = after[name] ?? before.alarms[name];
    return {
      spec,
      arn: now?.arn || alarmArn(context, name),
      state: now?.state ?? 'INSUFFICIENT_DATA',
      stateReason: now?.stateReason ?? '',
      outcome: written
        ? written.kind === 'put-alarm' && written.create
          ? 'created'
          : 'updated'
        : 'unchanged',
    };
  });
}

interface Planned {
  context: ServiceContext;
  warnings: string[];
  desired: DesiredState;
  current: CurrentState;
  plan: Plan;
}

/** Reads the service and everything the action keeps for it, and works out the writes. Read-only. */
async function planStep(api: MonitoringApi, inputs: Inputs): Promise<Planned> {
  const { context, warnings } = await discoverService(api, inputs);
  for (const warning of warnings) logger.warning(warning);
  const desired = desiredState(inputs, context);
  const current = await readCurrentState(api, desired, context);
  const plan = planMonitoring(desired, current);
  refuseConflicts(plan, desired);
  for (const resource of plan.leftAlone) {
    logger.info(`${resource} has a name this action used before, but it did not make it: left alone`);
  }
  return { context, warnings, desired, current, plan };
}

/** Outputs, the job summary and the closing log lines. */
async function report(
  api: MonitoringApi,
  planned: Planned,
  done: Write[],
  calls: ApiCallRecord[],
): Promise<void> {
  const { context, desired, current } = planned;
  const names = desired.alarms.map((a) => a.definition.AlarmName);
  // After writes, read the alarms again for their ARNs and states; with nothing written the first read stands.
  const after = done.length > 0 ? await api.describeAlarms(names) : current.alarms;
  const alarms = alarmReports(desired, context, current, after, done);
  core.setOutput('alarm-names', names.join('\n'));
  core.setOutput('alarm-arns', alarms.map((a) => a.arn).join('\n'));
  core.setOutput('dashboard-name', desired.dashboard?.name ?? '');
  core.setOutput(
    'dashboard-url',
    desired.dashboard ? dashboardConsoleUrl(context.partition, context.region, desired.dashboard.name) : '',
  );
  core.setOutput('changed', String(done.length > 0));

  const writesMade = calls.filter((c) => c.write).length;
  await writeSummary(
    summaryMarkdown({
      context,
      desired,
      alarms,
      writes: done,
      warnings: planned.warnings,
      leftAlone: planned.plan.leftAlone,
      calls: { reads: calls.length - writesMade, writes: writesMade },
    }),
  );
  logger.info(
    changedSomething({ writes: done })
      ? `${done.length} change${done.length === 1 ? '' : 's'} made; ${alarms.length} alarms kept for ${context.serviceName}`
      : `no change: the ${alarms.length} alarms${desired.dashboard ? ', the dashboard' : ''} and the stopped-task pipeline already match the inputs; no write call was made`,
  );
  logger.info(`AWS requests: ${calls.length} (${writesMade} write${writesMade === 1 ? '' : 's'})`);
}

export async function main(): Promise<void> {
  // A cancel stops before the next write; the step then says what was changed, in one line and the summary, and
  // fails with exit code 1 as every action here does.
  const cancellation = cancellationSignal();
  const done: Write[] = [];
  let where: { cluster: string; service: string } | undefined;
  try {
    await monitor(cancellation.signal, done, (inputs) => (where = inputs));
  } catch (error) {
    const signal = cancellation.signal;
    // A failure part-way: say what was already changed, so a re-run (which picks up from there) is no surprise.
    core.setOutput('changed', String(done.length > 0));
    const made = `${done.length} change${done.length === 1 ? ' was' : 's were'} made before ${signal.aborted ? 'it' : 'the failure'}`;
    const message = signal.aborted
      ? `cancelled (${String(signal.reason)}): ${made}${done.length > 0 ? '; a re-run completes the rest' : '; nothing was changed'}`
      : errorMessage(error);
    if (!signal.aborted && done.length > 0) logger.warning(`${made}; a re-run completes the rest`);
    await writeSummary(
      failureSummaryMarkdown({
        ...(where ? { where } : {}),
        message,
        cancelled: signal.aborted ? String(signal.reason) : undefined,
        writes: done,
      }),
    );
    throw signal.aborted ? new ConfigurationError(message) : error;
  } finally {
    cancellation.dispose();
  }
}

async function monitor(
  signal: AbortSignal,
  done: Write[],
  started: (where: { cluster: string; service: string }) => void,
): Promise<void> {
  const inputs = getInputs(process.env);
  started({ cluster: inputs.cluster, service: inputs.service });
  const calls: ApiCallRecord[] = [];
  const api = createMonitoringApi({
    region: inputs['aws-region'],
    env: process.env,
    onCall: (c) => calls.push(c),
    clock: actionClock(),
    signal,
  });
  try {
    const planned = await planStep(api, inputs);
    if (signal.aborted) throw new Cancelled();
    await applyPlan(api, planned.plan.writes, done, signal);
    await report(api, planned, done, calls);
  } finally {
    api.close();
  }
}
