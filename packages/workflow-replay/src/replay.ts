// Replays one call of a reusable workflow (on: workflow_call), or a run from the Actions tab (workflow_dispatch), on
// this machine: its jobs in `needs` order, each job's `if:` and each step's `if:` evaluated as GitHub does, the
// suite's own actions run from their bundles (actions/<name>/dist/index.js, through runAction), `run:` steps in
// bash as the runner runs them, and third-party
// actions through stand-ins the caller provides (they need GitHub or AWS: checkout, setup-python, artifacts,
// credentials). Job outputs, the workflow's outputs, each job's evaluated concurrency group and environment are
// recorded. "Re-run failed jobs" is a replay with the previous attempt: its successful jobs keep their results.
//
// What it is not: a scheduler (jobs run one after another; concurrency groups are evaluated, not enforced), nor a
// runner for matrices, services, containers or composite actions (the reusable workflows use none).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runAction, type Annotation } from '@hokusai/action-harness';
import { condition, interpolate, type Contexts, type Json, type JobStatus } from './expressions.js';
import { runStep } from './run-step.js';

interface StepSpec {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
}

interface JobSpec {
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  steps?: StepSpec[];
  env?: Record<string, unknown>;
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean | string };
  environment?: string | { name: string; url?: string };
  defaults?: { run?: { shell?: string; 'working-directory'?: string } };
}

interface WorkflowSpec {
  on: {
    workflow_call?: {
      inputs?: Record<string, { default?: unknown }>;
      outputs?: Record<string, { value: string }>;
    };
    workflow_dispatch?: { inputs?: Record<string, { default?: unknown }> };
  };
  defaults?: { run?: { shell?: string } };
  env?: Record<string, unknown>;
  jobs: Record<string, JobSpec>;
}

export type Result = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRecord {
  name: string;
  id?: string;
  outcome: Result;
  outputs: Record<string, string>;
  /** The inputs the step got (`with:`, evaluated), for assertions. */
  inputs: Record<string, string>;
  annotations: Annotation[];
  log: string;
  summary?: string;
}

export interface JobRecord {
  id: string;
  result: Result;
  outputs: Record<string, string>;
  steps: StepRecord[];
  concurrencyGroup?: string;
  environment?: { name: string; url?: string };
  /** The attempt this result comes from (an earlier one when kept by a re-run of failed jobs). */
  attempt: number;
}

export interface ReplayRecord {
  attempt: number;
  jobs: Record<string, JobRecord>;
  /** The workflow_call outputs. */
  outputs: Record<string, string>;
}

/** What a stand-in for a third-party action gets and may give back (outputs, env for later steps, PATH entries). */
export interface StandInCall {
  job: string;
  step: string;
  with: Record<string, string>;
  workspace: string;
  runnerTemp: string;
  github: Record<string, string>;
}
export interface StandInResult {
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  path?: string[];
}
export type StandIn = (call: StandInCall) => Promise<StandInResult>;

export interface ReplayOptions {
  /** Path of the workflow file. */
  workflow: string;
  /** The trigger whose inputs are replayed (default workflow_call; workflow_dispatch for a run from the Actions tab). */
  trigger?: 'workflow_call' | 'workflow_dispatch';
  /** The caller's `with:` (the file's defaults fill the rest). */
  inputs: Record<string, string>;
  secrets?: Record<string, string>;
  /** The github context: sha, run_id, run_attempt, repository, server_url, actor, ... (strings). */
  github: Record<string, string>;
  /** The calling repository's tree: what actions/checkout brings into each job's workspace. */
  checkout: string;
  /** Third-party actions by `owner/repo` (lower case), e.g. `actions/upload-artifact`. */
  standIns: Record<string, StandIn>;
  /**
   * Inputs added to a suite action step, by `<job>/<step id or name>`: what a test must change to run on this
   * machine (a local registry host, a shorter poll interval). Each is a visible deviation from the file.
   */
  inputOverrides?: Record<string, Record<string, string>>;
  /** The previous attempt, for "re-run failed jobs": its successful jobs are kept as they were. */
  rerunFailedOf?: ReplayRecord;
  /** Environment every step starts from (PATH, HOME, DOCKER_HOST, ...). */
  env?: Record<string, string>;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Where each job's workspace and runner temp folder are made (removed by the caller). */
  scratch?: string;
  /** Called before each job that runs, with the jobs done so far (a test can break something between jobs). */
  beforeJob?: (job: string, done: Record<string, JobRecord>) => Promise<void>;
}

const asStrings = (record: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(record ?? {}).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]),
  );

