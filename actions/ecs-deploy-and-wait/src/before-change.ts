// Reads before any change: a user's mistake is one line; a transient AWS error that outlasts its retries says that
// nothing was changed and names the call.
import { ConfigurationError } from '@hokusai/action-kit';
import { awsErrorName, explainAwsError, isTransientAwsError } from '@hokusai/aws-kit';

/** The reads before any change get this long to outlast throttling and 5xx (at most the deploy's timeout). */
export const PLAN_RETRY_LIMIT_MS = 2 * 60_000;

/** A transient AWS error that outlasted its retries before anything changed: one line naming the call. */
export class NothingChangedError extends Error {
  constructor(
    readonly call: string,
    cause: unknown,
  ) {
    super(
      `${call} kept failing (${awsErrorName(cause) || (cause as Error).message}) before the deploy changed anything: nothing was changed; run the job again`,
      { cause },
    );
    this.name = 'NothingChangedError';
  }
}

/** A read before any change: user mistakes become one line, a transient error that outlasts its retries says so. */
export async function readBeforeChange<T>(call: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (awsErrorName(error) === 'ClusterNotFoundException')
      throw new ConfigurationError(`cluster not found while ${what}`);
    if (isTransientAwsError(error)) throw new NothingChangedError(call, error);
    throw explainAwsError(error, what);
  }
}
