// The pod settings of a service (`pod:`), its workload metadata (`workload:`), daemons and the
// placement fields beyond node selectors: what real services reach for in their first week
// (private registries, service accounts, graceful shutdown, security contexts, sidecars).
// Kept beside schema.ts so each part stays readable; schema.ts composes them.
import { z } from 'zod';

const qualifiedName =
  /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const dnsLabel = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const keyRule = 'a label key: [prefix/]name, name of letters, digits, "-", "_", "." (≤ 63)';
export const labelsSchema = z
  .record(
    z.string().regex(qualifiedName, keyRule),
    z
      .string()
      .regex(labelValue, 'a label value: ≤ 63 letters, digits, "-", "_", ".", alphanumeric at both ends'),
  )
  .describe(
    'Labels. Keys ferry sets itself (app.kubernetes.io/name, …/instance, …/version, …/component, …/managed-by, ferry.dev/*) are refused.',
  );

export const annotationsSchema = z
  .record(z.string().regex(qualifiedName, 'an annotation key: [prefix/]name'), z.string())
  .describe('Annotations (free-form values).');

const capability = z
  .string()
  .regex(/^(CAP_)?[A-Z][A-Z0-9_]*$/, 'a Linux capability such as NET_BIND_SERVICE or ALL');

const containerSecurityShape = {
  runAsUser: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("User ID the processes run as. Default: the image's USER."),
  runAsGroup: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Group ID the processes run as. Default: the image's."),
  runAsNonRoot: z
    .boolean()
    .optional()
    .describe('Refuse to start a container whose user is root (UID 0). Default false.'),
  readOnlyRootFilesystem: z
    .boolean()
    .optional()
    .describe("The container's root filesystem is read-only (compose read_only). Default false."),
  allowPrivilegeEscalation: z
    .boolean()
    .optional()
    .describe('false = no-new-privileges (compose security_opt). Default: the cluster default (allowed).'),
  capabilities: z
    .object({
      add: z.array(capability).optional().describe('Capabilities added (compose cap_add). Default none.'),
      drop: z
        .array(capability)
        .optional()
        .describe('Capabilities dropped, e.g. [ALL] (compose cap_drop). Default none.'),
    })
    .strict()
    .optional()
    .describe('Linux capabilities; CAP_ prefixes are removed.'),
};

export const containerSecuritySchema = z
  .object(containerSecurityShape)
  .strict()
  .describe(
    "securityContext of this container. Default: none (the pod's runAsUser, runAsGroup, runAsNonRoot apply).",
  );

const podSecuritySchema = z
  .object({
    ...containerSecurityShape,
    fsGroup: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Group that owns mounted volumes (pod securityContext). Default: none.'),
  })
  .strict()
  .describe(
    'runAsUser, runAsGroup, runAsNonRoot and fsGroup apply to the whole pod; the rest to the service container. Default: none (the image and the cluster decide).',
  );

/** `pod:`, built on schema.ts's primitives (durations, commands, resources, env) so each means one thing. */
export function podSchemaOf<
  D extends z.ZodType<string>,
  C extends z.ZodType<string | string[]>,
  R extends z.ZodType<object>,
  E extends z.ZodType<Record<string, string | number | boolean>>,
>(base: { duration: D; command: C; resources: R; env: E }) {
  const extraContainerSchema = z
    .object({
      name: z.string().regex(dnsLabel, 'a lowercase DNS label'),
      image: z
        .string()
        .min(1)
        .optional()
        .describe(
          "A full image reference with its tag. Default: the service's image at the release's version (and then the service's variables).",
        ),
      command: base.command.optional().describe("Default: the image's entrypoint."),
      args: z.array(z.string()).optional(),
      env: base.env
        .optional()
        .describe(
          'Variables of this container, added over the service\'s when it runs the service\'s image; ${service}, ${env}… and "secret:<name>#<key>" work as in env. Default: none.',
        ),
      resources: base.resources
        .optional()
        .describe('Limits; requests follow the policy ratios. Default: cpu 100m, memory 128Mi.'),
      securityContext: containerSecuritySchema.optional(),
      jobs: z
        .boolean()
        .optional()
        .describe("Also in the pods of the service's crons, migrations and checks. Default false."),
    })
    .strict();

  return z
    .object({
      serviceAccount: z
        .string()
        .regex(dnsSubdomain, 'a service account name (lowercase DNS name)')
        .optional()
        .describe("serviceAccountName of every pod. Default: the namespace's default account."),
      imagePullSecrets: z
        .array(z.string().regex(dnsSubdomain, 'a Secret name (lowercase DNS name)'))
        .optional()
        .describe(
          'Secrets (kubernetes.io/dockerconfigjson) for pulling from private registries. Default: none.',
        ),
      terminationGracePeriod: base.duration
        .optional()
        .describe(
          "Time between SIGTERM and SIGKILL (compose stop_grace_period; Celery's warm shutdown needs minutes). Default 30s.",
        ),
      preStop: base.command
        .optional()
        .describe(
          'Runs in the service container before it gets SIGTERM, e.g. "sleep 5" to drain a load balancer. Default: none.',
        ),
      labels: labelsSchema
        .optional()
        .describe('Labels on every pod of the service (not on selectors). Default: none.'),
      annotations: annotationsSchema
        .optional()
        .describe('Annotations on every pod of the service. Default: none.'),
      securityContext: podSecuritySchema.optional(),
      initContainers: z
        .array(extraContainerSchema)
        .optional()
        .describe(
          'Run to completion, in order, before the service container starts (after the sidecars have started). Default: none.',
        ),
      sidecars: z
        .array(extraContainerSchema)
        .optional()
        .describe(
          "Run beside the service container for the pod's life (native sidecars: started first, stopped last; Kubernetes ≥ 1.29). Default: none.",
        ),
    })
    .strict()
    .describe('Settings of every pod the service runs.');
}

