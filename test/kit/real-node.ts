// The local cluster's real node (scripts/cluster/real-node.sh): a kubelet with containerd, whose
// pods really run. Tests put workloads on it with a placement (node selector + toleration) and
// reach its pods over the bridge; its pods reach the test PostgreSQL on the bridge's gateway.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { testCluster, waitFor } from './cluster.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const netFile = `${repoRoot}.ferry/cluster/real/net.env`;
const podPostgresFile = `${repoRoot}.ferry/postgres/url-pods`;

/** The label and taint (`NoSchedule`) the real node carries. */
export const REAL_NODE_LABEL = { key: 'ferry.dev/node', value: 'real' } as const;

/**
 * Whether the real node tests run: on the local cluster unless FERRY_CLUSTER_REAL_NODES=0; on
 * another cluster (FERRY_TEST_KUBECONFIG) never, since its nodes do not hold the ferry.local images.
 */
export const realNodeAvailable =
  !process.env.FERRY_TEST_KUBECONFIG && process.env.FERRY_CLUSTER_REAL_NODES !== '0';

/** Why the real node tests are skipped, for `{ skip }`. */
export const realNodeSkip = realNodeAvailable
  ? false
  : 'needs the local cluster with its real node (FERRY_CLUSTER_REAL_NODES=1, no FERRY_TEST_KUBECONFIG)';

export interface RealNode {
  name: string;
  bridge: string;
  /** e.g. 10.230.143.0/24 */
  subnet: string;
  /** the host's address on the bridge: the node's IP and where pods reach the host */
  gateway: string;
  /** containerd's socket (images are in its k8s.io namespace) */
  containerdSocket: string;
  /** the test PostgreSQL's admin URL with the gateway as host: usable from the host and pods */
  postgresAdminUrl: string;
}

function readEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

let found: Promise<RealNode> | undefined;

/** The real node, checked Ready by its own kubelet; memoised per process. */
export function realNode(): Promise<RealNode> {
  found ??= locate();
  return found;
}

async function locate(): Promise<RealNode> {
  if (!existsSync(netFile)) {
    throw new Error(
      `no ${netFile}: the local cluster runs without its real node (start it with npm run cluster:up)`,
    );
  }
  const net = readEnvFile(netFile);
  const name = net.REAL_NODE!;
  const { core } = await testCluster();
  const node = await core.readNode({ name });
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True' || ready.reason !== 'KubeletReady') {
    throw new Error(`node ${name} is not Ready by its kubelet: ${ready?.reason ?? 'no Ready condition'}`);
  }
  if (!existsSync(podPostgresFile)) {
    throw new Error(
      `no ${podPostgresFile}: PostgreSQL does not listen on the real node's bridge (run scripts/postgres/ensure.sh after the cluster is up)`,
    );
  }
  return {
    name,
    bridge: net.REAL_BRIDGE!,
    subnet: net.REAL_SUBNET!,
    gateway: net.REAL_GATEWAY!,
    containerdSocket: net.REAL_SOCK!,
    postgresAdminUrl: readFileSync(podPostgresFile, 'utf8').trim(),
  };
}

/** A platform-file `placement` (YAML flow map) that puts every pod of an environment on the real node. */
export const realPlacementYaml = `{ nodeSelector: { ${REAL_NODE_LABEL.key}: ${REAL_NODE_LABEL.value} }, tolerations: [{ key: ${REAL_NODE_LABEL.key}, value: ${REAL_NODE_LABEL.value}, effect: NoSchedule }] }`;

/** The pod spec fields that do the same for a hand-written pod. */
export const realPodPlacement = {
  nodeSelector: { [REAL_NODE_LABEL.key]: REAL_NODE_LABEL.value },
  tolerations: [
    { key: REAL_NODE_LABEL.key, operator: 'Equal', value: REAL_NODE_LABEL.value, effect: 'NoSchedule' },
  ],
};

/** The pods of `namespace` matching `selector`, once `done` holds for the list. */
export function podsWhere(
  core: CoreV1Api,
  namespace: string,
  selector: string,
  done: (pods: V1Pod[]) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<V1Pod[]> {
  return waitFor(
    what,
    async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items;
      return done(pods) ? pods : undefined;
    },
    timeoutMs,
  );
}

/** GET `url` with `headers`; the status and body (a real request, no retries). */
export async function httpGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}
