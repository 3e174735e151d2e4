/**
 * A formula's raw result as the server stores and answers it: a port of engines/form/types
 * (Formula.compute -> the result type's normalise -> to_json), held to it by the shared cases in
 * engines/form/conformance/formula_results.json (formulaResults.test.ts): numbers are exact
 * decimals (Python's Decimal), dates and datetimes read as Python 3.11's fromisoformat (its C
 * implementation) reads them, text trimmed of Python's white space. Its own module: the live
 * formulas (formulas.ts) call one function of it.
 */
import type { FieldDef } from '../api/types';
import { DAY, formatDate, formatDatetime, utc } from '../expr/dates';
import { SERVER_TIME_ZONE } from './visibility';


/** A finite decimal: (-1)^neg × coef × 10^exp, as Python's Decimal keeps it (exponent too). */
interface Dec {
  neg: boolean;
  coef: bigint;
  exp: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
// str.isspace: what Python's strip() removes (JS trim() differs: \x1c-\x1f and \x85 are white
// space to Python, \ufeff is not)
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const pyStrip = (text: string) => text.replace(PY_STRIP, '');
const UNICODE_DIGIT = /\p{Nd}/u;

/** Decimal reads any Unicode decimal digit: they come in runs of ten, from 0 to 9. */
function asciiDigits(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return Array.from(text, (char) => {
    if (!UNICODE_DIGIT.test(char) || (char >= '0' && char <= '9')) return char;
    let start = char.codePointAt(0)!;
    while (UNICODE_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
    return String((char.codePointAt(0)! - start) % 10);
  }).join('');
}

/** Python's Decimal(text) after number.to_decimal's strip and comma drop; null: not a number. */
function parseDecimal(text: string): Dec | null {
  const m = DECIMAL.exec(pyStrip(asciiDigits(pyStrip(text).replaceAll(',', '').replaceAll('_', ''))));
  if (!m || (m[2] === '' && !m[3])) return null;
  const fraction = m[3] ?? '';
  return { neg: m[1] === '-', coef: BigInt(m[2] + fraction || '0'), exp: Number(m[4] ?? 0) - fraction.length };
}

/** to_decimal: a JSON number by its shortest form (Decimal(repr(x))), or text; not booleans. */
function toDecimal(value: unknown): Dec | null {
  if (typeof value === 'number') return Number.isFinite(value) ? parseDecimal(String(value)) : null;
  return typeof value === 'string' ? parseDecimal(value) : null;
}

const TEN = 10n;
const pow10 = (n: number) => TEN ** BigInt(n);

/** quantize(10^-places, ROUND_HALF_UP): half away from zero, on the decimal itself. */
function quantize(d: Dec, places: number): Dec {
  const shift = d.exp + places;
  if (shift >= 0) return { ...d, coef: d.coef * pow10(shift), exp: -places };
  const unit = pow10(-shift);
  const kept = d.coef / unit;
  return { ...d, coef: (d.coef % unit) * 2n >= unit ? kept + 1n : kept, exp: -places };
}

/** format(value, "f"): every digit, the exponent's places kept (1.50 stays 1.50). */
function fixed({ neg, coef, exp }: Dec): string {
  let digits = coef.toString();
  if (exp >= 0) digits += '0'.repeat(exp);
  else {
    digits = digits.padStart(1 - exp, '0');
    digits = `${digits.slice(0, exp)}.${digits.slice(exp)}`;
  }
  return neg ? `-${digits}` : digits;
}

/** The same number, whatever the exponent (Decimal's ==). */
function sameNumber(a: Dec, b: Dec): boolean {
  const norm = ({ neg, coef, exp }: Dec): string => {
    if (coef === 0n) return '0';
    while (coef % TEN === 0n) [coef, exp] = [coef / TEN, exp + 1];
    return `${neg ? '-' : ''}${coef}e${exp}`;
  };
  return norm(a) === norm(b);
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * decimal_to_json: a JSON number where it carries the value exactly (an integer orjson writes,
 * or a float whose shortest form is the decimal), else the decimal as a string.
 */
function decimalToJson(d: Dec): number | string {
  if (d.exp >= 0 || d.coef % pow10(-d.exp) === 0n) {
    const whole = d.exp >= 0 ? d.coef * pow10(d.exp) : d.coef / pow10(-d.exp);
    const signed = d.neg ? -whole : whole;
    return signed >= INT64_MIN && signed <= UINT64_MAX ? Number(signed) : fixed(d);
  }
  const number = Number(fixed(d));
  return sameNumber(parseDecimal(String(number))!, d) ? number : fixed(d);
}

/** NumericBase.normalise then to_json, for a formula (no min/max); null: refused. */
function numberResult(raw: unknown, precision: unknown): number | string | null {
  let d = toDecimal(raw);
  // SANITY_LIMIT (engines/form/types/number.py): 1e28 and past is refused
  if (d === null || (d.coef !== 0n && d.coef.toString().length - 1 + d.exp >= 28)) return null;
  if (typeof precision === 'number') d = quantize(d, precision);
  if (d.coef === 0n) d = { ...d, neg: false }; // no "-0"
  return decimalToJson(d);
}

// ---- dates: a port of CPython 3.11's _datetimemodule.c ISO parsing --------------------------

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** parse_digits: exactly `n` ASCII digits at `at`, or null. */
function digitsAt(text: string, at: number, n: number): number | null {
  const part = text.slice(at, at + n);
  return part.length === n && /^\d+$/.test(part) ? Number(part) : null;
}

/** iso_to_ymd: an ISO year, week and weekday as a day. */
function isoWeekDay(year: number, week: number, weekday: number): number | null {
  const jan1 = utc(year, 1, 1);
  if (jan1 === null || weekday < 1 || weekday > 7) return null;
  const first = new Date(jan1).getUTCDay(); // 0 Sunday .. 6 Saturday, as ymd_to_ord % 7
  const leap = utc(year, 2, 29) !== null;
  if (week < 1 || week > 53 || (week === 53 && !(first === 4 || (first === 3 && leap)))) return null;
  const jan4 = jan1 + 3 * DAY;
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  return monday1 + ((week - 1) * 7 + weekday - 1) * DAY;
}

/** parse_isoformat_date: the day `text` (its first `length` characters) names. */
function isoDate(text: string, length: number): number | null {
  const year = digitsAt(text, 0, 4);
  if (year === null) return null;
  const dash = text[4] === '-';
  let at = dash ? 5 : 4;
  if (text[at] === 'W') {
    const week = digitsAt(text, at + 1, 2);
    if (week === null) return null;
    at += 3;
    let weekday = 1;
    if (at < length) {
      if (dash && text[at++] !== '-') return null;
      const d = digitsAt(text, at, 1);
      if (d === null) return null;
      weekday = d;
    }
    const ms = isoWeekDay(year, week, weekday);
    return ms !== null && new Date(ms).getUTCFullYear() <= 9999 ? ms : null;
  }
  const month = digitsAt(text, at, 2);
  at += 2;
  if (month === null || (dash && text[at++] !== '-')) return null;
  const day = digitsAt(text, at, 2);
  return day === null ? null : utc(year, month, day);
}

/** date.fromisoformat: lengths 7, 8 and 10 only. */
function dateOf(text: string): number | null {
  return [7, 8, 10].includes(text.length) ? isoDate(text, text.length) : null;
}

/** _find_isoformat_datetime_separator: where the date part ends. */
function dateEnd(text: string): number | null {
  const n = text.length;
  if (n === 7) return 7;
  if (text[4] === '-') {
    if (text[5] !== 'W') return 10;
    if (n < 8) return null;
    if (n > 8 && text[8] === '-') {
      if (n === 9) return null;
      return n > 10 && isDigit(text[10]) ? 8 : 10;
    }
    return 8;
  }
  if (text[4] !== 'W') return 8;
  let at = 7;
  while (at < n && isDigit(text[at])) at += 1;
  if (at < 9) return at;
  return at % 2 === 0 ? 7 : 8;
}

/**
 * parse_hh_mm_ss_ff: HH[:MM[:SS[{.,}f…]]] (or without the colons) as [h, m, s, µs], and
 * whether characters are left over (the C code's return 1); null: malformed.
 */
function clock(text: string): { parts: [number, number, number, number]; rest: boolean } | null {
  const parts: [number, number, number, number] = [0, 0, 0, 0];
  let at = 0;
  let colons = true;
  for (let i = 0; i < 3; i += 1) {
    const value = digitsAt(text, at, 2);
    if (value === null) return null;
    parts[i] = value;
    at += 2;
    const c = text[at++]; // undefined: the end ('\0' in C)
    if (i === 0) colons = c === ':';
    if (at >= text.length) return { parts, rest: c !== undefined };
    if (colons && c === ':') continue;
    if (c === '.' || c === ',') break;
    if (!colons) at -= 1;
    else return null;
  }
  const take = Math.min(text.length - at, 6);
  const fraction = digitsAt(text, at, take);
  if (fraction === null) return null;
  parts[3] = fraction * 10 ** (6 - take);
  at += take;
  while (isDigit(text[at])) at += 1;
  return { parts, rest: at < text.length };
}

/** parse_isoformat_time: the time of day and the offset (µs east of UTC; null: none). */
function timeOf(text: string): { parts: [number, number, number, number]; offset: number | null } | null {
  let zone = 0;
  while (zone < text.length && !'Z+-'.includes(text[zone])) zone += 1;
  const time = clock(text.slice(0, zone));
  if (time === null) return null;
  if (zone === text.length) return time.rest ? null : { parts: time.parts, offset: null };
  if (text[zone] === 'Z') return zone + 1 === text.length ? { parts: time.parts, offset: 0 } : null;
  const tz = clock(text.slice(zone + 1));
  if (tz === null || tz.rest) return null;
  const [h, m, s, us] = tz.parts;
  const seconds = (h * 60 + m) * 60 + s;
  // tzinfo_from_isoformat_results: an offset of 0 whole seconds is UTC, its microseconds lost
  const offset = seconds === 0 ? 0 : (text[zone] === '-' ? -1 : 1) * (seconds * 1e6 + us);
  return Math.abs(offset) < DAY * 1000 ? { parts: time.parts, offset } : null;
}

const zoneFormat = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at the instant `ms`, in milliseconds. */
function zoneOffset(ms: number, timeZone: string): number {
  let format = zoneFormat.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    zoneFormat.set(timeZone, format);
  }
  const get: Record<string, string> = {};
  for (const part of format.formatToParts(ms)) get[part.type] = part.value;
  const year = get.era === 'BC' || get.era === 'B' ? 1 - Number(get.year) : Number(get.year);
  const d = new Date(0);
  d.setUTCFullYear(year, Number(get.month) - 1, Number(get.day));
  d.setUTCHours(Number(get.hour), Number(get.minute), Number(get.second));
  return d.getTime() - Math.floor(ms / 1000) * 1000;
}

/**
 * A wall time in `timeZone` as an instant, as zoneinfo reads it with fold=0: in a repeated
 * hour the first one, in a skipped hour the offset from before the change.
 */
function fromWallTime(wall: number, timeZone: string): number {
  const before = zoneOffset(wall - DAY, timeZone);
  const after = zoneOffset(wall + DAY, timeZone);
  const fits = [before, after].filter((offset) => zoneOffset(wall - offset, timeZone) === offset);
  return wall - (fits.length > 0 ? Math.max(...fits) : before);
}

/** DateTime.normalise then to_json: the instant in UTC, `…Z`, microseconds when any. */
function datetimeResult(text: string): string | null {
  const end = text.length < 7 ? null : dateEnd(text);
  if (end === null) return null;
  const day = isoDate(text.slice(0, end), end);
  if (day === null) return null;
  let parts: [number, number, number, number] = [0, 0, 0, 0];
  let offset: number | null = null;
  if (text.length > end) {
    const time = timeOf(text.slice(end + (text.codePointAt(end)! > 0xffff ? 2 : 1)));
    if (time === null) return null;
    ({ parts, offset } = time);
  }
  const [h, m, s, us] = parts;
  if (h > 23 || m > 59 || s > 59) return null;
  const wall = day + ((h * 60 + m) * 60 + s) * 1000;
  // the instant in whole milliseconds and the microseconds past them (a Date holds ms only)
  const micros = us - ((offset ?? 0) % 1000);
  const ms = (offset === null ? fromWallTime(wall, SERVER_TIME_ZONE) : wall - Math.trunc(offset / 1000)) + Math.floor(micros / 1000);
  const second = Math.floor(ms / 1000) * 1000;
  const fraction = (ms - second) * 1000 + (((micros % 1000) + 1000) % 1000);
  const year = new Date(second).getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999) return null; // OverflowError on the server
  return `${formatDatetime(second).slice(0, -1)}${fraction ? `.${String(fraction).padStart(6, '0')}` : ''}Z`;
}

/**
 * What the server stores of a formula's raw result, as the API answers it (JSON): normalised
 * by the `result_type`, `precision` rounding half away from zero on the exact decimal; a number
 * a double would change is a decimal string, as the server gives it. A result that does not
 * fit the type is a formula error on the server (the save is refused); here it is null.
 */
export function formulaResult(field: FieldDef, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  const type = typeof field.result_type === 'string' ? field.result_type : 'number';
  switch (type) {
    case 'number':
      return raw === '' ? null : numberResult(raw, field.precision);
    case 'text': {
      if (typeof raw !== 'string' || raw.includes('\0')) return null;
      const text = pyStrip(raw);
      return text === '' || /[\r\n]/.test(text) ? null : text;
    }
    case 'date': {
      if (typeof raw !== 'string' || raw === '') return null;
      const day = dateOf(pyStrip(raw));
      return day === null ? null : formatDate(day);
    }
    case 'datetime':
      return typeof raw === 'string' && raw !== '' ? datetimeResult(pyStrip(raw)) : null;
    case 'checkbox':
      return typeof raw === 'boolean' ? raw : null;
    default:
      return null;
  }
}
