// release.yml as the release logic needs it: one App token per kind of repository with the permissions that
// repository's pushes need (workflows only where the release commit changes workflows), the job holding them restores
// no cache, it runs the tested release command with the dispatched commit, and a dispatch on another branch fails.
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@hokusai/action-harness';
import { ACTIONS } from '../src/index.js';

interface Step {
  id?: string;
  name?: string;
  shell?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
  env?: Record<string, string>;
}
const workflow = parse(readFileSync(path.join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<
    string,
    { environment?: string; if?: string; needs?: string; permissions?: Record<string, string>; steps: Step[] }
  >;
};
const release = workflow.jobs.release!;
const tokens = release.steps.filter((s) => s.uses?.startsWith('actions/create-github-app-token@'));
const tokenOf = (id: string) => tokens.find((s) => s.id === id)!;

test('two App tokens minted per run: workflows write on this repository only, contents write on the action repositories', () => {
  expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
  expect(tokens.map((t) => t.id)).toEqual(['repository-token', 'actions-token']);
  // This repository: the release commit changes .github/workflows (pinned suite actions).
  expect(tokenOf('repository-token').with).toEqual({
    'client-id': '${{ vars.RELEASE_APP_CLIENT_ID }}',
    'private-key': '${{ secrets.RELEASE_APP_PRIVATE_KEY }}',
    owner: '${{ github.repository_owner }}',
    repositories: '${{ github.event.repository.name }}',
    'permission-contents': 'write',
    'permission-workflows': 'write',
  });
  // The action repositories get action.yml, README.md and dist/ (no workflow): contents only.
  const actions = tokenOf('actions-token').with!;
  expect(String(actions.repositories).split(',').sort()).toEqual([...ACTIONS].sort());
  expect(Object.keys(actions).filter((k) => k.startsWith('permission-'))).toEqual(['permission-contents']);
  expect(actions['permission-contents']).toBe('write');
  expect(release.environment).toBe('release');
  expect(release.permissions).toEqual({ contents: 'read' }); // GITHUB_TOKEN pushes nothing
});

test('the release step runs the tested command with each token only in its environment', () => {
  const step = release.steps.find((s) => s.run?.includes('cli.ts release'))!;
  expect(step.env).toEqual({
    VERSION: '${{ inputs.version }}',
    REPOSITORY_TOKEN: '${{ steps.repository-token.outputs.token }}',
    ACTIONS_TOKEN: '${{ steps.actions-token.outputs.token }}',
    OWNER: '${{ github.repository_owner }}',
    REPOSITORY: '${{ github.event.repository.name }}',
  });
  expect(step.run).toContain('--source "$GITHUB_SHA"');
  for (const token of tokens)
    expect(release.steps.indexOf(step)).toBeGreaterThan(release.steps.indexOf(token));
});

describe('dispatched on a branch releases are not made from, the run fails at once and says so', () => {
  const check = workflow.jobs.check!;
  const guard = check.steps[0]!;
  /** The guard's script as the runner runs `shell: bash`, with github.ref = `ref`. */
  const runGuard = (ref: string) =>
    spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', guard.run!], {
      env: { PATH: process.env.PATH, REF: ref },
      encoding: 'utf8',
    });

  test('the first step of the first job; the release job needs it and has no if: that would skip it in silence', () => {
    expect(guard).toMatchObject({ shell: 'bash', env: { REF: '${{ github.ref }}' } });
    expect(release.needs).toBe('check');
    expect(release.if).toBeUndefined();
  });

  test.each(['refs/heads/main', 'refs/heads/release/v1.2'])('%s: goes on', (ref) => {
    const run = runGuard(ref);
    expect([run.status, run.stdout.trim()]).toEqual([0, `releasing from ${ref}`]);
  });

  test.each(['refs/heads/feature/x', 'refs/tags/v1.2.0', 'refs/heads/mainline'])(
    '%s: fails in one line',
    (ref) => {
      const run = runGuard(ref);
      expect(run.status).toBe(1);
      expect(run.stdout.trim().split('\n')).toEqual([
        `::error title=release.yml::releases are made from main or a release/vX.Y branch, not ${ref}: nothing was released; run the workflow on main`,
      ]);
    },
  );
});

test('no cache in the job holding the token; one release at a time, never cancelled half-way', () => {
  expect(release.steps.filter((s) => s.with?.cache === true || s.uses?.startsWith('actions/cache'))).toEqual(
    [],
  );
  expect(workflow.concurrency).toEqual({ group: 'release', 'cancel-in-progress': false });
});
