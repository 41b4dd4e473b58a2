// The two file formats, written once. JSON Schema for editors is generated from these
// (scripts/gen-schema.ts → schema/). Descriptions double as the field reference in docs/manifest.md.
// Shapes here are what a person writes; defaults and normalisation happen in model/.
import { z } from 'zod';
import { patchesSchema, placementExtras, podSchemaOf, workloadMetaSchema } from './schema-pod.ts';
import { filesSchema } from './files-schema.ts';
import { cutoverSchema } from './schema-cutover.ts';

const dnsLabel = z
  .string()
  .regex(
    /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'a lowercase DNS label: letters, digits and "-", starting with a letter',
  );

/** "500m", "0.5", 0.5, "2" — CPU cores. */
export const cpuSchema = z
  .union([z.number().positive(), z.string().regex(/^(\d+(\.\d+)?|\d+m)$/, 'CPU like 500m, 0.5 or 2')])
  .describe(
    'CPU cores: 500m, 0.5 or 2. This is the LIMIT (what Marathon called cpus); the request comes from policy.cpuRequestRatio.',
  );

/** "512Mi", "1Gi", "256M" — memory with a unit. */
export const memorySchema = z
  .string()
  .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T|k)?$/, 'memory with a unit, like 512Mi or 1Gi')
  .describe(
    "Memory with a unit: 512Mi, 1Gi (binary) or 500M (decimal). This is the LIMIT; the request comes from policy.memoryRequestRatio. A bare number is bytes and is refused below 1Mi (Marathon's mem was MiB: write 512Mi).",
  );

export const durationSchema = z
  .string()
  .regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, 'a duration like 500ms, 30s, 5m, 1h or 1h30m')
  .describe('A duration: 500ms, 30s, 5m, 1h, 1h30m.');

export const commandSchema = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .describe('A string runs through /bin/sh -c (like Marathon cmd); a list runs as is (exec form).');

export const resourcesSchema = z
  .object({ cpu: cpuSchema.optional(), memory: memorySchema.optional() })
  .strict()
  .describe('Limits per instance. Default: cpu 500m, memory 512Mi.');

const portSchema = z
  .object({
    name: dnsLabel.optional().describe('Port name; default http for the first port, port-<n> after.'),
    port: z.number().int().min(1).max(65535),
    protocol: z.enum(['TCP', 'UDP']).optional().describe('Default TCP.'),
  })
  .strict();

const probeTimingShape = {
  initialDelay: durationSchema.optional().describe('Default 0s.'),
  period: durationSchema.optional().describe('Default 10s.'),
  timeout: durationSchema.optional().describe('Default 2s.'),
  failureThreshold: z.number().int().min(1).optional().describe('Default 3.'),
  startup: durationSchema
    .optional()
    .describe('How long the service may take to start before liveness applies. Default 60s.'),
};

const healthSchema = z
  .union([
    z
      .string()
      .startsWith('/', 'an HTTP path starting with /')
      .describe('HTTP path probed on the first port.'),
    z
      .object({
        path: z.string().startsWith('/', 'a path starting with /').optional().describe('HTTP GET path.'),
        port: z
          .union([z.number().int().min(1).max(65535), dnsLabel])
          .optional()
          .describe('Default: the first port.'),
        command: commandSchema.optional().describe('Exec probe instead of HTTP.'),
        tcp: z.boolean().optional().describe('TCP connect probe on the port instead of HTTP.'),
        headers: z
          .record(z.string().regex(/^[-A-Za-z0-9_]+$/, 'an HTTP header name'), z.string())
          .optional()
          .describe(
            "HTTP headers of the probe requests, e.g. Host for Django's ALLOWED_HOSTS. Default: none.",
          ),
        ...probeTimingShape,
      })
      .strict(),
  ])
  .describe('Readiness, liveness and startup probes from one declaration.');

const secretRef = z
  .string()
  .regex(
    /^(secret:[a-z0-9][-a-z0-9.]*#[-._a-zA-Z0-9]+|vault:[^#\s]+#[-._a-zA-Z0-9]+)$/,
    'secret:<name>#<key> or vault:<path>#<key>',
  );

const envSchema = z
  .record(
    z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, 'an environment variable name'),
    z.union([z.string(), z.number(), z.boolean()]),
  )
  .describe(
    'Environment variables. Values may use ${service}, ${env}, ${version}, ${namespace}, ${domain}; a value "secret:<name>#<key>" or "vault:<path>#<key>" reads a secret.',
  );

