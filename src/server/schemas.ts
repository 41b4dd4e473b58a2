// The API's shapes, as zod schemas: request bodies and query strings are checked with them, and
// the OpenAPI document is generated from them. Answers share the CLI's -o json shapes (a release
// is the same ReleaseView everywhere).
import { z } from 'zod';
import { RELEASE_KINDS, RELEASE_OUTCOMES, STEP_NAMES, STEP_OUTCOMES } from '../store/types.ts';
import { REQUEST_KINDS, REQUEST_STATES, ROLES } from '../store/server-types.ts';

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a service or environment name');
const version = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag');
const id = z.coerce.number().int().positive();
const limit = z.coerce.number().int().min(1).max(500).optional();

export const releaseKeySchema = z.object({
  service: z.string(),
  environment: z.string(),
  id: z.number().int(),
});

export const stepSchema = z.object({
  name: z.enum(STEP_NAMES),
  outcome: z.enum(STEP_OUTCOMES),
  message: z.string(),
  startedAt: z.string(),
  ms: z.number().optional(),
});

export const releaseSchema = z.object({
  id: z.number().int(),
  kind: z.enum(RELEASE_KINDS),
  service: z.string(),
  environment: z.string(),
  namespace: z.string(),
  version: z.string(),
  outcome: z.enum(RELEASE_OUTCOMES),
  message: z.string(),
  actor: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  manifestDigest: z.string(),
  sourceRelease: releaseKeySchema.optional(),
  source: z.record(z.string(), z.unknown()),
  steps: z.array(stepSchema),
});

export const requestSchema = z.object({
  id: z.number().int(),
  kind: z.enum(REQUEST_KINDS),
  service: z.string(),
  environment: z.string(),
  state: z.enum(REQUEST_STATES),
  payload: z.record(z.string(), z.unknown()),
  requestedBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  message: z.string(),
  release: releaseKeySchema.optional(),
  attempt: z.number().int(),
  approvalsNeeded: z.number().int(),
  approvedBy: z.array(z.string()),
  cancelRequested: z.boolean(),
  batch: z.number().int().optional().describe('the batch (a multi-target deploy): its first request'),
  waitsFor: z.array(z.number().int()).describe('the requests of its batch that must succeed before it runs'),
  notStarted: z
    .object({ reason: z.enum(['dependency', 'stopped']), blockedBy: z.number().int() })
    .optional()
    .describe('it never ran: the request of its batch that did not succeed, and whether it waited for it'),
});

const deployRef = z
  .string()
  .min(1)
  .max(250)
  .optional()
  .describe('the git ref whose manifests to deploy (a server on a git project)');
const deployConfirm = z.boolean().optional().describe('confirms a deploy to a protected environment');

export const deployBatchBody = z
  .object({
    environment: name,
    targets: z
      .array(z.object({ service: name, version }).strict())
      .min(1)
      .max(500)
      .describe('the services to deploy, run in the order of their after: lists'),
    parallel: z.number().int().min(1).max(100).optional().describe('how many run at once (default 4)'),
    ref: deployRef,
    confirm: deployConfirm,
  })
  .strict();

export const deployBatchSchema = z.object({
  batch: z.number().int(),
  requests: z.array(requestSchema).describe('one per target, in the order given'),
});

export const deployBody = z
  .object({
    service: name,
    environment: name,
    version,
    ref: deployRef,
    confirm: deployConfirm,
  })
  .strict();

export const rollbackBody = z
  .object({
    service: name,
    environment: name,
    to: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('the release id to go back to; default the one before'),
    migrateDown: z.boolean().optional(),
    verify: z.boolean().optional(),
    confirm: z.boolean().optional(),
  })
  .strict();

export const tokenBody = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][-A-Za-z0-9_.@]{0,62}$/, 'a name of letters, digits and - _ . @'),
    role: z.enum(ROLES),
    environments: z.array(name).optional(),
    expiresInSeconds: z.number().int().positive().optional(),
  })
  .strict();

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  environments: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
  lastUsedAt: z.string().optional(),
  lastUsedFrom: z.string().optional(),
});

export const pageQuery = z.object({ before: id.optional(), limit }).strict();

export const releasesQuery = z
  .object({
    service: z.string().optional(),
    environment: z.string().optional(),
    outcome: z.enum(RELEASE_OUTCOMES).optional(),
    kind: z.enum(RELEASE_KINDS).optional(),
    before: id.optional(),
    limit,
  })
  .strict();

export const requestsQuery = z
  .object({
    state: z.enum(REQUEST_STATES).optional(),
    service: z.string().optional(),
    environment: z.string().optional(),
    batch: id.optional().describe('the requests of one batch'),
    before: id.optional(),
    limit,
  })
  .strict();

export const servicesQuery = z
  .object({
    environment: z.string().optional(),
    search: z.string().optional().describe('services whose name contains it'),
    team: z.string().optional().describe("only the services of this team (the manifest's team:)"),
    state: z
      .string()
      .optional()
      .describe('only rows with a cell in this health (healthy, failed, …) or "differs"'),
    cursor: z.string().optional().describe('the last service of the previous page'),
    limit,
  })
  .strict();

export const auditQuery = z
  .object({ actor: z.string().optional(), service: z.string().optional(), before: id.optional(), limit })
  .strict();

export const releaseParams = z.object({ service: z.string(), environment: z.string(), id });
export const idParams = z.object({ id });
export const tokenParams = z.object({ id: z.string() });
export const serviceEnvParams = z.object({ service: z.string(), environment: z.string() });

export const historyQuery = z.object({ limit, before: id.optional() }).strict();

export const cellSchema = z.object({
  version: z.string().optional(),
  health: z.string(),
  ready: z.string(),
  drift: z.array(z.string()),
  /** why the health is what it is (a cluster that cannot be read, a failing pod) */
  message: z.string().optional(),
  release: releaseSchema.omit({ steps: true }).optional(),
});

export const matrixSchema = z.object({
  environments: z.array(z.string()),
  /** every team the project's services name, for the filter */
  teams: z.array(z.string()),
  services: z.array(
    z.object({
      service: z.string(),
      team: z.string().optional(),
      /** the environments it runs in, with what runs there */
      cells: z.record(z.string(), cellSchema),
      /** the versions differ between the environments it runs in */
      differs: z.boolean(),
    }),
  ),
  total: z.number().int(),
  next: z.string().optional(),
  /** when the live status was read */
  liveAt: z.string().optional(),
});
