// What runs besides the service: crons, the migration Job and post-rollout checks.
import type { Collector } from './collector.ts';
import { resolveResources } from './containers.ts';
import { DEFAULTS, toCommand, type EffectiveManifest } from './effective.ts';
import { parseDurationSeconds } from './duration.ts';
import { toConcurrency } from './platform.ts';
import { parseSchedule } from './schedule.ts';
import type { Check, Cron, Migration, Resources, Route, Workload } from './types.ts';

export function resolveCrons(
  m: EffectiveManifest,
  base: Resources,
  defaultConcurrency: Workload['policy'],
  c: Collector,
): Cron[] {
  const seen = new Set<string>();
  return (m.crons ?? []).map((cr, i) => {
    if (seen.has(cr.name))
      c.add(['crons', i, 'name'], `cron name "${cr.name}" is used twice`, 'name each cron');
    seen.add(cr.name);
    const schedule = c.try(['crons', i, 'schedule'], () => parseSchedule(cr.schedule, cr.timezone), {
      cron: '0 0 * * *',
      source: cr.schedule,
      format: 'cron' as const,
      timezone: cr.timezone,
    });
    return {
      name: cr.name,
      schedule,
      command: toCommand(cr.command),
      concurrency: cr.concurrency ? toConcurrency(cr.concurrency) : defaultConcurrency.cronConcurrency,
      startingDeadlineSeconds: c.try(
        ['crons', i, 'deadline'],
        () => parseDurationSeconds(cr.deadline ?? DEFAULTS.cron.deadline),
        300,
      ),
      activeDeadlineSeconds: c.try(
        ['crons', i, 'timeout'],
        () => parseDurationSeconds(cr.timeout ?? DEFAULTS.cron.timeout),
        3600,
      ),
      resources: resolveResources(cr.resources, base, c, ['crons', i, 'resources']),
      retries: cr.retries ?? DEFAULTS.cron.retries,
    };
  });
}

/**
 * A service that only runs crons (instances 0, no autoscaling): it has no long-running pods, so
 * the renderers give it no Deployment, Service or disruption budget — only its crons.
 */
export function isCronOnly(w: Pick<Workload, 'instances' | 'crons' | 'autoscale'>): boolean {
  return w.instances === 0 && w.crons.length > 0 && w.autoscale === undefined;
}

export function resolveMigration(m: EffectiveManifest, c: Collector): Migration | undefined {
  const mg = m.migrations;
  if (!mg) return undefined;
  return {
    command: toCommand(mg.command),
    down: mg.down === undefined ? undefined : toCommand(mg.down),
    timeoutSeconds: c.try(
      ['migrations', 'timeout'],
      () => parseDurationSeconds(mg.timeout ?? DEFAULTS.migrationTimeout),
      600,
    ),
  };
}

export function resolveChecks(
  m: EffectiveManifest,
  routes: readonly Route[],
  tls: boolean,
  c: Collector,
): Check[] {
  return (m.checks ?? []).map((ch, i): Check => {
    const timeoutSeconds = c.try(
      ['checks', i, 'timeout'],
      () => parseDurationSeconds(ch.timeout ?? DEFAULTS.check.timeout),
      120,
    );
    if ((ch.command === undefined) === (ch.http === undefined)) {
      c.add(
        ['checks', i],
        ch.command === undefined ? 'a check needs command or http' : 'give command or http, not both',
      );
    }
    if (ch.command !== undefined)
      return { name: ch.name, kind: 'command', command: toCommand(ch.command), timeoutSeconds };
    let url = ch.http ?? '/';
    if (url.startsWith('/')) {
      const route = routes[0];
      if (!route)
        c.relation(['checks', i, 'http'], 'a path needs a route to reach', 'give a full URL, or add a route');
      else url = `${tls ? 'https' : 'http'}://${route.host}${route.path.replace(/\/$/, '')}${url}`;
    }
    return { name: ch.name, kind: 'http', url, expect: ch.expect ?? DEFAULTS.check.expect, timeoutSeconds };
  });
}
