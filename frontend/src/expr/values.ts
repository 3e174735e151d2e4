// JavaScript value helpers shared by the extensions; the Python port is engines/rules/expr/values.py.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JsonLogic truthiness: JavaScript's, except that an empty array is false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  return !!value;
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Extensions read null as the empty string (Excel's blank), anything else through String(). */
export function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Characters are Unicode code points, as in Python and Postgres (not UTF-16 units). */
export function chars(text: string): string[] {
  return Array.from(text);
}

/** json-logic's `var` path walk, reading only own properties (never a prototype member). */
export function getPath(data: unknown, key: unknown, notFound: unknown = null): unknown {
  if (key === undefined || key === null || key === '') return data;
  let current: unknown = data;
  for (const part of String(key).split('.')) {
    if (current === null || current === undefined) return notFound;
    current = child(current, part);
    if (current === undefined) return notFound;
  }
  return current;
}

function child(value: unknown, key: string): unknown {
  if (Array.isArray(value) || typeof value === 'string') {
    if (key === 'length') return value.length;
    if (/^(0|[1-9]\d*)$/.test(key)) {
      const index = Number(key);
      return index < value.length ? value[index] : undefined;
    }
    return undefined;
  }
  if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, key)) {
    return value[key];
  }
  return undefined;
}

/** An evaluation result as plain JSON: NaN and ±Infinity become null, -0 becomes 0. */
export function exportValue(value: unknown): Json {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return value === 0 ? 0 : value;
  }
  if (Array.isArray(value)) return value.map(exportValue);
  if (isPlainObject(value)) {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = exportValue(v);
    return out;
  }
  if (value === undefined) return null;
  return value as Json;
}

/** Truncate toward zero; NaN is 0 (ToIntegerOrInfinity). */
export function jsInteger(value: unknown): number {
  const number = Number(value);
  if (Number.isNaN(number)) return 0;
  return Number.isFinite(number) ? Math.trunc(number) : number;
}

/**
 * Round `x` to `places` decimals on its shortest decimal form (so 2.675 -> 2.68), like
 * Python's Decimal(repr(x)).quantize: `half` is half away from zero, `floor`/`ceil` directed.
 */
export function roundDecimal(x: number, places: number, mode: 'half' | 'floor' | 'ceil'): number {
  if (!Number.isFinite(x) || Number.isNaN(places) || Math.abs(places) > 15) return NaN;
  if (Math.abs(x) >= 1e15 && places >= 0) return x;
  const negative = x < 0 || Object.is(x, -0);
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const keep = exponent + 1 + places;
  if (keep >= digits.length) return x;
  const kept = keep > 0 ? digits.slice(0, keep) : '';
  const rest = keep > 0 ? digits.slice(keep) : digits;
  const nonZero = /[1-9]/.test(rest);
  let up: boolean;
  if (mode === 'half') up = keep >= 0 && rest[0] >= '5';
  else if (mode === 'floor') up = negative && nonZero;
  else up = !negative && nonZero;
  let units = BigInt(kept || '0');
  if (up) units += 1n;
  const magnitude = Number(`${units}e${-places}`);
  return negative ? -magnitude : magnitude;
}
