import { lazy, Suspense, useState } from 'react';
import { FilterOutlined } from '@ant-design/icons';
import { Badge, Button, Popover, Skeleton, Space } from 'antd';
import type { FieldDef } from '../api/types';
import { EMPTY_FILTER, toExpression, type FilterModel } from '../filter/model';
import { useI18n } from '../i18n/I18nProvider';

// the condition builder (with its value inputs: pickers, selects) loads when the filter is first
// pointed at or opened, not with the list's first page
const loadBuilder = () => import('../filter/ConditionBuilder');
const ConditionBuilder = lazy(() => loadBuilder().then((module) => ({ default: module.ConditionBuilder })));

/** The filter: edited as a draft in a popover, applied to the list on "Apply". */
export function FilterButton({ fields, value, onApply }: { fields: FieldDef[]; value: FilterModel; onApply: (model: FilterModel) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(value);
  const active = toExpression(value) == null ? 0 : value.conditions.length;

  const apply = (model: FilterModel) => {
    onApply(model);
    setOpen(false);
  };

  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        if (next) setDraft(value.conditions.length ? value : { ...EMPTY_FILTER });
        setOpen(next);
      }}
      trigger="click"
      placement="bottomRight"
      title={t('list.filter')}
      content={
        <div className="filter-popover" data-testid="filter-panel">
          <Suspense fallback={<Skeleton active title={false} paragraph={{ rows: 2 }} />}>
            <ConditionBuilder fields={fields} value={draft} onChange={setDraft} />
          </Suspense>
          <Space className="filter-popover__actions">
            <Button onClick={() => apply(EMPTY_FILTER)}>{t('action.reset')}</Button>
            <Button type="primary" onClick={() => apply(draft)} data-testid="filter-apply">
              {t('action.apply')}
            </Button>
          </Space>
        </div>
      }
    >
      <Badge count={active} size="small" color="var(--brand)">
        <Button
          icon={<FilterOutlined />}
          type={active ? 'primary' : 'default'}
          ghost={Boolean(active)}
          onMouseEnter={() => void loadBuilder()}
          onFocus={() => void loadBuilder()}
          data-testid="filter-open"
        >
          {t('list.filter')}
        </Button>
      </Badge>
    </Popover>
  );
}
