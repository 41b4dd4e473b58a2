// What every importer returns: ferry manifests plus the report of every source field.
import type { PlatformManifest, ServiceManifest } from '../manifest/schema.ts';
import type { ReportEntry } from './report.ts';

export const FORMATS = ['compose', 'marathon', 'chronos', 'beanstalk', 'kubernetes'] as const;
/** `swarm` is an alias of `compose` (a stack file is a compose file with `deploy`). */
export type Format = (typeof FORMATS)[number];

export interface ImportedService {
  manifest: ServiceManifest;
  /** the image tag the source ran (ferry takes the tag at deploy time), when it named one */
  version: string | undefined;
  /** the source object the service came from (compose service, Marathon app, Chronos job …) */
  raw?: Record<string, unknown>;
}

export interface ImportResult {
  format: Format;
  files: readonly string[];
  /** sorted by service name */
  services: ImportedService[];
  /** environments the platform file should declare when it is missing */
  platform: PlatformManifest;
  report: ReportEntry[];
}

export interface ImportOptions {
  /** variables for ${VAR} interpolation (compose); default: none */
  vars?: Readonly<Record<string, string>>;
  /** environment name for the platform file written when missing; default "prod" */
  environment?: string;
  /** service name for formats that do not name one (Dockerrun v1); default "app" */
  serviceName?: string;
}
