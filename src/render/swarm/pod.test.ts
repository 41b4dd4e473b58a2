// Pod settings on the swarm target: rendered where compose can say them, a warning naming the
// service and the field where it cannot (the field fixtures of the Kubernetes goldens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listWorkloads } from '../../model/resolve.ts';
import { fieldApp } from '../kubernetes/testing.ts';
import { renderSwarmStack, swarmWarnings } from './index.ts';

type Obj = Record<string, unknown>;
const stackOf = (fixture: string, env = 'prod') => {
  const ws = listWorkloads(fieldApp(fixture), env, '1.0.0');
  const stack = renderSwarmStack(ws) as { services: Record<string, Obj & { deploy: Obj }> };
  return { service: Object.values(stack.services)[0]!, warnings: swarmWarnings(ws) };
};

test('swarm: grace period, user, read_only, capabilities, labels, probe headers are rendered', () => {
  assert.equal(stackOf('termination-grace-period').service.stop_grace_period, '120s');
  const sec = stackOf('security-context').service;
  assert.equal(sec.user, '1000:1000');
  assert.equal(sec.read_only, true);
  assert.deepEqual(sec.cap_add, ['NET_BIND_SERVICE']);
  assert.deepEqual(sec.cap_drop, ['ALL']);
  assert.deepEqual(stackOf('pod-metadata').service.labels, { team: 'payments', tier: 'backend' });
  assert.deepEqual((stackOf('workload-metadata').service.deploy.labels as Obj)['team'], 'platform');
  const hc = stackOf('probe-headers').service.healthcheck as { test: string[] };
  assert.match(
    hc.test[1]!,
    /--header 'Host: api\.example\.com' --header 'X-Probe: kubelet' http:\/\/127\.0\.0\.1:8000\/healthz/,
  );
});

test('swarm: daemon → mode: global without replicas; spread → preferences; affinity → constraints', () => {
  const d = stackOf('daemon').service.deploy;
  assert.equal(d.mode, 'global');
  assert.equal(d.replicas, undefined);
  const spread = stackOf('spread').service.deploy.placement as Obj;
  assert.deepEqual(spread.preferences, [{ spread: 'node.labels.topology.kubernetes.io/zone' }]);
  const prod = stackOf('priority-class').service.deploy.placement as Obj;
  assert.deepEqual(prod.constraints, ['node.labels.kubernetes.io/os == linux']);
});

test('swarm: what compose cannot say is a warning naming the service and the field', () => {
  const expect: [string, RegExp][] = [
    [
      'image-pull-secrets',
      /api: pod\.imagePullSecrets \(regcred, regcred-prod\) not rendered.*with-registry-auth/,
    ],
    ['service-account', /api: pod\.serviceAccount api-prod not rendered/],
    ['pre-stop', /web: pod\.preStop not rendered/],
    ['pod-metadata', /api: pod\.annotations \(prometheus\.io\/port, prometheus\.io\/scrape\) not rendered/],
    ['workload-metadata', /app: workload\.annotations \(keel\.sh\/policy, keel\.sh\/trigger\) not rendered/],
    ['security-context', /api: pod\.securityContext\.runAsNonRoot not rendered/],
    ['security-context', /api: pod\.securityContext\.allowPrivilegeEscalation not rendered/],
    ['sidecars', /api: sidecar forwarder not rendered/],
    ['init-containers', /api: init container collectstatic not rendered/],
    ['node-affinity', /placement\.nodeAffinity\.required kubernetes\.io\/arch In amd64,arm64 not rendered/],
    ['node-affinity', /placement\.nodeAffinity\.preferred not rendered/],
    ['spread', /placement\.spread topology\.kubernetes\.io\/zone is a preference on Swarm/],
    ['priority-class', /placement\.priorityClass prod-high not rendered/],
  ];
  for (const [fixture, re] of expect) {
    const { warnings } = stackOf(fixture);
    assert.ok(
      warnings.some((w) => re.test(w)),
      `${fixture}: ${re} not in\n${warnings.join('\n')}`,
    );
  }
  assert.deepEqual(
    stackOf('termination-grace-period').warnings.filter((w) => /pod\./.test(w)),
    [],
  );
});
