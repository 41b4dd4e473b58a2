// One compose service → one ferry ServiceManifest: the field mappers in MAPPERS, in order, each
// reading its own fields (map/*.ts, labels/*.ts) and reporting every field it read. What no
// mapper claims is reported by Reporter.complete() at the project level.
import type { ImportedService } from '../types.ts';
import { serviceContext, type FieldMapper, type Manifest, type ServiceInput } from './context.ts';
import { mapLabels } from './labels/index.ts';
import { mapCommand } from './map/command.ts';
import { mapConfigs } from './map/configs.ts';
import { mapDeploy } from './map/deploy.ts';
import { mapDropped } from './map/dropped.ts';
import { mapEnvironment } from './map/environment.ts';
import { mapHealth } from './map/health.ts';
import { imageVersion, mapImage } from './map/image.ts';
import { mapPlacement } from './map/placement.ts';
import { mapPod } from './map/pod.ts';
import { mapPorts } from './map/ports.ts';
import { mapResources } from './map/resources.ts';
import { mapRestart } from './map/restart.ts';
import { mapRoutes } from './map/routes.ts';
import { mapSecrets } from './map/secrets.ts';
import { mapVolumes } from './map/volumes.ts';

export type { ServiceInput } from './context.ts';

/**
 * The order matters where one concern reads what another wrote: labels may turn the service into
 * a cron (which takes the command and resources) and give probes that take precedence over the
 * healthcheck; routes wait for every port (labels, probes); restart reads whether the service became
 * a cron; dropped skips what others reported.
 */
export const MAPPERS: readonly FieldMapper[] = [
  mapImage,
  mapCommand,
  mapEnvironment,
  mapPorts,
  mapDeploy,
  mapResources,
  mapPlacement,
  mapPod,
  mapSecrets,
  mapVolumes,
  mapLabels,
  mapHealth,
  mapRoutes,
  mapRestart,
  mapConfigs,
  mapDropped,
];

export function mapService(input: ServiceInput): ImportedService {
  const ctx = serviceContext(input);
  const m: Manifest = { service: ctx.name, image: ctx.name };
  if (ctx.name !== ctx.key)
    ctx.report.approximated(
      ctx.name,
      ctx.at(),
      'service',
      `renamed "${ctx.key}" → "${ctx.name}" (a DNS label)`,
    );
  for (const map of MAPPERS) map(ctx, m);
  return { manifest: m, version: imageVersion(ctx.svc), raw: ctx.svc };
}
