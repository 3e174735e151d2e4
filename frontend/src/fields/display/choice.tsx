/** How options look: a coloured tag per chosen option; a checkbox as yes or no. */
import { Space, Tag } from 'antd';
import type { FieldDef } from '../../api/types';
import { registerFieldType, type DisplayContext } from '../registry';

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
  sortable: true,
  valueKind: 'option',
  columnWidth: 130,
  display: (value, field, ctx) =>
    typeof value === 'string' && value !== '' ? <OptionTag field={field} value={value} ctx={ctx} /> : '',
});

registerFieldType({
  type: 'multiselect',
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

registerFieldType({
  type: 'checkbox',
  sortable: true,
  valueKind: 'bool',
  columnWidth: 100,
  toApi: (value) => Boolean(value),
  display: (value, _field, { t }) => (value === true ? t('form.yes') : value === false ? t('form.no') : ''),
});
