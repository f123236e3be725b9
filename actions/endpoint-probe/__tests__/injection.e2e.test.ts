// Issue 12, end to end: a response body written to be executed by the runner stays inert in every line the
// bundled action prints, stays inside its Markdown in the summary, and a header secret echoed back shows nowhere.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { HOSTILE_TEXT, injectedCommands, runAction, type ActionRun } from '@hokusai/action-harness';
import { startHttpServer, type TestServer } from './http-servers.js';

const SECRET = 'k-9f2c-s3cr3t-header';
let server: TestServer;
let run: ActionRun;
beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain', 'x-note': 'INJECTED ::error::INJECTED-H' });
    res.end(`${HOSTILE_TEXT}\nyour key: ${String(req.headers['x-api-key'])}\n`);
  });
  run = await runAction({
    action: 'endpoint-probe',
    inputs: {
      urls: `${server.origin}/health?x=::error::INJECTED-URL`,
      headers: `X-Api-Key: ${SECRET}`,
      wait: '0s',
      timeout: '5s',
    },
    timeoutMs: 60_000,
  });
}, 90_000);
afterAll(async () => {
  await run?.cleanup();
  await server?.close();
});

describe('endpoint-probe with a hostile response body', () => {
  test('the probe fails and says why', () => {
    expect(run.exitCode).toBe(1);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(run.stdout).toContain('INJECTED-1');
  });
  test('no line of stdout or stderr is a command the body made', () => {
    expect(injectedCommands(run)).toEqual([]);
    expect(run.masks).not.toContain('hokusai');
  });
  test('the header secret echoed in the body appears in no log, output, summary, state or temp file', async () => {
    expect(await run.secretLeaks(SECRET)).toEqual([]);
    expect(run.masks).toContain(SECRET);
  });
  test('the summary keeps the body inside its table cells', () => {
    for (const line of run.summary.split('\n').filter((l) => l.startsWith('|'))) {
      expect(line).not.toMatch(/^\s*::/);
      expect(line.trimEnd().endsWith('|')).toBe(true);
    }
  });
});
