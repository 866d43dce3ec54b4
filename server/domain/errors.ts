/**
 * Problems the web pages word in the reader's language (web/i18n: `validation.<code>`); any
 * other is shown as the English text the domain wrote.
 */
export type ValidationCode = "alt-missing";

/** A problem with what a user or script asked for; `field` names the input at fault. */
export class ValidationError extends Error {
  /** The message without the field's name: what a form shows next to the field itself. */
  readonly reason: string;
  constructor(
    readonly field: string,
    message: string,
    readonly code?: ValidationCode,
  ) {
    super(`${field}: ${message}`);
    this.reason = message;
  }
}

/** An upload (or a request body) over its size limit: answered 413 rather than 400. */
export class TooLargeError extends ValidationError {
  readonly status = 413;
}
