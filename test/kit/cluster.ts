// Integration-test access to a real Kubernetes API: the local test cluster started by
// `npm run cluster:up` (.ferry/cluster/kubeconfig), or any cluster named by FERRY_TEST_KUBECONFIG.
// Each test gets typed clients and its own fresh namespace, deleted afterwards.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Path of the local cluster's kubeconfig, written by scripts/cluster/up.sh. */
export const localKubeconfig = `${repoRoot}.ferry/cluster/kubeconfig`;

/** The kubeconfig the integration tests use: FERRY_TEST_KUBECONFIG, else the local cluster's. */
export function testKubeconfigPath(): string {
  return process.env.FERRY_TEST_KUBECONFIG || localKubeconfig;
}

export interface TestCluster {
  kubeconfigPath: string;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  objects: KubernetesObjectApi;
}

export interface TestNamespace extends TestCluster {
  namespace: string;
}

const hint =
  'start the local test cluster with `npm run cluster:up`, or point FERRY_TEST_KUBECONFIG at a reachable cluster';

let connected: Promise<TestCluster> | undefined;

/** Loads the kubeconfig and checks that the API server answers; memoised per process. */
export function testCluster(): Promise<TestCluster> {
  connected ??= connect();
  return connected;
}

async function connect(): Promise<TestCluster> {
  const kubeconfigPath = testKubeconfigPath();
  if (!existsSync(kubeconfigPath)) {
    throw new Error(`no kubeconfig at ${kubeconfigPath}: ${hint}`);
  }
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.listNamespace({ limit: 1 });
  } catch (err) {
    const server = kc.getCurrentCluster()?.server ?? '(no server)';
    throw new Error(`cannot reach the Kubernetes API at ${server} (kubeconfig ${kubeconfigPath}): ${hint}`, {
      cause: err,
    });
  }
  return {
    kubeconfigPath,
    kc,
    core,
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Runs `fn` with clients and a fresh namespace `ferry-test-<prefix>-<random>`, whose `default`
 * ServiceAccount exists (so pods are admitted), and deletes the namespace afterwards, whether `fn`
 * passed or threw. Deletion is not awaited to completion: the namespace controller finishes it.
 */
export async function withNamespace<T>(prefix: string, fn: (ns: TestNamespace) => Promise<T>): Promise<T> {
  const cluster = await testCluster();
  const safe = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 30)
    .replace(/^-+|-+$/g, '');
  const namespace = `ferry-test-${safe || 'ns'}-${randomBytes(3).toString('hex')}`;
  await cluster.core.createNamespace({
    body: { metadata: { name: namespace, labels: { 'ferry.dev/test': 'true' } } },
  });
  try {
    await waitFor(`ServiceAccount default in ${namespace}`, () =>
      cluster.core.readNamespacedServiceAccount({ name: 'default', namespace }),
    );
    return await fn({ ...cluster, namespace });
  } finally {
    if (process.env.FERRY_TEST_KEEP_NAMESPACES !== '1') {
      await cluster.core.deleteNamespace({ name: namespace }).catch(() => undefined);
    }
  }
}

/**
 * A namespace as withNamespace makes it, held for a whole test file (its `before` to its `after`):
 * `release` lets withNamespace delete it.
 */
export async function holdNamespace(prefix: string): Promise<TestNamespace & { release: () => void }> {
  let release: () => void = () => undefined;
  const ns = await new Promise<TestNamespace>((resolve) => {
    void withNamespace(prefix, async (n) => {
      resolve(n);
      await new Promise<void>((r) => (release = r));
    });
  });
  return { ...ns, release: () => release() };
}

/**
 * The fault stages (pod label `ferry.dev/fault`) exist only in the local kwok cluster. On another
 * cluster (FERRY_TEST_KUBECONFIG) tests that need them are skipped, unless that cluster runs kwok
 * with scripts/cluster/stages/ too and FERRY_TEST_FAULTS=1 says so.
 */
export const faultStagesAvailable =
  !process.env.FERRY_TEST_KUBECONFIG || process.env.FERRY_TEST_FAULTS === '1';

/** kubectl for the tests: FERRY_TEST_KUBECTL, else the one built for the local cluster, else PATH. */
export function testKubectl(): string {
  if (process.env.FERRY_TEST_KUBECTL) return process.env.FERRY_TEST_KUBECTL;
  const built = `${repoRoot}.ferry/cluster/bin/kubectl`;
  return existsSync(built) ? built : 'kubectl';
}