export const workloadMetaSchema = z
  .object({
    labels: labelsSchema
      .optional()
      .describe('Labels on the Deployment (or DaemonSet) and CronJobs. Default: none.'),
    annotations: annotationsSchema
      .optional()
      .describe(
        'Annotations on the Deployment (or DaemonSet) and CronJobs, e.g. keel.sh/policy. Default: none.',
      ),
  })
  .strict()
  .describe('Metadata of the workload objects themselves (not their pods).');

const nodeRequirement = {
  key: z.string().regex(qualifiedName, 'a node label key'),
  operator: z
    .enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'])
    .optional()
    .describe('Default: In with values, Exists without.'),
  values: z.array(z.string()).optional(),
};

export const placementExtras = {
  nodeAffinity: z
    .object({
      required: z
        .array(z.object(nodeRequirement).strict())
        .optional()
        .describe('Node label expressions every node must match (all of them). Default: none.'),
      preferred: z
        .array(
          z
            .object({
              ...nodeRequirement,
              weight: z.number().int().min(1).max(100).optional().describe('Default 1.'),
            })
            .strict(),
        )
        .optional()
        .describe('Node label expressions the scheduler prefers, by weight. Default: none.'),
    })
    .strict()
    .optional()
    .describe("Node affinity; merged over the environment's (required lists add up)."),
  spread: z
    .array(
      z.union([
        z.string().regex(qualifiedName, 'a node label key such as topology.kubernetes.io/zone'),
        z
          .object({
            topologyKey: z.string().regex(qualifiedName, 'a node label key'),
            maxSkew: z.number().int().min(1).optional().describe('Default 1.'),
            whenUnsatisfiable: z
              .enum(['ScheduleAnyway', 'DoNotSchedule'])
              .optional()
              .describe('Default ScheduleAnyway.'),
          })
          .strict(),
      ]),
    )
    .optional()
    .describe(
      "Spread the service's pods over these node labels (topology spread constraints): kubernetes.io/hostname, topology.kubernetes.io/zone. Default: none.",
    ),
  priorityClass: z
    .string()
    .regex(dnsSubdomain, 'a PriorityClass name')
    .optional()
    .describe("priorityClassName of the pods. Default: the environment's, else none."),
};

export const patchesSchema = z
  .array(
    z
      .object({
        target: z
          .object({
            kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'a Kubernetes kind such as Deployment or Ingress'),
            name: z.string().optional().describe('Default: every object of that kind the service renders.'),
          })
          .strict()
          .describe('The rendered object(s) to patch; a target that matches nothing is an error.'),
        patch: z
          .record(z.string(), z.unknown())
          .optional()
          .describe(
            'A strategic merge patch (kubectl patch --type strategic): maps merge, lists merge by their Kubernetes merge key.',
          ),
        jsonPatch: z
          .array(
            z
              .object({
                op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
                path: z.string().describe('A JSON Pointer such as /spec/template/spec/hostNetwork.'),
                value: z.unknown().optional(),
                from: z.string().optional(),
              })
              .strict(),
          )
          .optional()
          .describe('An RFC 6902 JSON Patch; every operation must apply.'),
      })
      .strict(),
  )
  .describe(
    "Changes to the rendered Kubernetes objects, applied last (render, diff and deploy show them). An environment's patches are applied after the service's. Give patch or jsonPatch. Default: none.",
  );
