// Finds out which interpreter the `python` input names, before any work: a clear error beats a pool of failures.
import { execFile } from 'node:child_process';
import { ConfigurationError, shorten } from '@hokusai/action-kit';

export interface Interpreter {
  /** What the user wrote (a name on PATH or a path). */
  command: string;
  executable: string;
  /** e.g. "3.11.7" */
  version: string;
  implementation: string;
}

// Valid Python 2 and 3, so that a Python 2 interpreter is named as such instead of failing with a traceback.
const PROBE =
  'import sys, platform; sys.stdout.write("%d.%d.%d\\n%s\\n%s\\n" % (sys.version_info[0], sys.version_info[1], ' +
  'sys.version_info[2], sys.executable, platform.python_implementation()))';

/** The oldest Python whose SyntaxError the worker program understands. */
export const MINIMUM_VERSION: [number, number] = [3, 6];

export function probeInterpreter(command: string, env?: NodeJS.ProcessEnv): Promise<Interpreter> {
  return new Promise((resolve, reject) => {
    execFile(command, ['-c', PROBE], { env, timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? 'not found (is it installed and on PATH? e.g. use actions/setup-python first)'
            : code === 'EACCES'
              ? 'is not executable'
              : `failed: ${(stderr || error.message).trim().split('\n').pop()}`;
        reject(new ConfigurationError(`input "python": interpreter ${shorten(command)} ${why}`));
        return;
      }
      const [version = '', executable = '', implementation = ''] = stdout.split('\n');
      if (!/^\d+\.\d+\.\d+$/.test(version)) {
        reject(
          new ConfigurationError(
            `input "python": ${shorten(command)} ran but did not answer like a Python interpreter (no version)`,
          ),
        );
        return;
      }
      const [major = 0, minor = 0] = version.split('.').map(Number);
      if (major < MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1])) {
        reject(
          new ConfigurationError(
            `input "python": interpreter ${shorten(command)} is Python ${version}; ` +
              `python-syntax-check needs Python ${MINIMUM_VERSION.join('.')} or later`,
          ),
        );
        return;
      }
      resolve({ command, executable: executable || command, version, implementation });
    });
  });
}
