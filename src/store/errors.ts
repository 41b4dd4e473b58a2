import { FerryError } from '../errors.ts';
import type { ReleaseKey } from './types.ts';

/** The store could not be opened, migrated or written. */
export class StoreError extends FerryError {
  constructor(message: string, cause?: unknown) {
    super('E_STORE', message, {
      cause,
      hint: 'check that the state store (FERRY_STATE) is reachable and writable',
    });
    this.name = 'StoreError';
  }
}

/** A release id that the store does not hold (the user named it). */
export class ReleaseNotFoundError extends FerryError {
  readonly key: ReleaseKey;
  constructor(key: ReleaseKey) {
    super('E_RELEASE_NOT_FOUND', `release ${key.id} of ${key.service} in ${key.environment} not found`, {
      hint: 'the history of the service in its environment lists its releases',
    });
    this.name = 'ReleaseNotFoundError';
    this.key = key;
  }
}
