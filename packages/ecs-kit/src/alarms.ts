// CloudWatch alarms during a deployment, judged as ECS's deployment alarms judge them: an alarm counts when it goes
// into ALARM after the deployment started; one already in ALARM then is ignored (ECS-FACTS.md "Deployment
// controllers and strategies"; AWS docs "CloudWatch alarms for deployments"). Pure: plain data in and out.
import type { AlarmInfo } from './model.js';

/** What the verdict needs to judge the alarms the deploy watches. */
export interface AlarmWatch {
  /** The alarms watched, as named (input or the service's deployment alarms). */
  names: readonly string[];
  /** Their states read before the UpdateService (the plan step). */
  atStart: readonly AlarmInfo[];
  /**
   * When our deployment was created, epoch ms on AWS's clock (the deployment's `createdAt` in UpdateService's
   * answer). Compared with an alarm's StateTransitionedTimestamp, also AWS's clock: no runner clock skew enters.
   */
  deploymentCreatedAt?: number;
}

/** Longest state reason quoted in a failure reason (CloudWatch's run to a few hundred characters). */
const REASON_LENGTH = 300;

/**
 * Whether `alarm` went into ALARM after the deployment started. With both timestamps: its last state change is later
 * than the deployment's creation (so one that left ALARM and came back counts, and one that was in ALARM all along
 * does not). Without them: it was not in ALARM at the plan's read, or its transition time moved since.
 */
export function wentIntoAlarm(
  alarm: AlarmInfo,
  atStart: AlarmInfo | undefined,
  deploymentCreatedAt?: number,
): boolean {
  if (alarm.state !== 'ALARM') return false;
  if (deploymentCreatedAt !== undefined && alarm.transitionedAt !== undefined)
    return alarm.transitionedAt > deploymentCreatedAt;
  if (!atStart || atStart.state !== 'ALARM') return true;
  return (
    alarm.transitionedAt !== undefined &&
    atStart.transitionedAt !== undefined &&
    alarm.transitionedAt > atStart.transitionedAt
  );
}

/** The first of `alarms` (by transition time, then name) that went into ALARM after the deployment started. */
export function firedAlarm(alarms: readonly AlarmInfo[], watch: AlarmWatch): AlarmInfo | undefined {
  return alarms
    .filter((a) =>
      wentIntoAlarm(
        a,
        watch.atStart.find((s) => s.name === a.name),
        watch.deploymentCreatedAt,
      ),
    )
    .sort(
      (a, b) =>
        (a.transitionedAt ?? Infinity) - (b.transitionedAt ?? Infinity) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )[0];
}

/** Alarms already in ALARM at the plan's read: ignored, as ECS ignores them, and reported. */
export function alarmsAlreadyInAlarm(atStart: readonly AlarmInfo[]): AlarmInfo[] {
  return atStart.filter((a) => a.state === 'ALARM');
}

/** A state reason on one line, shortened: it is outside text, quoted in one-line reasons. */
export function alarmReasonLine(reason: string): string {
  const line = reason.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > REASON_LENGTH ? `${chars.slice(0, REASON_LENGTH).join('')}…` : line;
}

/** `alarm hokusai-api-5xx went into ALARM: Threshold Crossed: …` (the failure reason issue 14 specifies). */
export function describeFiredAlarm(alarm: AlarmInfo): string {
  const reason = alarmReasonLine(alarm.reason);
  return `alarm ${alarm.name} went into ALARM${reason ? `: ${reason}` : ''}`;
}

/** `alarm X was already in ALARM when the deploy started (…): ignored, as ECS ignores it` (log and summary). */
export function describeIgnoredAlarm(alarm: AlarmInfo): string {
  const reason = alarmReasonLine(alarm.reason);
  return `alarm ${alarm.name} was already in ALARM when the deploy started${reason ? ` (${reason})` : ''}: ignored, as ECS ignores an alarm already in ALARM when a deployment starts; it counts again only once it leaves ALARM and goes back`;
}
