// The registry of render targets by name (the contract is target.ts). Each is loaded on first use (dynamic import), so the CLI starts without
// loading renderers it does not run. Adding a target is one line here.
import type { RenderTarget } from './target.ts';

export type { RenderOptions, RenderTarget } from './target.ts';

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
