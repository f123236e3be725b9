// The pool's verdict on every crafted file equals each interpreter's own compile() of it (3.8 to 3.13), and a
// worker that dies mid-file costs that one file, not the run.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPythons } from '@hokusai/action-harness';
import { compileFiles, planChunks, type CompileTarget } from '../src/compile-pool.js';
import { CRAFTED } from './crafted-sources.js';
import { oracleVerdict, verdictOf, type OracleVerdict } from './python-oracle.js';

const minorKey = (minor: string) => Number(minor.split('.')[1]);
const pythons = findPythons('3.8', '3.13').sort((a, b) => minorKey(a.minor) - minorKey(b.minor));
let dir: string;
let targets: CompileTarget[];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'psc-crafted-'));
  for (const { name, bytes } of CRAFTED) writeFileSync(path.join(dir, name), bytes);
  targets = CRAFTED.map(({ name, bytes }) => ({ path: name, size: bytes.length }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('every interpreter from 3.8 to 3.13 is installed', () => {
  expect(pythons.map((p) => p.minor)).toEqual(['3.8', '3.9', '3.10', '3.11', '3.12', '3.13']);
});

const oracles = new Map<string, Map<string, OracleVerdict>>();

describe.each(pythons.map((p) => [p.version, p] as const))(
  'crafted sources on Python %s',
  (_version, python) => {
    test('the pool agrees with the interpreter on every file, position and message', async () => {
      const result = await compileFiles(targets, { python: python.executable, cwd: dir, workers: 2 });
      const byPath = new Map(result.failures.map((f) => [f.path, f]));
      const expected = new Map<string, OracleVerdict>();
      for (const { path: file } of targets) expected.set(file, oracleVerdict(python.executable, dir, file));
      oracles.set(python.minor, expected);
      expect(result.checked).toBe(CRAFTED.length);
      for (const { path: file } of targets) {
        expect({ file, verdict: verdictOf(byPath.get(file)) }).toEqual({ file, verdict: expected.get(file) });
      }
      // Not vacuous: this interpreter accepts some crafted files and rejects others.
      const rejected = [...expected.values()].filter((v) => v !== null).length;
      expect(rejected).toBeGreaterThan(10);
      expect(rejected).toBeLessThan(CRAFTED.length - 10);
      expect(result.failures.every((f) => f.category === 'syntax')).toBe(true);
    });

    test('leaves no bytecode behind', () => {
      expect(readdirSync(dir).filter((name) => !name.endsWith('.py'))).toEqual([]);
    });
  },
);

test('the interpreters disagree on some files, so checking with the right one matters', () => {
  const verdicts = (minor: string) =>
    [...(oracles.get(minor)?.entries() ?? [])].map(([f, v]) => `${f}:${v === null}`);
  expect(oracles.size).toBe(pythons.length);
  const oldest = verdicts('3.8');
  const newest = verdicts('3.13');
  expect(oldest).toHaveLength(CRAFTED.length);
  expect(newest).not.toEqual(oldest);
});

test('an unreadable path is reported as such, next to the files that were read', async () => {
  const python = pythons[pythons.length - 1]!.executable;
  mkdirSync(path.join(dir, 'folder.py'), { recursive: true });
  try {
    const result = await compileFiles(
      [
        { path: 'plain.py', size: 10 },
        { path: 'folder.py', size: 10 },
        { path: 'vanished.py', size: 10 },
      ],
      { python, cwd: dir, workers: 1 },
    );
    expect(result.checked).toBe(3);
    expect(result.failures.map((f) => [f.path, f.category, f.kind])).toEqual([
      ['folder.py', 'unreadable', 'IsADirectoryError'],
      ['vanished.py', 'unreadable', 'FileNotFoundError'],
    ]);
    expect(result.failures[1]!.message).toMatch(/No such file/);
  } finally {
    rmSync(path.join(dir, 'folder.py'), { recursive: true });
  }
});

test('a worker killed mid-file costs that file only; the work it was given goes to a fresh worker', async () => {
  const python = pythons[pythons.length - 1]!.executable;
  // A FIFO blocks the worker that opens it until it is killed: a deterministic stand-in for a crash.
  execFileSync('mkfifo', [path.join(dir, 'blocks.py')]);
  const pids: number[] = [];
  try {
    const run = compileFiles(
      [
        // The size only orders the work: the FIFO goes first; the next chunk is already sent when it dies.
        { path: 'blocks.py', size: 1_000_000 },
        { path: 'plain.py', size: 10 },
        { path: 'return_outside_function.py', size: 10 },
      ],
      {
        python,
        cwd: dir,
        workers: 1,
        onWorkerStart: (pid) => {
          pids.push(pid);
          if (pids.length === 1) setTimeout(() => process.kill(pid, 'SIGKILL'), 500);
        },
      },
    );
    const result = await run;
    expect(pids).toHaveLength(2);
    expect(result.failures.map((f) => [f.path, f.category, f.kind])).toEqual([
      ['blocks.py', 'crash', 'InterpreterCrash'],
      ['return_outside_function.py', 'syntax', 'SyntaxError'],
    ]);
    expect(result.failures[0]!.message).toMatch(/killed by SIGKILL/);
  } finally {
    rmSync(path.join(dir, 'blocks.py'));
  }
});

test('a sitecustomize that prints to stdout does not confuse the pool', async () => {
  const python = pythons[pythons.length - 1]!.executable;
  const site = mkdtempSync(path.join(tmpdir(), 'psc-site-'));
  writeFileSync(
    path.join(site, 'sitecustomize.py'),
    'print("hello from sitecustomize")\nprint("[1, 2, 3]")\n',
  );
  try {
    const result = await compileFiles(
      [
        { path: 'plain.py', size: 10 },
        { path: 'return_outside_function.py', size: 10 },
      ],
      { python, cwd: dir, workers: 1, env: { ...process.env, PYTHONPATH: site } },
    );
    expect(result.failures.map((f) => [f.path, f.kind])).toEqual([
      ['return_outside_function.py', 'SyntaxError'],
    ]);
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
});

test('an interpreter that cannot start rejects the run', async () => {
  await expect(
    compileFiles([{ path: 'plain.py', size: 1 }], { python: '/nonexistent/python3', cwd: dir, workers: 1 }),
  ).rejects.toThrow(/ENOENT/);
});

describe('planChunks', () => {
  test.each([
    { name: 'no files', sizes: [], workers: 2, expected: [] },
    { name: 'largest first', sizes: [1, 30, 20], workers: 1, expected: [[1], [2], [0]] },
    { name: 'ties keep input order', sizes: [5, 5, 5, 5], workers: 1, expected: [[0], [1], [2], [3]] },
    {
      name: 'chunks of at most files/(workers*4)',
      sizes: Array.from({ length: 16 }, () => 1),
      workers: 2,
      expected: [
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
        [8, 9],
        [10, 11],
        [12, 13],
        [14, 15],
      ],
    },
    {
      name: 'a chunk stops at 512 KiB',
      sizes: [400_000, 300_000, 100, 100],
      workers: 1,
      expected: [[0], [1], [2], [3]],
    },
  ])('$name', ({ sizes, workers, expected }) => {
    expect(planChunks(sizes, workers)).toEqual(expected);
  });

  test('every file lands in exactly one chunk', () => {
    const sizes = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 100_000);
    const flat = planChunks(sizes, 2).flat();
    expect([...flat].sort((a, b) => a - b)).toEqual(sizes.map((_, i) => i));
  });
});
