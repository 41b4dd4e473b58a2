import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../cluster/types.ts';
import {
  daemonSetHealth,
  deadlineExceededAt,
  deploymentHealth,
  jobHealth,
  objectHealth,
  podHealth,
  podRestarts,
  isWorse,
} from './index.ts';

// Shaped like what the API server returns (trimmed to the fields the checkers read and a few around them).
function deployment(over: { generation?: number; spec?: object; status?: object }): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hcn', namespace: 'test', generation: over.generation ?? 2, uid: 'u1' },
    spec: { replicas: 4, progressDeadlineSeconds: 600, ...over.spec },
    status: over.status ?? {},
  };
}

const progressingCond = {
  type: 'Progressing',
  status: 'True',
  reason: 'NewReplicaSetAvailable',
  message: 'ReplicaSet "hcn-7d9f" has successfully progressed.',
};

test('deployment: generation not yet observed is progressing even if counts look done', () => {
  const h = deploymentHealth(
    deployment({
      generation: 3,
      status: {
        observedGeneration: 2,
        replicas: 4,
        updatedReplicas: 4,
        readyReplicas: 4,
        availableReplicas: 4,
      },
    }),
  );
  assert.equal(h.status, 'progressing');
  assert.match(h.message, /observed/);
});

test('deployment: kubectl rollout rules in order', () => {
  const base = { observedGeneration: 2, conditions: [progressingCond] };
  assert.equal(
    deploymentHealth(
      deployment({ status: { ...base, replicas: 4, updatedReplicas: 2, availableReplicas: 4 } }),
    ).message,
    '2/4 updated',
  );
  assert.match(
    deploymentHealth(
      deployment({ status: { ...base, replicas: 6, updatedReplicas: 4, availableReplicas: 4 } }),
    ).message,
    /2 old replicas pending termination/,
  );
  const waiting = deploymentHealth(
    deployment({
      status: { ...base, replicas: 4, updatedReplicas: 4, readyReplicas: 2, availableReplicas: 2 },
    }),
  );
  assert.deepEqual(waiting, { status: 'progressing', message: '2/4 ready' });
  assert.deepEqual(
    deploymentHealth(
      deployment({
        status: { ...base, replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 },
      }),
    ),
    { status: 'healthy', message: '4/4 ready' },
  );
});

test('deployment: ProgressDeadlineExceeded fails, paused is suspended', () => {
  const h = deploymentHealth(
    deployment({
      status: {
        observedGeneration: 2,
        replicas: 5,
        updatedReplicas: 2,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "hcn-5c" has timed out progressing.',
          },
        ],
      },
    }),
  );
  assert.equal(h.status, 'failed');
  assert.match(h.message, /progress deadline.*timed out/);
  assert.equal(deploymentHealth(deployment({ spec: { paused: true } })).status, 'suspended');
});

function job(status: object, spec: object = {}): KObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'hcn-migrate', namespace: 'test', uid: 'j1' },
    spec: { backoffLimit: 0, completions: 1, ...spec },
    status,
  };
}

test('job: complete, failed condition, and failures beyond the backoff limit', () => {
  assert.equal(
    jobHealth(job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] })).status,
    'healthy',
  );
  const f = jobHealth(
    job({
      failed: 1,
      conditions: [
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ],
    }),
  );
  assert.equal(f.status, 'failed');
  assert.match(f.message, /BackoffLimitExceeded/);
  assert.equal(jobHealth(job({ failed: 1 })).status, 'failed', 'backoffLimit 0: one failed pod is certain');
  assert.equal(jobHealth(job({ failed: 1, active: 1 }, { backoffLimit: 2 })).status, 'progressing');
});

function pod(status: object, name = 'hcn-7d9f-abcde'): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'test', uid: 'p1' },
    spec: {},
    status,
  };
}

