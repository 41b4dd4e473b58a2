// Traefik v1 and v2/v3 labels: router rules → public routes, ipallowlist middlewares → allow lists,
// TLS options → the environment's TLS; other middlewares and options are reported as dropped.
import type { LabelFamily } from './family.ts';
import { addRoutes } from './routes.ts';
import { parseTraefikV1Rule, parseTraefikV2Rule } from './rules.ts';

const ALLOW_LIST = /^traefik\.http\.middlewares\.([^.]+)\.(?:ipwhitelist|ipallowlist)\.sourcerange$/i;
const ROUTER_MIDDLEWARES = /^traefik\.http\.routers\.([^.]+)\.middlewares$/;
const ROUTER = /^traefik\.http\.routers\.([^.]+)\.(rule|middlewares)$/;

function list(v: string, strip = false): string[] {
  return v
    .split(',')
    .map((x) => (strip ? x.trim().replace(/@.*$/, '') : x.trim()))
    .filter((x) => x !== '');
}

export const traefik: LabelFamily = {
  name: 'Traefik',
  claims: (key) => key.startsWith('traefik.'),
  begin(labels, st) {
    const { report, name } = st.ctx;
    // source allow-lists: middleware → CIDRs, router → its middlewares
    const allowLists = new Map<string, string[]>();
    const routerMiddlewares = new Map<string, string[]>();
    for (const { key, value } of labels) {
      const mw = ALLOW_LIST.exec(key);
      if (mw) allowLists.set(mw[1]!, list(value));
      const rm = ROUTER_MIDDLEWARES.exec(key);
      if (rm) routerMiddlewares.set(rm[1]!, list(value, true));
    }
    const allowOf = (router: string): string[] => [
      ...new Set((routerMiddlewares.get(router) ?? []).flatMap((mw) => allowLists.get(mw) ?? [])),
    ];
    return ({ key: k, value: v, at: key }) => {
      const router = ROUTER.exec(k);
      if (router?.[2] === 'rule') {
        const parsed = parseTraefikV2Rule(v);
        if (parsed) {
          addRoutes(st, parsed, true, allowOf(router[1]!));
          report.mapped(name, key, 'routes', 'Traefik router rule → public route');
        } else
          report.dropped(
            name,
            key,
            `Traefik rule "${v}" uses matchers ferry routes cannot express (host and path prefix only)`,
          );
      } else if (k === 'traefik.frontend.rule') {
        const parsed = parseTraefikV1Rule(v);
        if (parsed) {
          addRoutes(st, parsed, true);
          report.mapped(name, key, 'routes', 'Traefik v1 frontend rule → public route');
        } else report.dropped(name, key, `Traefik rule "${v}" uses matchers ferry routes cannot express`);
      } else if (
        k === 'traefik.enable' ||
        k === 'traefik.docker.network' ||
        k === 'traefik.port' ||
        /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/.test(k)
      ) {
        report.mapped(name, key, 'routes', 'implied by the route and the service port');
      } else if (
        ALLOW_LIST.test(k) ||
        (router?.[2] === 'middlewares' &&
          (routerMiddlewares.get(router[1]!) ?? []).every((mw) => allowLists.has(mw)))
      ) {
        report.mapped(name, key, 'routes[].allow', 'Traefik source allow-list');
      } else if (/^traefik\.http\.routers\.[^.]+\.(tls|tls\.certresolver|entrypoints)$/.test(k)) {
        report.approximated(
          name,
          key,
          'environments.<env>.tls',
          'TLS comes from the environment: one wildcard certificate by default',
        );
      } else {
        report.dropped(
          name,
          key,
          'Traefik middleware/option: the ingress controller’s own settings are not modelled; check headers such as X-Forwarded-For with ferry parity',
        );
      }
    };
  },
};
