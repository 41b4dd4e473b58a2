// The cut-over from the old platform (`cutover:` in the platform file, per environment): the old
// backend of each service, the traffic driver, the maintenance page, the runbook's steps and the
// checks after each weight. Kept beside schema.ts; schema.ts composes it. Defaults live in
// model/cutover.ts and docs/cutover.md.
import { z } from 'zod';

// schema.ts imports this file, so its duration and command shapes are restated here (an import
// back would be a cycle), with the same rules.
const durationSchema = z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, 'a duration like 30s, 5m or 1h');
const commandSchema = z
  .union([z.string().min(1), z.array(z.string()).min(1)])
  .describe('A string runs through /bin/sh -c; a list runs as is.');

const hostName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'a DNS name like old-lb.example.com');
const address = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-fA-F:]+:[0-9a-fA-F:]*$/, 'an IPv4 or IPv6 address');
const hostPort = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'host:port, like 203.0.113.10:443');
const port = z.number().int().min(1).max(65535);

export const oldBackendSchema = z
  .object({
    host: hostName
      .optional()
      .describe(
        'The old load balancer by DNS name (rendered as an ExternalName Service). Give host or address.',
      ),
    address: address
      .optional()
      .describe('The old load balancer by IP (a selector-less Service with an EndpointSlice).'),
    port: port.optional().describe('Default 443 with tls, else 80.'),
    tls: z.boolean().optional().describe('Speak HTTPS to the old backend. Default false.'),
    hostHeader: hostName
      .optional()
      .describe('The Host header the old platform expects. Default: the host of the request.'),
    tlsName: hostName
      .optional()
      .describe('The TLS server name (SNI) the old backend presents. Default: hostHeader, else host.'),
  })
  .strict();

const checkSchema = z
  .object({
    name: z.string().min(1).describe('Shown in progress and the record.'),
    http: z.string().url().optional().describe('GET this URL; the check passes on the expected status.'),
    expect: z.number().int().min(100).max(599).optional().describe('Expected HTTP status. Default 200.'),
    command: commandSchema
      .optional()
      .describe('Or run this command on the machine running ferry: exit 0 passes.'),
    timeout: durationSchema.optional().describe('Default 30s.'),
  })
  .strict();

const commandStep = z
  .object({
    name: z.string().min(1).optional(),
    command: commandSchema.optional().describe('Run on the machine running ferry; exit 0 passes.'),
    check: checkSchema
      .omit({ name: true })
      .optional()
      .describe('A check that must pass (retried until timeout).'),
    confirm: z
      .string()
      .min(1)
      .optional()
      .describe('Wait for a person to confirm this (ferry cutover next --yes).'),
    timeout: durationSchema.optional().describe('How long the command or check may take. Default 10m.'),
  })
  .strict();

export const cutoverStepSchema = z.union([
  z.object({ maintenance: z.enum(['on', 'off']) }).strict(),
  z
    .object({ drain: commandStep.describe('Drain the old platform: a command or a check that must pass.') })
    .strict(),
  z
    .object({ run: commandStep.describe("The team's own step (move the database): a command or a confirm.") })
    .strict(),
  z
    .object({
      services: z.literal('on'),
      command: commandSchema.optional().describe('Run after the new services are seen ready.'),
    })
    .strict(),
  z
    .object({
      weights: z
        .array(z.number().int().min(1).max(100))
        .min(1)
        .describe('Percent of requests to the new platform, rising, ending at 100: e.g. [5, 25, 50, 100].'),
      observe: durationSchema.optional().describe('Observation window after each weight. Default 5m.'),
    })
    .strict(),
]);

export const cutoverSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z]([-a-z0-9]{0,40}[a-z0-9])?$/)
      .optional()
      .describe('The record the runbook is kept under in the history. Default "cutover".'),
    driver: z
      .enum(['ingress-nginx', 'traefik', 'gateway-api'])
      .describe(
        'What moves the traffic: ingress-nginx canary weight, a Traefik TraefikService, HTTPRoute weights.',
      ),
    gateway: z
      .object({
        name: z.string().min(1),
        namespace: z.string().min(1).optional(),
        sectionName: z.string().min(1).optional(),
      })
      .strict()
      .optional()
      .describe('gateway-api: the Gateway the HTTPRoutes attach to.'),
    entryPoints: z
      .array(z.string().min(1))
      .optional()
      .describe('traefik: entry points of the IngressRoutes. Default [websecure].'),
    services: z
      .record(z.string(), z.object({ old: oldBackendSchema }).strict())
      .describe('The services to move, each with its backend on the old platform.'),
    maintenance: z
      .object({
        image: z
          .string()
          .min(1)
          .optional()
          .describe("The maintenance page's image. Default: ferry's page (nginx)."),
        page: z
          .object({ host: hostName.optional(), address: address.optional(), port: port.optional() })
          .strict()
          .optional()
          .describe('Or a page already running elsewhere (host or address, port).'),
        retryAfter: durationSchema.optional().describe('The Retry-After the page answers with. Default 10m.'),
      })
      .strict()
      .optional(),
    steps: z.array(cutoverStepSchema).min(1).describe('The runbook, in order.'),
    checks: z
      .array(checkSchema)
      .optional()
      .describe('Run after each weight step: a failure rolls the weight back.'),
    checkVia: hostPort
      .optional()
      .describe('Where checks connect for the moved hosts (the new load balancer), before DNS points there.'),
    forwardedFor: z
      .object({
        url: z
          .string()
          .url()
          .describe('An echo endpoint (or the app) that answers with the request headers.'),
      })
      .strict()
      .optional()
      .describe('Check that the client address (X-Forwarded-For) reaches the app.'),
    dns: z
      .object({
        servers: z.array(z.string().min(1)).optional().describe("Resolvers to ask. Default: the machine's."),
        ttl: z
          .record(z.string(), z.number().int().min(0))
          .optional()
          .describe('TTLs you know, by host (seconds).'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CutoverManifest = z.infer<typeof cutoverSchema>;
export type CutoverStepManifest = z.infer<typeof cutoverStepSchema>;
