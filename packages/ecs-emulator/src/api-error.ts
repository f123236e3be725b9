// An AWS error as the wire protocols carry it: the error code the SDK turns into a named exception, and the HTTP status.
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidParameter = (message: string): ApiError =>
  new ApiError('InvalidParameterException', message);

/** Reads typed fields of a request body, answering InvalidParameterException (or the given code) when a type is wrong. */
export class RequestFields {
  constructor(
    private readonly body: Record<string, unknown>,
    private readonly errorCode = 'InvalidParameterException',
  ) {}

  private fail(message: string): never {
    throw new ApiError(this.errorCode, message);
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  string(name: string): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`${name} must be a string`);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') this.fail(`${name} is required`);
    return value;
  }

  number(name: string): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(`${name} must be a number`);
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.number(name);
    if (value !== undefined && !Number.isInteger(value)) this.fail(`${name} must be an integer`);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(`${name} must be a boolean`);
    return value;
  }

  strings(name: string): string[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      this.fail(`${name} must be a list of strings`);
    return value as string[];
  }

  objects(name: string): Record<string, unknown>[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))) {
      this.fail(`${name} must be a list of objects`);
    }
    return value as Record<string, unknown>[];
  }

  object(name: string): Record<string, unknown> | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(`${name} must be an object`);
    return value as Record<string, unknown>;
  }
}
