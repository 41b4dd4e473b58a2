import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseSchedule, ScheduleError, scheduleToChronos } from './schedule.ts';

const NOW = new Date('2026-01-01T00:00:00Z');

test('Chronos intervals that cron can say exactly', () => {
  const table: [string, string, string?][] = [
    ['R//PT30M', '*/30 * * * *'],
    ['R//PT10M', '*/10 * * * *'],
    ['R//PT1M', '* * * * *'],
    ['R/2016-01-01T00:00:00Z/PT1M', '* * * * *'],
    ['R//PT60M', '0 * * * *'],
    ['R//PT1H', '0 * * * *'],
    ['R/2016-01-01T00:15:00Z/PT1H', '15 * * * *'],
    ['R/2016-01-01T00:15:00Z/PT30M', '15-59/30 * * * *'],
    ['R/2016-01-01T01:00:00Z/PT2H', '0 1-23/2 * * *'],
    ['R/2016-01-01T00:05:00Z/PT6H', '5 */6 * * *'],
    ['R/2016-01-01T03:30:00Z/P1D', '30 3 * * *'],
    ['R/2016-01-01T03:30:00Z/PT24H', '30 3 * * *'],
    ['R/2016-01-04T03:30:00Z/P1W', '30 3 * * 1'],
    ['R/2016-01-03T00:00:00Z/P7D', '0 0 * * 0'],
    ['R/2016-01-15T06:00:00Z/P1M', '0 6 15 * *'],
    ['R/2016-02-15T06:00:00Z/P3M', '0 6 15 2-12/3 *'],
    ['R/2016-03-10T00:00:00Z/P1Y', '0 0 10 3 *'],
    ['R/2016-01-01T03:00:00+03:00/P1D', '0 0 * * *'],
    ['R/2016-01-01T03:00:00/P1D', '0 3 * * *', 'Europe/Berlin'],
    ['R/2016-07-01T03:00:00+01:00/P1D', '0 3 * * *', 'Europe/London'],
    ['R/2014-10-10T18:32:00Z/PT60M', '32 * * * *', 'America/Los_Angeles'],
    ['R/2016-07-01T03:00:00Z/P1D', '0 3 * * *', 'Europe/London'],
    ['R//P1W', '0 0 * * 1'],
    ['R//P1D', '0 0 * * *'],
  ];
  for (const [iso, cron, tz] of table) {
    const s = parseSchedule(iso, tz);
    assert.equal(s.cron, cron, iso);
    assert.equal(s.format, 'iso8601');
    assert.equal(s.source, iso);
    assert.equal(s.timezone, tz);
  }
});

test('cron and macros pass through, normalised', () => {
  const table: [string, string][] = [
    ['*/5 * * * *', '*/5 * * * *'],
    ['30   0/1 * * *', '30 0/1 * * *'],
    ['0 9 * * MON-FRI', '0 9 * * MON-FRI'],
    ['@hourly', '0 * * * *'],
    ['@daily', '0 0 * * *'],
    ['@weekly', '0 0 * * 0'],
    ['@monthly', '0 0 1 * *'],
    ['@yearly', '0 0 1 1 *'],
  ];
  for (const [text, cron] of table) {
    const s = parseSchedule(text);
    assert.equal(s.cron, cron, text);
    assert.equal(s.format, 'cron');
  }
});

function refusal(text: string, tz?: string): ScheduleError {
  try {
    parseSchedule(text, tz);
  } catch (err) {
    if (err instanceof ScheduleError) return err;
    throw err;
  }
  assert.fail(`expected ${text} to be refused`);
}

