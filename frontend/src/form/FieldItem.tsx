import { memo } from 'react';
import { Form } from 'antd';
import type { Rule } from 'antd/es/form';
import type { FieldDef } from '../api/types';
import { fieldType } from '../fields/registry';
import { ReadOnlyDisplay } from '../fields/types/computed';
import { useI18n } from '../i18n/I18nProvider';
import type { NamePath } from './serverErrors';

interface FieldItemProps {
  field: FieldDef;
  name: NamePath;
  /** in a sub-form grid cell the column header is the visible label */
  bare?: boolean;
}

/**
 * The same field at the same place: nothing to re-render. Form.Item follows its own value and
 * errors, and language, disabled state and record context reach it through context, so a
 * re-render of the form (its watched values, antd's Row on a breakpoint check) need not
 * re-render 200 fields (bench/browser_form.py, docs/performance.md).
 */
const sameItem = (a: FieldItemProps, b: FieldItemProps): boolean =>
  a.field === b.field && a.bare === b.bare && a.name.length === b.name.length && a.name.every((part, i) => part === b.name[i]);

/** One field of a form: label, required mark, help text, editor and its errors. */
export const FieldItem = memo(function FieldItem({ field, name, bare }: FieldItemProps) {
  const { t, text } = useI18n();
  const type = fieldType(field.type);
  const label = text(field.label);
  if (type.FormItem) return <type.FormItem field={field} name={name} />;

  const rules: Rule[] = [];
  if (field.required && type.Input) {
    rules.push({ required: true, message: t('form.required', { label }) });
  }
  rules.push(...(type.rules?.(field, t) ?? []));
  const Editor = type.Input ?? ReadOnlyDisplay;
  const help = text(field.help);

  return (
    <Form.Item
      name={name}
      // in a grid cell the label is only for screen readers (the column header shows it)
      label={label}
      rules={rules}
      required={Boolean(field.required) && Boolean(type.Input)}
      extra={bare || !help ? undefined : help}
      tooltip={bare && help ? help : undefined}
      className={bare ? 'field-item field-item--bare' : 'field-item'}
      data-testid={`field-${name.join('.')}`}
    >
      <Editor field={field} />
    </Form.Item>
  );
}, sameItem);
