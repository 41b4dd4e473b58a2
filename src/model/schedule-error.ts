// The error every schedule problem raises: why cron cannot say it, and what to write instead.
import { ExitCode, FerryError } from '../errors.ts';

export class ScheduleError extends FerryError {
  constructor(message: string, hint: string) {
    super('E_SCHEDULE', message, { exitCode: ExitCode.invalidInput, hint });
    this.name = 'ScheduleError';
  }
}
