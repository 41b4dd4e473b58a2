// The Kubernetes renderer: a pure function of one Workload (one service, one environment, one
// version) to the objects that run it. Deterministic: same input, same objects, same order.
import type { Workload } from '../../model/types.ts';
import { setConfigDigests } from './config-digest.ts';
import { renderCronJob } from './cronjob.ts';
import { renderDaemonSet } from './daemonset.ts';
import { renderDeployment } from './deployment.ts';
import { renderExternalSecret } from './external-secret.ts';
import { renderHpa } from './hpa.ts';
import { renderIngresses } from './ingress.ts';
import { renderChecks, renderMigration } from './job.ts';
import type { Job, KubeObject, RenderedWorkload } from './object.ts';
import { applyPatches } from './patches.ts';
import { sortObjects } from './order.ts';
import { renderPdb } from './pdb.ts';
import { renderPrometheusRule } from './prometheus-rule.ts';
import { renderPvc } from './pvc.ts';
import { renderHeadlessService, renderService } from './service.ts';
import { renderFilesConfigMap } from './files.ts';
import { renderStatefulSet } from './statefulset.ts';
import { isCronOnly } from '../../model/jobs.ts';

export type { KubeMeta, KubeObject, RenderedWorkload } from './object.ts';
export { renderNamespace } from './namespace.ts';
export { KIND_ORDER, compareObjects, sortObjects } from './order.ts';
export * from './labels.ts';
export { migrationJobName, checkJobName } from './job.ts';

/**
 * A cron-only service (instances 0, crons) has no long-running pods: its CronJobs and what they
 * read (secrets, files) only. A stateful one runs as a StatefulSet whose claims come from its
 * templates, so it has no PersistentVolumeClaims of its own.
 */
export function renderKubernetes(w: Workload): RenderedWorkload {
  const serves = !isCronOnly(w);
  const objects: (KubeObject | undefined)[] = [
    renderExternalSecret(w),
    renderFilesConfigMap(w),
    ...(serves
      ? [
          ...(w.stateful ? [] : w.volumes.map((v) => renderPvc(w, v))),
          renderService(w),
          renderHeadlessService(w),
          w.daemon ? renderDaemonSet(w) : w.stateful ? renderStatefulSet(w) : renderDeployment(w),
          w.daemon ? undefined : renderPdb(w),
          renderHpa(w),
          ...renderIngresses(w),
          renderPrometheusRule(w),
        ]
      : []),
    ...w.crons.map((c) => renderCronJob(w, c)),
  ];
  const applied = sortObjects(objects.filter((o): o is KubeObject => o !== undefined));
  const migration = renderMigration(w);
  const checks = renderChecks(w);
  // patches see every object the workload renders, the engine's Jobs included; then the digests
  const all = applyPatches(w, [
    ...applied,
    ...(migration ? [migration.up, ...(migration.down ? [migration.down] : [])] : []),
    ...checks,
  ]);
  setConfigDigests(all);
  const n = applied.length;
  const up = migration ? (all[n] as Job) : undefined;
  const down = migration?.down ? (all[n + 1] as Job) : undefined;
  return {
    objects: all.slice(0, n),
    migration: up ? { up, down } : undefined,
    checks: all.slice(n + (migration ? 1 : 0) + (down ? 1 : 0)) as Job[],
  };
}
