import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDecimal } from './decimal';

/** A fixed pseudo-random sequence: the same values on every run. */
function* values(count: number): Generator<number> {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const edges = [0, -0, 0.5, 1.005, 1.015, 2.675, 9.995, 0.0049, 0.005, 0.006, 0.125, 0.1555, 1e-7, 123456789.125, 1234567.005,
    -1234.5, 999.9999, 0.999, 2 ** 53 - 1, -(2 ** 52) + 0.5, 1e15 + 0.3, 0.1 + 0.2, 1 / 3, -2 / 3, 45489.5, 5e-324];
  yield* edges;
  for (let i = 0; i < count; i++) {
    const magnitude = 10 ** Math.floor(next() * 16 - 6);
    const value = (next() - 0.3) * magnitude;
    yield value;
    yield Math.round(value * 1000) / 1000;
    yield Math.round(value * 100) / 100 + 0.005;
  }
}

const OPTIONS: Intl.NumberFormatOptions[] = [
  { minimumFractionDigits: undefined, maximumFractionDigits: 10 },
  { minimumFractionDigits: 0, maximumFractionDigits: 0 },
  { minimumFractionDigits: 2, maximumFractionDigits: 2 },
  { minimumFractionDigits: 3, maximumFractionDigits: 3 },
  { maximumFractionDigits: 10 },
  ...['CNY', 'USD', 'EUR', 'JPY', 'GBP', 'HKD'].flatMap((currency) =>
    [0, 2, 4].map((digits) => ({ style: 'currency' as const, currency, currencyDisplay: 'narrowSymbol' as const, minimumFractionDigits: digits, maximumFractionDigits: digits })),
  ),
  { style: 'percent', maximumFractionDigits: 4 },
  { style: 'percent', maximumFractionDigits: 0 },
  { style: 'percent', maximumFractionDigits: 2 },
];

describe('formatDecimal', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('builds no Intl formatter for the list cells of both languages', () => {
    const expected = OPTIONS.map((options) => new Intl.NumberFormat('zh-CN', options).format(-1234.565));
    vi.stubGlobal('Intl', { ...Intl, NumberFormat: () => { throw new Error('Intl used'); } });
    expect(OPTIONS.map((options) => formatDecimal('zh-CN', -1234.565, options))).toEqual(expected);
  });

  it('writes what Intl.NumberFormat writes, in both languages', () => {
    for (const locale of ['en', 'zh-CN']) {
      for (const options of OPTIONS) {
        const intl = new Intl.NumberFormat(locale, options);
        for (const value of values(400)) {
          expect([value, options, formatDecimal(locale, value, options)]).toEqual([value, options, intl.format(value)]);
        }
      }
    }
  });

  it('leaves other currencies, options and numbers to Intl', () => {
    const cases: [number, Intl.NumberFormatOptions][] = [
      [1234.5, { style: 'currency', currency: 'CHF', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 }],
      [1234.5, { style: 'currency', currency: 'JPY', currencyDisplay: 'narrowSymbol' }],
      [2 ** 60, { maximumFractionDigits: 2 }],
      [Number.NaN, { maximumFractionDigits: 2 }],
      [1234.5, { maximumFractionDigits: 2, useGrouping: false }],
    ];
    for (const [value, options] of cases) {
      expect(formatDecimal('en', value, options)).toBe(new Intl.NumberFormat('en', options).format(value));
    }
  });
});
