// Reads before any change: a user's mistake is one line; a transient AWS error that outlasts its retries says that
// nothing was changed and names the call; a cancellation before the first change says that nothing was changed.
import { ConfigurationError } from '@hokusai/action-kit';
import {
  awsErrorName,
  describeGiveUp,
  explainAwsError,
  isRequestAborted,
  isTransientAwsError,
} from '@hokusai/aws-kit';
import { taskDefinitionName } from '@hokusai/ecs-kit';

/** The reads before any change get this long to outlast throttling and 5xx (at most the deploy's timeout). */
export const PLAN_RETRY_LIMIT_MS = 2 * 60_000;

/** The steps before the deploy changes anything, or (start) while it registers and updates. */
export type EarlyStep = 'plan' | 'start';

/** A transient AWS error that outlasted its retries before anything changed: one line naming the call. */
export class NothingChangedError extends Error {
  constructor(
    readonly call: string,
    cause: unknown,
    readonly step: EarlyStep = 'plan',
  ) {
    const why = isRequestAborted(cause)
      ? 'no answer before the time limit'
      : awsErrorName(cause) || (cause as Error).message;
    super(
      `${call} kept failing (${why}) before the deploy changed anything: nothing was changed; run the job again`,
      { cause },
    );
    this.name = 'NothingChangedError';
  }
}

/**
 * The job was cancelled before the service was changed: nothing was changed, or only a new revision was registered
 * (`registered`, unused).
 */
export class CancelledBeforeChangeError extends Error {
  constructor(
    readonly step: EarlyStep,
    readonly registered?: string,
  ) {
    super(
      registered
        ? `cancelled during the ${step} step: registered ${taskDefinitionName(registered)} (unused), the service was not changed`
        : `cancelled during the ${step} step: nothing was changed`,
    );
    this.name = 'CancelledBeforeChangeError';
  }
}

/** True when `error` ended a call because the job was cancelled (the request aborted, or its retries stopped). */
export function endedByCancellation(error: unknown, signal: AbortSignal | undefined): boolean {
  if (isRequestAborted(error)) return error.stoppedBy === 'cancelled';
  return signal?.aborted === true && describeGiveUp(error)?.stoppedBy === 'cancelled';
}

/** A read before any change: user mistakes become one line, a transient error that outlasts its retries says so. */
export async function readBeforeChange<T>(
  call: string,
  what: string,
  read: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (endedByCancellation(error, signal)) throw new CancelledBeforeChangeError('plan');
    if (awsErrorName(error) === 'ClusterNotFoundException')
      throw new ConfigurationError(`cluster not found while ${what}`);
    if (isTransientAwsError(error) || isRequestAborted(error)) throw new NothingChangedError(call, error);
    throw explainAwsError(error, what);
  }
}
