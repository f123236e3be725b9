// Issue 12, end to end: file names written to be executed by the runner (`::error::…`, `##[error]…`, a name with a
// line break) in a repository with syntax errors. The bundled action reports each file; no line it prints is a
// command a file name made, and the summary keeps each name inside its table cell.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPythons, injectedCommands, runAction, type ActionRun } from '@hokusai/action-harness';

const NAMES = [
  '::error::INJECTED-1.py',
  '   ::warning::INJECTED-2.py',
  '##[error]INJECTED-3.py',
  'ok\n::error::INJECTED-4.py',
  'ok\r::notice::INJECTED-5.py',
  '::add-mask::hokusai.py',
  '::stop-commands::INJECTEDTOKEN.py',
  'pipe | and ``ticks``.py',
];
const python = findPythons('3.12', '3.13')[0]!.executable;
let workspace: string;
let run: ActionRun;
beforeAll(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'psc-injection-'));
  for (const name of NAMES) writeFileSync(path.join(workspace, name), 'def broken(:\n    pass\n');
  run = await runAction({ action: 'python-syntax-check', workspace, inputs: { python }, timeoutMs: 120_000 });
}, 150_000);
afterAll(async () => {
  await run?.cleanup();
  rmSync(workspace, { recursive: true, force: true });
});

describe('python-syntax-check with hostile file names', () => {
  test('every file is reported broken', () => {
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-count']).toBe(String(NAMES.length));
    expect(
      run.annotations
        .filter((a) => a.level === 'error' && a.file)
        .map((a) => a.file)
        .sort(),
    ).toEqual([...NAMES].sort());
  });
  test('no line of stdout or stderr is a command a file name made', () => {
    expect(injectedCommands(run)).toEqual([]);
    expect(run.masks).toEqual([]);
  });
  test('the summary keeps each name inside its table cell', () => {
    const rows = run.summary.split('\n').filter((line) => line.startsWith('| `') || line.startsWith('| ``'));
    expect(rows).toHaveLength(NAMES.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
  });
});
