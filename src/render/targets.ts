// Render targets by name. Each is loaded on first use (dynamic import), so the CLI starts without
// loading renderers it does not run. Adding a target is one line here.
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

const targets: Readonly<Record<string, () => Promise<RenderTarget>>> = {
  kubernetes: async () => (await import('./kubernetes/target.ts')).kubernetesTarget,
  swarm: async () => (await import('./swarm/index.ts')).swarmTarget,
  marathon: async () => (await import('./marathon/index.ts')).marathonTarget,
  helm: async () => (await import('./helm/index.ts')).helmTarget,
};

export const DEFAULT_TARGET = 'kubernetes';

export function targetNames(): string[] {
  return Object.keys(targets).sort();
}

/** The target, or undefined when no target has that name. */
export async function loadTarget(name: string): Promise<RenderTarget | undefined> {
  const load = Object.hasOwn(targets, name) ? targets[name] : undefined;
  return load ? load() : undefined;
}
