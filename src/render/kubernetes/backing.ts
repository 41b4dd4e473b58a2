// Backing services in the cluster, rendered: for each instance (model/backing.ts) a headless
// Service and a one-replica StatefulSet with a volume claim for its data, reading its generated
// credentials from the instance's Secret (which the engine writes once and keeps: it holds a
// password, so it is not rendered). Labelled as ferry's backing services of the environment, so
// removing an environment finds them all; no version label — the image is the feature's, not a
// service's release.
import { BACKING_KINDS, backingHost, type BackingInstance } from '../../model/backing.ts';
import type { Environment } from '../../model/types.ts';
import { LABEL_COMPONENT, LABEL_ENVIRONMENT, LABEL_MANAGED_BY, LABEL_NAME, MANAGED_BY } from './labels.ts';
import { labelValue } from './names.ts';
import type { Service, StatefulSet } from './object.ts';

export const BACKING_COMPONENT = 'backing';
export const LABEL_BACKING = 'ferry.dev/backing';
export const BACKING_VOLUME_SIZE = '1Gi';

/** The labels of every backing object of an environment; with `name`, of one instance. */
export function backingLabels(environment: string, name?: string): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_COMPONENT]: BACKING_COMPONENT,
    [LABEL_ENVIRONMENT]: labelValue(environment),
    ...(name ? { [LABEL_BACKING]: name, [LABEL_NAME]: name } : {}),
  };
}

/** The label selector of an environment's backing objects. */
export function backingSelector(environment: string): string {
  return Object.entries(backingLabels(environment))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function service(env: Environment, i: BackingInstance): Service {
  const k = BACKING_KINDS[i.feature];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: i.name, namespace: env.namespace, labels: backingLabels(env.name, i.name) },
    spec: {
      clusterIP: 'None',
      selector: { [LABEL_BACKING]: i.name, [LABEL_ENVIRONMENT]: labelValue(env.name) },
      ports: [{ name: i.feature, port: k.port, targetPort: k.port }],
    },
  };
}

function statefulSet(env: Environment, i: BackingInstance): StatefulSet {
  const k = BACKING_KINDS[i.feature];
  const labels = backingLabels(env.name, i.name);
  const vars = Object.entries(k.env(i, backingHost(env, i))).map(([name, v]) =>
    typeof v === 'string'
      ? { name, value: v }
      : { name, valueFrom: { secretKeyRef: { name: i.name, key: v.secret } } },
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: i.name, namespace: env.namespace, labels },
    spec: {
      serviceName: i.name,
      replicas: 1,
      selector: { matchLabels: { [LABEL_BACKING]: i.name, [LABEL_ENVIRONMENT]: labelValue(env.name) } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: i.feature,
              image: k.image,
              ...(k.args ? { args: [...k.args] } : {}),
              env: vars,
              ports: [{ name: i.feature, containerPort: k.port }],
              readinessProbe: { tcpSocket: { port: k.port }, periodSeconds: 5 },
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
              volumeMounts: [{ name: 'data', mountPath: k.dataPath }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: BACKING_VOLUME_SIZE } } },
        },
      ],
    },
  };
}

/** An environment's in-cluster backing services: for each instance, its Service then its StatefulSet. */
export function renderBacking(
  env: Environment,
  instances: readonly BackingInstance[],
): (Service | StatefulSet)[] {
  return instances.flatMap((i) => [service(env, i), statefulSet(env, i)]);
}
