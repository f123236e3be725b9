// Replays the reusable workflows' jobs on this machine with the real bundled actions.
export { ArtifactConflictError, ArtifactStore, type StoredArtifact } from './artifact-store.js';
export {
  coerceString,
  condition,
  evaluate,
  interpolate,
  type Contexts,
  type JobStatus,
  type Json,
} from './expressions.js';
export {
  replayWorkflow,
  type JobRecord,
  type ReplayOptions,
  type ReplayRecord,
  type Result,
  type StandIn,
  type StandInCall,
  type StandInResult,
  type StepRecord,
} from './replay.js';
export { runStep, shellCommand, type RunStepOptions, type RunStepResult } from './run-step.js';
export {
  awsCredentialsStandIn,
  checkoutStandIn,
  downloadArtifactStandIn,
  setupPythonStandIn,
  uploadArtifactStandIn,
} from './stand-ins.js';
