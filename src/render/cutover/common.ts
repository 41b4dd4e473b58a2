// What every cut-over object shares: its labels (never the labels a deploy prunes by, so no deploy
// of a moved service deletes them), names, and the state the objects are rendered for.
import type { CutoverPlan, OldBackend } from '../../model/cutover.ts';
import { labelName } from '../kubernetes/names.ts';
import type { KubeMeta } from '../kubernetes/object.ts';

/** A rendered object of the cut-over. */
export interface CutoverObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMeta & { [field: string]: unknown };
  [field: string]: unknown;
}

/** Where the traffic is: the maintenance page, or this percent on the new platform (the rest on the old). */
export interface TrafficState {
  maintenance: boolean;
  weight: number;
}

export const LABEL_CUTOVER = 'ferry.dev/cutover';

export function cutoverLabels(plan: CutoverPlan, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'ferry',
    'app.kubernetes.io/component': component,
    [LABEL_CUTOVER]: plan.name,
  };
}

export function meta(
  plan: CutoverPlan,
  name: string,
  component: string,
  annotations?: Record<string, string>,
) {
  return {
    name,
    namespace: plan.environment.namespace,
    labels: cutoverLabels(plan, component),
    ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/** The Service that stands for a service's old platform. */
export function oldServiceName(service: string): string {
  return labelName(`${service}-old`);
}

/** The traffic object of a service (canary Ingress, TraefikService + IngressRoute, HTTPRoute). */
export function cutoverName(service: string): string {
  return labelName(`${service}-cutover`);
}

export function pageName(plan: CutoverPlan): string {
  return labelName(`${plan.name}-maintenance`);
}

/** The port ferry's own page listens on (nginx-unprivileged). */
export const PAGE_PORT = 8080;

export function pagePort(plan: CutoverPlan): number {
  return plan.maintenance.source.kind === 'backend' ? plan.maintenance.source.backend.port : PAGE_PORT;
}

/** The percent for the old platform: what the new one does not take. */
export function oldWeight(state: TrafficState): number {
  return 100 - state.weight;
}

export function isHttps(b: OldBackend): boolean {
  return b.tls;
}
