// Docker EE's UCP layer-7 routing (com.docker.lb.hosts) and Interlock: host names → public routes.
import type { LabelFamily } from './family.ts';
import { addRoutes, routeLabel } from './routes.ts';

export const dockerLb: LabelFamily = {
  name: 'Docker UCP / Interlock',
  claims: (key) => key === 'com.docker.lb.hosts' || key === 'interlock.hostname',
  begin(_labels, st) {
    return ({ value, at }) => {
      addRoutes(
        st,
        value.split(',').map((h) => ({ host: h.trim(), path: undefined })),
        true,
      );
      routeLabel(st, at, 'routes', 'host names → public routes');
    };
  },
};
