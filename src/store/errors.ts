import { FerryError } from '../errors.ts';

/** The store could not be opened, migrated or written. */
export class StoreError extends FerryError {
  constructor(message: string, cause?: unknown) {
    super('E_STORE', message, { cause, hint: 'check FERRY_STATE / .ferry/state.db is writable' });
    this.name = 'StoreError';
  }
}

/** A release id that the store does not hold. Exit code 2: the user named it. */
export class ReleaseNotFoundError extends FerryError {
  readonly releaseId: number;
  constructor(id: number) {
    super('E_RELEASE_NOT_FOUND', `release ${id} not found`, {
      exitCode: 2,
      hint: 'list releases with `ferry history <service> --env <env>`',
    });
    this.name = 'ReleaseNotFoundError';
    this.releaseId = id;
  }
}
