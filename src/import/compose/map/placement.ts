// deploy.placement: `node.labels.K == V` constraints → placement.nodeSelector; the rest is reported.
import { isRecord } from '../../source.ts';
import type { FieldMapper } from '../context.ts';

export const mapPlacement: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const d = ctx.svc.deploy;
  const pl = isRecord(d) ? d.placement : undefined;
  if (!isRecord(pl)) return;
  const sel: Record<string, string> = {};
  const cons = Array.isArray(pl.constraints) ? pl.constraints : [];
  cons.forEach((c, i) => {
    const key = at('deploy', 'placement', 'constraints', i);
    const mm = /^\s*node\.labels\.([^\s=!]+)\s*==\s*(\S+)\s*$/.exec(String(c));
    if (mm) {
      sel[mm[1] ?? ''] = mm[2] ?? '';
      report.mapped(name, key, `placement.nodeSelector.${mm[1] ?? ''}`);
    } else
      report.dropped(
        name,
        key,
        `"${String(c)}": ferry places by node labels (placement.nodeSelector) only; label the nodes and use ==`,
      );
  });
  if (Object.keys(sel).length > 0) m.placement = { nodeSelector: sel };
  if (pl.preferences !== undefined)
    report.dropped(
      name,
      at('deploy', 'placement', 'preferences'),
      'spread preferences are not modelled (the scheduler spreads replicas by default)',
    );
  if (pl.max_replicas_per_node !== undefined)
    report.dropped(
      name,
      at('deploy', 'placement', 'max_replicas_per_node'),
      'not modelled (pod anti-affinity)',
    );
};
