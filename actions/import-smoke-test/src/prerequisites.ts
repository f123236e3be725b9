// What must hold before any import runs: the image is present (and the Docker daemon answers), and the
// interpreter runs the harness. Each failure is one line blaming the input that caused it.
import { spawnSync } from 'node:child_process';
import { actionsLogger, ConfigurationError, shorten } from '@hokusai/action-kit';
import { HARNESS_SOURCE } from './harness.js';
import { parseHarnessOutput, type HarnessResult } from './harness-result.js';
import type { Inputs } from './inputs.js';
import type { Launcher, ProcessOutcome } from './launchers.js';
import { redact } from './smoke-test.js';

/** The image must be present before the parallel runs start (they use --pull never); pulled once if missing. */
export function ensureImage(image: string): void {
  const inspect = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
    encoding: 'utf8',
  });
  if (inspect.error) {
    throw new ConfigurationError(
      `input "image" needs the docker CLI, which could not be run: ${inspect.error.message}`,
    );
  }
  if (inspect.status === 0) return;
  const daemonDown = dockerDaemonNotAnswering(inspect.stderr);
  if (daemonDown) {
    throw new ConfigurationError(
      `input "image" needs the Docker daemon, which is not answering (is it running? DOCKER_HOST ${shorten(process.env.DOCKER_HOST || 'unset')}): ${daemonDown}`,
    );
  }
  actionsLogger.info(`pulling ${image} (not present locally)`);
  const pull = spawnSync('docker', ['pull', '--quiet', image], { encoding: 'utf8' });
  if (pull.status !== 0) {
    const why = (pull.stderr || inspect.stderr).trim().split('\n').pop();
    throw new ConfigurationError(`image ${shorten(image)} (input "image") is not available: ${why}`);
  }
}

/** The docker CLI's line saying it cannot reach the daemon, if that is why it failed. */
export function dockerDaemonNotAnswering(stderr: string): string | undefined {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .find((line) =>
      /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker\.sock: connect/i.test(
        line,
      ),
    );
}

/**
 * What a failed interpreter probe says, in one short line: the spawn error, the timeout, or the last meaningful
 * line of stderr — with the probe script itself left out (a program that is not Python may echo its `-c` argument,
 * e.g. perl's "Can't open perl script "<the script>"") — else the exit code.
 */
export function probeFailureReason(outcome: ProcessOutcome): string {
  if (outcome.spawnError) return outcome.spawnError;
  if (outcome.timedOut) return 'it did not start within the timeout';
  const scriptLines = new Set(
    HARNESS_SOURCE.split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 3),
  );
  const line = outcome.stderr
    .split(HARNESS_SOURCE)
    .join('<the probe script>')
    .split('\n')
    .map((text) => text.trim())
    .filter(
      (text) =>
        text !== '' &&
        !/^Run 'docker .*--help'/.test(text) &&
        !/^Node\.js v\d/.test(text) &&
        ![...scriptLines].some((script) => text.includes(script)),
    )
    .pop();
  const exit = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode}`;
  const chars = [...(line ?? '')];
  const shown = chars.length > 200 ? `${chars.slice(0, 200).join('')}… (${chars.length} characters)` : line;
  const said = shown === undefined ? '' : `: ${shown}`;
  return `it exited (${exit}) without running the probe — is it a Python 3.8+ interpreter?${said}`;
}

/** Runs the harness with nothing to import: proves the interpreter works and learns its version and cwd. */
export async function probe(
  launcher: Launcher,
  inputs: Inputs,
  secrets: readonly string[],
): Promise<HarnessResult> {
  const outcome = await launcher.launch([], inputs.timeout);
  const { result } = parseHarnessOutput(outcome.stdout);
  if (result?.ok) return result;
  const why = probeFailureReason(outcome);
  // docker refuses an unknown network before the interpreter is ever started: that is the network's fault.
  if (inputs.image !== '' && /network .* not found/i.test(why)) {
    throw new ConfigurationError(
      `network ${shorten(inputs.network)} (input "network") does not exist on this Docker engine (docker network ls lists them; "none" means no network)`,
    );
  }
  throw new ConfigurationError(
    `interpreter "${inputs.python}" (input "python") could not be run ${launcher.where}: ${redact(why, secrets)}`,
  );
}
