// Cron schedules. Accepts 5-field cron (and @hourly-style macros) and the ISO-8601 repeating
// intervals Chronos used ("R//PT30M", "R/2016-01-01T00:00:00Z/PT1M", "R10/…/PT2H"). An interval
// becomes cron only when cron says exactly the same thing; otherwise ScheduleError says why and
// which cron(s) come nearest. docs/schedules.md has the rules.
import { CronExpressionParser } from 'cron-parser';
import { parseIso } from './schedule-iso.ts';
import { ScheduleError } from './schedule-error.ts';
import type { Schedule } from './types.ts';

export { ScheduleError } from './schedule-error.ts';
export { scheduleToChronos } from './schedule-chronos.ts';

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const NAMES = /\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT)\b/gi;

/** Whether `tz` is a time zone this runtime knows (IANA names such as Europe/London, and UTC). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function checkTimezone(tz: string | undefined): void {
  if (tz !== undefined && !isTimeZone(tz)) {
    throw new ScheduleError(
      `unknown time zone "${tz}"`,
      'use an IANA zone name such as UTC or Europe/London',
    );
  }
}

/**
 * Kubernetes' cron parser takes day-of-week 0-6 only: 7 for Sunday (which other crons take) is
 * refused by the API server, so it is refused here with the rewrite.
 */
function checkDayOfWeek(text: string, fields: readonly string[]): void {
  const dow = fields[4] ?? '';
  const fixed = dow
    .split(',')
    .map((part) => {
      const [range, step] = part.split('/');
      const [a, b] = (range ?? '').split('-');
      if (b === '7' && a !== undefined && step === undefined) return a === '0' ? '*' : `${a}-6,0`;
      if (a === '7' && b === undefined) return step === undefined ? '0' : `0/${step}`;
      return part;
    })
    .join(',');
  if (fixed !== dow || /(^|[,-])([89]|\d{2,})(?=$|[,/-])/.test(dow)) {
    throw new ScheduleError(
      `day-of-week in "${text}" goes past 6: Kubernetes takes 0-6, with Sunday as 0 (not 7)`,
      fixed !== dow
        ? `write "${[...fields.slice(0, 4), fixed].join(' ')}"`
        : 'use 0 (Sunday) to 6 (Saturday)',
    );
  }
}

function parseCron(text: string, timezone: string | undefined): Schedule {
  const name = text.toLowerCase();
  const macro = Object.hasOwn(MACROS, name) ? MACROS[name] : undefined;
  if (text.startsWith('@') && macro === undefined) {
    throw new ScheduleError(
      `unknown cron macro ${text}`,
      `use one of ${Object.keys(MACROS).join(', ')}, or 5 fields: minute hour day-of-month month day-of-week`,
    );
  }
  const cron = macro ?? text.split(/\s+/).join(' ');
  const fields = cron.split(' ');
  if (fields.length !== 5) {
    throw new ScheduleError(
      `"${text}" has ${fields.length} fields; Kubernetes cron has 5 (minute hour day-of-month month day-of-week)`,
      fields.length === 6
        ? 'drop the seconds field: cron fires at most once a minute'
        : 'e.g. "*/30 * * * *"',
    );
  }
  if (/[^\d*,/\-? ]/.test(cron.replace(NAMES, ''))) {
    throw new ScheduleError(
      `"${text}" uses syntax Kubernetes cron does not support (L, W, #, H or an unknown name)`,
      'use numbers, *, ranges (1-5), lists (1,15) and steps (*/10)',
    );
  }
  checkDayOfWeek(text, fields);
  try {
    // syntax only: the zone does not change validity (and resolving a zone is slow)
    CronExpressionParser.parse(cron, { strict: false });
  } catch (err) {
    throw new ScheduleError(
      `"${text}" is not a valid cron expression: ${err instanceof Error ? err.message : String(err)}`,
      'five fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-6)',
    );
  }
  return { cron, source: text, format: 'cron', timezone };
}

const memo = new Map<string, Schedule>();

/** "*\/30 * * * *", "@hourly", "R//PT30M", "R/2016-01-01T00:00:00Z/PT1M" → Schedule (cron always set). */
export function parseSchedule(input: string, timezone?: string): Schedule {
  // the same few schedules repeat across services and environments: parse each once
  const key = `${timezone ?? ''}\u0000${input}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const s = Object.freeze(parseScheduleUncached(input, timezone));
  if (memo.size > 10_000) memo.clear();
  memo.set(key, s);
  return s;
}

function parseScheduleUncached(input: string, timezone: string | undefined): Schedule {
  const text = input.trim();
  checkTimezone(timezone);
  if (text === '') throw new ScheduleError('empty schedule', 'e.g. "*/30 * * * *" or "R//PT30M"');
  if (/^R\d*\//.test(text)) return parseIso(text, timezone);
  return parseCron(text, timezone);
}
