// The contract every render target implements. The registry of targets by name is
// render/targets.ts; targets import only this module, so no target imports the registry.
import type { Environment, Workload } from '../model/types.ts';

export interface RenderOptions {
  /** also render the Jobs the engine runs around a rollout (migration up, command checks) */
  jobs: boolean;
}

export interface RenderTarget {
  name: string;
  description: string;
  /** The documents for the workloads of one environment, in output order. */
  render(env: Environment, workloads: readonly Workload[], opts: RenderOptions): unknown[];
  /** The same documents as one JSON value (`-o json`). */
  toJson(documents: readonly unknown[]): unknown;
  /**
   * What the documents cannot express (access control a platform has no field for), one line
   * each, naming the service and route. The CLI prints them on stderr and, with -o json, adds them
   * as a "warnings" array. Nothing may be left out silently.
   */
  warnings?(env: Environment, workloads: readonly Workload[]): string[];
}
