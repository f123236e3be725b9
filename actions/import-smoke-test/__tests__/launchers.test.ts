import { describe, expect, test } from '@jest/globals';
import { childEnvironment, dockerRunArguments, isWithheldVariable, OutputTail } from '../src/launchers.js';

describe('OutputTail', () => {
  test('keeps exactly the last max characters whatever the chunk sizes', () => {
    const tail = new OutputTail(10);
    const text = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let fed = '';
    for (const size of [1, 3, 7, 2, 11, 5, 4, 3]) {
      const chunk = text.slice(fed.length, fed.length + size);
      tail.append(chunk);
      fed += chunk;
      expect(tail.text()).toBe(fed.slice(-10));
    }
  });
  test('a chunk longer than max is cut to its end', () => {
    const tail = new OutputTail(4);
    tail.append('ab');
    tail.append('0123456789');
    expect(tail.text()).toBe('6789');
  });
  test('many chunks keep only what covers the tail (memory stays bounded)', () => {
    const tail = new OutputTail(1000);
    for (let i = 0; i < 100_000; i++) tail.append(`line ${i}\n`);
    expect(tail.text()).toBe(
      Array.from({ length: 100_000 }, (_, i) => `line ${i}\n`)
        .join('')
        .slice(-1000),
    );
  });
});

describe('the environment imported code sees', () => {
  const runner = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    GITHUB_WORKSPACE: '/w',
    GITHUB_SHA: 'abc',
    INPUT_ENV: 'SECRET=x',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token',
    ACTIONS_RUNTIME_URL: 'https://pipelines.example/',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
    ACTIONS_CACHE_URL: 'https://cache.example/',
    ACTIONS_RESULTS_URL: 'https://results.example/',
    GITHUB_OUTPUT: '/r/output',
    GITHUB_ENV: '/r/env',
    GITHUB_STEP_SUMMARY: '/r/summary',
    GITHUB_STATE: '/r/state',
    GITHUB_PATH: '/r/path',
    GITHUB_TOKEN: 'ghs_token',
  };
  test('the runner tokens, file-command files and inputs are withheld; the rest passes', () => {
    expect(childEnvironment(runner)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      GITHUB_WORKSPACE: '/w',
      GITHUB_SHA: 'abc',
    });
  });
  test.each(['GITHUB_STEP_SUMMARY', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'INPUT_IMPORTS', 'GITHUB_TOKEN'])(
    '%s is withheld',
    (name) => expect(isWithheldVariable(name)).toBe(true),
  );
  test('in an image only the env names are passed to the container', () => {
    const args = dockerRunArguments(
      { image: 'api:1', python: 'python', network: 'none', pythonpath: [], env: [['DEBUG', '1']] },
      'c1',
      ['60'],
    );
    const passed = args.flatMap((arg, i) => (args[i - 1] === '--env' ? [arg] : []));
    expect(passed).toEqual(['PYTHONDONTWRITEBYTECODE=1', 'DEBUG']);
  });
});
