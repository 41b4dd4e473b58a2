// The container environment: feature wiring first, then the manifest's variables (a variable the
// manifest sets wins over the feature's of the same name). Secret and vault refs read Secrets.
import type { V1EnvVar } from '@kubernetes/client-node';
import type { EnvVar, Workload } from '../../model/types.ts';
import { vaultSecretName } from './external-secret.ts';
import { featureEnv } from '../../model/feature-secrets.ts';

function envVar(service: string, e: EnvVar): V1EnvVar {
  switch (e.source.kind) {
    case 'literal':
      return { name: e.name, value: e.source.value };
    case 'secret':
      return { name: e.name, valueFrom: { secretKeyRef: { name: e.source.name, key: e.source.key } } };
    case 'vault':
      return { name: e.name, valueFrom: { secretKeyRef: { name: vaultSecretName(service), key: e.name } } };
  }
}

export function containerEnv(w: Workload): V1EnvVar[] {
  const { bases, vars } = featureEnv(w);
  const own = new Map<string, V1EnvVar>();
  for (const v of vars) own.set(v.name, v);
  for (const e of w.env) own.set(e.name, envVar(w.service, e));
  const rest = [...own.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...bases.filter((b) => !own.has(b.name)), ...rest];
}
