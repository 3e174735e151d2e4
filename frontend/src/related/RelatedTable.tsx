import { useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Grid, Space, Table, Typography, type TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router';
import { keys, recordsApi } from '../api/queries';
import type { FieldDef, FormDef, RecordData } from '../api/types';
import { fieldType } from '../fields/display';
import { titleFieldOf } from '../fields/context';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { LoadError } from '../shell/LoadError';

export const RELATED_PAGE_SIZE = 10;

/**
 * The few fields that say most about a related record: its title, then the first short fields
 * (long text, sub-forms and the relation back to the record itself say little in a compact row).
 */
export function compactColumns(form: FormDef, skip: string, wanted: number): FieldDef[] {
  const title = titleFieldOf(form);
  const first = form.fields.find((field) => field.key === title);
  const others = form.fields.filter(
    (field) => field.key !== title && field.key !== skip && field.type !== 'subform' && !fieldType(field.type).wide,
  );
  return [...(first ? [first] : []), ...others].slice(0, wanted);
}

interface RelatedTableProps {
  app: string;
  form: FormDef;
  /** the relation field pointing back at the record (not worth a column) */
  via: string;
  /** the list filter, JSON text */
  filter: string;
  /** shown when nothing points at the record yet */
  empty: ReactNode;
}

/** One page of related records at a time, newest first, each row opening its record page. */
export function RelatedTable({ app, form, via, filter, empty }: RelatedTableProps) {
  const { t, text } = useI18n();
  const navigate = useNavigate();
  const display = useDisplay({ compact: true });
  const wide = Grid.useBreakpoint().md;
  // cursors[i] opens page i; the first page has none
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const page = useQuery({
    queryKey: [...keys.records(app, form.key), 'related', filter, cursor],
    queryFn: ({ signal }) => recordsApi.list(app, form.key, { filter, sort: '-_id', limit: RELATED_PAGE_SIZE, cursor }, signal),
    placeholderData: keepPreviousData,
  });
  if (page.isError) return <LoadError error={page.error} onRetry={() => void page.refetch()} />;

  const fields = compactColumns(form, via, wide ? 4 : 2);
  const titleKey = titleFieldOf(form);
  const columns: TableColumnsType<RecordData> = fields.map((field) => ({
    key: field.key,
    title: text(field.label),
    ellipsis: true,
    render: (_: unknown, record: RecordData) => {
      const shown = display(field, record[field.key], record._titles);
      if (field.key !== titleKey) return shown;
      return (
        <Link to={paths.record(app, form.key, record._id)} onClick={(event) => event.stopPropagation()}>
          {shown || record._id.slice(0, 8)}
        </Link>
      );
    },
  }));
  const index = cursors.length - 1;
  const next = page.data?.next_cursor ?? null;
  return (
    <div className="related-table">
      <Table<RecordData>
        rowKey="_id"
        size="small"
        columns={columns}
        dataSource={page.data?.items ?? []}
        loading={page.isFetching}
        pagination={false}
        locale={{ emptyText: empty }}
        scroll={{ x: 'max-content' }}
        onRow={(record) => ({ onClick: () => navigate(paths.record(app, form.key, record._id)), className: 'related-row' })}
        data-testid={`related-table-${form.key}`}
      />
      {(index > 0 || next) && (
        <Space className="related-table__pager">
          <Button size="small" icon={<LeftOutlined />} disabled={index === 0} aria-label={t('related.previous')}
            onClick={() => setCursors((all) => all.slice(0, -1))} data-testid="related-prev" />
          <Typography.Text type="secondary">{t('related.page', { page: index + 1 })}</Typography.Text>
          <Button size="small" icon={<RightOutlined />} disabled={!next} aria-label={t('related.next')}
            onClick={() => setCursors((all) => [...all, next])} data-testid="related-next" />
        </Space>
      )}
    </div>
  );
}
