import { AppstoreOutlined, CalendarOutlined, TableOutlined } from '@ant-design/icons';
import { Segmented, Select, Space } from 'antd';
import type { FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { ViewType } from './api';

export const groupFields = (fields: FieldDef[]) => fields.filter((f) => f.type === 'select');
export const dateFields = (fields: FieldDef[]) => fields.filter((f) => f.type === 'date' || f.type === 'datetime');

interface Props {
  fields: FieldDef[];
  view: ViewType;
  onView: (view: ViewType) => void;
  /** the kanban's select field / the calendar's date field in use */
  field?: FieldDef;
  onField: (key: string) => void;
  compact?: boolean;
}

/** Table, kanban or calendar, and for the last two which field they arrange records by. */
export function ViewSwitcher({ fields, view, onView, field, onField, compact }: Props) {
  const { t, text } = useI18n();
  const candidates = view === 'kanban' ? groupFields(fields) : view === 'calendar' ? dateFields(fields) : [];
  const label = (key: 'views.table' | 'views.kanban' | 'views.calendar') => (compact ? undefined : t(key));
  return (
    <Space wrap size={8}>
      <Segmented<ViewType>
        value={view}
        onChange={onView}
        aria-label={t('views.type')}
        data-testid="view-type"
        options={[
          { value: 'table', icon: <TableOutlined />, label: label('views.table'), title: t('views.table') },
          { value: 'kanban', icon: <AppstoreOutlined />, label: label('views.kanban'), title: t('views.kanban'), disabled: groupFields(fields).length === 0 },
          { value: 'calendar', icon: <CalendarOutlined />, label: label('views.calendar'), title: t('views.calendar'), disabled: dateFields(fields).length === 0 },
        ]}
      />
      {candidates.length > 1 && field && (
        <Select
          value={field.key}
          onChange={onField}
          aria-label={view === 'kanban' ? t('views.groupBy') : t('views.dateField')}
          data-testid="view-field"
          popupMatchSelectWidth={false}
          options={candidates.map((f) => ({ value: f.key, label: text(f.label) }))}
        />
      )}
    </Space>
  );
}
