/**
 * One Intl.NumberFormat per (locale, options), reused: building a formatter costs far more than
 * formatting, and a list formats every money cell of every row (docs/performance.md).
 */
const cache = new Map<string, Intl.NumberFormat>();

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}
