import { DatePicker, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/I18nProvider';
import type { Locale } from '../../i18n/locale';
import { LazyControl } from '../lazy';
import { ariaOf, registerFieldType, type FieldInputProps } from '../registry';

const DATE = 'YYYY-MM-DD';
const TIME = 'HH:mm:ss';

function parseTime(value: string): Dayjs | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!match) return undefined;
  return dayjs().startOf('day').hour(Number(match[1])).minute(Number(match[2])).second(Number(match[3] ?? 0));
}

function parseDate(value: unknown): Dayjs | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const parsed = dayjs(value);
  return parsed.isValid() ? parsed : undefined;
}

const asDayjs = (value: unknown): Dayjs | null => (dayjs.isDayjs(value) ? value : null);

const dateLabel = (locale: Locale) => (locale === 'zh-CN' ? 'YYYY年M月D日' : 'MMM D, YYYY');

const FULL_WIDTH = { width: '100%' };

/** Date, date-time and time: the picker mounts when first focused or pressed (fields/lazy.tsx). */
function TemporalInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<Dayjs>) {
  const { t, text } = useI18n();
  const time = field.type === 'time';
  const withTime = field.type === 'datetime';
  const format = time ? 'HH:mm' : withTime ? 'YYYY-MM-DD HH:mm' : DATE;
  const placeholder = text(field.placeholder) || t(time ? 'fields.pickTime' : 'fields.pickDate');
  return (
    <LazyControl kind={time ? 'clock' : 'calendar'} id={id} disabled={disabled} shown={value ? [value.format(format)] : []} placeholder={placeholder} aria={ariaOf(aria)}>
      {(how) => {
        const common = { id, ...ariaOf(aria), ...how, value: value ?? null, disabled, format, placeholder, style: FULL_WIDTH, onChange: (next: Dayjs | null) => onChange?.(next) };
        return time ? <TimePicker {...common} /> : <DatePicker {...common} showTime={withTime ? { format: 'HH:mm' } : false} />;
      }}
    </LazyControl>
  );
}

registerFieldType({
  type: 'date',
  Input: TemporalInput,
  sortable: true,
  valueKind: 'date',
  columnWidth: 140,
  toForm: parseDate,
  toApi: (value) => asDayjs(value)?.format(DATE) ?? null,
  display: (value, _field, { locale }) => parseDate(value)?.format(dateLabel(locale)) ?? '',
});

registerFieldType({
  type: 'datetime',
  Input: TemporalInput,
  sortable: true,
  valueKind: 'datetime',
  columnWidth: 180,
  toForm: parseDate,
  // ISO 8601 with the browser's offset, e.g. 2026-11-24T09:30:00+08:00
  toApi: (value) => asDayjs(value)?.second(0).millisecond(0).format() ?? null,
  display: (value, _field, { locale }) => parseDate(value)?.format(`${dateLabel(locale)} HH:mm`) ?? '',
});

registerFieldType({
  type: 'time',
  Input: TemporalInput,
  sortable: true,
  valueKind: 'time',
  columnWidth: 110,
  toForm: (value) => (typeof value === 'string' ? parseTime(value) : undefined),
  toApi: (value) => asDayjs(value)?.format(TIME) ?? null,
  display: (value) => (typeof value === 'string' ? (parseTime(value)?.format('HH:mm') ?? value) : ''),
});
