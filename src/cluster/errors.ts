import { FerryError } from '../errors.ts';

/** The API server could not be reached (after retries). Nothing was recorded as success. */
export class ClusterUnreachableError extends FerryError {
  constructor(server: string, cause: unknown) {
    super('E_CLUSTER_UNREACHABLE', `cannot reach the Kubernetes API at ${server}`, {
      cause,
      hint: 'check the kubeconfig and its context, and that the cluster is up',
    });
    this.name = 'ClusterUnreachableError';
  }
}

/** The API server answered with an error status. */
export class ClusterApiError extends FerryError {
  readonly status: number;
  readonly reason: string;
  constructor(what: string, status: number, message: string, reason: string, cause: unknown) {
    super('E_CLUSTER_API', `${what}: ${message} (HTTP ${status})`, { cause });
    this.name = 'ClusterApiError';
    this.status = status;
    this.reason = reason;
  }
}

/** No usable kubeconfig / context. */
export class KubeconfigError extends FerryError {
  constructor(message: string, cause?: unknown) {
    super('E_KUBECONFIG', message, {
      cause,
      hint: 'check the kubeconfig (KUBECONFIG) and the contexts it holds',
    });
    this.name = 'KubeconfigError';
  }
}

/** The kubeconfig's exec credential plugin failed, or printed no usable credential. */
export class ClusterCredentialsError extends FerryError {
  constructor(message: string, installHint: string | undefined, cause?: unknown) {
    super('E_CLUSTER_CREDENTIALS', message, {
      cause,
      hint:
        installHint ?? 'check that the credential plugin is installed and logged in (run it by hand to see)',
    });
    this.name = 'ClusterCredentialsError';
  }
}
