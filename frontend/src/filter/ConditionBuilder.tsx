import { CloseOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Select, Space, Typography } from 'antd';
import type { FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { filterableFields, operatorsFor, takesValue, type Condition, type FilterModel, type Operator } from './model';
import { ValueInput } from './ValueInput';

interface ConditionBuilderProps {
  fields: FieldDef[];
  value: FilterModel;
  onChange: (value: FilterModel) => void;
}

function ConditionRow({ fields, condition, onChange, onRemove }: {
  fields: FieldDef[];
  condition: Condition;
  onChange: (condition: Condition) => void;
  onRemove: () => void;
}) {
  const { t, text } = useI18n();
  const field = fields.find((f) => f.key === condition.field);
  const operators = field ? operatorsFor(field) : [];
  return (
    <div className="condition" data-testid="condition">
      <Select
        className="condition__field"
        value={condition.field || undefined}
        placeholder={t('filter.field')}
        aria-label={t('filter.field')}
        showSearch={{ optionFilterProp: 'label' }}
        options={fields.map((f) => ({ value: f.key, label: text(f.label) }))}
        onChange={(key: string) => {
          const next = fields.find((f) => f.key === key);
          onChange({ field: key, op: next ? operatorsFor(next)[0] : '==', value: undefined });
        }}
      />
      <Select
        className="condition__op"
        value={condition.op}
        aria-label={t('filter.operator')}
        disabled={!field}
        options={operators.map((op) => ({ value: op, label: t(`op.${op}`) }))}
        onChange={(op: Operator) =>
          onChange({ ...condition, op, value: op === 'in' || condition.op === 'in' ? undefined : condition.value })
        }
      />
      {field && takesValue(condition.op) ? (
        <ValueInput field={field} op={condition.op} value={condition.value} onChange={(value) => onChange({ ...condition, value })} />
      ) : (
        <span className="condition__value" />
      )}
      <Button type="text" icon={<CloseOutlined />} aria-label={t('filter.remove')} title={t('filter.remove')} onClick={onRemove} />
    </div>
  );
}

/** Builds a list filter visually: "match all/any of" a set of field-operator-value conditions. */
export function ConditionBuilder({ fields, value, onChange }: ConditionBuilderProps) {
  const { t } = useI18n();
  const usable = filterableFields(fields);
  const update = (index: number, condition: Condition) =>
    onChange({ ...value, conditions: value.conditions.map((c, i) => (i === index ? condition : c)) });
  const remove = (index: number) => onChange({ ...value, conditions: value.conditions.filter((_, i) => i !== index) });
  const add = () => {
    const first = usable[0];
    onChange({ ...value, conditions: [...value.conditions, { field: first?.key ?? '', op: first ? operatorsFor(first)[0] : '==' }] });
  };

  return (
    <div className="condition-builder">
      {value.conditions.length > 1 && (
        <Space className="condition-builder__match">
          <Typography.Text>{t('filter.match')}</Typography.Text>
          <Select
            value={value.match}
            aria-label={t('filter.match')}
            style={{ width: 140 }}
            options={[
              { value: 'and', label: t('filter.all') },
              { value: 'or', label: t('filter.any') },
            ]}
            onChange={(match: FilterModel['match']) => onChange({ ...value, match })}
          />
        </Space>
      )}
      {value.conditions.length === 0 && <Typography.Paragraph type="secondary">{t('filter.empty')}</Typography.Paragraph>}
      {value.conditions.map((condition, index) => (
        <ConditionRow key={index} fields={usable} condition={condition} onChange={(c) => update(index, c)} onRemove={() => remove(index)} />
      ))}
      <Button type="dashed" icon={<PlusOutlined />} onClick={add} disabled={usable.length === 0} data-testid="filter-add">
        {t('filter.add')}
      </Button>
    </div>
  );
}
