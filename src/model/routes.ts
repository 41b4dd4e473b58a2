// HTTP routes: host from the environment's domain, path, public/internal, allow-lists, port.
// A host may use the variables env values use (${service}, ${env}, ${domain}…: one placeholder
// syntax everywhere) and must be a host name the API server takes.
import type { Collector } from './collector.ts';
import { portName } from './containers.ts';
import { hostProblem } from './dns.ts';
import type { EffectiveManifest } from './effective.ts';
import { interpolate, type Variables } from './interpolate.ts';
import type { Port, Route } from './types.ts';

export function resolveRoutes(
  m: EffectiveManifest,
  service: string,
  env: string,
  domain: string | undefined,
  ports: readonly Port[],
  c: Collector,
  vars: Variables = {},
): Route[] {
  return (m.routes ?? []).map((r, i) => {
    const at = ['routes', i, 'host'] as const;
    const old = r.host && /(^|[^$])\{(service|env)\}/.exec(r.host);
    if (old)
      c.add([...at], `"{${old[2]}}" is the old placeholder syntax`, `write \${${old[2]}}, as in env values`);
    let host = r.host;
    if (host !== undefined && !old) {
      const before = c.issues.length;
      host = c.try([...at], () => interpolate(r.host!, vars), r.host);
      // a host whose variables failed is reported once, for the variable
      const problem = c.issues.length === before ? hostProblem(host ?? '') : undefined;
      if (problem) c.add([...at], problem.message, problem.hint);
    }
    if (host === undefined) {
      if (domain === undefined) {
        c.add(
          ['routes', i],
          `environment "${env}" has no domain, so the route needs a host`,
          'add host: <name>, or a domain to the environment',
        );
        host = service;
      } else host = `${service}.${domain}`;
    }
    return {
      host,
      path: r.path ?? '/',
      public: r.public ?? false,
      allow: [...(r.allow ?? [])],
      port: portName(r.port, ports, c, ['routes', i, 'port']),
    };
  });
}
