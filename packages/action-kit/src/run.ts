// The one place an action fails: run(main) turns a thrown error into core.setFailed, once.
import * as core from '@actions/core';
import { isConfigurationError, errorMessage } from './errors.js';
import { capSummary } from './markdown.js';
import { inertLine, inertText } from './outside-text.js';

/**
 * Fails the step with `message` (an error annotation and exit code 1), made inert first: failure messages quote
 * stopped reasons, log lines and exception text. Actions call this, never core.setFailed.
 */
export function failStep(message: string): void {
  core.setFailed(inertText(message));
}

/**
 * Appends Markdown to the job summary (no-op when the runner gave no summary file), cut to GitHub's 1 MiB limit
 * (capSummary) so an oversized summary is shortened rather than dropped whole.
 */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(capSummary(markdown), true).write();
}

/**
 * Runs an action's main function. A ConfigurationError (the user's mistake) becomes one line; anything else
 * is a bug: its message fails the step and its stack goes to the debug log.
 */
export async function run(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (!isConfigurationError(error) && error instanceof Error && error.stack) {
      core.debug(inertText(error.stack));
    }
    // A user's mistake is one line, whatever the message holds; a bug keeps its lines.
    if (isConfigurationError(error)) core.setFailed(inertLine(error.message));
    else failStep(errorMessage(error));
  }
}
