// Which parts of the `env` input are registered with the runner's masker and redacted from the summary and the
// report: every value and every credential inside one, except values that cannot be secrets by their shape.
import { credentialsIn, isPlainSetting, secretMasksOf } from '@hokusai/action-kit';

export interface EnvMasks {
  /** Everything to mask and redact: whole values, their lines, the credentials inside them. */
  masks: string[];
  /** Names whose values are not masked: too short, or a boolean or a number (isPlainSetting). */
  unmasked: string[];
}

/**
 * The masks for `KEY=VALUE` pairs. A value such as `1`, `true` or `8080` is not masked whole (the runner would
 * hide every later `1` of the job, `line 13` reading `line ***3`); credentials inside a value still are.
 */
export function envMasks(pairs: ReadonlyArray<readonly [string, string]>): EnvMasks {
  const masks = new Set<string>();
  const unmasked: string[] = [];
  for (const [name, value] of pairs) {
    if (value.trim() === '') continue;
    if (isPlainSetting(value)) {
      unmasked.push(name);
      for (const credential of credentialsIn(value)) masks.add(credential);
    } else {
      for (const mask of secretMasksOf(value)) masks.add(mask);
    }
  }
  return { masks: [...masks], unmasked };
}
