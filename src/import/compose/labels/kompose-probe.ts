// kompose.service.healthcheck.liveness.* → health (readiness labels are approximated: ferry derives
// readiness and liveness from one health check).
import type { Health } from '../context.ts';
import { manifestPorts } from '../map/ports.ts';
import { addProbePort, seconds } from '../map/probe.ts';
import type { Label, LabelState } from './family.ts';

export function mapKomposeProbeLabel(st: LabelState, { key: k, value: v, at: key }: Label): void {
  const { m } = st;
  const { report, name } = st.ctx;
  const [, , , kind, field] = k.split('.');
  const current: Health = typeof m.health === 'object' ? m.health : {};
  if (kind === 'readiness') {
    report.approximated(name, key, 'health', 'ferry derives readiness and liveness from one health check');
    return;
  }
  if (kind !== 'liveness') return report.dropped(name, key, 'unknown probe label');
  switch (field) {
    case 'http_get_path':
      current.path = v.startsWith('/') ? v : `/${v}`;
      delete current.command;
      delete current.tcp;
      break;
    case 'http_get_port':
    case 'tcp_port': {
      const n = Number(v);
      if (field === 'tcp_port') {
        current.tcp = true;
        delete current.command;
      }
      if (Number.isInteger(n) && n > 0 && n < 65536) {
        current.port = n;
        if (!manifestPorts(m).some((p) => p.port === n)) {
          report.approximated(
            name,
            key,
            'ports',
            `port ${n} is added to the service's ports: ferry probes declared ports only`,
          );
          m.health = current;
          addProbePort(m, current);
          return;
        }
      }
      break;
    }
    case 'test':
      current.command = v;
      break;
    case 'interval':
    case 'timeout': {
      const d = seconds(v);
      if (d !== undefined) current[field === 'interval' ? 'period' : 'timeout'] = d;
      break;
    }
    case 'retries': {
      const n = Number(v);
      if (Number.isInteger(n) && n >= 1) current.failureThreshold = n;
      break;
    }
    default:
      return report.dropped(name, key, 'unknown probe label');
  }
  m.health = current;
  report.mapped(name, key, 'health');
}
