// The error every schedule problem raises: why cron cannot say it, and what to write instead.
import { FerryError } from '../errors.ts';

export class ScheduleError extends FerryError {
  /** The cron that comes nearest (the first the hint suggests), when cron can say something close. */
  readonly nearest: string | undefined;

  constructor(message: string, hint: string, nearest?: string) {
    super('E_SCHEDULE', message, { hint });
    this.name = 'ScheduleError';
    this.nearest = nearest;
  }
}
