// Every error ferry raises on purpose is a FerryError with a stable code from one closed table.
// Each code has a kind (what went wrong, as an edge needs to know it); each edge translates kinds
// once: the CLI to exit codes (cli/exit.ts), the server to HTTP statuses. Nothing matches on
// message text, and messages and hints name no CLI flags: the CLI adds its flag wording by code.

/** What kind of failure an error is, independent of the edge that reports it. */
export type ErrorKind =
  /** the input is wrong: a file, a flag, a request body */
  | 'invalid'
  /** what the input names does not exist: a service, an environment, a release */
  | 'not-found'
  /** someone else holds what this needs (a lock), or the state changed under it */
  | 'conflict'
  /** the action ran and the answer is no: a failed rollout, a timed-out check */
  | 'rejected'
  /** stopped on request (Ctrl-C, a cancel call) */
  | 'cancelled'
  /** a system ferry depends on failed or cannot be reached: the cluster, the store, a database */
  | 'unavailable'
  /** no or a bad credential (the server) */
  | 'unauthenticated'
  /** a credential that may not do this (the server) */
  | 'forbidden'
  /** a bug in ferry */
  | 'internal';

/** Every error code ferry raises, with its kind. Add a code here before raising it. */
export const ERROR_CODES = {
  E_USAGE: 'invalid',
  E_INVALID_INPUT: 'invalid',
  /** a server request's path, query or body does not match the route's schema */
  E_BAD_REQUEST: 'invalid',
  E_READ: 'invalid',
  E_VERSION: 'invalid',
  E_DURATION: 'invalid',
  E_QUANTITY: 'invalid',
  E_SCHEDULE: 'invalid',
  E_INTERPOLATE: 'invalid',
  E_MISSING_VARIABLE: 'invalid',
  E_POD_LABEL: 'invalid',
  E_UNKNOWN_TARGET: 'invalid',
  /** a batch whose services wait for each other (their after: lists form a cycle) */
  E_AFTER_CYCLE: 'invalid',
  E_NOTHING_TO_RENDER: 'invalid',
  E_WRONG_RELEASE: 'invalid',
  E_NO_DOWN_MIGRATION: 'invalid',
  E_PROTECTED: 'invalid',
  E_KUBECONFIG: 'invalid',
  E_IMPORT_INVALID: 'invalid',
  /** a file or folder ferry would write is taken (pass --force); the user's input, not a race */
  E_EXISTS: 'invalid',
  E_IMPORT_EXISTS: 'invalid',
  E_NOT_FOUND: 'not-found',
  E_NO_MANIFEST: 'not-found',
  E_UNKNOWN_ENV: 'not-found',
  E_UNKNOWN_SERVICE: 'not-found',
  E_NOT_IN_ENV: 'not-found',
  E_RELEASE_NOT_FOUND: 'not-found',
  E_NO_PREVIOUS_RELEASE: 'not-found',
  E_LOCKED: 'conflict',
  E_LOCK_LOST: 'conflict',
  /** a database role exists and ferry holds no working password for it (it never resets one) */
  E_DB_CREDENTIALS: 'conflict',
  E_RELEASE_FAILED: 'rejected',
  /** the API server refused the object set in the dry-run before anything was changed */
  E_PREFLIGHT: 'rejected',
  E_ROLLOUT_FAILED: 'rejected',
  E_TIMEOUT: 'rejected',
  E_CANCELLED: 'cancelled',
  E_CLUSTER_UNREACHABLE: 'unavailable',
  E_CLUSTER_API: 'unavailable',
  /** the kubeconfig's credential plugin failed or printed no usable credential */
  E_CLUSTER_CREDENTIALS: 'unauthenticated',
  E_STORE: 'unavailable',
  /** the cluster that holds an environment's records refused to read or write them (RBAC, quota) */
  E_STORE_CLUSTER: 'unavailable',
  /** an environment's namespace does not exist and the store may not create it */
  E_STORE_NAMESPACE: 'not-found',
  /** a release too large for the store that must hold it (a Secret holds 1 MiB) */
  E_RELEASE_TOO_LARGE: 'invalid',
  /** moving history: the target holds a different release under the same key, or cannot keep an id */
  E_MIGRATE_CONFLICT: 'conflict',
  /** moving history: a release is still running in the source */
  E_MIGRATE_RUNNING: 'conflict',
  E_PROVISION: 'unavailable',
  /** a git project: the ref names no branch, tag or commit of the repository */
  E_PROJECT_REF: 'not-found',
  /** a git project: the ref is not a branch, tag or commit name (e.g. `main~1`, `-x`) */
  E_PROJECT_REF_INVALID: 'invalid',
  /** a local-folder project was asked for a commit other than the one checked out */
  E_PROJECT_LOCAL_REF: 'invalid',
  /** a git project's remote cannot be reached, or git itself failed */
  E_PROJECT_FETCH: 'unavailable',
  /** a git project's remote refused the credentials (or needs some and has none) */
  E_PROJECT_AUTH: 'unavailable',
  /** DORA figures asked for without an environment, and none is named prod or production */
  E_NO_DEFAULT_ENV: 'invalid',
  /** a commit named for a release is not in the git repository, or git cannot be read */
  E_GIT_COMMIT: 'invalid',
  E_INTERNAL: 'internal',
  /** the server: no token, a malformed or unknown one, expired or revoked */
  E_UNAUTHENTICATED: 'unauthenticated',
  /** the server: the token's role may not do this (here) */
  E_FORBIDDEN: 'forbidden',
  /** the server: no such route */
  E_NO_ROUTE: 'not-found',
  /** the server: a request body over the limit */
  E_TOO_LARGE: 'invalid',
  /** the server: shutting down, takes no new work */
  E_SHUTTING_DOWN: 'unavailable',
  /** the CLI: the team server cannot be reached */
  E_SERVER_UNREACHABLE: 'unavailable',
  /** an approval the request cannot take (its own requester, or not waiting for approval) */
  E_APPROVAL: 'conflict',
  /** the platform file has no previews: section */
  E_NO_PREVIEWS: 'invalid',
  /** no preview for that pull request */
  E_NO_PREVIEW: 'not-found',
  /** a preview over previews.maxCount */
  E_PREVIEW_LIMIT: 'rejected',
  /** a webhook whose signature does not match its body (or that has none) */
  E_SIGNATURE: 'unauthenticated',
  /** the GitHub API failed, timed out or answered an error */
  E_GITHUB: 'unavailable',
  /** cutover: the environment has no cutover section in the platform file */
  E_NO_CUTOVER: 'not-found',
  /** cutover: the command does not fit where the runbook is (none running, one running, done) */
  E_CUTOVER_STATE: 'conflict',
  /** cutover: a step, or a check after a weight, failed (the weight was rolled back) */
  E_CUTOVER_STEP: 'rejected',
  /** cutover: the next step waits for a person's confirmation */
  E_CUTOVER_CONFIRM: 'rejected',
  /** promote: the source environment has no successful release of the service, or its newest failed */
  E_PROMOTE_SOURCE: 'conflict',
  /** a registry's API refused or could not answer (resolving a tag to its digest) */
  E_REGISTRY: 'unavailable',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function kindOf(code: ErrorCode): ErrorKind {
  return ERROR_CODES[code];
}

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
  readonly code: ErrorCode;
  /** what the user can do about it, shown after the message; names no CLI flag */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; hint?: string } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'FerryError';
    this.code = code;
    this.hint = opts.hint;
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code];
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

/** Invalid input: all problems of one or more files at once. */
export class InvalidInputError extends FerryError {
  readonly issues: readonly Issue[];
  constructor(
    issues: readonly Issue[],
    message?: string,
    code: 'E_INVALID_INPUT' | 'E_BAD_REQUEST' = 'E_INVALID_INPUT',
  ) {
    super(code, message ?? `${issues.length} problem${issues.length === 1 ? '' : 's'} found`);
    this.name = 'InvalidInputError';
    this.issues = issues;
  }
}

/** Shorthand for an error the user's input caused (a bad flag, an unknown name). */
export function usageError(code: ErrorCode, message: string, hint?: string): FerryError {
  return new FerryError(code, message, hint ? { hint } : {});
}
