// labels and deploy.labels → routes, crons, health: each label goes to the first family in
// LABEL_FAMILIES that claims it; the rest are reported as dropped.
import { isRecord, type KeyPath } from '../../source.ts';
import type { FieldMapper } from '../context.ts';
import { finishCron } from './cron.ts';
import { dockerLb } from './docker-lb.ts';
import { dropLabel, type Label, type LabelFamily, type LabelState } from './family.ts';
import { ferryCron } from './ferry.ts';
import { kompose } from './kompose.ts';
import { swarmCronjob } from './swarm-cronjob.ts';
import { traefik } from './traefik.ts';

export const LABEL_FAMILIES: readonly LabelFamily[] = [traefik, kompose, swarmCronjob, ferryCron, dockerLb];

/** Every label of a service, service labels first, then deploy.labels, in file order. */
export function serviceLabels(svc: Record<string, unknown>, at: (...p: string[]) => KeyPath): Label[] {
  const groups: [Record<string, unknown>, string[]][] = [];
  if (isRecord(svc.labels)) groups.push([svc.labels, ['labels']]);
  if (isRecord(svc.deploy) && isRecord(svc.deploy.labels))
    groups.push([svc.deploy.labels, ['deploy', 'labels']]);
  return groups.flatMap(([labels, base]) =>
    Object.entries(labels).map(([key, raw]) => ({
      key,
      value: raw === null || raw === undefined ? '' : String(raw),
      at: at(...base, key),
    })),
  );
}

export const mapLabels: FieldMapper = (ctx, m) => {
  const labels = serviceLabels(ctx.svc, ctx.at);
  const st: LabelState = { ctx, m, routes: [], cron: {}, cronLines: [] };
  const mappers = new Map(LABEL_FAMILIES.map((f) => [f, f.begin(labels, st)]));
  for (const label of labels) {
    const family = LABEL_FAMILIES.find((f) => f.claims(label.key));
    if (family) mappers.get(family)!(label);
    else dropLabel(label, st);
  }
  for (const f of LABEL_FAMILIES) f.finish?.(st);
  finishCron(st);
  if (st.routes.length > 0) m.routes = st.routes;
};
