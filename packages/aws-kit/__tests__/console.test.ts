import { expect, test } from '@jest/globals';
import { consoleOrigin, partitionOfRegion } from '../src/console.js';

test.each([
  ['eu-west-1', 'aws', 'https://eu-west-1.console.aws.amazon.com'],
  ['cn-northwest-1', 'aws-cn', 'https://cn-northwest-1.console.amazonaws.cn'],
  ['us-gov-east-1', 'aws-us-gov', 'https://console.amazonaws-us-gov.com'],
])('%s is in partition %s, console %s', (region, partition, origin) => {
  expect(partitionOfRegion(region)).toBe(partition);
  expect(consoleOrigin(region)).toBe(origin);
});

test('an explicit partition (from an ARN) wins over the region name', () => {
  expect(consoleOrigin('cn-north-1', 'aws-cn')).toBe('https://cn-north-1.console.amazonaws.cn');
  expect(consoleOrigin('us-east-1', 'aws')).toBe('https://us-east-1.console.aws.amazon.com');
});
