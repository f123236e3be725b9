import { describe, expect, test } from '@jest/globals';
import {
  annotationLocation,
  pathRootsFor,
  toWorkspacePath,
  type PathRoot,
  type SourceLocation,
} from '../src/source-location.js';
import type { HarnessError, TracebackFrame } from '../src/harness-result.js';

const host: PathRoot[] = [{ from: '/home/runner/work/api/api', to: '' }];
// In an image: the container's WORKDIR /app was built from the workspace folder `service`.
const image: PathRoot[] = [{ from: '/app', to: 'service' }];

describe('toWorkspacePath', () => {
  test.each([
    {
      name: 'a file in the workspace',
      file: '/home/runner/work/api/api/src/a.py',
      roots: host,
      expected: 'src/a.py',
    },
    {
      name: 'outside the workspace',
      file: '/usr/lib/python3.12/socket.py',
      roots: host,
      expected: undefined,
    },
    {
      name: 'a sibling folder with the same prefix',
      file: '/home/runner/work/api/api2/x.py',
      roots: host,
      expected: undefined,
    },
    { name: 'the harness (no file)', file: '<string>', roots: host, expected: undefined },
    { name: 'frozen importlib', file: '<frozen importlib._bootstrap>', roots: host, expected: undefined },
    {
      name: 'a virtualenv inside the workspace',
      file: '/home/runner/work/api/api/.venv/lib/python3.12/site-packages/fastapi/x.py',
      roots: host,
      expected: undefined,
    },
    {
      name: 'site-packages inside the workspace',
      file: '/home/runner/work/api/api/vendor/site-packages/x.py',
      roots: host,
      expected: undefined,
    },
    {
      name: 'container WORKDIR mapped to a workspace folder',
      file: '/app/src/services/model_registry.py',
      roots: image,
      expected: 'service/src/services/model_registry.py',
    },
    {
      name: 'container file outside WORKDIR',
      file: '/usr/local/lib/python3.12/site-packages/x.py',
      roots: image,
      expected: undefined,
    },
    {
      name: 'WORKDIR mapped to the workspace root',
      file: '/app/main.py',
      roots: [{ from: '/app/', to: '' }],
      expected: 'main.py',
    },
    {
      name: 'dot segments are normalised',
      file: '/app/src/../src/x.py',
      roots: image,
      expected: 'service/src/x.py',
    },
    {
      name: 'the longest root wins',
      file: '/w/real/sub/x.py',
      roots: [
        { from: '/w', to: '' },
        { from: '/w/real/sub', to: 'svc' },
      ],
      expected: 'svc/x.py',
    },
    { name: 'a relative path is not trusted', file: 'src/a.py', roots: host, expected: undefined },
    { name: 'null', file: null, roots: host, expected: undefined },
  ])('$name', ({ file, roots, expected }) => {
    expect(toWorkspacePath(file, roots)).toBe(expected);
  });
});

const frame = (file: string, line: number, fn = '<module>'): TracebackFrame => ({ file, line, function: fn });

describe('annotationLocation', () => {
  test.each<{
    name: string;
    error: Pick<HarnessError, 'frames' | 'syntax'>;
    roots: PathRoot[];
    expected: SourceLocation | undefined;
  }>([
    {
      name: 'the incident: a SyntaxError in a submodule points at the submodule, not the importer',
      error: {
        frames: [frame('/app/src/api/main.py', 3)],
        syntax: {
          file: '/app/src/services/model_registry.py',
          line: 26,
          column: 30,
          text: 'def f(a,, b):\n',
        },
      },
      roots: [{ from: '/app', to: '' }],
      expected: { file: 'src/services/model_registry.py', line: 26, col: 30 },
    },
    {
      name: 'a SyntaxError without a column',
      error: { frames: [], syntax: { file: '/app/x.py', line: 4, column: null, text: null } },
      roots: [{ from: '/app', to: '' }],
      expected: { file: 'x.py', line: 4 },
    },
    {
      name: 'a SyntaxError outside the workspace falls back to the deepest workspace frame',
      error: {
        frames: [frame('/app/src/api/main.py', 2)],
        syntax: { file: '/usr/lib/python3/dist-packages/broken.py', line: 1, column: 1, text: null },
      },
      roots: [{ from: '/app', to: '' }],
      expected: { file: 'src/api/main.py', line: 2 },
    },
    {
      name: 'the deepest frame inside the workspace, library frames below it skipped',
      error: {
        frames: [
          frame('/app/src/api/main.py', 3),
          frame('/app/src/db.py', 12, 'connect'),
          frame('/usr/lib/python3.11/socket.py', 851, 'create_connection'),
        ],
      },
      roots: [{ from: '/app', to: '' }],
      expected: { file: 'src/db.py', line: 12 },
    },
    {
      name: 'a missing dependency: the import line in the user module',
      error: { frames: [frame('/w/src/api/main.py', 1), frame('/w/src/workers/queue.py', 4)] },
      roots: [{ from: '/w', to: '' }],
      expected: { file: 'src/workers/queue.py', line: 4 },
    },
    {
      name: 'no frame in the workspace',
      error: { frames: [frame('/usr/lib/python3.11/importlib/__init__.py', 126, 'import_module')] },
      roots: [{ from: '/w', to: '' }],
      expected: undefined,
    },
    { name: 'no frames at all', error: { frames: [] }, roots: [{ from: '/w', to: '' }], expected: undefined },
  ])('$name', ({ error, roots, expected }) => {
    expect(annotationLocation(error, roots)).toEqual(expected);
  });
});

describe('pathRootsFor', () => {
  const ws = '/home/runner/work/api/api';
  test.each([
    {
      name: 'on the runner: the workspace',
      options: { workspace: ws, realWorkspace: ws, workingDirectory: ws, interpreterCwd: ws, inImage: false },
      expected: [{ from: ws, to: '' }],
    },
    {
      name: 'on the runner behind a symlink: both names of the workspace and the real working directory',
      options: {
        workspace: '/ws',
        realWorkspace: '/mnt/disk/ws',
        workingDirectory: '/ws/services/api',
        interpreterCwd: '/mnt/disk/ws/services/api',
        inImage: false,
      },
      expected: [
        { from: '/ws', to: '' },
        { from: '/mnt/disk/ws', to: '' },
        { from: '/mnt/disk/ws/services/api', to: 'services/api' },
      ],
    },
    {
      name: 'in an image: WORKDIR is the workspace root',
      options: {
        workspace: ws,
        realWorkspace: ws,
        workingDirectory: ws,
        interpreterCwd: '/app',
        inImage: true,
      },
      expected: [{ from: '/app', to: '' }],
    },
    {
      name: 'in an image built from a subfolder',
      options: {
        workspace: ws,
        realWorkspace: ws,
        workingDirectory: `${ws}/services/api`,
        interpreterCwd: '/srv',
        inImage: true,
      },
      expected: [{ from: '/srv', to: 'services/api' }],
    },
    {
      name: 'in an image with working-directory outside the workspace: nothing maps',
      options: {
        workspace: ws,
        realWorkspace: ws,
        workingDirectory: '/elsewhere',
        interpreterCwd: '/app',
        inImage: true,
      },
      expected: [],
    },
  ])('$name', ({ options, expected }) => {
    expect(pathRootsFor(options)).toEqual(expected);
  });
});
