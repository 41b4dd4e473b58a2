// /metrics in Prometheus' text format: releases by outcome and environment, their duration, the
// queue's depth, webhook deliveries by result, and the requests the API answered. One registry
// per server (tests run several in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  releases: Counter<'outcome' | 'environment'>;
  releaseSeconds: Histogram<'environment'>;
  queueDepth: Gauge;
  webhooks: Counter<'source' | 'result'>;
  http: Counter<'route' | 'status'>;
  /** DORA figures per environment over the last 30 days, set at every scrape */
  dora: {
    deploymentsPerDay: Gauge<'environment'>;
    leadTimeSeconds: Gauge<'environment' | 'quantile'>;
    changeFailRate: Gauge<'environment'>;
    recoverySeconds: Gauge<'environment'>;
    reworkRate: Gauge<'environment'>;
  };
}

function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Gauge<L> {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

export function createMetrics(opts: { processMetrics: boolean }): Metrics {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'ferry_server_' });
  return {
    registry,
    releases: new Counter({
      name: 'ferry_releases_total',
      help: 'Requests the server ran to an end, by outcome and environment.',
      labelNames: ['outcome', 'environment'],
      registers: [registry],
    }),
    releaseSeconds: new Histogram({
      name: 'ferry_release_duration_seconds',
      help: 'How long a request ran, from its claim to its outcome.',
      labelNames: ['environment'],
      buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'ferry_queue_depth',
      help: 'Requests waiting in the queue (queued, not yet claimed) as this replica saw them.',
      registers: [registry],
    }),
    webhooks: new Counter({
      name: 'ferry_webhook_deliveries_total',
      help: 'Webhook deliveries by source and result (accepted, duplicate, refused).',
      labelNames: ['source', 'result'],
      registers: [registry],
    }),
    http: new Counter({
      name: 'ferry_http_requests_total',
      help: 'API requests answered, by route and status.',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    dora: {
      deploymentsPerDay: gauge(
        registry,
        'ferry_dora_deployments_per_day',
        'Successful deploys and promotions per day over the last 30 days.',
        ['environment'],
      ),
      leadTimeSeconds: gauge(
        registry,
        'ferry_dora_lead_time_seconds',
        'Change lead time (oldest commit to successful deploy) over the last 30 days: median (0.5) and p90 (0.9).',
        ['environment', 'quantile'],
      ),
      changeFailRate: gauge(
        registry,
        'ferry_dora_change_fail_rate',
        'Share of changes that failed or were rolled back within the hour, last 30 days.',
        ['environment'],
      ),
      recoverySeconds: gauge(
        registry,
        'ferry_dora_recovery_seconds',
        'Median time from a failed change to the next successful release, last 30 days.',
        ['environment'],
      ),
      reworkRate: gauge(
        registry,
        'ferry_dora_rework_rate',
        'Share of releases made because of a failure (rollbacks, fixes right after one), last 30 days.',
        ['environment'],
      ),
    },
  };
}
