import { useMemo, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Calendar, Grid, Typography, type CalendarProps as AntCalendarProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/en-gb';
import enGB from 'antd/es/locale/en_GB';
import { keys, recordsApi } from '../api/queries';
import type { FieldDef, FormDef, RecordData } from '../api/types';
import { recordTitle } from '../fields/context';
import { useI18n } from '../i18n/I18nProvider';
import { LoadError } from '../shell/LoadError';
import './views.css';

/** At most this many records of one month are fetched (one request, no paging). */
export const MONTH_LIMIT = 1000;
const PER_CELL = 3;
const DAY = 'YYYY-MM-DD';

interface CalendarProps {
  app: string;
  form: FormDef;
  /** the date or datetime field records are placed by */
  dateField: FieldDef;
  /** where a record ends: it then shows on every day from its date to this one */
  endField?: FieldDef;
  /** the list's filter and search, combined (null for none) */
  expression: unknown;
  canCreate: boolean;
  onOpen: (record: RecordData) => void;
  /** a new record on this day (YYYY-MM-DD) */
  onCreate: (day: string) => void;
  /** the month shown first (tests) */
  initialMonth?: Dayjs;
}

/** The day a stored value falls on, in this browser's time zone. */
const dayOf = (value: unknown): string | null => (typeof value === 'string' && value ? dayjs(value).format(DAY) : null);

/** The 6-week grid a month panel shows, as [first day, day after the last); weeks start on
 * Monday (CONTRACT: unless the app says otherwise), whatever the language. */
export function visibleRange(month: Dayjs): [string, string] {
  const first = month.startOf('month');
  const start = first.subtract((first.day() + 6) % 7, 'day');
  return [start.format(DAY), start.add(42, 'day').format(DAY)];
}

/**
 * antd's calendar takes its first weekday from the locale: English (US) would start on Sunday,
 * so English pages show the British variant of the same words, whose weeks start on Monday, as
 * Chinese ones do.
 */
const MONDAY_FIRST: Partial<Record<string, AntCalendarProps<Dayjs>['locale']>> = {
  en: enGB.Calendar as AntCalendarProps<Dayjs>['locale'],
};

/** The list's filter plus "the record falls within the grid": it starts there, or (with an end
 * field) it started before and ends there or later. */
export function rangeExpression(base: unknown, field: string, [from, to]: [string, string], end?: string): unknown {
  const starts = { '>=': [{ var: field }, from] };
  const range = { and: [end ? { or: [starts, { '>=': [{ var: end }, from] }] } : starts, { '<': [{ var: field }, to] }] };
  return base == null ? range : { and: [base, range] };
}

const MAX_SPAN_DAYS = 62;

/** The days a record covers: its date, or every day from it to its end (a few months at most). */
export function daysOf(start: unknown, end?: unknown): string[] {
  const first = dayOf(start);
  if (!first) return [];
  const last = dayOf(end);
  const days = [first];
  let day = dayjs(first);
  while (last && days.length < MAX_SPAN_DAYS && day.format(DAY) < last) {
    day = day.add(1, 'day');
    days.push(day.format(DAY));
  }
  return days;
}

/**
 * A month of records placed by a date field: only the visible weeks are fetched (a filter on
 * the field). A day is selected by clicking it; its records are listed under the calendar, with
 * "New on <day>" when the caller may create. On a phone the calendar is compact and days with
 * records carry a dot.
 */
export function CalendarView({ app, form, dateField, endField, expression, canCreate, onOpen, onCreate, initialMonth }: CalendarProps) {
  const { t, locale } = useI18n();
  const desktop = Grid.useBreakpoint().md;
  const [month, setMonth] = useState(() => (initialMonth ?? dayjs()).startOf('month'));
  const [selected, setSelected] = useState<Dayjs>(() => initialMonth ?? dayjs());
  const range = visibleRange(month);
  const filter = JSON.stringify(rangeExpression(expression, dateField.key, range, endField?.key));
  const query = useQuery({
    queryKey: keys.recordList(app, form.key, filter, dateField.key),
    queryFn: ({ signal }) => recordsApi.list(app, form.key, { filter, sort: dateField.key, limit: MONTH_LIMIT }, signal),
  });
  const byDay = useMemo(() => {
    const map = new Map<string, RecordData[]>();
    for (const record of query.data?.items ?? []) {
      for (const day of daysOf(record[dateField.key], endField ? record[endField.key] : undefined)) {
        map.set(day, [...(map.get(day) ?? []), record]);
      }
    }
    return map;
  }, [query.data, dateField.key, endField]);
  const selectedDay = selected.format(DAY);
  const dayRecords = byDay.get(selectedDay) ?? [];

  const cell = (date: Dayjs) => {
    const records = byDay.get(date.format(DAY)) ?? [];
    if (records.length === 0) return null;
    if (!desktop) return <span className="calendar-dot" aria-hidden data-testid={`calendar-dot-${date.format(DAY)}`} />;
    return (
      <ul className="calendar-cell" data-testid={`calendar-day-${date.format(DAY)}`}>
        {records.slice(0, PER_CELL).map((record) => (
          <li key={record._id}>
            <button
              type="button"
              className="calendar-event"
              onClick={(event) => {
                event.stopPropagation();
                onOpen(record);
              }}
            >
              {recordTitle(form, record)}
            </button>
          </li>
        ))}
        {records.length > PER_CELL && <li className="calendar-more">{t('views.more', { count: records.length - PER_CELL })}</li>}
      </ul>
    );
  };

  if (query.isError) return <LoadError error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <div className="calendar-view" data-testid="calendar">
      {query.data?.next_cursor && <Alert type="info" showIcon title={t('views.tooMany', { count: MONTH_LIMIT })} className="calendar-note" />}
      <Calendar
        locale={MONDAY_FIRST[locale]}
        fullscreen={Boolean(desktop)}
        value={selected}
        onSelect={(date, info) => {
          setSelected(date);
          if (info.source !== 'date' && !date.isSame(month, 'month')) setMonth(date.startOf('month'));
        }}
        onPanelChange={(date) => setMonth(date.startOf('month'))}
        cellRender={(date, info) => (info.type === 'date' ? cell(date) : info.originNode)}
      />
      <section className="calendar-day" aria-live="polite" data-testid="calendar-agenda">
        <div className="calendar-day__head">
          <Typography.Text strong>{t('views.day', { date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(selected.toDate()) })}</Typography.Text>
          {canCreate && (
            <Button icon={<PlusOutlined />} onClick={() => onCreate(selectedDay)} data-testid="calendar-new">
              {t('views.newOnDay', { date: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(selected.toDate()) })}
            </Button>
          )}
        </div>
        {dayRecords.length === 0 ? (
          <Typography.Text type="secondary">{t('views.dayEmpty')}</Typography.Text>
        ) : (
          <ul className="calendar-agenda">
            {dayRecords.map((record) => (
              <li key={record._id}>
                <Button type="link" onClick={() => onOpen(record)} className="calendar-agenda__item">
                  <Badge status="processing" />
                  {recordTitle(form, record)}
                  {dateField.type === 'datetime' && typeof record[dateField.key] === 'string' && (
                    <Typography.Text type="secondary"> {dayjs(record[dateField.key] as string).format('HH:mm')}</Typography.Text>
                  )}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
