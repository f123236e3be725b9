// The planner with plain data: desired state and what AWS has in, the list of writes out.
import { describe, expect, test } from '@jest/globals';
import { canonicalAlarm } from '../src/alarm-definition.js';
import { desiredState } from '../src/desired.js';
import type { CurrentState, DesiredState } from '../src/model.js';
import {
  candidateNames,
  deploymentAlarmsChange,
  describeWrite,
  missingTags,
  planMonitoring,
  type Write,
} from '../src/plan.js';
import { serviceContext, settings } from './service-context.js';

const desired = (overrides: Parameters<typeof settings>[0] = {}, context = serviceContext()) =>
  desiredState(settings(overrides), context);

/** What AWS has after a run with `state`: everything exactly as wanted. */
function inSync(state: DesiredState): CurrentState {
  const pipeline = state.restartPipeline;
  const deploymentConfiguration = { ...serviceContext().deploymentConfiguration };
  if (state.deploymentAlarmNames && state.deploymentAlarmNames.length > 0) {
    deploymentConfiguration.alarms = {
      alarmNames: [...state.deploymentAlarmNames],
      enable: true,
      rollback: true,
    };
  }
  return {
    alarms: Object.fromEntries(
      state.alarms.map((a) => [
        a.definition.AlarmName,
        {
          definition: canonicalAlarm(a.definition),
          arn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${a.definition.AlarmName}`,
          tags: { ...a.tags },
          state: 'OK',
          stateReason: 'Threshold Crossed: no datapoints were received',
        },
      ]),
    ),
    dashboards: state.dashboard ? { [state.dashboard.name]: state.dashboard.body } : {},
    resourcePolicy: { document: pipeline.resourcePolicy.document },
    logGroup: {
      arn: pipeline.logGroup.arn,
      retentionDays: 30,
      tags: { ...pipeline.logGroup.tags },
      metricFilters: [pipeline.metricFilter],
    },
    rule: {
      arn: pipeline.rule.arn,
      eventPattern: pipeline.rule.eventPattern,
      description: pipeline.rule.description,
      state: 'ENABLED',
      tags: { ...pipeline.rule.tags },
      targets: [{ Id: pipeline.target.id, Arn: pipeline.target.arn }],
    },
    deploymentConfiguration,
    containerInsights: true,
  };
}

const kinds = (writes: Write[]) => writes.map((w) => w.kind);
const EMPTY: CurrentState = {
  alarms: {},
  dashboards: {},
  deploymentConfiguration: serviceContext().deploymentConfiguration,
  containerInsights: true,
};

describe('planMonitoring', () => {
  test('nothing there yet: everything is created, in dependency order', () => {
    const plan = planMonitoring(desired(), EMPTY);
    expect(plan.conflicts).toEqual([]);
    expect(kinds(plan.writes)).toEqual([
      'put-resource-policy',
      'create-log-group',
      'put-retention-policy',
      'put-metric-filter',
      'put-rule',
      'put-targets',
      'put-alarm',
      'put-alarm',
      'put-alarm',
      'put-alarm',
      'put-dashboard',
      'update-deployment-alarms',
    ]);
    expect(plan.writes.map(describeWrite)).toContain('create alarm hokusai-api-latency-p95');
  });

  test('everything as wanted: no write at all', () => {
    const state = desired();
    expect(planMonitoring(state, inSync(state))).toEqual({ writes: [], conflicts: [], leftAlone: [] });
  });

  type Case = {
    name: string;
    inputs?: Parameters<typeof settings>[0];
    change?: (c: CurrentState) => void;
    writes: string[];
    says?: string;
  };
  const cases: Case[] = [
    {
      name: 'a changed threshold updates only that alarm',
      inputs: { 'latency-threshold': 3 },
      writes: ['put-alarm'],
      says: 'update alarm hokusai-api-latency-p95: AlarmDescription changed, Threshold 5 → 3',
    },
    {
      name: 'a changed period updates the three alarms that use it and the dashboard graphs',
      inputs: { period: 120 },
      writes: ['put-alarm', 'put-alarm', 'put-alarm', 'put-dashboard'],
    },
    {
      name: 'a new SNS topic updates every alarm',
      inputs: { 'alarm-actions': ['arn:aws:sns:eu-west-1:123456789012:oncall'] },
      writes: ['put-alarm', 'put-alarm', 'put-alarm', 'put-alarm'],
      says: 'update alarm hokusai-api-running-tasks: AlarmActions changed',
    },
    {
      name: 'an alarm edited by hand is put back',
      change: (c) => {
        c.alarms['hokusai-api-5xx-rate']!.definition = {
          ...c.alarms['hokusai-api-5xx-rate']!.definition,
          EvaluationPeriods: 10,
        };
      },
      writes: ['put-alarm'],
      says: 'update alarm hokusai-api-5xx-rate: EvaluationPeriods 10 → 3',
    },
    {
      name: 'a tag someone else put on one of ours is kept: no write',
      change: (c) => {
        c.alarms['hokusai-api-restarts']!.tags.extra = 'kept';
      },
      writes: [],
    },
    {
      name: 'a new user tag is added to every resource that takes tags',
      inputs: { tags: { team: 'platform' } },
      writes: ['tag-rule', 'tag-alarm', 'tag-alarm', 'tag-alarm', 'tag-alarm', 'tag-log-group'],
    },
    {
      name: 'a deleted alarm is created again',
      change: (c) => delete c.alarms['hokusai-api-running-tasks'],
      writes: ['put-alarm'],
      says: 'create alarm hokusai-api-running-tasks',
    },
    {
      name: 'a dashboard edited by hand is put back',
      change: (c) =>
        (c.dashboards['production-hokusai-api'] = c.dashboards['production-hokusai-api']!.replace(
          'Alarm status',
          'Mine',
        )),
      writes: ['put-dashboard'],
    },
    {
      name: 'a dashboard body that differs only in spacing and key order is the same',
      change: (c) => {
        const parsed = JSON.parse(c.dashboards['production-hokusai-api']!) as Record<string, unknown>;
        c.dashboards['production-hokusai-api'] = JSON.stringify({ widgets: parsed.widgets }, null, 2);
      },
      writes: [],
    },
    { name: 'a disabled rule is enabled', change: (c) => (c.rule!.state = 'DISABLED'), writes: ['put-rule'] },
    {
      name: 'a rule pattern that differs only in key order is the same',
      change: (c) => {
        const p = JSON.parse(c.rule!.eventPattern) as Record<string, unknown>;
        c.rule!.eventPattern = JSON.stringify({
          detail: p.detail,
          'detail-type': p['detail-type'],
          source: p.source,
        });
      },
      writes: [],
    },
    {
      name: 'a lost rule target is put back; other targets are left alone',
      change: (c) =>
        (c.rule!.targets = [{ Id: 'someone-elses', Arn: 'arn:aws:sqs:eu-west-1:123456789012:q' }]),
      writes: ['put-targets'],
    },
    {
      name: 'a changed retention is put back',
      change: (c) => (c.logGroup!.retentionDays = 7),
      writes: ['put-retention-policy'],
    },
    {
      name: 'a lost metric filter is put back',
      change: (c) => (c.logGroup!.metricFilters = []),
      writes: ['put-metric-filter'],
    },
    {
      name: 'a metric filter read back without the Count unit is changed',
      change: (c) =>
        (c.logGroup!.metricFilters = [
          {
            ...c.logGroup!.metricFilters[0]!,
            metricTransformations: [
              { ...c.logGroup!.metricFilters[0]!.metricTransformations[0]!, unit: undefined },
            ],
          },
        ]),
      writes: ['put-metric-filter'],
    },
    {
      name: 'an existing resource policy is never rewritten',
      change: (c) => (c.resourcePolicy = { document: '{"Statement":[]}' }),
      writes: [],
    },
    {
      name: 'Container Insights off, not asked to change: the cluster is left alone',
      change: (c) => (c.containerInsights = false),
      writes: [],
    },
    {
      name: 'Container Insights off and enable-container-insights: the cluster is changed',
      inputs: { 'enable-container-insights': true },
      change: (c) => (c.containerInsights = false),
      writes: ['enable-container-insights'],
    },
    {
      name: 'deployment alarms detached by hand are attached again',
      change: (c) => delete c.deploymentConfiguration.alarms,
      writes: ['update-deployment-alarms'],
      says: 'deployment alarms of service hokusai-api: attach hokusai-api-restarts, hokusai-api-latency-p95, hokusai-api-5xx-rate (UpdateService with deploymentConfiguration only: no new deployment)',
    },
  ];
  test.each(cases)('$name', ({ inputs, change, writes, says }) => {
    const before = desired();
    const current = inSync(before);
    change?.(current);
    const plan = planMonitoring(desired(inputs), current);
    expect(plan.conflicts).toEqual([]);
    expect(kinds(plan.writes)).toEqual(writes);
    if (says) expect(plan.writes.map(describeWrite)).toContain(says);
  });

  test('an alarm with one of our names that we did not make: a conflict, and no write at all', () => {
    const state = desired();
    const current = inSync(state);
    current.alarms['hokusai-api-latency-p95']!.tags = {};
    current.alarms['hokusai-api-5xx-rate']!.tags['hokusai:service'] = 'staging/hokusai-api';
    delete current.alarms['hokusai-api-running-tasks'];
    const plan = planMonitoring(state, current);
    expect(plan.conflicts).toEqual([
      { resource: 'alarm hokusai-api-latency-p95', ownership: 'not-managed' },
      { resource: 'alarm hokusai-api-5xx-rate', ownership: 'other-service' },
    ]);
    expect(plan.writes).toEqual([]);
  });

  test('a dashboard, rule or log group with our name that we did not make: conflicts', () => {
    const state = desired();
    const current = inSync(state);
    current.dashboards['production-hokusai-api'] = JSON.stringify({
      widgets: [{ type: 'text', properties: { markdown: 'mine' } }],
    });
    current.rule!.tags = {};
    current.logGroup!.tags = {
      'hokusai:managed-by': 'ecs-service-monitoring',
      'hokusai:service': 'staging/hokusai-api',
    };
    expect(planMonitoring(state, current).conflicts).toEqual([
      {
        resource: 'log group /aws/events/hokusai/production/hokusai-api/stopped-tasks',
        ownership: 'other-service',
      },
      { resource: 'EventBridge rule hokusai-stopped-tasks-production-hokusai-api', ownership: 'not-managed' },
      { resource: 'dashboard production-hokusai-api', ownership: 'not-managed' },
    ]);
  });

  test('a new alarm prefix: new alarms created, attached, the old ones detached then deleted, the anchor tagged last', () => {
    const before = desired();
    const current = inSync(before);
    const plan = planMonitoring(desired({ 'alarm-prefix': 'prod-api' }), current);
    expect(kinds(plan.writes)).toEqual([
      'put-alarm',
      'put-alarm',
      'put-alarm',
      'put-alarm',
      'put-dashboard',
      'update-deployment-alarms',
      'delete-alarms',
      'tag-log-group',
    ]);
    const update = plan.writes.find((w) => w.kind === 'update-deployment-alarms');
    expect(update).toMatchObject({
      added: ['prod-api-restarts', 'prod-api-latency-p95', 'prod-api-5xx-rate'],
      removed: ['hokusai-api-restarts', 'hokusai-api-latency-p95', 'hokusai-api-5xx-rate'],
    });
    expect(plan.writes.find((w) => w.kind === 'delete-alarms')).toEqual({
      kind: 'delete-alarms',
      names: [
        'hokusai-api-running-tasks',
        'hokusai-api-restarts',
        'hokusai-api-latency-p95',
        'hokusai-api-5xx-rate',
      ],
    });
    expect(plan.writes.at(-1)).toMatchObject({
      kind: 'tag-log-group',
      tags: { 'hokusai:alarm-prefix': 'prod-api' },
    });
  });

  test('an old-prefix alarm we did not make is left alone and stays attached', () => {
    const before = desired();
    const current = inSync(before);
    current.alarms['hokusai-api-restarts']!.tags = {};
    const plan = planMonitoring(desired({ 'alarm-prefix': 'prod-api' }), current);
    expect(plan.conflicts).toEqual([]);
    expect(plan.leftAlone).toEqual(['alarm hokusai-api-restarts']);
    expect(plan.writes.find((w) => w.kind === 'delete-alarms')).toMatchObject({
      names: ['hokusai-api-running-tasks', 'hokusai-api-latency-p95', 'hokusai-api-5xx-rate'],
    });
    expect(plan.writes.find((w) => w.kind === 'update-deployment-alarms')).toMatchObject({
      removed: ['hokusai-api-latency-p95', 'hokusai-api-5xx-rate'],
    });
  });

  test('the load balancer is gone: the latency and 5xx alarms are detached and deleted', () => {
    const before = desired();
    const current = inSync(before);
    const plan = planMonitoring(desired({}, serviceContext({ loadBalancer: undefined })), current);
    expect(kinds(plan.writes)).toEqual(['put-dashboard', 'update-deployment-alarms', 'delete-alarms']);
    expect(plan.writes.at(-1)).toEqual({
      kind: 'delete-alarms',
      names: ['hokusai-api-latency-p95', 'hokusai-api-5xx-rate'],
    });
  });

  test('dashboard: false deletes ours; a new dashboard name deletes the old one', () => {
    const before = desired();
    const off = planMonitoring(desired({ dashboard: false }), inSync(before));
    expect(kinds(off.writes)).toEqual(['delete-dashboard', 'tag-log-group']);
    const renamed = planMonitoring(desired({ 'dashboard-name': 'api-status' }), inSync(before));
    expect(renamed.writes.map(describeWrite)).toEqual([
      'create dashboard api-status',
      'delete dashboard production-hokusai-api (no longer wanted)',
      'tag log group /aws/events/hokusai/production/hokusai-api/stopped-tasks (hokusai:dashboard)',
    ]);
  });

  test('deployment-alarms: false detaches ours and turns the alarms off when none are left', () => {
    const before = desired();
    const plan = planMonitoring(desired({ 'deployment-alarms': false }), inSync(before));
    expect(plan.writes).toEqual([
      expect.objectContaining({
        kind: 'update-deployment-alarms',
        deploymentConfiguration: expect.objectContaining({
          alarms: { alarmNames: [], enable: false, rollback: false },
        }),
      }),
    ]);
  });

  test('a CodeDeploy service: its deployment configuration is never written', () => {
    const context = serviceContext({ deploymentController: 'CODE_DEPLOY' });
    expect(kinds(planMonitoring(desired({}, context), EMPTY).writes)).not.toContain(
      'update-deployment-alarms',
    );
  });
});

describe('deploymentAlarmsChange', () => {
  const ours = ['api-restarts', 'api-latency-p95'];
  const everythingOurs = ['api-running-tasks', 'api-restarts', 'api-latency-p95', 'api-5xx-rate'];
  const base = {
    maximumPercent: 200,
    minimumHealthyPercent: 50,
    deploymentCircuitBreaker: { enable: true, rollback: false },
  };

  const cases: Array<{ name: string; current: Record<string, unknown>; ours: string[]; expected: unknown }> =
    [
      {
        name: 'none yet: ours attached with rollback on, the rest of the configuration kept',
        current: base,
        ours,
        expected: {
          deploymentConfiguration: { ...base, alarms: { alarmNames: ours, enable: true, rollback: true } },
          added: ours,
          removed: [],
        },
      },
      {
        name: "someone else's alarms are kept, first, and ours appended",
        current: { ...base, alarms: { alarmNames: ['team-cpu'], enable: true, rollback: false } },
        ours,
        expected: {
          deploymentConfiguration: {
            ...base,
            alarms: { alarmNames: ['team-cpu', ...ours], enable: true, rollback: true },
          },
          added: ours,
          removed: [],
        },
      },
      {
        name: 'already attached, in another order: nothing to do',
        current: { ...base, alarms: { alarmNames: [...ours].reverse(), enable: true, rollback: true } },
        ours,
        expected: undefined,
      },
      {
        name: 'attached but rollback off: turned on',
        current: { ...base, alarms: { alarmNames: ours, enable: true, rollback: false } },
        ours,
        expected: {
          deploymentConfiguration: { ...base, alarms: { alarmNames: ours, enable: true, rollback: true } },
          added: [],
          removed: [],
        },
      },
      {
        name: "ours detached, someone else's kept as they were",
        current: { ...base, alarms: { alarmNames: ['team-cpu', ...ours], enable: true, rollback: false } },
        ours: [],
        expected: {
          deploymentConfiguration: {
            ...base,
            alarms: { alarmNames: ['team-cpu'], enable: true, rollback: false },
          },
          added: [],
          removed: ours,
        },
      },
      {
        name: 'nothing attached and nothing wanted: nothing to do',
        current: base,
        ours: [],
        expected: undefined,
      },
    ];
  test.each(cases)('$name', ({ current, ours: wanted, expected }) => {
    expect(deploymentAlarmsChange(current, wanted, everythingOurs)).toEqual(expected);
  });
});

describe('helpers', () => {
  test("candidateNames: this run's names and the last run's", () => {
    const state = desired({ 'alarm-prefix': 'new' });
    expect(candidateNames(state, { 'hokusai:alarm-prefix': 'old', 'hokusai:dashboard': 'old-dash' })).toEqual(
      {
        alarms: [
          'new-running-tasks',
          'new-restarts',
          'new-latency-p95',
          'new-5xx-rate',
          'old-running-tasks',
          'old-restarts',
          'old-latency-p95',
          'old-5xx-rate',
        ],
        dashboards: ['production-hokusai-api', 'old-dash'],
      },
    );
    expect(candidateNames(state, { 'hokusai:dashboard': '-' }).dashboards).toEqual([
      'production-hokusai-api',
    ]);
  });

  test('missingTags: only tags that are absent or different', () => {
    expect(missingTags({ a: '1', b: '2', c: '3' }, { a: '1', b: 'x', d: '4' })).toEqual({ b: 'x', d: '4' });
  });
});
