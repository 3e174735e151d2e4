/**
 * Formula fields computed in the browser as the user types, with the server's semantics
 * (engines/form/record.py): the same trees (the server's parse of each formula text, from the
 * app answer's `formula_trees`), the same order (sub-form rows first, each row over the record
 * around it; then the record's formulas, each after the formulas it reads), the same inputs
 * (API-shaped values) and the same result conversion (engines/form/types: a formula's
 * `result_type` normalises what the expression gave; what does not fit is null). The server
 * stays authoritative: it computes again on save, and the saved record replaces these values.
 */
import { useCallback, useMemo, useRef } from 'react';
import type { FormInstance } from 'antd';
import type { FieldDef } from '../api/types';
import { formatDate, formatDatetime } from '../expr/dates';
import { isEditable, toApi, toForm } from '../fields/registry';
import type { NamePath } from './serverErrors';
import { defaultFormulaTree } from './values';
import { SERVER_TIME_ZONE, topKeysRead, type Evaluate } from './visibility';

type Values = Record<string, unknown>;
type Row = Record<string, unknown>;

/** `{formula text: tree}` as `GET /apps/{app}` and `GET /public/{token}` carry them. */
export type FormulaTrees = Record<string, unknown>;

/** The field properties that hold expressions (engines/form: formula, defaults, conditions). */
const EXPRESSION_PROPS = ['formula', 'default_formula', 'visible_when', 'editable_when', 'required_when'] as const;

function resolveField(field: FieldDef, trees: FormulaTrees): FieldDef {
  let out: Record<string, unknown> | null = null;
  for (const prop of EXPRESSION_PROPS) {
    const text = field[prop];
    if (typeof text !== 'string') continue;
    out ??= { ...field };
    // text without a tree (it did not parse on the server): no condition, no default, not
    // computed here; the server decides, as it always did
    if (Object.hasOwn(trees, text)) out[prop] = trees[text];
    else if (prop !== 'formula') delete out[prop];
  }
  const inner = field.fields?.map((sub) => resolveField(sub, trees));
  if (inner && inner.some((sub, i) => sub !== field.fields![i])) (out ??= { ...field }).fields = inner;
  return (out as FieldDef | null) ?? field;
}

/**
 * The fields with each expression written as formula text replaced by its tree (sub-form rows'
 * too), so conditions, defaults and formulas all evaluate through the browser's expression
 * module; fields without text stay the same objects. A formula text without a tree stays text
 * (the field is then shown as the record has it); a condition or default without one is dropped.
 */
export function withTrees(fields: FieldDef[], trees: FormulaTrees | undefined): FieldDef[] {
  if (!trees) return fields;
  const out = fields.map((field) => resolveField(field, trees));
  return out.some((field, i) => field !== fields[i]) ? out : fields;
}

/** A formula field this browser can evaluate: its formula is a tree (withTrees). */
export function computesHere(field: FieldDef): boolean {
  const formula: unknown = field.formula; // a tree once withTrees has resolved its text
  return field.type === 'formula' && formula != null && typeof formula !== 'string';
}

/** Types whose values come from other records (read on every load, never stored). */
const READ_THROUGH = new Set(['lookup', 'rollup']);

interface Live {
  field: FieldDef;
  tree: unknown;
  /** the top-level keys it reads (`lines.amount` reads `lines`) */
  reads: string[];
}

interface RowPlan {
  field: FieldDef;
  /** the row's formulas, in the server's order */
  formulas: Live[];
  /**
   * the row's `default_formula`s that read the record around the row, in field order: a new
   * row takes them here (defaultValues, which makes the row, sees the row alone)
   */
  defaults: Live[];
  /** the record's keys they read (a row formula may read the record's input fields) */
  outer: string[];
}

/** What the form computes live, worked out once per form definition. */
export interface FormulaPlan {
  /** the record's formulas, each after the formulas it reads */
  record: Live[];
  /** sub-forms whose rows have formulas */
  rows: RowPlan[];
  /** the top-level keys whose change means computing again */
  inputs: string[];
  /** the form's fields by key */
  byKey: Map<string, FieldDef>;
}

/**
 * Formulas in dependency order, as engines/form/record.py compute_order: in definition order,
 * each after the formulas it reads (a cycle, refused when publishing, just stops the walk).
 */
