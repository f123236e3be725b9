import { describe, expect, test } from '@jest/globals';
import { actionInterfaceOf, checkSuiteActionUsage, suiteActionName } from '../src/suite-action-usage.js';

const ECR_PUSH = actionInterfaceOf(`name: ecr-push
inputs:
  image: {description: x, required: true}
  repository: {description: x, required: true}
  tags: {description: x, required: false, default: ''}
  retries: {description: x, required: true, default: '2'}
outputs:
  image-uri: {description: x}
  digest: {description: x}
`);
const ACTIONS = new Map([['ecr-push', ECR_PUSH]]);

const workflow = (steps: string) =>
  `on: push\njobs:\n  push:\n    runs-on: ubuntu-latest\n    outputs:\n      uri: \${{ steps.push.outputs.image-uri }}\n    steps:\n${steps}`;

describe('suiteActionName', () => {
  test.each([
    ['./actions/ecr-push', 'ecr-push'],
    ['hokusai/actions/actions/ecr-push@v1', 'ecr-push'],
    ['hokusai/ecr-push@v1', undefined],
    ['actions/checkout@v5', undefined],
    ['./.github/actions/setup', undefined],
  ])('%s -> %s', (uses, expected) => expect(suiteActionName(uses)).toBe(expected));
});

test('actionInterfaceOf reads inputs (required, default) and outputs', () => {
  expect(ECR_PUSH).toEqual({
    inputs: [
      { name: 'image', required: true, hasDefault: false },
      { name: 'repository', required: true, hasDefault: false },
      { name: 'tags', required: false, hasDefault: true },
      { name: 'retries', required: true, hasDefault: true },
    ],
    outputs: ['image-uri', 'digest'],
  });
});

describe('checkSuiteActionUsage', () => {
  test.each([
    {
      name: 'correct inputs and outputs',
      steps:
        '      - id: push\n        uses: ./actions/ecr-push\n        with:\n          image: a:b\n          repository: r\n      - env:\n          D: ${{ steps.push.outputs.digest }}\n        run: echo "$D"\n',
      expected: [],
    },
    {
      name: 'a misspelt input',
      steps:
        '      - id: push\n        uses: hokusai/actions/actions/ecr-push@v1\n        with:\n          image: a:b\n          repository: r\n          tag: x\n',
      expected: [[13, 'actions/ecr-push has no input "tag"']],
    },
    {
      name: 'a required input missing',
      steps: '      - id: push\n        uses: ./actions/ecr-push\n        with:\n          image: a:b\n',
      expected: [[9, 'actions/ecr-push needs input "repository" (required, no default)']],
    },
    {
      name: 'an output that does not exist',
      steps:
        '      - id: push\n        uses: ./actions/ecr-push\n        with:\n          image: a:b\n          repository: r\n      - env:\n          D: ${{ steps.push.outputs.sha }}\n        run: echo "$D"\n',
      expected: [[14, 'actions/ecr-push has no output "sha" (step "push")']],
    },
    {
      name: 'an action that does not exist',
      steps: '      - uses: ./actions/ecr-pusher\n',
      expected: [[8, 'uses: names actions/ecr-pusher, which has no action.yml in this repository']],
    },
  ])('$name', ({ steps, expected }) => {
    const findings = checkSuiteActionUsage(workflow(steps), 'w.yml', ACTIONS);
    expect(findings.map((f) => [f.line, f.message])).toEqual(expected);
  });
});
