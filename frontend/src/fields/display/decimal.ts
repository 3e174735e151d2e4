/**
 * Numbers, money and percentages as Intl.NumberFormat writes them in the app's two languages,
 * without Intl. The first Intl formatter a page builds (number or date) loads ICU's data: ~15 ms
 * of a full page load, spent on the first list cell that shows a number. en and zh-CN write
 * numbers alike (groups of three with ",", "." for decimals, "-" before the currency, "%" after),
 * and ICU formats a double from its shortest round-trip digits (String(n)), rounding half away
 * from zero: so the digits here are Intl's own (decimal.test.ts checks it against Intl). Anything
 * else (another currency, a number past 2^53, more than 20 decimals) goes to Intl.
 */
import { numberFormat } from '../numberFormat';

/** Narrow currency symbols that read the same in en and zh-CN (checked against Intl by the test). */
const NARROW_SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', JPY: '¥', GBP: '£', HKD: '$' };

/** |n| as decimal digits (no leading zeros) and the position of the decimal point among them. */
function digitsOf(abs: number): { digits: string; point: number } {
  const [mantissa, exponent = '0'] = String(abs).split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  const all = whole + fraction;
  const lead = all.length - all.replace(/^0+/, '').length;
  return { digits: all.slice(lead), point: whole.length + Number(exponent) - lead };
}

/** 1234567 -> "1,234,567" */
const grouped = (whole: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `n` (finite, |n| < 2^53) with `min`..`max` decimals, rounded half away from zero, grouped. */
function plain(abs: number, shift: number, min: number, max: number): string {
  let { digits, point } = digitsOf(abs);
  point += shift;
  if (digits === '') return min > 0 ? `0.${'0'.repeat(min)}` : '0';
  // the digits kept: the whole part and `max` decimals
  const keep = point + max;
  if (keep < digits.length) {
    const up = keep >= 0 && digits.charCodeAt(keep) >= 53; // '5'
    let kept = keep > 0 ? digits.slice(0, keep) : '';
    if (up) {
      // add one to the last kept digit, carrying
      let i = kept.length - 1;
      const chars = kept.split('');
      while (i >= 0 && chars[i] === '9') chars[i--] = '0';
      if (i >= 0) chars[i] = String(Number(chars[i]) + 1);
      else {
        chars.unshift('1');
        point += 1;
      }
      kept = chars.join('');
      if (keep <= 0) {
        // everything rounded into a single unit at the last kept place
        kept = '1';
        point = 1 - max;
      }
    }
    digits = kept;
  }
  // lay the digits out around the point
  const padded = point <= 0 ? '0'.repeat(1 - point) + digits : digits.padEnd(point, '0');
  const at = point <= 0 ? 1 : point;
  const whole = padded.slice(0, at).replace(/^0+(?=\d)/, '');
  let fraction = padded.slice(at).replace(/0+$/, '');
  if (fraction.length < min) fraction = fraction.padEnd(min, '0');
  return grouped(whole || '0') + (fraction ? `.${fraction}` : '');
}

/** Options the fast path knows; with any other, Intl formats. */
const KNOWN = new Set(['style', 'currency', 'currencyDisplay', 'minimumFractionDigits', 'maximumFractionDigits']);

/**
 * A number the server answers as a decimal string because a double would change it (past 15
 * significant digits: engines/form decimal_to_json, "12345678901234567.50"). Intl formats such a
 * string exactly (Intl.NumberFormat v3), so it is shown digit for digit, never rounded.
 */
export const EXACT_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * `value` formatted as `Intl.NumberFormat(locale, options)` would (currencies: narrowSymbol); a
 * decimal string (EXACT_DECIMAL) is formatted by Intl from its digits.
 */
export function formatDecimal(locale: string, value: number | string, options: Intl.NumberFormatOptions): string {
  if (typeof value === 'string') return numberFormat(locale, options).format(value as unknown as number);
  const style = options.style ?? 'decimal';
  const symbol = style === 'currency' ? NARROW_SYMBOLS[options.currency ?? ''] : '';
  const max = options.maximumFractionDigits;
  // a currency's own default decimals (JPY has none) are Intl's business: the fast path is told
  const min = options.minimumFractionDigits ?? (style === 'currency' ? undefined : 0);
  const fast =
    (locale === 'en' || locale === 'zh-CN') &&
    Object.keys(options).every((key) => KNOWN.has(key)) &&
    (style === 'decimal' || style === 'percent' || (style === 'currency' && options.currencyDisplay === 'narrowSymbol')) &&
    symbol !== undefined &&
    max !== undefined &&
    min !== undefined &&
    min <= max &&
    max <= 20 &&
    Number.isFinite(value) &&
    Math.abs(value) < 2 ** 53;
  if (!fast) return numberFormat(locale, options).format(value);
  const negative = value < 0 || Object.is(value, -0);
  const body = plain(Math.abs(value), style === 'percent' ? 2 : 0, min, max);
  return `${negative ? '-' : ''}${symbol}${body}${style === 'percent' ? '%' : ''}`;
}
