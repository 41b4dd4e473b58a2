import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CODES, FerryError, type ErrorCode } from '../errors.ts';
import { ExitCode, exitCodeOf, hintOf } from './exit.ts';

// The exit code of every error code, as docs/cli.md documents them: 2 for what the user typed
// or named wrong, 3 for "it ran and the answer is no" (a held lock, a failed rollout), 130 for an
// interruption, 1 for a failure of something ferry depends on or a bug.
const expected: Record<ErrorCode, ExitCode> = {
  E_USAGE: 2,
  E_INVALID_INPUT: 2,
  E_BAD_REQUEST: 2,
  E_READ: 2,
  E_VERSION: 2,
  E_DURATION: 2,
  E_QUANTITY: 2,
  E_SCHEDULE: 2,
  E_INTERPOLATE: 2,
  E_MISSING_VARIABLE: 2,
  E_POD_LABEL: 2,
  E_UNKNOWN_TARGET: 2,
  E_AFTER_CYCLE: 2,
  E_NOTHING_TO_RENDER: 2,
  E_WRONG_RELEASE: 2,
  E_NO_DOWN_MIGRATION: 2,
  E_PROTECTED: 2,
  E_KUBECONFIG: 2,
  E_IMPORT_INVALID: 2,
  E_EXISTS: 2,
  E_IMPORT_EXISTS: 2,
  E_NOT_FOUND: 2,
  E_NO_MANIFEST: 2,
  E_UNKNOWN_ENV: 2,
  E_UNKNOWN_SERVICE: 2,
  E_NOT_IN_ENV: 2,
  E_RELEASE_NOT_FOUND: 2,
  E_NO_PREVIOUS_RELEASE: 2,
  E_LOCKED: 3,
  E_LOCK_LOST: 3,
  E_DB_CREDENTIALS: 3,
  E_RELEASE_FAILED: 3,
  E_PREFLIGHT: 3,
  E_ROLLOUT_FAILED: 3,
  E_TIMEOUT: 3,
  E_CANCELLED: 130,
  E_CLUSTER_UNREACHABLE: 1,
  E_CLUSTER_API: 1,
  E_CLUSTER_CREDENTIALS: 1,
  E_STORE: 1,
  E_STORE_CLUSTER: 1,
  E_STORE_NAMESPACE: 2,
  E_RELEASE_TOO_LARGE: 2,
  E_MIGRATE_CONFLICT: 3,
  E_MIGRATE_RUNNING: 3,
  E_PROVISION: 1,
  E_PROJECT_REF: 2,
  E_PROJECT_REF_INVALID: 2,
  E_PROJECT_LOCAL_REF: 2,
  E_PROJECT_FETCH: 1,
  E_PROJECT_AUTH: 1,
  E_NO_DEFAULT_ENV: 2,
  E_GIT_COMMIT: 2,
  E_INTERNAL: 1,
  E_UNAUTHENTICATED: 1,
  E_FORBIDDEN: 1,
  E_NO_ROUTE: 2,
  E_TOO_LARGE: 2,
  E_SHUTTING_DOWN: 1,
  E_SERVER_UNREACHABLE: 1,
  E_APPROVAL: 3,
  E_NO_PREVIEWS: 2,
  E_NO_PREVIEW: 2,
  E_PREVIEW_LIMIT: 3,
  E_SIGNATURE: 1,
  E_GITHUB: 1,
  E_NO_CUTOVER: 2,
  E_CUTOVER_STATE: 3,
  E_CUTOVER_STEP: 3,
  E_CUTOVER_CONFIRM: 3,
  E_PROMOTE_SOURCE: 3,
  E_REGISTRY: 1,
};

test('every error code has the documented exit code', () => {
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    assert.equal(exitCodeOf(new FerryError(code, 'x')), expected[code], code);
  }
});

test('the CLI words hints with its flags; other hints pass through', () => {
  assert.match(hintOf(new FerryError('E_LOCKED', 'x', { hint: 'wait for it' })) ?? '', /--wait-lock/);
  assert.equal(hintOf(new FerryError('E_USAGE', 'x', { hint: 'write e.g. 30s' })), 'write e.g. 30s');
  assert.equal(hintOf(new FerryError('E_USAGE', 'x')), undefined);
});
