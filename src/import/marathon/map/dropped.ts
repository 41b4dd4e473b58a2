// Fields ferry deliberately does not carry over, each with its reason, and the runtime state the
// Marathon API reports. A field some mapper has reported is skipped, so a new mapper for one of
// these (constraints, user …) needs no edit here.
import type { AppMapper } from '../context.ts';

export const DROP_REASONS: Readonly<Record<string, string>> = {
  dependencies: 'start order between apps is not modelled: make the service retry its dependencies',
  acceptedResourceRoles: 'Mesos resource roles have no Kubernetes equivalent (use placement.nodeSelector)',
  uris: 'files fetched at start: bake them into the image',
  fetch: 'files fetched at start: bake them into the image',
  storeUrls: 'files fetched at start: bake them into the image',
  user: 'ferry runs the image’s user (set USER in the Dockerfile)',
  disk: 'ephemeral disk is not modelled',
  gpus: 'GPUs are not modelled',
  executor: 'Mesos executors have no Kubernetes equivalent',
  requirePorts: 'pods have their own IP: no host ports to reserve',
  residency: 'Mesos resident tasks: use volumes',
  killSelection: 'Kubernetes picks which pods to remove when scaling down',
  unreachableStrategy: 'the node controller evicts pods from unreachable nodes',
  taskKillGracePeriodSeconds: 'not a number of seconds',
  ipAddress: 'every pod has its own IP address',
  networks: 'every pod has its own IP address; no networks to declare',
  role: 'Mesos roles have no Kubernetes equivalent',
  maxLaunchDelaySeconds: 'Kubernetes restarts crashing containers with its own back-off (up to 5 minutes)',
  backoffSeconds: 'Kubernetes restarts crashing containers with its own back-off',
  backoffFactor: 'Kubernetes restarts crashing containers with its own back-off',
};

/** Fields the Marathon API reports about running apps: state, not configuration. */
export const RUNTIME: ReadonlySet<string> = new Set([
  'tasks',
  'tasksRunning',
  'tasksStaged',
  'tasksHealthy',
  'tasksUnhealthy',
  'version',
  'versionInfo',
  'deployments',
  'lastTaskFailure',
  'healthCheckResults',
  'readinessCheckResults',
  'taskStats',
]);

export const mapDropped: AppMapper = (ctx) => {
  const { app, report, name, at } = ctx;
  for (const [k, why] of Object.entries(DROP_REASONS))
    if (app[k] !== undefined && !report.reported(at(k))) report.dropped(name, at(k), why);
  for (const k of Object.keys(app))
    if (RUNTIME.has(k))
      report.dropped(name, at(k), 'runtime state reported by the Marathon API, not configuration');
};