const postgresSchema = z
  .object({
    database: z.string().optional().describe('Default: the service name with "-" as "_".'),
    user: z.string().optional().describe('Default: the database name.'),
    schema: z.string().optional().describe('Default: public.'),
  })
  .strict();

const featureFlag = <T extends z.ZodType>(obj: T) => z.union([z.boolean(), obj]);
/** The features ferry can run in the cluster (backingServices). */
export const BACKING_FEATURES = ['postgres', 'mysql', 'mongo', 'redis', 'rabbitmq', 'kafka'] as const;

const backingServicesSchema = z.union([
  z.literal('cluster'),
  z.literal('managed'),
  z.array(z.enum(BACKING_FEATURES)).min(1),
]);

const featuresSchema = z
  .object({
    postgres: featureFlag(postgresSchema)
      .optional()
      .describe('DATABASE_URL; provisioned on deploy when the environment gives an admin URL.'),
    mysql: featureFlag(postgresSchema).optional().describe('MYSQL_URL.'),
    mongo: featureFlag(
      z
        .object({
          database: z.string().optional().describe('Default: the service name with "-" as "_".'),
        })
        .strict(),
    )
      .optional()
      .describe('MONGO_URL.'),
    rabbitmq: featureFlag(z.object({ vhost: z.string().optional().describe('Default: "/".') }).strict())
      .optional()
      .describe('AMQP_URL.'),
    redis: featureFlag(z.object({ db: z.number().int().min(0).optional().describe('Default: 0.') }).strict())
      .optional()
      .describe('REDIS_URL.'),
    kafka: featureFlag(
      z
        .object({
          topics: z.array(z.string()).optional().describe('Topics the service uses. Default: none.'),
        })
        .strict(),
    )
      .optional()
      .describe('KAFKA_BROKERS.'),
  })
  .strict()
  .describe(
    'Backing services in one line each. Connection settings come from per-environment secrets (docs/features.md).',
  );

const migrationsSchema = z
  .object({
    command: commandSchema.describe('Runs as a Job from the NEW image before the rollout.'),
    down: commandSchema
      .optional()
      .describe("Undoes this release's migration; run from the NEW image when the release is reverted."),
    timeout: durationSchema.optional().describe('Default 10m.'),
  })
  .strict();

const cronSchema = z
  .object({
    name: dnsLabel,
    schedule: z
      .string()
      .min(1)
      .describe(
        '5-field cron ("*/30 * * * *") or a Chronos ISO-8601 repeating interval ("R//PT30M", "R/2016-01-01T00:00:00Z/PT1M").',
      ),
    command: commandSchema,
    timezone: z.string().optional().describe('IANA zone, e.g. Europe/London. Default: UTC.'),
    concurrency: z
      .enum(['forbid', 'allow', 'replace'])
      .optional()
      .describe('Default: policy.cronConcurrency (forbid).'),
    deadline: durationSchema.optional().describe('Starting deadline. Default 5m.'),
    timeout: durationSchema.optional().describe('activeDeadlineSeconds of each run. Default 1h.'),
    resources: resourcesSchema.optional().describe("Default: the service's resources."),
    retries: z
      .number()
      .int()
      .min(0)
      .max(20)
      .optional()
      .describe("How often a failed run is retried (the Job's backoffLimit; Chronos retries). Default 2."),
  })
  .strict();

const cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'a CIDR like 10.0.0.0/8');
const routeSchema = z
  .object({
    path: z.string().startsWith('/', 'a path starting with /').optional().describe('Default /.'),
    host: z
      .string()
      .optional()
      .describe(
        'Host name; default <service>.<environment domain>. ${service}, ${env} and ${domain} are replaced, as in env values.',
      ),
    public: z
      .boolean()
      .optional()
      .describe('Exposed through the public ingress class. Default false (internal).'),
    allow: z.array(cidr).optional().describe('Only these source ranges may reach the route.'),
    port: z.union([z.number().int(), dnsLabel]).optional().describe('Default: the first port.'),
  })
  .strict();

