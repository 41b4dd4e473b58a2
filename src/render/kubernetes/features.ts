// Feature wiring: one line in the manifest (`postgres: true`) becomes connection env vars read from
// per-environment secrets named by convention (docs/features.md):
//   databases, one per service:   <service>-postgres / -mysql / -mongo, key `url`
//   shared brokers, one per env:  ferry-rabbitmq (key url), ferry-redis (key url), ferry-kafka (key brokers)
// The service's own vhost / db number is appended with Kubernetes' $(VAR) expansion, so the shared
// secret holds only the broker's address and credentials.
import type { V1EnvVar } from '@kubernetes/client-node';
import type { Workload } from '../../model/types.ts';

export const FEATURE_SECRET_KEY = 'url';
export const KAFKA_SECRET_KEY = 'brokers';

export function databaseSecretName(service: string, feature: 'postgres' | 'mysql' | 'mongo'): string {
  return `${service}-${feature}`;
}

export function sharedSecretName(feature: 'rabbitmq' | 'redis' | 'kafka'): string {
  return `ferry-${feature}`;
}

function fromSecret(name: string, secret: string, key: string): V1EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

export interface FeatureEnv {
  /** variables others refer to with $(NAME): they must come first in the container's env */
  bases: V1EnvVar[];
  /** the connection variables the application reads */
  vars: V1EnvVar[];
}

export function featureEnv(w: Workload): FeatureEnv {
  const f = w.features;
  const bases: V1EnvVar[] = [];
  const vars: V1EnvVar[] = [];
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
