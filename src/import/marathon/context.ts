// What every Marathon field mapper receives: the app, where it sits in the file, its ferry name
// and the report. A mapper reads its fields of `app`, writes the manifest and reports each one.
import type { ServiceManifest } from '../../manifest/schema.ts';
import type { Reporter } from '../report.ts';
import { isRecord, type KeyPath } from '../source.ts';

export type Manifest = ServiceManifest;
export type Health = Exclude<NonNullable<Manifest['health']>, string>;
export type Route = NonNullable<Manifest['routes']>[number];

export interface AppInput {
  app: Record<string, unknown>;
  /** where the app sits in the file, e.g. ['groups', 0, 'apps', 1] */
  at: KeyPath;
  name: string;
  report: Reporter;
}

export interface AppContext {
  app: Record<string, unknown>;
  name: string;
  report: Reporter;
  /** <the app's path>.<p…> */
  at: (...p: (string | number)[]) => KeyPath;
  /** app.container, when it is a mapping */
  container: Record<string, unknown> | undefined;
  /** app.container.docker, when it is a mapping */
  docker: Record<string, unknown> | undefined;
}

/** One concern of a Marathon app (ports, health, volumes …) → the manifest, reported. */
export type AppMapper = (ctx: AppContext, m: Manifest) => void;

export function appContext(input: AppInput): AppContext {
  const container = isRecord(input.app.container) ? input.app.container : undefined;
  return {
    app: input.app,
    name: input.name,
    report: input.report,
    at: (...p) => [...input.at, ...p],
    container,
    docker: container && isRecord(container.docker) ? container.docker : undefined,
  };
}
