// Pitfall rules that look at a whole environment or at the old platform's proxy configuration.
import type { ImportedService } from '../import/types.ts';
import type { Workload } from '../model/types.ts';
import type { ParityRow } from './types.ts';

/** Let's Encrypt: 50 certificates per registered domain per week. */
export const LETS_ENCRYPT_PER_DOMAIN = 50;

function registeredDomain(host: string): string {
  return host.split('.').slice(-2).join('.');
}

/** One certificate per host (cert-manager) for many hosts vs one wildcard. */
export function certificateRule(workloads: readonly Workload[]): ParityRow[] {
  const env = workloads[0]?.environment;
  if (!env) return [];
  const hosts = [...new Set(workloads.flatMap((w) => w.routes.map((r) => r.host)))];
  if (env.tls.kind !== 'cert-manager') {
    return hosts.length === 0
      ? []
      : [
          {
            service: '*',
            aspect: 'tls',
            old: `${hosts.length} hosts`,
            new: env.tls.kind === 'wildcard' ? `one wildcard certificate (${env.tls.secretName})` : 'no TLS',
            severity: env.tls.kind === 'none' ? 'warning' : 'ok',
            rule: 'per-host-certificates',
            ...(env.tls.kind === 'none' ? { note: 'routes are served without TLS' } : {}),
          },
        ];
  }
  const byDomain = new Map<string, number>();
  for (const h of hosts) byDomain.set(registeredDomain(h), (byDomain.get(registeredDomain(h)) ?? 0) + 1);
  const [domain, count] = [...byDomain].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const severity =
    count >= LETS_ENCRYPT_PER_DOMAIN ? 'blocking' : count >= LETS_ENCRYPT_PER_DOMAIN / 2 ? 'warning' : 'ok';
  return [
    {
      service: '*',
      aspect: 'tls',
      old: `${hosts.length} hosts`,
      new: `one certificate per host (cert-manager, ${count} under ${domain})`,
      severity,
      rule: 'per-host-certificates',
      ...(severity === 'ok'
        ? {}
        : {
            note: `Let's Encrypt issues ${LETS_ENCRYPT_PER_DOMAIN} certificates per registered domain per week: use one wildcard (tls.wildcard)`,
          }),
    },
  ];
}

/** Old proxy configuration that did not pass the client address on (X-Forwarded-For). */
export function forwardedHeadersRule(
  format: string,
  old: ImportedService,
  n: Workload | undefined,
): ParityRow[] {
  const raw = old.raw;
  if (!raw || !n || n.routes.length === 0) return [];
  const found: string[] = [];
  const labels = (o: unknown): Record<string, unknown> =>
    typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
  if (format === 'marathon') {
    for (const [k, v] of Object.entries(labels(raw.labels))) {
      if (/^HAPROXY_\d+_MODE$/.test(k) && String(v).toLowerCase() === 'tcp')
        found.push(`${k}=tcp (HAProxy passes TCP through: no X-Forwarded-For)`);
      if (/^HAPROXY_\d+_BACKEND_HTTP_OPTIONS$/.test(k) && !/forwardfor/i.test(String(v)))
        found.push(`${k} without "option forwardfor"`);
    }
  }
  if (format === 'compose') {
    const deploy = labels(raw.deploy);
    for (const [k, v] of [...Object.entries(labels(raw.labels)), ...Object.entries(labels(deploy.labels))])
      if (/x-forwarded-for/i.test(k) && String(v).trim() === '') found.push(`${k} clears X-Forwarded-For`);
  }
  if (found.length === 0) return [];
  return [
    {
      service: n.service,
      aspect: 'proxy',
      old: found.join('; '),
      new: 'ingress-nginx sets X-Forwarded-For',
      severity: 'warning',
      rule: 'forwarded-headers',
      note: 'the service saw the proxy’s address before and sees client addresses now (or the reverse behind another load balancer: enable use-forwarded-headers there) — check IP-based logic',
    },
  ];
}
