// Backing services (postgres, mysql, mongo, rabbitmq, redis, kafka) with their defaults.
import type { EffectiveManifest } from './effective.ts';
import type { Features } from './types.ts';

export function resolveFeatures(m: EffectiveManifest, service: string): Features {
  const f = m.features ?? {};
  const dbName = service.replace(/-/g, '_');
  const on = <T>(v: boolean | T | undefined): T | undefined =>
    v === undefined || v === false ? undefined : v === true ? ({} as T) : v;
  const pg = (v: boolean | { database?: string; user?: string; schema?: string } | undefined) => {
    const o = on(v);
    if (!o) return undefined;
    const database = o.database ?? dbName;
    return { database, user: o.user ?? database, schema: o.schema ?? 'public' };
  };
  const mongo = on(f.mongo);
  const rabbit = on(f.rabbitmq);
  const redis = on(f.redis);
  const kafka = on(f.kafka);
  return {
    postgres: pg(f.postgres),
    mysql: pg(f.mysql),
    mongo: mongo ? { database: mongo.database ?? dbName } : undefined,
    rabbitmq: rabbit ? { vhost: rabbit.vhost ?? '/' } : undefined,
    redis: redis ? { db: redis.db ?? 0 } : undefined,
    kafka: kafka ? { topics: [...(kafka.topics ?? [])] } : undefined,
  };
}
