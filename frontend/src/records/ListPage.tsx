import { useMemo, useState } from 'react';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Grid, Input, Skeleton, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useRecordCount, useRecordPages } from '../api/queries';
import type { FormDef, RecordData } from '../api/types';
import '../fields';
import { combine, searchExpression, toExpression } from '../filter/model';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { useTitle } from '../lib/useTitle';
import { LoadError } from '../shell/LoadError';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PageHeader } from '../shell/PageHeader';
import { useCurrentForm, useDeleteRecords } from '../shell/appContext';
import { IoToolbar } from '../importexport/IoToolbar';
import { ColumnChooser, useColumnChoice } from './ColumnChooser';
import { FilterButton } from './FilterButton';
import { RecordCards } from './RecordCards';
import { RecordTable } from './RecordTable';
import { useListState } from './useListState';

function CountLabel({ app, form, filter }: { app: string; form: string; filter: string }) {
  const { t } = useI18n();
  const count = useRecordCount(app, form, filter).data;
  if (!count) return null;
  return <>{count.exact ? t('list.count', { count: count.count }) : t('list.countAtLeast', { count: count.count })}</>;
}

function NoRecords({ filtered, onCreate, onClear }: { filtered: boolean; onCreate: () => void; onClear: () => void }) {
  const { t } = useI18n();
  return (
    <Empty
      className="list-empty"
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        filtered ? (
          t('list.noMatch')
        ) : (
          <>
            <Typography.Text strong>{t('list.emptyTitle')}</Typography.Text>
            <br />
            <Typography.Text type="secondary">{t('list.emptyBody')}</Typography.Text>
          </>
        )
      }
    >
      {filtered ? (
        <Button onClick={onClear}>{t('list.clearFilter')}</Button>
      ) : (
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate}>
          {t('list.new')}
        </Button>
      )}
    </Empty>
  );
}

/** A form's records: search, filter, sort, choose columns, page on, select and delete. */
function RecordList({ app, appName, form }: { app: string; appName: string; form: FormDef }) {
  const { t, text } = useI18n();
  const navigate = useNavigate();
  const desktop = Grid.useBreakpoint().md;
  const state = useListState();
  const [searchDraft, setSearchDraft] = useState(state.search);
  const [selected, setSelected] = useState<string[]>([]);
  const { columns, choose } = useColumnChoice(app, form.key, form.fields);
  useTitle(text(form.name), appName);
  const deleteRecords = useDeleteRecords();
  const [deleting, setDeleting] = useState(false);

  const expression = combine(searchExpression(form.fields, state.search), toExpression(state.filter));
  const filter = expression == null ? '' : JSON.stringify(expression);
  const pages = useRecordPages(app, form.key, filter, state.sort);
  const records = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const open = (record: RecordData) => navigate(paths.record(app, form.key, record._id));
  const create = () => navigate(paths.create(app, form.key));
  const clear = () => {
    setSearchDraft('');
    state.setSearch('');
    state.setFilter({ match: 'and', conditions: [] });
  };
  const deleteSelected = async () => {
    setDeleting(true);
    try {
      await deleteRecords(form.key, selected, { onDeleted: () => setSelected([]) });
    } finally {
      setDeleting(false);
    }
  };

  return (
    <div className="page">
      <PageHeader
        title={text(form.name)}
        subtitle={<CountLabel app={app} form={form.key} filter={filter} />}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={create} data-testid="record-new">
            {t('list.new')}
          </Button>
        }
      />
      <Card variant="borderless" className="list-card">
        <div className="list-toolbar">
          <Input.Search
            allowClear
            value={searchDraft}
            placeholder={t('list.search')}
            aria-label={t('list.search')}
            onChange={(event) => setSearchDraft(event.target.value)}
            onSearch={(value) => state.setSearch(value)}
            className="list-toolbar__search"
            data-testid="list-search"
          />
          <Space wrap>
            <FilterButton fields={form.fields} value={state.filter} onApply={state.setFilter} />
            {desktop && <ColumnChooser fields={form.fields} value={columns} onChange={choose} />}
            <IoToolbar app={app} form={form} filter={filter} sort={state.sort} compact={!desktop} />
            {selected.length > 0 && (
              <Button danger icon={<DeleteOutlined />} onClick={() => void deleteSelected()} loading={deleting} data-testid="bulk-delete">
                {t('list.deleteSelected', { count: selected.length })}
              </Button>
            )}
          </Space>
        </div>
        {pages.isError ? (
          <LoadError error={pages.error} onRetry={() => void pages.refetch()} />
        ) : pages.isPending ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : records.length === 0 && !pages.hasNextPage ? (
          <NoRecords filtered={filter !== ''} onCreate={create} onClear={clear} />
        ) : desktop ? (
          <RecordTable
            app={app}
            form={form}
            columns={columns}
            records={records}
            loading={pages.isFetching && !pages.isFetchingNextPage}
            sort={state.sort}
            onSort={state.setSort}
            selected={selected}
            onSelect={setSelected}
            onOpen={open}
          />
        ) : (
          <RecordCards form={form} columns={columns} records={records} selected={selected} onSelect={setSelected} onOpen={open} />
        )}
        {pages.hasNextPage && (
          <div className="list-more">
            <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid="load-more">
              {t('action.loadMore')}
            </Button>
          </div>
        )}
      </Card>
    </div>
  );
}

export default function ListPage() {
  const { t, text } = useI18n();
  const { app, form } = useCurrentForm();
  if (!form) return <NotFoundPage detail={t('notFound.form')} />;
  // a new form starts from a clean slate: its own columns, search and selection
  return <RecordList key={`${app.key}/${form.key}`} app={app.key} appName={text(app.name)} form={form} />;
}
