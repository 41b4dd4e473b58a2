// The seeds' cut-over pitfalls as checks, run by `plan` and after every step: the client address
// must reach the app (Single Music's Spring Boot services lost X-Forwarded-For behind the new
// proxy), the environment's one wildcard certificate must cover every moved host (ANNA Money hit
// Let's Encrypt's limit with 150 certificates), and a DNS TTL above 300 s stretches the switch
// (changelog.com's 30-minute partial outage from a 3600 s TTL).
import { X509Certificate } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import type { Cluster } from '../../cluster/types.ts';
import { movedHosts, type CutoverPlan } from '../../model/cutover.ts';
import { httpGet } from './probes.ts';

export type PitfallLevel = 'ok' | 'warning' | 'blocking' | 'skipped';

export interface Pitfall {
  name: 'forwarded-for' | 'certificate' | 'dns-ttl';
  level: PitfallLevel;
  message: string;
}

/** A documentation address (RFC 5737): never a real client. */
export const PROBE_CLIENT = '203.0.113.7';
export const MAX_TTL_SECONDS = 300;

export const FORWARDED_FOR_ADVICE =
  'behind ingress-nginx set use-forwarded-headers: "true" (and compute-full-forwarded-for: "true" to keep the chain) in its ConfigMap, or trust the load balancer in your proxy; a Spring Boot app needs server.forward-headers-strategy=native (or framework): unset, its RemoteIpValve consumes the header on Kubernetes';

export async function forwardedFor(plan: CutoverPlan, signal: AbortSignal): Promise<Pitfall> {
  const f = plan.forwardedFor;
  if (!f)
    return {
      name: 'forwarded-for',
      level: 'warning',
      message: `not checked: give forwardedFor.url (an endpoint answering with the request's headers) so ferry can prove the client address reaches the app; ${FORWARDED_FOR_ADVICE}`,
    };
  try {
    const a = await httpGet(f.url, {
      via: plan.checkVia,
      headers: { 'x-forwarded-for': PROBE_CLIENT },
      timeoutMs: 10_000,
      signal,
    });
    if (a.status >= 200 && a.status < 300 && a.body.includes(PROBE_CLIENT))
      return {
        name: 'forwarded-for',
        level: 'ok',
        message: `X-Forwarded-For ${PROBE_CLIENT} reached ${f.url}`,
      };
    return {
      name: 'forwarded-for',
      level: 'blocking',
      message: `X-Forwarded-For ${PROBE_CLIENT} sent through the route did not reach ${f.url} (HTTP ${a.status}${a.body ? `: ${a.body.slice(0, 120).replace(/\s+/g, ' ')}` : ''}): ${FORWARDED_FOR_ADVICE}`,
    };
  } catch (e) {
    if (signal.aborted) throw e;
    return {
      name: 'forwarded-for',
      level: 'blocking',
      message: `could not ask ${f.url}${plan.checkVia ? ` via ${plan.checkVia}` : ''}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** Which hosts a certificate (PEM) does not cover. */
export function uncoveredHosts(pem: string, hosts: readonly string[]): string[] {
  const cert = new X509Certificate(pem);
  return hosts.filter((h) => cert.checkHost(h, { wildcards: true, subject: 'default' }) === undefined);
}

export async function certificate(plan: CutoverPlan, cluster: Cluster): Promise<Pitfall> {
  const tls = plan.environment.tls;
  const hosts = movedHosts(plan);
  if (tls.kind === 'none')
    return {
      name: 'certificate',
      level: 'warning',
      message: `environment ${plan.environment.name} has no TLS: the moved hosts will be served over plain HTTP`,
    };
  if (tls.kind === 'cert-manager')
    return {
      name: 'certificate',
      level: 'warning',
      message: `cert-manager issues one certificate per host (${hosts.length} hosts): Let's Encrypt limits 50 per registered domain a week; a wildcard secret (tls.wildcard) avoids it`,
    };
  const secret = await cluster.get({
    apiVersion: 'v1',
    kind: 'Secret',
    name: tls.secretName,
    namespace: plan.environment.namespace,
  });
  const data = (secret?.data ?? {}) as Record<string, string>;
  const crt = data['tls.crt'];
  if (!crt)
    return {
      name: 'certificate',
      level: 'blocking',
      message: `the wildcard certificate ${plan.environment.namespace}/${tls.secretName} ${secret ? 'has no tls.crt' : 'does not exist'}: the moved hosts would get the proxy's default certificate`,
    };
  let missing: string[];
  let until: string;
  try {
    const pem = Buffer.from(crt, 'base64').toString('utf8');
    missing = uncoveredHosts(pem, hosts);
    until = new X509Certificate(pem).validTo;
  } catch (e) {
    return {
      name: 'certificate',
      level: 'blocking',
      message: `${tls.secretName}: tls.crt is not a PEM certificate (${e instanceof Error ? e.message : String(e)})`,
    };
  }
  if (missing.length > 0)
    return {
      name: 'certificate',
      level: 'blocking',
      message: `the wildcard certificate ${tls.secretName} does not cover ${missing.join(', ')} (a *.domain name covers one label only)`,
    };
  const left = (Date.parse(until) - Date.now()) / 86_400_000;
  if (left < 14)
    return {
      name: 'certificate',
      level: 'warning',
      message: `${tls.secretName} covers every moved host but expires ${until}`,
    };
  return {
    name: 'certificate',
    level: 'ok',
    message: `${tls.secretName} covers ${hosts.join(', ')} (until ${until})`,
  };
}

async function lookupTtl(host: string, servers: readonly string[]): Promise<number | undefined> {
  const r = new Resolver({ timeout: 3000, tries: 1 });
  if (servers.length > 0) r.setServers([...servers]);
  try {
    const a = await r.resolve4(host, { ttl: true });
    return a.length > 0 ? Math.max(...a.map((x) => x.ttl)) : undefined;
  } catch {
    return undefined;
  }
}

export async function dnsTtl(plan: CutoverPlan): Promise<Pitfall> {
  const hosts = movedHosts(plan);
  const found = await Promise.all(
    hosts.map(async (h) => [h, plan.dns.ttl[h] ?? (await lookupTtl(h, plan.dns.servers))] as const),
  );
  const long = found.filter(([, t]) => t !== undefined && t > MAX_TTL_SECONDS);
  const unknown = found.filter(([, t]) => t === undefined).map(([h]) => h);
  if (long.length > 0)
    return {
      name: 'dns-ttl',
      level: 'warning',
      message: `${long.map(([h, t]) => `${h} has a TTL of ${t} s`).join(', ')}: resolvers keep the old address that long after the switch; lower it to ${MAX_TTL_SECONDS} s or less at least one old TTL before the day`,
    };
  if (unknown.length > 0)
    return {
      name: 'dns-ttl',
      level: 'skipped',
      message: `could not look up ${unknown.join(', ')} (give dns.ttl for them to check)`,
    };
  return {
    name: 'dns-ttl',
    level: 'ok',
    message: `every moved host has a TTL of ${MAX_TTL_SECONDS} s or less`,
  };
}
