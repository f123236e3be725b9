import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '@hokusai/action-kit';
import { getInputs, secretsOf } from '../src/inputs.js';
import { basicCredentialParts, moveUrlCredentials } from '../src/url-credentials.js';

const basic = (pair: string) => `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;

describe('moveUrlCredentials', () => {
  test.each([
    {
      name: 'user and password become Basic auth, the URL loses them',
      href: 'https://probe:pa55word@api.example.com/health',
      expected: {
        url: 'https://api.example.com/health',
        headers: { Authorization: basic('probe:pa55word') },
      },
    },
    {
      name: 'percent-encoded parts are decoded first (RFC 7617 sends the raw characters)',
      href: 'https://us%C3%A9r:p%40ss%3Aword@api.example.com/',
      expected: { url: 'https://api.example.com/', headers: { Authorization: basic('usér:p@ss:word') } },
    },
    {
      name: 'a user without a password',
      href: 'http://token@127.0.0.1:8080/x',
      expected: { url: 'http://127.0.0.1:8080/x', headers: { Authorization: basic('token:') } },
    },
    {
      name: 'no credentials: unchanged',
      href: 'https://api.example.com/health',
      expected: { url: 'https://api.example.com/health', headers: {} },
    },
  ])('$name', ({ href, expected }) => {
    expect(moveUrlCredentials(href, {}, 'input "urls"')).toEqual(expected);
  });

  test('other headers are kept and not shared between endpoints', () => {
    const headers = { 'X-Api-Key': 'k' };
    const moved = moveUrlCredentials('https://a:b@h.example/', headers, 'input "urls"');
    expect(moved.headers).toEqual({ 'X-Api-Key': 'k', Authorization: basic('a:b') });
    expect(headers).toEqual({ 'X-Api-Key': 'k' });
    expect(moveUrlCredentials('https://h.example/', headers, 'w').headers).not.toBe(headers);
  });

  test('credentials in the URL and an Authorization header: one line, the password not shown', () => {
    const attempt = () =>
      moveUrlCredentials('https://a:s3cret@h.example/x', { authorization: 'Bearer t' }, 'input "urls"');
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(
      'the URL https://h.example/x in input "urls" has credentials (user:password@) and the headers set Authorization too: keep one of them',
    );
  });
});

test('basicCredentialParts decodes a Basic value; anything else gives nothing', () => {
  expect(basicCredentialParts(basic('probe:pa55word'))).toEqual(['pa55word']);
  expect(basicCredentialParts(basic('probe:'))).toEqual([]);
  expect(basicCredentialParts('Bearer abc.def')).toEqual([]);
  expect(basicCredentialParts('basic Zm9v')).toEqual(['foo']);
});

describe('getInputs with URL credentials', () => {
  const env = (inputs: Record<string, string>) =>
    Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));

  test('urls: the request carries Basic auth, the name masks the password, every form is a secret', () => {
    const inputs = getInputs(env({ urls: 'https://probe:pa55word@api.example.com/health' }));
    const [endpoint] = inputs.endpoints;
    expect(endpoint).toMatchObject({
      name: 'GET https://probe:***@api.example.com/health',
      url: 'https://api.example.com/health',
      headers: { Authorization: basic('probe:pa55word') },
    });
    expect(secretsOf(inputs)).toEqual(expect.arrayContaining([basic('probe:pa55word'), 'pa55word']));
  });

  test('endpoints: the same, per item', () => {
    const inputs = getInputs(
      env({ endpoints: '- url: https://u:v3ry-secret@api.example.com/a\n  method: HEAD\n' }),
    );
    expect(inputs.endpoints[0]).toMatchObject({
      url: 'https://api.example.com/a',
      headers: { Authorization: basic('u:v3ry-secret') },
    });
  });

  test('headers input with Authorization and a URL with credentials is refused', () => {
    expect(() =>
      getInputs(env({ urls: 'https://u:p4ss@api.example.com/', headers: 'Authorization: Bearer x' })),
    ).toThrow('has credentials (user:password@) and the headers set Authorization too');
  });
});