/** The suite action a `uses:` names (`hokusai/actions/actions/ecr-push@v1`, `./actions/ecr-push`). */
function suiteAction(uses: string): string | undefined {
  return /^(?:\.\/|hokusai\/[\w.-]+\/)actions\/([\w.-]+)(?:@.*)?$/.exec(uses)?.[1];
}

export async function replayWorkflow(options: ReplayOptions): Promise<ReplayRecord> {
  const spec = parseYaml(await readFile(options.workflow, 'utf8')) as WorkflowSpec;
  const call = spec.on.workflow_call ?? {};
  const trigger = options.trigger === 'workflow_dispatch' ? (spec.on.workflow_dispatch ?? {}) : call;
  const inputs: Record<string, Json> = {};
  for (const [name, input] of Object.entries(trigger.inputs ?? {})) {
    inputs[name] = options.inputs[name] ?? (input.default === undefined ? '' : String(input.default));
  }
  for (const name of Object.keys(options.inputs)) {
    if (!(name in inputs)) throw new Error(`${path.basename(options.workflow)} has no input "${name}"`);
  }
  const attempt = Number(options.github.run_attempt ?? '1');
  const record: ReplayRecord = { attempt, jobs: {}, outputs: {} };
  const log = options.log ?? (() => undefined);

  for (const [jobId, job] of Object.entries(spec.jobs)) {
    const needs = typeof job.needs === 'string' ? [job.needs] : (job.needs ?? []);
    const kept = options.rerunFailedOf?.jobs[jobId];
    if (kept && kept.result === 'success') {
      record.jobs[jobId] = kept;
      log(`${jobId}: kept from attempt ${kept.attempt}`);
      continue;
    }
    const needsContext: Record<string, Json> = {};
    for (const need of needs) {
      const done = record.jobs[need];
      if (!done) throw new Error(`job "${jobId}" needs "${need}", which comes after it`);
      needsContext[need] = { result: done.result, outputs: done.outputs };
    }
    const contexts: Contexts = {
      github: options.github,
      inputs,
      needs: needsContext,
      secrets: options.secrets ?? {},
      vars: {},
    };
    const status: JobStatus = {
      success: needs.every((n) => record.jobs[n]!.result === 'success'),
      failure: needs.some((n) => record.jobs[n]!.result === 'failure'),
      cancelled: false,
    };
    if (!condition(job.if, contexts, status)) {
      record.jobs[jobId] = { id: jobId, result: 'skipped', outputs: {}, steps: [], attempt };
      log(`${jobId}: skipped`);
      continue;
    }
    await options.beforeJob?.(jobId, record.jobs);
    record.jobs[jobId] = await runJob(jobId, job, spec, contexts, options, attempt, log);
    log(`${jobId}: ${record.jobs[jobId]!.result}`);
  }

  const jobsContext: Record<string, Json> = {};
  for (const [id, job] of Object.entries(record.jobs))
    jobsContext[id] = { result: job.result, outputs: job.outputs };
  for (const [name, output] of Object.entries(call.outputs ?? {})) {
    record.outputs[name] = interpolate(output.value, { jobs: jobsContext, github: options.github, inputs });
  }
  return record;
}

