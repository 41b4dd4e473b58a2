// The normalized application: what every renderer and the engine read. No optional-with-default
// fields here: manifest/ → model/ fills every default, resolves overlays and interpolation,
// and parses quantities, durations and schedules once.

/** A command as the user wrote it: shell form runs through /bin/sh -c; exec form runs as is. */
export type Command = { kind: 'shell'; script: string } | { kind: 'exec'; argv: readonly string[] };

export interface Resources {
  /** limit in millicores */
  cpuMillis: number;
  /** limit in bytes */
  memoryBytes: number;
}

export interface Port {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP';
}

export type ProbeAction =
  | { kind: 'http'; path: string; port: string | number }
  | { kind: 'tcp'; port: string | number }
  | { kind: 'exec'; command: Command };

export interface Health {
  action: ProbeAction;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  /** time allowed to start before liveness applies (startup probe budget) */
  startupSeconds: number;
}

export type EnvSource =
  | { kind: 'literal'; value: string }
  | { kind: 'secret'; name: string; key: string }
  | { kind: 'vault'; path: string; key: string };

export interface EnvVar {
  name: string;
  source: EnvSource;
}

export interface Schedule {
  /** 5-field cron, always set */
  cron: string;
  /** what the manifest said (cron or ISO-8601 repeating interval) */
  source: string;
  /** 'cron' when written as cron; 'iso8601' when converted from a Chronos interval */
  format: 'cron' | 'iso8601';
  timezone: string | undefined;
}

export type Concurrency = 'Forbid' | 'Allow' | 'Replace';

export interface Cron {
  name: string;
  schedule: Schedule;
  command: Command;
  concurrency: Concurrency;
  startingDeadlineSeconds: number;
  activeDeadlineSeconds: number;
  resources: Resources;
}

export interface Migration {
  command: Command;
  down: Command | undefined;
  timeoutSeconds: number;
}

export interface Route {
  host: string;
  path: string;
  public: boolean;
  allow: readonly string[];
  /** port name */
  port: string;
}

export type Check =
  | { name: string; kind: 'command'; command: Command; timeoutSeconds: number }
  | { name: string; kind: 'http'; url: string; expect: number; timeoutSeconds: number };

export interface Alerts {
  replicas: boolean;
  /** e.g. 0.01 for 1% */
  errors5xxRatio: number | undefined;
  latencyP99Seconds: number | undefined;
}

export interface Volume {
  name: string;
  path: string;
  sizeBytes: number;
  storageClass: string | undefined;
  access: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany';
}

export interface Autoscale {
  min: number;
  max: number;
  cpuTargetPercent: number;
}

export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value: string | undefined;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | undefined;
}

export interface Placement {
  spot: boolean;
  nodeSelector: Readonly<Record<string, string>>;
  tolerations: readonly Toleration[];
}

export interface Features {
  postgres: { database: string; user: string; schema: string } | undefined;
  mysql: { database: string; user: string; schema: string } | undefined;
  mongo: { database: string } | undefined;
  rabbitmq: { vhost: string } | undefined;
  redis: { db: number } | undefined;
  kafka: { topics: readonly string[] } | undefined;
}

export type Tls =
  | { kind: 'wildcard'; secretName: string }
  | { kind: 'cert-manager'; issuer: string; issuerKind: 'Issuer' | 'ClusterIssuer' }
  | { kind: 'none' };

export interface Policy {
  cpuRequestRatio: number;
  memoryRequestRatio: number;
  cronConcurrency: Concurrency;
  progressDeadlineSeconds: number;
  revisionHistoryLimit: number;
  ingressClass: string;
  internalIngressClass: string;
  spot: { nodeSelector: Readonly<Record<string, string>>; tolerations: readonly Toleration[] };
  registry: string | undefined;
  /** `<Kind|*>:<field path>` patterns of fields other managers may own (engine/drift.ts) */
  driftIgnore: readonly string[];
}

export interface Environment {
  name: string;
  namespace: string;
  createNamespace: boolean;
  context: string | undefined;
  domain: string | undefined;
  tls: Tls;
  ingressClass: string;
  protected: boolean;
  observeSeconds: number;
  /** admin connection URL for provisioning, with ${VAR} left for the engine to resolve */
  databaseAdmin: string | undefined;
}

export type Notifier =
  { kind: 'slack'; url: string } | { kind: 'webhook'; url: string } | { kind: 'console' };

export interface Previews {
  from: string;
  namespace: string;
  domain: string | undefined;
  ttlSeconds: number;
}

export interface Platform {
  /** absolute path of ferry.platform.yaml, or undefined when a lone ferry.yaml is used */
  file: string | undefined;
  environments: readonly Environment[];
  previews: Previews | undefined;
  policy: Policy;
  notify: readonly Notifier[];
}

/** One service in one environment at one version, every default filled in. */
export interface Workload {
  service: string;
  environment: Environment;
  /** the image tag, given at render/deploy time */
  version: string;
  /** repository without tag */
  imageRepository: string;
  /** repository:version */
  image: string;
  command: Command | undefined;
  args: readonly string[] | undefined;
  ports: readonly Port[];
  health: Health | undefined;
  instances: number;
  resources: Resources;
  /** sorted by name */
  env: readonly EnvVar[];
  features: Features;
  migration: Migration | undefined;
  crons: readonly Cron[];
  routes: readonly Route[];
  checks: readonly Check[];
  alerts: Alerts | undefined;
  volumes: readonly Volume[];
  autoscale: Autoscale | undefined;
  placement: Placement;
  policy: Policy;
  /** sha256 of the service's manifest source and the platform file, hex */
  manifestDigest: string;
}

/** A service as loaded: its environments and a way to resolve each. */
export interface ServiceModel {
  name: string;
  /** absolute path of its ferry.yaml */
  file: string;
  /** names of the environments it runs in, in platform order */
  environments: readonly string[];
}

export interface AppModel {
  platform: Platform;
  /** sorted by name */
  services: readonly ServiceModel[];
}
