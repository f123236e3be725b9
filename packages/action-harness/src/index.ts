// Test helpers shared by every action's end-to-end tests.
export {
  runAction,
  actionDefaults,
  resolveActionDir,
  repoRoot,
  type ActionRun,
  type RunActionOptions,
} from './run-action.js';
export {
  parseWorkflowCommands,
  RUNNER_COMMANDS,
  parseFileCommands,
  annotationsOf,
  maskLog,
  unescapeData,
  unescapeProperty,
  type Annotation,
  type WorkflowCommand,
} from './workflow-commands.js';
export {
  requireCommand,
  requireDocker,
  requirePythonBaseImage,
  PYTHON_BASE_IMAGE,
  findPythons,
  pythonVersion,
  type PythonInterpreter,
} from './prerequisites.js';
export { startMoto, freePort, type MotoServer } from './moto.js';
export { startRegistry, type RegistryServer } from './registry.js';
export {
  startRecordingProxy,
  operationOf,
  isReadOperation,
  type RecordedCall,
  type RecordingProxy,
} from './recording-proxy.js';
export { startHoldingProxy, type HeldRequest, type HoldingProxy } from './holding-proxy.js';
export { badInputProblems, type BadInputExpectation } from './bad-input.js';
export { HOSTILE_LINES, HOSTILE_TEXT, injectedCommands } from './hostile-text.js';
