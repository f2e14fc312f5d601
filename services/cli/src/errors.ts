/** Exit codes of the `lookalike` command. */
export const EXIT = {
  ok: 0,
  /** A runtime failure, or a rebuild that ended failed or cancelled. */
  failure: 1,
  /** A bad flag or a request the API rejected (HTTP 400). */
  usage: 2,
} as const;

/** An error the CLI reports as one line (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad command-line value: reported with the flag it came from, exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}