function ordered(formulas: Live[]): Live[] {
  const byKey = new Map(formulas.map((live) => [live.field.key, live]));
  const state = new Map<string, number>();
  const out: Live[] = [];
  const visit = (live: Live) => {
    if (state.has(live.field.key)) return;
    state.set(live.field.key, 1);
    for (const key of live.reads) {
      const dep = byKey.get(key);
      if (dep) visit(dep);
    }
    out.push(live);
  };
  formulas.forEach(visit);
  return out;
}

/**
 * The candidates among `fields` (formula trees whose reads are known), before dropping the
 * ones that read what the browser doesn't have.
 */
function candidates(fields: FieldDef[]): Live[] {
  const out: Live[] = [];
  for (const field of fields) {
    if (!computesHere(field)) continue;
    const reads = topKeysRead(field.formula);
    if (reads) out.push({ field, tree: field.formula, reads });
  }
  return out;
}

/**
 * A sub-form's input fields whose `default_formula` (a tree: withTrees) reads the record
 * around the row. The server gives a new row's defaults the record's input fields, then the
 * row's own values (engines/form record.py: a row is validated with the record's view as
 * `outer`, and `_defaults` evaluates over it); a literal `default` comes first, as there.
 */
function rowDefaults(fields: FieldDef[], own: Set<string>): Live[] {
  const out: Live[] = [];
  for (const field of fields) {
    const tree = field.default == null && isEditable(field) ? defaultFormulaTree(field.default_formula) : null;
    const reads = tree == null ? null : topKeysRead(tree);
    if (reads?.some((key) => !own.has(key))) out.push({ field, tree, reads });
  }
  return out;
}

/**
 * Which formulas the form computes: those whose inputs the browser has. A formula that reads a
 * field the caller can't see (not in the form), or, on a new record, a value shown from other
 * records (lookup, rollup: the server fills those on save) is left as the record has it; so is
 * one that reads such a formula. Row formulas read the row and the record's input fields.
 */
export function formulaPlan(fields: FieldDef[], { creating }: { creating: boolean }): FormulaPlan {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const known = (key: string) => {
    const field = byKey.get(key);
    if (!field) return !creating && key.startsWith('_'); // system fields come with the record
    return !(creating && READ_THROUGH.has(field.type));
  };
  const record: Live[] = [];
  const live = new Set<string>();
  const all = ordered(candidates(fields));
  const computed = new Set(all.map((f) => f.field.key));
  for (const formula of all) {
    const ok = formula.reads.every((key) => known(key) && (!computed.has(key) || live.has(key)));
    if (!ok) continue;
    record.push(formula);
    live.add(formula.field.key);
  }
  const rows: RowPlan[] = [];
  for (const field of fields) {
    if (field.type !== 'subform' || !field.fields) continue;
    const own = new Set(field.fields.map((sub) => sub.key));
    const formulas = ordered(candidates(field.fields)).filter((f) =>
      f.reads.every((key) => {
        const sub = field.fields!.find((s) => s.key === key);
        return sub ? !(creating && READ_THROUGH.has(sub.type)) : true;
      }),
    );
    const defaults = rowDefaults(field.fields, own);
    if (formulas.length === 0 && defaults.length === 0) continue;
    const reads = [...formulas, ...defaults].flatMap((f) => f.reads);
    const outer = [...new Set(reads.filter((key) => !own.has(key) && byKey.has(key)))];
    rows.push({ field, formulas, defaults, outer });
  }
  const inputs = new Set<string>();
  for (const formula of record) formula.reads.forEach((key) => inputs.add(key));
  for (const plan of rows) {
    inputs.add(plan.field.key);
    plan.outer.forEach((key) => inputs.add(key));
  }
  return { record, rows, inputs: [...inputs], byKey };
}

// ---- a formula's raw result as the server stores and answers it -------------------------
// A port of engines/form/types (Formula.compute -> the result type's normalise -> to_json),
// held to it by the shared cases in engines/form/conformance/formula_results.json: numbers are
// exact decimals (Python's Decimal), dates and datetimes read as Python 3.11's fromisoformat
// (its C implementation) reads them, text trimmed of Python's white space.


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

const DAY_MS = 86_400_000;

/** Epoch milliseconds of a calendar day (any year, no two-digit year mapping); null: no such day. */
function dayMs(year: number, month: number, day: number): number | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCMonth() === month - 1 ? d.getTime() : null;
}

