// The manifest one environment sees (the service with that environment's overlay merged), the
// defaults every workload starts from, and small conversions shared by the resolvers.
import type { EnvironmentOverlay, ServiceManifest } from '../manifest/schema.ts';
import { mergeOverlay } from './overlay.ts';
import type { Command } from './types.ts';

export const DEFAULTS = {
  instances: 1,
  cpu: '500m',
  memory: '512Mi',
  health: { initialDelay: '0s', period: '10s', timeout: '2s', failureThreshold: 3, startup: '60s' },
  cron: { deadline: '5m', timeout: '1h', retries: 2 },
  fileMode: '0444',
  migrationTimeout: '10m',
  check: { timeout: '2m', expect: 200 },
  autoscaleCpu: '70%',
} as const;

/** The service body an environment sees: the base manifest with that environment's overlay merged. */
export type EffectiveManifest = Omit<ServiceManifest, 'environments' | '$schema'>;

export function effectiveManifest(service: ServiceManifest, env: string): EffectiveManifest {
  const { environments, $schema: _schema, ...base } = service;
  const overlay: EnvironmentOverlay | null | undefined = environments?.[env];
  return mergeOverlay<EffectiveManifest>(base, overlay);
}

export function toCommand(c: string | readonly string[]): Command {
  return typeof c === 'string' ? { kind: 'shell', script: c } : { kind: 'exec', argv: [...c] };
}

export function percent(text: string): number {
  return Number(text.replace('%', ''));
}
