// The rollback reason as an ECS tag value on the service: ECS allows at most 256 characters of letters, digits,
// whitespace and `_ . : / = + - @`, and reserves the `aws:` prefix, so free text is adapted to fit, never refused.

export const ROLLBACK_REASON_TAG = 'hokusai:rollback-reason';
export const MAX_TAG_VALUE_LENGTH = 256;

const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const DISALLOWED_RUN = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]+/gu;

export interface ReasonTagValue {
  value: string;
  /** True when the value differs from the reason (characters replaced, shortened or prefixed). */
  adapted: boolean;
}

/** True when ECS accepts `value` as a tag value as it is. */
export function isValidTagValue(value: string): boolean {
  return [...value].length <= MAX_TAG_VALUE_LENGTH && ALLOWED.test(value) && !/^aws:/i.test(value);
}

export function reasonTagValue(reason: string): ReasonTagValue {
  let value = reason.replace(DISALLOWED_RUN, ' ').replace(/\s+/g, ' ').trim();
  if (/^aws:/i.test(value)) value = `reason ${value}`;
  const chars = [...value];
  if (chars.length > MAX_TAG_VALUE_LENGTH)
    value = `${chars
      .slice(0, MAX_TAG_VALUE_LENGTH - 3)
      .join('')
      .trimEnd()}...`;
  return { value, adapted: value !== reason };
}
