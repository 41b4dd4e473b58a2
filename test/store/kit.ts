// The Kubernetes store in the tests: a placement of the driver contract's environments (test,
// stage, prod), each in a namespace of its own that the driver creates on its first write, and
// one cluster client per "machine".
import { randomBytes } from 'node:crypto';
import { KubeCluster } from '../../src/cluster/kube.ts';
import type { Cluster } from '../../src/cluster/types.ts';
import { FerryError } from '../../src/errors.ts';
import type { KubernetesPlacement } from '../../src/store/kubernetes/placement.ts';
import { testCluster, testKubeconfigPath } from '../kit/cluster.ts';

export const ENVIRONMENTS = ['test', 'stage', 'prod'];

/** One client per call: two drivers are two machines, each with its own connection. */
export function machine(): Cluster {
  return new KubeCluster({ kubeconfig: testKubeconfigPath() });
}

export const namespaceOf = (shared: string, env: string) => `ferry-test-ks-${shared}-${env}`;

export function placement(cluster: Cluster, shared: string, createNamespace = true): KubernetesPlacement {
  return {
    locate(environment) {
      if (!ENVIRONMENTS.includes(environment)) {
        throw new FerryError('E_UNKNOWN_ENV', `no environment ${environment}`);
      }
      return { cluster, namespace: namespaceOf(shared, environment), createNamespace };
    },
    environments: () => ENVIRONMENTS,
  };
}

export async function dropNamespaces(shared: string): Promise<void> {
  if (process.env.FERRY_TEST_KEEP_NAMESPACES === '1') return;
  const c = machine();
  await Promise.all(
    ENVIRONMENTS.map((env) =>
      c.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespaceOf(shared, env), namespace: undefined }),
    ),
  );
}

/** Runs `fn` with a fresh set of namespaces (one per environment), dropped afterwards. */
export async function withShared(fn: (shared: string) => Promise<void>): Promise<void> {
  await testCluster();
  const shared = `k${randomBytes(3).toString('hex')}`;
  try {
    await fn(shared);
  } finally {
    await dropNamespaces(shared);
  }
}
