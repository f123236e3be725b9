// The deploy data-flow rules on plain workflow texts, and on the reusable workflows as they were before issue 13
// (fixtures): every fault the issue found is a finding there, and the repository's workflows have none.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintDeployFlow, referencesOf } from '../src/deploy-flow-rules.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const UPLOAD = 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0';
const DOWNLOAD = 'actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1';

/** A reusable workflow with a build job that uploads and a push job that downloads, then pushes and deploys. */
function workflow(parts: {
  uploadWith?: string;
  buildOutputs?: string;
  downloadWith?: string;
  pushWith?: string;
  deployImage?: string;
  deployConcurrency?: string;
  top?: string;
  trigger?: string;
}): string {
  return [
    `on:\n${parts.trigger ?? '  workflow_call:\n    inputs:\n      service: {type: string, required: true}\n      image: {type: string, default: ""}'}`,
    parts.top ?? '',
    'permissions: {}',
    'jobs:',
    '  plan:',
    '    runs-on: ubuntu-latest',
    '    outputs:',
    '      key: ${{ steps.plan.outputs.key }}',
    '    steps:',
    '      - id: plan',
    '        run: echo "key=x" >> "$GITHUB_OUTPUT"',
    '  build:',
    '    needs: plan',
    '    runs-on: ubuntu-latest',
    '    outputs:',
    parts.buildOutputs ??
      '      artifact-id: ${{ steps.upload.outputs.artifact-id }}\n      image-id: ${{ steps.b.outputs.id }}',
    '    steps:',
    '      - id: b',
    '        run: docker build .',
    '      - id: upload',
    `        uses: ${UPLOAD}`,
    '        with:',
    parts.uploadWith ??
      '          name: image-${{ needs.plan.outputs.key }}-${{ github.run_attempt }}\n          path: image.tar',
    '  push:',
    '    needs: [plan, build]',
    '    runs-on: ubuntu-latest',
    '    outputs:',
    '      digest-uri: ${{ steps.push.outputs.image-uri-with-digest }}',
    '      tag-uri: ${{ steps.push.outputs.image-uri }}',
    '    steps:',
    `      - uses: ${DOWNLOAD}`,
    '        with:',
    parts.downloadWith ?? '          artifact-ids: ${{ needs.build.outputs.artifact-id }}',
    '      - id: push',
    '        uses: hokusai/actions/actions/ecr-push@v1',
    '        with:',
    '          image: api:ci',
    '          repository: api',
    parts.pushWith ??
      "          reuse-existing: 'true'\n          expected-image-id: ${{ needs.build.outputs.image-id }}",
    '  deploy:',
    '    needs: [plan, push]',
    '    runs-on: ubuntu-latest',
    parts.deployConcurrency ??
      '    concurrency:\n      group: deploy-${{ needs.plan.outputs.key }}\n      cancel-in-progress: false\n      queue: max',
    '    steps:',
    '      - uses: hokusai/actions/actions/ecs-deploy-and-wait@v1',
    '        with:',
    '          cluster: c',
    '          service: s',
    `          image: ${parts.deployImage ?? '${{ needs.push.outputs.digest-uri || inputs.image }}'}`,
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

const rulesOf = (text: string) => lintDeployFlow(text, 'w.yml').map((f) => [f.rule, f.message]);

test('a workflow that gets every path right has no findings', () => {
  expect(rulesOf(workflow({}))).toEqual([]);
});

describe('artifact-flow', () => {
  test.each([
    {
      name: 'a constant name collides between calls and attempts',
      parts: { uploadWith: '          name: hokusai-image\n          path: image.tar' },
      expected: [
        ['artifact-flow', expect.stringContaining('"hokusai-image" is the same in every call')],
        ['artifact-flow', expect.stringContaining('does not include github.run_attempt')],
      ],
    },
    {
      name: 'a per-call name without the attempt',
      parts: { uploadWith: '          name: image-${{ inputs.service }}\n          path: image.tar' },
      expected: [['artifact-flow', expect.stringContaining('does not include github.run_attempt')]],
    },
    {
      name: 'overwrite: true',
      parts: {
        uploadWith:
          '          name: image-${{ inputs.service }}-${{ github.run_attempt }}\n          path: x\n          overwrite: true',
      },
      expected: [['artifact-flow', expect.stringContaining('overwrite: true lets another call')]],
    },
    {
      name: 'a download by name',
      parts: { downloadWith: '          name: image-${{ inputs.service }}-${{ github.run_attempt }}' },
      expected: [
        ['artifact-flow', expect.stringContaining('download-artifact by name in a reusable workflow')],
      ],
    },
    {
      name: 'artifact-ids that are not the upload step output',
      parts: {
        buildOutputs:
          '      artifact-id: ${{ steps.b.outputs.id }}\n      image-id: ${{ steps.b.outputs.id }}',
      },
      expected: [
        [
          'artifact-flow',
          expect.stringContaining('does not come from the artifact-id output of an upload step'),
        ],
      ],
    },
  ])('$name', ({ parts, expected }) => {
    expect(rulesOf(workflow(parts))).toEqual(expected);
  });

  test('a workflow that is not reusable may name artifacts as it likes', () => {
    const text = workflow({
      trigger: '  push:',
      uploadWith: '          name: image\n          path: x',
      downloadWith: '          name: image',
      pushWith: '          tags: x',
    });
    expect(rulesOf(text)).toEqual([]);
  });
});

describe('rerun-push', () => {
  test('no reuse-existing and no check of the loaded image', () => {
    expect(rulesOf(workflow({ pushWith: '          tags: latest' }))).toEqual([
      ['rerun-push', expect.stringContaining('without reuse-existing')],
      ['rerun-push', expect.stringContaining('set expected-image-id')],
    ]);
  });
});

describe('deploy-image', () => {
  test.each([
    { image: 'api:1cdcfc3', message: 'deploys the fixed reference "api:1cdcfc3"' },
    { image: '${{ needs.push.outputs.tag-uri }}', message: "deploys ecr-push's image-uri (a tag can move)" },
    { image: '${{ needs.plan.outputs.key }}', message: 'deploys needs.plan.outputs.key, not ecr-push' },
  ])('$image', ({ image, message }) => {
    expect(rulesOf(workflow({ deployImage: image }))).toEqual([
      ['deploy-image', expect.stringContaining(message)],
    ]);
  });
});

describe('concurrency', () => {
  test.each([
    {
      name: 'a deploy in no group',
      parts: { deployConcurrency: '    timeout-minutes: 30' },
      expected: [['deploy-concurrency', expect.stringContaining('deploys with no concurrency group')]],
    },
    {
      name: 'a deploy group that cancels in progress',
      parts: {
        deployConcurrency:
          '    concurrency:\n      group: d-${{ needs.plan.outputs.key }}\n      cancel-in-progress: true\n      queue: max',
      },
      expected: [['deploy-concurrency', expect.stringContaining('cancel-in-progress: true')]],
    },
    {
      name: 'a deploy group that keeps one pending job (the default queue: single): the newest can be dropped',
      parts: {
        deployConcurrency:
          '    concurrency:\n      group: d-${{ needs.plan.outputs.key }}\n      cancel-in-progress: false',
      },
      expected: [
        [
          'deploy-concurrency',
          'job "deploy" deploys in the group "d-${{ needs.plan.outputs.key }}" without queue: max: GitHub keeps one pending job per group and cancels it when another queues, whichever commit is newer, so the newest deploy can be dropped; add queue: max (every waiting deploy kept, in the order they came)',
        ],
      ],
    },
    {
      name: 'queue: single said out loud',
      parts: {
        deployConcurrency:
          '    concurrency:\n      group: d-${{ needs.plan.outputs.key }}\n      queue: single',
      },
      expected: [['deploy-concurrency', expect.stringContaining('without queue: max')]],
    },
    {
      name: 'a deploy group from the raw inputs (name vs ARN)',
      parts: {
        deployConcurrency: '    concurrency:\n      group: deploy-${{ inputs.service }}\n      queue: max',
      },
      expected: [
        [
          'deploy-concurrency',
          expect.stringContaining('a name and an ARN of one service land in different groups'),
        ],
      ],
    },
    {
      name: 'a job in the group its workflow holds',
      parts: {
        top: 'concurrency: deploy-x',
        deployConcurrency: '    concurrency:\n      group: deploy-x\n      queue: max',
      },
      expected: [['concurrency-deadlock', expect.stringContaining('GitHub cancels the run as a deadlock')]],
    },
  ])('$name', ({ parts, expected }) => {
    expect(rulesOf(workflow(parts))).toEqual(expected);
  });

  test('a rollback workflow in a group is a finding; one keyed by the run is not', () => {
    const rollback = (top: string) =>
      `on: workflow_dispatch\n${top}\npermissions: {}\njobs:\n  rollback:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: hokusai/actions/actions/auto-rollback@v1\n        with: {cluster: c, service: s}\n`;
    expect(rulesOf(rollback('concurrency: ecs-prod-api'))).toEqual([
      ['rollback-concurrency', expect.stringContaining('a waiting rollback can be dropped')],
    ]);
    expect(rulesOf(rollback('concurrency: rollback-${{ github.run_id }}'))).toEqual([]);
    expect(rulesOf(rollback(''))).toEqual([]);
  });
});

test('referencesOf reads needs, steps and inputs references from expressions only', () => {
  expect(
    referencesOf(
      'x-${{ needs.push.outputs.image-uri-with-digest || inputs.image }} steps.a.outputs.b ${{ steps.s.outputs.o }}',
    ),
  ).toEqual([
    { context: 'needs', id: 'push', output: 'image-uri-with-digest' },
    { context: 'inputs', id: 'image' },
    { context: 'steps', id: 's', output: 'o' },
  ]);
});

test('the reusable workflows as they were before issue 13: every fault it lists is a finding', () => {
  const deploy = lintDeployFlow(
    readFileSync(path.join(FIXTURES, 'deploy-ecs.before-issue-13.yml'), 'utf8'),
    'deploy',
  );
  const rollback = lintDeployFlow(
    readFileSync(path.join(FIXTURES, 'rollback-ecs.before-issue-13.yml'), 'utf8'),
    'rollback',
  );
  expect([...deploy, ...rollback].map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([
    'deploy:191 artifact-flow', // overwrite: true
    'deploy:188 artifact-flow', // "hokusai-image" in every call
    'deploy:188 artifact-flow', // no run_attempt
    'deploy:206 artifact-flow', // downloaded by name
    'deploy:219 rerun-push', // no reuse of the commit's IMMUTABLE tag
    'deploy:219 rerun-push', // the loaded image not checked
    'deploy:251 deploy-image', // the short-SHA tag deployed
    'deploy:100 deploy-concurrency', // a pending deploy dropped by the next, whichever is newer
    'deploy:100 deploy-concurrency', // name vs ARN
    'deploy:100 rollback-concurrency', // probe-failure rollback in the shared group
    'rollback:89 rollback-concurrency', // the manual rollback droppable by a deploy
  ]);
});
