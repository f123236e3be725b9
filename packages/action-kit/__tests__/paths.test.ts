import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { confinePath } from '../src/paths.js';

const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'confine-')));
const workspace = path.join(root, 'workspace');
const runnerTemp = path.join(root, 'temp');
const outside = path.join(root, 'outside');
for (const dir of [workspace, runnerTemp, outside, path.join(workspace, 'sub')])
  mkdirSync(dir, { recursive: true });
writeFileSync(path.join(workspace, 'task.json'), '{}');
writeFileSync(path.join(runnerTemp, 'rendered.json'), '{}');
writeFileSync(path.join(outside, 'secret.json'), 'root:x:0:0:root:/root:/bin/bash');
symlinkSync(path.join(outside, 'secret.json'), path.join(workspace, 'link.json'));
symlinkSync(outside, path.join(workspace, 'linkdir'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const options = { workspace, runnerTemp, kind: 'file' as const };

describe('confinePath', () => {
  test.each([
    ['task.json', path.join(workspace, 'task.json')],
    ['./sub/../task.json', path.join(workspace, 'task.json')],
    [path.join(runnerTemp, 'rendered.json'), path.join(runnerTemp, 'rendered.json')],
  ])('%s is allowed', (value, expected) => {
    expect(confinePath(value, 'task-definition', options)).toBe(expected);
  });

  test.each([
    ['../outside/secret.json', "is outside the workspace or the runner's temp folder"],
    [path.join(outside, 'secret.json'), 'is outside'],
    ['/etc/passwd', 'is outside'],
    ['link.json', 'is outside'],
    ['linkdir/secret.json', 'is outside'],
    ['missing.json', 'does not exist'],
    ['sub', 'is not a file'],
    ['a\u0000b', 'invalid path'],
  ])('%s is refused: %s', (value, why) => {
    let message = '';
    try {
      confinePath(value, 'task-definition', options);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(why);
    expect(message).toContain('input "task-definition"');
    expect(message).not.toContain('root:x');
  });

  test('a directory, a missing path under the workspace, and the workspace alone without RUNNER_TEMP', () => {
    expect(confinePath('sub', 'working-directory', { workspace, kind: 'directory' })).toBe(
      path.join(workspace, 'sub'),
    );
    expect(confinePath('new/report.json', 'report', { workspace, kind: 'any' })).toBe(
      path.join(workspace, 'new/report.json'),
    );
    expect(() =>
      confinePath(path.join(runnerTemp, 'rendered.json'), 'task-definition', { workspace, kind: 'file' }),
    ).toThrow('is outside the workspace;');
  });
});
