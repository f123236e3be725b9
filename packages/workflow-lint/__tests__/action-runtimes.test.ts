import { describe, expect, test } from '@jest/globals';
import { firstNode24Release, runtimeOf } from '../src/action-runtimes.js';
import { lintWorkflow } from '../src/workflow-rules.js';

describe('runtimeOf', () => {
  test.each([
    ['actions/upload-artifact', 'v4.6.2', 'node20'],
    ['actions/upload-artifact', 'v5.0.0', 'node20'],
    ['actions/upload-artifact', 'v6.0.0', 'node24'],
    ['actions/upload-artifact', 'v7.0.0', 'node24'],
    ['actions/download-artifact', 'v4.3.0', 'node20'],
    ['actions/download-artifact', 'v6', 'node20'],
    ['actions/download-artifact', 'v3.1.0', 'node24'], // the 2026 backport
    ['actions/download-artifact', 'v8.0.1', 'node24'],
    ['aws-actions/configure-aws-credentials', 'v5.0.0', 'node20'],
    ['aws-actions/configure-aws-credentials', 'v6.2.3', 'node24'],
    ['actions/create-github-app-token', 'v2.1.0', 'node24'],
    ['actions/create-github-app-token', 'v2.2.2', 'node20'],
    ['actions/create-github-app-token', 'v3.1.1', 'node24'],
    ['pnpm/action-setup', 'v4.2.0', 'node20'],
    ['actions/checkout', 'v4.2.2', 'node20'],
    ['actions/checkout', '5.0.0', 'node24'],
    ['Actions/Checkout', 'v7.0.1', 'node24'],
    ['actions/setup-python', 'v5', 'node20'],
    ['actions/setup-node', 'v3.8.1', 'node16'],
  ])('%s %s -> %s', (action, version, runtime) => {
    expect(runtimeOf(action, version)?.runtime).toBe(runtime);
  });

  test.each([
    ['pnpm/setup', 'v2.0.2'],
    ['pnpm/action-setup', 'v6.1.0'],
    ['someone/else', 'v1.0.0'],
    ['actions/checkout', 'main'],
  ])('%s %s is not in the table', (action, version) => {
    expect(runtimeOf(action, version)).toBeUndefined();
  });

  test('a sub-path action is looked up by its repository', () => {
    expect(runtimeOf('actions/cache/restore', 'v4.0.0')).toBeUndefined();
    expect(runtimeOf('actions/checkout/sub', 'v4.0.0')?.runtime).toBe('node20');
  });

  test('firstNode24Release names the open-ended node24 range', () => {
    expect(firstNode24Release('actions/download-artifact')).toBe('v7.0.0');
    expect(firstNode24Release('pnpm/action-setup')).toBeUndefined();
  });
});

describe('the action-runtime rule', () => {
  const SHA = 'ea165f8d65b6e75b540449e92b4886f43607fa02';
  const workflow = (uses: string) =>
    `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}\n`;

  test('a node20 release is a finding at its line, naming the release to move to', () => {
    const findings = lintWorkflow(workflow(`actions/upload-artifact@${SHA} # v4.6.2`), 'w.yml');
    expect(findings).toEqual([
      {
        file: 'w.yml',
        line: 7,
        message:
          "actions/upload-artifact v4.6.2 runs on node20, which GitHub's runner no longer has: pin v6.0.0 or later (node24)",
        rule: 'action-runtime',
      },
    ]);
  });

  test('a node24 release and an unknown action pass', () => {
    expect(lintWorkflow(workflow(`actions/upload-artifact@${SHA} # v7.0.0`), 'w.yml')).toEqual([]);
    expect(lintWorkflow(workflow(`pnpm/setup@${SHA} # v2.0.2`), 'w.yml')).toEqual([]);
  });

  test('pnpm/action-setup 4.x has no node24 release to name', () => {
    const [finding] = lintWorkflow(workflow(`pnpm/action-setup@${SHA} # v4.2.0`), 'w.yml');
    expect(finding?.message).toBe(
      "pnpm/action-setup v4.2.0 runs on node20, which GitHub's runner no longer has",
    );
  });
});
