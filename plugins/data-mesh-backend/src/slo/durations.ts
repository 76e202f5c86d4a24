// Parsing of the values ODCS SLA properties carry: durations with units,
// ISO 8601 durations, times of day with an offset, and instants. Pure.

/** Calendar-aware duration: months and years are added on the calendar. */
export interface SlaDuration {
  /** Fixed part in milliseconds (ms … weeks). */
  ms: number;
  months: number;
  years: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MS = {
  ms: 1,
  s: 1_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

// Unit spellings accepted, canonical unit first. ODCS names d/day/days and
// y/yr/years and otherwise "the ISO standard"; `m` means minutes (the SI
// symbol family: s, m, h), months are `mo`/`mon`/`month(s)` or ISO `P1M`.
const UNIT_ALIASES: Record<string, keyof typeof MS | 'mo' | 'y'> = {
  ms: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'min',
  min: 'min',
  mins: 'min',
  minute: 'min',
  minutes: 'min',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  week: 'w',
  weeks: 'w',
  mo: 'mo',
  mon: 'mo',
  month: 'mo',
  months: 'mo',
  y: 'y',
  yr: 'y',
  yrs: 'y',
  year: 'y',
  years: 'y',
};

const ISO_DURATION =
  /^P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?!$)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

function num(text: string | undefined): number {
  return text ? Number(text.replace(',', '.')) : 0;
}

/** Parses an ISO 8601 duration such as `PT4H`, `P1D`, `P3Y`, `P1Y2M10DT2H30M`. */
export function parseIsoDuration(text: string): Parsed<SlaDuration> {
  const match = ISO_DURATION.exec(text.trim());
  if (!match) {
    return { ok: false, reason: `"${text}" is not an ISO 8601 duration` };
  }
  const [, y, mo, w, d, h, min, s] = match;
  return {
    ok: true,
    value: {
      years: num(y),
      months: num(mo),
      ms:
        num(w) * MS.w +
        num(d) * MS.d +
        num(h) * MS.h +
        num(min) * MS.min +
        num(s) * MS.s,
    },
  };
}

function fromAmount(amount: number, unit: string): Parsed<SlaDuration> {
  const canonical = UNIT_ALIASES[unit.trim().toLowerCase()];
  if (!canonical) {
    return { ok: false, reason: `unit "${unit}" is not a time unit` };
  }
  if (!Number.isFinite(amount) || amount < 0) {
    return { ok: false, reason: `"${amount}" is not a non-negative number` };
  }
  if (canonical === 'y') {
    return { ok: true, value: { ms: 0, months: 0, years: amount } };
  }
  if (canonical === 'mo') {
    return { ok: true, value: { ms: 0, months: amount, years: 0 } };
  }
  return {
    ok: true,
    value: { ms: amount * MS[canonical], months: 0, years: 0 },
  };
}

/**
 * Reads an SLA duration from the contract's `value` and `unit`: `4` + `d`,
 * `"4"` + `days`, `"4 d"`, `"4d"`, or an ISO 8601 duration (`PT4H`, with no
 * unit or unit `iso8601`). Missing or unknown units are reported, never
 * defaulted.
 */
export function parseSlaDuration(
  value: unknown,
  unit: string | undefined,
): Parsed<SlaDuration> {
  if (typeof value === 'string' && /^\s*P/i.test(value)) {
    return parseIsoDuration(value);
  }
  if (typeof value === 'number') {
    if (!unit || unit.trim() === '') {
      return { ok: false, reason: `the value ${value} has no unit` };
    }
    return fromAmount(value, unit);
  }
  if (typeof value === 'string') {
    const match = /^\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
    if (!match) {
      return { ok: false, reason: `"${value}" is not a duration` };
    }
    const amount = num(match[1]);
    const inlineUnit = match[2] || unit;
    if (!inlineUnit) {
      return { ok: false, reason: `the value "${value}" has no unit` };
    }
    return fromAmount(amount, inlineUnit);
  }
  return { ok: false, reason: `${JSON.stringify(value)} is not a duration` };
}

/** Approximate length in milliseconds (month = 30 d, year = 365 d), for ratios. */
export function durationMs(duration: SlaDuration): number {
  return (
    duration.ms + duration.months * 30 * MS.d + duration.years * 365 * MS.d
  );
}

/** `instant − duration`, on the calendar for months and years (UTC). */
export function subtractDuration(instant: Date, duration: SlaDuration): Date {
  const result = new Date(instant.getTime() - duration.ms);
  const wholeMonths = Math.trunc(duration.years * 12 + duration.months);
  const fractionMs =
    (duration.years * 12 + duration.months - wholeMonths) * 30 * MS.d;
  if (wholeMonths !== 0) {
    const day = result.getUTCDate();
    result.setUTCDate(1);
    result.setUTCMonth(result.getUTCMonth() - wholeMonths);
    const lastDay = new Date(
      Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
    ).getUTCDate();
    result.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(result.getTime() - fractionMs);
}

/** A readable duration: `4 d`, `5 h 3 min`, `42 s`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '−' : '';
  if (abs < MS.min) {
    return `${sign}${Math.round(abs / MS.s)} s`;
  }
  if (abs < MS.h) {
    return `${sign}${Math.round(abs / MS.min)} min`;
  }
  if (abs < MS.d) {
    const h = Math.floor(abs / MS.h);
    const min = Math.round((abs - h * MS.h) / MS.min);
    return min > 0 && h < 10
      ? `${sign}${h} h ${min} min`
      : `${sign}${Math.round(abs / MS.h)} h`;
  }
  if (abs < 730 * MS.d) {
    const d = Math.floor(abs / MS.d);
    const h = Math.round((abs - d * MS.d) / MS.h);
    return h > 0 && d < 10
      ? `${sign}${d} d ${h} h`
      : `${sign}${Math.round(abs / MS.d)} d`;
  }
  return `${sign}${(abs / (365 * MS.d)).toFixed(1)} y`;
}

/** A readable SLA duration as the contract meant it: `4 d`, `3 y`, `1 mo`. */
export function formatSlaDuration(duration: SlaDuration): string {
  const parts: string[] = [];
  if (duration.years) parts.push(`${duration.years} y`);
  if (duration.months) parts.push(`${duration.months} mo`);
  if (duration.ms || parts.length === 0)
    parts.push(formatDuration(duration.ms));
  return parts.join(' ');
}

/** A time of day with its UTC offset in minutes. */
export interface TimeOfDay {
  minutes: number;
  offsetMinutes: number;
  /** No offset was given: UTC was assumed. */
  assumedUtc: boolean;
}

/**
 * Parses ODCS `timeOfAvailability` values: `09:00-08:00`, `08:00+01:00`,
 * `06:30Z`, `06:30:00`, `0600` (offset absent → UTC, flagged).
 */
export function parseTimeOfDay(value: unknown): Parsed<TimeOfDay> {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return {
      ok: false,
      reason: `${JSON.stringify(value)} is not a time of day`,
    };
  }
  const text = String(value).trim();
  const match =
    /^(\d{1,2}):?(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|UTC|[+-−]\d{2}(?::?\d{2})?)?$/i.exec(
      text,
    );
  if (!match) {
    return {
      ok: false,
      reason: `"${text}" is not a time of day (HH:MM±HH:MM)`,
    };
  }
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) {
    return { ok: false, reason: `"${text}" is not a valid time of day` };
  }
  const zone = match[4];
  let offsetMinutes = 0;
  if (zone && !/^(Z|UTC)$/i.test(zone)) {
    const zoneMatch = /^([+-−])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const sign = zoneMatch[1] === '+' ? 1 : -1;
    offsetMinutes =
      sign * (Number(zoneMatch[2]) * 60 + Number(zoneMatch[3] ?? 0));
    if (Math.abs(offsetMinutes) > 14 * 60) {
      return { ok: false, reason: `"${text}" has an offset beyond ±14:00` };
    }
  }
  return {
    ok: true,
    value: { minutes: hours * 60 + minutes, offsetMinutes, assumedUtc: !zone },
  };
}

