// marathon-lb's HAPROXY_* labels: HAPROXY_GROUP (external → public), HAPROXY_n_VHOST and
// HAPROXY_n_PATH → routes; deployment labels are ferry's rollout; template settings are reported.
import { isRecord } from '../../source.ts';
import type { Route } from '../context.ts';
import type { LabelFamily } from './family.ts';

export const marathonLb: LabelFamily = {
  name: 'marathon-lb',
  claims: (key) => key.startsWith('HAPROXY_'),
  begin(labels, st) {
    const { report, name } = st.ctx;
    const byKey = new Map(labels.map((l) => [l.key, l.value]));
    const group = byKey.get('HAPROXY_GROUP');
    const pub = group === undefined ? undefined : group.split(',').some((g) => g.trim() === 'external');
    return ({ key: k, value: s, at: key }) => {
      const vhost = /^HAPROXY_(\d+)_VHOST$/.exec(k);
      if (k === 'HAPROXY_GROUP')
        report.mapped(name, key, 'routes[].public', pub ? 'external → public' : 'internal');
      else if (vhost) {
        const idx = Number(vhost[1]);
        // a path_beg ACL: several space-separated prefixes, HAProxy flags such as -i skipped
        const raw = byKey.get(`HAPROXY_${idx}_PATH`);
        const paths =
          raw !== undefined
            ? raw
                .split(/\s+/)
                .filter((p) => p !== '' && !p.startsWith('-'))
                .map((p) => (p.startsWith('/') ? p : `/${p}`))
            : [];
        for (const host of s
          .split(',')
          .map((h) => h.trim())
          .filter(Boolean))
          for (const path of paths.length > 0 ? paths : ['/']) {
            const r: Route = { host };
            if (path !== '/') r.path = path;
            if (pub !== false) r.public = true;
            if (idx !== 0) r.port = st.m.ports?.[idx]?.port ?? st.m.port ?? idx;
            st.routes.push(r);
          }
        report.mapped(name, key, 'routes[].host');
      } else if (/^HAPROXY_\d+_PATH$/.test(k)) report.mapped(name, key, 'routes[].path');
      else if (/^HAPROXY_\d+_REDIRECT_TO_HTTPS$/.test(k))
        report.approximated(name, key, 'routes', 'the ingress redirects HTTP to HTTPS when TLS is on');
      else if (/^HAPROXY_DEPLOYMENT_/.test(k))
        report.approximated(
          name,
          key,
          '(rollout)',
          'marathon-lb zero-downtime/blue-green deploys: ferry rolls out with a Deployment (and weighted cut-over)',
        );
      else
        report.dropped(
          name,
          key,
          'an HAProxy template setting: the ingress controller’s settings are not modelled (ferry parity checks forwarded headers)',
        );
    };
  },
  finish(st) {
    const g = isRecord(st.ctx.app.labels) ? st.ctx.app.labels.HAPROXY_GROUP : undefined;
    if (typeof g !== 'string' || st.routes.length > 0) return;
    st.routes.push(g.split(',').some((x) => x.trim() === 'external') ? { public: true } : {});
  },
};
