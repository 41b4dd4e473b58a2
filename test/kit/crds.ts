// The small stand-ins for the CRDs ferry renders objects of (PrometheusRule, ExternalSecret), from
// test/crds/, installed for real on the test cluster and waited for until Established.
import { readFileSync, readdirSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubeCluster } from '../../src/cluster/kube.ts';
import type { KObject } from '../../src/cluster/types.ts';
import { parseAllDocuments } from 'yaml';
import { repoRoot, testCluster, testKubeconfigPath, waitFor } from './cluster.ts';

const crdDir = `${repoRoot}test/crds/`;

export async function installCrds(): Promise<void> {
  for (const file of readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort())
    await installCrdFile(crdDir + file);
}

/** Every CustomResourceDefinition of a YAML stream (a CRD bundle), each waited for until Established. */
export async function installCrdFile(path: string): Promise<void> {
  const { objects } = await testCluster();
  const docs = parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((d): d is KubernetesObject => d?.kind === 'CustomResourceDefinition');
  // ferry's own client sends the YAML as it is: @kubernetes/client-node's typed serializer drops
  // keys it has no field for (x-kubernetes-int-or-string), which the API server then refuses
  const cluster = new KubeCluster({ kubeconfig: testKubeconfigPath() });
  for (const crd of docs) {
    await cluster.apply(crd as KObject);
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
