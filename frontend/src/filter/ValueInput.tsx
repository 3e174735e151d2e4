import { useId } from 'react';
import { Select } from 'antd';
import type { FieldDef } from '../api/types';
import { fieldType, toApi, toForm } from '../fields/registry';
// registers the editors: the builder loads lazily with the list, which registers only the
// field types' display half (fields/display.ts), so without this no value box would show
import '../fields';
import { useI18n } from '../i18n/I18nProvider';
import type { Operator } from './model';

interface ValueInputProps {
  field: FieldDef;
  op: Operator;
  value: unknown;
  onChange: (value: unknown) => void;
}

/** "is any of": several options, or several free words for text fields. */
function ManyValues({ field, value, onChange }: Omit<ValueInputProps, 'op'>) {
  const { t, text } = useI18n();
  const options = field.options?.map((option) => ({ value: option.value, label: text(option.label) }));
  return (
    <Select
      mode={options ? 'multiple' : 'tags'}
      value={Array.isArray(value) ? (value as string[]) : []}
      options={options}
      placeholder={t('filter.value')}
      aria-label={t('filter.value')}
      style={{ width: '100%' }}
      open={options ? undefined : false}
      onChange={(next) => onChange(next)}
    />
  );
}

/**
 * The value of one condition, edited with the field's own editor (a date picker for dates,
 * the option list for selects...) and kept in API form, as the filter expression needs it.
 */
export function ValueInput({ field, op, value, onChange }: ValueInputProps) {
  const { t } = useI18n();
  const id = useId();
  if (op === 'in') return <ManyValues field={field} value={value} onChange={onChange} />;
  // "multiselect contains X" compares with one option
  const editorField: FieldDef = field.type === 'multiselect' ? { ...field, type: 'select' } : field;
  const Editor = fieldType(editorField.type).Input;
  if (!Editor) return null;
  return (
    <div className="condition__value" data-testid="condition-value">
      {/* the editors take a label by id (as the form's field frame gives them), here unseen */}
      <label htmlFor={id} className="visually-hidden">
        {t('filter.value')}
      </label>
      <Editor
        id={id}
        field={{ ...editorField, placeholder: undefined }}
        value={toForm(editorField, value)}
        onChange={(next: unknown) => onChange(toApi(editorField, next))}
      />
    </div>
  );
}
