// The diff: desired state against what AWS has, as the list of writes that makes them equal — nothing when they
// already are. Pure. Ownership rules: a resource with one of our names that this action did not make for this
// service (no matching hokusai:managed-by / hokusai:service tags, or no marker on a dashboard) is a conflict and is
// never written; the whole plan is refused before any change.
import { alarmChanges } from './alarm-definition.js';
import { isOurDashboard } from './dashboard.js';
import type {
  AlarmDefinition,
  CurrentState,
  DeploymentConfiguration,
  DesiredState,
  MetricFilterDefinition,
} from './model.js';
import {
  ALARM_PREFIX_KEY,
  DASHBOARD_KEY,
  NO_DASHBOARD,
  alarmNames,
  dashboardMarker,
  ownershipOf,
  type Ownership,
} from './names.js';

export type Write =
  | { kind: 'put-resource-policy'; name: string; document: string }
  | { kind: 'create-log-group'; name: string; tags: Record<string, string> }
  | { kind: 'put-retention-policy'; logGroupName: string; retentionDays: number }
  | { kind: 'put-metric-filter'; filter: MetricFilterDefinition & { logGroupName: string } }
  | { kind: 'tag-log-group'; arn: string; name: string; tags: Record<string, string> }
  | {
      kind: 'put-rule';
      name: string;
      eventPattern: string;
      description: string;
      /** Applied by PutRule only when it creates the rule. */
      tags: Record<string, string>;
      create: boolean;
    }
  | { kind: 'tag-rule'; arn: string; name: string; tags: Record<string, string> }
  | { kind: 'put-targets'; rule: string; targets: Array<{ Id: string; Arn: string }> }
  | { kind: 'enable-container-insights'; cluster: string }
  | {
      kind: 'put-alarm';
      definition: AlarmDefinition;
      /** Applied by PutMetricAlarm only when it creates the alarm. */
      tags: Record<string, string>;
      create: boolean;
      changes: string[];
    }
  | { kind: 'tag-alarm'; arn: string; name: string; tags: Record<string, string> }
  | { kind: 'put-dashboard'; name: string; body: string; create: boolean }
  | {
      kind: 'update-deployment-alarms';
      cluster: string;
      service: string;
      deploymentConfiguration: DeploymentConfiguration;
      added: string[];
      removed: string[];
    }
  | { kind: 'delete-alarms'; names: string[] }
  | { kind: 'delete-dashboard'; name: string };

export type WriteKind = Write['kind'];

export interface Conflict {
  /** e.g. `alarm hokusai-api-5xx-rate`. */
  resource: string;
  ownership: Exclude<Ownership, 'ours'>;
}

export interface Plan {
  writes: Write[];
  conflicts: Conflict[];
  /** Resources with one of our former names that we did not make: left alone, said in the log. */
  leftAlone: string[];
}

/** One line for the log: what a write does (built from our own names only). */
export function describeWrite(write: Write): string {
  switch (write.kind) {
    case 'put-resource-policy':
      return `create the CloudWatch Logs resource policy ${write.name} (lets EventBridge write stopped-task events)`;
    case 'create-log-group':
      return `create log group ${write.name}`;
    case 'put-retention-policy':
      return `set the retention of ${write.logGroupName} to ${write.retentionDays} days`;
    case 'put-metric-filter':
      return `put metric filter ${write.filter.filterName} on ${write.filter.logGroupName}`;
    case 'tag-log-group':
      return `tag log group ${write.name} (${Object.keys(write.tags).join(', ')})`;
    case 'put-rule':
      return `${write.create ? 'create' : 'update'} EventBridge rule ${write.name}`;
    case 'tag-rule':
      return `tag EventBridge rule ${write.name} (${Object.keys(write.tags).join(', ')})`;
    case 'put-targets':
      return `point EventBridge rule ${write.rule} at its log group`;
    case 'enable-container-insights':
      return `turn Container Insights on for cluster ${write.cluster}`;
    case 'put-alarm':
      return write.create
        ? `create alarm ${write.definition.AlarmName}`
        : `update alarm ${write.definition.AlarmName}: ${write.changes.join(', ')}`;
    case 'tag-alarm':
      return `tag alarm ${write.name} (${Object.keys(write.tags).join(', ')})`;
    case 'put-dashboard':
      return `${write.create ? 'create' : 'update'} dashboard ${write.name}`;
    case 'update-deployment-alarms': {
      const parts = [
        write.added.length > 0 ? `attach ${write.added.join(', ')}` : '',
        write.removed.length > 0 ? `detach ${write.removed.join(', ')}` : '',
      ].filter(Boolean);
      const what = parts.length > 0 ? parts.join('; ') : 'turn rollback on';
      return `deployment alarms of service ${write.service}: ${what} (UpdateService with deploymentConfiguration only: no new deployment)`;
    }
    case 'delete-alarms':
      return `delete alarm${write.names.length === 1 ? '' : 's'} ${write.names.join(', ')} (no longer wanted)`;
    case 'delete-dashboard':
      return `delete dashboard ${write.name} (no longer wanted)`;
  }
}

