// constraints: [attr, CLUSTER, value] → placement.nodeSelector; the others are reported.
import type { AppMapper } from '../context.ts';

export const mapConstraints: AppMapper = (ctx, m) => {
  const { app, report, name, at } = ctx;
  if (!Array.isArray(app.constraints)) return;
  const sel: Record<string, string> = {};
  app.constraints.forEach((c, i) => {
    const key = at('constraints', i);
    const parts = Array.isArray(c) ? c.map(String) : typeof c === 'string' ? c.split(':') : [];
    const [field, op, value] = parts;
    if (op === 'CLUSTER' && field !== undefined && value !== undefined && field !== 'hostname') {
      sel[field] = value;
      report.mapped(name, key, `placement.nodeSelector.${field}`, 'label the Kubernetes nodes the same way');
    } else if (field === 'hostname' && op === 'UNIQUE')
      report.dropped(
        name,
        key,
        'one instance per host needs pod anti-affinity, which ferry does not model (the scheduler spreads replicas by default)',
      );
    else
      report.dropped(
        name,
        key,
        `constraint ${parts.join(':')} is not modelled (ferry places by node labels only)`,
      );
  });
  if (Object.keys(sel).length > 0) m.placement = { nodeSelector: sel };
};
