// Feature wiring as data: one line in the manifest (`postgres: true`) becomes connection variables
// read from per-environment secrets named by convention (docs/features.md):
//   databases, one per database role:  <service>-postgres / -mysql / -mongo, key `url`
//   shared brokers, one per env:        ferry-rabbitmq (key url), ferry-redis (key url), ferry-kafka (key brokers)
// The service's own vhost / db number is appended with Kubernetes' $(VAR) expansion, so the shared
// secret holds only the broker's address and credentials. Every target (Kubernetes, Swarm,
// Marathon) and the engine's provision step read the names from here.
import type { Workload } from './types.ts';

export const FEATURE_SECRET_KEY = 'url';
export const KAFKA_SECRET_KEY = 'brokers';

export function databaseSecretName(service: string, feature: 'postgres' | 'mysql' | 'mongo'): string {
  return `${service}-${feature}`;
}

export function sharedSecretName(feature: 'rabbitmq' | 'redis' | 'kafka'): string {
  return `ferry-${feature}`;
}

/** One variable as a container's env entry: a value, or a key of a Secret. */
export interface FeatureVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export interface FeatureEnv {
  /** variables others refer to with $(NAME): they must come first in the container's env */
  bases: FeatureVar[];
  /** the connection variables the application reads */
  vars: FeatureVar[];
}

function fromSecret(name: string, secret: string, key: string): FeatureVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

export function featureEnv(w: Workload): FeatureEnv {
  const f = w.features;
  const bases: FeatureVar[] = [];
  const vars: FeatureVar[] = [];
  if (f.postgres) vars.push(fromSecret('DATABASE_URL', databaseSecretName(w.service, 'postgres'), 'url'));
  if (f.mysql) vars.push(fromSecret('MYSQL_URL', databaseSecretName(w.service, 'mysql'), 'url'));
  if (f.mongo) vars.push(fromSecret('MONGO_URL', databaseSecretName(w.service, 'mongo'), 'url'));
  if (f.rabbitmq) {
    bases.push(fromSecret('FERRY_RABBITMQ_URL', sharedSecretName('rabbitmq'), FEATURE_SECRET_KEY));
    vars.push({ name: 'AMQP_URL', value: `$(FERRY_RABBITMQ_URL)/${encodeURIComponent(f.rabbitmq.vhost)}` });
  }
  if (f.redis) {
    bases.push(fromSecret('FERRY_REDIS_URL', sharedSecretName('redis'), FEATURE_SECRET_KEY));
    vars.push({ name: 'REDIS_URL', value: `$(FERRY_REDIS_URL)/${f.redis.db}` });
  }
  if (f.kafka) {
    vars.push(fromSecret('KAFKA_BROKERS', sharedSecretName('kafka'), KAFKA_SECRET_KEY));
    if (f.kafka.topics.length > 0) vars.push({ name: 'KAFKA_TOPICS', value: f.kafka.topics.join(',') });
  }
  return { bases, vars };
}
