// The data flow of a deploy workflow, checked against how GitHub really runs it (issue 13):
// - artifact-flow: artifact names are shared by the whole run, so in a reusable workflow each upload is named per call
//   (inputs / needs) and per attempt (github.run_attempt), never overwritten, and downloaded by the ID its upload step
//   output, passed through the uploading job's outputs (which a "re-run failed jobs" attempt still has);
// - rerun-push: ecr-push in a reusable workflow reuses the commit's IMMUTABLE tag on a re-run and checks the loaded
//   image against the tested one;
// - deploy-image: ecs-deploy-and-wait deploys ecr-push's image-uri-with-digest (or a caller's input), never a tag;
// - deploy-concurrency: a deploy job sits in a group per service, never cancelled in progress, with queue: max (by
//   default GitHub keeps one pending job per group and cancels it when another queues, whichever commit is newer),
//   named from a normalised service (a name and an ARN of one service must share it);
// - rollback-concurrency: a rollback is in no group another run can queue in (a pending run is cancelled by the next);
// - concurrency-deadlock: a job in the group its own workflow holds is cancelled by GitHub as a deadlock.
import type { Node } from 'yaml';
import type { Finding } from './findings.js';
import { suiteActionName } from './suite-action-usage.js';
import { YamlSource, entriesOf, hasKey, itemsOf, stringOf, valueAt } from './yaml-source.js';

interface Step {
  node: Node;
  id?: string;
  uses?: string;
  usesNode?: Node | null;
  with: Map<string, { value: string; node: Node | null }>;
}

interface Job {
  id: string;
  keyNode: Node;
  node: Node | null;
  needs: string[];
  outputs: Map<string, string>;
  steps: Step[];
  concurrency?: {
    group: string;
    cancelInProgress: string | undefined;
    queue: string | undefined;
    node: Node;
  };
}

/** `actions/upload-artifact@…` -> `actions/upload-artifact`, lower case. */
const actionOf = (uses: string | undefined) => (uses ?? '').split('@')[0]!.toLowerCase();
const isUpload = (step: Step) => actionOf(step.uses) === 'actions/upload-artifact';
const isDownload = (step: Step) => actionOf(step.uses) === 'actions/download-artifact';
/** This suite's action a `uses:` names: `./actions/x`, `hokusai/actions/actions/x@…`, or the published `hokusai/x@…`. */
const suiteActionOf = (uses: string) =>
  suiteActionName(uses) ?? /^hokusai\/([\w.-]+)(?:@.*)?$/.exec(uses)?.[1];
const isSuite = (step: Step, name: string) => suiteActionOf(step.uses ?? '') === name;

function concurrencyOf(node: Node | null): Job['concurrency'] {
  const value = valueAt(node, 'concurrency');
  if (!value) return undefined;
  const group = stringOf(value) ?? stringOf(valueAt(value, 'group'));
  if (group === undefined) return undefined;
  return {
    group,
    cancelInProgress: stringOf(valueAt(value, 'cancel-in-progress')),
    queue: stringOf(valueAt(value, 'queue')),
    node: value,
  };
}

function readJobs(source: YamlSource): Job[] {
  return entriesOf(valueAt(source.root, 'jobs')).map((job) => {
    const needsNode = valueAt(job.value, 'needs');
    const needs =
      stringOf(needsNode) !== undefined
        ? [stringOf(needsNode)!]
        : itemsOf(needsNode).map((n) => stringOf(n) ?? '');
    return {
      id: job.key,
      keyNode: job.keyNode,
      node: job.value,
      needs,
      outputs: new Map(entriesOf(valueAt(job.value, 'outputs')).map((o) => [o.key, stringOf(o.value) ?? ''])),
      steps: itemsOf(valueAt(job.value, 'steps')).map((node) => ({
        node,
        id: stringOf(valueAt(node, 'id')),
        uses: stringOf(valueAt(node, 'uses')),
        usesNode: valueAt(node, 'uses'),
        with: new Map(
          entriesOf(valueAt(node, 'with')).map((w) => [
            w.key,
            { value: stringOf(w.value) ?? '', node: w.value },
          ]),
        ),
      })),
      concurrency: concurrencyOf(job.value),
    };
  });
}

