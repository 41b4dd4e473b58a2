// Every error ferry raises on purpose is a FerryError with a stable code. The CLI maps
// codes to exit codes in one place (cli/exit.ts); nothing matches on message text.

/** Exit codes, documented in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  invalidInput: 2,
  /** a deploy or check ran and the result is "no" (failed rollout, parity difference). */
  rejected: 3,
  /** interrupted by a signal. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where in a file something is; line and col are 1-based. */
export interface Location {
  file: string;
  line: number;
  col: number;
}

export function formatLocation(loc: Location | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '';
}

export class FerryError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  /** what the user can do about it, shown after the message. */
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    opts: { cause?: unknown; hint?: string; exitCode?: ExitCode } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'FerryError';
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
    this.hint = opts.hint;
  }
}

/** One problem found in an input file. */
export interface Issue {
  /** the key path, e.g. environments.prod.instances */
  path: string;
  message: string;
  loc?: Location;
  hint?: string;
}

export function formatIssue(i: Issue): string {
  const where = i.loc ? `${formatLocation(i.loc)}: ` : '';
  const path = i.path ? `${i.path}: ` : '';
  return `${where}${path}${i.message}${i.hint ? ` (${i.hint})` : ''}`;
}

/** Invalid input: all problems of one or more files at once. Exit code 2. */
export class InvalidInputError extends FerryError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], message?: string) {
    super('E_INVALID_INPUT', message ?? `${issues.length} problem${issues.length === 1 ? '' : 's'} found`, {
      exitCode: ExitCode.invalidInput,
    });
    this.name = 'InvalidInputError';
    this.issues = issues;
  }
}

/** Shorthand for a usage error (bad flag, unknown service, unknown environment). Exit code 2. */
export function usageError(code: string, message: string, hint?: string): FerryError {
  return new FerryError(code, message, { exitCode: ExitCode.invalidInput, ...(hint ? { hint } : {}) });
}
