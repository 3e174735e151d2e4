import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Input, Skeleton, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useRecordCount, useRecordPages } from '../api/queries';
import type { AppDetail, FormDef, RecordData } from '../api/types';
import '../fields/display';
import { combine, searchExpression } from '../filter/model';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
import { preloadRoute } from '../app/boot';
import { useTitle } from '../lib/useTitle';
import { usePrefetchWhenIdle } from '../lib/whenIdle';
import { useDesktop } from '../lib/useDesktop';
import { LoadError } from '../shell/LoadError';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PageHeader } from '../shell/PageHeader';
import { useCurrentForm, useDeleteRecords } from '../shell/appContext';
import { IoToolbar } from '../importexport/IoToolbar';
import { ColumnChooser, useColumnChoice } from './ColumnChooser';
import { FilterButton } from './FilterButton';
import { RecordCards } from './RecordCards';
import { RecordTable } from './RecordTable';
import { currentSettings, useListState } from './useListState';
import { formAccess, useViews, type ViewItem } from '../views/api';
import { bulkEditableFields } from '../views/bulkEditable';
import { prefillUrl } from '../views/prefill';
import { SavedViewsMenu } from '../views/SavedViewsMenu';
import { dateFields, groupFields, ViewSwitcher } from '../views/ViewSwitcher';
// the views row's styles (.list-views, .views-select) live with the kanban's and calendar's,
// which load lazily: the table needs them from the start
import '../views/views.css';

// the kanban (with its drag and drop) and the calendar load when a list is shown that way:
// the table, what most lists open as, does not wait for them
const KanbanView = lazy(() => import('../views/KanbanView').then((module) => ({ default: module.KanbanView })));
const CalendarView = lazy(() => import('../views/CalendarView').then((module) => ({ default: module.CalendarView })));
// the dialog's form, select and field editors load when someone opens it, not with the list
const BulkEditDialog = lazy(() => import('../views/BulkEditDialog').then((module) => ({ default: module.BulkEditDialog })));

function CountLabel({ app, form, filter }: { app: string; form: string; filter: string }) {
  const { t } = useI18n();
  const count = useRecordCount(app, form, filter).data;
  if (!count) return null;
  return <>{count.exact ? t('list.count', { count: count.count }) : t('list.countAtLeast', { count: count.count })}</>;
}

function NoRecords({ filtered, onCreate, onClear }: { filtered: boolean; onCreate?: () => void; onClear: () => void }) {
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
        onCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={onCreate}>
            {t('list.new')}
          </Button>
        )
      )}
    </Empty>
  );
}

/** How long a list is left to itself before the code of the pages it leads to is fetched. */
const PREFETCH_AFTER_MS = 300;

/** How long a list's first showing waits for its first page before drawing its toolbar and a skeleton. */
const FIRST_PAGE_WAIT_MS = 250;

/**
 * Whether a list shown for the first time is still waiting for its first page. That page is
 * usually answered already or nearly (a full load's boot script asks for it with the shell's
 * files, an in-app move is one API call): waiting for it draws the toolbar and the rows in one
 * render and one layout, instead of the toolbar with a skeleton first (antd's Skeleton mounted,
 * and a style recalc and layout of the page thrown away a few ms later). A slow answer gets the
 * toolbar and the skeleton after FIRST_PAGE_WAIT_MS, as before; later queries (sort, filter)
 * never wait.
 */
function useFirstPageWait(pending: boolean): boolean {
  // over for good once the page has come or the wait has run out; the page's coming is noted
  // while rendering (React's way of storing what an earlier render saw), not in a ref
  const [over, setOver] = useState(!pending);
  if (!pending && !over) setOver(true);
  const waiting = pending && !over;
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(() => setOver(true), FIRST_PAGE_WAIT_MS);
    return () => window.clearTimeout(timer);
  }, [waiting]);
  return waiting;
}

