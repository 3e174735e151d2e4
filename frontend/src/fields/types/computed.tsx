import { Typography } from 'antd';
import type { FieldDef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { registerFieldType, setFallbackFieldType, type DisplayContext, type FieldInputProps, type FieldTypeUI } from '../registry';

function scalarText(value: unknown, ctx: DisplayContext): string {
  if (value == null) return '';
  if (typeof value === 'number') return new Intl.NumberFormat(ctx.locale, { maximumFractionDigits: 10 }).format(value);
  if (typeof value === 'boolean') return value ? ctx.t('form.yes') : ctx.t('form.no');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Read-only in the form: the current value, or a hint that the server fills it in. */
function ComputedValue({ field, value }: FieldInputProps<unknown>) {
  const { t, text, locale } = useI18n();
  const shown = scalarText(value, { t, text, locale });
  return (
    <div className="computed-value" data-testid={`computed-${field.key}`}>
      {shown ? shown : <Typography.Text type="secondary">{t('form.computed')}</Typography.Text>}
    </div>
  );
}

const computed = (type: string, valueKind: FieldTypeUI['valueKind']): FieldTypeUI => ({
  type,
  sortable: true,
  valueKind,
  columnWidth: 140,
  display: (value, _field: FieldDef, ctx) => scalarText(value, ctx),
});

/** formula and serial are computed by the server: shown, never edited, never sent. */
export const ReadOnlyDisplay = ComputedValue;
registerFieldType(computed('formula', 'text'));
registerFieldType(computed('serial', 'text'));
setFallbackFieldType({ ...computed('unknown', 'none'), sortable: false });
