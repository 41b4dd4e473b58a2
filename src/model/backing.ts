// Backing services in the cluster (an environment's `backingServices:`): which instances an
// environment's workloads need, named like the managed ones' Secrets so the same connection
// variables read them (feature-secrets.ts). Databases get an instance per service (its own
// database and user, as the managed provisioning gives each service), brokers one per
// environment (the shared ferry-<feature> Secret). Data: per feature, the image, port, where it
// keeps its data, how its credentials are passed, and the URL a service connects with.
import { databaseSecretName, sharedSecretName } from './feature-secrets.ts';
import type { BackingFeature, Environment, Workload } from './types.ts';

export interface BackingInstance {
  feature: BackingFeature;
  /** the StatefulSet, its headless Service and its Secret (the connection Secret the services read) */
  name: string;
  /** for a database: the service it belongs to */
  owner: string | undefined;
  database: string | undefined;
  user: string | undefined;
}

export interface BackingKind {
  image: string;
  port: number;
  dataPath: string;
  /** variables of the container: a value, or `{ secret: key }` of the instance's Secret */
  env(i: BackingInstance, host: string): Record<string, string | { secret: string }>;
  args?: readonly string[];
  /** the Secret's keys other than `password`, given the generated password */
  connection(i: BackingInstance, host: string, password: string): Record<string, string>;
}

const enc = encodeURIComponent;

export const BACKING_KINDS: Record<BackingFeature, BackingKind> = {
  postgres: {
    image: 'postgres:16-alpine',
    port: 5432,
    dataPath: '/var/lib/postgresql/data',
    env: (i) => ({
      POSTGRES_DB: i.database ?? 'app',
      POSTGRES_USER: i.user ?? 'app',
      POSTGRES_PASSWORD: { secret: 'password' },
      PGDATA: '/var/lib/postgresql/data/pgdata',
    }),
    connection: (i, host, pw) => ({
      url: `postgres://${enc(i.user ?? 'app')}:${enc(pw)}@${host}:5432/${enc(i.database ?? 'app')}`,
    }),
  },
  mysql: {
    image: 'mysql:8.4',
    port: 3306,
    dataPath: '/var/lib/mysql',
    env: (i) => ({
      MYSQL_DATABASE: i.database ?? 'app',
      MYSQL_USER: i.user ?? 'app',
      MYSQL_PASSWORD: { secret: 'password' },
      MYSQL_ROOT_PASSWORD: { secret: 'password' },
    }),
    connection: (i, host, pw) => ({
      url: `mysql://${enc(i.user ?? 'app')}:${enc(pw)}@${host}:3306/${enc(i.database ?? 'app')}`,
    }),
  },
  mongo: {
    image: 'mongo:7',
    port: 27017,
    dataPath: '/data/db',
    env: (i) => ({
      MONGO_INITDB_ROOT_USERNAME: 'ferry',
      MONGO_INITDB_ROOT_PASSWORD: { secret: 'password' },
      MONGO_INITDB_DATABASE: i.database ?? 'app',
    }),
    connection: (i, host, pw) => ({
      url: `mongodb://ferry:${enc(pw)}@${host}:27017/${enc(i.database ?? 'app')}?authSource=admin`,
    }),
  },
  redis: {
    image: 'redis:7-alpine',
    port: 6379,
    dataPath: '/data',
    env: () => ({ REDIS_PASSWORD: { secret: 'password' } }),
    args: ['redis-server', '--requirepass', '$(REDIS_PASSWORD)', '--appendonly', 'yes'],
    // each service appends its db number: $(FERRY_REDIS_URL)/<db>
    connection: (_i, host, pw) => ({ url: `redis://:${enc(pw)}@${host}:6379` }),
  },
  rabbitmq: {
    image: 'rabbitmq:3.13',
    port: 5672,
    dataPath: '/var/lib/rabbitmq',
    env: () => ({ RABBITMQ_DEFAULT_USER: 'ferry', RABBITMQ_DEFAULT_PASS: { secret: 'password' } }),
    // each service appends its vhost: $(FERRY_RABBITMQ_URL)/<vhost>
    connection: (_i, host, pw) => ({ url: `amqp://ferry:${enc(pw)}@${host}:5672` }),
  },
  kafka: {
    image: 'apache/kafka:3.8.0',
    port: 9092,
    dataPath: '/var/lib/kafka/data',
    // one KRaft node, broker and controller; plaintext inside the namespace
    env: (_i, host) => ({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:9092`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_LOG_DIRS: '/var/lib/kafka/data',
    }),
    connection: (_i, host) => ({ brokers: `${host}:9092` }),
  },
};

/** The instance's address inside the cluster: its headless Service's name in the namespace. */
export function backingHost(env: Environment, i: BackingInstance): string {
  return `${i.name}.${env.namespace}.svc`;
}

/** The in-cluster instances one workload needs in its environment (none when it is managed). */
export function backingFor(w: Workload): BackingInstance[] {
  const inCluster = new Set(w.environment.backing ?? []);
  const f = w.features;
  const out: BackingInstance[] = [];
  const db = (feature: 'postgres' | 'mysql' | 'mongo', database: string, user: string | undefined) =>
    out.push({ feature, name: databaseSecretName(w.service, feature), owner: w.service, database, user });
  if (f.postgres && inCluster.has('postgres')) db('postgres', f.postgres.database, f.postgres.user);
  if (f.mysql && inCluster.has('mysql')) db('mysql', f.mysql.database, f.mysql.user);
  if (f.mongo && inCluster.has('mongo')) db('mongo', f.mongo.database, undefined);
  for (const feature of ['redis', 'rabbitmq', 'kafka'] as const)
    if (f[feature] && inCluster.has(feature))
      out.push({
        feature,
        name: sharedSecretName(feature),
        owner: undefined,
        database: undefined,
        user: undefined,
      });
  return out;
}

/** Every instance an environment's workloads need, once each (a broker is shared), by name. */
export function backingForAll(workloads: readonly Workload[]): BackingInstance[] {
  const byName = new Map<string, BackingInstance>();
  for (const w of workloads) for (const i of backingFor(w)) if (!byName.has(i.name)) byName.set(i.name, i);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