const checkSchema = z
  .object({
    name: dnsLabel,
    command: commandSchema.optional().describe('Runs as a Job from the new image after the rollout.'),
    http: z.string().optional().describe('URL (or path on the first route) that must answer with `expect`.'),
    expect: z.number().int().min(100).max(599).optional().describe('Default 200.'),
    timeout: durationSchema.optional().describe('Default 2m.'),
  })
  .strict();

const alertsSchema = z
  .object({
    replicas: z
      .boolean()
      .optional()
      .describe('Alert when ready replicas stay below desired for 5m. Default true when alerts is given.'),
    errors5xx: z
      .string()
      .regex(/^\d+(\.\d+)?%$/, 'a percentage like 1%')
      .optional()
      .describe('Alert when the share of 5xx responses exceeds this, e.g. 1%. Default: no such alert.'),
    latencyP99: durationSchema
      .optional()
      .describe('Alert when the 99th percentile latency exceeds this, e.g. 500ms. Default: no such alert.'),
  })
  .strict();

const volumeSchema = z
  .object({
    name: dnsLabel,
    path: z
      .string()
      .startsWith('/', 'an absolute path starting with /')
      .describe('Mount path in the container.'),
    size: memorySchema.describe('Requested size, e.g. 10Gi.'),
    storageClass: z.string().optional().describe("Default: the cluster's default storage class."),
    access: z
      .enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany'])
      .optional()
      .describe('Default ReadWriteOnce.'),
    from: z
      .string()
      .optional()
      .describe(
        'Where the data is on the old platform (written by ferry import, e.g. "host path /db"): ferry parity blocks until it is removed, once the data is copied in and the size confirmed.',
      ),
  })
  .strict();

const autoscaleSchema = z
  .object({
    min: z.number().int().min(1).describe('Fewest instances.'),
    max: z.number().int().min(1).describe('Most instances; at least min.'),
    cpu: z
      .string()
      .regex(/^\d{1,3}%$/, 'a percentage like 70%')
      .optional()
      .describe('Target CPU utilisation. Default 70%.'),
  })
  .strict();

const tolerationSchema = z
  .object({
    key: z.string(),
    operator: z
      .enum(['Equal', 'Exists'])
      .optional()
      .describe('Default: Exists without a value, Equal with one.'),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  })
  .strict();

const placementSchema = z
  .object({
    spot: z
      .boolean()
      .optional()
      .describe(
        'Run on the spot/preemptible node pool (policy.spot gives its selector and toleration). Default false.',
      ),
    nodeSelector: z
      .record(z.string(), z.string())
      .optional()
      .describe("Node labels the pods require; merged over the environment's."),
    tolerations: z
      .array(tolerationSchema)
      .optional()
      .describe("Taints the pods tolerate; added to the environment's."),
    ...placementExtras,
  })
  .strict();

/** `autoDeploy:` — which pushed image tags the team server deploys by itself (docs/autodeploy.md). */
export const autoDeploySchema = z
  .union([
    z
      .string()
      .regex(
        /^(off|patch|minor|major|all|force|glob:.+|regexp:.+)$/,
        'write off, patch, minor, major, all, force, glob:<pattern> or regexp:<re>',
      ),
    z
      .object({
        policy: z
          .string()
          .regex(
            /^(off|patch|minor|major|all|force|glob:.+|regexp:.+)$/,
            'write off, patch, minor, major, all, force, glob:<pattern> or regexp:<re>',
          ),
        prereleases: z
          .boolean()
          .optional()
          .describe('patch/minor/major also take pre-release tags (1.3.0-rc.1). Default false.'),
      })
      .strict(),
  ])
  .refine(
    (v) => {
      const p = typeof v === 'string' ? v : v.policy;
      if (!p.startsWith('regexp:')) return true;
      try {
        new RegExp(p.slice('regexp:'.length));
        return true;
      } catch {
        return false;
      }
    },
    { message: 'the regular expression after regexp: does not compile' },
  )
  .describe(
    'Deploy pushed image tags by themselves (team server, registry webhooks): off, patch, minor, major, all (semver, never downwards; all includes pre-releases), glob:<pattern>, regexp:<re>, or force (any tag; the same tag pushed again deploys by digest). Default off.',
  );

