// The recording proxy forwards requests unchanged and names the AWS operation of each, whatever the protocol. A plain
// local HTTP server stands in for moto (the proxy does not care what answers).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  isReadOperation,
  operationOf,
  startRecordingProxy,
  type RecordingProxy,
} from '../src/recording-proxy.js';

let upstream: http.Server;
let proxy: RecordingProxy;
const seen: Array<{ method?: string; url?: string; body: string; target?: string }> = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method,
        url: req.url,
        body,
        target: req.headers['x-amz-target'] as string | undefined,
      });
      res.writeHead(body.includes('fail') ? 400 : 200, {
        'content-type': 'application/json',
        'x-echo': 'yes',
      });
      res.end(JSON.stringify({ echoed: body }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await startRecordingProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await proxy.stop();
  await new Promise((resolve) => upstream.close(resolve));
});

const SIGNED = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

describe('operationOf', () => {
  const cases: Array<{
    name: string;
    headers: http.IncomingHttpHeaders;
    path: string;
    body: string;
    expected: string;
  }> = [
    {
      name: 'JSON protocol (X-Amz-Target)',
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricAlarm' },
      path: '/',
      body: '{}',
      expected: 'PutMetricAlarm',
    },
    {
      name: 'query protocol (Action=)',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      path: '/',
      body: 'Action=DescribeTargetGroups&Version=2015-12-01',
      expected: 'DescribeTargetGroups',
    },
    {
      name: 'Smithy RPC v2 (path)',
      headers: { 'content-type': 'application/cbor' },
      path: '/service/GraniteServiceVersion20100801/operation/DescribeAlarms',
      body: '',
      expected: 'DescribeAlarms',
    },
    { name: 'anything else', headers: {}, path: '/moto-api/', body: '', expected: 'GET /moto-api/' },
  ];
  test.each(cases)('$name', ({ headers, path, body, expected }) => {
    expect(operationOf('GET', headers, path, body)).toBe(expected);
  });

  test('reads are Describe, Get and List; everything else writes', () => {
    expect(['DescribeAlarms', 'GetDashboard', 'ListTagsForResource'].every(isReadOperation)).toBe(true);
    expect(
      ['PutMetricAlarm', 'UpdateService', 'TagResource', 'DeleteAlarms', 'CreateLogGroup'].some(
        isReadOperation,
      ),
    ).toBe(false);
  });
});

describe('startRecordingProxy', () => {
  test('forwards method, path, headers and body unchanged, answers with the upstream answer, and records the call', async () => {
    proxy.clear();
    const response = await fetch(`${proxy.endpoint}/some/path?x=1`, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.UpdateService',
        authorization: SIGNED('ecs'),
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{"cluster":"hokusai"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(await response.json()).toEqual({ echoed: '{"cluster":"hokusai"}' });
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      url: '/some/path?x=1',
      body: '{"cluster":"hokusai"}',
      target: 'AmazonEC2ContainerServiceV20141113.UpdateService',
    });
    expect(proxy.calls).toEqual([
      { service: 'ecs', operation: 'UpdateService', body: '{"cluster":"hokusai"}', status: 200 },
    ]);
  });

  test('keeps the upstream status of a failed call and clear() forgets the calls', async () => {
    proxy.clear();
    const response = await fetch(proxy.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: SIGNED('elasticloadbalancing'),
      },
      body: 'Action=DescribeTargetGroups&Names.member.1=fail',
    });
    expect(response.status).toBe(400);
    expect(proxy.calls.map((c) => [c.service, c.operation, c.status])).toEqual([
      ['elasticloadbalancing', 'DescribeTargetGroups', 400],
    ]);
    proxy.clear();
    expect(proxy.calls).toEqual([]);
  });
});
