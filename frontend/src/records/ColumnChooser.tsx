import { useState } from 'react';
import { SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Popover } from 'antd';
import type { FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

const DEFAULT_COLUMNS = 6;
const storageKey = (app: string, form: string) => `tessera.columns.${app}.${form}`;

function defaultColumns(fields: FieldDef[]): string[] {
  return fields.filter((f) => f.type !== 'subform' && f.type !== 'textarea').slice(0, DEFAULT_COLUMNS).map((f) => f.key);
}

/** Which columns a list shows, remembered per form on this browser. */
export function useColumnChoice(app: string, form: string, fields: FieldDef[]) {
  const [chosen, setChosen] = useState<string[]>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey(app, form)) ?? 'null') as unknown;
      if (Array.isArray(saved)) return saved.filter((key): key is string => typeof key === 'string');
    } catch {
      // unreadable: use the defaults
    }
    return defaultColumns(fields);
  });
  const known = chosen.filter((key) => fields.some((f) => f.key === key));
  const columns = known.length ? known : defaultColumns(fields);
  const choose = (keys: string[]) => {
    setChosen(keys);
    try {
      localStorage.setItem(storageKey(app, form), JSON.stringify(keys));
    } catch {
      // not remembered, still applied
    }
  };
  return { columns, choose };
}

export function ColumnChooser({ fields, value, onChange }: { fields: FieldDef[]; value: string[]; onChange: (keys: string[]) => void }) {
  const { t, text } = useI18n();
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t('list.columns')}
      content={
        <Checkbox.Group
          className="column-chooser"
          value={value}
          // keep the form's field order whatever order boxes were ticked in
          onChange={(keys) => onChange(fields.map((f) => f.key).filter((key) => keys.includes(key)))}
          options={fields.map((field) => ({ value: field.key, label: text(field.label), disabled: value.length === 1 && value[0] === field.key }))}
        />
      }
    >
      <Button icon={<SettingOutlined />} data-testid="columns-open">
        {t('list.columns')}
      </Button>
    </Popover>
  );
}
