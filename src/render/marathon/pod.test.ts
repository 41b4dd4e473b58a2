// Pod settings on the marathon target: rendered where an app can say them (kill grace period,
// Docker parameters, labels, constraints), a warning naming the app and the field where it cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listWorkloads } from '../../model/resolve.ts';
import { fieldApp } from '../kubernetes/testing.ts';
import { marathonWarnings, renderMarathonApp } from './index.ts';

type Obj = Record<string, unknown>;
const appOf = (fixture: string, env = 'prod') => {
  const ws = listWorkloads(fieldApp(fixture), env, '1.0.0');
  return { app: renderMarathonApp(ws[0]!) as Obj, warnings: marathonWarnings(ws) };
};

test('marathon: kill grace period, docker parameters, labels, constraints', () => {
  assert.equal(appOf('termination-grace-period').app.taskKillGracePeriodSeconds, 120);
  const docker = (appOf('security-context').app.container as { docker: Obj }).docker;
  assert.deepEqual(docker.parameters, [
    { key: 'user', value: '1000:1000' },
    { key: 'read-only', value: 'true' },
    { key: 'cap-add', value: 'NET_BIND_SERVICE' },
    { key: 'cap-drop', value: 'ALL' },
    { key: 'security-opt', value: 'no-new-privileges' },
  ]);
  assert.deepEqual(appOf('pod-metadata').app.labels, { team: 'payments', tier: 'backend' });
  assert.deepEqual(appOf('node-affinity').app.constraints, [
    ['kubernetes.io/os', 'CLUSTER', 'linux'],
    ['kubernetes.io/arch', 'LIKE', 'amd64|arm64'],
  ]);
  assert.deepEqual(appOf('spread', 'test').app.constraints, [['hostname', 'GROUP_BY']]);
  assert.deepEqual(appOf('daemon', 'test').app.constraints, [['hostname', 'UNIQUE']]);
});

test('marathon: what an app cannot say is a warning naming the app and the field', () => {
  const expect: [string, RegExp][] = [
    ['daemon', /logspout: Marathon has no daemon mode/],
    ['image-pull-secrets', /api: pod\.imagePullSecrets \(regcred, regcred-prod\) not rendered/],
    ['service-account', /api: pod\.serviceAccount api-prod not rendered/],
    ['pre-stop', /web: pod\.preStop not rendered/],
    ['workload-metadata', /app: annotations \(keel\.sh\/policy, keel\.sh\/trigger\) not rendered/],
    ['probe-headers', /api: health\.headers \(Host, X-Probe\) not sent/],
    ['sidecars', /api: sidecar cloud-sql-proxy not rendered/],
    ['node-affinity', /placement\.nodeAffinity\.preferred not rendered/],
    ['priority-class', /placement\.priorityClass prod-high not rendered/],
  ];
  for (const [fixture, re] of expect) {
    const { warnings } = appOf(fixture);
    assert.ok(
      warnings.some((w) => re.test(w)),
      `${fixture}: ${re} not in\n${warnings.join('\n')}`,
    );
  }
});
