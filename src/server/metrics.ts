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
  };
}
