// Tessera's expression language in the browser: json-logic-js for the JsonLogic core, plus the
// same extensions and the same departures as the Python evaluator (engines/rules/expr), so live
// form behaviour (visibility, required, formulas, defaults) matches the server exactly.
// Every case of engines/rules/conformance/cases.json must give the same result here.
//
// Departures from plain json-logic-js (the same in Python and SQL; docs/expressions.md):
// - division or modulo by zero gives null (not Infinity/NaN);
// - `var` reads only a value's own keys, never a prototype member (`{"var": "constructor"}`);
// - `missing`/`missing_some` read odd keys as paths instead of throwing (a single non-array
//   list of options is a list of one);
// - expressions are validated first: unknown operators (including json-logic-js's `method`
//   and `log`), wrong arity, depth > 64 and more than 5000 nodes raise ExpressionError;
// - results are plain JSON: NaN and Infinity become null.
// Note: json-logic-js keeps one global operator table; this module installs its operators
// there, so the whole app shares one definition of the language.
import * as jsonLogicModule from 'json-logic-js';

import * as dates from './dates';
import { search } from './regex';
import { formatValue } from './textformat';
import {
  chars,
  exportValue,
  getPath,
  isNumber,
  jsInteger,
  roundDecimal,
  textOf,
  truthy,
  type Json,
} from './values';

export { fieldsRead } from './fields';
export { truthy, type Json };

type JsonLogic = typeof jsonLogicModule;
const jsonLogic: JsonLogic =
  (jsonLogicModule as unknown as { default?: JsonLogic }).default ?? jsonLogicModule;

export const MAX_DEPTH = 64;
export const MAX_NODES = 5000;
const MAX_STRING = 100_000;

/** Operator name -> [min, max] arguments (max null: any). Equal to the Python registry. */
export const OPERATORS: Record<string, [number, number | null]> = {
  '!': [1, 1], '!!': [1, 1], '!=': [2, 2], '!==': [2, 2], '%': [2, 2], '*': [1, null],
  '+': [0, null], '-': [1, 2], '/': [2, 2], '<': [2, 3], '<=': [2, 3], '==': [2, 2],
  '===': [2, 2], '>': [2, 2], '>=': [2, 2], '?:': [0, null], abs: [1, 1], all: [2, 2],
  and: [1, null], avg: [1, 2], cat: [0, null], ceil: [1, 2], coalesce: [1, null],
  contains: [2, 2], count: [1, 2], date: [3, 3], date_add: [3, 3], date_diff: [3, 3],
  day: [1, 1], ends_with: [2, 2], filter: [2, 2], floor: [1, 2], if: [0, null], in: [2, 2],
  is_empty: [1, 1], left: [1, 2], length: [1, 1], lower: [1, 1], map: [2, 2], max: [0, null],
  max_of: [1, 2], merge: [0, null], mid: [3, 3], min: [0, null], min_of: [1, 2],
  missing: [0, null], missing_some: [2, 2], mod: [2, 2], month: [1, 1], none: [2, 2],
  now: [0, 0], or: [1, null], power: [2, 2], reduce: [2, 3], regex_match: [2, 2],
  right: [1, 2], round: [1, 2], some: [2, 2], start_of: [2, 2], starts_with: [2, 2],
  substr: [2, 3], sum: [1, 2], switch: [3, null], text: [1, 2], to_number: [1, 1],
  today: [0, 0], trim: [1, 1], upper: [1, 1], var: [0, 2], weekday: [1, 2], year: [1, 1],
};

export type PathItem = string | number;

export class ExpressionError extends Error {
  readonly path: PathItem[];

  constructor(message: string, path: PathItem[] = []) {
    super(`at ${formatPath(path)}: ${message}`);
    this.name = 'ExpressionError';
    this.path = path;
  }
}

export function formatPath(path: PathItem[]): string {
  if (path.length === 0) return '$';
  let out = '';
  for (const item of path) {
    out += typeof item === 'number' ? `[${item}]` : out ? `.${item}` : item;
  }
  return out;
}

function arityError(name: string, count: number): string | null {
  const [low, high] = OPERATORS[name];
  if (count >= low && (high === null || count <= high)) return null;
  const expected = high === null ? `at least ${low}` : low === high ? `${low}` : `${low} to ${high}`;
  return `'${name}' takes ${expected} argument(s), got ${count}`;
}

