// constraints: [attr, CLUSTER, value] → placement.nodeSelector; the others are reported.
// taskKillGracePeriodSeconds (how long Mesos waits between SIGTERM and SIGKILL) →
// pod.terminationGracePeriod.
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

export const mapKillGrace: AppMapper = (ctx, m) => {
  const { app, report, name, at } = ctx;
  const s = app.taskKillGracePeriodSeconds;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) return;
  m.pod = { ...m.pod, terminationGracePeriod: `${Math.ceil(s)}s` };
  report.mapped(name, at('taskKillGracePeriodSeconds'), 'pod.terminationGracePeriod');
};
