import { expect, test } from '@jest/globals';
import { decodeAuthorizationToken } from '../src/authorization-token.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test.each([
  {
    name: "moto's token",
    token: b64('AWS:123456789012-auth-token'),
    expected: { username: 'AWS', password: '123456789012-auth-token' },
  },
  {
    name: 'a password with colons',
    token: b64('AWS:a:b:c'),
    expected: { username: 'AWS', password: 'a:b:c' },
  },
])('decodes $name', ({ token, expected }) => {
  expect(decodeAuthorizationToken(token)).toEqual(expected);
});

test.each([
  { name: 'no colon', token: b64('AWSsecret') },
  { name: 'empty password', token: b64('AWS:') },
  { name: 'empty user', token: b64(':secret') },
])('rejects $name without quoting it', ({ token }) => {
  expect(() => decodeAuthorizationToken(token)).toThrow(
    /^ECR returned an authorization token that is not base64/,
  );
  try {
    decodeAuthorizationToken(token);
  } catch (error) {
    expect((error as Error).message).not.toContain('secret');
  }
});
