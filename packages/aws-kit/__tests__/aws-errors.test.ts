import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '@hokusai/action-kit';
import { AwsCallError, describeAwsError, explainAwsError, isTransientAwsError } from '../src/aws-errors.js';

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

describe('describeAwsError: what AWS said, one line, no SDK internals', () => {
  const deserialization = (status: number, type: string, parser: string) =>
    Object.assign(
      new SyntaxError(
        `${parser}\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
      ),
      {
        $metadata: { httpStatusCode: status },
        $response: { statusCode: status, headers: { 'content-type': type } },
      },
    );
  test.each([
    {
      name: 'request timeout',
      error: Object.assign(
        new Error(
          '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 20000 ms requestTimeout.',
        ),
        { name: 'TimeoutError', code: 'ETIMEDOUT' },
      ),
      said: 'no answer within the 20s request timeout',
    },
    {
      name: 'connection timeout',
      error: Object.assign(
        new Error(
          '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.',
        ),
        { name: 'TimeoutError' },
      ),
      said: 'no connection within the 5s connection timeout',
    },
    {
      name: 'an HTML 502 from a load balancer',
      error: deserialization(502, 'text/html', `Unexpected token '<', "<html><bod"... is not valid JSON`),
      said: 'HTTP 502 with a body that is not an AWS response (text/html): a proxy, load balancer or endpoint in the way?',
    },
    {
      name: 'garbage',
      error: deserialization(
        200,
        'application/x-amz-json-1.1',
        `Unexpected token '\u008b', "\u008b\b" is not valid JSON`,
      ),
      said: 'HTTP 200 with a body that is not an AWS response (application/x-amz-json-1.1): a proxy, load balancer or endpoint in the way?',
    },
    {
      name: 'throttling',
      error: awsError('ThrottlingException', 'Rate exceeded', 400),
      said: 'throttled (ThrottlingException: Rate exceeded)',
    },
    {
      name: 'a 503',
      error: awsError('ServiceUnavailableException', 'down\nmore', 503),
      said: 'HTTP 503 ServiceUnavailableException: down',
    },
    {
      name: 'connection refused',
      error: awsError('Error', 'connect ECONNREFUSED 127.0.0.1:9', undefined, 'ECONNREFUSED'),
      said: 'ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)',
    },
  ])('$name', ({ error, said }) => {
    expect(describeAwsError(error)).toBe(said);
  });

  test('a fault that outlasted the retries names the action and what AWS said, in one line', () => {
    const explained = explainAwsError(
      awsError('ThrottlingException', 'Rate exceeded', 400),
      'describing service api',
    );
    expect(explained).toBeInstanceOf(AwsCallError);
    expect((explained as Error).message).toBe(
      'describing service api: the AWS call failed: throttled (ThrottlingException: Rate exceeded)',
    );
  });
  test('an unreadable answer is explained too, even when not retryable (a 4xx HTML page)', () => {
    const error = deserialization(403, 'text/html', `Unexpected token '<'`);
    const explained = explainAwsError(error, 'reading dashboard x') as Error;
    expect(explained.message).toBe(
      'reading dashboard x: the AWS call failed: HTTP 403 with a body that is not an AWS response (text/html): a proxy, load balancer or endpoint in the way?',
    );
    expect(explained.cause).toBe(error);
  });
});
