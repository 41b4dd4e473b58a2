// `patches:` — the escape hatch, typed and checked. The service's patches apply first, then the
// environment's (they add up, unlike other lists, which an overlay replaces); each keeps where it
// was written, so the renderer can refuse one that targets nothing at its own file:line:col.
import type { LoadedService } from '../manifest/load.ts';
import { formatPath, type KeyPath } from '../manifest/locate.ts';
import type { Collector } from './collector.ts';
import type { Patch, SourceRef } from './types.ts';

type PatchInput = NonNullable<LoadedService['manifest']['patches']>[number];

function ref(s: LoadedService, path: KeyPath): SourceRef {
  return { path: formatPath(path), loc: s.locate(path) };
}

export function resolvePatches(s: LoadedService, env: string, c: Collector): Patch[] {
  const lists: [KeyPath, readonly PatchInput[]][] = [
    [['patches'], s.manifest.patches ?? []],
    [['environments', env, 'patches'], s.manifest.environments?.[env]?.patches ?? []],
  ];
  return lists.flatMap(([base, list]) =>
    list.flatMap((p, i): Patch[] => {
      const at: KeyPath = [...base, i];
      const given = [p.patch !== undefined, p.jsonPatch !== undefined].filter(Boolean).length;
      if (given !== 1) {
        c.addExact(
          at,
          given === 0 ? 'say what to change: patch or jsonPatch' : 'give patch or jsonPatch, not both',
        );
        return [];
      }
      return [
        {
          kind: p.target.kind,
          name: p.target.name,
          type: p.patch !== undefined ? 'strategic' : 'json',
          patch: p.patch ?? p.jsonPatch,
          at: {
            entry: ref(s, at),
            target: ref(s, [...at, 'target']),
            ops: (p.jsonPatch ?? []).map((_, j) => ref(s, [...at, 'jsonPatch', j])),
          },
        },
      ];
    }),
  );
}
