// Loud checks for what the tests need from the machine: a missing prerequisite fails with how to install it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

export function requireCommand(command: string, installHint: string): string {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  const where = found.stdout.trim();
  if (found.status !== 0 || where === '') {
    throw new Error(`prerequisite missing: "${command}" is not on PATH. Install it: ${installHint}`);
  }
  return where;
}

/** The Docker engine must answer; the tests never skip silently without it. */
export function requireDocker(): void {
  requireCommand('docker', 'apt-get install docker.io (or run .ci/run, which installs and starts dockerd)');
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (info.status !== 0) {
    throw new Error(
      `prerequisite missing: the Docker engine does not answer (${info.stderr.trim().split('\n')[0]}). ` +
        'Start it: dockerd >/tmp/dockerd.log 2>&1 & (or run .ci/run)',
    );
  }
}

/** The base image the tests build Python images from (made by bin/build-python-base-image.sh; no Docker Hub here). */
export const PYTHON_BASE_IMAGE = 'hokusai-test/python-base:bookworm';

export function requirePythonBaseImage(): string {
  requireDocker();
  const inspect = spawnSync('docker', ['image', 'inspect', PYTHON_BASE_IMAGE], { encoding: 'utf8' });
  if (inspect.status !== 0) {
    throw new Error(
      `prerequisite missing: docker image ${PYTHON_BASE_IMAGE}. Build it: ` +
        'bash packages/action-harness/bin/build-python-base-image.sh (or run .ci/run)',
    );
  }
  return PYTHON_BASE_IMAGE;
}

export interface PythonInterpreter {
  version: string;
  /** major.minor, e.g. "3.12" */
  minor: string;
  executable: string;
}

/**
 * The CPython interpreters installed with pyenv whose minor version is within [from, to] (e.g. 3.8 to 3.13),
 * one per minor version. Throws when none is found.
 */
export function findPythons(from = '3.8', to = '3.13'): PythonInterpreter[] {
  const root = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  const versionsDir = path.join(root, 'versions');
  const key = (minor: string) => minor.split('.').map(Number) as [number, number];
  const cmp = (a: string, b: string) => {
    const [a1, a2] = key(a);
    const [b1, b2] = key(b);
    return a1 - b1 || a2 - b2;
  };
  const found = new Map<string, PythonInterpreter>();
  if (existsSync(versionsDir)) {
    for (const version of readdirSync(versionsDir).sort()) {
      const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
      if (!match) continue;
      const minor = `${match[1]}.${match[2]}`;
      const executable = path.join(versionsDir, version, 'bin', 'python3');
      if (cmp(minor, from) < 0 || cmp(minor, to) > 0 || !existsSync(executable)) continue;
      found.set(minor, { version, minor, executable });
    }
  }
  if (found.size === 0) {
    throw new Error(
      `prerequisite missing: no CPython ${from}..${to} under ${versionsDir}. Install them with pyenv (pyenv install 3.12)`,
    );
  }
  return [...found.values()];
}

/** The version string of an interpreter, e.g. "3.11.7". */
export function pythonVersion(executable: string): string {
  return execFileSync(executable, ['-c', 'import sys; print(".".join(map(str, sys.version_info[:3])))'], {
    encoding: 'utf8',
  }).trim();
}
