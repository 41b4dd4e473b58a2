// Chronos ISO-8601 repeating intervals ("R//PT30M", "R/2016-01-01T00:15:00Z/PT1H") → the cron that
// fires at exactly the same instants, or a ScheduleError saying why there is none and which cron(s)
// come nearest. The rules are in docs/schedules.md.
import { ScheduleError } from './schedule-error.ts';
import type { Schedule } from './types.ts';

interface Period {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PERIOD_RE =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function parsePeriod(text: string): Period {
  const m = PERIOD_RE.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) {
    throw new ScheduleError(`"${text}" is not an ISO-8601 period`, 'write e.g. PT30M, PT1H, P1D or P1W');
  }
  const n = (i: number): number => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** Wall-clock parts of an instant in a time zone, plus the zone's UTC offset in minutes then. */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  dow: number;
  offsetMinutes: number;
}

function wallClock(instant: Date, tz: string): Wall {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const w = {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, get('second'));
  const offsetMinutes = Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
  return {
    ...w,
    second: get('second'),
    dow: new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(),
    offsetMinutes,
  };
}

const START_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** A start's phase, and why cron cannot take it exactly (the phase is then the nearest: whole
 *  minutes, or the wall-clock time Chronos read). */
interface Phase {
  wall: Wall;
  problem?: { message: string; hint: string };
}

/** The phase a start sets: wall-clock parts in the schedule's zone. No start → phase 0. */
function startPhase(start: string, tz: string, explicitZone: boolean): Phase {
  if (start === '')
    return {
      wall: { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, dow: 1, offsetMinutes: 0 },
    };
  const m = START_RE.exec(start);
  if (!m) {
    throw new ScheduleError(`"${start}" is not an ISO-8601 date-time`, 'write e.g. 2016-01-01T00:00:00Z');
  }
  const zone = m[8];
  const instant = new Date(
    `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ? `.${m[7]}` : ''}${zone ? (zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone) : 'Z'}`,
  );
  if (Number.isNaN(instant.getTime())) {
    throw new ScheduleError(`"${start}" is not a real date-time`, 'write e.g. 2016-01-01T00:00:00Z');
  }
  const fraction = m[7] !== undefined && Number(m[7]) !== 0;
  // the parts as wall-clock time in the schedule's zone (seconds dropped)
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const parts: Wall = {
    year: y,
    month: mo,
    day: d,
    hour: h,
    minute: mi,
    second: 0,
    dow: new Date(Date.UTC(y, mo - 1, d)).getUTCDay(),
    offsetMinutes: 0,
  };
  if (zone === undefined || (explicitZone && zone === 'Z')) {
    // no offset, or "Z" with a timezone given (Chronos: scheduleTimeZone takes precedence over
    // the designator in the schedule): the parts are wall-clock time in the schedule's zone
    if (sec !== 0 || fraction) {
      return {
        wall: parts,
        problem: {
          message: `the start ${start} has seconds; cron fires on whole minutes`,
          hint: 'start on a whole minute',
        },
      };
    }
    return { wall: parts };
  }
  const wall = wallClock(instant, tz);
  if (explicitZone) {
    const given =
      zone === 'Z'
        ? 0
        : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    if (given !== wall.offsetMinutes) {
      const local = `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}T${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}:00${formatOffset(wall.offsetMinutes)}`;
      // nearest: what Chronos did (the parts in the schedule's zone)
      return {
        wall: parts,
        problem: {
          message: `the start ${start} is at UTC${formatOffset(given)}, but the schedule runs in ${tz} (UTC${formatOffset(wall.offsetMinutes)} then): Chronos would have used ${tz} and ignored the offset, so which time is meant is unclear`,
          hint: `write the start in ${tz} time (${local}), or drop the timezone to run in UTC`,
        },
      };
    }
  }
  if (wall.second !== 0 || fraction) {
    return {
      wall: { ...wall, second: 0 },
      problem: {
        message: `the start ${start} has seconds; cron fires on whole minutes`,
        hint: `start on a whole minute, e.g. ${start.replace(/:(\d{2})(\.\d+)?(?=Z|[+-]|$)/, ':00')}`,
      },
    };
  }
  return { wall };
}

