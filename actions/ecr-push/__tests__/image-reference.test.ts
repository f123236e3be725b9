import { describe, expect, test } from '@jest/globals';
import {
  accountOfEcrHost,
  defaultTags,
  isLoopbackHost,
  parseRegistryHost,
  registryBaseUrl,
  validateRegistryId,
  validateRepositoryName,
  validateTag,
} from '../src/image-reference.js';

describe('validateTag', () => {
  test.each([
    { name: 'short sha', input: '1cdcfc3' },
    { name: 'semver with dots and dashes', input: 'v1.2.3-rc.1' },
    { name: 'leading underscore', input: '_build' },
    { name: '128 characters', input: 'a'.repeat(128) },
  ])('accepts $name', ({ input }) => {
    expect(validateTag(input)).toBe(input);
  });

  test.each([
    {
      name: 'a slash',
      input: 'feature/login',
      error: /invalid tag "feature\/login" in input "tags": use letters/,
    },
    { name: 'a colon', input: 'a:b', error: /invalid tag "a:b"/ },
    { name: 'a leading dot', input: '.x', error: /not starting with "\." or "-"/ },
    { name: 'a leading dash', input: '-x', error: /not starting with/ },
    { name: 'a space', input: 'a b', error: /invalid tag "a b"/ },
    { name: 'non-ASCII', input: 'café', error: /invalid tag "café"/ },
    {
      name: '129 characters',
      input: 'a'.repeat(129),
      error: /129 characters, docker and ECR accept at most 128/,
    },
  ])('rejects $name', ({ input, error }) => {
    expect(() => validateTag(input)).toThrow(error);
  });
});

describe('validateRepositoryName', () => {
  test.each(['hokusai-api', 'team/api', 'a.b_c__d--e', 'ab'])('accepts %s', (name) => {
    expect(validateRepositoryName(name)).toBe(name);
  });
  test.each(['Hokusai', 'a', 'api/', '/api', 'a..b', 'api:latest', 'a'.repeat(257)])('rejects %s', (name) => {
    expect(() => validateRepositoryName(name)).toThrow(/^invalid repository ".*": ECR repository names/);
  });
});

test.each([
  { input: '123456789012', ok: true },
  { input: '12345678901', ok: false },
  { input: '12345678901a', ok: false },
])('validateRegistryId($input)', ({ input, ok }) => {
  if (ok) expect(validateRegistryId(input)).toBe(input);
  else expect(() => validateRegistryId(input)).toThrow(`invalid registry-id "${input}"`);
});

describe('parseRegistryHost', () => {
  test.each([
    {
      input: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      expected: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    },
    {
      input: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/',
      expected: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    },
    { input: '127.0.0.1:5000', expected: '127.0.0.1:5000' },
    { input: 'localhost:5000', expected: 'localhost:5000' },
    { input: '[::1]:5000', expected: '[::1]:5000' },
  ])('$input -> $expected', ({ input, expected }) => {
    expect(parseRegistryHost(input)).toBe(expected);
  });
  test.each(['', 'host:99999', 'host/path', 'a b', '-bad.example'])('rejects "%s"', (input) => {
    expect(() => parseRegistryHost(input)).toThrow(`invalid registry "${input}"`);
  });
});

test.each([
  { host: '127.0.0.1:5000', loopback: true, url: 'http://127.0.0.1:5000' },
  { host: '127.1.2.3', loopback: true, url: 'http://127.1.2.3' },
  { host: 'localhost:5000', loopback: true, url: 'http://localhost:5000' },
  { host: '[::1]:5000', loopback: true, url: 'http://[::1]:5000' },
  {
    host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    loopback: false,
    url: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  },
  { host: '127.0.0.1.nip.io', loopback: false, url: 'https://127.0.0.1.nip.io' },
])('$host is loopback: $loopback', ({ host, loopback, url }) => {
  expect(isLoopbackHost(host)).toBe(loopback);
  expect(registryBaseUrl(host)).toBe(url);
});

test.each([
  { host: '123456789012.dkr.ecr.us-east-1.amazonaws.com', expected: '123456789012' },
  { host: '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', expected: '123456789012' },
  { host: '127.0.0.1:5000', expected: undefined },
])('accountOfEcrHost($host)', ({ host, expected }) => {
  expect(accountOfEcrHost(host)).toBe(expected);
});

describe('defaultTags', () => {
  test('the first 7 characters of the commit', () => {
    expect(defaultTags('1CDCFC3F0A5B9E8D7C6B5A4F3E2D1C0B9A8F7E6D')).toEqual(['1cdcfc3']);
  });
  test.each([
    { input: undefined, error: 'GITHUB_SHA is not set' },
    { input: 'main', error: 'GITHUB_SHA is "main", not a commit hash' },
  ])('fails without a commit: $input', ({ input, error }) => {
    expect(() => defaultTags(input)).toThrow(error);
  });
});
