/**
 * The process cannot start as configured (a bad variable, an unusable DATA_DIR, a damaged
 * embedded database). The server and the CLI print the message alone, without a stack, and exit
 * with code 2, so scripts can tell "fix the set-up" from a failed command (1).
 */
export class StartupError extends Error {
  override name = "StartupError";
}
