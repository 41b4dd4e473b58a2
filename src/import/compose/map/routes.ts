// The routes the labels gave need a port to send requests to: when the service declares one
// (ports, expose, a Traefik port label, a probe port), the route labels are reported as mapped;
// when it declares none, the routes cannot be served — they are left out and reported as dropped,
// so the imported project validates and the report says what happened.
import type { FieldMapper } from '../context.ts';
import { manifestPorts } from './ports.ts';

export const mapRoutes: FieldMapper = (ctx, m) => {
  const { report, name } = ctx;
  const served = m.routes !== undefined && manifestPorts(m).length > 0;
  if (!served) delete m.routes;
  for (const r of ctx.routeLabels)
    if (served) report.mapped(name, r.at, r.to, r.note);
    else
      report.dropped(
        name,
        r.at,
        `${r.note}, but the service declares no port to send requests to: add port: <n> to ferry.yaml and the route`,
      );
};
