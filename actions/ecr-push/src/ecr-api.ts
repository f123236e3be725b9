// The three ECR API calls the push needs (the client retries them with the suite's one policy: see main.ts), with
// AWS errors turned into one line naming the call.
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { explainAwsError, awsErrorName } from '@hokusai/aws-kit';

export interface EcrAuthorization {
  /** base64 of "AWS:<password>"; a secret. */
  token: string;
  /** e.g. https://123456789012.dkr.ecr.us-east-1.amazonaws.com */
  proxyEndpoint: string;
  expiresAt?: Date;
}

export interface RepositoryInfo {
  name: string;
  registryId: string;
  uri: string;
  tagMutability: string;
  scanOnPush: boolean;
}

export interface EcrApi {
  getAuthorizationToken(registryId?: string): Promise<EcrAuthorization>;
  /** undefined when the repository does not exist. */
  describeRepository(name: string, registryId?: string): Promise<RepositoryInfo | undefined>;
  /** Creates it with scan-on-push and IMMUTABLE tags. */
  createRepository(name: string, registryId?: string): Promise<RepositoryInfo>;
}

function toInfo(repository: Repository | undefined, name: string): RepositoryInfo {
  return {
    name: repository?.repositoryName ?? name,
    registryId: repository?.registryId ?? '',
    uri: repository?.repositoryUri ?? '',
    tagMutability: repository?.imageTagMutability ?? 'MUTABLE',
    scanOnPush: repository?.imageScanningConfiguration?.scanOnPush ?? false,
  };
}

export class SdkEcrApi implements EcrApi {
  constructor(
    private readonly client: ECRClient,
    private readonly region: string,
  ) {}

  async getAuthorizationToken(registryId?: string): Promise<EcrAuthorization> {
    try {
      const out = await this.client.send(
        new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {}),
      );
      const data = out.authorizationData?.[0];
      if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new Error('ECR GetAuthorizationToken returned no authorization data');
      }
      return { token: data.authorizationToken, proxyEndpoint: data.proxyEndpoint, expiresAt: data.expiresAt };
    } catch (error) {
      throw explainAwsError(error, `getting an ECR authorization token in ${this.region}`);
    }
  }

  async describeRepository(name: string, registryId?: string): Promise<RepositoryInfo | undefined> {
    try {
      const out = await this.client.send(
        new DescribeRepositoriesCommand({ repositoryNames: [name], ...(registryId ? { registryId } : {}) }),
      );
      return toInfo(out.repositories?.[0], name);
    } catch (error) {
      if (awsErrorName(error) === 'RepositoryNotFoundException') return undefined;
      throw explainAwsError(error, `describing ECR repository "${name}" in ${this.region}`);
    }
  }

  async createRepository(name: string, registryId?: string): Promise<RepositoryInfo> {
    try {
      const out = await this.client.send(
        new CreateRepositoryCommand({
          repositoryName: name,
          ...(registryId ? { registryId } : {}),
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
        }),
      );
      return toInfo(out.repository, name);
    } catch (error) {
      // Another job created it between our describe and create: use theirs.
      if (awsErrorName(error) === 'RepositoryAlreadyExistsException') {
        const existing = await this.describeRepository(name, registryId);
        if (existing) return existing;
      }
      throw explainAwsError(error, `creating ECR repository "${name}" in ${this.region}`);
    }
  }
}
