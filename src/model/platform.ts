// The platform file with every default filled: environments, previews, policy, notifiers.
// Defaults are documented in docs/manifest.md and in the schema's descriptions.
import {
  BACKING_FEATURES,
  type PlatformEnvironmentManifest,
  type PlatformManifest,
} from '../manifest/schema.ts';
import { parseDurationSeconds } from './duration.ts';
import { parseCpu, parseMemory } from './quantity.ts';
import type {
  BackingFeature,
  Concurrency,
  Environment,
  Notifier,
  Platform,
  Policy,
  Previews,
  Tls,
  Toleration,
} from './types.ts';

export const DEFAULT_SPOT_NODE_SELECTOR: Readonly<Record<string, string>> = { 'ferry.dev/pool': 'spot' };
export const DEFAULT_SPOT_TOLERATION: Toleration = {
  key: 'ferry.dev/spot',
  operator: 'Exists',
  value: undefined,
  effect: 'NoSchedule',
};

export function toConcurrency(c: 'forbid' | 'allow' | 'replace'): Concurrency {
  return c === 'allow' ? 'Allow' : c === 'replace' ? 'Replace' : 'Forbid';
}

export function toToleration(t: {
  key: string;
  operator?: 'Equal' | 'Exists' | undefined;
  value?: string | undefined;
  effect?: Toleration['effect'];
}): Toleration {
  return {
    key: t.key,
    operator: t.operator ?? (t.value === undefined ? 'Exists' : 'Equal'),
    value: t.value,
    effect: t.effect,
  };
}

export function resolvePolicy(p: PlatformManifest['policy']): Policy {
  const ingressClass = p?.ingressClass ?? 'nginx';
  return {
    cpuRequestRatio: p?.cpuRequestRatio ?? 0.25,
    memoryRequestRatio: p?.memoryRequestRatio ?? 1.0,
    cronConcurrency: toConcurrency(p?.cronConcurrency ?? 'forbid'),
    progressDeadlineSeconds: parseDurationSeconds(p?.progressDeadline ?? '120s'),
    revisionHistoryLimit: p?.revisionHistoryLimit ?? 5,
    ingressClass,
    internalIngressClass: p?.internalIngressClass ?? 'nginx-internal',
    spot: {
      nodeSelector: p?.spot?.nodeSelector ?? DEFAULT_SPOT_NODE_SELECTOR,
      tolerations: p?.spot?.tolerations?.map(toToleration) ?? [DEFAULT_SPOT_TOLERATION],
    },
    registry: p?.registry,
    driftIgnore: p?.driftIgnore ?? [],
  };
}

function resolveTls(name: string, e: PlatformEnvironmentManifest | null): Tls {
  const tls = e?.tls;
  if (tls?.disabled) return { kind: 'none' };
  if (tls?.certManager) {
    return {
      kind: 'cert-manager',
      issuer: tls.certManager.issuer,
      issuerKind: tls.certManager.kind ?? 'ClusterIssuer',
    };
  }
  if (tls?.wildcard) return { kind: 'wildcard', secretName: tls.wildcard };
  return e?.domain ? { kind: 'wildcard', secretName: `wildcard-${name}-tls` } : { kind: 'none' };
}

export function resolveEnvironment(
  name: string,
  e: PlatformEnvironmentManifest | null,
  policy: Policy,
): Environment {
  return {
    name,
    namespace: e?.namespace ?? name,
    createNamespace: e?.createNamespace ?? true,
    context: e?.context,
    domain: e?.domain,
    tls: resolveTls(name, e),
    ingressClass: e?.ingressClass ?? policy.ingressClass,
    protected: e?.protected ?? false,
    approvals: e?.approvals ?? 0,
    observeSeconds: parseDurationSeconds(e?.observe ?? '0s'),
    databaseAdmin: e?.database?.admin,
    ...backingOf(e),
  };
}

function backingFeatures(b: PlatformEnvironmentManifest['backingServices']): BackingFeature[] | undefined {
  if (b === undefined) return undefined;
  if (b === 'managed') return [];
  return BACKING_FEATURES.filter((f) => b === 'cluster' || b.includes(f));
}

function backingOf(e: PlatformEnvironmentManifest | null): Pick<Environment, 'backing'> {
  const backing = backingFeatures(e?.backingServices);
  return backing && backing.length > 0 ? { backing } : {};
}

function resolvePreviews(m: PlatformManifest): Previews | undefined {
  const p = m.previews;
  if (!p) return undefined;
  const fromDomain = m.environments[p.from]?.domain;
  const fromTls = p.from in m.environments ? resolveTls(p.from, m.environments[p.from] ?? null) : undefined;
  const o = p.overrides ?? {};
  return {
    from: p.from,
    namespace: p.namespace ?? 'pr-${number}',
    domain: p.domain ?? (fromDomain ? `pr-\${number}.${fromDomain}` : undefined),
    host: p.host,
    services: p.services,
    overrides: {
      instances: o.instances ?? 1,
      spot: o.spot ?? false,
      resources: {
        ...(o.resources?.cpu !== undefined ? { cpuMillis: parseCpu(o.resources.cpu) } : {}),
        ...(o.resources?.memory !== undefined ? { memoryBytes: parseMemory(o.resources.memory) } : {}),
      },
    },
    ttlSeconds: parseDurationSeconds(p.ttl ?? '72h'),
    maxCount: p.maxCount ?? 10,
    label: p.label,
    forkLabel: p.label ?? 'preview',
    version: p.version ?? 'sha-${head_short_sha}',
    waitForVersion: p.waitForVersion ?? true,
    tlsSecret: p.tls?.wildcard ?? (fromTls?.kind === 'wildcard' ? fromTls.secretName : undefined),
    backing: backingFeatures(p.backingServices),
  };
}

function resolveNotifier(n: NonNullable<PlatformManifest['notify']>[number]): Notifier {
  if ('slack' in n) return { kind: 'slack', url: n.slack };
  if ('webhook' in n) return { kind: 'webhook', url: n.webhook };
  return { kind: 'console' };
}

/** `file` is the platform file's absolute path (undefined for a lone ferry.yaml). */
export function resolvePlatform(m: PlatformManifest, file: string | undefined): Platform {
  const policy = resolvePolicy(m.policy);
  return {
    file,
    environments: Object.entries(m.environments).map(([name, e]) => resolveEnvironment(name, e, policy)),
    previews: resolvePreviews(m),
    policy,
    notify: (m.notify ?? []).filter((n) => !('console' in n) || n.console).map(resolveNotifier),
  };
}
