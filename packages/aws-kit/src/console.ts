// Where the AWS Management Console lives for a region. The partition follows the region's name (IAM User Guide,
// "Amazon Resource Names (ARNs)": aws for AWS Regions, aws-cn for China Regions cn-*, aws-us-gov for AWS GovCloud
// (US) Regions us-gov-*); China's console is at <region>.console.amazonaws.cn, GovCloud's at
// console.amazonaws-us-gov.com (the region goes in the query), the rest at <region>.console.aws.amazon.com.

/** The partition of a region name: `aws-cn` for cn-*, `aws-us-gov` for us-gov-*, else `aws`. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The console's origin (scheme and host, no trailing slash) for `region` in `partition` (default: the region's own,
 * partitionOfRegion). Pages under it take `?region=<region>` as well.
 */
export function consoleOrigin(region: string, partition: string = partitionOfRegion(region)): string {
  if (partition === 'aws-cn') return `https://${region}.console.amazonaws.cn`;
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  return `https://${region}.console.aws.amazon.com`;
}
