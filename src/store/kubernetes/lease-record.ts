// A deploy lock as a coordination.k8s.io/v1 Lease, readable by kubectl and other tools:
// holderIdentity, leaseDurationSeconds (whole seconds: a TTL is rounded up), acquireTime and
// renewTime (held until renewTime + leaseDurationSeconds), leaseTransitions as the fencing
// generation (it only grows: a released Lease keeps its object and its count, with no holder).
// The acquisition's token, the release it runs and the holder's owner are annotations.
import type { KObject } from '../../cluster/types.ts';
import { StoreError } from '../errors.ts';
import type { Lease, LeaseOwner } from '../types.ts';
import {
  ANNOTATION_KEY,
  ANNOTATION_OWNER,
  ANNOTATION_RELEASE_ID,
  ANNOTATION_TOKEN,
  lockName,
  recordLabels,
} from './names.ts';

export const LEASE_API = 'coordination.k8s.io/v1';

/** A lease key `<service>/<environment>` → its parts (the environment says where the Lease lives). */
export function splitLeaseKey(key: string): { service: string; environment: string } {
  const i = key.indexOf('/');
  if (i <= 0 || i === key.length - 1) {
    throw new StoreError(`the lease key "${key}" is not <service>/<environment>`);
  }
  return { service: key.slice(0, i), environment: key.slice(i + 1) };
}

/** When a lease taken or renewed at `now` for `ttlMs` ends: Lease durations are whole seconds, rounded up. */
export function leaseEnd(now: number, ttlMs: number): number {
  return now + Math.max(1, Math.ceil(ttlMs / 1000)) * 1000;
}

/** Kubernetes' MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A time as a client returns it (a string, or a Date after deserialisation) → ms. */
function millis(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: unknown;
  renewTime?: unknown;
  leaseTransitions?: number;
}

function specOf(o: KObject): LeaseSpec {
  const spec = (o as { spec?: unknown }).spec;
  return spec && typeof spec === 'object' ? (spec as LeaseSpec) : {};
}

/** The fencing count of a Lease object, held or not. */
export function generationOf(o: KObject | undefined): number {
  return o ? (specOf(o).leaseTransitions ?? 0) : 0;
}

function owner(text: string | undefined, name: string): LeaseOwner | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as LeaseOwner;
  } catch (e) {
    throw new StoreError(`the Lease ${name} has an unreadable owner annotation`, e);
  }
}

/** A held lease with the time it was last renewed (what a rewrite of the Lease keeps). */
export interface Held {
  lease: Lease;
  renewedAt: number;
}

/** The lease a Lease object holds; undefined when it is free (released, or never held). */
export function decodeHeld(o: KObject | undefined, key: string): Held | undefined {
  if (!o) return undefined;
  const spec = specOf(o);
  const a = o.metadata.annotations ?? {};
  const token = a[ANNOTATION_TOKEN];
  if (!spec.holderIdentity || !token) return undefined;
  const renewedAt = millis(spec.renewTime) ?? millis(spec.acquireTime) ?? 0;
  const releaseId = a[ANNOTATION_RELEASE_ID];
  return {
    renewedAt,
    lease: {
      key,
      holder: spec.holderIdentity,
      token,
      generation: spec.leaseTransitions ?? 0,
      releaseId: releaseId ? Number(releaseId) : undefined,
      owner: owner(a[ANNOTATION_OWNER], o.metadata.name),
      acquiredAt: millis(spec.acquireTime) ?? renewedAt,
      expiresAt: renewedAt + (spec.leaseDurationSeconds ?? 0) * 1000,
    },
  };
}

/** The Lease object holding `lease` (or free, when undefined), replacing `live` when it exists. */
export function leaseObject(key: string, live: KObject | undefined, held: Held | undefined): KObject {
  const { service, environment } = splitLeaseKey(key);
  const lease = held?.lease;
  const spec: LeaseSpec = held
    ? {
        holderIdentity: held.lease.holder,
        leaseDurationSeconds: Math.max(1, Math.ceil((held.lease.expiresAt - held.renewedAt) / 1000)),
        acquireTime: microTime(held.lease.acquiredAt),
        renewTime: microTime(held.renewedAt),
        leaseTransitions: held.lease.generation,
      }
    : { leaseTransitions: generationOf(live) };
  const annotations: Record<string, string> = { [ANNOTATION_KEY]: key };
  if (lease) {
    annotations[ANNOTATION_TOKEN] = lease.token;
    if (lease.releaseId !== undefined) annotations[ANNOTATION_RELEASE_ID] = String(lease.releaseId);
    if (lease.owner) annotations[ANNOTATION_OWNER] = JSON.stringify(lease.owner);
  }
  return {
    apiVersion: LEASE_API,
    kind: 'Lease',
    metadata: {
      name: lockName(service, environment),
      labels: recordLabels('lock', service, environment),
      annotations,
      ...(live?.metadata.resourceVersion ? { resourceVersion: live.metadata.resourceVersion } : {}),
    },
    spec,
  };
}