/** What a service says; the same shape (minus identity) is an environment overlay. */
const serviceBody = {
  image: z
    .string()
    .min(1)
    .describe('Image repository, without a tag: the tag is the version given at deploy time.'),
  command: commandSchema.optional(),
  args: z.array(z.string()).optional().describe('Arguments after the command (or the image entrypoint).'),
  port: z.number().int().min(1).max(65535).optional().describe('Shorthand for one TCP port named http.'),
  ports: z.array(portSchema).min(1).optional().describe('Several ports; give either port or ports.'),
  health: healthSchema.optional(),
  instances: z.number().int().min(0).optional().describe('Default 1.'),
  resources: resourcesSchema.optional(),
  env: envSchema.optional(),
  secrets: z
    .record(z.string(), secretRef)
    .optional()
    .describe('Environment variables read from secrets: NAME: secret:<name>#<key> or vault:<path>#<key>.'),
  features: featuresSchema.optional(),
  migrations: migrationsSchema.optional(),
  crons: z.array(cronSchema).optional().describe('Scheduled jobs from the same image (CronJobs).'),
  routes: z.array(routeSchema).optional().describe('HTTP routes into the service (Ingress).'),
  checks: z
    .array(checkSchema)
    .optional()
    .describe('Verification after each rollout; a failing check rolls back.'),
  alerts: alertsSchema.optional(),
  volumes: z.array(volumeSchema).optional().describe('Persistent volumes (one claim each).'),
  stateful: z
    .boolean()
    .optional()
    .describe(
      'Run as a StatefulSet: stable pod names, a claim per pod for each volume, a headless Service <service>-headless. For databases and brokers. Default false.',
    ),
  files: filesSchema.optional(),
  autoscale: autoscaleSchema
    .optional()
    .describe('Scale between min and max on CPU; instances is then the start.'),
  placement: placementSchema
    .optional()
    .describe('Where pods run: spot pool, node selector, tolerations, node affinity, spread, priority.'),
  daemon: z
    .boolean()
    .optional()
    .describe(
      "One pod on every node the placement allows (a DaemonSet; Swarm's mode: global) instead of instances: log shippers, node agents. Default false.",
    ),
  pod: podSchemaOf({
    duration: durationSchema,
    command: commandSchema,
    resources: resourcesSchema,
    env: envSchema,
  }).optional(),
  workload: workloadMetaSchema.optional(),
  patches: patchesSchema.optional(),
  autoDeploy: autoDeploySchema.optional(),
};

export const environmentOverlaySchema = z
  .object(
    Object.fromEntries(Object.entries(serviceBody).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof serviceBody]: z.ZodOptional<(typeof serviceBody)[K]>;
    },
  )
  .strict()
  .describe(
    'Per-environment overrides: any service field. Maps merge key by key; lists and scalars replace.',
  );

export const serviceManifestSchema = z
  .object({
    $schema: z.string().optional(),
    service: dnsLabel.describe('The service name: a DNS label, unique in the platform.'),
    after: z
      .array(dnsLabel)
      .optional()
      .describe(
        'Services this one deploys after when they are deployed together (`ferry deploy a:1 b:1`): it starts only once each of them has succeeded, e.g. after: [schema-owner] so the service that owns the schema migrates first. Names must be services of the platform; no cycles. Default: none.',
      ),
    team: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,62}$/, 'a team name: letters, digits, space . _ / -, at most 63')
      .optional()
      .describe(
        'The team that owns the service, e.g. team: payments: the dashboard filters the matrix by it (GET /api/v1/services?team=payments). Default: none.',
      ),
    ...serviceBody,
    environments: z
      .record(dnsLabel, z.union([environmentOverlaySchema, z.null()]))
      .optional()
      .describe(
        'Environments this service runs in, each with its overrides. Default: every platform environment.',
      ),
  })
  .strict();

const tlsSchema = z
  .object({
    wildcard: z
      .string()
      .optional()
      .describe(
        'One wildcard certificate secret for the whole environment (the default, as "wildcard-<env>-tls").',
      ),
    certManager: z
      .object({
        issuer: z.string().describe('Issuer name.'),
        kind: z.enum(['Issuer', 'ClusterIssuer']).optional().describe('Default ClusterIssuer.'),
      })
      .strict()
      .optional()
      .describe("Let cert-manager issue certificates (one per host: watch Let's Encrypt's rate limits)."),
    disabled: z.boolean().optional().describe('No TLS at all (plain HTTP). Default false.'),
  })
  .strict()
  .describe('Default: the wildcard secret wildcard-<env>-tls when the environment has a domain.');

