// What every compose field mapper receives: the service being mapped, the whole project (its
// top-level secrets, configs, volumes), the variables and the report. A mapper reads its fields
// of `svc`, writes the manifest and reports each field it read.
import type { ServiceManifest } from '../../manifest/schema.ts';
import type { Reporter } from '../report.ts';
import type { KeyPath } from '../source.ts';
import type { ProjectFile } from './project-files.ts';

export type Manifest = ServiceManifest;
export type Health = Exclude<NonNullable<Manifest['health']>, string>;
export type Route = NonNullable<Manifest['routes']>[number];
export type Cron = NonNullable<Manifest['crons']>[number];

/** A key path under services.<key> */
export type At = (...p: (string | number)[]) => KeyPath;

export interface ServiceInput {
  /** the compose service key */
  key: string;
  /** the ferry service name */
  name: string;
  svc: Record<string, unknown>;
  project: Record<string, unknown>;
  vars: Readonly<Record<string, string>>;
  /** env_file path as written → its parsed variables (read beforehand) */
  envFiles: ReadonlyMap<string, Record<string, string> | Error>;
  /** bind sources and config/secret files as written → what is there (read beforehand) */
  projectFiles: ReadonlyMap<string, ProjectFile>;
  /** JSON of a value's path → the variables interpolated into it */
  substituted: ReadonlyMap<string, readonly string[]>;
  report: Reporter;
}

export interface ServiceContext extends ServiceInput {
  /** services.<key>.<p…> */
  at: At;
  /** labels whose report line depends on the routes having a port, known after every mapper
   *  that adds ports (map/routes.ts reports them) */
  routeLabels: { at: KeyPath; to: string; note: string }[];
}

/** One concern of a compose service (ports, health, volumes …) → the manifest, reported. */
export type FieldMapper = (ctx: ServiceContext, m: Manifest) => void;

export function serviceContext(input: ServiceInput): ServiceContext {
  return { ...input, at: (...p) => ['services', input.key, ...p], routeLabels: [] };
}