/** JSON text with object keys sorted, so two bodies that differ only in spacing or key order compare equal. */
export function canonicalJson(text: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Desired tags that are missing or different on the resource (tags are added or updated, never removed). */
export function missingTags(
  current: Record<string, string>,
  desired: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(desired).filter(([k, v]) => current[k] !== v));
}

function canonicalFilter(filter: MetricFilterDefinition): string {
  return JSON.stringify(
    sortKeys({
      filterName: filter.filterName,
      filterPattern: filter.filterPattern,
      metricTransformations: filter.metricTransformations.map((t) => ({
        metricName: t.metricName,
        metricNamespace: t.metricNamespace,
        metricValue: t.metricValue,
        unit: t.unit ?? 'None',
        dimensions: t.dimensions ?? {},
      })),
    }),
  );
}

/** Every alarm and dashboard name the action may have made for this service: this run's and the last run's. */
export function candidateNames(
  desired: Pick<DesiredState, 'prefix' | 'dashboardName'>,
  lastRun: Record<string, string> | undefined,
): { alarms: string[]; dashboards: string[] } {
  const prefixes = new Set([desired.prefix]);
  const lastPrefix = lastRun?.[ALARM_PREFIX_KEY];
  if (lastPrefix) prefixes.add(lastPrefix);
  const dashboards = new Set<string>([desired.dashboardName]);
  const lastDashboard = lastRun?.[DASHBOARD_KEY];
  if (lastDashboard && lastDashboard !== NO_DASHBOARD) dashboards.add(lastDashboard);
  return { alarms: [...prefixes].flatMap((p) => alarmNames(p)), dashboards: [...dashboards] };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * The deployment configuration with our alarms attached (or detached), or undefined when it already is as wanted.
 * Alarm names the action did not make are kept, in their order; ours are appended in kind order.
 */
export function deploymentAlarmsChange(
  current: DeploymentConfiguration,
  ours: readonly string[],
  everythingOurs: readonly string[],
): { deploymentConfiguration: DeploymentConfiguration; added: string[]; removed: string[] } | undefined {
  const now = current.alarms ?? {};
  const names = now.alarmNames ?? [];
  const foreign = names.filter((n) => !everythingOurs.includes(n));
  const wanted = [...foreign, ...ours.filter((n) => !foreign.includes(n))];
  const added = wanted.filter((n) => !names.includes(n));
  const removed = names.filter((n) => !wanted.includes(n));
  let alarms: NonNullable<DeploymentConfiguration['alarms']>;
  if (ours.length > 0) alarms = { alarmNames: wanted, enable: true, rollback: true };
  else if (foreign.length > 0) alarms = { ...now, alarmNames: wanted };
  else if (names.length > 0) alarms = { alarmNames: [], enable: false, rollback: false };
  else return undefined;
  if (
    sameSet(names, wanted) &&
    (now.enable ?? false) === (alarms.enable ?? false) &&
    (now.rollback ?? false) === (alarms.rollback ?? false)
  ) {
    return undefined;
  }
  return { deploymentConfiguration: { ...current, alarms }, added, removed };
}

/** The writes, conflicts and removals one part of the plan contributes. */
interface Part {
  writes: Write[];
  conflicts: Conflict[];
  /** Names of our resources that are no longer wanted. */
  unwanted: string[];
  leftAlone: string[];
}

type Owner = (tags: Record<string, string>) => Ownership;

function part(): Part {
  return { writes: [], conflicts: [], unwanted: [], leftAlone: [] };
}

/** The stopped-task pipeline; the log group's tag update (the anchor) comes back separately: it is written last. */
function planPipeline(
  desired: DesiredState,
  current: CurrentState,
  owner: Owner,
): Part & { anchorUpdate?: Write } {
  const result: Part & { anchorUpdate?: Write } = part();
  const pipeline = desired.restartPipeline;
  const conflict = (resource: string, ownership: Ownership) => {
    if (ownership !== 'ours') result.conflicts.push({ resource, ownership });
  };
  if (!current.resourcePolicy)
    result.writes.push({ kind: 'put-resource-policy', ...pipeline.resourcePolicy });

  const logGroup = current.logGroup;
  const retention: Write = {
    kind: 'put-retention-policy',
    logGroupName: pipeline.logGroup.name,
    retentionDays: pipeline.logGroup.retentionDays,
  };
  if (!logGroup) {
    result.writes.push({
      kind: 'create-log-group',
      name: pipeline.logGroup.name,
      tags: pipeline.logGroup.tags,
    });
    result.writes.push(retention, { kind: 'put-metric-filter', filter: pipeline.metricFilter });
  } else {
    conflict(`log group ${pipeline.logGroup.name}`, owner(logGroup.tags));
    if (logGroup.retentionDays !== pipeline.logGroup.retentionDays) result.writes.push(retention);
    const filter = logGroup.metricFilters.find((f) => f.filterName === pipeline.metricFilter.filterName);
    if (!filter || canonicalFilter(filter) !== canonicalFilter(pipeline.metricFilter)) {
      result.writes.push({ kind: 'put-metric-filter', filter: pipeline.metricFilter });
    }
    const tags = missingTags(logGroup.tags, pipeline.logGroup.tags);
    if (Object.keys(tags).length > 0) {
      result.anchorUpdate = {
        kind: 'tag-log-group',
        arn: pipeline.logGroup.arn,
        name: pipeline.logGroup.name,
        tags,
      };
    }
  }

  const rule = current.rule;
  const { arn: ruleArn, ...ruleFields } = pipeline.rule;
  if (!rule) {
    result.writes.push({ kind: 'put-rule', ...ruleFields, create: true });
  } else {
    conflict(`EventBridge rule ${pipeline.rule.name}`, owner(rule.tags));
    if (
      canonicalJson(rule.eventPattern) !== canonicalJson(pipeline.rule.eventPattern) ||
      rule.description !== pipeline.rule.description ||
      rule.state !== 'ENABLED'
    ) {
      result.writes.push({ kind: 'put-rule', ...ruleFields, create: false });
    }
    const tags = missingTags(rule.tags, pipeline.rule.tags);
    if (Object.keys(tags).length > 0)
      result.writes.push({ kind: 'tag-rule', arn: ruleArn, name: pipeline.rule.name, tags });
  }
  const target = rule?.targets.find((t) => t.Id === pipeline.target.id);
  if (!target || target.Arn !== pipeline.target.arn) {
    result.writes.push({
      kind: 'put-targets',
      rule: pipeline.rule.name,
      targets: [{ Id: pipeline.target.id, Arn: pipeline.target.arn }],
    });
  }
  return result;
}

function planAlarms(desired: DesiredState, current: CurrentState, owner: Owner, candidates: string[]): Part {
  const result = part();
  for (const spec of desired.alarms) {
    const name = spec.definition.AlarmName;
    const existing = current.alarms[name];
    if (!existing) {
      result.writes.push({
        kind: 'put-alarm',
        definition: spec.definition,
        tags: spec.tags,
        create: true,
        changes: [],
      });
      continue;
    }
    const ownership = owner(existing.tags);
    if (ownership !== 'ours') {
      result.conflicts.push({ resource: `alarm ${name}`, ownership });
      continue;
    }
    const changes = alarmChanges(existing.definition, spec.definition);
    if (changes.length > 0) {
      result.writes.push({
        kind: 'put-alarm',
        definition: spec.definition,
        tags: spec.tags,
        create: false,
        changes,
      });
    }
    const tags = missingTags(existing.tags, spec.tags);
    if (Object.keys(tags).length > 0)
      result.writes.push({ kind: 'tag-alarm', arn: existing.arn, name, tags });
  }
  const wanted = new Set(desired.alarms.map((a) => a.definition.AlarmName));
  for (const name of candidates) {
    const existing = current.alarms[name];
    if (wanted.has(name) || !existing) continue;
    if (owner(existing.tags) === 'ours') result.unwanted.push(name);
    else result.leftAlone.push(`alarm ${name}`);
  }
  return result;
}

function planDashboards(desired: DesiredState, current: CurrentState, candidates: string[]): Part {
  const result = part();
  const marker = dashboardMarker(desired.cluster, desired.service);
  const dashboard = desired.dashboard;
  if (dashboard) {
    const body = current.dashboards[dashboard.name];
    if (body === undefined) {
      result.writes.push({ kind: 'put-dashboard', name: dashboard.name, body: dashboard.body, create: true });
    } else if (!isOurDashboard(body, marker)) {
      result.conflicts.push({ resource: `dashboard ${dashboard.name}`, ownership: 'not-managed' });
    } else if (canonicalJson(body) !== canonicalJson(dashboard.body)) {
      result.writes.push({
        kind: 'put-dashboard',
        name: dashboard.name,
        body: dashboard.body,
        create: false,
      });
    }
  }
  for (const name of candidates) {
    const body = current.dashboards[name];
    if (name === dashboard?.name || body === undefined) continue;
    if (isOurDashboard(body, marker)) result.unwanted.push(name);
    else result.leftAlone.push(`dashboard ${name}`);
  }
  return result;
}

/**
 * pipeline → Container Insights → alarms → dashboard → deployment alarms (after the alarms exist, before any of ours
 * is deleted) → deletions → the anchor tags (last: they record this run's names, so they follow the removals).
 */
export function planMonitoring(desired: DesiredState, current: CurrentState): Plan {
  const owner: Owner = (tags) => ownershipOf(tags, desired.cluster, desired.service);
  const candidates = candidateNames(desired, current.logGroup?.tags);
  const pipeline = planPipeline(desired, current, owner);
  const alarms = planAlarms(desired, current, owner, candidates.alarms);
  const dashboards = planDashboards(desired, current, candidates.dashboards);
  const conflicts = [...pipeline.conflicts, ...alarms.conflicts, ...dashboards.conflicts];
  const leftAlone = [...alarms.leftAlone, ...dashboards.leftAlone];
  if (conflicts.length > 0) return { writes: [], conflicts, leftAlone };

  const writes: Write[] = [...pipeline.writes];
  if (desired.enableContainerInsights && !current.containerInsights) {
    writes.push({ kind: 'enable-container-insights', cluster: desired.cluster });
  }
  writes.push(...alarms.writes, ...dashboards.writes);
  if (desired.deploymentAlarmNames) {
    const notOurs = new Set(alarms.leftAlone);
    const ours = candidates.alarms.filter((n) => !notOurs.has(`alarm ${n}`));
    const change = deploymentAlarmsChange(
      current.deploymentConfiguration,
      desired.deploymentAlarmNames,
      ours,
    );
    if (change)
      writes.push({
        kind: 'update-deployment-alarms',
        cluster: desired.cluster,
        service: desired.service,
        ...change,
      });
  }
  if (alarms.unwanted.length > 0) writes.push({ kind: 'delete-alarms', names: alarms.unwanted });
  for (const name of dashboards.unwanted) writes.push({ kind: 'delete-dashboard', name });
  if (pipeline.anchorUpdate) writes.push(pipeline.anchorUpdate);
  return { writes, conflicts, leftAlone };
}
