import { afterEach, describe, expect, test } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDefaults, runAction, type ActionRun } from '../src/run-action.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'echo-action');
const runs: ActionRun[] = [];
afterEach(async () => {
  await Promise.all(runs.splice(0).map((r) => r.cleanup()));
});
async function run(options: Omit<Parameters<typeof runAction>[0], 'action'> = {}) {
  const result = await runAction({ action: fixture, ...options });
  runs.push(result);
  return result;
}

describe('runAction', () => {
  test('fills action.yml defaults as the runner does', () => {
    expect(actionDefaults(fixture)).toEqual({
      greeting: 'hello',
      secret: '',
      'exit-code': '0',
      'sleep-ms': '0',
    });
  });

  test('reads outputs, summary, exported env, annotations and the exit code', async () => {
    const result = await run({ inputs: { greeting: 'hi' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.greeting).toBe('hi\nsecond line');
    expect(result.outputs.cwd).toBe(path.join(result.runnerTemp, path.basename(result.outputs.cwd!)));
    expect(result.summary).toBe('| a |\n| --- |\n| 1 |\n');
    expect(result.exportedEnv).toEqual({ EXPORTED: 'yes' });
    expect(result.annotations).toEqual([
      {
        level: 'error',
        title: 'SyntaxError',
        file: 'src/a b,c.py',
        line: 26,
        col: 5,
        message: 'invalid syntax 100%\nnext',
      },
      { level: 'warning', message: 'plain warning' },
    ]);
    expect(result.stderr).toBe('to stderr\n');
  });

  test('runs the bundle on the Node.js major the runner uses (node24)', async () => {
    const result = await run();
    expect(result.outputs['node-major']).toBe('24');
  });

  test('masks registered secrets in the log and reports where they leaked', async () => {
    const result = await run({ inputs: { secret: 'hunter2-value' } });
    expect(result.masks).toEqual(['hunter2-value']);
    expect(result.log).toContain('the secret is ***');
    expect(result.log).not.toContain('hunter2-value');
    expect(result.leaksOf('hunter2-value')).toEqual(['the secret is hunter2-value']);
  });

  test('secretLeaks finds a secret in outputs and temp files too, not in the ::add-mask:: line', async () => {
    const result = await run({ inputs: { secret: 'hunter2-value', greeting: 'hi hunter2-value' } });
    await writeFile(path.join(result.runnerTemp, 'report.json'), '{"x": "hunter2-value"}');
    expect(await result.secretLeaks('hunter2-value')).toEqual([
      'log: the secret is hunter2-value',
      'output greeting',
      'file report.json',
    ]);
    expect(await result.secretLeaks('not-there')).toEqual([]);
  });

  test('commandLines holds every line that parses as a command, the runner files excepted', async () => {
    const result = await run();
    expect(result.commandLines.map((c) => c.command)).toEqual(['error', 'warning']);
  });

  test('reports a non-zero exit code', async () => {
    expect((await run({ inputs: { 'exit-code': '3' } })).exitCode).toBe(3);
  });

  test('kills a run that exceeds its timeout and says so', async () => {
    const result = await run({ inputs: { 'sleep-ms': '60000' }, timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
  });

  test('fails loudly when the bundle is missing', async () => {
    await expect(runAction({ action: path.join(fixture, 'no-such-action') })).rejects.toThrow(
      /dist\/index.js does not exist: run "pnpm build" first/,
    );
  });
});