/** iso_to_ymd: an ISO year, week and weekday as a day. */
function isoWeekDay(year: number, week: number, weekday: number): number | null {
  const jan1 = dayMs(year, 1, 1);
  if (jan1 === null || weekday < 1 || weekday > 7) return null;
  const first = new Date(jan1).getUTCDay(); // 0 Sunday .. 6 Saturday, as ymd_to_ord % 7
  const leap = dayMs(year, 2, 29) !== null;
  if (week < 1 || week > 53 || (week === 53 && !(first === 4 || (first === 3 && leap)))) return null;
  const jan4 = jan1 + 3 * DAY_MS;
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  return monday1 + ((week - 1) * 7 + weekday - 1) * DAY_MS;
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
  return day === null ? null : dayMs(year, month, day);
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
  return Math.abs(offset) < DAY_MS * 1000 ? { parts: time.parts, offset } : null;
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
  const before = zoneOffset(wall - DAY_MS, timeZone);
  const after = zoneOffset(wall + DAY_MS, timeZone);
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

function run(formula: Live, view: Values, evaluate: Evaluate): unknown {
  return formulaResult(formula.field, evaluated(formula.tree, view, evaluate));
}

/** An expression's value; null when it fails (as the server: a formula stores null, a default is left out). */
function evaluated(tree: unknown, view: Values, evaluate: Evaluate): unknown {
  try {
    return evaluate(tree, view);
  } catch {
    return null;
  }
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** One value of the form (editor shape) as expressions read it (API shape). */
function apiValue(field: FieldDef, value: unknown): unknown {
  if (field.type === 'subform') return apiRows(field, value);
  return isEditable(field) ? toApi(field, value) : (value ?? null);
}

/** A sub-form's rows as the record's formulas read them: input and computed cells. */
function apiRows(field: FieldDef, rows: unknown): Row[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((row: Row | undefined) => apiRow(field, row ?? {}));
}

function apiRow(field: FieldDef, row: Row): Row {
  const out: Row = {};
  if (row._id) out._id = row._id;
  for (const sub of field.fields ?? []) out[sub.key] = apiValue(sub, row[sub.key]);
  return out;
}

/**
 * The record a sub-form row's expressions see around it (engines/form record_view): the
 * record's input fields, not its computed ones nor other sub-forms.
 */
function outerView(byKey: Map<string, FieldDef>, keys: string[], values: Values): Values {
  const out: Values = {};
  for (const key of keys) {
    const field = byKey.get(key);
    if (field && isEditable(field) && field.type !== 'subform') out[key] = toApi(field, values[key]);
  }
  return out;
}

/** A value the form holds for `name`, and the one to write there. */
export type Write = [NamePath, unknown];

/**
 * The formula values to write into the form after a change from `previous` to `next` (both the
 * form's values; `previous` null: compute everything, as on a new record). Only formulas whose
 * inputs changed are computed: a keystroke in a field no formula reads costs one comparison per
 * input. `record` supplies what the form doesn't hold (system fields). Writes are only for
 * values that differ from what the form holds.
 */
export function formulaWrites(
  plan: FormulaPlan,
  next: Values,
  previous: Values | null,
  evaluate: Evaluate,
  record?: Values,
): Write[] {
  const all = previous === null; // everything, even formulas that read no field (TODAY())
  const changed = new Set(plan.inputs.filter((key) => all || next[key] !== previous[key]));
  if (changed.size === 0 && !all) return [];
  const writes: Write[] = [];
  // 1. sub-form rows, each over the record's input fields (they are computed before the record's)
  const rowsNow: Record<string, Row[]> = {};
  for (const { field, formulas, defaults, outer } of plan.rows) {
    const rows = next[field.key];
    const before = previous?.[field.key];
    const outerChanged = outer.some((key) => changed.has(key));
    if (!Array.isArray(rows) || (!all && !changed.has(field.key) && !outerChanged)) continue;
    const around = outerView(plan.byKey, outer, next);
    rows.forEach((row: Row | undefined, index) => {
      const was = Array.isArray(before) ? before[index] : undefined;
      if (!all && !outerChanged && was === row) return;
      const view: Values = { ...around, ...apiRow(field, row ?? {}) };
      // a row just added (not saved): its defaults that read the record, before its formulas
      if (was === undefined && !row?._id) {
        for (const { field: sub, tree } of defaults) {
          const held = row?.[sub.key];
          if (held != null && held !== '') continue; // given already (defaultValues leaves an empty default out)
          const value = evaluated(tree, view, evaluate);
          if (value == null) continue;
          view[sub.key] = value;
          writes.push([[field.key, index, sub.key], toForm(sub, value)]);
          (rowsNow[field.key] ??= apiRows(field, rows))[index][sub.key] = value;
          changed.add(field.key);
        }
      }
      for (const formula of formulas) {
        const value = run(formula, view, evaluate);
        view[formula.field.key] = value;
        if (!same(value, row?.[formula.field.key])) {
          writes.push([[field.key, index, formula.field.key], value]);
          (rowsNow[field.key] ??= apiRows(field, rows))[index][formula.field.key] = value;
          changed.add(field.key);
        }
      }
    });
  }
  // 2. the record's formulas, each after those it reads
  // only the keys formulas read (they read no others: formulaPlan leaves out those that might)
  const view: Values = {};
  const fresh = new Set<string>(); // computed in this pass: the form doesn't hold them yet
  for (const formula of plan.record) {
    if (!all && !formula.reads.some((key) => changed.has(key))) continue;
    for (const key of formula.reads) {
      if (fresh.has(key)) continue;
      const field = plan.byKey.get(key);
      if (key in rowsNow) view[key] = rowsNow[key];
      else if (field) view[key] = apiValue(field, next[key]);
      else view[key] = record?.[key] ?? null; // a system field, as the record has it
    }
    const value = run(formula, view, evaluate);
    view[formula.field.key] = value;
    fresh.add(formula.field.key);
    if (!same(value, next[formula.field.key])) {
      writes.push([[formula.field.key], value]);
      changed.add(formula.field.key);
    }
  }
  return writes;
}

/** `values` with the writes applied (for a new record's first values, before the form holds them). */
export function withWrites(values: Values, writes: Write[]): Values {
  const out: Values = { ...values };
  for (const [name, value] of writes) {
    if (name.length === 1) {
      out[name[0] as string] = value;
      continue;
    }
    const [key, index, sub] = name as [string, number, string];
    const rows = [...(out[key] as Row[])];
    rows[index] = { ...rows[index], [sub]: value };
    out[key] = rows;
  }
  return out;
}

/** The form's first values on a new record: its defaults with every formula computed over them. */
export function withFirstFormulas(fields: FieldDef[], values: Values, evaluate: Evaluate | null): Values {
  if (!evaluate) return values;
  const plan = formulaPlan(fields, { creating: true });
  return withWrites(values, formulaWrites(plan, values, null, evaluate));
}

/**
 * Follows the form's values (call the returned function from a StoreWatch listener) and writes
 * the formulas whose inputs changed back into the form, where their fields show them. Cheap on
 * a keystroke no formula reads (a comparison per input key); otherwise the computing waits for
 * the end of the current task (a microtask), so one edit, or a burst of them (a draft restored),
 * computes once, from the form's values as they then are. Its own writes are not followed.
 */
export function useLiveFormulas(form: FormInstance, fields: FieldDef[], record: Values | undefined, evaluate: Evaluate | null) {
  const plan = useMemo(() => formulaPlan(fields, { creating: record === undefined }), [fields, record]);
  const state = useRef<{ since: Values | null; writing: boolean }>({ since: null, writing: false });
  return useCallback(
    (next: Values, previous: Values) => {
      const own = state.current;
      if (!evaluate || own.writing || own.since !== null || plan.inputs.length === 0) return;
      if (!plan.inputs.some((key) => next[key] !== previous[key])) return;
      own.since = previous;
      queueMicrotask(() => {
        const since = own.since;
        own.since = null;
        // the store itself, not a copy (getFieldsValue(true) returns it)
        const now = form.getFieldsValue(true) as Values;
        const writes = formulaWrites(plan, now, since, evaluate, record);
        if (writes.length === 0) return;
        own.writing = true;
        try {
          form.setFields(writes.map(([name, value]) => ({ name, value })));
        } finally {
          own.writing = false;
        }
      });
    },
    [form, plan, record, evaluate],
  );
}
