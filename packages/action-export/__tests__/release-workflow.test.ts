// release.yml as the release logic needs it: the App token covers every repository the release pushes to, the
// job holding it restores no cache, and it runs the tested release command with the dispatched commit.
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@hokusai/action-harness';
import { ACTIONS } from '../src/index.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
  env?: Record<string, string>;
}
const workflow = parse(readFileSync(path.join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { environment?: string; permissions?: Record<string, string>; steps: Step[] }>;
};
const release = workflow.jobs.release!;
const token = release.steps.find((s) => s.uses?.startsWith('actions/create-github-app-token@'))!;

test('an App token minted per run for this repository and every published action, contents and workflows write', () => {
  expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
  expect(String(token.with!.repositories).split(',').sort()).toEqual(['actions', ...ACTIONS].sort());
  expect(token.with).toMatchObject({ 'permission-contents': 'write', 'permission-workflows': 'write' });
  expect(release.environment).toBe('release');
  expect(release.permissions).toEqual({ contents: 'read' }); // GITHUB_TOKEN pushes nothing
});

test('the release step runs the tested command with the token only in its environment', () => {
  const step = release.steps.find((s) => s.run?.includes('cli.ts release'))!;
  expect(step.env).toEqual({
    VERSION: '${{ inputs.version }}',
    PUBLISH_TOKEN: '${{ steps.app-token.outputs.token }}',
    OWNER: '${{ github.repository_owner }}',
    REPOSITORY: '${{ github.event.repository.name }}',
  });
  expect(step.run).toContain('--source "$GITHUB_SHA"');
  expect(release.steps.indexOf(step)).toBeGreaterThan(release.steps.indexOf(token));
});

test('no cache in the job holding the token; one release at a time, never cancelled half-way', () => {
  expect(release.steps.filter((s) => s.with?.cache === true || s.uses?.startsWith('actions/cache'))).toEqual(
    [],
  );
  expect(workflow.concurrency).toEqual({ group: 'release', 'cancel-in-progress': false });
});
