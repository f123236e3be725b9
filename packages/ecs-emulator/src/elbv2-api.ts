// The ELBv2 operations (query protocol: form-encoded Action=..., XML responses) over the simulated target groups.
import { ApiError } from './api-error.js';
import type { Simulation, TargetGroup } from './simulation.js';

export const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

/** An XML element tree: a string is text, an array is a list of <member>s, an object is child elements. */
export type XmlValue = string | number | boolean | XmlValue[] | { [name: string]: XmlValue | undefined };

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function toXml(value: XmlValue): string {
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v!)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** Values of a query-protocol list (Names.member.1, Names.member.2, ...). */
function listParam(params: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) values.push(params.get(`${name}.member.${i}`)!);
  return values;
}

function targetGroupShape(tg: TargetGroup): XmlValue {
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: 'vpc-0emulator',
    HealthCheckProtocol: tg.protocol === 'TCP' ? 'TCP' : tg.protocol,
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: tg.intervalSeconds,
    HealthCheckTimeoutSeconds: tg.timeoutSeconds,
    HealthyThresholdCount: tg.healthyThreshold,
    UnhealthyThresholdCount: tg.unhealthyThreshold,
    HealthCheckPath: tg.protocol === 'TCP' ? undefined : tg.path,
    Matcher: tg.protocol === 'TCP' ? undefined : { HttpCode: '200' },
    LoadBalancerArns: [],
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocol === 'TCP' ? undefined : 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

type Handler = (sim: Simulation, params: URLSearchParams) => XmlValue;

export const elbv2Operations: Record<string, Handler> = {
  DescribeTargetGroups(sim, params) {
    const arns = listParam(params, 'TargetGroupArns');
    const names = listParam(params, 'Names');
    let groups = [...sim.targetGroups.values()];
    if (arns.length > 0) {
      for (const arn of arns) {
        if (!sim.targetGroups.has(arn))
          throw new ApiError('TargetGroupNotFound', `Target groups '${arn}' not found`);
      }
      groups = groups.filter((g) => arns.includes(g.arn));
    }
    if (names.length > 0) {
      for (const name of names) {
        if (!groups.some((g) => g.name === name))
          throw new ApiError('TargetGroupNotFound', `One or more target groups not found`);
      }
      groups = groups.filter((g) => names.includes(g.name));
    }
    return { TargetGroups: groups.map(targetGroupShape) };
  },

  // The one attribute the deploy action reads (to say how long old tasks drain); AWS's default is 300 s.
  DescribeTargetGroupAttributes(sim, params) {
    const arn = params.get('TargetGroupArn') ?? '';
    const tg = sim.targetGroups.get(arn);
    if (!tg) throw new ApiError('TargetGroupNotFound', `Target groups '${arn}' not found`);
    return {
      Attributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: String(tg.deregistrationDelaySeconds) },
      ],
    };
  },

  DescribeTargetHealth(sim, params) {
    const arn = params.get('TargetGroupArn');
    if (!arn)
      throw new ApiError(
        'ValidationError',
        "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null",
      );
    const tg = sim.targetGroups.get(arn);
    if (!tg) throw new ApiError('TargetGroupNotFound', `Target groups '${arn}' not found`);
    const wanted: { id: string; port?: string }[] = [];
    for (let i = 1; params.has(`Targets.member.${i}.Id`); i++) {
      wanted.push({
        id: params.get(`Targets.member.${i}.Id`)!,
        ...(params.has(`Targets.member.${i}.Port`) ? { port: params.get(`Targets.member.${i}.Port`)! } : {}),
      });
    }
    const targets = [...tg.targets.values()];
    const descriptions: XmlValue[] = [];
    if (wanted.length === 0) {
      for (const t of targets)
        descriptions.push(
          describe(t.id, t.port, t.state, t.reason, t.description, sim.availabilityZoneOf(t.taskArn)),
        );
    } else {
      for (const w of wanted) {
        const t = targets.find((x) => x.id === w.id && (w.port === undefined || String(x.port) === w.port));
        if (t)
          descriptions.push(
            describe(t.id, t.port, t.state, t.reason, t.description, sim.availabilityZoneOf(t.taskArn)),
          );
        else
          descriptions.push(
            describe(
              w.id,
              Number(w.port ?? tg.port),
              'unused',
              'Target.NotRegistered',
              'Target is not registered to the target group',
            ),
          );
      }
    }
    return { TargetHealthDescriptions: descriptions };
  },
};

function describe(
  id: string,
  port: number,
  state: string,
  reason?: string,
  description?: string,
  zone?: string,
): XmlValue {
  return {
    Target: { Id: id, Port: port, AvailabilityZone: zone },
    HealthCheckPort: String(port),
    TargetHealth: { State: state, Reason: reason, Description: description },
  };
}
