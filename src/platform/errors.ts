/** A problem with what the caller sent: each entry names the field and says what to fix. */
export interface FieldError {
  field: string;
  message: string;
}

export class ValidationError extends Error {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  readonly extra: Record<string, unknown>;
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ConflictError';
    this.extra = extra;
  }
}

export class UnauthenticatedError extends Error {
  constructor(message = 'Sign in or send a valid API key') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}