/** Throw ExpressionError for the first structural problem (no recursion: any depth is safe). */
export function validate(expr: unknown): void {
  const stack: [unknown, PathItem[], number][] = [[expr, [], 1]];
  let count = 0;
  while (stack.length) {
    const [node, path, depth] = stack.pop() as [unknown, PathItem[], number];
    count += 1;
    if (count > MAX_NODES) {
      throw new ExpressionError(`expression too large (more than ${MAX_NODES} nodes)`, path);
    }
    if (depth > MAX_DEPTH) {
      throw new ExpressionError(
        `expression nested too deeply (more than ${MAX_DEPTH} levels)`, path);
    }
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) stack.push([node[i], [...path, i], depth + 1]);
    } else if (typeof node === 'object' && node !== null) {
      const keys = Object.keys(node);
      if (keys.length !== 1) {
        throw new ExpressionError(
          `an operator node has exactly one key, this one has ${keys.length}`, path);
      }
      const name = keys[0];
      if (!Object.prototype.hasOwnProperty.call(OPERATORS, name)) {
        throw new ExpressionError(`unknown operator '${name}'`, path);
      }
      const raw = (node as Record<string, unknown>)[name];
      const args = Array.isArray(raw) ? raw : [raw];
      const problem = arityError(name, args.length);
      if (problem) throw new ExpressionError(problem, path);
      for (let i = args.length - 1; i >= 0; i -= 1) {
        stack.push([args[i], [...path, name, i], depth + 1]);
      }
    } else if (typeof node === 'string') {
      if (node.length > MAX_STRING) {
        throw new ExpressionError(`text literal longer than ${MAX_STRING} characters`, path);
      }
    } else if (typeof node === 'number') {
      if (!Number.isFinite(node)) throw new ExpressionError('NaN and Infinity are not JSON values', path);
    } else if (node !== null && typeof node !== 'boolean') {
      throw new ExpressionError(`${typeof node} is not a JSON value`, path);
    }
  }
}

// --- the clock ---------------------------------------------------------------------------

export interface EvaluateOptions {
  /** The current time (a Date, an ISO string, or a function returning a Date). */
  now?: Date | string | (() => Date);
  /** The time zone whose calendar date is `today` (the tenant's); UTC by default. */
  timeZone?: string;
}

let clock: { now: () => Date; timeZone: string } = { now: () => new Date(), timeZone: 'UTC' };

function clockOf(options: EvaluateOptions): { now: () => Date; timeZone: string } {
  const { now, timeZone = 'UTC' } = options;
  if (now === undefined) return { now: () => new Date(), timeZone };
  if (typeof now === 'function') return { now, timeZone };
  const fixed = typeof now === 'string' ? new Date(now) : now;
  return { now: () => fixed, timeZone };
}

/**
 * Evaluate `expr` on `data` (a record: field key -> value). Throws ExpressionError only for a
 * malformed expression; data never makes it throw. The result is plain JSON.
 */
export function evaluate(expr: unknown, data: unknown = null, options: EvaluateOptions = {}): Json {
  validate(expr);
  const previous = clock;
  clock = clockOf(options);
  try {
    return exportValue(jsonLogic.apply(expr as never, data));
  } finally {
    clock = previous;
  }
}

// --- the operators json-logic-js does not have, or has differently -------------------------

/** Exponentiation by squaring, the same multiplications as engines/rules/expr/operators.py. */
function integerPower(base: number, exponent: number): number | null {
  let result = 1;
  let k = Math.abs(exponent);
  while (k) {
    if (k % 2) result *= base;
    base *= base;
    k = Math.floor(k / 2);
  }
  if (exponent < 0) result = result === 0 ? Infinity : 1 / result;
  return Number.isFinite(result) ? result : null;
}

/** json-logic's `missing`, total: never throws on odd keys (they are read as paths). */
function missingKeys(args: unknown[], data: unknown): unknown[] {
  const keys = args.length && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return keys.filter((key) => {
    const value = getPath(data, key);
    return value === null || value === '';
  });
}

function columnValues(rows: unknown, column?: unknown): unknown[] {
  const list = Array.isArray(rows) ? rows : rows === null || rows === undefined ? [] : [rows];
  if (column === undefined) return list;
  const key = String(column);
  return list.map((row) =>
    typeof row === 'object' && row !== null && !Array.isArray(row) ? getPath(row, key) : null,
  );
}

function numbersOf(rows: unknown, column?: unknown): number[] {
  return columnValues(rows, column).filter((v): v is number => isNumber(v) && !Number.isNaN(v));
}

function sum(numbers: number[]): number {
  let total = 0;
  for (const n of numbers) total += n;
  return total;
}

function countOf(value: unknown): number | null {
  const n = Number(value);
  if (Number.isNaN(n)) return null;
  if (!Number.isFinite(n)) return n > 0 ? 1e9 : 0;
  return Math.max(0, Math.trunc(Math.min(n, 1e9)));
}

function numeric(fn: (x: number, places: number) => number) {
  return (value: unknown, digits: unknown = 0) => {
    const places = jsInteger(digits ?? 0);
    const r = fn(Number(value), places);
    return Number.isNaN(r) ? null : r;
  };
}

