/** How numbers, money, percentages and ratings look; percentages are stored as fractions. */
import { Rate } from 'antd';
import type { FieldDef } from '../../api/types';
import { registerFieldType } from '../registry';
import { EXACT_DECIMAL, formatDecimal } from './decimal';

export const precisionOf = (field: FieldDef, fallback?: number) =>
  typeof field.precision === 'number' ? field.precision : fallback;
export const currencyOf = (field: FieldDef) => (typeof field.currency === 'string' ? field.currency : 'CNY');
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
/** What a number, money or percent cell shows: a number, or the server's exact decimal string. */
const shown = (value: unknown): number | string | null => (typeof value === 'string' && EXACT_DECIMAL.test(value) ? value : num(value));

const BASE = { sortable: true, valueKind: 'number' as const, columnWidth: 140 };

registerFieldType({
  ...BASE,
  type: 'number',
  display: (value, field, { locale }) => {
    const n = shown(value);
    const digits = precisionOf(field);
    return n === null ? '' : formatDecimal(locale, n, { minimumFractionDigits: digits, maximumFractionDigits: digits ?? 10 });
  },
});

registerFieldType({
  ...BASE,
  type: 'money',
  display: (value, field, { locale }) => {
    const n = shown(value);
    const digits = precisionOf(field, 2);
    return n === null
      ? ''
      : formatDecimal(locale, n, { style: 'currency', currency: currencyOf(field), currencyDisplay: 'narrowSymbol', minimumFractionDigits: digits, maximumFractionDigits: digits });
  },
});

/** A stored fraction as the percent people type and read (0.15 -> 15), without float noise. */
export const fractionToPercent = (fraction: number) => Number((fraction * 100).toPrecision(12));

/** percent is stored as a fraction (15 % is 0.15); people type and read 15. */
registerFieldType({
  ...BASE,
  type: 'percent',
  toForm: (value) => {
    const n = num(value);
    return n === null ? undefined : fractionToPercent(n);
  },
  toApi: (value) => {
    const n = num(value);
    return n === null ? null : Number((n / 100).toPrecision(12));
  },
  display: (value, field, { locale }) => {
    const n = shown(value);
    const digits = precisionOf(field);
    return n === null ? '' : formatDecimal(locale, n, { style: 'percent', maximumFractionDigits: digits ?? 4 });
  },
});

registerFieldType({
  type: 'rating',
  sortable: true,
  valueKind: 'number',
  columnWidth: 150,
  display: (value, field) => {
    const n = num(value);
    return n === null ? '' : <Rate disabled value={n} count={typeof field.max === 'number' ? field.max : 5} style={{ fontSize: 14 }} />;
  },
});