/** a..max stepping by `step`, phase `a`: "*\/step" when a is 0, else "a-max/step". */
function stepField(a: number, step: number, max: number, min = 0): string {
  if (step === 1) return '*';
  return a === min ? `*/${step}` : `${a}-${max}/${step}`;
}

function nearest(n: number, divisors: readonly number[]): number[] {
  const below = divisors.filter((d) => d < n).pop();
  const above = divisors.find((d) => d > n);
  return [below, above].filter((d): d is number => d !== undefined);
}

const DIV60 = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];
const DIV24 = [1, 2, 3, 4, 6, 8, 12, 24];
const DIV12 = [1, 2, 3, 4, 6, 12];

function minuteCron(every: number, w: Wall): string {
  if (every === 60) return `${w.minute} * * * *`;
  return `${stepField(w.minute % every, every, 59)} * * * *`;
}
function hourCron(every: number, w: Wall): string {
  if (every === 24) return `${w.minute} ${w.hour} * * *`;
  return `${w.minute} ${stepField(w.hour % every, every, 23)} * * *`;
}

function alternatives(crons: string[]): string {
  return crons.map((c) => `"${c}"`).join(' or ');
}

/** Period + phase → the exact cron, or a ScheduleError saying why there is none. */
function periodToCron(p: Period, text: string, w: Wall): string {
  if (p.seconds % 60 !== 0) {
    throw new ScheduleError(
      `${text} repeats at seconds granularity; cron fires at most once a minute`,
      `use whole minutes, e.g. ${alternatives([minuteCron(1, w)])}`,
      minuteCron(1, w),
    );
  }
  const timeMinutes = p.days * 1440 + p.hours * 60 + p.minutes + p.seconds / 60;
  const dateUnits = [p.years > 0, p.months > 0, p.weeks > 0, timeMinutes > 0].filter(Boolean).length;
  if (dateUnits === 0) throw new ScheduleError(`${text} is a zero period`, 'write e.g. PT30M or P1D');
  if (dateUnits > 1) {
    throw new ScheduleError(
      `${text} mixes years, months, weeks and days/times; cron has no such period`,
      'use a single unit, e.g. P1M, P1W, P1D or PT1H',
    );
  }
  if (p.years > 0) {
    if (p.years !== 1) {
      throw new ScheduleError(
        `${text}: cron cannot repeat every ${p.years} years`,
        `yearly is ${alternatives([`${w.minute} ${w.hour} ${w.day} ${w.month} *`])}`,
        `${w.minute} ${w.hour} ${w.day} ${w.month} *`,
      );
    }
    if (w.month === 2 && w.day === 29) {
      throw new ScheduleError(
        `${text} starting on 29 February: adding a year moves it to 28 February, cron cannot follow`,
        `start on another day, e.g. ${alternatives([`${w.minute} ${w.hour} 28 2 *`])}`,
        `${w.minute} ${w.hour} 28 2 *`,
      );
    }
    return `${w.minute} ${w.hour} ${w.day} ${w.month} *`;
  }
  if (p.months > 0) {
    const monthCron = (every: number): string =>
      `${w.minute} ${w.hour} ${Math.min(w.day, 28)} ${every <= 12 ? stepField(((w.month - 1) % every) + 1, every, 12, 1) : '*'} *`;
    const near = monthCron(p.months);
    if (12 % p.months !== 0) {
      const every = nearest(p.months, DIV12);
      throw new ScheduleError(
        `${text} does not divide a year: cron cannot repeat every ${p.months} months`,
        `nearest: every ${every.map((d) => `${d} month(s)`).join(' or ')}`,
        every[0] === undefined ? undefined : monthCron(every[0]),
      );
    }
    if (w.day > 28) {
      throw new ScheduleError(
        `${text} starting on day ${w.day}: adding a month moves the day in short months (31 → 28), cron cannot follow`,
        `start on day 1 to 28, e.g. ${alternatives([near])}`,
        near,
      );
    }
    return near;
  }
  if (p.weeks > 0) {
    if (p.weeks !== 1) {
      throw new ScheduleError(
        `${text}: cron cannot repeat every ${p.weeks} weeks (its day count restarts every month)`,
        `weekly is ${alternatives([`${w.minute} ${w.hour} * * ${w.dow}`])}`,
        `${w.minute} ${w.hour} * * ${w.dow}`,
      );
    }
    return `${w.minute} ${w.hour} * * ${w.dow}`;
  }
  const t = timeMinutes;
  if (t < 60) {
    if (60 % t !== 0) {
      const near = nearest(t, DIV60).map((d) => minuteCron(d, w));
      throw new ScheduleError(
        `${text} does not divide an hour: cron cannot repeat every ${t} minutes (its minute count restarts every hour)`,
        `nearest: ${alternatives(near)}`,
        near[0],
      );
    }
    return minuteCron(t, w);
  }
  if (t < 1440) {
    if (t % 60 !== 0 || 24 % (t / 60) !== 0) {
      const h = t / 60;
      const near =
        t % 60 !== 0 && t < 120
          ? [minuteCron(60, w), hourCron(2, w)]
          : nearest(h, DIV24).map((d) => hourCron(d, w));
      throw new ScheduleError(
        `${text} does not divide a day: cron cannot repeat every ${t % 60 === 0 ? `${h} hours` : `${t} minutes`}`,
        `nearest: ${alternatives(near)}`,
        near[0],
      );
    }
    return hourCron(t / 60, w);
  }
  if (t === 1440) return hourCron(24, w);
  if (t === 10080) return `${w.minute} ${w.hour} * * ${w.dow}`;
  throw new ScheduleError(
    `${text}: cron cannot repeat every ${t % 1440 === 0 ? `${t / 1440} days` : `${t} minutes`} (its day count restarts every month)`,
    `nearest: ${alternatives([hourCron(24, w), `${w.minute} ${w.hour} * * ${w.dow}`])}`,
    hourCron(24, w),
  );
}

