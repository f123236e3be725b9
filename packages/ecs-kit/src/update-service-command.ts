// The AWS CLI commands people copy from a log or a job summary into a POSIX shell (put a service on a task
// definition by hand, look at it): each argument quoted so that a name can never become shell syntax.
import { READ_ONLY_TASK_DEFINITION_FIELDS } from './aws-adapters.js';

/** `value` as one word for sh/bash/zsh: unchanged when it is plain, else single-quoted. */
export function shellQuote(value: string): string {
  // Letters, digits and the punctuation of ARNs and names need no quotes (and read better without).
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  // Inside single quotes nothing is special but the quote itself: close, escape it, reopen.
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `aws …args`, every argument quoted as needed. */
export function awsCliCommand(args: readonly string[]): string {
  return ['aws', ...args].map(shellQuote).join(' ');
}

/** `aws ecs update-service --cluster … --service … --task-definition …`. */
export function updateServiceCommand(cluster: string, service: string, taskDefinition: string): string {
  return awsCliCommand([
    'ecs',
    'update-service',
    '--cluster',
    cluster,
    '--service',
    service,
    '--task-definition',
    taskDefinition,
  ]);
}

/**
 * Puts a service back on a deregistered (INACTIVE) revision, by hand: its exact content is registered again as a new
 * revision (DescribeTaskDefinition's read-only fields dropped with jq) and the service updated to that one — what
 * rollBack() does with `reRegister`. One line for sh/bash/zsh; needs the AWS CLI and jq.
 */
export function reRegisterAndUpdateCommand(cluster: string, service: string, taskDefinition: string): string {
  const drop = READ_ONLY_TASK_DEFINITION_FIELDS.map((f) => `.${f}`).join(', ');
  const describe = awsCliCommand([
    'ecs',
    'describe-task-definition',
    '--task-definition',
    taskDefinition,
    '--query',
    'taskDefinition',
    '--output',
    'json',
  ]);
  const content = `${describe} | jq -c ${shellQuote(`del(${drop})`)}`;
  const register = `${awsCliCommand(['ecs', 'register-task-definition'])} --cli-input-json "$(${content})" ${awsCliCommand(['--query', 'taskDefinition.taskDefinitionArn', '--output', 'text']).slice('aws '.length)}`;
  return `${awsCliCommand(['ecs', 'update-service', '--cluster', cluster, '--service', service])} --task-definition "$(${register})"`;
}
