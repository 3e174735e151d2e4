import { Checkbox, Select, Space, Tag } from 'antd';
import type { FieldDef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { registerFieldType, type DisplayContext, type FieldInputProps } from '../registry';

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

/** One or several values out of a list, searchable by label (selects, members). */
export function OptionSelect({ value, onChange, id, disabled, multiple, options, placeholder, loading }: OptionSelectProps) {
  return (
    <Select
      id={id}
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
  return (
    <OptionSelect
      {...props}
      multiple={field.type === 'multiselect'}
      options={useOptions(field)}
      placeholder={text(field.placeholder) || t('form.select')}
    />
  );
}

function OptionTag({ field, value, ctx }: { field: FieldDef; value: string; ctx: DisplayContext }) {
  const option = field.options?.find((o) => o.value === value);
  return (
    <Tag color={option?.color} style={{ marginInlineEnd: 0 }}>
      {option ? ctx.text(option.label) : value}
    </Tag>
  );
}

registerFieldType({
  type: 'select',
  Input: ChoiceInput,
  sortable: true,
  valueKind: 'option',
  columnWidth: 130,
  display: (value, field, ctx) =>
    typeof value === 'string' && value !== '' ? <OptionTag field={field} value={value} ctx={ctx} /> : '',
});

registerFieldType({
  type: 'multiselect',
  Input: ChoiceInput,
  sortable: false,
  valueKind: 'option',
  columnWidth: 200,
  display: (value, field, ctx) =>
    Array.isArray(value) && value.length > 0 ? (
      <Space size={4} wrap>
        {value.map((item) => (
          <OptionTag key={String(item)} field={field} value={String(item)} ctx={ctx} />
        ))}
      </Space>
    ) : (
      ''
    ),
});

function CheckboxInput({ field, value, onChange, id, disabled }: FieldInputProps<boolean>) {
  const { text } = useI18n();
  return (
    <Checkbox id={id} checked={Boolean(value)} disabled={disabled} onChange={(event) => onChange?.(event.target.checked)}>
      {text(field.placeholder)}
    </Checkbox>
  );
}

registerFieldType({
  type: 'checkbox',
  Input: CheckboxInput,
  sortable: true,
  valueKind: 'bool',
  columnWidth: 100,
  toApi: (value) => Boolean(value),
  display: (value, _field, { t }) => (value === true ? t('form.yes') : value === false ? t('form.no') : ''),
});
