import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '@hokusai/action-kit';
import { explainAwsError, isTransientAwsError } from '../src/aws-errors.js';

function awsError(name: string, message = 'm', status?: number, code?: string) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, code });
}

describe('explainAwsError', () => {
  test.each([
    {
      name: 'CredentialsProviderError',
      message: 'Could not load credentials from any providers',
      expect: 'no usable AWS credentials while pushing',
    },
    {
      name: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
      expect: 'the AWS credentials have expired while pushing',
    },
    {
      name: 'AccessDeniedException',
      message: 'User is not authorized',
      expect: 'access denied while pushing',
    },
  ])('$name becomes a one-line ConfigurationError', ({ name, message, expect: text }) => {
    const explained = explainAwsError(awsError(name, message), 'pushing');
    expect(explained).toBeInstanceOf(ConfigurationError);
    expect((explained as Error).message).toContain(text);
    expect((explained as Error).message).not.toContain('\n');
  });
  test('other errors pass through unchanged (they are bugs or faults, not user mistakes)', () => {
    const error = awsError('ServiceNotFoundException');
    expect(explainAwsError(error, 'x')).toBe(error);
  });
});

describe('isTransientAwsError', () => {
  test.each([
    { error: awsError('ThrottlingException', 'Rate exceeded', 400), expected: true },
    { error: awsError('TooManyRequestsException'), expected: true },
    { error: awsError('InternalFailure', 'x', 500), expected: true },
    { error: awsError('ServiceUnavailable', 'x', 503), expected: true },
    { error: awsError('Error', 'socket hang up', undefined, 'ECONNRESET'), expected: true },
    { error: awsError('InvalidParameterException', 'bad', 400), expected: false },
    { error: awsError('AccessDeniedException', 'no', 403), expected: false },
    { error: null, expected: false },
  ])('$error.name -> $expected', ({ error, expected }) => {
    expect(isTransientAwsError(error)).toBe(expected);
  });
});
