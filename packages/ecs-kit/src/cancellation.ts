// The runner's cancellation gives an action about 10 s: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that
// (actions/runner src/Runner.Sdk/ProcessInvoker.cs). The decision to stop is taken on the signal itself; the AWS calls
// that still belong to the end of the run (the report's reads, a rollback the verdict already called for) get a grace
// time after it, on the wall clock whatever clock the action runs on, because the runner's ladder is wall-clock time.

/** How long AWS calls may still run after the cancel signal: well inside the runner's 7.5 s before SIGTERM. */
export const CANCEL_GRACE_MS = 5_000;

/**
 * An AbortSignal that fires `ms` wall-clock milliseconds after `signal` fires (never, if it does not). Give it to
 * the AWS adapters (`createAwsApis({ signal })`) so a request after the cancel still gets through — and none
 * outlasts the grace time — while the code that decides uses `signal` itself.
 */
export function graceAfter(signal: AbortSignal, ms = CANCEL_GRACE_MS): AbortSignal {
  const controller = new AbortController();
  const arm = () => {
    const timer = setTimeout(() => controller.abort(signal.reason), ms);
    // The grace time alone keeps nothing alive: the requests it limits do.
    timer.unref();
  };
  if (signal.aborted) arm();
  else signal.addEventListener('abort', arm, { once: true });
  return controller.signal;
}
