import type { ReactElement } from 'react';
import { Checkbox, Select } from 'antd';
import type { FieldDef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { useLazyControl } from '../lazy';
import '../display/choice';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';

function useOptions(field: FieldDef) {
  const { text } = useI18n();
  return (field.options ?? []).map((option) => ({ value: option.value, label: text(option.label) }));
}

interface OptionSelectProps extends Omit<FieldInputProps<string | string[]>, 'field'> {
  multiple: boolean;
  /** `search`: what typing matches (default: the label) */
  options: { value: string; label: string; search?: string; hint?: string }[];
  placeholder: string;
  loading?: boolean;
}

/** The labels a select shows for its value: an option's label, or the value itself if no option has it. */
export function labelsOf(value: unknown, options: { value: string; label: string }[]): string[] {
  const values = Array.isArray(value) ? value : value == null || value === '' ? [] : [value];
  return values.map((item) => options.find((option) => option.value === item)?.label ?? String(item));
}

/**
 * One or several values out of a list, searchable by label (selects, members). In a record form
 * the Select mounts when first focused or pressed (fields/lazy.tsx). A hook the editor returns
 * the result of, not a component of its own: one component fewer per select on a large form.
 */
export function useOptionSelect({ value, onChange, id, disabled, multiple, options, placeholder, loading, ...aria }: OptionSelectProps): ReactElement {
  const { lookalike, how } = useLazyControl({ kind: 'select', id, disabled, multiple, shown: labelsOf(value, options), placeholder, aria: ariaOf(aria) });
  if (lookalike) return lookalike;
  return (
    <Select
      id={id}
      {...ariaOf(aria)}
      {...how}
      value={value ?? (multiple ? [] : undefined)}
      mode={multiple ? 'multiple' : undefined}
      disabled={disabled}
      allowClear
      loading={loading}
      showSearch={{ optionFilterProp: options.some((o) => o.search) ? 'search' : 'label' }}
      placeholder={placeholder}
      options={options}
      optionRender={(option) =>
        option.data.hint ? (
          <span>
            {option.data.label} <span className="option-hint">{option.data.hint}</span>
          </span>
        ) : (
          option.data.label
        )
      }
      style={{ width: '100%' }}
      onChange={(next) => onChange?.(next ?? null)}
    />
  );
}

function ChoiceInput({ field, ...props }: FieldInputProps<string | string[]>) {
  const { t, text } = useI18n();
  return useOptionSelect({
    ...props,
    multiple: field.type === 'multiselect',
    options: useOptions(field),
    placeholder: text(field.placeholder) || t('form.select'),
  });
}

registerFieldEditor('select', { Input: ChoiceInput, fills: true });
registerFieldEditor('multiselect', { Input: ChoiceInput, fills: true });

function CheckboxInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<boolean>) {
  const { text } = useI18n();
  return (
    <Checkbox id={id} {...ariaOf(aria)} checked={Boolean(value)} disabled={disabled} onChange={(event) => onChange?.(event.target.checked)}>
      {text(field.placeholder)}
    </Checkbox>
  );
}

registerFieldEditor('checkbox', { Input: CheckboxInput });