/** `HH:MM UTC±HH:MM` */
export function formatTimeOfDay(time: TimeOfDay): string {
  const hh = String(Math.floor(time.minutes / 60)).padStart(2, '0');
  const mm = String(time.minutes % 60).padStart(2, '0');
  if (time.offsetMinutes === 0) {
    return `${hh}:${mm} UTC`;
  }
  const sign = time.offsetMinutes > 0 ? '+' : '−';
  const abs = Math.abs(time.offsetMinutes);
  const oh = String(Math.floor(abs / 60)).padStart(2, '0');
  const om = String(abs % 60).padStart(2, '0');
  return `${hh}:${mm} UTC${sign}${oh}:${om}`;
}

/** The most recent occurrence of `time` at or before `now`. */
export function lastOccurrence(time: TimeOfDay, now: Date): Date {
  const dayMs = MS.d;
  // The time of day in UTC minutes: local − offset.
  const utcMinutes = time.minutes - time.offsetMinutes;
  const startOfUtcDay = Math.floor(now.getTime() / dayMs) * dayMs;
  let candidate = startOfUtcDay + utcMinutes * MS.min;
  while (candidate > now.getTime()) candidate -= dayMs;
  while (candidate + dayMs <= now.getTime()) candidate += dayMs;
  return new Date(candidate);
}

/**
 * Parses an instant: ISO 8601 date-times (with or without offset; without is
 * UTC), dates (`2026-05-12`, start of the day UTC), epoch seconds or
 * milliseconds.
 */
export function parseInstant(value: unknown): Parsed<Date> {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { ok: false, reason: 'invalid date' }
      : { ok: true, value };
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Seconds until the year 5138, milliseconds after.
    return { ok: true, value: new Date(value < 1e11 ? value * 1000 : value) };
  }
  if (typeof value !== 'string') {
    return { ok: false, reason: `${JSON.stringify(value)} is not a date` };
  }
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = new Date(`${text}T00:00:00Z`);
    return Number.isNaN(date.getTime())
      ? { ok: false, reason: `"${text}" is not a date` }
      : { ok: true, value: date };
  }
  if (/^\d{8}$/.test(text)) {
    return parseInstant(
      `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`,
    );
  }
  const iso =
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      text,
    );
  if (iso) {
    let zone = iso[3] ?? 'Z';
    if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const date = new Date(`${iso[1]}T${iso[2]}${zone}`);
    if (!Number.isNaN(date.getTime())) {
      return { ok: true, value: date };
    }
  }
  if (/^\d{10,13}$/.test(text)) {
    return parseInstant(Number(text));
  }
  return { ok: false, reason: `"${text}" is not a date or date-time` };
}
