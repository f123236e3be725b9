// The one builder of AWS console links the summaries show (the ECS service, a CloudWatch log stream, an alarm), in
// the region's own partition (aws-kit consoleOrigin: China and GovCloud have consoles of their own).
import { consoleOrigin } from '@hokusai/aws-kit';

/** The service's health page in the ECS console; `cluster` and `service` may be names or ARNs. */
export function serviceConsoleUrl(region: string, cluster: string, service: string): string {
  const name = (s: string) => s.slice(s.lastIndexOf('/') + 1);
  return `${consoleOrigin(region)}/ecs/v2/clusters/${encodeURIComponent(name(cluster))}/services/${encodeURIComponent(name(service))}/health?region=${region}`;
}

/** A log stream in the CloudWatch console, which escapes path parts twice, with `$` for `%`. */
export function logStreamConsoleUrl(region: string, group: string, stream: string): string {
  const enc = (s: string) => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, '$');
  return `${consoleOrigin(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(group)}/log-events/${enc(stream)}`;
}

/** A CloudWatch alarm in the console (its graph, history and state reason). */
export function alarmConsoleUrl(region: string, name: string): string {
  return `${consoleOrigin(region)}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}
