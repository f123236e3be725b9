// User mistakes (bad input, missing resource, missing permission) versus bugs.
// A ConfigurationError is reported as one line; anything else keeps its stack in the debug log.

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof ConfigurationError;
}

/** The message of anything thrown, as one string. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
