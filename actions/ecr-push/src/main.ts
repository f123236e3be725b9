// Reads the inputs, pushes with a temporary DOCKER_CONFIG that is always removed, sets the outputs and the summary.
import os from 'node:os';
import * as core from '@actions/core';
import { ECRClient } from '@aws-sdk/client-ecr';
import {
  actionClock,
  actionsLogger,
  cancellationSignal,
  ConfigurationError,
  errorMessage,
  writeSummary,
} from '@hokusai/action-kit';
import { awsClientConfig, DEFAULT_RETRY_POLICY, nameAwsCalls, retryAwsCalls } from '@hokusai/aws-kit';
import { DockerCli } from './docker-cli.js';
import { TemporaryDockerConfig } from './docker-config-dir.js';
import { SdkEcrApi } from './ecr-api.js';
import { getInputs } from './inputs.js';
import { pushImage, type PushProgress } from './push-image.js';
import { HttpRegistryApi } from './registry-api.js';
import { renderFailureSummary, renderSummary } from './summary.js';

/** First wait before retrying a failed push; doubles each time (2s, 4s, 8s, ...). */
const RETRY_DELAY_MS = 2000;

export async function main(): Promise<void> {
  // On cancel the running docker command is stopped at once; the push ends at its next step, the credential and
  // temporary tags are removed, and the step fails with one line (exit code 1, as every action here).
  let docker: DockerCli | undefined;
  const cancellation = cancellationSignal(() => docker?.killAll());
  const progress: PushProgress = { pushed: [] };
  try {
    await push(cancellation.signal, progress, (started) => (docker = started));
  } catch (error) {
    const signal = cancellation.signal;
    // What was done stays true: the local image, the registry, the tags already pushed.
    if (progress.registry) core.setOutput('registry', progress.registry);
    if (progress.localId) core.setOutput('image-id', progress.localId);
    core.setOutput('pushed', String(progress.pushed.length > 0));
    core.setOutput('image-uris', progress.pushed.join('\n'));
    const cancelled = signal.aborted ? String(signal.reason) : undefined;
    const message = cancelled
      ? `cancelled (${cancelled}): ${progress.pushed.length} tag(s) pushed before it (${progress.pushed.join(', ') || 'none'}); the temporary docker credential and tags were removed`
      : errorMessage(error);
    await writeSummary(renderFailureSummary({ cancelled, message }, progress));
    throw cancelled ? new ConfigurationError(message) : error;
  } finally {
    cancellation.dispose();
  }
}

async function push(
  signal: AbortSignal,
  progress: PushProgress,
  started: (docker: DockerCli) => void,
): Promise<void> {
  const inputs = getInputs(process.env);
  const region = inputs['aws-region'];
  const clock = actionClock();
  // One request per send (awsClientConfig), retried by the suite's one policy; errors remember their call.
  const client = new ECRClient(awsClientConfig('ECR', { region, env: process.env }));
  const ecr = new SdkEcrApi(
    retryAwsCalls(nameAwsCalls(client), DEFAULT_RETRY_POLICY, { clock, signal }),
    region,
  );
  const sleep = (ms: number) => clock.sleep(ms, signal);

  const dockerConfig = TemporaryDockerConfig.create(process.env.RUNNER_TEMP || os.tmpdir());
  const docker = new DockerCli({ env: process.env, configDir: dockerConfig.dir });
  started(docker);
  try {
    const result = await pushImage(
      {
        image: inputs.image,
        repository: inputs.repository,
        tags: inputs.tags,
        registry: inputs.registry,
        registryId: inputs['registry-id'],
        region,
        createRepository: inputs['create-repository'],
        skipExisting: inputs['skip-existing'],
        overwrite: inputs.overwrite,
        reuseExisting: inputs['reuse-existing'],
        expectedImageId: inputs['expected-image-id'],
        retries: inputs.retries,
        retryDelayMs: RETRY_DELAY_MS,
      },
      {
        docker,
        ecr,
        openRegistry: (host, basicToken, tokenExpiresAt) =>
          new HttpRegistryApi({ host, basicToken, tokenExpiresAt, sleep, signal }),
        maskSecret: (value) => core.setSecret(value),
        sleep,
        logger: actionsLogger,
        signal,
        progress,
      },
    );
    core.setOutput('registry', result.registry);
    core.setOutput('image-uri', result.imageUri);
    core.setOutput('image-uris', result.imageUris.join('\n'));
    core.setOutput('digest', result.digest);
    core.setOutput('image-uri-with-digest', result.imageUriWithDigest);
    core.setOutput('pushed', String(result.pushed));
    core.setOutput('reused', String(result.reused));
    core.setOutput('image-id', result.localId);
    await writeSummary(renderSummary(result));
  } finally {
    await dockerConfig.remove();
  }
}
