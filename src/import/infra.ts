// Well-known infrastructure images: what a migrated stack usually runs next to its own services.
// The importers recognise them to say which ferry feature fits (a managed database instead of a
// container), which port other services reach them on, and where they keep their data.
import { splitImage } from './names.ts';

export type FeatureName = 'postgres' | 'mysql' | 'mongo' | 'redis' | 'rabbitmq' | 'kafka';

export interface Infra {
  /** what it is, e.g. PostgreSQL */
  title: string;
  /** the ferry feature that gives services a connection to one, when there is one */
  feature: FeatureName | undefined;
  /** the port clients connect to */
  port: number;
  /** where the image keeps its data */
  dataPath: string | undefined;
}

const TABLE: Readonly<Record<string, Infra>> = {
  postgres: { title: 'PostgreSQL', feature: 'postgres', port: 5432, dataPath: '/var/lib/postgresql/data' },
  postgis: { title: 'PostgreSQL', feature: 'postgres', port: 5432, dataPath: '/var/lib/postgresql/data' },
  mysql: { title: 'MySQL', feature: 'mysql', port: 3306, dataPath: '/var/lib/mysql' },
  mariadb: { title: 'MariaDB', feature: 'mysql', port: 3306, dataPath: '/var/lib/mysql' },
  mongo: { title: 'MongoDB', feature: 'mongo', port: 27017, dataPath: '/data/db' },
  mongodb: { title: 'MongoDB', feature: 'mongo', port: 27017, dataPath: '/data/db' },
  redis: { title: 'Redis', feature: 'redis', port: 6379, dataPath: '/data' },
  rabbitmq: { title: 'RabbitMQ', feature: 'rabbitmq', port: 5672, dataPath: '/var/lib/rabbitmq' },
  kafka: { title: 'Kafka', feature: 'kafka', port: 9092, dataPath: '/var/lib/kafka/data' },
  zookeeper: { title: 'ZooKeeper', feature: undefined, port: 2181, dataPath: '/data' },
  elasticsearch: {
    title: 'Elasticsearch',
    feature: undefined,
    port: 9200,
    dataPath: '/usr/share/elasticsearch/data',
  },
  memcached: { title: 'memcached', feature: undefined, port: 11211, dataPath: undefined },
};

/** The infrastructure an image runs (by its last path segment: bitnami/postgresql → postgres). */
export function wellKnown(image: string): (Infra & { name: string }) | undefined {
  const last = splitImage(image).repository.split('/').pop() ?? '';
  const name =
    last === 'postgresql' ? 'postgres' : last === 'cp-kafka' ? 'kafka' : last.replace(/-alpine$/, '');
  const found = TABLE[name];
  return found ? { ...found, name } : undefined;
}

/** The variable each feature gives the services that declare it. */
export const FEATURE_VARIABLE: Readonly<Record<FeatureName, string>> = {
  postgres: 'DATABASE_URL',
  mysql: 'MYSQL_URL',
  mongo: 'MONGO_URL',
  redis: 'REDIS_URL',
  rabbitmq: 'AMQP_URL',
  kafka: 'KAFKA_BROKERS',
};

/** What the report says about a well-known image: the feature that fits. */
export function infraNote(infra: Infra & { name: string }): string {
  return infra.feature
    ? `${infra.title}: ferry's features.${infra.feature} gives the services that use it a connection to a managed ${infra.title} (provisioned per environment) — or keep running this container`
    : `${infra.title}: no ferry feature manages it; it runs as a stateful service`;
}
