// kompose's labels: kompose.service.expose → routes, kompose.cronjob.* → a cron,
// kompose.service.healthcheck.* → health (kompose-probe.ts), service type and group reported.
import { dropLabel, type LabelFamily } from './family.ts';
import { mapKomposeProbeLabel } from './kompose-probe.ts';
import { addRoutes, routeLabel } from './routes.ts';
import { parseKomposeExpose } from './rules.ts';

export const kompose: LabelFamily = {
  name: 'kompose',
  claims: (key) => key.startsWith('kompose.'),
  begin(_labels, st) {
    const { report, name } = st.ctx;
    return (label) => {
      const { key: k, value: v, at: key } = label;
      if (k === 'kompose.service.expose') {
        addRoutes(st, parseKomposeExpose(v), false);
        routeLabel(st, key, 'routes', 'kompose expose → routes (internal ingress class unless public: true)');
      } else if (k === 'kompose.service.expose.tls-secret') {
        report.approximated(
          name,
          key,
          'environments.<env>.tls.wildcard',
          'TLS is per environment in ferry.platform.yaml',
        );
      } else if (k === 'kompose.service.expose.ingress-class-name') {
        report.approximated(
          name,
          key,
          'policy.ingressClass',
          'the ingress class is per platform/environment',
        );
      } else if (k === 'kompose.cronjob.schedule') {
        st.cron.schedule = v;
        st.cronLines.push({ at: key, to: `crons.${name}.schedule` });
      } else if (k === 'kompose.cronjob.concurrency_policy') {
        const c = v.toLowerCase();
        if (c === 'forbid' || c === 'allow' || c === 'replace') {
          st.cron.concurrency = c;
          st.cronLines.push({ at: key, to: `crons.${name}.concurrency` });
        } else report.dropped(name, key, `unknown concurrency policy "${v}"`);
      } else if (k === 'kompose.cronjob.backoff_limit') {
        report.approximated(
          name,
          key,
          `crons.${name}`,
          'ferry sets the Job back-off itself (no retries per run)',
        );
      } else if (k === 'kompose.service.type') {
        report.approximated(
          name,
          key,
          'ports',
          `ferry gives every service with ports a ClusterIP Service; "${v}" exposure is done with routes`,
        );
      } else if (k === 'kompose.service.group') {
        report.dropped(name, key, 'ferry runs one container per service (no grouping into one pod)');
      } else if (k.startsWith('kompose.service.healthcheck.')) {
        mapKomposeProbeLabel(st, label);
      } else dropLabel(label, st);
    };
  },
};
