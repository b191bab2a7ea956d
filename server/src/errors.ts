/**
 * The CLI's exit codes (documented in the README's CLI section) and the errors that carry
 * them. Any other error exits 1.
 */
export const ExitCode = {
  ok: 0,
  /** Anything else went wrong (message on stderr). */
  error: 1,
  /** The command line is wrong: unknown option, missing argument, bad value. */
  usage: 2,
  /** The interface or namespace does not exist (everything that could hold it was read). */
  notFound: 3,
  /** Not allowed to look: a namespace this user may not enter may hold the answer. */
  denied: 4,
  /** The name is in several namespaces: say which with `--netns`. */
  ambiguous: 5,
  /** `why`: a hop stops the packet (the contract; `peer` uses 4 for `denied`). */
  unreachable: 4,
  /** `why`: vethmap cannot tell whether the packet gets through (a hop it cannot judge). */
  undetermined: 5,
} as const;

/** An error the user caused or can fix, with the exit code that says which. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}

export class NotFoundError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.notFound);
    this.name = 'NotFoundError';
  }
}

export class DeniedError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.denied);
    this.name = 'DeniedError';
  }
}

export class AmbiguousError extends CliError {
  /** `details` is what `--json` prints on stdout (the candidates). */
  constructor(message: string, readonly details: unknown) {
    super(message, ExitCode.ambiguous);
    this.name = 'AmbiguousError';
  }
}

export function exitCodeOf(err: unknown): number {
  return err instanceof CliError ? err.exitCode : ExitCode.error;
}
