// Python scripts without .py (bin/manage, scripts/deploy) are found by their shebang, with the same exclusions and
// .gitignore as .py files; other scripts are not read as Python.
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '@hokusai/action-kit';
import { discoverFiles, isPythonShebang } from '../src/file-discovery.js';
import { openGitRepository } from '../src/git-repository.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'psc-shebang-'));
  roots.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('isPythonShebang', () => {
  test.each([
    ['#!/usr/bin/env python3', true],
    ['#!/usr/bin/env python', true],
    ['#!/usr/bin/python3.12 -u', true],
    ['#! /usr/local/bin/python3', true],
    ['#!/usr/bin/env -S python3 -X dev', true],
    ['#!python3\r', true],
    ['#!/usr/bin/env pypy3', true],
    ['#!/usr/bin/env -S uv run --script', true],
    ['#!/bin/bash', false],
    ['#!/usr/bin/env bash', false],
    ['#!/usr/bin/env node', false],
    ['#!/usr/bin/env pythonista', false],
    ['#!/usr/bin/env uv run', false],
    ['# python3', false],
    ['import os', false],
    ['', false],
  ])('%j -> %s', (line, expected) => expect(isPythonShebang(line)).toBe(expected));
});

describe('discovery', () => {
  const files = {
    'app.py': 'x = 1\n',
    'bin/manage': '#!/usr/bin/env python3\nimport sys\n',
    'bin/deploy': '#!/bin/bash\necho deploy\n',
    'bin/tool.sh': '#!/usr/bin/env python3\n', // an extension: not guessed at
    'bin/.hidden': '#!/usr/bin/env python3\n',
    'bin/data': '\u0000\u0001binary',
    'bin/empty': '',
    'tools/generated/gen': '#!/usr/bin/env python3\n',
    'vendor/thing': '#!/usr/bin/python3\n',
    'node_modules/pkg/cli': '#!/usr/bin/env python3\n',
  };

  test('finds the Python shebang scripts and lists them', async () => {
    const result = await discoverFiles({
      workspace: tree(files),
      paths: ['.'],
      exclude: [],
      git: null,
      respectGitignore: true,
      logger: new MemoryLogger(),
    });
    expect(result.files.map((f) => f.path)).toEqual([
      'app.py',
      'bin/manage',
      'tools/generated/gen',
      'vendor/thing',
    ]);
    expect(result.shebangScripts).toEqual(['bin/manage', 'tools/generated/gen', 'vendor/thing']);
    expect(result.files.find((f) => f.path === 'bin/manage')?.size).toBe(files['bin/manage'].length);
  });

  test('exclude patterns and .gitignore apply to them as to .py files', async () => {
    const dir = tree({ ...files, '.gitignore': 'vendor/\n' });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const probe = await openGitRepository(dir);
    const result = await discoverFiles({
      workspace: dir,
      paths: ['.'],
      exclude: ['generated'],
      git: probe.repository,
      respectGitignore: true,
      logger: new MemoryLogger(),
    });
    expect(result.shebangScripts).toEqual(['bin/manage']);
    expect(result.gitIgnored).toBeGreaterThanOrEqual(1);
  });

  test('a glob for .py files does not pull scripts in; a glob that names them does', async () => {
    const dir = tree(files);
    const discover = (paths: string[]) =>
      discoverFiles({
        workspace: dir,
        paths,
        exclude: [],
        git: null,
        respectGitignore: true,
        logger: new MemoryLogger(),
      });
    expect((await discover(['**/*.py'])).files.map((f) => f.path)).toEqual(['app.py']);
    expect((await discover(['bin/*'])).shebangScripts).toEqual(['bin/manage']);
  });
});
