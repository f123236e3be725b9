// The README's Dockerfile recipe ("A Dockerfile that refuses to build an app that cannot import"), built with the
// real Docker engine from the demo's example API: the incident's commit does not build, the fix does. The recipe is
// read from README.md; only what this machine cannot have changes (no Docker Hub: the local Python base image; no
// PyPI and no requirements.txt: the pip lines).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PYTHON_BASE_IMAGE, repoRoot, requireDocker, requirePythonBaseImage } from '@hokusai/action-harness';

const EXAMPLE = path.join(repoRoot, 'packages', 'demo', 'example-api');
const temp = mkdtempSync(path.join(tmpdir(), 'hokusai-dockerfile-recipe-'));
const tags: string[] = [];

beforeAll(() => {
  requireDocker();
  requirePythonBaseImage();
});
afterAll(() => {
  if (tags.length) spawnSync('docker', ['image', 'rm', '-f', ...tags]);
  rmSync(temp, { recursive: true, force: true });
});

function recipe(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('### A Dockerfile that refuses to build an app that cannot import'),
  );
  const block = /```dockerfile\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md: the Dockerfile recipe is gone');
  return block
    .replace(/^FROM python:3\.12-slim$/m, `FROM ${PYTHON_BASE_IMAGE}`)
    .replace(/^COPY requirements\.txt \.\n/m, '')
    .replace(/^RUN python3 -m pip install .*\n/m, '');
}

function build(kind: 'broken' | 'fixed') {
  const dir = path.join(temp, kind);
  cpSync(path.join(EXAMPLE, 'src'), path.join(dir, 'src'), { recursive: true });
  const broken = path.join(dir, 'src', 'services', 'model_registry.py.broken');
  if (kind === 'broken') cpSync(broken, path.join(dir, 'src', 'services', 'model_registry.py'));
  rmSync(broken);
  writeFileSync(path.join(dir, 'Dockerfile'), recipe());
  const tag = `hokusai-recipe-${kind}-${randomBytes(4).toString('hex')}:test`;
  tags.push(tag);
  return spawnSync('docker', ['build', '-t', tag, dir], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  });
}

test('the recipe keeps its check: compile everything, import the entry point', () => {
  expect(recipe()).toContain(
    'RUN python3 -m compileall -q src && API_KEY=build-check python3 -c "from src.api.main import app"',
  );
});

test("the incident's commit does not build, and the build log says where", () => {
  const result = build('broken');
  expect(result.status).not.toBe(0);
  expect(`${result.stdout}${result.stderr}`).toMatch(
    /model_registry\.py.*line 26|line 26.*model_registry\.py/s,
  );
  expect(`${result.stdout}${result.stderr}`).toContain('SyntaxError');
});

test('the fix builds', () => {
  const result = build('fixed');
  expect(`${result.stderr}`).not.toContain('SyntaxError');
  expect(result.status).toBe(0);
});
