// The contract of the reusable workflows (what callers and the docs rely on), read from the real files.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@hokusai/action-harness';

interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  environment?: { name: string };
  steps?: {
    id?: string;
    name?: string;
    if?: string;
    uses?: string;
    run?: string;
    with?: Record<string, string>;
  }[];
  outputs?: Record<string, string>;
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, Record<string, unknown>>; secrets?: Record<string, unknown> }>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const read = (name: string) => readFileSync(path.join(repoRoot, '.github', 'workflows', name), 'utf8');
const load = (name: string) => parse(read(name)) as Workflow;
const deploy = load('deploy-ecs.yml');
const rollback = load('rollback-ecs.yml');

describe('deploy-ecs.yml', () => {
  test('takes the documented, typed and described inputs and the probe-headers secret', () => {
    const inputs = deploy.on.workflow_call!.inputs!;
    expect(Object.keys(inputs)).toEqual(
      expect.arrayContaining([
        'aws-region',
        'role-to-assume',
        'ecr-repository',
        'cluster',
        'service',
        'image',
        'container-name',
        'task-definition',
        'dockerfile',
        'context',
        'python-version',
        'syntax-paths',
        'type-check',
        'imports',
        'health-urls',
        'environment',
        'environment-url',
        'monitoring',
        'latency-threshold',
        'error-rate-threshold',
        'restart-threshold',
        'alarm-actions',
        'deployment-alarms',
      ]),
    );
    for (const [name, spec] of Object.entries(inputs)) {
      expect([name, typeof spec.description, spec.type]).toEqual([name, 'string', 'string']);
    }
    expect(inputs.dockerfile!.default).toBe('Dockerfile.api');
    expect(inputs.imports!.default).toBe('from src.api.main import app');
    expect(inputs['ecr-repository']!.required).toBe(false); // not needed to promote
    expect(deploy.on.workflow_call!.secrets).toHaveProperty('probe-headers');
    expect(deploy.on.workflow_call!.secrets).toHaveProperty('smoke-test-env');
    // Both import smoke tests (runner, image) get it as import-smoke-test's env input.
    const smokeTests = [deploy.jobs.gate!, deploy.jobs.build!].flatMap((job) =>
      (job.steps ?? []).filter((s) => s.uses?.includes('import-smoke-test')),
    );
    expect(smokeTests.map((s) => s.with?.env)).toEqual([
      '${{ secrets.smoke-test-env }}',
      '${{ secrets.smoke-test-env }}',
    ]);
  });

  test('runs plan -> gate -> build -> push -> deploy', () => {
    expect(Object.keys(deploy.jobs)).toEqual(['plan', 'gate', 'build', 'push', 'deploy']);
    expect(Object.values(deploy.jobs).map((job) => job.needs ?? null)).toEqual([
      null,
      'plan',
      ['plan', 'gate'],
      ['plan', 'build'],
      ['plan', 'push'],
    ]);
  });

  test('uses the suite actions in the right jobs, and rolls back on failed probes', () => {
    const actions = (job: string) =>
      (deploy.jobs[job]!.steps ?? [])
        .map((s) => s.uses?.replace(/@.*/, ''))
        .filter((u) => u?.startsWith('hokusai/'));
    expect(actions('plan')).toEqual([]);
    expect(actions('gate')).toEqual([
      'hokusai/actions/actions/python-syntax-check',
      'hokusai/actions/actions/import-smoke-test',
    ]);
    expect(actions('build')).toEqual(['hokusai/actions/actions/import-smoke-test']);
    expect(actions('push')).toEqual(['hokusai/actions/actions/ecr-push']);
    expect(actions('deploy')).toEqual([
      'hokusai/actions/actions/ecs-deploy-and-wait',
      'hokusai/actions/actions/endpoint-probe',
      'hokusai/actions/actions/auto-rollback',
      'hokusai/actions/actions/ecs-service-monitoring',
    ]);
    const smokeInImage = deploy.jobs.build!.steps!.find((s) => s.uses?.includes('import-smoke-test'));
    expect(smokeInImage?.with?.image).toBe('${{ steps.build.outputs.image }}');
    const deployStep = deploy.jobs.deploy!.steps!.find((s) => s.uses?.includes('ecs-deploy-and-wait'));
    expect(deployStep?.with).toMatchObject({
      rollback: 'true',
      image: '${{ needs.push.outputs.image-uri-with-digest || inputs.image }}',
      'task-definition': '${{ inputs.task-definition }}',
    });
  });

  test('monitoring is opt-in, after the deploy and its probes, only after a successful deploy, with the exposed thresholds', () => {
    const inputs = deploy.on.workflow_call!.inputs!;
    expect(inputs.monitoring!.default).toBe('false');
    expect(inputs['deployment-alarms']!.default).toBe('true');
    const steps = deploy.jobs.deploy!.steps!;
    const monitoring = steps.find((s) => s.id === 'monitoring')!;
    expect(steps.indexOf(monitoring)).toBeGreaterThan(steps.findIndex((s) => s.id === 'rollback'));
    expect(monitoring).toMatchObject({
      id: 'monitoring',
      if: "success() && inputs.monitoring == 'true'",
      uses: 'hokusai/actions/actions/ecs-service-monitoring@v1',
    });
    // Every exposed threshold reaches the action under the action's own input name.
    for (const name of [
      'latency-threshold',
      'error-rate-threshold',
      'restart-threshold',
      'alarm-actions',
      'deployment-alarms',
    ])
      expect(monitoring.with?.[name]).toBe(`\${{ inputs.${name} }}`);
    expect(monitoring.with).toMatchObject({
      cluster: '${{ inputs.cluster }}',
      service: '${{ inputs.service }}',
    });
    expect(deploy.jobs.deploy!.outputs).toMatchObject({
      'alarm-names': '${{ steps.monitoring.outputs.alarm-names }}',
      'dashboard-url': '${{ steps.monitoring.outputs.dashboard-url }}',
    });
  });

  test("rolls back only on the probes' verdict; the outputs come from the last step, which always runs", () => {
    const steps = deploy.jobs.deploy!.steps!;
    const rollback = steps.find((s) => s.id === 'rollback')!;
    // Not on the Probe step's failure: a probe that could not run (bad input) sets no healthy output.
    expect(rollback.if).toBe("failure() && steps.probe.outputs.healthy == 'false'");
    const outcome = steps[steps.length - 1]!;
    expect(outcome).toMatchObject({ id: 'outcome', if: 'always()', shell: 'bash' });
    expect(deploy.jobs.deploy!.outputs).toMatchObject({
      image: '${{ steps.outcome.outputs.image }}',
      'task-definition-arn': '${{ steps.outcome.outputs.task-definition-arn }}',
      result: '${{ steps.outcome.outputs.result }}',
    });
  });

  test("the latest commit wins: the commit is checked against the service's last deploy before, and recorded after", () => {
    const inputs = deploy.on.workflow_call!.inputs!;
    expect(inputs['allow-older-commit']).toMatchObject({ type: 'string', default: 'false' });
    const steps = deploy.jobs.deploy!.steps!;
    const at = (id: string) => steps.findIndex((s) => s.id === id);
    // The whole history, for git merge-base, in every deploy (not only with a task definition file).
    expect(steps[0]).toMatchObject({
      uses: expect.stringMatching(/^actions\/checkout@/),
      with: { 'fetch-depth': 0, filter: 'blob:none', 'persist-credentials': false },
    });
    expect(steps[0]!.if).toBeUndefined();
    expect(at('order')).toBeGreaterThan(0);
    expect(at('order')).toBeLessThan(at('deploy'));
    const record = steps.find((s) => s.name === 'Record the deployed commit on the service')!;
    expect(record.if).toBe(
      "${{ !cancelled() && steps.deploy.outputs.result == 'succeeded' && steps.rollback.outcome == 'skipped' }}",
    );
    expect(steps.indexOf(record)).toBeGreaterThan(at('rollback'));
    expect(steps.indexOf(record)).toBeLessThan(at('monitoring'));
    expect(record.run).toContain('key=hokusai:deployed-commit,value=$GITHUB_SHA');
    expect(steps.find((s) => s.id === 'order')!.run).toContain("tags[?key=='$tag']");
  });

  test('every caller path: the gate, build and push run only when building; the deploy also after a promotion', () => {
    const jobs = deploy.jobs as Record<string, Job & { if?: string }>;
    expect(jobs.gate!.if).toBe("needs.plan.outputs.build == 'true'");
    expect(jobs.build!.if).toBeUndefined(); // skipped with the gate
    expect(jobs.deploy!.if).toBe(
      "${{ !cancelled() && needs.plan.result == 'success' && (needs.push.result == 'success' || needs.plan.outputs.build == 'false') }}",
    );
    // "Re-run failed jobs" of the push job needs the build job's artifact: kept a week, not a day.
    const upload = jobs.build!.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with).toMatchObject({ 'retention-days': 7, 'if-no-files-found': 'error' });
    const push = jobs.push!.steps!.find((s) => s.uses?.includes('ecr-push'))!;
    expect(push.with).toMatchObject({
      'reuse-existing': 'true',
      'expected-image-id': '${{ needs.build.outputs.image-id }}',
    });
  });

  test('asks for the least: nothing at the top, none for the plan, contents: read or id-token: write per job', () => {
    expect(deploy.permissions).toEqual({});
    expect(deploy.jobs.plan!.permissions).toEqual({});
    for (const [name, job] of Object.entries(deploy.jobs)) {
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        expect(`${name}: ${scope}: ${level}`).toMatch(/: (contents: read|id-token: write)$/);
      }
    }
    expect(deploy.jobs.gate!.permissions).toEqual({ contents: 'read' });
    expect(deploy.jobs.push!.permissions).toEqual({ 'id-token': 'write' });
    expect(deploy.jobs.deploy!.environment).toEqual({
      name: '${{ inputs.environment }}',
      url: "${{ inputs.environment-url || format('{0}/{1}/actions/runs/{2}', github.server_url, github.repository, github.run_id) }}",
    });
  });
});

