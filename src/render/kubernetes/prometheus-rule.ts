// Basic alerts per service (as Preply gave every service: replicas, 5xx, latency) as a
// PrometheusRule (prometheus-operator, monitoring.coreos.com/v1). The PromQL reads standard
// metrics: kube-state-metrics for replicas, ingress-nginx's controller metrics for 5xx and latency
// (docs/rendering.md shows the queries and their assumptions).
import type { Workload } from '../../model/types.ts';
import { staticLabels } from './labels.ts';
import { labelName } from './names.ts';
import type { PrometheusRule } from './object.ts';
import { deploymentName } from './deployment.ts';
import { serviceName } from './service.ts';

type Rule = PrometheusRule['spec']['groups'][number]['rules'][number];

/** A PromQL string literal. */
function q(s: string): string {
  return JSON.stringify(s);
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}

export function replicasExpr(namespace: string, deployment: string): string {
  const sel = `namespace=${q(namespace)},deployment=${q(deployment)}`;
  return `kube_deployment_status_replicas_available{${sel}} < kube_deployment_spec_replicas{${sel}}`;
}

export function statefulReplicasExpr(namespace: string, statefulset: string): string {
  const sel = `namespace=${q(namespace)},statefulset=${q(statefulset)}`;
  return `kube_statefulset_status_replicas_ready{${sel}} < kube_statefulset_replicas{${sel}}`;
}

export function errorsExpr(namespace: string, service: string, ratio: number): string {
  const sel = `namespace=${q(namespace)},service=${q(service)}`;
  return (
    `sum(rate(nginx_ingress_controller_requests{${sel},status=~"5.."}[5m]))` +
    ` / sum(rate(nginx_ingress_controller_requests{${sel}}[5m])) > ${ratio}`
  );
}

export function latencyExpr(namespace: string, service: string, seconds: number): string {
  const sel = `namespace=${q(namespace)},service=${q(service)}`;
  return (
    `histogram_quantile(0.99, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{${sel}}[5m])))` +
    ` > ${seconds}`
  );
}

export function renderPrometheusRule(w: Workload): PrometheusRule | undefined {
  const a = w.alerts;
  if (!a) return undefined;
  const ns = w.environment.namespace;
  const labels = { severity: 'warning', service: w.service, environment: w.environment.name, namespace: ns };
  const where = `${w.service} in ${w.environment.name}`;
  const rules: Rule[] = [];
  if (a.replicas) {
    rules.push({
      alert: 'FerryReplicasBelowDesired',
      expr: w.stateful ? statefulReplicasExpr(ns, deploymentName(w)) : replicasExpr(ns, deploymentName(w)),
      for: '5m',
      labels,
      annotations: {
        summary: `${where}: fewer ready replicas than desired`,
        description: 'Available replicas have stayed below the desired count for 5 minutes.',
      },
    });
  }
  // 5xx and latency come from the ingress: a service without routes has no such traffic.
  if (w.routes.length > 0 && a.errors5xxRatio !== undefined) {
    rules.push({
      alert: 'FerryHigh5xxRatio',
      expr: errorsExpr(ns, serviceName(w), a.errors5xxRatio),
      for: '5m',
      labels,
      annotations: {
        summary: `${where}: more than ${percent(a.errors5xxRatio)} of requests answer 5xx`,
        description: 'The ratio of 5xx responses at the ingress stayed above the threshold for 5 minutes.',
      },
    });
  }
  if (w.routes.length > 0 && a.latencyP99Seconds !== undefined) {
    rules.push({
      alert: 'FerryHighLatencyP99',
      expr: latencyExpr(ns, serviceName(w), a.latencyP99Seconds),
      for: '5m',
      labels,
      annotations: {
        summary: `${where}: p99 latency above ${a.latencyP99Seconds}s`,
        description:
          'The 99th percentile of request duration at the ingress stayed above the threshold for 5 minutes.',
      },
    });
  }
  if (rules.length === 0) return undefined;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: labelName(w.service),
      namespace: ns,
      labels: staticLabels(w, 'web'),
    },
    spec: { groups: [{ name: `${w.service}.${w.environment.name}`, rules }] },
  };
}
