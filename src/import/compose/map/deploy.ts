// deploy: replicas, mode, update_config, rollback_config, endpoint_mode. (deploy.resources,
// deploy.placement, deploy.labels and deploy.restart_policy have mappers of their own.)
import { isRecord } from '../../source.ts';
import type { FieldMapper } from '../context.ts';

export const mapDeploy: FieldMapper = (ctx, m) => {
  const { report, name, at } = ctx;
  const d = ctx.svc.deploy;
  if (d === undefined) return;
  if (!isRecord(d)) {
    report.dropped(name, at('deploy'), 'not a mapping');
    return;
  }
  const mode = d.mode === undefined ? 'replicated' : String(d.mode);
  if (d.replicas !== undefined) {
    const n = Number(d.replicas);
    if (Number.isInteger(n) && n >= 0) {
      m.instances = n;
      report.mapped(name, at('deploy', 'replicas'), 'instances');
    } else report.dropped(name, at('deploy', 'replicas'), 'not a whole number');
  }
  if (d.mode !== undefined) {
    if (mode === 'replicated') report.mapped(name, at('deploy', 'mode'), 'instances');
    else if (mode === 'global')
      report.approximated(
        name,
        at('deploy', 'mode'),
        'instances',
        'one instance per node (a DaemonSet) is not modelled: ferry runs a Deployment; set instances to the node count, or run node agents outside ferry',
      );
    else
      report.approximated(
        name,
        at('deploy', 'mode'),
        'crons',
        `"${mode}" runs to completion: ferry models one-shot work as migrations, checks or crons`,
      );
  }
  const uc = d.update_config;
  if (isRecord(uc)) {
    for (const [k, v] of Object.entries(uc)) {
      const key = at('deploy', 'update_config', k);
      if (k === 'order')
        report.approximated(
          name,
          key,
          '(rollout)',
          v === 'start-first'
            ? 'ferry rolls out start-first (maxSurge 25%, maxUnavailable 0)'
            : 'stop-first is not kept: ferry rolls out start-first (maxUnavailable 0), which needs room for one more pod',
        );
      else if (k === 'failure_action')
        report.approximated(
          name,
          key,
          '(deploy process)',
          v === 'rollback'
            ? 'ferry reverts a failed rollout to the previous release'
            : `"${String(v)}": ferry reverts a failed rollout instead`,
        );
      else if (k === 'monitor')
        report.approximated(
          name,
          key,
          'environments.<env>.observe',
          'watch time after a rollout is per environment in ferry.platform.yaml',
        );
      else
        report.approximated(
          name,
          key,
          '(rollout)',
          'Kubernetes rolling update pace replaces Swarm’s parallelism/delay',
        );
    }
  }
  if (d.rollback_config !== undefined)
    report.approximated(
      name,
      at('deploy', 'rollback_config'),
      '(rollback)',
      'ferry rolls back by re-applying the previous release',
    );
  if (d.endpoint_mode !== undefined)
    report.approximated(
      name,
      at('deploy', 'endpoint_mode'),
      'ports',
      'ferry gives every service a ClusterIP Service (like vip)',
    );
};
