import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@hokusai/action-harness';
import { floatingSuiteActions, pinSuiteActions } from '../src/pin-suite-actions.js';

const SHA = '9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d';

test('suite uses: of any form get the commit and the version; other uses: and lines stay byte for byte', () => {
  const text = [
    'steps:',
    '  - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
    '  - name: Push',
    '    uses: hokusai/actions/actions/ecr-push@v1',
    "  - uses: 'hokusai/actions/actions/import-smoke-test@main' # floating",
    '  - uses: hokusai/ecr-push@v1',
    '  - uses: hokusai/actions/actions/auto-rollback@0123456789abcdef0123456789abcdef01234567 # v1.2.0',
    '    with: { to: "hokusai/actions/actions/x@v1" }',
  ].join('\n');
  const result = pinSuiteActions(text, SHA, 'v1.3.0');
  expect(result.text.split('\n')).toEqual([
    'steps:',
    '  - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
    '  - name: Push',
    `    uses: hokusai/actions/actions/ecr-push@${SHA} # v1.3.0`,
    `  - uses: 'hokusai/actions/actions/import-smoke-test@${SHA}' # v1.3.0`,
    '  - uses: hokusai/ecr-push@v1',
    `  - uses: hokusai/actions/actions/auto-rollback@${SHA} # v1.3.0`,
    '    with: { to: "hokusai/actions/actions/x@v1" }',
  ]);
  expect(result.pinned).toEqual([
    { line: 4, action: 'ecr-push', from: 'v1' },
    { line: 5, action: 'import-smoke-test', from: 'main' },
    { line: 7, action: 'auto-rollback', from: '0123456789abcdef0123456789abcdef01234567' },
  ]);
  expect(floatingSuiteActions(text)).toEqual([4, 5]);
  expect(floatingSuiteActions(result.text)).toEqual([]);
});

test("the reusable workflows' every suite action is pinned, and nothing else in them changes", () => {
  for (const name of ['deploy-ecs.yml', 'rollback-ecs.yml']) {
    const text = readFileSync(path.join(repoRoot, '.github', 'workflows', name), 'utf8');
    const uses = text.match(/uses: hokusai\/actions\/actions\/[\w-]+@\S+/g) ?? [];
    const result = pinSuiteActions(text, SHA, 'v1.3.0');
    expect(result.pinned).toHaveLength(uses.length);
    expect(uses.length).toBeGreaterThan(0);
    expect(floatingSuiteActions(result.text)).toEqual([]);
    const changed = result.text.split('\n').filter((line, i) => line !== text.split('\n')[i]);
    expect(changed).toHaveLength(uses.length);
  }
});

test('a commit that is not a full SHA is refused', () => {
  expect(() => pinSuiteActions('', 'v1', 'v1.0.0')).toThrow('is not a full commit SHA');
});
