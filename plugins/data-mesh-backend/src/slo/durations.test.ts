import {
  durationMs,
  formatDuration,
  lastOccurrence,
  parseInstant,
  parseSlaDuration,
  parseTimeOfDay,
  subtractDuration,
} from './durations';

const H = 3_600_000;
const D = 24 * H;

function ms(value: unknown, unit?: string): number {
  const parsed = parseSlaDuration(value, unit);
  if (!parsed.ok) throw new Error(parsed.reason);
  return durationMs(parsed.value);
}

describe('parseSlaDuration', () => {
  it.each([
    [4, 'd', 4 * D],
    [4, 'day', 4 * D],
    [4, 'days', 4 * D],
    [1, 'Days', D],
    [2, 'h', 2 * H],
    [2, 'hours', 2 * H],
    [30, 'm', 30 * 60_000],
    [30, 'min', 30 * 60_000],
    [45, 's', 45_000],
    [1, 'w', 7 * D],
    [3, 'y', 3 * 365 * D],
    [3, 'yr', 3 * 365 * D],
    [3, 'years', 3 * 365 * D],
    [2, 'mo', 60 * D],
    [1.5, 'h', 1.5 * H],
    ['4', 'd', 4 * D],
    ['4 d', undefined, 4 * D],
    ['4days', undefined, 4 * D],
    ['PT4H', undefined, 4 * H],
    ['P1D', undefined, D],
    ['P1W', undefined, 7 * D],
    ['PT30M', undefined, 30 * 60_000],
    ['P1DT12H', undefined, 1.5 * D],
    ['P3Y', undefined, 3 * 365 * D],
    ['pt0.5h', undefined, 0.5 * H],
  ])('%p %p → %p ms', (value, unit, expected) => {
    expect(ms(value, unit)).toBe(expected);
  });

  it.each([
    [4, undefined, 'has no unit'],
    [4, 'parsecs', 'not a time unit'],
    ['soon', 'd', 'not a duration'],
    ['P', undefined, 'not an ISO 8601 duration'],
    [-1, 'd', 'non-negative'],
    [true, 'd', 'not a duration'],
    [null, 'd', 'not a duration'],
  ])('rejects %p %p (%s)', (value, unit, message) => {
    const parsed = parseSlaDuration(value, unit);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(message);
  });

  it('subtracts months and years on the calendar', () => {
    const now = new Date('2026-03-31T10:00:00Z');
    const oneMonth = parseSlaDuration(1, 'mo');
    const threeYears = parseSlaDuration(3, 'y');
    expect(
      oneMonth.ok && subtractDuration(now, oneMonth.value).toISOString(),
    ).toBe('2026-02-28T10:00:00.000Z');
    expect(
      threeYears.ok && subtractDuration(now, threeYears.value).toISOString(),
    ).toBe('2023-03-31T10:00:00.000Z');
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['09:00-08:00', 540, -480, false],
    ['08:00+01:00', 480, 60, false],
    ['06:30Z', 390, 0, false],
    ['06:30:00', 390, 0, true],
    ['0600', 360, 0, true],
    ['23:59+0530', 1439, 330, false],
  ])('%s', (text, minutes, offset, assumedUtc) => {
    expect(parseTimeOfDay(text)).toEqual({
      ok: true,
      value: { minutes, offsetMinutes: offset, assumedUtc },
    });
  });

  it.each(['25:00', '9am', '', '12:60', '10:00+15:00'])('rejects %p', text => {
    expect(parseTimeOfDay(text).ok).toBe(false);
  });

  it('finds the latest deadline at or before now, across the date line', () => {
    const time = parseTimeOfDay('09:00-08:00');
    if (!time.ok) throw new Error();
    // 09:00 at UTC−8 is 17:00 UTC.
    expect(
      lastOccurrence(
        time.value,
        new Date('2026-11-20T17:00:00Z'),
      ).toISOString(),
    ).toBe('2026-11-20T17:00:00.000Z');
    expect(
      lastOccurrence(
        time.value,
        new Date('2026-11-20T16:59:59Z'),
      ).toISOString(),
    ).toBe('2026-11-19T17:00:00.000Z');
    const tokyo = parseTimeOfDay('06:00+09:00');
    if (!tokyo.ok) throw new Error();
    // 06:00 at UTC+9 is 21:00 UTC the day before.
    expect(
      lastOccurrence(
        tokyo.value,
        new Date('2026-11-20T12:00:00Z'),
      ).toISOString(),
    ).toBe('2026-11-19T21:00:00.000Z');
  });
});

describe('parseInstant', () => {
  it.each([
    ['2022-05-12T09:30:10-08:00', '2022-05-12T17:30:10.000Z'],
    ['2022-05-12T09:30:10Z', '2022-05-12T09:30:10.000Z'],
    ['2022-05-12 09:30', '2022-05-12T09:30:00.000Z'],
    ['2022-05-12', '2022-05-12T00:00:00.000Z'],
    ['20220512', '2022-05-12T00:00:00.000Z'],
    ['2022-05-12T09:30:10+0200', '2022-05-12T07:30:10.000Z'],
    [1652347810, '2022-05-12T09:30:10.000Z'],
    [1652347810000, '2022-05-12T09:30:10.000Z'],
  ])('%p', (value, iso) => {
    const parsed = parseInstant(value);
    expect(parsed.ok && parsed.value.toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2022-13-45', '', true])('rejects %p', value => {
    expect(parseInstant(value).ok).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [42_000, '42 s'],
    [5 * 60_000, '5 min'],
    [5 * H + 3 * 60_000, '5 h 3 min'],
    [4 * D, '4 d'],
    [4 * D + 2 * H, '4 d 2 h'],
    [800 * D, '2.2 y'],
  ])('%p → %s', (value, text) => {
    expect(formatDuration(value)).toBe(text);
  });
});
