// upgradeStrategy and readinessChecks: what ferry's rollout does instead.
import { isRecord } from '../../source.ts';
import type { AppMapper } from '../context.ts';

export const mapRollout: AppMapper = (ctx) => {
  const { app, report, name, at } = ctx;
  if (isRecord(app.upgradeStrategy))
    for (const k of Object.keys(app.upgradeStrategy))
      report.approximated(
        name,
        at('upgradeStrategy', k),
        '(rollout)',
        k === 'minimumHealthCapacity'
          ? 'ferry rolls out with maxUnavailable 0 (minimumHealthCapacity 1)'
          : 'ferry rolls out with maxSurge 25%',
      );
  if (app.readinessChecks !== undefined)
    report.approximated(
      name,
      at('readinessChecks'),
      'health',
      'ferry derives readiness from the health check',
    );
};
