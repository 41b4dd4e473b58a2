// Jobs the engine runs around a rollout, each from the NEW image: the migration before it (backoffLimit
// 0: a migration is never retried blindly), its down command on revert, and command checks after.
// Names carry the version, so every release gets its own Job and history stays readable.
import type { Command, Workload } from '../../model/types.ts';
import { type Component, objectLabels } from './labels.ts';
import { objectName, shortHash } from './names.ts';
import type { Job } from './object.ts';
import { podTemplate } from './pod.ts';

/** Finished Jobs stay a day for their logs, then Kubernetes deletes them. */
export const JOB_TTL_SECONDS = 86_400;
export const LABEL_CHECK = 'ferry.dev/check';

/**
 * The version as part of a name. Versions may hold capitals and "_" (image tags do); when the
 * name-safe form differs, a hash of the real version keeps `V1` and `v1` apart.
 */
function versionPart(version: string): string {
  const safe = objectName(version);
  return safe === version ? version : `${safe}-${shortHash(version, 6)}`;
}

export function migrationJobName(service: string, version: string, down = false): string {
  return objectName(`${service}-migrate-${down ? 'down-' : ''}${versionPart(version)}`);
}

export function checkJobName(service: string, check: string, version: string): string {
  return objectName(`${service}-check-${check}-${versionPart(version)}`);
}

function job(
  w: Workload,
  name: string,
  component: Component,
  command: Command,
  deadlineSeconds: number,
  extraLabels: Record<string, string> = {},
): Job {
  const labels = { ...objectLabels(w, component), ...extraLabels };
  const template = podTemplate(w, {
    component,
    command,
    args: undefined,
    resources: w.resources,
    restartPolicy: 'Never',
    serve: false,
  });
  template.metadata!.labels = { ...template.metadata!.labels, ...extraLabels };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: w.environment.namespace, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: deadlineSeconds,
      ttlSecondsAfterFinished: JOB_TTL_SECONDS,
      template,
    },
  };
}

export function renderMigration(w: Workload): { up: Job; down: Job | undefined } | undefined {
  const m = w.migration;
  if (!m) return undefined;
  return {
    up: job(w, migrationJobName(w.service, w.version), 'migration', m.command, m.timeoutSeconds),
    down: m.down
      ? job(w, migrationJobName(w.service, w.version, true), 'migration', m.down, m.timeoutSeconds)
      : undefined,
  };
}

/** Command checks become Jobs; HTTP checks are requests the engine makes itself. */
export function renderChecks(w: Workload): Job[] {
  return w.checks.flatMap((c) =>
    c.kind === 'command'
      ? [
          job(w, checkJobName(w.service, c.name, w.version), 'check', c.command, c.timeoutSeconds, {
            [LABEL_CHECK]: c.name,
          }),
        ]
      : [],
  );
}
