// ECR's authorization token: base64 of "AWS:<password>", valid for 12 hours, used as registry basic auth.
import { ConfigurationError } from '@hokusai/action-kit';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export function decodeAuthorizationToken(token: string): RegistryCredentials {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    // Never quote the token: it is a credential even when malformed.
    throw new ConfigurationError('ECR returned an authorization token that is not base64 of "user:password"');
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
