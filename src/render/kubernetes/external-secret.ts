// `vault:<path>#<key>` env refs become one ExternalSecret per workload (External Secrets Operator,
// external-secrets.io/v1) that syncs them into the Secret `<service>-vault`, one key per variable.
// The store is a ClusterSecretStore named `vault` (docs/rendering.md).
import type { Workload } from '../../model/types.ts';
import { staticLabels } from './labels.ts';
import type { ExternalSecret } from './object.ts';

export const VAULT_STORE = 'vault';

export function vaultSecretName(service: string): string {
  return `${service}-vault`;
}

export function renderExternalSecret(w: Workload): ExternalSecret | undefined {
  const data: ExternalSecret['spec']['data'] = [];
  for (const e of w.env) {
    if (e.source.kind !== 'vault') continue;
    data.push({ secretKey: e.name, remoteRef: { key: e.source.path, property: e.source.key } });
  }
  if (data.length === 0) return undefined;
  const name = vaultSecretName(w.service);
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: w.environment.namespace,
      labels: staticLabels(w, 'web'),
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: VAULT_STORE },
      target: { name, creationPolicy: 'Owner' },
      data,
    },
  };
}
