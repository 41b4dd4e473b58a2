// The small stand-ins for the CRDs ferry renders objects of (PrometheusRule, ExternalSecret), from
// test/crds/, installed for real on the test cluster and waited for until Established.
import { readFileSync, readdirSync } from 'node:fs';
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { repoRoot, testCluster, waitFor } from './cluster.ts';

const crdDir = `${repoRoot}test/crds/`;

export async function installCrds(): Promise<void> {
  const { objects } = await testCluster();
  for (const file of readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const crd = parse(readFileSync(crdDir + file, 'utf8')) as KubernetesObject;
    await objects.patch(crd, undefined, undefined, 'ferry-test', true, PatchStrategy.ServerSideApply);
    await waitFor(`CRD ${crd.metadata?.name} established`, async () => {
      const got = (await objects.read({
        apiVersion: crd.apiVersion!,
        kind: crd.kind!,
        metadata: { name: crd.metadata!.name! },
      })) as KubernetesObject & { status?: { conditions?: { type: string; status: string }[] } };
      return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
        ? true
        : undefined;
    });
  }
}
