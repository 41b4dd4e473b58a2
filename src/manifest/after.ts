// `after:` — the services a service deploys after (a schema owner migrates before its consumers).
// Checked when the project loads: every name must be a service of the platform (did-you-mean
// otherwise), and the order must have no cycle. The engine's batch scheduler reuses findCycle.
import type { Issue } from '../errors.ts';
import { formatPath, type Locate } from './locate.ts';
import { didYouMean } from './suggest.ts';

/**
 * A cycle in a graph of "node → nodes it waits for", as the path that closes it
 * (`[a, b, a]`), or undefined. Nodes are visited in insertion order, so the answer is stable.
 */
export function findCycle<K>(graph: ReadonlyMap<K, readonly K[]>): K[] | undefined {
  const state = new Map<K, 'open' | 'done'>();
  const path: K[] = [];
  const visit = (n: K): K[] | undefined => {
    const s = state.get(n);
    if (s === 'done') return undefined;
    if (s === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

interface AfterOf {
  name: string;
  manifest: { after?: readonly string[] | undefined };
  locate: Locate;
}

/** Unknown names (located, with did-you-mean) and cycles in the services' `after:` lists. */
export function checkAfter(services: readonly AfterOf[]): Issue[] {
  const names = services.map((s) => s.name);
  const known = new Set(names);
  const issues: Issue[] = [];
  const at = (s: AfterOf, i: number | undefined, message: string, hint: string): Issue => {
    const path = i === undefined ? ['after'] : ['after', i];
    const loc = s.locate(path);
    return { path: formatPath(path), message, hint, ...(loc ? { loc } : {}) };
  };
  const graph = new Map<string, string[]>();
  for (const s of services) {
    const after = s.manifest.after ?? [];
    after.forEach((a, i) => {
      if (a === s.name)
        issues.push(at(s, i, `service "${s.name}" cannot deploy after itself`, 'remove it from after'));
      else if (!known.has(a))
        issues.push(
          at(
            s,
            i,
            `after names service "${a}", which the platform does not have`,
            didYouMean(
              a,
              names.filter((n) => n !== s.name),
              'service',
            ),
          ),
        );
    });
    graph.set(
      s.name,
      after.filter((a) => a !== s.name && known.has(a)),
    );
  }
  const cycle = findCycle(graph);
  if (cycle) {
    const first = services.find((s) => s.name === cycle[0]);
    if (first)
      issues.push(
        at(
          first,
          undefined,
          `the after lists form a cycle: ${cycle.join(' → ')}`,
          'remove one of these after entries so that one of them can go first',
        ),
      );
  }
  return issues;
}
