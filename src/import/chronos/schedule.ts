// A Chronos schedule ("R/2016-01-01T00:00:00Z/PT1M", "R//PT30M", "R10/…/PT2S") → what ferry's
// cron field can hold: the ISO-8601 text itself when a 5-field cron expresses it exactly (ferry's
// model converts it), otherwise the nearest cron and the reason it is not exact.
import { isoDurationSeconds } from '../common.ts';

export type ScheduleImport =
  | { kind: 'exact'; schedule: string; note: string | undefined }
  | { kind: 'approximated'; schedule: string; note: string }
  | { kind: 'invalid'; note: string };

const DAY = 86400;

export function importChronosSchedule(text: string): ScheduleImport {
  const m = /^R(\d*)\/([^/]*)\/(P[^/]+)$/.exec(text.trim());
  if (!m)
    return { kind: 'invalid', note: `"${text}" is not an ISO-8601 repeating interval (R/<start>/<period>)` };
  const reps = m[1] ?? '';
  const startText = m[2] ?? '';
  const period = isoDurationSeconds(m[3] ?? '');
  if (period === undefined || period <= 0)
    return { kind: 'invalid', note: `"${m[3] ?? ''}" is not an ISO-8601 duration` };
  const start = startText === '' ? undefined : new Date(startText);
  if (start !== undefined && Number.isNaN(start.getTime()))
    return { kind: 'invalid', note: `"${startText}" is not an ISO-8601 time` };
  const min = start?.getUTCMinutes() ?? 0;
  const hour = start?.getUTCHours() ?? 0;
  const notes: string[] = [];
  let info: string | undefined;
  if (reps !== '' && reps !== '0') notes.push(`Chronos ran it ${reps} times; a cron repeats until removed`);
  if (reps === '0') notes.push('R0 never ran; the cron will');
  if (start && start.getUTCSeconds() !== 0)
    notes.push('cron fires on whole minutes: the start’s seconds are dropped');
  if (startText === '')
    info = 'no start time: the cron aligns to the clock (Chronos counted from when the job was saved)';
  const iso = `R/${startText}/${m[3] ?? ''}`;
  if (period < 60) {
    notes.push(`every ${period}s is finer than cron's one minute: runs every minute`);
    return { kind: 'approximated', schedule: '* * * * *', note: notes.join('; ') };
  }
  if (period % 60 !== 0) {
    const mins = Math.max(1, Math.round(period / 60));
    notes.push(`every ${period}s is not whole minutes: runs every ${mins} minutes`);
    return { kind: 'approximated', schedule: nearest(mins * 60, min, hour), note: notes.join('; ') };
  }
  const minutes = period / 60;
  const expressible =
    (minutes < 60 && 60 % minutes === 0) ||
    (minutes % 60 === 0 && minutes < 1440 && 24 % (minutes / 60) === 0) ||
    period === DAY ||
    period === 7 * DAY;
  if (expressible)
    return notes.length === 0
      ? { kind: 'exact', schedule: iso, note: info }
      : { kind: 'approximated', schedule: iso, note: notes.join('; ') };
  const cron = nearest(period, min, hour);
  notes.push(
    `every ${m[3] ?? ''} does not divide the hour/day, so no 5-field cron repeats it exactly: ${cron}`,
  );
  return { kind: 'approximated', schedule: cron, note: notes.join('; ') };
}

/** The nearest cron to "every `period` seconds" starting at minute/hour. */
function nearest(period: number, min: number, hour: number): string {
  const minutes = Math.round(period / 60);
  if (minutes < 60) {
    const step = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30].reduce((a, b) =>
      Math.abs(b - minutes) < Math.abs(a - minutes) ? b : a,
    );
    return step === 1 ? '* * * * *' : `${min % step}/${step} * * * *`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 24) {
    const step = [1, 2, 3, 4, 6, 8, 12].reduce((a, b) => (Math.abs(b - hours) < Math.abs(a - hours) ? b : a));
    return step === 1 ? `${min} * * * *` : `${min} ${hour % step}/${step} * * *`;
  }
  const days = Math.round(hours / 24);
  return days >= 7 ? `${min} ${hour} * * 0` : `${min} ${hour} * * *`;
}
