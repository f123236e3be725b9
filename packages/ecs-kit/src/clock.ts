// Time and call counting for the rollout code. The Clock lives in action-kit and the call log in aws-kit (one of
// each for every action); re-exported here for ecs-kit's users.
export { systemClock, type Clock } from '@hokusai/action-kit';
export { ApiCallLog, type ApiCall } from '@hokusai/aws-kit';
