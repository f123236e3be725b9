// A service named by its ARN belongs to one cluster, account and region. A `cluster` input that names another is a
// mistake that would act on (or report on) a service other than the one the ARN names, so it is refused in one line
// before the first AWS call. ARN forms (Amazon ECS Developer Guide, "Amazon Resource Names (ARNs) and IDs"):
// arn:<partition>:ecs:<region>:<account>:cluster/<name>, arn:<partition>:ecs:<region>:<account>:service/<cluster>/<name>,
// and the older service/<name> (no cluster in it: only its account and region can be checked).
import { ConfigurationError, shorten } from '@hokusai/action-kit';

/** The parts of an ECS cluster or service ARN; undefined for a name (or anything that is not such an ARN). */
export interface EcsArn {
  region: string;
  account: string;
  /** The cluster's name: the cluster's own, or the one in a service ARN (undefined in the older service form). */
  cluster?: string;
  name: string;
}

const ECS_ARN =
  /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):(cluster|service)\/(?:([A-Za-z0-9_-]+)\/)?([A-Za-z0-9_-]+)$/;

export function parseEcsArn(value: string): EcsArn | undefined {
  const match = ECS_ARN.exec(value.trim());
  if (!match) return undefined;
  const [, region = '', account = '', kind, parent, name = ''] = match;
  if (kind === 'cluster') return parent === undefined ? { region, account, cluster: name, name } : undefined;
  return { region, account, ...(parent !== undefined ? { cluster: parent } : {}), name };
}

/**
 * Refuses a service ARN that names another cluster than `cluster` (a name or an ARN), and a service ARN and a cluster
 * ARN in different accounts or regions. Both values are as the inputs gave them (already checked to be names or
 * ARNs). Throws a ConfigurationError naming both inputs and values; returns nothing when they agree.
 */
export function checkServiceInCluster(cluster: string, service: string): void {
  const serviceArn = parseEcsArn(service);
  if (!serviceArn) return;
  const clusterArn = parseEcsArn(cluster);
  const clusterName = clusterArn?.cluster ?? cluster.trim();
  const both = `service ${shorten(service.trim())} (input "service")`;
  const other = `cluster ${shorten(cluster.trim())} (input "cluster")`;
  if (serviceArn.cluster !== undefined && serviceArn.cluster !== clusterName) {
    throw new ConfigurationError(
      `${both} is in cluster "${serviceArn.cluster}", not in ${other}: give the service's own cluster (nothing was changed)`,
    );
  }
  if (clusterArn && clusterArn.account !== serviceArn.account) {
    throw new ConfigurationError(
      `${both} is in account ${serviceArn.account}, but ${other} is in account ${clusterArn.account} (nothing was changed)`,
    );
  }
  if (clusterArn && clusterArn.region !== serviceArn.region) {
    throw new ConfigurationError(
      `${both} is in region ${serviceArn.region}, but ${other} is in region ${clusterArn.region} (nothing was changed)`,
    );
  }
}
