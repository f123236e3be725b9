// Plain-data fixtures for the unit tests: a service behind an ALB as discoverService() would describe it, and the
// action's default settings.
import type { MonitoringSettings } from '../src/desired.js';
import type { ServiceContext } from '../src/model.js';

export const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/production';
export const LOAD_BALANCER = 'app/hokusai-alb/50dc6c495c0c9188';
export const TARGET_GROUP = 'targetgroup/hokusai-api/73e2d6bc24d8a067';

export function serviceContext(overrides: Partial<ServiceContext> = {}): ServiceContext {
  return {
    region: 'eu-west-1',
    partition: 'aws',
    account: '123456789012',
    clusterName: 'production',
    clusterArn: CLUSTER_ARN,
    serviceName: 'hokusai-api',
    serviceArn: 'arn:aws:ecs:eu-west-1:123456789012:service/production/hokusai-api',
    containerInsights: true,
    loadBalancer: {
      loadBalancer: LOAD_BALANCER,
      targetGroup: TARGET_GROUP,
      targetGroupArn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:${TARGET_GROUP}`,
    },
    deploymentController: 'ECS',
    deploymentConfiguration: {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    ...overrides,
  };
}

export function settings(overrides: Partial<MonitoringSettings> = {}): MonitoringSettings {
  return {
    'latency-threshold': 5,
    'error-rate-threshold': 1,
    'restart-threshold': 3,
    'restart-window': 300,
    period: 60,
    'evaluation-periods': 3,
    'alarm-actions': [],
    'ok-actions': [],
    'alarm-prefix': '',
    dashboard: true,
    'dashboard-name': '',
    'deployment-alarms': true,
    'enable-container-insights': false,
    tags: {},
    ...overrides,
  };
}