export const platformEnvironmentSchema = z
  .object({
    context: z.string().optional().describe('kubeconfig context. Default: the current context.'),
    namespace: dnsLabel.optional().describe('Default: the environment name.'),
    createNamespace: z.boolean().optional().describe('Render and apply the Namespace. Default true.'),
    domain: z.string().optional().describe('Hosts are <service>.<domain> unless a route names one.'),
    tls: tlsSchema.optional(),
    ingressClass: z.string().optional().describe('Default: policy.ingressClass (nginx).'),
    protected: z
      .boolean()
      .optional()
      .describe(
        'Deploys and rollbacks need a confirmation (--yes), and on the team server a token that names the environment or an admin. Default false.',
      ),
    approvals: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe(
        'On the team server: requests here wait until this many other people approve them. Default 0.',
      ),
    observe: durationSchema.optional().describe('Observation window after a rollout. Default 0s.'),
    placement: placementSchema.optional().describe('Placement for every service in this environment.'),
    database: z
      .object({
        admin: z
          .string()
          .describe('Admin connection URL used to provision databases; ${VAR} reads the environment.'),
      })
      .strict()
      .optional(),
    env: envSchema.optional().describe('Variables added to every service in this environment.'),
    autoDeploy: autoDeploySchema
      .optional()
      .describe('The auto-deploy policy of every service here that sets none of its own. Default off.'),
    backingServices: backingServicesSchema
      .optional()
      .describe(
        'Where the features (postgres, mysql, mongo, redis, rabbitmq, kafka) come from: managed (the default: Secrets you provide, databases provisioned with database.admin), or cluster: ferry runs them here as StatefulSets with volumes and generated credentials (for non-production). A list runs only those features in the cluster.',
      ),
  })
  .strict();

/** ${number}, ${branch_slug}, ${head_sha}, ${head_short_sha}: the placeholders of preview templates. */
export const PREVIEW_VARIABLES = ['number', 'branch_slug', 'head_sha', 'head_short_sha'] as const;

const previewTemplate = (what: string, allowed: readonly string[]) =>
  z
    .string()
    .min(1)
    .refine((t) => !/(^|[^$])\{(number|branch_slug|head_sha|head_short_sha)\}/.test(t), {
      message: `write \${…}: "{number}" is the old placeholder form (e.g. "pr-\${number}")`,
    })
    .refine((t) => [...t.matchAll(/\$\{([^}]*)\}/g)].every((m) => allowed.includes(m[1]!.trim())), {
      message: `${what} may use ${allowed.map((v) => `\${${v}}`).join(', ')}`,
    });

export const previewsSchema = z
  .object({
    from: dnsLabel.describe(
      'The environment a preview copies: its overlays, platform settings and database server.',
    ),
    namespace: previewTemplate('the namespace', ['number', 'branch_slug'])
      .optional()
      .describe('The namespace of a preview; ${number} and ${branch_slug}. Default "pr-${number}".'),
    domain: previewTemplate('the domain', ['number', 'branch_slug'])
      .optional()
      .describe(
        'Hosts are <service>.<domain>; ${number} and ${branch_slug}. Default "pr-${number}.<from domain>".',
      ),
    host: previewTemplate('the host', ['service', 'number', 'branch_slug'])
      .optional()
      .describe(
        'A preview\'s default route host: ${service}, ${number}, ${branch_slug}, e.g. "${service}-pr-${number}.stage.example.com", which the from environment\'s ONE wildcard certificate (*.stage.example.com) covers. Default <service>.<domain>.',
      ),
    services: z
      .array(dnsLabel)
      .min(1)
      .optional()
      .describe('The services a preview runs. Default: every service that runs in `from`.'),
    overrides: z
      .object({
        instances: z.number().int().min(1).optional().describe('Instances of each service. Default 1.'),
        spot: z.boolean().optional().describe('Run on the spot node pool (policy.spot). Default false.'),
        resources: resourcesSchema
          .optional()
          .describe(
            'Caps on the limits per instance: a service asking for more gets this much. Default none.',
          ),
      })
      .strict()
      .optional(),
    ttl: durationSchema
      .optional()
      .describe('A preview with no update for this long is removed. Default 72h.'),
    maxCount: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'At most this many previews at once; one more is refused (said in the PR comment). Default 10.',
      ),
    label: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Only pull requests with this label get a preview (opt-in); removing it removes the preview. Fork pull requests always need it. Default: every pull request of the repository; forks need "preview".',
      ),
    version: previewTemplate('the version', ['number', 'head_sha', 'head_short_sha'])
      .optional()
      .describe(
        'The image tag CI pushes for the head commit. Default "sha-${head_short_sha}" (7 characters).',
      ),
    waitForVersion: z
      .boolean()
      .optional()
      .describe(
        'true: a preview deploys when its version is given (CI: ferry preview deploy --pr N --version V, or the API), once CI pushed the image; false: it deploys `version` for the head commit at once on every pull-request event (CI pushed the image before it opened or updated the PR). Default true.',
      ),
    backingServices: backingServicesSchema
      .optional()
      .describe(
        "Where a preview's features come from: cluster runs them in the preview's namespace (StatefulSets with volumes and generated credentials, Ready before the services, removed with the preview); a list runs only those there; managed uses the from environment's managed ones (each preview its own PostgreSQL database on database.admin). Default: the from environment's backingServices.",
      ),
    tls: z
      .object({
        wildcard: z.string().min(1).describe('A Secret in the `from` namespace, copied into each preview.'),
      })
      .strict()
      .optional()
      .describe(
        "The one wildcard certificate of the previews. Default: the `from` environment's wildcard Secret.",
      ),
  })
  .strict();

