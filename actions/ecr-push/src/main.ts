// Reads the inputs, pushes with a temporary DOCKER_CONFIG that is always removed, sets the outputs and the summary.
import os from 'node:os';
import * as core from '@actions/core';
import { ECRClient } from '@aws-sdk/client-ecr';
import { actionsLogger, writeSummary } from '@hokusai/action-kit';
import { awsClientConfig } from '@hokusai/aws-kit';
import { DockerCli } from './docker-cli.js';
import { onCancel, TemporaryDockerConfig } from './docker-config-dir.js';
import { SdkEcrApi } from './ecr-api.js';
import { getInputs } from './inputs.js';
import { pushImage } from './push-image.js';
import { HttpRegistryApi } from './registry-api.js';
import { renderSummary } from './summary.js';

/** First wait before retrying a failed push; doubles each time (2s, 4s, 8s, ...). */
const RETRY_DELAY_MS = 2000;

export async function main(): Promise<void> {
  const inputs = getInputs(process.env);
  const region = inputs['aws-region'];
  const ecr = new SdkEcrApi(new ECRClient(awsClientConfig('ECR', { region, env: process.env })), region);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  const dockerConfig = TemporaryDockerConfig.create(process.env.RUNNER_TEMP || os.tmpdir());
  const docker = new DockerCli({ env: process.env, configDir: dockerConfig.dir });
  const removeCancelHandler = onCancel(() => {
    docker.killAll();
    dockerConfig.removeSync();
    docker.removeTemporaryTagsSync();
  });
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
          new HttpRegistryApi({ host, basicToken, tokenExpiresAt, sleep }),
        maskSecret: (value) => core.setSecret(value),
        sleep,
        logger: actionsLogger,
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
    removeCancelHandler();
  }
}
