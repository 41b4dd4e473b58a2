// restart: a Deployment always restarts; a cron run is not restarted.
import type { FieldMapper } from '../context.ts';

export const mapRestart: FieldMapper = (ctx, m) => {
  const { svc, report, name, at } = ctx;
  if (svc.restart === undefined) return;
  const r = String(svc.restart);
  if (m.crons !== undefined) report.mapped(name, at('restart'), 'crons', 'a cron run is not restarted');
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
};
