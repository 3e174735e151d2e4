/** How dates, date-times and times look, and their conversion to and from the form's dayjs values. */
import dayjs, { type Dayjs } from 'dayjs';
import type { Locale } from '../../i18n/locale';
import { registerFieldType } from '../registry';

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

registerFieldType({
  type: 'date',
  sortable: true,
  valueKind: 'date',
  columnWidth: 140,
  toForm: parseDate,
  toApi: (value) => asDayjs(value)?.format(DATE) ?? null,
  display: (value, _field, { locale }) => parseDate(value)?.format(dateLabel(locale)) ?? '',
});

registerFieldType({
  type: 'datetime',
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
  sortable: true,
  valueKind: 'time',
  columnWidth: 110,
  toForm: (value) => (typeof value === 'string' ? parseTime(value) : undefined),
  toApi: (value) => asDayjs(value)?.format(TIME) ?? null,
  display: (value) => (typeof value === 'string' ? (parseTime(value)?.format('HH:mm') ?? value) : ''),
});
