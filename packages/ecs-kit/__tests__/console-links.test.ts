import { expect, test } from '@jest/globals';
import { alarmConsoleUrl, logStreamConsoleUrl, serviceConsoleUrl } from '../src/console-links.js';

test.each([
  {
    name: 'names',
    url: serviceConsoleUrl('eu-west-1', 'prod', 'api'),
    expected:
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/api/health?region=eu-west-1',
  },
  {
    name: 'ARNs: the names are taken out of them',
    url: serviceConsoleUrl(
      'eu-west-1',
      'arn:aws:ecs:eu-west-1:1:cluster/prod',
      'arn:aws:ecs:eu-west-1:1:service/prod/api',
    ),
    expected:
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/api/health?region=eu-west-1',
  },
  {
    name: 'a log stream, escaped twice with $ as CloudWatch wants',
    url: logStreamConsoleUrl('us-east-1', '/ecs/hokusai-api', 'hokusai/api/abc'),
    expected:
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fhokusai-api/log-events/hokusai$252Fapi$252Fabc',
  },
  {
    name: 'a China region: its own console',
    url: serviceConsoleUrl('cn-north-1', 'prod', 'api'),
    expected:
      'https://cn-north-1.console.amazonaws.cn/ecs/v2/clusters/prod/services/api/health?region=cn-north-1',
  },
  {
    name: 'a GovCloud region: one console host, the region in the query',
    url: alarmConsoleUrl('us-gov-west-1', 'api-5xx'),
    expected:
      'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/api-5xx',
  },
])('$name', ({ url, expected }) => {
  expect(url).toBe(expected);
});
