// ECS resource names and ARNs as inputs: checked before the first AWS call, so a typo or a pasted shell fragment
// never reaches an API (the ECS API reference: cluster, service and container names are up to 255 letters,
// digits, hyphens and underscores; task definition families likewise).
import { ConfigurationError, shorten } from '@hokusai/action-kit';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ARN = {
  cluster: /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/,
  service: /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/(?:[A-Za-z0-9_-]{1,255}\/)?[A-Za-z0-9_-]{1,255}$/,
} as const;

/**
 * A cluster or service given by name or ARN (`kind` says which ARN form). Throws a ConfigurationError naming the
 * input and the shortened value.
 */
export function parseEcsNameOrArn(value: string, inputName: string, kind: 'cluster' | 'service'): string {
  const text = value.trim();
  if (NAME.test(text) || ARN[kind].test(text)) return text;
  throw new ConfigurationError(
    `invalid ${kind} ${shorten(text)} for input "${inputName}" (a name of up to 255 letters, digits, "-" and "_", or a ${kind} ARN)`,
  );
}

/** A container name: up to 255 letters, digits, hyphens and underscores. */
export function parseContainerName(value: string, inputName: string): string {
  const text = value.trim();
  if (NAME.test(text)) return text;
  throw new ConfigurationError(
    `invalid container name ${shorten(text)} for input "${inputName}" (up to 255 letters, digits, "-" and "_")`,
  );
}
