import type { exitCodes } from './usage-error.js';

type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * A failure the command line explains in one message and maps to a stable
 * exit status, so scripts can tell "server down" from "key refused" from
 * "bad input" without parsing text.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
