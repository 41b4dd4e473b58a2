import { FerryError } from '../errors.ts';
import type { Lease } from '../store/types.ts';

/** Another deploy holds the (service, environment) lease. */
export class LockHeldError extends FerryError {
  readonly lease: Lease;
  constructor(lease: Lease) {
    super(
      'E_LOCKED',
      `${lease.key} is being deployed by ${lease.holder} since ${new Date(lease.acquiredAt).toISOString()}` +
        `${lease.releaseId !== undefined ? ` (release ${lease.releaseId})` : ''}; the lease expires at ${new Date(lease.expiresAt).toISOString()}`,
      { hint: 'wait for it, or queue behind it' },
    );
    this.name = 'LockHeldError';
    this.lease = lease;
  }
}

/** This process lost its lease (it could not renew in time); it must stop touching the cluster. */
export class LockLostError extends FerryError {
  constructor(key: string) {
    super('E_LOCK_LOST', `lost the lease on ${key}`);
    this.name = 'LockLostError';
  }
}

/** A deploy or rollback ran and did not succeed (the record says why).  */
export class ReleaseFailedError extends FerryError {
  readonly releaseId: number;
  readonly step: string;
  constructor(releaseId: number, step: string, message: string, cause?: unknown) {
    super('E_RELEASE_FAILED', `release ${releaseId} failed at ${step}: ${message}`, {
      cause,
      hint: `the history has every step of release ${releaseId}`,
    });
    this.name = 'ReleaseFailedError';
    this.releaseId = releaseId;
    this.step = step;
  }
}

/** Stopped by a signal (Ctrl-C); the release is recorded as cancelled. */
export class CancelledError extends FerryError {
  constructor(message = 'cancelled') {
    super('E_CANCELLED', message, {});
    this.name = 'CancelledError';
  }
}

/** Nothing to roll back to. */
export class NoPreviousReleaseError extends FerryError {
  constructor(service: string, env: string) {
    super('E_NO_PREVIOUS_RELEASE', `${service} has no earlier successful release in ${env}`, {
      hint: 'the history lists the releases',
    });
    this.name = 'NoPreviousReleaseError';
  }
}

/** A tracked object did not become healthy in time. */
export class TimeoutError extends FerryError {
  constructor(what: string, seconds: number) {
    super('E_TIMEOUT', `${what} did not become healthy within ${seconds}s`, {});
    this.name = 'TimeoutError';
  }
}
