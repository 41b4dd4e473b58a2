// The Kubernetes store's own errors: where (context, namespace) and what to do. Conflicts (409) are
// never errors here: the driver retries its compare-and-set; what reaches the caller is final.
import { FerryError } from '../../errors.ts';
import { ClusterApiError } from '../../cluster/errors.ts';

export function isConflict(e: unknown): boolean {
  return e instanceof ClusterApiError && e.status === 409;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ClusterApiError && e.status === 404;
}

/** The cluster refused a read or write of the store's records (most often RBAC). */
export class ClusterStoreError extends FerryError {
  constructor(what: string, where: string, cause: unknown) {
    const forbidden = cause instanceof ClusterApiError && (cause.status === 403 || cause.status === 401);
    super(
      'E_STORE_CLUSTER',
      `the release store in ${where} could not ${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
        hint: forbidden
          ? 'the kube context needs get, list, create, update and delete on Secrets, ConfigMaps and Leases in the namespace (docs/store.md, RBAC)'
          : 'check that the cluster is up and the namespace accepts the store’s Secrets, ConfigMaps and Leases',
      },
    );
    this.name = 'ClusterStoreError';
  }
}

/** The environment's namespace does not exist and the platform file says ferry may not create it. */
export class NamespaceMissingError extends FerryError {
  constructor(environment: string, namespace: string, context: string) {
    super(
      'E_STORE_NAMESPACE',
      `the namespace ${namespace} of environment ${environment} does not exist in context ${context}, and ferry may not create it (createNamespace: false)`,
      {
        hint: `create the namespace ${namespace}, or set createNamespace: true for ${environment} in the platform file`,
      },
    );
    this.name = 'NamespaceMissingError';
  }
}

/** A release whose compressed record does not fit one Secret. */
export class ReleaseTooLargeError extends FerryError {
  constructor(what: string, bytes: number, limit: number) {
    super(
      'E_RELEASE_TOO_LARGE',
      `${what} is ${(bytes / 1024).toFixed(0)} KiB compressed: a Secret holds at most ${(limit / 1024).toFixed(0)} KiB`,
      {
        hint: 'keep this history in PostgreSQL (FERRY_STATE=postgres://…), or split the service into smaller ones',
      },
    );
    this.name = 'ReleaseTooLargeError';
  }
}
