// Scenario files: the shipped ones are valid; a malformed one fails with the path of the bad field.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  imageMatches,
  loadScenario,
  SCENARIO_SCHEMA_PATH,
  SCENARIOS_DIR,
  ScenarioError,
  validateScenario,
  type Scenario,
} from '../src/scenario.js';

const minimal = (): Scenario => ({
  clusters: [{ name: 'hokusai' }],
  taskDefinitions: [
    {
      family: 'hokusai-api',
      revision: 108,
      containerDefinitions: [{ name: 'api', image: 'repo/hokusai-api:good' }],
    },
  ],
  targetGroups: [{ name: 'hokusai-api' }],
  services: [{ name: 'hokusai-api', cluster: 'hokusai', taskDefinition: 'hokusai-api:108', desiredCount: 2 }],
});

describe('shipped scenarios', () => {
  const files = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.yaml'));
  test('are exactly the documented fifteen', () => {
    expect(files.sort()).toEqual([
      'circuit-breaker-rollback.yaml',
      'elb-health-failure.yaml',
      'fargate-crash-on-import-breaker.yaml',
      'fargate-crash-on-import-no-breaker.yaml',
      'fargate-desired-1.yaml',
      'fargate-desired-10.yaml',
      'fargate-desired-2.yaml',
      'fargate-elb-health-failure.yaml',
      'fargate-image-pull-failure.yaml',
      'healthy-rollout.yaml',
      'incident-crash-on-import.yaml',
      'service-deleted-mid-deploy.yaml',
      'slow-start-grace-period.yaml',
      'task-dies-after-90s.yaml',
      'throttling-30pct.yaml',
    ]);
  });
  test.each(files)('%s is valid and says at the top which images are good or bad', (file) => {
    const scenario = loadScenario(path.join(SCENARIOS_DIR, file));
    expect(scenario.services?.[0]).toMatchObject({
      name: 'hokusai-api',
      cluster: 'hokusai',
      taskDefinition: 'hokusai-api:108',
    });
    const header = readFileSync(path.join(SCENARIOS_DIR, file), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n');
    expect(header).toMatch(/Images/);
  });
});

// The cases mutate deliberately wrong shapes, which no Scenario type can describe.
/* eslint-disable @typescript-eslint/no-explicit-any */
describe('validation errors name the bad field', () => {
  test.each<{ name: string; edit: (s: Record<string, any>) => void; error: string }>([
    {
      name: 'desiredCount not an integer',
      edit: (s) => (s.services[0].desiredCount = 'two'),
      error: 'services[0].desiredCount: expected an integer',
    },
    {
      name: 'desiredCount a fraction',
      edit: (s) => (s.services[0].desiredCount = 1.5),
      error: 'services[0].desiredCount: expected an integer',
    },
    {
      name: 'negative desiredCount',
      edit: (s) => (s.services[0].desiredCount = -1),
      error: 'services[0].desiredCount: must be >= 0 (got -1)',
    },
    {
      name: 'missing service name',
      edit: (s) => delete s.services[0].name,
      error: 'services[0].name: is required',
    },
    {
      name: 'unknown field',
      edit: (s) => (s.services[0].desiredCont = 2),
      error: 'services[0].desiredCont: unknown field',
    },
    {
      name: 'breaker enable not boolean',
      edit: (s) =>
        (s.services[0].deploymentConfiguration = {
          deploymentCircuitBreaker: { enable: 'yes', rollback: true },
        }),
      error: 'services[0].deploymentConfiguration.deploymentCircuitBreaker.enable: expected a boolean',
    },
    {
      name: 'maximumPercent below 100',
      edit: (s) => (s.services[0].deploymentConfiguration = { maximumPercent: 50 }),
      error: 'services[0].deploymentConfiguration.maximumPercent: must be >= 100 (got 50)',
    },
    {
      name: 'image without match',
      edit: (s) => (s.images = [{ startSeconds: 1 }]),
      error: 'images[0].match: is required',
    },
    {
      name: 'elbHealthy wrong type',
      edit: (s) => (s.images = [{ match: '*', elbHealthy: 'yes' }]),
      error: 'images[0].elbHealthy: expected a boolean or an array',
    },
    {
      name: 'elbHealthy step without healthy',
      edit: (s) => (s.images = [{ match: '*', elbHealthy: [{ afterSeconds: 3 }] }]),
      error: 'images[0].elbHealthy[0].healthy: is required',
    },
    {
      name: 'fault rate above 1',
      edit: (s) => (s.faults = [{ operation: '*', error: 'ThrottlingException', rate: 1.5 }]),
      error: 'faults[0].rate: must be <= 1 (got 1.5)',
    },
    {
      name: 'fault without trigger',
      edit: (s) => (s.faults = [{ operation: '*', error: 'ThrottlingException' }]),
      error: 'faults[0]: needs rate, calls',
    },
    { name: 'timeScale zero', edit: (s) => (s.timeScale = 0), error: 'timeScale: must be > 0 (got 0)' },
    {
      name: 'services not a list',
      edit: (s) => (s.services = { name: 'x' }),
      error: 'services: expected an array',
    },
    {
      name: 'bad container definition',
      edit: (s) => delete s.taskDefinitions[0].containerDefinitions[0].image,
      error: 'taskDefinitions[0].containerDefinitions[0].image: is required',
    },
    {
      name: 'unknown cluster',
      edit: (s) => (s.services[0].cluster = 'nope'),
      error: 'services[0].cluster: no cluster "nope" in clusters',
    },
    {
      name: 'unknown revision',
      edit: (s) => (s.services[0].taskDefinition = 'hokusai-api:7'),
      error: 'services[0].taskDefinition: no revision 7 of "hokusai-api"',
    },
    {
      name: 'unknown target group',
      edit: (s) =>
        (s.services[0].loadBalancers = [{ targetGroup: 'nope', containerName: 'api', containerPort: 80 }]),
      error: 'services[0].loadBalancers[0].targetGroup: no target group "nope" in targetGroups',
    },
    {
      name: 'action with two kinds',
      edit: (s) =>
        (s.actions = [
          {
            atSeconds: 1,
            deleteService: { cluster: 'a', service: 'b' },
            stopTask: { cluster: 'a', service: 'b' },
          },
        ]),
      error: 'actions[0]: expected exactly one of',
    },
    {
      name: 'unknown deployment controller names the allowed ones',
      edit: (s) => (s.services[0].deploymentController = { type: 'BLUE_GREEN' }),
      error:
        'services[0].deploymentController.type: expected one of ECS, CODE_DEPLOY, EXTERNAL (got "BLUE_GREEN")',
    },
    {
      name: 'unknown strategy names the allowed ones',
      edit: (s) => (s.services[0].deploymentConfiguration = { strategy: 'RED_BLACK' }),
      error:
        'services[0].deploymentConfiguration.strategy: expected one of ROLLING, BLUE_GREEN, LINEAR, CANARY (got "RED_BLACK")',
    },
    {
      name: 'unknown threshold type names the allowed ones',
      edit: (s) =>
        (s.services[0].deploymentConfiguration = {
          deploymentCircuitBreaker: {
            enable: true,
            rollback: true,
            thresholdConfiguration: { type: 'PERCENT', value: 10 },
          },
        }),
      error:
        'services[0].deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.type: expected one of BOUNDED_PERCENT, UNBOUNDED_PERCENT, COUNT (got "PERCENT")',
    },
    {
      name: 'threshold value 0',
      edit: (s) =>
        (s.services[0].deploymentConfiguration = {
          deploymentCircuitBreaker: {
            enable: true,
            rollback: true,
            thresholdConfiguration: { type: 'COUNT', value: 0 },
          },
        }),
      error:
        'services[0].deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.value: must be >= 1 (got 0)',
    },
    {
      name: 'resetOnHealthyTask not a boolean',
      edit: (s) =>
        (s.services[0].deploymentConfiguration = {
          deploymentCircuitBreaker: { enable: true, rollback: true, resetOnHealthyTask: 'no' },
        }),
      error:
        'services[0].deploymentConfiguration.deploymentCircuitBreaker.resetOnHealthyTask: expected a boolean',
    },
    {
      name: 'deployment alarms without alarmNames',
      edit: (s) => (s.services[0].deploymentConfiguration = { alarms: { enable: true, rollback: true } }),
      error: 'services[0].deploymentConfiguration.alarms.alarmNames: is required',
    },
    {
      name: 'unknown image stopCode names the allowed ones',
      edit: (s) => (s.images = [{ match: '*', stopCode: 'Spot', stopAfterSeconds: 5 }]),
      error:
        'images[0].stopCode: expected one of InfrastructureHealth, TerminationNotice, SpotInterruption, UserInitiated (got "Spot")',
    },
    {
      name: 'stopCode without stopAfterSeconds',
      edit: (s) => (s.images = [{ match: '*', stopCode: 'TerminationNotice' }]),
      error: 'images[0].stopAfterSeconds: is required with stopCode',
    },
    {
      name: 'launchBackoff past the 27-minute cap',
      edit: (s) => (s.launchBackoff = { maxSeconds: 3600 }),
      error: 'launchBackoff.maxSeconds: must be <= 1620 (got 3600)',
    },
    {
      name: 'alarm state change with both times',
      edit: (s) =>
        (s.cloudWatchAlarms = [
          { name: 'a', states: [{ atSeconds: 1, afterDeploymentSeconds: 2, state: 'ALARM' }] },
        ]),
      error: 'cloudWatchAlarms[0].states[0]: expected exactly one of atSeconds, afterDeploymentSeconds',
    },
    {
      name: 'alarm state unknown names the allowed ones',
      edit: (s) => (s.cloudWatchAlarms = [{ name: 'a', states: [{ atSeconds: 1, state: 'RED' }] }]),
      error: 'cloudWatchAlarms[0].states[0].state: expected one of OK, ALARM, INSUFFICIENT_DATA (got "RED")',
    },
    {
      name: 'alarm defined twice',
      edit: (s) => (s.cloudWatchAlarms = [{ name: 'a' }, { name: 'a' }]),
      error: 'cloudWatchAlarms[1].name: "a" is defined twice',
    },
    {
      name: 'failToLaunch empty',
      edit: (s) => (s.images = [{ match: '*', failToLaunch: '' }]),
      error: 'images[0].failToLaunch: must not be empty',
    },
    { name: 'not an object', edit: () => undefined, error: '' },
  ])('$name', ({ name, edit, error }) => {
    const scenario = minimal() as Record<string, any>;
    edit(scenario);
    if (name === 'not an object') {
      expect(() => validateScenario([1, 2])).toThrow('(scenario): expected an object');
      return;
    }
    expect(() => validateScenario(scenario)).toThrow(ScenarioError);
    expect(() => validateScenario(scenario)).toThrow(error);
  });
});

/* eslint-enable @typescript-eslint/no-explicit-any */

describe('loadScenario', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-emulator-scenario-'));
  test('prefixes the file name; YAML and JSON both load', () => {
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      'services:\n  - name: api\n    cluster: c\n    taskDefinition: t\n    desiredCount: two\n',
    );
    expect(() => loadScenario(path.join(dir, 'bad.yaml'))).toThrow(
      'bad.yaml: services[0].desiredCount: expected an integer',
    );
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(minimal()));
    expect(loadScenario(path.join(dir, 'ok.json')).services![0]!.desiredCount).toBe(2);
  });
  test('unreadable and unparsable files say so in one line', () => {
    expect(() => loadScenario(path.join(dir, 'missing.yaml'))).toThrow(
      /missing\.yaml: cannot read scenario file \(ENOENT\)/,
    );
    writeFileSync(path.join(dir, 'broken.json'), '{"services": [');
    expect(() => loadScenario(path.join(dir, 'broken.json'))).toThrow(/broken\.json: not valid JSON/);
    writeFileSync(path.join(dir, 'broken.yaml'), 'services: [\n  - a: b\n c');
    expect(() => loadScenario(path.join(dir, 'broken.yaml'))).toThrow(/broken\.yaml: not valid YAML/);
  });
  test('the schema file is JSON Schema', () => {
    const schema = JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8'));
    expect(schema.$schema).toMatch(/json-schema\.org/);
  });
});

describe('imageMatches', () => {
  test.each([
    { pattern: 'repo/api:good', image: 'repo/api:good', expected: true },
    { pattern: 'repo/api:good', image: 'repo/api:good2', expected: false },
    {
      pattern: '*api:broken*',
      image: '1.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:broken-3f9c',
      expected: true,
    },
    { pattern: '*api:broken*', image: '1.dkr.ecr.us-east-1.amazonaws.com/hokusai-api:good', expected: false },
    { pattern: 'repo/api:v?', image: 'repo/api:v2', expected: true },
    { pattern: 'repo/api:v?', image: 'repo/api:v10', expected: false },
    { pattern: 'a.b*', image: 'axb', expected: false },
  ])('$pattern vs $image -> $expected', ({ pattern, image, expected }) => {
    expect(imageMatches(pattern, image)).toBe(expected);
  });
});
