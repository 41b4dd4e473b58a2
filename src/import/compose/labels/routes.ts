// Routes the label families find, collected without duplicates.
import type { KeyPath } from '../../source.ts';
import type { Route } from '../context.ts';
import type { LabelState } from './family.ts';
import type { ParsedRoute } from './rules.ts';

export function addRoutes(
  st: LabelState,
  parsed: readonly ParsedRoute[],
  pub: boolean,
  allow: readonly string[] = [],
): void {
  for (const r of parsed) {
    const route: Route = {};
    if (r.path !== undefined && r.path !== '/') route.path = r.path;
    if (r.host !== undefined) route.host = r.host;
    if (pub) route.public = true;
    if (allow.length > 0) route.allow = [...allow];
    if (!st.routes.some((x) => JSON.stringify(x) === JSON.stringify(route))) st.routes.push(route);
  }
}

/** A label that gives routes (or says how they are served): its report line waits until the
 *  service's ports are known (map/routes.ts). */
export function routeLabel(st: LabelState, at: KeyPath, to: string, note: string): void {
  st.ctx.routeLabels.push({ at, to, note });
}
