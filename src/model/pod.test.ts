// Pod settings in the model: defaults, overlays merging key by key, and what is refused where it
// was written (ferry's own label keys, a daemon with instances or a ReadWriteOnce volume, node
// expressions with the wrong number of values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../errors.ts';
import { appFromTexts } from '../manifest/memory.ts';
import { resolveWorkload } from './resolve.ts';

const PLATFORM = {
  file: 'ferry.platform.yaml',
  text: `environments:
  test: {}
  prod:
    placement: { nodeAffinity: { required: [{ key: zone, operator: Gt, values: [a] }] } }
`,
};
const resolve = (text: string, env = 'test') =>
  resolveWorkload(appFromTexts(PLATFORM, [{ file: 'ferry.yaml', text }]), 'api', env, '1.0.0');
const problems = (text: string, env = 'test'): string[] => {
  try {
    resolve(text, env);
  } catch (e) {
    if (e instanceof InvalidInputError)
      return e.issues.map((i) => `${i.loc?.file}:${i.loc?.line} ${i.path}: ${i.message}`);
    throw e;
  }
  return [];
};

test('pod settings: defaults, CAP_ removed and sorted, overlays merge key by key', () => {
  const text = `service: api
image: r/api
pod:
  terminationGracePeriod: 2m
  securityContext: { runAsUser: 1000, capabilities: { drop: [CAP_NET_RAW, ALL] } }
  sidecars: [{ name: proxy, image: p:1 }]
environments:
  test: { pod: { securityContext: { runAsGroup: 3000 } } }
  prod: null
`;
  const w = resolve(text);
  assert.equal(w.pod.terminationGracePeriodSeconds, 120);
  assert.equal(w.pod.security.runAsUser, 1000);
  assert.equal(w.pod.security.runAsGroup, 3000, 'the overlay merges into securityContext');
  assert.deepEqual(w.pod.security.drop, ['ALL', 'NET_RAW']);
  assert.deepEqual(w.pod.sidecars[0]!.resources, { cpuMillis: 100, memoryBytes: 128 * 1024 ** 2 });
  assert.equal(w.pod.sidecars[0]!.ownImage, false);
  assert.equal(w.daemon, false);
  assert.equal(resolve('service: api\nimage: r/api\n').pod.serviceAccount, undefined);
});

test('refused where written: ferry’s own labels, daemon with instances or a RWO volume, bad node expressions', () => {
  assert.deepEqual(
    problems(`service: api
image: r/api
pod: { labels: { ferry.dev/service: x, team: a } }
workload: { labels: { app.kubernetes.io/name: y } }
daemon: true
instances: 2
volumes: [{ name: data, path: /data, size: 1Gi }]
placement: { nodeAffinity: { required: [{ key: disk, operator: In }] } }
stateful: true
`).sort(),
    [
      'ferry.yaml:3 pod.labels["ferry.dev/service"]: label ferry.dev/service is set by ferry itself',
      'ferry.yaml:4 workload.labels["app.kubernetes.io/name"]: label app.kubernetes.io/name is set by ferry itself',
      'ferry.yaml:6 instances: a daemon runs one pod on every node: instances does not apply',
      'ferry.yaml:7 volumes[0].access: volume "data" is ReadWriteOnce, but a daemon\'s pods run on every node',
      'ferry.yaml:8 placement.nodeAffinity.required[0].operator: In needs values',
      'ferry.yaml:9 stateful: a daemon runs one pod on every node: it cannot also be stateful (a StatefulSet)',
    ].sort(),
  );
  // the environment's placement is the platform's: located in ferry.platform.yaml
  assert.deepEqual(problems('service: api\nimage: r/api\n', 'prod'), [
    'ferry.platform.yaml:4 environments.prod.placement.nodeAffinity.required[0].operator: Gt takes one integer value',
  ]);
});
