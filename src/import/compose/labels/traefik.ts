// Traefik v1 and v2/v3 labels: router rules → public routes, ipallowlist middlewares → allow lists,
// TLS options → the environment's TLS; other middlewares and options are reported as dropped.
import type { LabelFamily } from './family.ts';
import { addRoutes, routeLabel } from './routes.ts';
import { addPort, manifestPorts } from '../map/ports.ts';
import type { LabelState } from './family.ts';
import { parseTraefikV1Rule, parseTraefikV2Rule } from './rules.ts';

const ALLOW_LIST = /^traefik\.http\.middlewares\.([^.]+)\.(?:ipwhitelist|ipallowlist)\.sourcerange$/i;
const ROUTER_MIDDLEWARES = /^traefik\.http\.routers\.([^.]+)\.middlewares$/;
const ROUTER = /^traefik\.http\.routers\.([^.]+)\.(rule|middlewares)$/;
const SERVER_PORT = /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/;

/** The port a service's Traefik labels send requests to, per service being mapped. */
const ports = new WeakMap<LabelState, number>();

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
          routeLabel(st, key, 'routes', 'Traefik router rule → public route');
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
          routeLabel(st, key, 'routes', 'Traefik v1 frontend rule → public route');
        } else report.dropped(name, key, `Traefik rule "${v}" uses matchers ferry routes cannot express`);
      } else if (k === 'traefik.port' || SERVER_PORT.test(k)) {
        const n = Number(v);
        if (Number.isInteger(n) && n >= 1 && n <= 65535) {
          ports.set(st, n);
          report.mapped(name, key, 'ports', 'the port Traefik sends requests to');
        } else report.dropped(name, key, `"${v}" is not a port`);
      } else if (k === 'traefik.enable' || k === 'traefik.docker.network') {
        routeLabel(st, key, 'routes', 'implied by the route and the service port');
      } else if (
        ALLOW_LIST.test(k) ||
        (router?.[2] === 'middlewares' &&
          (routerMiddlewares.get(router[1]!) ?? []).every((mw) => allowLists.has(mw)))
      ) {
        routeLabel(st, key, 'routes[].allow', 'Traefik source allow-list');
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
  finish(st) {
    // the port Traefik sends requests to: declared (a service that publishes none still serves
    // on it), and the port of the routes when it is not the first one
    const port = ports.get(st);
    if (port === undefined) return;
    addPort(st.m, port);
    if (manifestPorts(st.m)[0]?.port !== port) for (const r of st.routes) r.port ??= port;
  },
};
