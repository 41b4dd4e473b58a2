// One Marathon app → one ferry ServiceManifest: the field mappers in MAPPERS, in order, each
// reading its own fields (map/*.ts, labels/*.ts) and reporting every field it read. What no
// mapper claims is reported by Reporter.complete() at the file level.
import type { ImportedService } from '../types.ts';
import { appContext, type AppInput, type AppMapper, type Manifest } from './context.ts';
import { mapLabels } from './labels/index.ts';
import { mapCommand } from './map/command.ts';
import { mapConstraints, mapKillGrace } from './map/constraints.ts';
import { appVersion, mapContainer } from './map/container.ts';
import { mapDropped } from './map/dropped.ts';
import { mapEnv } from './map/env.ts';
import { mapHealth } from './map/health.ts';
import { mapPorts } from './map/ports.ts';
import { mapInstances, mapResources } from './map/resources.ts';
import { mapRollout } from './map/rollout.ts';
import { mapVolumes } from './map/volumes.ts';

export type { AppInput as AppContext } from './context.ts';

/** Health reads the ports (portIndex); labels read them too (HAPROXY_n_* for port n). */
export const MAPPERS: readonly AppMapper[] = [
  mapContainer,
  mapVolumes,
  mapCommand,
  mapResources,
  mapInstances,
  mapEnv,
  mapPorts,
  mapHealth,
  mapLabels,
  mapConstraints,
  mapKillGrace,
  mapRollout,
  mapDropped,
];

export function mapApp(input: AppInput): ImportedService {
  const ctx = appContext(input);
  const m: Manifest = { service: ctx.name, image: ctx.name };
  ctx.report.approximated(
    ctx.name,
    ctx.at('id'),
    'service',
    `"${String(ctx.app.id)}" → "${ctx.name}" (a DNS label; groups become part of the name)`,
  );
  for (const map of MAPPERS) map(ctx, m);
  return { manifest: m, version: appVersion(ctx.docker), raw: ctx.app };
}