/** The JSON text of the URL's filter as an expression (null for none or unreadable). */
function parsedFilter(raw: string): unknown {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

/**
 * A form's records: search, filter, sort, choose columns, page on, select, edit and delete in
 * bulk; as a table, a kanban or a calendar; saved as named views. Buttons the caller's
 * permissions would refuse are not shown (the server checks every request anyway).
 */
function RecordList({ app, form }: { app: AppDetail; form: FormDef }) {
  const { t, text } = useI18n();
  const navigate = useNavigate();
  // right on the first render (antd's useBreakpoint is {} at first: the list was drawn twice)
  const desktop = useDesktop();
  const state = useListState();
  const [searchDraft, setSearchDraft] = useState(state.search);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkEditing, setBulkEditing] = useState(false);
  // another saved view (picked in the side menu: only the URL changes) shows other records, so
  // the rows picked in the last one go; adjusted while rendering, so no frame shows them
  const [selectionView, setSelectionView] = useState(state.savedView);
  if (selectionView !== state.savedView) {
    setSelectionView(state.savedView);
    setSelected([]);
  }
  const choice = useColumnChoice(app.key, form.key, form.fields);
  const urlColumns = state.columns?.filter((key) => form.fields.some((f) => f.key === key));
  const columns = urlColumns?.length ? urlColumns : choice.columns;
  const choose = (keys: string[]) => {
    choice.choose(keys);
    state.setColumns(keys);
  };
  useTitle(text(form.name), text(app.name));
  const deleteRecords = useDeleteRecords();
  const [deleting, setDeleting] = useState(false);
  const access = formAccess(app, form.key);
  const views = useViews(app.key, form.key);
  const opened = useRef(false);
  useEffect(() => {
    // a plain list (no settings in the URL) opens the app's default view of the form, once
    if (opened.current || !views.data) return;
    opened.current = true;
    const plain = !state.savedView && state.view === 'table' && !state.rawFilter && !state.sort && !state.columns && !state.search;
    const preset = views.data.items.find((view) => view.default);
    if (plain && preset) state.applyView(preset, preset.id);
  }, [views.data, state]);

  const expression = combine(searchExpression(form.fields, state.search), parsedFilter(state.rawFilter));
  const filter = expression == null ? '' : JSON.stringify(expression);
  const table = state.view === 'table';
  // kanban lanes and the calendar fetch their own records
  const pages = useRecordPages(app.key, form.key, filter, state.sort, table);
  const records = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const waitingFirstPage = useFirstPageWait(table && pages.isPending);
  const open = (record: RecordData) => navigate(paths.record(app.key, form.key, record._id));
  const create = access.can('create') ? () => navigate(paths.create(app.key, form.key)) : undefined;
  // what a click here opens next (New, a row), fetched once the list has been shown a moment;
  // fetched, not run (modulepreload): with an import() here, which also runs both pages' modules
  // while the person works on the list, a click on a dialog opened meanwhile was lost 1 time in
  // ~30 under load (its onOk never ran; test_nav_views), and this way it was not
  const firstRecord = records[0]?._id;
  const preloadNew = useCallback(() => preloadRoute(paths.create(app.key, form.key)), [app.key, form.key]);
  const preloadRecord = useCallback(() => firstRecord && preloadRoute(paths.record(app.key, form.key, firstRecord)), [app.key, form.key, firstRecord]);
  usePrefetchWhenIdle(preloadNew, Boolean(create) && !pages.isPending, PREFETCH_AFTER_MS);
  usePrefetchWhenIdle(preloadRecord, Boolean(firstRecord), PREFETCH_AFTER_MS);
  const groupField = groupFields(form.fields).find((f) => f.key === state.group) ?? groupFields(form.fields)[0];
  const dateField = dateFields(form.fields).find((f) => f.key === state.date) ?? dateFields(form.fields)[0];
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
  const pickView = (view: ViewItem | null) => {
    setSelected([]);
    state.applyView(view, view?.id ?? '');
  };
  const selectedRecords = records.filter((record) => selected.includes(record._id));
  const canBulkEdit = access.can('edit') && bulkEditableFields(form, access.readonly).length > 0;

  const header = (
    <PageHeader
      title={text(form.name)}
      subtitle={<CountLabel app={app.key} form={form.key} filter={filter} />}
      extra={
        create && (
          <Button type="primary" icon={<PlusOutlined />} onClick={create} data-testid="record-new">
            {t('list.new')}
          </Button>
        )
      }
    />
  );
  if (waitingFirstPage) return <div className="page">{header}</div>;

  return (
    <div className="page">
      {header}
      <Card variant="borderless" className="list-card">
        <div className="list-views">
          <SavedViewsMenu
            app={app.key}
            form={form.key}
            current={state.savedView}
            settings={currentSettings(state, columns)}
            onPick={pickView}
            onSaved={(view) => {
              // saving the list as a view shows the same records: the selection stays
              setSelectionView(view.id);
              state.applyView(view, view.id);
            }}
          />
          <ViewSwitcher
            fields={form.fields}
            view={state.view}
            onView={(view) => {
              setSelected([]);
              state.setView(view);
            }}
            field={state.view === 'kanban' ? groupField : state.view === 'calendar' ? dateField : undefined}
            onField={(key) => (state.view === 'kanban' ? state.setGroup(key) : state.setDate(key))}
            compact={!desktop}
          />
        </div>
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
            <IoToolbar app={app.key} form={form} filter={filter} sort={state.sort} compact={!desktop} canImport={access.can('import')}
              canExport={access.can('export')}
              canTrash={access.can('delete')}
            />
            {table && selected.length > 0 && canBulkEdit && (
              <Button icon={<EditOutlined />} onClick={() => setBulkEditing(true)} data-testid="bulk-edit">
                {t('bulk.edit', { count: selected.length })}
              </Button>
            )}
            {table && selected.length > 0 && access.can('delete') && (
              <Button danger icon={<DeleteOutlined />} onClick={() => void deleteSelected()} loading={deleting} data-testid="bulk-delete">
                {t('list.deleteSelected', { count: selected.length })}
              </Button>
            )}
          </Space>
        </div>
        <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
          {state.view === 'kanban' && groupField ? (
            <KanbanView
              app={app.key}
              form={form}
              group={groupField}
              columns={columns}
              expression={expression}
              sort={state.sort}
              canMove={access.can('edit') && !access.readonly.includes(groupField.key)}
              onOpen={open}
              onCreate={
                create && !access.readonly.includes(groupField.key)
                  ? (value) => navigate(prefillUrl(paths.create(app.key, form.key), value === null ? {} : { [groupField.key]: value }))
                  : undefined
              }
            />
          ) : state.view === 'calendar' && dateField ? (
            <CalendarView
              app={app.key}
              form={form}
              dateField={dateField}
              endField={dateFields(form.fields).find((f) => f.key === state.end && f.key !== dateField.key)}
              expression={expression}
              canCreate={Boolean(create) && !access.readonly.includes(dateField.key)}
              onOpen={open}
              onCreate={(day) => navigate(prefillUrl(paths.create(app.key, form.key), { [dateField.key]: dateField.type === 'date' ? day : `${day}T09:00:00` }))}
            />
          ) : pages.isError ? (
            <LoadError error={pages.error} onRetry={() => void pages.refetch()} />
          ) : pages.isPending ? (
            <Skeleton active paragraph={{ rows: 6 }} />
          ) : records.length === 0 && !pages.hasNextPage ? (
            <NoRecords filtered={filter !== ''} onCreate={create} onClear={clear} />
          ) : desktop ? (
            <RecordTable
              app={app.key}
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
            <RecordCards app={app.key} form={form} columns={columns} records={records} selected={selected} onSelect={setSelected} onOpen={open} />
          )}
        </Suspense>
        {table && pages.hasNextPage && (
          <div className="list-more">
            <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid="load-more">
              {t('action.loadMore')}
            </Button>
          </div>
        )}
      </Card>
      {canBulkEdit && bulkEditing && (
        <Suspense fallback={null}>
          <BulkEditDialog
            app={app}
            form={form}
            records={selectedRecords}
            readonly={access.readonly}
            open={bulkEditing}
            onClose={() => setBulkEditing(false)}
            onDone={() => setSelected([])}
          />
        </Suspense>
      )}
    </div>
  );
}

export default function ListPage() {
  const { t } = useI18n();
  const { app, form } = useCurrentForm();
  if (!form) return <NotFoundPage detail={t('notFound.form')} />;
  // a new form starts from a clean slate: its own columns, search and selection
  return <RecordList key={`${app.key}/${form.key}`} app={app} form={form} />;
}