export function parseIso(text: string, timezone: string | undefined): Schedule {
  const parts = text.split('/');
  if (parts.length !== 3) {
    throw new ScheduleError(
      `"${text}" is not a Chronos repeating interval`,
      'write R/<start>/<period> (start may be empty), e.g. R//PT30M or R/2016-01-01T00:00:00Z/PT1M',
    );
  }
  const [rep = '', start = '', periodText = ''] = parts;
  const count = /^R(\d*)$/.exec(rep);
  if (!count) throw new ScheduleError(`"${rep}" is not a repeat count`, 'write R (forever) or Rn');
  const tz = timezone ?? 'UTC';
  const period = parsePeriod(periodText);
  const { wall, problem } = startPhase(start, tz, timezone !== undefined);
  if (problem) {
    // the nearest: the period's cron at the nearest phase (or, if the period is inexact too, its nearest)
    let near: string | undefined;
    try {
      near = periodToCron(period, periodText, wall);
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      near = err.nearest;
    }
    throw new ScheduleError(problem.message, problem.hint, near);
  }
  const cron = periodToCron(period, periodText, wall);
  if (count[1] !== '' && count[1] !== undefined) {
    throw new ScheduleError(
      `${rep} repeats ${count[1]} time(s); cron has no repeat count`,
      `drop the count (R/${start}/${periodText}) to repeat forever as "${cron}", and stop the job when it is done`,
      cron,
    );
  }
  return { cron, source: text, format: 'iso8601', timezone };
}