test('refusals say why and what to write instead', () => {
  const table: [string, RegExp, RegExp, string?][] = [
    [
      'R//PT90M',
      /PT90M does not divide a day: cron cannot repeat every 90 minutes/,
      /"0 \* \* \* \*" or "0 \*\/2 \* \* \*"/,
    ],
    ['R//PT7M', /does not divide an hour/, /"\*\/6 \* \* \* \*" or "\*\/10 \* \* \* \*"/],
    ['R//PT5H', /does not divide a day: cron cannot repeat every 5 hours/, /\*\/4.*\*\/6/],
    [
      'R10/2016-01-01T00:00:00Z/PT2H',
      /R10 repeats 10 time\(s\); cron has no repeat count/,
      /"0 \*\/2 \* \* \*"/,
    ],
    ['R//PT30S', /seconds granularity/, /\* \* \* \* \*/],
    ['R/2016-01-01T00:00:30Z/PT1M', /has seconds; cron fires on whole minutes/, /2016-01-01T00:00:00Z/],
    ['R//P2D', /every 2 days/, /0 0 \* \* \*/],
    ['R//P2W', /every 2 weeks/, /weekly/],
    ['R//P5M', /does not divide a year/, /4 month.*6 month/],
    ['R/2016-01-31T00:00:00Z/P1M', /day 31/, /"0 0 28 \* \*"/],
    ['R/2016-02-29T00:00:00Z/P1Y', /29 February/, /28 2/],
    ['R//P1DT12H', /every 2160 minutes|cannot repeat/, /nearest/],
    ['R//P1MT1H', /mixes/, /single unit/],
    ['R//PT0M', /zero period/, /PT30M/],
    [
      'R/2016-07-01T03:00:00+03:00/P1D',
      /UTC\+03:00, but the schedule runs in Europe\/London \(UTC\+01:00/,
      /2016-07-01T01:00:00\+01:00/,
      'Europe/London',
    ],
    ['R/yesterday/PT1H', /not an ISO-8601 date-time/, /2016-01-01T00:00:00Z/],
    ['R//1H', /not an ISO-8601 period/, /PT30M/],
    ['R/PT1H', /not a Chronos repeating interval/, /R\/<start>\/<period>/],
    ['0 0 * * * *', /6 fields/, /drop the seconds/],
    ['0 0 L * *', /does not support/, /ranges/],
    ['61 * * * *', /not a valid cron expression/, /minute \(0-59\)/],
    ['@reboot', /unknown cron macro/, /@hourly/],
    ['__proto__', /1 fields/, /\*\/30/],
    ['@constructor', /unknown cron macro/, /@hourly/],
    ['', /empty/, /R\/\/PT30M/],
    ['R//PT30M', /unknown time zone/, /IANA/, 'Mars/Olympus'],
  ];
  for (const [text, why, instead, tz] of table) {
    const e = refusal(text, tz);
    assert.equal(e.code, 'E_SCHEDULE');
    assert.equal(e.kind, 'invalid');
    assert.match(e.message, why, text);
    assert.match(e.hint ?? '', instead, `${text}: ${e.hint}`);
  }
});

test('scheduleToChronos: fixed periods', () => {
  const table: [string, string][] = [
    ['*/30 * * * *', 'R/2026-01-01T00:30:00Z/PT30M'],
    ['15 * * * *', 'R/2026-01-01T00:15:00Z/PT1H'],
    ['0 1-23/2 * * *', 'R/2026-01-01T01:00:00Z/PT2H'],
    ['30 3 * * *', 'R/2026-01-01T03:30:00Z/P1D'],
    ['30 3 * * 1', 'R/2026-01-05T03:30:00Z/P1W'],
    ['0 6 15 * *', 'R/2026-01-15T06:00:00Z/P1M'],
    ['0 6 15 2-12/3 *', 'R/2026-02-15T06:00:00Z/P3M'],
    ['0 0 10 3 *', 'R/2026-03-10T00:00:00Z/P1Y'],
    ['@hourly', 'R/2026-01-01T01:00:00Z/PT1H'],
  ];
  for (const [cron, iso] of table) assert.equal(scheduleToChronos(parseSchedule(cron), NOW), iso, cron);
});

test('scheduleToChronos refuses irregular crons with a reason', () => {
  for (const cron of [
    '0 9 * * MON-FRI',
    '0 9,17 * * *',
    '0,10 * * * *',
    '0 0 31 * *',
    '0 0 1 1,2 *',
    '0 9-17 * * *',
  ]) {
    assert.throws(
      () => scheduleToChronos(parseSchedule(cron), NOW),
      (e: unknown) => e instanceof ScheduleError && /Chronos repeats at one fixed period/.test(e.message),
      cron,
    );
  }
});

test('property: exact intervals round-trip iso → cron → iso → cron', () => {
  const minutes = fc.constantFrom(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30);
  const hours = fc.constantFrom(1, 2, 3, 4, 6, 8, 12);
  const period = fc.oneof(
    minutes.map((m) => ({ text: `PT${m}M`, days: false })),
    hours.map((h) => ({ text: `PT${h}H`, days: false })),
    fc.constantFrom('P1D', 'P1W', 'P1M', 'P2M', 'P3M', 'P6M', 'P1Y').map((text) => ({ text, days: true })),
  );
  const start = fc.record({
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
  });
  fc.assert(
    fc.property(period, start, (p, s) => {
      const pad = (n: number): string => String(n).padStart(2, '0');
      const iso = `R/2016-${pad(s.month)}-${pad(s.day)}T${pad(s.hour)}:${pad(s.minute)}:00Z/${p.text}`;
      const first = parseSchedule(iso);
      const back = scheduleToChronos(first, NOW);
      const again = parseSchedule(back);
      assert.equal(again.cron, first.cron, `${iso} → ${first.cron} → ${back}`);
      assert.ok(back.endsWith(`/${p.text}`), `${iso} → ${back}`);
    }),
    { numRuns: 500 },
  );
});

test('fuzz: any text and zone gives a Schedule or a ScheduleError, nothing else', () => {
  const piece = fc.constantFrom(
    'R',
    'R5',
    '/',
    'P',
    'T',
    '1',
    '30',
    'M',
    'H',
    'D',
    'W',
    'Y',
    'S',
    '2016-01-01',
    'T00:00:00',
    'Z',
    '+03:00',
    '-',
    '*',
    ' ',
    '@',
    'L',
    '#',
    ',',
    '9999-99-99',
    '0000-01-01',
  );
  const text = fc.oneof(
    fc.string(),
    fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
  );
  const zone = fc.option(
    fc.constantFrom('UTC', 'Europe/London', 'Asia/Kathmandu', 'America/St_Johns', 'Bad/Zone', ''),
    { nil: undefined },
  );
  fc.assert(
    fc.property(text, zone, (t, tz) => {
      try {
        const s = parseSchedule(t, tz);
        assert.equal(s.cron.split(' ').length, 5);
        try {
          scheduleToChronos(s, NOW);
        } catch (err) {
          assert.ok(err instanceof ScheduleError, String(err));
        }
      } catch (err) {
        assert.ok(err instanceof ScheduleError, `${t} ${tz ?? ''}: ${String(err)}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('a refusal names the nearest cron when cron can say something close', () => {
  const table: [string, string | undefined, string?][] = [
    ['R//PT90M', '0 * * * *'],
    ['R//PT7M', '*/6 * * * *'],
    ['R10/2016-01-01T00:00:00Z/PT2H', '0 */2 * * *'],
    ['R//PT30S', '* * * * *'],
    ['R/2016-01-01T00:00:30Z/PT1M', '* * * * *'],
    ['R//P5M', '0 0 1 */4 *'],
    ['R/2016-01-31T00:00:00Z/P1M', '0 0 28 * *'],
    ['R/2016-07-01T03:00:00+03:00/P1D', '0 3 * * *', 'Europe/London'],
    ['R//P1MT1H', undefined],
    ['R/yesterday/PT1H', undefined],
  ];
  for (const [text, nearest, tz] of table) assert.equal(refusal(text, tz).nearest, nearest, text);
});

test('day-of-week 7 (Sunday elsewhere) is refused as Kubernetes refuses it, with the rewrite', () => {
  const refused = (s: string) => {
    try {
      parseSchedule(s);
    } catch (e) {
      if (e instanceof ScheduleError) return e.hint;
      throw e;
    }
    return 'accepted';
  };
  assert.equal(refused('0 2 * * 7'), 'write "0 2 * * 0"');
  assert.equal(refused('0 2 * * 5-7'), 'write "0 2 * * 5-6,0"');
  assert.equal(refused('0 2 * * 1,7'), 'write "0 2 * * 1,0"');
  assert.equal(refused('0 2 * * 0-7'), 'write "0 2 * * *"');
  assert.equal(refused('0 2 * * 8'), 'use 0 (Sunday) to 6 (Saturday)');
  assert.equal(refused('0 2 * * 0'), 'accepted');
  assert.equal(refused('0 2 * * 1-5'), 'accepted');
  assert.equal(refused('*/7 * * * */2'), 'accepted');
  assert.equal(refused('0 2 * * SUN'), 'accepted');
});