test('pod: CrashLoopBackOff and image pull errors fail at once with the reason', () => {
  const crash = podHealth(
    pod({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'hcn',
          ready: false,
          restartCount: 3,
          state: {
            waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
          },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    }),
  );
  assert.equal(crash.status, 'failed');
  assert.match(crash.message, /CrashLoopBackOff.*last exit 1 Error, restarts 3/);
  const pull = podHealth(
    pod({
      phase: 'Pending',
      containerStatuses: [
        { name: 'hcn', restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
      ],
    }),
  );
  assert.equal(pull.status, 'failed');
  assert.match(pull.message, /ImagePullBackOff/);
});

test('pod: unschedulable and Failed phase fail; ready is healthy; pending is progressing', () => {
  assert.equal(
    podHealth(
      pod({
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available',
          },
        ],
      }),
    ).status,
    'failed',
  );
  const f = podHealth(
    pod({
      phase: 'Failed',
      containerStatuses: [{ name: 'm', state: { terminated: { reason: 'Error', exitCode: 2 } } }],
    }),
  );
  assert.equal(f.status, 'failed');
  assert.match(f.message, /Error \(exit 2\)/);
  assert.equal(
    podHealth(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] })).status,
    'healthy',
  );
  assert.equal(podHealth(pod({ phase: 'Pending' })).status, 'progressing');
  assert.equal(
    podRestarts(
      pod({
        containerStatuses: [
          { name: 'a', restartCount: 2 },
          { name: 'b', restartCount: 1 },
        ],
      }),
    ),
    3,
  );
});

test('kinds without a checker are healthy once they exist; severity order', () => {
  assert.equal(
    objectHealth({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }).status,
    'healthy',
  );
  assert.equal(isWorse('failed', 'progressing'), true);
  assert.equal(isWorse('healthy', 'suspended'), false);
});

function daemonSet(over: { generation?: number; spec?: object; status?: object }): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'test', generation: over.generation ?? 2, uid: 'd1' },
    spec: { updateStrategy: { type: 'RollingUpdate' }, ...over.spec },
    status: over.status ?? {},
  };
}

test('daemonset: kubectl rollout rules — observed generation, updated, available; OnDelete has no rollout', () => {
  const h = (status: object, generation = 2) => daemonSetHealth(daemonSet({ generation, status }));
  assert.match(
    h({ observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 })
      .message,
    /observed/,
  );
  assert.deepEqual(
    h({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 }),
    {
      status: 'progressing',
      message: '1/3 updated',
    },
  );
  assert.deepEqual(
    h({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }),
    {
      status: 'progressing',
      message: '2/3 available',
    },
  );
  assert.deepEqual(
    h({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }),
    {
      status: 'healthy',
      message: '3/3 available',
    },
  );
  assert.equal(
    objectHealth(
      daemonSet({ spec: { updateStrategy: { type: 'OnDelete' } }, status: { observedGeneration: 2 } }),
    ).status,
    'healthy',
  );
});

test('deployment: a deadline condition from before the rollout tracked is not its failure', () => {
  const timedOut = (at: string, counts: object) =>
    deployment({
      status: {
        observedGeneration: 2,
        ...counts,
        conditions: [
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', lastUpdateTime: at },
        ],
      },
    });
  const before = '2026-12-01T10:00:00Z';
  // the revert's rollout is under way and the old timeout is still on the object: waiting, not failed
  const h = deploymentHealth(
    timedOut(before, { replicas: 5, updatedReplicas: 2, availableReplicas: 2 }),
    before,
  );
  assert.equal(h.status, 'progressing');
  // done: healthy, the stale condition notwithstanding
  assert.equal(
    deploymentHealth(
      timedOut(before, { replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 }),
      before,
    ).status,
    'healthy',
  );
  // a new timeout (another update time) is this rollout's own
  assert.equal(
    deploymentHealth(timedOut('2026-12-01T10:05:00Z', { replicas: 5, updatedReplicas: 2 }), before).status,
    'failed',
  );
  assert.equal(deadlineExceededAt(timedOut(before, {})), before);
});
