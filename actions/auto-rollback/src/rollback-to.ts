// The `to` input as data: `previous`, a bare revision number, `family:revision` or a task definition ARN. Parsed
// before any AWS call so a typo is refused with one line and nothing changed.
import { ConfigurationError, shorten } from '@hokusai/action-kit';

export type RollbackTo =
  | { kind: 'previous' }
  | { kind: 'revision'; revision: number }
  | { kind: 'family-revision'; family: string; revision: number }
  | { kind: 'arn'; arn: string; family: string; revision: number };

// ECS family names: up to 255 letters, digits, hyphens and underscores.
const FAMILY = '[A-Za-z0-9_-]{1,255}';
const ARN = new RegExp(`^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:task-definition/(${FAMILY}):(\\d+)$`);
const FAMILY_REVISION = new RegExp(`^(${FAMILY}):(\\d+)$`);

function revisionOf(text: string, value: string): number {
  const revision = Number(text);
  if (!Number.isSafeInteger(revision) || revision < 1) {
    throw new ConfigurationError(
      `invalid revision in ${shorten(value)} for input "to" (revisions start at 1)`,
    );
  }
  return revision;
}

export function parseRollbackTo(value: string): RollbackTo {
  const text = value.trim();
  if (text === '' || text === 'previous') return { kind: 'previous' };
  if (/^\d+$/.test(text)) return { kind: 'revision', revision: revisionOf(text, value) };
  const arn = ARN.exec(text);
  if (arn) return { kind: 'arn', arn: text, family: arn[1]!, revision: revisionOf(arn[2]!, value) };
  const pair = FAMILY_REVISION.exec(text);
  if (pair) return { kind: 'family-revision', family: pair[1]!, revision: revisionOf(pair[2]!, value) };
  throw new ConfigurationError(
    `invalid value ${shorten(value)} for input "to" (use previous, a revision number such as 108, family:revision such as hokusai-api:108, or a task definition ARN)`,
  );
}

/** The text resolveRollbackTarget() takes for a parsed `to`. */
export function rollbackToReference(to: RollbackTo): string {
  switch (to.kind) {
    case 'previous':
      return 'previous';
    case 'revision':
      return String(to.revision);
    case 'family-revision':
      return `${to.family}:${to.revision}`;
    case 'arn':
      return to.arn;
  }
}
