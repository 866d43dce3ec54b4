/** A problem with what a user or script asked for; `field` names the input at fault. */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** An upload (or a request body) over its size limit: answered 413 rather than 400. */
export class TooLargeError extends ValidationError {
  readonly status = 413;
}
