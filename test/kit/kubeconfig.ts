// Kubeconfig variants for the client tests: every form users rely on, built from the test
// cluster's own kubeconfig (its server, CA and admin client certificate) and from ServiceAccount
// tokens minted by the real API server (TokenRequest).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { CoreV1Api, KubernetesObject } from '@kubernetes/client-node';
import { KubeCluster } from '../../src/cluster/kube.ts';
import { ClusterApiError } from '../../src/cluster/errors.ts';
import { testKubeconfigPath, waitFor, type TestNamespace } from './cluster.ts';

/** What the test cluster's kubeconfig holds: server, CA and the admin's client certificate (PEM). */
export interface AdminParts {
  server: string;
  ca: string;
  cert: string;
  key: string;
}

type Obj = Record<string, unknown>;

export function adminParts(): AdminParts {
  const file = testKubeconfigPath();
  const doc = parse(readFileSync(file, 'utf8')) as Obj;
  const ctxName = doc['current-context'];
  const ctx = (doc.contexts as { name: string; context: { cluster: string; user: string } }[]).find(
    (c) => c.name === ctxName,
  );
  const cluster = (doc.clusters as { name: string; cluster: Obj }[]).find(
    (c) => c.name === ctx?.context.cluster,
  )?.cluster;
  const user = (doc.users as { name: string; user: Obj }[]).find((u) => u.name === ctx?.context.user)?.user;
  const data = (o: Obj | undefined, k: string) => {
    const v = o?.[`${k}-data`];
    if (typeof v === 'string') return Buffer.from(v, 'base64').toString('utf8');
    const f = o?.[k];
    if (typeof f === 'string') return readFileSync(f, 'utf8');
    throw new Error(`${file}: the kubeconfig tests need ${k} (or ${k}-data) in the current context`);
  };
  return {
    server: String(cluster?.server),
    ca: data(cluster, 'certificate-authority'),
    cert: data(user, 'client-certificate'),
    key: data(user, 'client-key'),
  };
}

export const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A temporary folder for kubeconfigs and the files they name. */
export class ConfigDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'ferry-kubeconfig-'));

  file(name: string, content: string, mode = 0o600): string {
    const path = join(this.dir, name);
    writeFileSync(path, content, { mode });
    return path;
  }

  /** A kubeconfig with one context named `ctx` from a cluster and a user block. */
  kubeconfig(name: string, cluster: Obj, user: Obj, namespace?: string): string {
    return this.file(
      name,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster }],
        users: [{ name: 'u', user }],
        contexts: [
          { name: 'ctx', context: { cluster: 'c', user: 'u', ...(namespace ? { namespace } : {}) } },
        ],
        'current-context': 'ctx',
      }),
    );
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A ServiceAccount `name` in the test namespace, bound to the built-in `admin` role there. */
export async function serviceAccount(ns: TestNamespace, name: string): Promise<void> {
  const { core, objects, namespace } = ns;
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  await objects.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${name}-admin`, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  } as KubernetesObject);
}

/**
 * A token for the ServiceAccount from the real TokenRequest API. Bound to `secret` when given:
 * deleting that Secret invalidates the token at once (how the tests make a credential go stale).
 */
export async function saToken(
  core: CoreV1Api,
  namespace: string,
  sa: string,
  secret?: string,
): Promise<string> {
  let uid: string | undefined;
  if (secret) {
    const s = await core.createNamespacedSecret({ namespace, body: { metadata: { name: secret } } });
    uid = s.metadata?.uid;
  }
  const r = await core.createNamespacedServiceAccountToken({
    name: sa,
    namespace,
    body: {
      spec: {
        audiences: [],
        expirationSeconds: 3600,
        ...(secret ? { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: secret, uid } } : {}),
      },
    },
  });
  return r.status?.token ?? '';
}

/** Who the API server says we are (SelfSubjectReview), through the ferry client under test. */
export async function whoami(c: KubeCluster): Promise<string> {
  const r = await c.create({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    metadata: { name: 'whoami' },
  });
  return (r.status as { userInfo: { username: string } }).userInfo.username;
}

/** A fast-failing client for a kubeconfig file (no retries: the tests want the first answer). */
export function clientFor(
  kubeconfig: string,
  extra: ConstructorParameters<typeof KubeCluster>[0] = {},
): KubeCluster {
  return new KubeCluster({ kubeconfig, backoff: { attempts: 1, baseMs: 1, maxMs: 1 }, ...extra });
}

/**
 * Waits until the API server refuses `token` (after its bound object was deleted: the server
 * may keep a successful authentication cached for a few seconds).
 */
export async function waitRevoked(d: ConfigDir, a: AdminParts, token: string): Promise<void> {
  const c = clientFor(d.kubeconfig('revoked-probe', trustedCluster(a), { token }));
  await waitFor(
    'the revoked token to be refused',
    async () => {
      try {
        await whoami(c);
        return undefined;
      } catch (e) {
        if (e instanceof ClusterApiError && e.status === 401) return true;
        throw e;
      }
    },
    30_000,
    300,
  );
}

/** The test cluster's server, trusted by its CA (a kubeconfig `cluster` block). */
export const trustedCluster = (a: AdminParts): Record<string, unknown> => ({
  server: a.server,
  'certificate-authority-data': b64(a.ca),
});

/** The admin's client certificate (a kubeconfig `user` block). */
export const adminUser = (a: AdminParts): Record<string, unknown> => ({
  'client-certificate-data': b64(a.cert),
  'client-key-data': b64(a.key),
});
