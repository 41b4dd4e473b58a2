// Crons ferry rendered for Swarm — swarm-cronjob services labelled ferry.cron.service and
// ferry.cron.name — fold back into their service. When that service is not in the stack (a
// cron-only service renders its crons only), the first of its crons becomes it.
import type { Reporter } from '../report.ts';
import { isRecord } from '../source.ts';
import type { ImportedService } from '../types.ts';
import { toDnsLabel } from '../names.ts';

export function foldCrons(
  services: Record<string, unknown>,
  names: ReadonlyMap<string, string>,
  out: ImportedService[],
  report: Reporter,
): void {
  for (const [key, svc] of Object.entries(services)) {
    const labels =
      isRecord(svc) && isRecord(svc.deploy) && isRecord(svc.deploy.labels) ? svc.deploy.labels : {};
    const parentKey =
      typeof labels['ferry.cron.service'] === 'string' ? labels['ferry.cron.service'] : undefined;
    const child = out.find((s) => s.manifest.service === names.get(key));
    const cron = child?.manifest.crons?.[0];
    if (parentKey === undefined || !child || !cron) continue;
    const cronName = typeof labels['ferry.cron.name'] === 'string' ? labels['ferry.cron.name'] : cron.name;
    const parentName = names.get(parentKey) ?? toDnsLabel(parentKey);
    const parent = out.find((s) => s.manifest.service === parentName);
    const at = ['services', key, 'deploy', 'labels', 'ferry.cron.service'];
    if (parent === child) continue;
    if (parent) {
      parent.manifest.crons = [...(parent.manifest.crons ?? []), { ...cron, name: cronName }];
      out.splice(out.indexOf(child), 1);
      report.approximated(
        parent.manifest.service,
        at,
        `crons.${cronName}`,
        `the service "${key}" is folded into "${parent.manifest.service}" as its cron "${cronName}"`,
      );
    } else {
      child.manifest.service = parentName;
      child.manifest.crons = [{ ...cron, name: cronName }];
      report.approximated(
        parentName,
        at,
        `crons.${cronName}`,
        `the service "${key}" is the cron "${cronName}" of "${parentName}", which runs crons only (instances 0)`,
      );
    }
  }
}
