// labels → routes (and what else a family reads): each label goes to the first family in
// LABEL_FAMILIES that claims it; the rest are reported as dropped.
import { isRecord } from '../../source.ts';
import type { AppMapper } from '../context.ts';
import type { Label, LabelFamily, LabelState } from './family.ts';
import { marathonLb } from './marathon-lb.ts';

export const LABEL_FAMILIES: readonly LabelFamily[] = [marathonLb];

export const mapLabels: AppMapper = (ctx, m) => {
  const { app, report, name, at } = ctx;
  if (!isRecord(app.labels)) return;
  const labels: Label[] = Object.entries(app.labels).map(([key, v]) => ({
    key,
    value: String(v),
    at: at('labels', key),
  }));
  const st: LabelState = { ctx, m, routes: [] };
  const mappers = new Map(LABEL_FAMILIES.map((f) => [f, f.begin(labels, st)]));
  for (const label of labels) {
    const family = LABEL_FAMILIES.find((f) => f.claims(label.key));
    if (family) mappers.get(family)!(label);
    else report.dropped(name, label.at, 'label: ferry sets its own labels; this one is not carried over');
  }
  for (const f of LABEL_FAMILIES) f.finish?.(st);
  if (st.routes.length > 0) m.routes = st.routes;
};
