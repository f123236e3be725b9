// Act 5: the manual path. On-call rolls the service back to a named revision the way they would from the Actions
// tab: rollback-ecs.yml run by workflow_dispatch (replayed by @hokusai/workflow-replay with the real bundled
// auto-rollback; configure-aws-credentials points at the emulator), and the incident report it writes.
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { repoRoot } from '@hokusai/action-harness';
import { awsCredentialsStandIn, replayWorkflow } from '@hokusai/workflow-replay';
import type { Narrator } from './narrator.js';

export interface ManualRollback {
  result: string;
  from: string;
  to: string;
}

/** Runs rollback-ecs.yml as `gh workflow run rollback.yml -f revision=<revision> -f reason=<reason>` would. */
export async function manualRollback(
  narrator: Narrator,
  options: { endpoint: string; revision: string; reason: string; pollInterval: string; stableFor: string },
): Promise<ManualRollback> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'hokusai-demo-rollback-'));
  try {
    const run = await narrator.step('rollback-ecs.yml (workflow_dispatch)', () =>
      replayWorkflow({
        workflow: path.join(repoRoot, '.github', 'workflows', 'rollback-ecs.yml'),
        trigger: 'workflow_dispatch',
        inputs: {
          cluster: 'hokusai',
          service: 'hokusai-api',
          revision: options.revision,
          reason: options.reason,
          'aws-region': 'us-east-1',
          'role-to-assume': 'arn:aws:iam::123456789012:role/hokusai-api-deploy',
        },
        github: {
          sha: '7e4b2a9f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f',
          run_id: '4242',
          run_attempt: '1',
          repository: 'acme/hokusai-api',
          actor: 'on-call',
          event_name: 'workflow_dispatch',
        },
        checkout: scratch,
        scratch,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
        standIns: {
          'aws-actions/configure-aws-credentials': awsCredentialsStandIn(() => ({
            AWS_ENDPOINT_URL: options.endpoint,
            AWS_ACCESS_KEY_ID: 'demo',
            AWS_SECRET_ACCESS_KEY: 'demo',
          })),
        },
        // The emulator runs 20x faster than the clock the action reads: poll and stable times scaled to match.
        inputOverrides: {
          'rollback/rollback': { 'poll-interval': options.pollInterval, 'stable-for': options.stableFor },
        },
      }),
    );
    const step = run.jobs.rollback?.steps.find((s) => s.id === 'rollback');
    for (const annotation of step?.annotations.filter((a) => a.level === 'error') ?? []) {
      narrator.detail(annotation.message);
    }
    if (step?.summary)
      narrator.sections.push({ title: `auto-rollback by hand: ${options.reason}`, markdown: step.summary });
    return {
      result: run.outputs.result ?? '',
      from: run.outputs['rolled-back-from'] ?? '',
      to: run.outputs['rolled-back-to'] ?? '',
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
