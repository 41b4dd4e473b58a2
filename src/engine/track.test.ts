import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../cluster/types.ts';
import { podsOf, rolloutVerdict } from './track.ts';
import type { Snapshot } from './watch.ts';

const template = { app: 'web', 'ferry.dev/version': '2' };
const target = { name: 'web', generation: 3, desired: 2, templateLabels: template };

function pod(name: string, labels: Record<string, string>, status: object): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, status };
}
const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };

function snapshot(deployment: KObject | undefined, pods: KObject[]): Snapshot {
  return new Map([
    ['Deployment', new Map(deployment ? [[deployment.metadata.name, deployment]] : [])],
    ['Pod', new Map(pods.map((p) => [p.metadata.name, p]))],
  ]);
}

function deployment(generation: number, status: object): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation },
    spec: { replicas: 2 },
    status,
  };
}

test('pods of the exact template only: extra labels (a fault label, another version) do not match', () => {
  const pods = [
    pod('a', { ...template, 'pod-template-hash': 'x' }, ready),
    pod('b', { ...template, 'ferry.dev/fault': 'never-ready' }, ready),
    pod('c', { app: 'web', 'ferry.dev/version': '1' }, ready),
  ];
  assert.deepEqual(
    podsOf(pods, template).map((p) => p.metadata.name),
    ['a'],
  );
});

test('an older generation of the Deployment is still waiting, whatever its counts', () => {
  const v = rolloutVerdict(
    [target],
    snapshot(
      deployment(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      [],
    ),
  );
  assert.equal(v.state, 'waiting');
});

test('a crash-looping pod of the new template fails the rollout at once', () => {
  const crash = pod('web-1', template, {
    phase: 'Running',
    containerStatuses: [{ name: 'web', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
  });
  const v = rolloutVerdict(
    [target],
    snapshot(
      deployment(3, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2 }),
      [crash],
    ),
  );
  assert.equal(v.state, 'failed');
  assert.match(v.message, /Deployment\/web: pod web-1 container web: CrashLoopBackOff/);
});

test('done when observed, updated and available, with the ready count', () => {
  const v = rolloutVerdict(
    [target],
    snapshot(
      deployment(3, {
        observedGeneration: 3,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
      }),
      [pod('a', template, ready), pod('b', template, ready)],
    ),
  );
  assert.deepEqual(v, { state: 'done', message: '2/2 ready' });
});

test('a DaemonSet: desired comes from its live status, its pods carry the controller’s labels', () => {
  const ds = (status: object): KObject => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', generation: 3 },
    spec: { updateStrategy: { type: 'RollingUpdate' } },
    status: { observedGeneration: 3, ...status },
  });
  const daemonPod = (name: string) =>
    pod(name, { ...template, 'controller-revision-hash': 'abc', 'pod-template-generation': '3' }, ready);
  const t = { kind: 'DaemonSet', name: 'agent', generation: 3, desired: 0, templateLabels: template };
  const snap = (d: KObject, pods: KObject[]): Snapshot =>
    new Map([
      ['DaemonSet', new Map([[d.metadata.name, d]])],
      ['Pod', new Map(pods.map((p) => [p.metadata.name, p]))],
    ]);
  const waiting = rolloutVerdict(
    [t],
    snap(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }), [
      daemonPod('a'),
      daemonPod('b'),
    ]),
  );
  assert.deepEqual(waiting, { state: 'waiting', message: '2/3 ready' });
  const done = rolloutVerdict(
    [t],
    snap(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), [
      daemonPod('a'),
      daemonPod('b'),
      daemonPod('c'),
    ]),
  );
  assert.deepEqual(done, { state: 'done', message: '3/3 ready' });
  const crash = pod(
    'd',
    { ...template, 'controller-revision-hash': 'abc' },
    {
      phase: 'Running',
      containerStatuses: [
        { name: 'agent', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    },
  );
  const failed = rolloutVerdict([t], snap(ds({ desiredNumberScheduled: 3 }), [crash]));
  assert.equal(failed.state, 'failed');
  assert.match(failed.message, /^DaemonSet\/agent: .*CrashLoopBackOff/);
});