const notifySchema = z.union([
  z
    .object({ slack: z.string().describe('Slack incoming-webhook URL; ${VAR} reads the environment.') })
    .strict(),
  z.object({ webhook: z.string().describe('URL receiving a JSON POST per deploy event.') }).strict(),
  z.object({ console: z.boolean() }).strict(),
]);

export const platformSchema = z
  .object({
    $schema: z.string().optional(),
    services: z
      .array(z.string())
      .optional()
      .describe('Folders holding ferry.yaml, or globs of them ("services/*"). Default ["."].'),
    environments: z
      .record(dnsLabel, platformEnvironmentSchema.nullable())
      .describe('The environments, in promotion order.'),
    previews: previewsSchema.optional(),
    policy: z
      .object({
        cpuRequestRatio: z
          .number()
          .gt(0)
          .max(1)
          .optional()
          .describe('CPU request = limit × ratio. Default 0.25.'),
        memoryRequestRatio: z
          .number()
          .gt(0)
          .max(1)
          .optional()
          .describe('Memory request = limit × ratio. Default 1.0.'),
        cronConcurrency: z.enum(['forbid', 'allow', 'replace']).optional().describe('Default forbid.'),
        progressDeadline: durationSchema.optional().describe('Default 120s.'),
        revisionHistoryLimit: z.number().int().min(0).optional().describe('Default 5.'),
        ingressClass: z.string().optional().describe('Default nginx.'),
        internalIngressClass: z
          .string()
          .optional()
          .describe('Class for routes with public: false. Default nginx-internal.'),
        spot: placementSchema
          .pick({ nodeSelector: true, tolerations: true })
          .optional()
          .describe('What placement.spot means: node selector and tolerations.'),
        registry: z.string().optional().describe('Prefix for images that name no registry.'),
        driftIgnore: z
          .array(z.string().regex(/^([A-Za-z*][A-Za-z0-9]*:)?[A-Za-z]/, 'write <Kind|*>:<field path>'))
          .optional()
          .describe(
            'Fields other managers may change on ferry\'s objects without it being drift, e.g. "Deployment:spec.template.metadata.annotations" or "*:metadata.labels.team". Deploys take back every other field a hand edit added; status and diff show them. Default none.',
          ),
      })
      .strict()
      .optional(),
    notify: z
      .array(notifySchema)
      .optional()
      .describe('Where deploy events go: Slack, a webhook, the console.'),
    cutover: z
      .record(dnsLabel, cutoverSchema)
      .optional()
      .describe('Per environment: the cut-over from the old platform (ferry cutover; docs/cutover.md).'),
  })
  .strict();

export type ServiceManifest = z.infer<typeof serviceManifestSchema>;
export type EnvironmentOverlay = z.infer<typeof environmentOverlaySchema>;
export type PlatformManifest = z.infer<typeof platformSchema>;
export type PlatformEnvironmentManifest = z.infer<typeof platformEnvironmentSchema>;
