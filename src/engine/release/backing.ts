// Backing services in the cluster, run by the provision step before the service's migration
// and rollout: each instance's Secret (a password generated once and kept — a redeploy never
// changes credentials a database was initialised with — and the connection URL the service's
// variables read), then its Service and StatefulSet, and the step waits until each is Ready.
// removeBacking takes an environment's backing services away again, claims and all (for an
// environment or a preview that is being removed).
import { randomBytes } from 'node:crypto';
import type { Cluster, KObject } from '../../cluster/types.ts';
import { FerryError } from '../../errors.ts';
import { BACKING_KINDS, backingHost, type BackingInstance } from '../../model/backing.ts';
import type { Environment } from '../../model/types.ts';
import { backingLabels, backingSelector, renderBacking } from '../../render/kubernetes/backing.ts';
import { objectHealth } from '../health/index.ts';

const POLL_MS = 500;
export const BACKING_READY_TIMEOUT_MS = 180_000;

function secretValue(s: KObject | undefined, key: string): string | undefined {
  const data = s?.data as Record<string, string> | undefined;
  const v = data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

async function ensureSecret(cluster: Cluster, env: Environment, i: BackingInstance): Promise<boolean> {
  const ref = { apiVersion: 'v1', kind: 'Secret', name: i.name, namespace: env.namespace };
  const had = await cluster.get(ref);
  const kept = secretValue(had, 'password');
  const password = kept ?? randomBytes(18).toString('base64url');
  const data = { password, ...BACKING_KINDS[i.feature].connection(i, backingHost(env, i), password) };
  const same = Object.entries(data).every(([k, v]) => secretValue(had, k) === v);
  if (same) return false;
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: i.name, namespace: env.namespace, labels: backingLabels(env.name, i.name) },
    type: 'Opaque',
    stringData: data,
  });
  return kept === undefined;
}

async function waitReady(
  cluster: Cluster,
  env: Environment,
  names: readonly string[],
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const waiting = new Set(names);
  let last = '';
  while (waiting.size > 0) {
    for (const name of [...waiting]) {
      const s = await cluster.get({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name,
        namespace: env.namespace,
      });
      const h = s ? objectHealth(s) : undefined;
      if (h?.status === 'healthy') waiting.delete(name);
      else last = `StatefulSet/${name}: ${h?.message ?? 'not found'}`;
    }
    if (waiting.size === 0) return;
    if (signal?.aborted) throw new FerryError('E_CANCELLED', 'cancelled while the backing services started');
    if (Date.now() > deadline)
      throw new FerryError(
        'E_TIMEOUT',
        `the backing services of ${env.name} were not Ready in ${timeoutMs / 1000}s (${last})`,
        {
          hint: 'their pods need a volume: the cluster needs a default StorageClass or a free PersistentVolume of 1Gi',
        },
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Secrets, Services and StatefulSets of `instances`, applied and Ready. */
export async function ensureBacking(
  cluster: Cluster,
  env: Environment,
  instances: readonly BackingInstance[],
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  if (instances.length === 0) return '';
  const made: string[] = [];
  for (const i of instances) if (await ensureSecret(cluster, env, i)) made.push(i.name);
  for (const o of renderBacking(env, instances)) await cluster.apply(o as unknown as KObject);
  await waitReady(
    cluster,
    env,
    instances.map((i) => i.name),
    opts.timeoutMs ?? BACKING_READY_TIMEOUT_MS,
    opts.signal,
  );
  return `in the cluster: ${instances.map((i) => `${i.feature} ${i.name}`).join(', ')} Ready${
    made.length ? ` (credentials generated for ${made.join(', ')})` : ''
  }`;
}

const REMOVED_KINDS = [
  ['apps/v1', 'StatefulSet'],
  ['v1', 'Service'],
  ['v1', 'Secret'],
  ['v1', 'PersistentVolumeClaim'],
] as const;

/**
 * Deletes every backing object of `env` (StatefulSets and their pods first, then Services,
 * Secrets and claims) and waits until they are gone; answers what it deleted.
 */
export async function removeBacking(
  cluster: Cluster,
  env: Environment,
  timeoutMs: number = BACKING_READY_TIMEOUT_MS,
): Promise<string[]> {
  const gone: string[] = [];
  const refs = [];
  for (const [apiVersion, kind] of REMOVED_KINDS)
    for (const o of await cluster.list(apiVersion, kind, env.namespace, backingSelector(env.name))) {
      const ref = { apiVersion, kind, name: o.metadata.name, namespace: env.namespace };
      if (await cluster.delete(ref, { propagation: 'Foreground' })) {
        gone.push(`${kind}/${o.metadata.name}`);
        refs.push(ref);
      }
    }
  const deadline = Date.now() + timeoutMs;
  for (const ref of refs)
    while (await cluster.get(ref)) {
      if (Date.now() > deadline)
        throw new FerryError(
          'E_TIMEOUT',
          `${ref.kind}/${ref.name} in ${env.namespace} was not gone in ${timeoutMs / 1000}s`,
          {
            hint: 'look at its finalizers',
          },
        );
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  return gone;
}
