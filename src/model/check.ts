// Whole-app validation beyond the schema: resolves every service in every environment it runs in
// (schedules, quantities, interpolation, ports, routes…) and reports every problem once.
import { InvalidInputError, type Issue } from '../errors.ts';
import type { LoadedApp } from '../manifest/load.ts';
import { sortIssues } from '../manifest/parse.ts';
import { resolveWorkload, serviceEnvironments } from './resolve.ts';
import type { Workload } from './types.ts';

/** The version used when checking: any valid tag works, none is deployed. */
export const CHECK_VERSION = '0.0.0-check';

export interface CheckSummary {
  services: number;
  environments: number;
  workloads: number;
}

export function checkApp(app: LoadedApp): CheckSummary {
  const issues = new Map<string, Issue>();
  let workloads = 0;
  for (const s of app.services) {
    for (const env of serviceEnvironments(app, s)) {
      try {
        resolveWorkload(app, s.name, env, CHECK_VERSION);
        workloads++;
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        for (const i of err.issues) {
          // the same base-manifest problem shows up once per environment: report it once
          const key = `${i.loc?.file ?? s.file}:${i.loc?.line ?? 0}:${i.loc?.col ?? 0}:${i.path}:${i.message}`;
          if (!issues.has(key)) issues.set(key, i.loc ? i : { ...i, loc: { file: s.file, line: 1, col: 1 } });
        }
      }
    }
  }
  if (issues.size > 0) throw new InvalidInputError(sortIssues([...issues.values()]));
  return {
    services: app.services.length,
    environments: Object.keys(app.platform.manifest.environments).length,
    workloads,
  };
}

/**
 * Renders every service in every environment with `render` (the Kubernetes renderer, passed in:
 * the model does not import renderers) and reports what only rendering finds — patches that
 * target nothing or do not apply — all at once, each once.
 */
export function checkRender(app: LoadedApp, render: (w: Workload) => unknown): void {
  const issues = new Map<string, Issue>();
  for (const s of app.services) {
    for (const env of serviceEnvironments(app, s)) {
      try {
        render(resolveWorkload(app, s.name, env, CHECK_VERSION));
      } catch (err) {
        if (!(err instanceof InvalidInputError)) throw err;
        for (const i of err.issues)
          issues.set(`${i.loc?.file ?? ''}:${i.loc?.line ?? 0}:${i.loc?.col ?? 0}:${i.path}:${i.message}`, i);
      }
    }
  }
  if (issues.size > 0) throw new InvalidInputError(sortIssues([...issues.values()]));
}
