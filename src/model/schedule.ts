// Cron schedules: 5-field cron and Chronos ISO-8601 repeating intervals, converted exactly.
import { ExitCode, FerryError } from '../errors.ts';
import type { Schedule } from './types.ts';

export class ScheduleError extends FerryError {
  constructor(message: string, hint: string) {
    super('E_SCHEDULE', message, { exitCode: ExitCode.invalidInput, hint });
    this.name = 'ScheduleError';
  }
}

/** "*\/30 * * * *", "@hourly", "R//PT30M", "R/2016-01-01T00:00:00Z/PT1M" → Schedule (cron always set). */
export function parseSchedule(text: string, timezone?: string): Schedule {
  throw new ScheduleError(`not implemented yet: ${text} ${timezone ?? ''}`, '');
}

/** A cron that fires at a fixed period → "R/<start>/<period>" (Chronos); otherwise E_SCHEDULE. */
export function scheduleToChronos(s: Schedule, now: Date = new Date()): string {
  throw new ScheduleError(`not implemented yet: ${s.cron} ${now.toISOString()}`, '');
}