describe('rollback-ecs.yml', () => {
  test('takes the same inputs by hand and from a caller', () => {
    expect(rollback.on.workflow_dispatch!.inputs).toEqual(rollback.on.workflow_call!.inputs);
    expect(Object.keys(rollback.on.workflow_dispatch!.inputs!)).toEqual(
      expect.arrayContaining(['cluster', 'service', 'revision', 'reason']),
    );
    expect(rollback.on.workflow_dispatch!.inputs!.revision!.default).toBe('');
  });

  test('runs in the environment and blank revision means previous', () => {
    const job = rollback.jobs.rollback!;
    expect(job.environment).toEqual({ name: '${{ inputs.environment }}' });
    expect(job.permissions).toEqual({ 'id-token': 'write' });
    expect(job.steps!.find((s) => s.uses?.includes('auto-rollback'))?.with?.to).toBe(
      "${{ inputs.revision || 'previous' }}",
    );
  });
});

test('deploys of one service wait for each other, never cancelled; a rollback is in no group', () => {
  expect(deploy.concurrency).toBeUndefined();
  expect((deploy.jobs.deploy as Job & { concurrency: unknown }).concurrency).toEqual({
    group: 'hokusai-ecs-deploy-${{ needs.plan.outputs.service-key }}',
    'cancel-in-progress': false,
    queue: 'max', // every waiting deploy kept: the default drops the pending one, whichever commit is newer
  });
  expect(rollback.concurrency).toBeUndefined();
  expect((rollback.jobs.rollback as Job & { concurrency?: unknown }).concurrency).toBeUndefined();
});