async function runJob(
  jobId: string,
  job: JobSpec,
  spec: WorkflowSpec,
  base: Contexts,
  options: ReplayOptions,
  attempt: number,
  log: (line: string) => void,
): Promise<JobRecord> {
  const scratch = options.scratch ?? tmpdir();
  const workspace = await mkdtemp(path.join(scratch, `${jobId}-workspace-`));
  const runnerTemp = await mkdtemp(path.join(scratch, `${jobId}-runner-temp-`));
  const runner = { temp: runnerTemp, os: 'Linux', arch: 'X64' };
  const githubEnv: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_SHA: options.github.sha ?? '',
    GITHUB_RUN_ID: options.github.run_id ?? '',
    GITHUB_RUN_ATTEMPT: options.github.run_attempt ?? '1',
    GITHUB_REPOSITORY: options.github.repository ?? '',
    GITHUB_SERVER_URL: options.github.server_url ?? 'https://github.com',
    GITHUB_ACTOR: options.github.actor ?? '',
    GITHUB_JOB: jobId,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
  };
  let env: Record<string, string> = {
    ...(options.env ?? {}),
    ...githubEnv,
    ...asStrings(spec.env),
    ...asStrings(job.env),
  };
  const steps: Record<string, Json> = {};
  const records: StepRecord[] = [];
  let failed = false;
  const concurrency = typeof job.concurrency === 'string' ? job.concurrency : job.concurrency?.group;
  const contexts = (): Contexts => ({
    ...base,
    steps,
    runner,
    env,
    job: { status: failed ? 'failure' : 'success' },
  });
  const record: JobRecord = {
    id: jobId,
    result: 'success',
    outputs: {},
    steps: records,
    attempt,
    ...(concurrency ? { concurrencyGroup: interpolate(concurrency, contexts()) } : {}),
  };

  for (const [index, step] of (job.steps ?? []).entries()) {
    const name = step.name ?? step.id ?? step.uses ?? `run ${index + 1}`;
    const status: JobStatus = { success: !failed, failure: failed, cancelled: false };
    if (!condition(step.if, contexts(), status)) {
      records.push({
        name,
        id: step.id,
        outcome: 'skipped',
        outputs: {},
        inputs: {},
        annotations: [],
        log: '',
      });
      if (step.id) steps[step.id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
      continue;
    }
    const stepEnv = Object.fromEntries(
      Object.entries(asStrings(step.env)).map(([k, v]) => [k, interpolate(v, contexts())]),
    );
    const withInputs = Object.fromEntries(
      Object.entries(asStrings(step.with)).map(([k, v]) => [k, interpolate(v, contexts())]),
    );
    let outcome: Result;
    let outputs: Record<string, string> = {};
    let annotations: Annotation[] = [];
    let text = '';
    let summary: string | undefined;
    const suite = step.uses ? suiteAction(step.uses) : undefined;
    if (suite) {
      const overrides = options.inputOverrides?.[`${jobId}/${step.id ?? step.name}`] ?? {};
      const run = await runAction({
        action: suite,
        inputs: { ...withInputs, ...overrides },
        env: { ...env, ...stepEnv },
        workspace,
        timeoutMs: 600_000,
      });
      outcome = run.exitCode === 0 ? 'success' : 'failure';
      outputs = run.outputs;
      annotations = run.annotations;
      text = run.log;
      summary = run.summary;
      env = { ...env, ...run.exportedEnv };
      Object.assign(withInputs, overrides);
      await run.cleanup();
    } else if (step.uses) {
      const key = step.uses.split('@')[0]!.toLowerCase();
      const standIn = options.standIns[key];
      if (!standIn) throw new Error(`job "${jobId}" step "${name}": no stand-in for ${key}`);
      try {
        const result = await standIn({
          job: jobId,
          step: name,
          with: withInputs,
          workspace,
          runnerTemp,
          github: options.github,
        });
        outputs = result.outputs ?? {};
        env = { ...env, ...(result.env ?? {}) };
        if (result.path?.length) env = { ...env, PATH: [...result.path, env.PATH ?? ''].join(':') };
        outcome = 'success';
      } catch (error) {
        outcome = 'failure';
        annotations = [{ level: 'error', message: (error as Error).message } as Annotation];
        text = (error as Error).message;
      }
    } else {
      const shell = step.shell ?? job.defaults?.run?.shell ?? spec.defaults?.run?.shell;
      const cwd = step['working-directory']
        ? path.resolve(workspace, interpolate(step['working-directory'], contexts()))
        : workspace;
      const run = await runStep({
        script: step.run ?? '',
        shell,
        cwd,
        env: { ...env, ...stepEnv },
        runnerTemp,
      });
      outcome = run.exitCode === 0 ? 'success' : 'failure';
      outputs = run.outputs;
      annotations = run.annotations;
      text = run.stdout + run.stderr;
      env = { ...env, ...run.exportedEnv };
      if (run.addedPath.length) env = { ...env, PATH: [...run.addedPath, env.PATH ?? ''].join(':') };
    }
    if (outcome === 'failure' && !step['continue-on-error']) failed = true;
    records.push({
      name,
      id: step.id,
      outcome,
      outputs,
      inputs: withInputs,
      annotations,
      log: text,
      summary,
    });
    if (step.id) steps[step.id] = { outcome, conclusion: outcome, outputs };
    log(`  ${jobId} / ${name}: ${outcome}`);
  }

  record.result = failed ? 'failure' : 'success';
  for (const [name, value] of Object.entries(job.outputs ?? {}))
    record.outputs[name] = interpolate(value, contexts());
  if (job.environment) {
    const environment = typeof job.environment === 'string' ? { name: job.environment } : job.environment;
    record.environment = {
      name: interpolate(environment.name, contexts()),
      ...(environment.url ? { url: interpolate(environment.url, contexts()) } : {}),
    };
  }
  return record;
}
