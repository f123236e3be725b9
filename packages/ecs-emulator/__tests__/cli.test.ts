// The CLI as `pnpm emulator` runs it: prints the endpoint when ready, serves the SDK, stops on SIGTERM; bad
// arguments and bad scenarios fail with one line and exit code 2.
import { describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { clientsFor, destroyClients } from './sdk-clients.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const cli = path.join(root, 'packages/ecs-emulator/src/cli.ts');

describe('cli', () => {
  test('starts a shipped scenario by name, prints the endpoint, serves the SDK, exits 0 on SIGTERM', async () => {
    const child = spawn(
      tsx,
      [cli, '--scenario', 'incident-crash-on-import', '--port', '0', '--time-scale', '5'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no endpoint line within 30 s; stderr: ${stderr}`)),
        30_000,
      );
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        const match = /ECS emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const c = clientsFor(endpoint);
    try {
      const out = await c.ecs.send(
        new DescribeServicesCommand({ cluster: 'hokusai', services: ['hokusai-api'] }),
      );
      expect(out.services![0]!.taskDefinition).toMatch(/hokusai-api:108$/);
    } finally {
      destroyClients(c);
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-emulator-cli-'));
  writeFileSync(
    path.join(dir, 'bad.yaml'),
    'clusters: [{name: c}]\nservices:\n  - {name: a, cluster: c, taskDefinition: t, desiredCount: two}\n',
  );
  test.each([
    { name: 'no --scenario', args: [], error: /^ecs-emulator: --scenario is required$/m },
    {
      name: 'a malformed scenario',
      args: ['--scenario', path.join(dir, 'bad.yaml')],
      error: /^ecs-emulator: bad\.yaml: services\[0\]\.desiredCount: expected an integer$/m,
    },
    {
      name: 'a missing file',
      args: ['--scenario', path.join(dir, 'nope.yaml')],
      error: /^ecs-emulator: .*nope\.yaml: cannot read scenario file \(ENOENT\)$/m,
    },
    {
      name: 'a bad port',
      args: ['--scenario', 'healthy-rollout', '--port', 'abc'],
      error: /^ecs-emulator: invalid --port "abc": expected an integer 0-65535$/m,
    },
    {
      name: 'a bad time scale',
      args: ['--scenario', 'healthy-rollout', '--time-scale', '0'],
      error: /^ecs-emulator: invalid --time-scale "0": expected a number > 0$/m,
    },
    {
      name: 'an unknown option',
      args: ['--scenari', 'x'],
      error: /^ecs-emulator: Unknown option '--scenari'/m,
    },
  ])('$name: one line, exit code 2, no stack trace', ({ args, error }) => {
    const run = spawnSync(tsx, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(error);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
