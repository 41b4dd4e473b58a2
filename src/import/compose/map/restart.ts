// restart and deploy.restart_policy: a Deployment always restarts; for a cron (swarm-cronjob), the
// restart policy says how often a failed run is retried — `on-failure` with max_attempts n is
// retries n, `none` is no retry (the Job's backoffLimit).
import { isRecord } from '../../source.ts';
import type { FieldMapper } from '../context.ts';

export const mapRestart: FieldMapper = (ctx, m) => {
  const { svc, report, name, at } = ctx;
  const cron = m.crons?.length === 1 ? m.crons[0] : undefined;
  if (svc.restart !== undefined) {
    const r = String(svc.restart);
    if (cron) report.mapped(name, at('restart'), 'crons', 'a cron run is not restarted');
    else if (r === 'no')
      report.approximated(
        name,
        at('restart'),
        'instances',
        'Kubernetes restarts a Deployment’s containers always; a one-shot task belongs in migrations, checks or crons',
      );
    else
      report.approximated(
        name,
        at('restart'),
        '(Deployment)',
        `Kubernetes restarts containers always, with back-off ("${r}")`,
      );
  }
  const policy = isRecord(svc.deploy) ? svc.deploy.restart_policy : undefined;
  if (policy === undefined) return;
  const key = at('deploy', 'restart_policy');
  if (!cron || !isRecord(policy)) {
    report.approximated(
      name,
      key,
      '(Deployment)',
      'Kubernetes restarts containers always, with exponential back-off',
    );
    return;
  }
  const attempts = Number(policy.max_attempts);
  if (policy.condition === 'none') {
    cron.retries = 0;
    report.mapped(name, key, `crons.${cron.name}.retries`, 'condition none: a failed run is not retried');
  } else if (policy.condition === 'on-failure' && Number.isInteger(attempts) && attempts >= 0) {
    cron.retries = Math.min(attempts, 20);
    report.mapped(name, key, `crons.${cron.name}.retries`, `a failed run is retried up to ${attempts} times`);
  } else
    report.approximated(
      name,
      key,
      `crons.${cron.name}.retries`,
      'no retry limit given: a failed run is retried twice (the default)',
    );
};
