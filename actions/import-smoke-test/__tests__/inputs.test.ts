import { describe, expect, test } from '@jest/globals';
import { getInputs } from '../src/inputs.js';
import { dockerRunArguments } from '../src/launchers.js';

const required = { INPUT_IMPORTS: 'from src.api.main import app' };

describe('getInputs', () => {
  test('defaults', () => {
    expect(getInputs(required)).toMatchObject({
      python: 'python3',
      'working-directory': '.',
      pythonpath: [],
      env: [],
      image: '',
      network: 'none',
      timeout: 60_000,
    });
  });

  test.each([
    {
      name: 'pythonpath newline- and colon-separated',
      env: { INPUT_PYTHONPATH: 'lib\nvendor:extra\n' },
      expected: { pythonpath: ['lib', 'vendor', 'extra'] },
    },
    {
      name: 'env lines: the value is everything after the first =, kept as written',
      env: { INPUT_ENV: 'DATABASE_URL=postgres://u:p@db/app?x=1\nGREETING= hello world' },
      expected: {
        env: [
          ['DATABASE_URL', 'postgres://u:p@db/app?x=1'],
          ['GREETING', ' hello world'],
        ],
      },
    },
    { name: 'timeout', env: { INPUT_TIMEOUT: '2m' }, expected: { timeout: 120_000 } },
    {
      name: 'image and network',
      env: {
        INPUT_IMAGE: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1cdcfc3',
        INPUT_NETWORK: 'bridge',
      },
      expected: { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1cdcfc3', network: 'bridge' },
    },
    {
      name: 'image by digest',
      env: { INPUT_IMAGE: 'api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
      expected: { image: 'api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    },
  ])('$name', ({ env, expected }) => {
    expect(getInputs({ ...required, ...env })).toMatchObject(expected);
  });

  test.each([
    {
      name: 'imports missing',
      env: { INPUT_IMPORTS: '' },
      error: 'input "imports" is required and was not supplied',
    },
    {
      name: 'code in imports',
      env: { INPUT_IMPORTS: 'import os; os.system("id")' },
      error: 'invalid import "import os; os.system(\\"id\\")" in input "imports"',
    },
    {
      name: 'an option as the image',
      env: { ...required, INPUT_IMAGE: '--privileged' },
      error: 'invalid image reference "--privileged" for input "image"',
    },
    {
      name: 'an option as the interpreter',
      env: { ...required, INPUT_PYTHON: '-c' },
      error: 'invalid interpreter "-c" for input "python"',
    },
    {
      name: 'an option as the network',
      env: { ...required, INPUT_NETWORK: '--privileged' },
      error: 'invalid network "--privileged" for input "network"',
    },
    {
      name: 'a bad duration',
      env: { ...required, INPUT_TIMEOUT: '5x' },
      error: 'invalid duration "5x" for input "timeout"',
    },
    {
      name: 'a zero timeout',
      env: { ...required, INPUT_TIMEOUT: '0s' },
      error: 'invalid duration "0s" for input "timeout"',
    },
    {
      name: 'an env line without =',
      env: { ...required, INPUT_ENV: 'JUST_A_NAME' },
      error: 'input "env", line 1: expected NAME=value (the line is not shown',
    },
    {
      name: 'a timeout past what Node timers hold (600h would fire after 1 ms): bounded at a day',
      env: { ...required, INPUT_TIMEOUT: '600h' },
      error: 'duration "600h" for input "timeout" is longer than the maximum 24h00m',
    },
    {
      name: 'an env name docker would misread',
      env: { ...required, INPUT_ENV: 'A.B=1' },
      error: 'input "env", line 1: invalid name before "="',
    },
  ])('$name', ({ env, error }) => {
    expect(() => getInputs(env)).toThrow(error);
  });
});

describe('dockerRunArguments', () => {
  const base = { image: 'api:1', python: 'python3', network: 'none', pythonpath: [] as string[] };
  test.each([
    { name: 'no env', env: [] as Array<[string, string]>, names: [] as string[] },
    {
      name: 'env values never on the command line, names only',
      env: [
        ['DATABASE_URL', 'postgres://user:hunter2@db/app'],
        ['API_KEY', 'k-123456'],
      ] as Array<[string, string]>,
      names: ['DATABASE_URL', 'API_KEY'],
    },
  ])('$name', ({ env, names }) => {
    const args = dockerRunArguments({ ...base, env }, 'hokusai-import-smoke-1', ['60', 'M=src']);
    for (const [, value] of env) expect(args.join('\n')).not.toContain(value);
    const passed = args.flatMap((arg, i) => (args[i - 1] === '--env' ? [arg] : []));
    expect(passed).toEqual(['PYTHONDONTWRITEBYTECODE=1', ...names]);
    expect(args.slice(0, 8)).toEqual([
      'run',
      '--rm',
      '--name',
      'hokusai-import-smoke-1',
      '--network',
      'none',
      '--pull',
      'never',
    ]);
    expect(args).not.toContain('--volume');
    expect(args).not.toContain('-v');
    expect(args).not.toContain('--mount');
    const image = args.indexOf('api:1');
    expect(args.slice(image - 2, image + 2)).toEqual(['--entrypoint', 'python3', 'api:1', '-c']);
    expect(args.slice(-2)).toEqual(['60', 'M=src']);
  });

  test('pythonpath entries are joined for the container', () => {
    const args = dockerRunArguments({ ...base, env: [], pythonpath: ['/app/lib', 'vendor'] }, 'n', []);
    expect(args).toContain('PYTHONPATH=/app/lib:vendor');
  });
});
