import { InputNumber, Rate } from 'antd';
import { useI18n } from '../../i18n/I18nProvider';
import type { Locale } from '../../i18n/locale';
import { numberFormat } from '../numberFormat';
import { useLazyControl } from '../lazy';
import { currencyOf, precisionOf } from '../display/number';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';

/**
 * The narrow symbols of the usual currencies, the same in every language the app speaks: the
 * first currency formatter of a page load costs several ms (ICU's currency data) just to read ¥.
 */
const NARROW_SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', GBP: '£', JPY: '¥', HKD: '$' };
const symbols = new Map<string, string>();

/** ¥ for CNY in this language; remembered: formatToParts is slow, and a form asks once per money field. */
function currencySymbol(currency: string, locale: Locale): string {
  if (currency in NARROW_SYMBOLS) return NARROW_SYMBOLS[currency];
  const key = `${locale}|${currency}`;
  let symbol = symbols.get(key);
  if (symbol === undefined) {
    const parts = numberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
    symbol = parts.find((part) => part.type === 'currency')?.value ?? currency;
    symbols.set(key, symbol);
  }
  return symbol;
}

/** 1234567.5 -> "1,234,567.5" while typing money (the decimals untouched). */
function groupThousands(value: string | number | undefined): string {
  const [whole, decimals] = String(value ?? '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return decimals === undefined ? grouped : `${grouped}.${decimals}`;
}
// rc-input-number's own parser hands back the cleaned text ('' = empty), so this does too.
const ungroup = (text: string | undefined): number => (text ?? '').replace(/,/g, '') as unknown as number;

/** What InputNumber shows for a value: fixed to the precision, money grouped by thousands. */
export function numberText(value: number | null | undefined, precision: number | undefined, money: boolean): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  const fixed = precision === undefined ? String(value) : value.toFixed(precision);
  return money ? groupThousands(fixed) : fixed;
}

/**
 * number, money and percent share one editor: a number with an optional prefix/suffix. In a
 * record form the InputNumber mounts when first focused or pressed (fields/lazy.tsx).
 */
function NumberInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<number>) {
  const { locale, text } = useI18n();
  const money = field.type === 'money';
  const percent = field.type === 'percent';
  const precision = precisionOf(field, money ? 2 : undefined);
  const prefix = money ? currencySymbol(currencyOf(field), locale) : undefined;
  const suffix = percent ? '%' : undefined;
  const placeholder = text(field.placeholder) || undefined;
  const { lookalike, how } = useLazyControl({
    kind: 'number',
    id,
    disabled,
    shown: [numberText(value, precision, money)],
    placeholder,
    prefixText: prefix,
    suffixText: suffix,
    aria: ariaOf(aria),
  });
  if (lookalike) return lookalike;
  return (
    <InputNumber<number>
      id={id}
      {...ariaOf(aria)}
      autoFocus={how.autoFocus}
      value={value ?? null}
      disabled={disabled}
      style={{ width: '100%' }}
      placeholder={placeholder}
      precision={precision}
      min={typeof field.min === 'number' ? field.min : undefined}
      max={typeof field.max === 'number' ? field.max : undefined}
      prefix={prefix}
      suffix={suffix}
      formatter={money ? groupThousands : undefined}
      parser={money ? ungroup : undefined}
      onChange={(next) => onChange?.(next)}
    />
  );
}

function RatingInput({ field, value, onChange, id, disabled }: FieldInputProps<number>) {
  return (
    <Rate
      id={id}
      value={value ?? 0}
      count={typeof field.max === 'number' ? field.max : 5}
      disabled={disabled}
      onChange={(next) => onChange?.(next)}
    />
  );
}

registerFieldEditor('number', { Input: NumberInput });
registerFieldEditor('money', { Input: NumberInput });
registerFieldEditor('percent', { Input: NumberInput });
registerFieldEditor('rating', { Input: RatingInput });
