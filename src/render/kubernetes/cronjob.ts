// One CronJob (batch/v1) per cron. concurrencyPolicy comes from the model (Forbid by default:
// Chronos' `concurrent: false` became Kubernetes' default Allow for ANNA). A run is retried twice
// (the cron's retries, by default Chronos' `retries: 2`); history limits keep the namespace tidy.
import type { Cron, Workload } from '../../model/types.ts';
import { ANNOTATION_SCHEDULE_SOURCE, objectLabels, workloadMetadata } from './labels.ts';
import { labelName, labelValue } from './names.ts';
import type { CronJob } from './object.ts';
import { podTemplate } from './pod.ts';

export const LABEL_CRON = 'ferry.dev/cron';
export const SUCCESSFUL_JOBS_HISTORY = 3;
export const FAILED_JOBS_HISTORY = 3;

/** CronJob names are limited to 52 characters (the controller appends an 11-character suffix). */
export function cronJobName(service: string, cron: string): string {
  return labelName(`${service}-${cron}`, 52);
}

export function renderCronJob(w: Workload, c: Cron): CronJob {
  const labels = { ...objectLabels(w, 'cron'), [LABEL_CRON]: labelValue(c.name) };
  const template = podTemplate(w, {
    component: 'cron',
    command: c.command,
    args: undefined,
    resources: c.resources,
    restartPolicy: 'Never',
    serve: false,
  });
  template.metadata!.labels = { ...template.metadata!.labels, [LABEL_CRON]: labelValue(c.name) };
  const cj: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: cronJobName(w.service, c.name),
      namespace: w.environment.namespace,
      ...workloadMetadata(w, 'cron'),
    },
    spec: {
      schedule: c.schedule.cron,
      concurrencyPolicy: c.concurrency,
      startingDeadlineSeconds: c.startingDeadlineSeconds,
      successfulJobsHistoryLimit: SUCCESSFUL_JOBS_HISTORY,
      failedJobsHistoryLimit: FAILED_JOBS_HISTORY,
      jobTemplate: {
        metadata: { labels },
        spec: { activeDeadlineSeconds: c.activeDeadlineSeconds, backoffLimit: c.retries, template },
      },
    },
  };
  if (c.schedule.timezone !== undefined) cj.spec!.timeZone = c.schedule.timezone;
  cj.metadata.labels[LABEL_CRON] = labelValue(c.name);
  if (c.schedule.format === 'iso8601')
    cj.metadata.annotations = { ...cj.metadata.annotations, [ANNOTATION_SCHEDULE_SOURCE]: c.schedule.source };
  return cj;
}
