// The server's one translation of errors to HTTP: a status per error kind (and the few codes that
// mean something more exact), and one body shape, the CLI's -o json error document:
// {"error": {code, message, hint?, issues?: [{path, message, file?, line?, col?}]}}. Never a stack
// trace; an unexpected error is logged and answered 500 without its message's details.
import {
  ERROR_CODES,
  FerryError,
  InvalidInputError,
  type ErrorCode,
  type ErrorKind,
  type Issue,
} from '../errors.ts';

const statuses: Record<ErrorKind, number> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  rejected: 422,
  cancelled: 409,
  unavailable: 503,
  unauthenticated: 401,
  forbidden: 403,
  internal: 500,
};

/** Codes whose status is more exact than their kind's. */
const byCode: Partial<Record<ErrorCode, number>> = {
  // the project's own files are wrong (at the commit asked for): the request was fine
  E_INVALID_INPUT: 422,
  E_SCHEDULE: 422,
  E_INTERPOLATE: 422,
};

export function httpStatus(e: FerryError): number {
  return byCode[e.code] ?? statuses[e.kind];
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    hint?: string;
    issues?: { path: string; message: string; file?: string; line?: number; col?: number; hint?: string }[];
  };
}

function issue(i: Issue, root: string | undefined) {
  const file =
    i.loc?.file && root && i.loc.file.startsWith(`${root}/`)
      ? i.loc.file.slice(root.length + 1)
      : i.loc?.file;
  return {
    path: i.path,
    message: i.message,
    ...(i.loc ? { file, line: i.loc.line, col: i.loc.col } : {}),
    ...(i.hint ? { hint: i.hint } : {}),
  };
}

/** The answer to an error: its status and body. `root`: file paths are shown relative to it. */
export function errorAnswer(e: unknown, root?: string): { status: number; body: ErrorBody } {
  if (e instanceof FerryError) {
    return {
      status: httpStatus(e),
      body: {
        error: {
          code: e.code,
          message: e.message,
          ...(e.hint ? { hint: e.hint } : {}),
          ...(e instanceof InvalidInputError ? { issues: e.issues.map((i) => issue(i, root)) } : {}),
        },
      },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'E_INTERNAL', message: 'internal error: see the server log' } },
  };
}

/** A FerryError raised by the server for HTTP concerns (auth, routes, bodies). */
export function httpError(code: ErrorCode, message: string, hint?: string): FerryError {
  if (!(code in ERROR_CODES)) throw new Error(`unknown error code ${code}`);
  return new FerryError(code, message, hint ? { hint } : {});
}