/** Every `needs.<job>.outputs.<name>`, `steps.<id>.outputs.<name>` and `inputs.<name>` an expression text reads. */
export function referencesOf(
  text: string,
): Array<{ context: 'needs' | 'steps' | 'inputs'; id: string; output?: string }> {
  const found: Array<{ context: 'needs' | 'steps' | 'inputs'; id: string; output?: string }> = [];
  for (const expression of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    for (const m of expression[1]!.matchAll(
      /\b(needs|steps)\.([\w-]+)\.outputs\.([\w-]+)|\binputs\.([\w-]+)/g,
    )) {
      if (m[4]) found.push({ context: 'inputs', id: m[4] });
      else found.push({ context: m[1] as 'needs' | 'steps', id: m[2]!, output: m[3]! });
    }
  }
  return found;
}

export function lintDeployFlow(text: string, file: string): Finding[] {
  const source = new YamlSource(text);
  if (source.syntaxErrors.length > 0) return [];
  const findings: Finding[] = [];
  const add = (node: Node | null | undefined, message: string, rule: string) =>
    findings.push({ file, line: source.lineOf(node), message, rule });
  const reusable = hasKey(valueAt(source.root, 'on'), 'workflow_call');
  const jobs = readJobs(source);
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const workflowConcurrency = concurrencyOf(source.root);

  /** The step a `needs.<job>.outputs.<name>` comes from: the job output's own `steps.<id>.outputs.<name>`. */
  const throughJobOutput = (
    jobId: string,
    output: string,
  ): { job: Job; step?: Step; output?: string } | undefined => {
    const job = byId.get(jobId);
    if (!job) return undefined;
    const [ref] = referencesOf(job.outputs.get(output) ?? '').filter((r) => r.context === 'steps');
    if (!ref) return { job };
    return { job, step: job.steps.find((s) => s.id === ref.id), output: ref.output };
  };

  for (const job of jobs) {
    for (const step of job.steps) {
      if (isUpload(step)) checkUpload(step);
      if (isDownload(step)) checkDownload(job, step);
      if (isSuite(step, 'ecr-push') && reusable) checkPush(job, step);
      if (isSuite(step, 'ecs-deploy-and-wait')) checkDeployImage(job, step);
    }
    checkConcurrency(job);
  }
  if (workflowConcurrency) {
    for (const job of jobs) {
      if (job.concurrency && normalise(job.concurrency.group) === normalise(workflowConcurrency.group)) {
        add(
          job.concurrency.node,
          `job "${job.id}" is in the group "${job.concurrency.group}" its own workflow holds: GitHub cancels the run as a deadlock`,
          'concurrency-deadlock',
        );
      }
    }
  }
  return findings;

  function checkUpload(step: Step): void {
    const name = step.with.get('name');
    if (step.with.get('overwrite')?.value === 'true') {
      add(
        step.with.get('overwrite')!.node,
        'overwrite: true lets another call or job replace this artifact under the same name without a word: leave it false',
        'artifact-flow',
      );
    }
    if (!reusable) return;
    const value = name?.value ?? '';
    const perCall = referencesOf(value).some((r) => r.context === 'inputs' || r.context === 'needs');
    if (!perCall) {
      add(
        name?.node ?? step.usesNode,
        `artifact name "${value || 'artifact'}" is the same in every call of this reusable workflow: names are shared by the whole run, so two calls (two services, staging then production) collide; build it from the call's inputs or a job's outputs`,
        'artifact-flow',
      );
    }
    if (!/\bgithub\.run_attempt\b/.test(value)) {
      add(
        name?.node ?? step.usesNode,
        `artifact name "${value || 'artifact'}" does not include github.run_attempt: a re-run uploads it again under a name the run already has`,
        'artifact-flow',
      );
    }
  }

  function checkDownload(job: Job, step: Step): void {
    if (!reusable) return;
    const ids = step.with.get('artifact-ids');
    if (!ids) {
      add(
        step.usesNode,
        "download-artifact by name in a reusable workflow: download by the artifact-ids the upload step output, passed through the uploading job's outputs (an attempt that re-runs failed jobs still has them)",
        'artifact-flow',
      );
      return;
    }
    const refs = referencesOf(ids.value);
    const ok =
      refs.length > 0 &&
      refs.every((ref) => {
        if (ref.context !== 'needs' || !job.needs.includes(ref.id)) return false;
        const origin = throughJobOutput(ref.id, ref.output!);
        return origin?.step !== undefined && isUpload(origin.step) && origin.output === 'artifact-id';
      });
    if (!ok) {
      add(
        ids.node,
        `artifact-ids "${ids.value}" does not come from the artifact-id output of an upload step in a job "${job.id}" needs`,
        'artifact-flow',
      );
    }
  }

  function checkPush(job: Job, step: Step): void {
    if (step.with.get('reuse-existing')?.value !== 'true') {
      add(
        step.usesNode,
        'ecr-push without reuse-existing: "true" in a reusable workflow: a re-run or a redeploy rebuilds the commit, and the IMMUTABLE tag refuses the new digest',
        'rerun-push',
      );
    }
    if (job.steps.some(isDownload) && !step.with.get('expected-image-id')?.value) {
      add(
        step.usesNode,
        'the image ecr-push pushes comes from an artifact but is not checked against the one that was tested: set expected-image-id to the image ID the build job recorded',
        'rerun-push',
      );
    }
  }

  function checkDeployImage(job: Job, step: Step): void {
    const image = step.with.get('image');
    if (!image || image.value === '') return; // a task-definition-arn deploy
    const refs = referencesOf(image.value);
    if (refs.length === 0) {
      add(
        image.node,
        `deploys the fixed reference "${image.value}": deploy ecr-push's image-uri-with-digest`,
        'deploy-image',
      );
      return;
    }
    for (const ref of refs) {
      if (ref.context === 'inputs') continue; // the caller's choice: a promotion by digest, checked by the workflow
      const origin =
        ref.context === 'needs'
          ? job.needs.includes(ref.id)
            ? throughJobOutput(ref.id, ref.output!)
            : undefined
          : { job, step: job.steps.find((s) => s.id === ref.id), output: ref.output };
      const fromPush = origin?.step !== undefined && isSuite(origin.step, 'ecr-push');
      if (!fromPush || origin?.output !== 'image-uri-with-digest') {
        const what = fromPush
          ? `ecr-push's ${origin?.output} (a tag can move)`
          : `${ref.context}.${ref.id}.outputs.${ref.output}`;
        add(
          image.node,
          `deploys ${what}, not ecr-push's image-uri-with-digest: deploy by digest`,
          'deploy-image',
        );
      }
    }
  }

  function checkConcurrency(job: Job): void {
    const deploys = job.steps.some((s) => isSuite(s, 'ecs-deploy-and-wait'));
    const rollsBack = job.steps.some((s) => isSuite(s, 'auto-rollback'));
    const concurrency = job.concurrency ?? workflowConcurrency;
    if (deploys) {
      if (!concurrency) {
        add(
          job.keyNode,
          `job "${job.id}" deploys with no concurrency group: two deploys of one service could run at once; add a group per service with cancel-in-progress: false and queue: max`,
          'deploy-concurrency',
        );
        return;
      }
      if (concurrency.cancelInProgress !== undefined && concurrency.cancelInProgress !== 'false') {
        add(
          concurrency.node,
          `job "${job.id}" deploys in a group with cancel-in-progress: ${concurrency.cancelInProgress}: a deploy cancelled half-way can leave the service between revisions`,
          'deploy-concurrency',
        );
      }
      if (concurrency.queue !== 'max') {
        add(
          concurrency.node,
          `job "${job.id}" deploys in the group "${concurrency.group}" without queue: max: GitHub keeps one pending job per group and cancels it when another queues, whichever commit is newer, so the newest deploy can be dropped; add queue: max (every waiting deploy kept, in the order they came)`,
          'deploy-concurrency',
        );
      }
      if (reusable && /\binputs\.(cluster|service)\b/.test(concurrency.group)) {
        add(
          concurrency.node,
          'the deploy group is built from inputs.cluster / inputs.service as given: a name and an ARN of one service land in different groups; name it from a normalised value (a job output)',
          'deploy-concurrency',
        );
      }
    } else if (rollsBack && concurrency && !/\bgithub\.run_id\b/.test(concurrency.group)) {
      add(
        concurrency.node,
        `job "${job.id}" rolls back inside the concurrency group "${concurrency.group}": GitHub keeps one pending run per group and cancels it when another queues, so a waiting rollback can be dropped; leave rollbacks out of groups`,
        'rollback-concurrency',
      );
    }
  }
}

const normalise = (group: string) => group.replace(/\s+/g, '').toLowerCase();
