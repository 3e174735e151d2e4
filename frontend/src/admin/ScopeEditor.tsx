import { useState } from 'react';
import { CloseOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, Select, Space, Typography } from 'antd';
import type { FieldDef, FormDef } from '../api/types';
import '../fields'; // the condition builder offers the fields whose types are registered
import { ConditionBuilder } from '../filter/ConditionBuilder';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import {
  callerFields,
  DEFAULT_SCOPE,
  SCOPES,
  scopeExpression,
  scopeModel,
  SYSTEM_FIELDS,
  type CallerCondition,
  type CallerVariable,
  type ScopeModel,
} from './roleModel';

const CUSTOM = 'custom';

/** A field's label, with names for the system fields every form has. */
export function useFieldLabel() {
  const { t, text } = useI18n();
  return (field: FieldDef) => (field.key.startsWith('_') ? t(`admin.perm.sys.${field.key}` as MessageKey) : text(field.label) || field.key);
}

function CallerRow({ form, condition, onChange, onRemove }: { form: FormDef; condition: CallerCondition; onChange: (c: CallerCondition) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const label = useFieldLabel();
  const fields = callerFields(form, condition.variable);
  return (
    <div className="condition" data-testid="caller-condition">
      <Select
        className="condition__field"
        value={condition.field || undefined}
        aria-label={t('filter.field')}
        options={fields.map((f) => ({ value: f.key, label: label(f) }))}
        onChange={(field: string) => onChange({ ...condition, field })}
      />
      <Select className="condition__op" value="==" disabled aria-label={t('filter.operator')} options={[{ value: '==', label: t('op.==') }]} />
      <Select
        className="condition__value"
        value={condition.variable}
        aria-label={t('filter.value')}
        options={(['$user', '$department'] as const).map((v) => ({ value: v, label: t(v === '$user' ? 'admin.roles.var.user' : 'admin.roles.var.department') }))}
        onChange={(variable: CallerVariable) => onChange({ variable, field: callerFields(form, variable)[0]?.key ?? '' })}
      />
      <Button type="text" icon={<CloseOutlined />} aria-label={t('filter.remove')} title={t('filter.remove')} onClick={onRemove} />
    </div>
  );
}

/** A custom scope: "is me / my department" conditions and ordinary field conditions (the list's
 * condition builder), joined by one "all / any". */
function ExpressionEditor({ form, value, onChange }: { form: FormDef; value: unknown; onChange: (scope: unknown) => void }) {
  const { t } = useI18n();
  const label = useFieldLabel();
  const [model, setModel] = useState<ScopeModel | null>(() => scopeModel(value));
  const [raw, setRaw] = useState(() => JSON.stringify(value, null, 2));
  const [rawError, setRawError] = useState(false);
  if (!model) {
    // a shape the visual editor can't show: edit it as JSON rather than rewrite it
    return (
      <div>
        <Typography.Paragraph type="secondary">{t('admin.perm.rawHint')}</Typography.Paragraph>
        <Input.TextArea
          value={raw}
          autoSize={{ minRows: 3, maxRows: 12 }}
          aria-label={t('admin.perm.scopeExpression')}
          status={rawError ? 'error' : undefined}
          onChange={(e) => {
            setRaw(e.target.value);
            try {
              onChange(JSON.parse(e.target.value) as unknown);
              setRawError(false);
            } catch {
              setRawError(true);
            }
          }}
          data-testid="scope-raw"
        />
        {rawError && <Typography.Text type="danger">{t('admin.perm.rawInvalid')}</Typography.Text>}
      </div>
    );
  }
  const update = (next: ScopeModel) => {
    setModel(next);
    onChange(scopeExpression(next));
  };
  const total = model.caller.length + model.filter.conditions.length;
  const fields = [
    ...form.fields,
    ...SYSTEM_FIELDS.filter((f) => f.type === 'datetime').map((f) => {
      const name = label(f);
      return { ...f, label: { en: name, 'zh-CN': name } };
    }),
  ];
  return (
    <div className="perm__expression" data-testid="scope-expression">
      {model.caller.length > 0 && total > 1 && (
        <Space className="condition-builder__match">
          <Typography.Text>{t('filter.match')}</Typography.Text>
          <Select
            value={model.match}
            aria-label={t('filter.match')}
            style={{ width: 140 }}
            options={[
              { value: 'and', label: t('filter.all') },
              { value: 'or', label: t('filter.any') },
            ]}
            onChange={(match: 'and' | 'or') => update({ ...model, match, filter: { ...model.filter, match } })}
          />
        </Space>
      )}
      {model.caller.map((condition, index) => (
        <CallerRow
          key={index}
          form={form}
          condition={condition}
          onChange={(c) => update({ ...model, caller: model.caller.map((x, i) => (i === index ? c : x)) })}
          onRemove={() => update({ ...model, caller: model.caller.filter((_, i) => i !== index) })}
        />
      ))}
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        className="perm__add-caller"
        onClick={() => update({ ...model, caller: [...model.caller, { field: '_owner', variable: '$user' }] })}
        data-testid="scope-add-caller"
      >
        {t('admin.perm.addCaller')}
      </Button>
      <ConditionBuilder fields={fields} value={model.filter} onChange={(filter) => update({ ...model, match: filter.match, filter })} />
    </div>
  );
}

/** Which records a role's actions reach on one form: a named scope or a custom expression. */
export function ScopeEditor({ form, value, onChange, id }: { form: FormDef; value: unknown; onChange: (scope: unknown) => void; id?: string }) {
  const { t } = useI18n();
  const named = typeof value === 'string' || value === undefined;
  const current = value === undefined ? DEFAULT_SCOPE : named ? (value as string) : CUSTOM;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Select
        id={id}
        value={current}
        className="perm__scope"
        aria-label={t('admin.roles.scope')}
        data-testid={`scope-${form.key}`}
        options={[...SCOPES, CUSTOM].map((s) => ({ value: s, label: t(`admin.perm.scopeOption.${s}` as MessageKey) }))}
        onChange={(next: string) => onChange(next === CUSTOM ? { '==': [{ var: '_owner' }, { var: '$user' }] } : next)}
      />
      {!named && <ExpressionEditor key={form.key} form={form} value={value} onChange={onChange} />}
    </Space>
  );
}
