import { Suspense, type CSSProperties } from 'react';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/I18nProvider';
import '../display/temporal';
import { pickers } from '../deferred';
import { useLazyControl, type Activation } from '../lazy';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';

const DATE = 'YYYY-MM-DD';

/** What either picker is given. */
type PickerCommon = ReturnType<typeof ariaOf> &
  Activation & { id?: string; value: Dayjs | null; disabled?: boolean; format: string; placeholder: string; style: CSSProperties; onChange: (next: Dayjs | null) => void };
const FULL_WIDTH = { width: '100%' };

/**
 * Date, date-time and time: the picker mounts when first focused or pressed, its code fetched
 * once the form is drawn (fields/lazy.tsx).
 */
function TemporalInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<Dayjs>) {
  const { t, text } = useI18n();
  const time = field.type === 'time';
  const withTime = field.type === 'datetime';
  const format = time ? 'HH:mm' : withTime ? 'YYYY-MM-DD HH:mm' : DATE;
  const placeholder = text(field.placeholder) || t(time ? 'fields.pickTime' : 'fields.pickDate');
  const { lookalike, how, fallback } = useLazyControl({ kind: time ? 'clock' : 'calendar', id, disabled, shown: value ? [value.format(format)] : [], placeholder, aria: ariaOf(aria) });
  pickers.usePreload();
  if (lookalike) return lookalike;
  const common: PickerCommon = { id, ...ariaOf(aria), ...how, value: value ?? null, disabled, format, placeholder, style: FULL_WIDTH, onChange: (next: Dayjs | null) => onChange?.(next) };
  return (
    <Suspense fallback={fallback}>
      <Picker time={time} withTime={withTime} common={common} />
    </Suspense>
  );
}

/** The real picker, once its code has come (suspends until then). */
function Picker({ time, withTime, common }: { time: boolean; withTime: boolean; common: PickerCommon }) {
  const { DatePicker, TimePicker } = pickers.useModule();
  return time ? <TimePicker {...common} /> : <DatePicker {...common} showTime={withTime ? { format: 'HH:mm' } : false} />;
}

registerFieldEditor('date', { Input: TemporalInput, fills: true });
registerFieldEditor('datetime', { Input: TemporalInput, fills: true });
registerFieldEditor('time', { Input: TemporalInput, fills: true });
