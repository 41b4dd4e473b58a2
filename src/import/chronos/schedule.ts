// A Chronos schedule ("R/2016-01-01T00:00:00Z/PT1M", "R//PT30M", "R10/…/PT2S") → what ferry's
// cron field can hold. The conversion is the model's (parseSchedule, docs/schedules.md): when it
// converts the interval exactly, the ISO-8601 text is kept as written; when it refuses it with a
// nearest cron, that cron is written and the refusal is the reason; otherwise the schedule is invalid.
import { parseSchedule, ScheduleError } from '../../model/schedule.ts';

export type ScheduleImport =
  | { kind: 'exact'; schedule: string; note: string | undefined }
  | { kind: 'approximated'; schedule: string; note: string }
  | { kind: 'invalid'; note: string };

/** Whether the model converts `text` exactly; the ScheduleError when it does not. */
function convert(text: string, timezone: string | undefined): ScheduleError | undefined {
  try {
    parseSchedule(text, timezone);
    return undefined;
  } catch (err) {
    if (err instanceof ScheduleError) return err;
    throw err;
  }
}

/** `timezone`: the zone the imported cron runs in (Chronos scheduleTimeZone), if any. */
export function importChronosSchedule(text: string, timezone?: string): ScheduleImport {
  const iso = text.trim();
  const count = /^R(\d*)\//.exec(iso);
  if (!count)
    return { kind: 'invalid', note: `"${text}" is not an ISO-8601 repeating interval (R/<start>/<period>)` };
  const err = convert(iso, timezone);
  if (!err)
    return {
      kind: 'exact',
      schedule: iso,
      note: iso.startsWith(`R${count[1] ?? ''}//`)
        ? 'no start time: the cron aligns to the clock (Chronos counted from when the job was saved)'
        : undefined,
    };
  if (err.nearest === undefined)
    return { kind: 'invalid', note: err.hint === undefined ? err.message : `${err.message}: ${err.hint}` };
  const reasons = [err.message];
  // the model names the first thing cron cannot say; a finite repeat count is one more
  const reps = count[1] ?? '';
  if (reps !== '' && convert(`R${iso.slice(count[0].length - 1)}`, timezone) !== undefined)
    reasons.push(`Chronos ran it ${reps} times; a cron repeats until removed`);
  return {
    kind: 'approximated',
    schedule: err.nearest,
    note: `${reasons.join('; ')}: runs as "${err.nearest}"`,
  };
}