test("the README's trust policy lets every job of its examples assume the role (each environment, the branch)", () => {
  const docs = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const policy = JSON.parse(
    [...docs.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((t) => t.includes('AssumeRoleWithWebIdentity'))!,
  ) as { Statement: Array<{ Condition: { StringLike: Record<string, string[]> } }> };
  const subjects = policy.Statement[0]!.Condition.StringLike['token.actions.githubusercontent.com:sub']!;
  const needed = new Set<string>();
  for (const block of [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as Workflow)) {
    for (const job of Object.values(block?.jobs ?? {}) as Array<{
      uses?: string;
      with?: Record<string, string>;
    }>) {
      const called = /\.github\/workflows\/(deploy|rollback)-ecs\.yml@/.exec(job.uses ?? '')?.[1];
      if (!called) continue;
      // The deploy (or rollback) job runs in the environment; deploy-ecs.yml's push job on the branch.
      needed.add(`repo:acme/hokusai-api:environment:${job.with?.environment ?? 'production'}`);
      if (called === 'deploy' && !job.with?.image) needed.add('repo:acme/hokusai-api:ref:refs/heads/main');
    }
  }
  expect([...needed].sort()).toEqual(expect.arrayContaining(['repo:acme/hokusai-api:environment:staging']));
  expect(subjects).toEqual(expect.arrayContaining([...needed]));
});

test("the docs' table of pinned third-party actions matches every workflow", () => {
  const docs = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const documented = new Set(
    [...docs.matchAll(/^\| `([\w-]+\/[\w-]+)`[^|]*\| (v[\d.]+) \| `([0-9a-f]{40})` \|$/gm)].map(
      (m) => `${m[1]}@${m[3]} # ${m[2]}`,
    ),
  );
  const used = new Set<string>();
  for (const name of ['ci.yml', 'deploy-ecs.yml', 'rollback-ecs.yml', 'release.yml']) {
    for (const m of read(name).matchAll(/uses: ([\w-]+\/[\w-]+)@([0-9a-f]{40}) # (v[\d.]+)/g))
      used.add(`${m[1]}@${m[2]} # ${m[3]}`);
  }
  expect(used.size).toBeGreaterThan(5);
  expect([...used].sort()).toEqual([...documented].sort());
});
