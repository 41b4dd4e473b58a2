// cron → Chronos: "R/<start>/<period>" for a cron that fires at one fixed period.
import { CronExpressionParser } from 'cron-parser';
import { ScheduleError } from './schedule-error.ts';
import type { Schedule } from './types.ts';

function isProgression(values: readonly number[], step: number, size: number): boolean {
  if (values.length * step !== size) return false;
  return values.every((v, i) => i === 0 || v - (values[i - 1] ?? 0) === step);
}

function period(values: readonly number[], size: number): number | undefined {
  if (values.length === 0 || size % values.length !== 0) return undefined;
  const step = size / values.length;
  return isProgression(values, step, size) ? step : undefined;
}

function isoInstant(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A cron that fires at a fixed period → "R/<start>/<period>" (Chronos); otherwise E_SCHEDULE. */
export function scheduleToChronos(s: Schedule, now: Date = new Date()): string {
  const tz = s.timezone ?? 'UTC';
  const expr = CronExpressionParser.parse(s.cron, { tz, currentDate: now, strict: false });
  const f = expr.fields;
  const minutes = [...f.minute.values].map(Number);
  const hours = [...f.hour.values].map(Number);
  const doms = [...f.dayOfMonth.values].filter((v) => typeof v === 'number').map(Number);
  const months = [...f.month.values].map(Number);
  const dows = [...new Set([...f.dayOfWeek.values].map((v) => Number(v) % 7))].sort((a, b) => a - b);
  const allDom = doms.length >= 31;
  const allMonths = months.length === 12;
  const allDow = dows.length === 7;
  const first = isoInstant(expr.next().toDate());
  const irregular = (why: string): ScheduleError =>
    new ScheduleError(
      `cron "${s.cron}" ${why}; Chronos repeats at one fixed period`,
      'split it into several jobs, each with one period, or choose a regular schedule',
    );
  let iso: string | undefined;
  if (allDom && allMonths && allDow) {
    const everyMin = period(minutes, 60);
    if (hours.length === 24 && everyMin !== undefined) iso = everyMin === 60 ? 'PT1H' : `PT${everyMin}M`;
    else if (minutes.length === 1) {
      const everyHour = period(hours, 24);
      if (everyHour !== undefined) iso = everyHour === 24 ? 'P1D' : `PT${everyHour}H`;
    }
    if (!iso) throw irregular('fires at irregular times of day');
  } else if (minutes.length !== 1 || hours.length !== 1) {
    throw irregular('fires several times a day on only some days');
  } else if (allDom && allMonths && dows.length === 1) {
    iso = 'P1W';
  } else if (!allDom && allDow && doms.length === 1 && (doms[0] ?? 0) <= 28) {
    if (allMonths) iso = 'P1M';
    else if (months.length === 1) iso = 'P1Y';
    else {
      const everyMonth = period(
        months.map((m) => m - 1),
        12,
      );
      if (everyMonth !== undefined) iso = `P${everyMonth}M`;
    }
    if (!iso) throw irregular('fires in irregular months');
  } else {
    throw irregular('fires on irregular days');
  }
  return `R/${first}/${iso}`;
}
