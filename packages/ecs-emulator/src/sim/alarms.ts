// CloudWatch metric alarms: defined by the scenario (with state changes over simulated time) or by PutMetricAlarm,
// with their state history. An alarm going into ALARM tells the deployments watching it (deployment alarms).
import { ApiError } from '../api-error.js';
import { imageMatches, type ScenarioAlarm, type ScenarioAlarmState } from '../scenario.js';
import type { Simulation } from '../simulation.js';
import type { Deployment } from './model.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmHistoryItem {
  timestamp: number;
  type: 'StateUpdate' | 'ConfigurationUpdate';
  summary: string;
  data: string;
}

export interface Alarm {
  name: string;
  arn: string;
  description?: string;
  namespace?: string;
  metricName?: string;
  statistic?: string;
  extendedStatistic?: string;
  dimensions: { Name: string; Value: string }[];
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold?: number;
  comparisonOperator?: string;
  treatMissingData?: string;
  actionsEnabled: boolean;
  alarmActions: string[];
  okActions: string[];
  insufficientDataActions: string[];
  unit?: string;
  state: AlarmState;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: number;
  configurationUpdatedAt: number;
  history: AlarmHistoryItem[];
  tags: Record<string, string>;
  /** Scenario state changes relative to a deployment's start. */
  afterDeployment: ScenarioAlarmState[];
}

export class Alarms {
  readonly alarms = new Map<string, Alarm>();

  constructor(private readonly sim: Simulation) {}

  arnOf(name: string): string {
    return `arn:aws:cloudwatch:${this.sim.region}:${this.sim.accountId}:alarm:${name}`;
  }

  /** A scenario's alarm: created in its initial state, its `atSeconds` changes scheduled from the start. */
  load(spec: ScenarioAlarm): void {
    const alarm = this.put(
      {
        name: spec.name,
        ...(spec.description !== undefined ? { description: spec.description } : {}),
        ...(spec.namespace !== undefined ? { namespace: spec.namespace } : {}),
        ...(spec.metricName !== undefined ? { metricName: spec.metricName } : {}),
        ...(spec.statistic !== undefined ? { statistic: spec.statistic } : {}),
        dimensions: (spec.dimensions ?? []).map((d) => ({ Name: d.name, Value: d.value })),
        period: spec.period ?? 60,
        evaluationPeriods: spec.evaluationPeriods ?? 1,
        ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
        ...(spec.comparisonOperator !== undefined ? { comparisonOperator: spec.comparisonOperator } : {}),
        ...(spec.treatMissingData !== undefined ? { treatMissingData: spec.treatMissingData } : {}),
      },
      spec.state ?? 'OK',
    );
    alarm.afterDeployment = (spec.states ?? []).filter((s) => s.afterDeploymentSeconds !== undefined);
    for (const change of spec.states ?? []) {
      if (change.atSeconds === undefined) continue;
      this.sim.at(this.sim.startTime + change.atSeconds * 1000, () =>
        this.setState(alarm.name, change.state, change.reason ?? defaultReason(change.state)),
      );
    }
  }

  /**
   * PutMetricAlarm: creates the alarm (state INSUFFICIENT_DATA, as CloudWatch) or updates its configuration
   * (state kept). `initialState` is for scenario alarms.
   */
  put(input: Partial<Alarm> & Pick<Alarm, 'name'>, initialState: AlarmState = 'INSUFFICIENT_DATA'): Alarm {
    const sim = this.sim;
    const existing = this.alarms.get(input.name);
    const now = sim.now;
    const alarm: Alarm = {
      actionsEnabled: true,
      alarmActions: [],
      okActions: [],
      insufficientDataActions: [],
      dimensions: [],
      period: 60,
      evaluationPeriods: 1,
      tags: {},
      afterDeployment: [],
      ...(existing ?? {}),
      ...input,
      arn: this.arnOf(input.name),
      state: existing?.state ?? initialState,
      stateReason:
        existing?.stateReason ??
        (initialState === 'INSUFFICIENT_DATA'
          ? 'Unchecked: Initial alarm creation'
          : defaultReason(initialState)),
      stateUpdatedAt: existing?.stateUpdatedAt ?? now,
      configurationUpdatedAt: now,
      history: existing?.history ?? [],
    };
    this.alarms.set(alarm.name, alarm);
    alarm.history.unshift({
      timestamp: now,
      type: 'ConfigurationUpdate',
      summary: `Alarm "${alarm.name}" ${existing ? 'updated' : 'created'}`,
      data: JSON.stringify({ version: '1.0', type: existing ? 'Update' : 'Create' }),
    });
    sim.record('alarm-state', { alarmName: alarm.name, state: alarm.state, configuration: true });
    return alarm;
  }

  delete(names: string[]): void {
    for (const name of names) {
      if (!this.alarms.has(name))
        throw new ApiError('ResourceNotFound', `An alarm named ${name} does not exist.`, 404);
    }
    for (const name of names) this.alarms.delete(name);
  }

  /** Changes an alarm's state (a scenario timeline, SetAlarmState): history, the event log, deployment alarms. */
  setState(name: string, state: AlarmState, reason: string): void {
    const sim = this.sim;
    const alarm = this.alarms.get(name);
    if (!alarm) throw new ApiError('ResourceNotFound', `Alarm ${name} not found`, 404);
    const old = alarm.state;
    alarm.state = state;
    alarm.stateReason = reason;
    alarm.stateUpdatedAt = sim.now;
    alarm.history.unshift({
      timestamp: sim.now,
      type: 'StateUpdate',
      summary: `Alarm updated from ${old} to ${state}`,
      data: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: old },
        newState: { stateValue: state, stateReason: reason },
      }),
    });
    sim.record('alarm-state', { alarmName: name, state, oldState: old, reason });
    if (state === 'ALARM' && old !== 'ALARM') sim.deployments.alarmWentIntoAlarm(name);
  }

  /** A deployment started: schedule the scenario's state changes that count from a deployment's start. */
  deploymentStarted(deployment: Deployment): void {
    const sim = this.sim;
    if (!sim.ready) return; // a scenario's starting deployments happened before the story starts
    const td = sim.findTaskDefinition(deployment.taskDefinitionArn);
    const images = (td?.containerDefinitions ?? []).map((c) => c.image);
    for (const alarm of this.alarms.values()) {
      for (const change of alarm.afterDeployment) {
        if (change.image && !images.some((image) => imageMatches(change.image!, image))) continue;
        sim.at(deployment.createdAt + change.afterDeploymentSeconds! * 1000, () => {
          if (this.alarms.get(alarm.name) === alarm)
            this.setState(alarm.name, change.state, change.reason ?? defaultReason(change.state));
        });
      }
    }
  }

  /** The bake time ECS keeps a deployment IN_PROGRESS after its steady state (emulator's choice, FIDELITY.md). */
  bakeSeconds(names: string[]): number {
    let seconds = 0;
    for (const name of names) {
      const alarm = this.alarms.get(name);
      if (alarm) seconds = Math.max(seconds, alarm.period * alarm.evaluationPeriods);
    }
    return seconds;
  }
}

function defaultReason(state: AlarmState): string {
  return state === 'ALARM'
    ? 'Threshold Crossed: 1 datapoint was greater than the threshold (scenario).'
    : state === 'OK'
      ? 'Threshold Crossed: no datapoint was greater than the threshold (scenario).'
      : 'Insufficient Data: no datapoints were received (scenario).';
}
