import { useEffect, type FocusEvent } from 'react';
import { InputNumber, Rate } from 'antd';
import { useI18n } from '../../i18n/I18nProvider';
import type { Locale } from '../../i18n/locale';
import { numberFormat } from '../numberFormat';
import { useDrawnUntilWoken, useLazyControl } from '../lazy';
import { currencyOf, fractionToPercent, precisionOf } from '../display/number';
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
  // a percent is stored as a fraction and typed as a percent (15 for 0.15): its limits are
  // fractions too, and its precision counts places of the fraction (on the server): minus 2
  const places = precisionOf(field, money ? 2 : undefined);
  const precision = percent && places !== undefined ? Math.max(0, places - 2) : places;
  const limit = (bound: unknown) => (typeof bound !== 'number' ? undefined : percent ? fractionToPercent(bound) : bound);
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
      min={limit(field.min)}
      max={limit(field.max)}
      prefix={prefix}
      suffix={suffix}
      formatter={money ? groupThousands : undefined}
      parser={money ? ungroup : undefined}
      onChange={(next) => onChange?.(next)}
    />
  );
}

const STAR =
  'M908.1 353.1l-253.9-36.9L540.7 86.1c-3.1-6.3-8.2-11.4-14.5-14.5-15.8-7.8-35-1.3-42.9 14.5L369.8 316.2l-253.9 36.9c-7 1-13.4 4.3-18.3 9.3a32.05 32.05 0 00.6 45.3l183.7 179.1-43.4 252.9a31.95 31.95 0 0046.4 33.7L512 754l227.1 119.4c6.2 3.3 13.4 4.4 20.3 3.2 17.4-3 29.1-19.5 26.1-36.9l-43.4-252.9 183.7-179.1c5-4.9 8.3-11.3 9.3-18.3 2.7-17.5-9.5-33.7-27-36.3z';

/** antd's StarFilled icon as its markup (a rating draws two per star), decorative as the build makes antd's icons (scripts/decorative-icons.mjs): each star is named by its radio. */
const starIcon = () => (
  <span role="img" aria-hidden="true" className="anticon anticon-star">
    <svg viewBox="64 64 896 896" focusable="false" data-icon="star" width="1em" height="1em" fill="currentColor" aria-hidden="true">
      <path d={STAR} />
    </svg>
  </span>
);

/** How a drawn rating was woken: which of its elements had the focus (the list itself, a star, or none: the pointer came). */
type Woken = { focus: 'list' | number | null };

/**
 * Stars. In a record form antd's Rate mounts when the pointer comes over the stars or one of them
 * takes the focus; until then its markup is drawn here (the same classes, roles and tab stops):
 * a Rate of five stars is ~35 components (Star, StarFilled, its icon wrapper, twice per star), 7% of
 * a 200-field form's first render for two rating fields. A click that reaches the drawn stars
 * first (a tap, with no hover before it) sets the value as Rate's own click does.
 */
function RatingInput({ field, value, onChange, id, disabled }: FieldInputProps<number>) {
  const { look, off, woken, setWoken } = useDrawnUntilWoken<Woken>(disabled);
  const count = typeof field.max === 'number' ? field.max : 5;
  const current = value ?? 0;
  useEffect(() => {
    // the star that had the focus keeps it in the real Rate (which focuses its list itself)
    if (typeof woken?.focus === 'number' && id) document.getElementById(id)?.querySelectorAll<HTMLElement>('[role="radio"]')[woken.focus]?.focus();
  }, [woken, id]);
  if (!look) {
    return <Rate id={id} autoFocus={woken?.focus === 'list'} value={current} count={count} disabled={disabled} onChange={(next) => onChange?.(next)} />;
  }
  const prefix = look.rate.split(' ')[0];
  const wake = (event: FocusEvent<HTMLElement>) => {
    const star = (event.target as HTMLElement).closest('li');
    setWoken({ focus: star ? [...star.parentElement!.children].indexOf(star) : 'list' });
  };
  return (
    <ul
      className={off ? `${look.rate} ${prefix}-disabled` : look.rate}
      tabIndex={off ? -1 : 0}
      id={id}
      onMouseEnter={off ? undefined : () => setWoken({ focus: null })}
      // a press right on entering (a test driver's click) keeps the drawn stars until its click:
      // this urgent update lands after the hover's pending one and undoes it (no swap under the press)
      onMouseDown={off ? undefined : () => setWoken(null)}
      onFocus={off ? undefined : wake}
    >
      {Array.from({ length: count }, (_, index) => (
        <li key={index} className={`${prefix}-star ${prefix}-star-${index < current ? 'full' : 'zero'}`}>
          <div
            role="radio"
            aria-checked={index < current ? 'true' : 'false'}
            aria-posinset={index + 1}
            aria-setsize={count}
            tabIndex={off ? -1 : 0}
            // a press that beats the hover (a tap): no focus swap under it, which would lose its
            // click; the click is Rate's own (the star's value, or none when it is the value
            // already: allowClear), and the real Rate takes over with this star focused
            onMouseDown={off ? undefined : (event) => event.preventDefault()}
            onClick={
              off
                ? undefined
                : () => {
                    onChange?.(current === index + 1 ? 0 : index + 1);
                    setWoken({ focus: index });
                  }
            }
          >
            <div className={`${prefix}-star-first`}>{starIcon()}</div>
            <div className={`${prefix}-star-second`}>{starIcon()}</div>
          </div>
        </li>
      ))}
    </ul>
  );
}

registerFieldEditor('number', { Input: NumberInput, fills: true });
registerFieldEditor('money', { Input: NumberInput, fills: true });
registerFieldEditor('percent', { Input: NumberInput, fills: true });
registerFieldEditor('rating', { Input: RatingInput });
