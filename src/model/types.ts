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
  | { kind: 'http'; path: string; port: string | number; headers: readonly { name: string; value: string }[] }
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
  /** how often a failed run is retried (the Job's backoffLimit) */
  retries: number;
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
  /** where the data still is on the old platform (set by ferry import until the data is moved) */
  from: string | undefined;
}

/** Where a mounted file's content comes from: a key of a Secret or ConfigMap, or the manifest. */
export type FileSource =
  | { kind: 'secret'; name: string; key: string }
  | { kind: 'configMap'; name: string; key: string }
  | { kind: 'content'; content: string };

/** A file mounted into every container of the service (e.g. /run/secrets/db_password). */
export interface MountedFile {
  path: string;
  source: FileSource;
  /** permission bits, e.g. 0o440 */
  mode: number;
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

export interface NodeRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: readonly string[];
}

export interface Spread {
  topologyKey: string;
  maxSkew: number;
  whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule';
}

export interface Placement {
  spot: boolean;
  nodeSelector: Readonly<Record<string, string>>;
  tolerations: readonly Toleration[];
  /** node label expressions every node must match */
  required: readonly NodeRequirement[];
  preferred: readonly (NodeRequirement & { weight: number })[];
  spread: readonly Spread[];
  priorityClass: string | undefined;
}

/** A container's securityContext; undefined fields are left to the image and the cluster. */
export interface ContainerSecurity {
  runAsUser: number | undefined;
  runAsGroup: number | undefined;
  runAsNonRoot: boolean | undefined;
  readOnlyRootFilesystem: boolean | undefined;
  allowPrivilegeEscalation: boolean | undefined;
  /** capability names without CAP_, sorted */
  add: readonly string[];
  drop: readonly string[];
}

/** An init container or sidecar. */
export interface ExtraContainer {
  name: string;
  /** a full image reference */
  image: string;
  /** true when it runs the service's own image (and then gets the service's variables) */
  ownImage: boolean;
  command: Command | undefined;
  args: readonly string[] | undefined;
  /** its own variables, sorted by name */
  env: readonly EnvVar[];
  resources: Resources;
  security: ContainerSecurity;
  /** also in the pods of crons, migrations and checks */
  jobs: boolean;
}

export interface PodSettings {
  serviceAccount: string | undefined;
  imagePullSecrets: readonly string[];
  terminationGracePeriodSeconds: number | undefined;
  preStop: Command | undefined;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /** the service container's, with the pod-wide part below */
  security: ContainerSecurity;
  fsGroup: number | undefined;
  initContainers: readonly ExtraContainer[];
  sidecars: readonly ExtraContainer[];
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
  /** on the team server: approvals a request needs before it runs */
  approvals: number;
  observeSeconds: number;
  /** admin connection URL for provisioning, with ${VAR} left for the engine to resolve */
  databaseAdmin: string | undefined;
  /** set on an environment derived for a pull request (model/preview.ts) */
  preview?: { number: number; overrides: PreviewOverrides; host: string | undefined };
  /** the features ferry runs in this environment's namespace (backingServices); none: managed */
  backing?: readonly BackingFeature[];
}

/** A feature ferry can run in the cluster for an environment (model/backing.ts). */
export type BackingFeature = keyof Features;

export type Notifier =
  { kind: 'slack'; url: string } | { kind: 'webhook'; url: string } | { kind: 'console' };

export interface PreviewOverrides {
  instances: number;
  spot: boolean;
  /** caps on each service's limits */
  resources: Partial<Resources>;
}

export interface Previews {
  from: string;
  /** templates with ${number} and ${branch_slug} */
  namespace: string;
  domain: string | undefined;
  /** the default route host, with ${service}, ${number}, ${branch_slug}; undefined: <service>.<domain> */
  host: string | undefined;
  /** undefined: every service that runs in `from` */
  services: readonly string[] | undefined;
  overrides: PreviewOverrides;
  ttlSeconds: number;
  maxCount: number;
  /** the opt-in label; undefined: every pull request of the repository (forks still need forkLabel) */
  label: string | undefined;
  /** the label a fork's pull request needs: `label`, or "preview" */
  forkLabel: string;
  /** template with ${head_short_sha}, ${head_sha}, ${number} */
  version: string;
  /** deploy only when a version is given (true), or the head commit's version on every event */
  waitForVersion: boolean;
  /** the wildcard certificate's Secret in the `from` namespace, copied into each preview */
  tlsSecret: string | undefined;
  /** the features run in the preview's namespace (previews.backingServices); undefined: as in `from` */
  backing: readonly BackingFeature[] | undefined;
}

export interface Platform {
  /** absolute path of ferry.platform.yaml, or undefined when a lone ferry.yaml is used */
  file: string | undefined;
  environments: readonly Environment[];
  previews: Previews | undefined;
  policy: Policy;
  notify: readonly Notifier[];
}

/** Where something was written: the key path in its file and its position, for located errors later. */
export interface SourceRef {
  path: string;
  loc: { file: string; line: number; col: number } | undefined;
}

/** A change to rendered Kubernetes objects, applied after everything else. */
export interface Patch {
  kind: string;
  /** undefined: every object of the kind */
  name: string | undefined;
  type: 'strategic' | 'json';
  /** the strategic merge patch, or the JSON Patch operations */
  patch: unknown;
  /** the patch entry, its target, and (JSON Patch) each operation */
  at: { entry: SourceRef; target: SourceRef; ops: readonly SourceRef[] };
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
  /** a StatefulSet (claims per pod, a headless Service) instead of a Deployment */
  stateful: boolean;
  /** sorted by path */
  files: readonly MountedFile[];
  autoscale: Autoscale | undefined;
  placement: Placement;
  /** one pod per node (a DaemonSet) instead of instances */
  daemon: boolean;
  pod: PodSettings;
  /** metadata of the workload objects (Deployment or DaemonSet, CronJobs) */
  workloadMeta: { labels: Readonly<Record<string, string>>; annotations: Readonly<Record<string, string>> };
  /** the service's patches, then the environment's, in order */
  patches: readonly Patch[];
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
