import { DatePicker, TimePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/I18nProvider';
import '../display/temporal';
import { useLazyControl } from '../lazy';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';

const DATE = 'YYYY-MM-DD';
const FULL_WIDTH = { width: '100%' };

/** Date, date-time and time: the picker mounts when first focused or pressed (fields/lazy.tsx). */
function TemporalInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<Dayjs>) {
  const { t, text } = useI18n();
  const time = field.type === 'time';
  const withTime = field.type === 'datetime';
  const format = time ? 'HH:mm' : withTime ? 'YYYY-MM-DD HH:mm' : DATE;
  const placeholder = text(field.placeholder) || t(time ? 'fields.pickTime' : 'fields.pickDate');
  const { lookalike, how } = useLazyControl({ kind: time ? 'clock' : 'calendar', id, disabled, shown: value ? [value.format(format)] : [], placeholder, aria: ariaOf(aria) });
  if (lookalike) return lookalike;
  const common = { id, ...ariaOf(aria), ...how, value: value ?? null, disabled, format, placeholder, style: FULL_WIDTH, onChange: (next: Dayjs | null) => onChange?.(next) };
  return time ? <TimePicker {...common} /> : <DatePicker {...common} showTime={withTime ? { format: 'HH:mm' } : false} />;
}

registerFieldEditor('date', { Input: TemporalInput, fills: true });
registerFieldEditor('datetime', { Input: TemporalInput, fills: true });
registerFieldEditor('time', { Input: TemporalInput, fills: true });
