// HTTP routes: host from the environment's domain, path, public/internal, allow-lists, port.
import type { Collector } from './collector.ts';
import { portName } from './containers.ts';
import type { EffectiveManifest } from './effective.ts';
import type { Port, Route } from './types.ts';

export function resolveRoutes(
  m: EffectiveManifest,
  service: string,
  env: string,
  domain: string | undefined,
  ports: readonly Port[],
  c: Collector,
): Route[] {
  return (m.routes ?? []).map((r, i) => {
    let host = r.host?.replace(/\{service\}/g, service).replace(/\{env\}/g, env);
    if (host === undefined) {
      if (domain === undefined) {
        c.relation(
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
