// Dates and datetimes, ported from engines/rules/expr/dates.py (see docs/expressions.md, "Dates").
// A date is `YYYY-MM-DD`; a datetime is ISO 8601 with a time, converted to UTC; results are
// canonical `YYYY-MM-DD` / `YYYY-MM-DDTHH:MM:SSZ`. Anything that does not parse is not a date.

interface Parsed {
  kind: 'date' | 'datetime';
  /** UTC epoch milliseconds (midnight for a date). */
  ms: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
export const DAY = 86_400_000;

export const UNITS: Record<string, string> = {
  d: 'days', day: 'days', days: 'days',
  w: 'weeks', week: 'weeks', weeks: 'weeks',
  m: 'months', month: 'months', months: 'months',
  q: 'quarters', quarter: 'quarters', quarters: 'quarters',
  y: 'years', year: 'years', years: 'years',
  h: 'hours', hour: 'hours', hours: 'hours',
  min: 'minutes', minute: 'minutes', minutes: 'minutes',
};

/** UTC epoch milliseconds of a calendar day of years 1-9999; null: no such day (2026-02-30). */
export function utc(year: number, month: number, day: number): number | null {
  if (year < 1 || year > 9999) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return null;
  }
  return d.getTime();
}

export function parse(value: unknown): Parsed | null {
  if (typeof value !== 'string') return null;
  let m = DATE.exec(value);
  if (m) {
    const ms = utc(Number(m[1]), Number(m[2]), Number(m[3]));
    return ms === null ? null : { kind: 'date', ms };
  }
  m = DATETIME.exec(value);
  if (!m) return null;
  const day = utc(Number(m[1]), Number(m[2]), Number(m[3]));
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (day === null || hour > 23 || minute > 59 || second > 59) return null;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let offset = 0;
  if (m[8] && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const digits = m[8].slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (oh > 23 || om > 59) return null;
    offset = sign * (oh * 60 + om) * 60_000;
  }
  const ms = day + ((hour * 60 + minute) * 60 + second) * 1000 + fraction - offset;
  const year = new Date(ms).getUTCFullYear();
  return year < 1 || year > 9999 ? null : { kind: 'datetime', ms };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function formatDatetime(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  return `${formatDate(ms)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

function render(p: Parsed): string | null {
  const year = new Date(p.ms).getUTCFullYear();
  if (!Number.isFinite(p.ms) || year < 1 || year > 9999) return null;
  return p.kind === 'date' ? formatDate(p.ms) : formatDatetime(p.ms);
}

/** The calendar date of `now` in `timeZone` (the server uses the clock's own zone). */
export function today(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function unitOf(value: unknown): string | null {
  return typeof value === 'string' ? (UNITS[value.toLowerCase()] ?? null) : null;
}

/** A count for date arithmetic: Number(value) truncated toward zero; null when not finite. */
export function whole(value: unknown): number | null {
  const n = Number(value);
  if (!Number.isFinite(n) || Math.abs(n) > 1e7) return null;
  return Math.trunc(n);
}

function addMonths(p: Parsed, months: number): Parsed | null {
  const d = new Date(p.ms);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  if (year < 1 || year > 9999) return null;
  const day = Math.min(new Date(p.ms).getUTCDate(), daysInMonth(year, month));
  const base = utc(year, month + 1, day);
  if (base === null) return null;
  const time = p.ms - Math.floor(p.ms / DAY) * DAY;
  return { kind: p.kind, ms: base + time };
}

function daysInMonth(year: number, monthIndex: number): number {
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return days[monthIndex];
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function add(value: unknown, amount: unknown, unit: unknown): string | null {
  const base = parse(value);
  const count = whole(amount);
  const name = unitOf(unit);
  if (base === null || count === null || name === null) return null;
  let result: Parsed | null;
  if (name === 'months' || name === 'quarters' || name === 'years') {
    result = addMonths(base, count * ({ months: 1, quarters: 3, years: 12 }[name] as number));
  } else if (name === 'hours' || name === 'minutes') {
    result = { kind: 'datetime', ms: base.ms + count * (name === 'hours' ? 3_600_000 : 60_000) };
  } else {
    result = { kind: base.kind, ms: base.ms + count * (name === 'weeks' ? 7 : 1) * DAY };
  }
  return result === null ? null : render(result);
}

function dayOf(p: Parsed): number {
  return Math.floor(p.ms / DAY) * DAY;
}

function monthsBetween(start: number, end: number): number {
  const a = new Date(start);
  const b = new Date(end);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (b.getUTCDate() < a.getUTCDate()) months -= 1;
  return months;
}

export function diff(start: unknown, end: unknown, unit: unknown): number | null {
  const a = parse(start);
  const b = parse(end);
  const name = unitOf(unit);
  if (a === null || b === null || name === null) return null;
  if (name === 'hours' || name === 'minutes') {
    return Math.trunc((b.ms - a.ms) / (name === 'hours' ? 3_600_000 : 60_000));
  }
  let [da, db] = [dayOf(a), dayOf(b)];
  if (name === 'days' || name === 'weeks') {
    const days = Math.round((db - da) / DAY);
    return name === 'days' ? days : Math.trunc(days / 7);
  }
  let sign = 1;
  if (db < da) [da, db, sign] = [db, da, -1];
  const size = ({ months: 1, quarters: 3, years: 12 } as Record<string, number>)[name];
  return sign * Math.floor(monthsBetween(da, db) / size);
}

export function part(value: unknown, name: 'year' | 'month' | 'day'): number | null {
  const p = parse(value);
  if (p === null) return null;
  const d = new Date(p.ms);
  if (name === 'year') return d.getUTCFullYear();
  return name === 'month' ? d.getUTCMonth() + 1 : d.getUTCDate();
}

/** Excel's WEEKDAY: type 1 Sunday=1 (default), 2 Monday=1, 3 Monday=0. */
export function weekday(value: unknown, returnType: unknown = 1): number | null {
  const p = parse(value);
  const kind = whole(returnType);
  if (p === null || (kind !== 1 && kind !== 2 && kind !== 3)) return null;
  const js = new Date(p.ms).getUTCDay();
  const iso = js === 0 ? 7 : js;
  if (kind === 1) return (iso % 7) + 1;
  return kind === 2 ? iso : iso - 1;
}

export function startOf(value: unknown, unit: unknown): string | null {
  const p = parse(value);
  const name = unitOf(unit);
  if (p === null || name === null) return null;
  const d = new Date(dayOf(p));
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  if (name === 'days' || name === 'hours' || name === 'minutes') return formatDate(d.getTime());
  if (name === 'weeks') {
    const back = (d.getUTCDay() + 6) % 7;
    return formatDate(d.getTime() - back * DAY);
  }
  if (name === 'months') return formatDate(utc(y, m + 1, 1) as number);
  if (name === 'quarters') return formatDate(utc(y, Math.floor(m / 3) * 3 + 1, 1) as number);
  return formatDate(utc(y, 1, 1) as number);
}

/** Excel's DATE(y, m, d): months and days roll over. */
export function makeDate(year: unknown, month: unknown, day: unknown): string | null {
  const [y, m, d] = [whole(year), whole(month), whole(day)];
  if (y === null || m === null || d === null || y < 1 || y > 9999) return null;
  const first = addMonths({ kind: 'date', ms: utc(y, 1, 1) as number }, m - 1);
  if (first === null) return null;
  return render({ kind: 'date', ms: first.ms + (d - 1) * DAY });
}