const EXTENSIONS: Record<string, (this: unknown, ...args: any[]) => unknown> = {
  var(this: unknown, key: unknown, notFound: unknown) {
    return getPath(this, key, notFound === undefined ? null : notFound);
  },
  missing(this: unknown, ...args: unknown[]) {
    return missingKeys(args, this);
  },
  missing_some(this: unknown, need: unknown, options: unknown) {
    const list = Array.isArray(options) ? options : [options];
    const missing = missingKeys([list], this);
    return (list.length - missing.length) >= (need as number) ? [] : missing;
  },
  '/': (a: unknown, b: unknown) => (Number(b) === 0 ? null : Number(a) / Number(b)),
  '%': (a: unknown, b: unknown) => (Number(b) === 0 ? null : (a as number) % (b as number)),
  coalesce: (...args: unknown[]) => args.find((v) => v !== null && v !== undefined) ?? null,
  switch: (value: unknown, ...rest: unknown[]) => {
    let i = 0;
    for (; i < rest.length - 1; i += 2) if (value === rest[i]) return rest[i + 1];
    return rest.length === i + 1 ? rest[i] : null;
  },
  is_empty: (v: unknown) =>
    v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0),
  // strings
  length: (v: unknown) => (Array.isArray(v) ? v.length : chars(textOf(v)).length),
  left: (t: unknown, n: unknown = 1) => {
    const count = countOf(n);
    return count === null ? null : chars(textOf(t)).slice(0, count).join('');
  },
  right: (t: unknown, n: unknown = 1) => {
    const count = countOf(n);
    if (count === null) return null;
    const c = chars(textOf(t));
    return count ? c.slice(Math.max(c.length - count, 0)).join('') : '';
  },
  mid: (t: unknown, start: unknown, n: unknown) => {
    const [s, count] = [countOf(start), countOf(n)];
    if (s === null || count === null || s < 1) return null;
    return chars(textOf(t)).slice(s - 1, s - 1 + count).join('');
  },
  upper: (t: unknown) => textOf(t).toUpperCase(),
  lower: (t: unknown) => textOf(t).toLowerCase(),
  trim: (t: unknown) => textOf(t).trim(),
  contains: (t: unknown, s: unknown) => textOf(t).includes(textOf(s)),
  starts_with: (t: unknown, s: unknown) => textOf(t).startsWith(textOf(s)),
  ends_with: (t: unknown, s: unknown) => textOf(t).endsWith(textOf(s)),
  regex_match: (t: unknown, p: unknown) => (typeof p === 'string' ? search(p, textOf(t)) : null),
  text: (...args: unknown[]) => (args.length === 1 ? textOf(args[0]) : formatValue(args[0], args[1])),
  to_number: (v: unknown) => {
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return null;
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  },
  // numbers
  round: numeric((x, p) => roundDecimal(x, p, 'half')),
  floor: numeric((x, p) => roundDecimal(x, p, 'floor')),
  ceil: numeric((x, p) => roundDecimal(x, p, 'ceil')),
  abs: (x: unknown) => Math.abs(Number(x)),
  mod: (a: unknown, b: unknown) => {
    const [x, y] = [Number(a), Number(b)];
    if (y === 0 || !Number.isFinite(x) || !Number.isFinite(y)) return null;
    return x - y * Math.floor(x / y);
  },
  power: (a: unknown, b: unknown) => {
    const [x, y] = [Number(a), Number(b)];
    if (y !== 0 && !Number.isNaN(x) && Number.isInteger(y) && Math.abs(y) <= 2 ** 31) {
      return integerPower(x, y);
    }
    const r = x ** y;
    if (Number.isNaN(r)) return x < 0 && Number.isFinite(y) && !Number.isInteger(y) ? null : NaN;
    return Number.isFinite(r) ? r : null;
  },
  // aggregates over sub-form rows
  sum: (rows: unknown, column?: unknown) => sum(numbersOf(rows, column)),
  count: (rows: unknown, column?: unknown) =>
    columnValues(rows, column).filter((v) => v !== null && v !== undefined && v !== '').length,
  avg: (rows: unknown, column?: unknown) => {
    const n = numbersOf(rows, column);
    return n.length ? sum(n) / n.length : null;
  },
  min_of: (rows: unknown, column?: unknown) => {
    const n = numbersOf(rows, column);
    return n.length ? Math.min(...n) : null;
  },
  max_of: (rows: unknown, column?: unknown) => {
    const n = numbersOf(rows, column);
    return n.length ? Math.max(...n) : null;
  },
  // dates
  today: () => dates.today(clock.now(), clock.timeZone),
  now: () => dates.formatDatetime(clock.now().getTime()),
  date: (y: unknown, m: unknown, d: unknown) => dates.makeDate(y, m, d),
  date_add: (v: unknown, n: unknown, unit: unknown) => dates.add(v, n, unit),
  date_diff: (a: unknown, b: unknown, unit: unknown) => dates.diff(a, b, unit),
  year: (v: unknown) => dates.part(v, 'year'),
  month: (v: unknown) => dates.part(v, 'month'),
  day: (v: unknown) => dates.part(v, 'day'),
  weekday: (v: unknown, type: unknown = 1) => dates.weekday(v, type),
  start_of: (v: unknown, unit: unknown) => dates.startOf(v, unit),
};

for (const [name, fn] of Object.entries(EXTENSIONS)) jsonLogic.add_operation(name, fn);
