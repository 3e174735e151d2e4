import { memo, useContext, useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { ConfigProvider, Empty } from 'antd';
import Indicator from 'antd/es/spin/Indicator';
import useSpinStyle from 'antd/es/spin/style';
import useTableStyle from 'antd/es/table/style';
import { useNavigate } from 'react-router';
import type { FieldDef, FormDef, RecordData } from '../api/types';
import { fieldType } from '../fields/display';
import { LookupProvider } from '../fields/display/LookupProvider';
import { recordTitle, titleFieldOf } from '../fields/context';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import { useAntdClasses } from '../lib/antdClasses';
import { clickedInsideControl, isPlainClick } from '../lib/rowClick';
import { paths } from '../lib/paths';
import { useLatest } from '../lib/useLatest';
import { selectBox, useSelectBoxWave } from './selectBox';
import './RecordTable.css';

interface RecordTableProps {
  app: string;
  form: FormDef;
  columns: string[];
  records: RecordData[];
  loading: boolean;
  sort: string;
  onSort: (sort: string) => void;
  selected: string[];
  onSelect: (ids: string[]) => void;
  onOpen: (record: RecordData) => void;
}

type SortOrder = 'ascend' | 'descend' | null;

/** "a,-b" -> the first key and its direction, as the table's header arrows show it. */
function sortOrderOf(sort: string, key: string): SortOrder {
  const first = sort.split(',')[0] ?? '';
  if (first === key) return 'ascend';
  if (first === `-${key}`) return 'descend';
  return null;
}

/** A header click steps through ascending, descending and unsorted, as antd's sorter does. */
function nextSort(sort: string, key: string): string {
  const order = sortOrderOf(sort, key);
  if (order === null) return key;
  return order === 'ascend' ? `-${key}` : '';
}

const CARET_UP = 'M858.9 689L530.5 308.2c-9.4-10.9-27.5-10.9-37 0L165.1 689c-12.2 14.2-1.2 35 18.5 35h656.8c19.7 0 30.7-20.8 18.5-35z';
const CARET_DOWN = 'M840.4 300H183.6c-19.7 0-30.7 20.8-18.5 35l328.4 380.8c9.4 10.9 27.5 10.9 37 0L858.9 335c12.2-14.2 1.2-35-18.5-35z';

/** One of the header's two sort arrows, as antd's CaretUp/CaretDownOutlined draw them (decorative, as the build makes antd's icons: scripts/decorative-icons.mjs; the header says its order by aria-sort). */
function caret(up: boolean, active: boolean) {
  const name = up ? 'caret-up' : 'caret-down';
  return (
    <span role="img" aria-hidden="true" className={`anticon anticon-${name} ant-table-column-sorter-${up ? 'up' : 'down'}${active ? ' active' : ''}`}>
      <svg viewBox="0 0 1024 1024" focusable="false" data-icon={name} width="1em" height="1em" fill="currentColor" aria-hidden="true">
        <path d={up ? CARET_UP : CARET_DOWN} />
      </svg>
    </span>
  );
}

/** A column as the rows draw it: worked out once per column choice, sort and language. */
interface Column {
  field: FieldDef;
  label: string;
  width?: number;
  ellipsis: boolean;
  sortable: boolean;
  order: SortOrder;
  isTitle: boolean;
}

/** A cell's classes, as antd's table gives them. */
function cellClass(column: Column): string {
  return `ant-table-cell${column.order ? ' ant-table-column-sort' : ''}${column.ellipsis ? ' ant-table-cell-ellipsis' : ''}`;
}

/** Row callbacks that keep their identity across renders, so unchanged rows are not rendered again. */
interface RowActions {
  open: (record: RecordData) => void;
  toggle: (index: number, on: boolean, shift: boolean) => void;
  display: ReturnType<typeof useDisplay>;
  /** the checkboxes' click wave classes (selectBox) */
  wave: string;
}

interface RowProps {
  app: string;
  form: string;
  record: RecordData;
  index: number;
  checked: boolean;
  columns: Column[];
  /** the form's definition: the checkbox names its record by the record's title */
  def: FormDef;
  /** the language: a change draws the cells again */
  locale: string;
  actions: { current: RowActions };
}

const Row = memo(function Row({ app, form, record, index, checked, columns, def, actions }: RowProps) {
  return (
    <tr
      className={`ant-table-row ant-table-row-level-0${checked ? ' ant-table-row-selected' : ''} record-row`}
      data-row-key={record._id}
      onClick={(event) => {
        if (!clickedInsideControl(event)) actions.current.open(record);
      }}
    >
      <td className="ant-table-cell ant-table-selection-column">
        {selectBox({ checked, label: recordTitle(def, record, { idChars: 8 }), wave: actions.current.wave, onChange: (on, shift) => actions.current.toggle(index, on, shift) })}
      </td>
      {columns.map((column) => {
        const shown = actions.current.display(column.field, record[column.field.key], record._titles);
        let content: ReactNode = shown;
        let text = typeof shown === 'string' || typeof shown === 'number' ? String(shown) : undefined;
        if (column.isTitle) {
          text = text || record._id.slice(0, 8);
          // a plain link (the path is absolute: nothing to resolve per row, as a router Link would)
          content = (
            <a
              href={paths.record(app, form, record._id)}
              onClick={(event) => {
                event.stopPropagation();
                if (!isPlainClick(event)) return;
                event.preventDefault();
                actions.current.open(record);
              }}
            >
              {shown || record._id.slice(0, 8)}
            </a>
          );
        }
        return (
          <td key={column.field.key} className={cellClass(column)} title={column.ellipsis ? text : undefined}>
            {content}
          </td>
        );
      })}
    </tr>
  );
});

/**
 * antd's Spin indicator over the rows while they reload (a sort): mounted only then, so the
 * Spin's own style hook (its dot sizes' CSS variables) runs when it is first needed, not on the
 * list's first render.
 */
function SpinSection({ prefix }: { prefix: string }) {
  useSpinStyle(prefix);
  return (
    <div className={`${prefix}-section`}>
      <Indicator prefixCls={prefix} />
    </div>
  );
}

/**
 * The desktop list: a column per chosen field, sortable headers, row selection. A plain table in
 * antd's table markup and classes (dressed by the prebuilt antd.css, as the zero-runtime theme
 * loads it), not antd's Table: that one mounts ~1,300 components for 50 rows (a Cell per cell,
 * measuring observers, a forced layout to size the scroll bar), most of a full load's render.
 * Wide lists scroll sideways and long texts end in "…" by CSS (RecordTable.css); a cut text
 * shows whole in its cell's title. Rows are memoised: ticking a box renders that row only.
 */
export function RecordTable({ app, form, columns, records, loading, sort, onSort, selected, onSelect, onOpen }: RecordTableProps) {
  const { t, text, locale } = useI18n();
  // antd's Table writes its theme variables (header and selected-row colours, paddings) when
  // it mounts; antd.css reads them under these classes: the same hook, without the Table
  const { hashId, cssVarCls, rootCls } = useAntdClasses('table', useTableStyle, true);
  const themed = `${cssVarCls} ${rootCls} ${hashId}`;
  const spin = useContext(ConfigProvider.ConfigContext).getPrefixCls('spin');
  const navigate = useNavigate();
  const display = useDisplay({ compact: true, links: { app, navigate } });
  const titleKey = titleFieldOf(form);
  const columnKey = columns.join(',');
  const shownColumns = useMemo<Column[]>(
    () =>
      columnKey
        .split(',')
        .map((key) => form.fields.find((f) => f.key === key))
        .filter((f): f is FieldDef => Boolean(f))
        .map((field) => ({
          field,
          label: text(field.label),
          width: fieldType(field.type).columnWidth,
          ellipsis: field.type === 'text' || field.type === 'textarea',
          sortable: Boolean(fieldType(field.type).sortable),
          order: sortOrderOf(sort, field.key),
          isTitle: field.key === titleKey,
        })),
    [columnKey, form, text, sort, titleKey],
  );
  const shownFields = useMemo(() => shownColumns.map((column) => column.field), [shownColumns]);
  const selectedSet = useMemo(() => new Set(selected), [selected]);

  // a shift-click ticks (or clears) every row from the one clicked last, as antd's own boxes do
  const lastClicked = useRef<number | null>(null);
  const toggle = (index: number, on: boolean, shift: boolean) => {
    const from = shift && lastClicked.current !== null ? Math.min(lastClicked.current, index) : index;
    const to = shift && lastClicked.current !== null ? Math.max(lastClicked.current, index) : index;
    const ids = records.slice(from, to + 1).map((record) => record._id);
    const rest = selected.filter((key) => !ids.includes(key));
    onSelect(on ? [...rest, ...ids] : rest);
    lastClicked.current = index;
  };
  const wave = useSelectBoxWave();
  const actions = useLatest<RowActions>({ open: onOpen, toggle, display, wave });

  const onPage = records.filter((record) => selectedSet.has(record._id)).length;
  const all = records.length > 0 && onPage === records.length;
  const selectAll = () => {
    const ids = records.map((record) => record._id);
    const rest = selected.filter((key) => !ids.includes(key));
    onSelect(all ? rest : [...rest, ...ids]);
  };
  const sortBy = (column: Column) => onSort(nextSort(sort, column.field.key));

  const table = (
    <table style={{ tableLayout: 'auto' }}>
      <colgroup>
        <col className="ant-table-selection-col" />
        {shownColumns.map((column) => (
          <col key={column.field.key} style={column.width ? { width: column.width } : undefined} />
        ))}
      </colgroup>
      <thead className="ant-table-thead">
        <tr>
          <th className="ant-table-cell ant-table-selection-column" scope="col">
            <div className="ant-table-selection">
              {selectBox({ checked: all, indeterminate: onPage > 0, label: t('list.selectAll'), wave, onChange: selectAll })}
            </div>
          </th>
          {shownColumns.map((column) =>
            column.sortable ? (
              <th
                key={column.field.key}
                scope="col"
                className={`${cellClass(column)} ant-table-column-has-sorters`}
                tabIndex={0}
                aria-sort={column.order ? (column.order === 'ascend' ? 'ascending' : 'descending') : undefined}
                aria-description={t('list.sortable')}
                aria-label={column.label}
                title={column.ellipsis ? column.label : undefined}
                onClick={() => sortBy(column)}
                onKeyDown={(event: KeyboardEvent) => {
                  // a header acts as a button: Enter and Space sort (Space without scrolling the page)
                  if (event.key !== 'Enter' && event.key !== ' ') return;
                  event.preventDefault();
                  if (!event.repeat) sortBy(column);
                }}
              >
                <div className="ant-table-column-sorters">
                  <span className="ant-table-column-title">{column.label}</span>
                  <span className="ant-table-column-sorter ant-table-column-sorter-full">
                    <span className="ant-table-column-sorter-inner" aria-hidden="true">
                      {caret(true, column.order === 'ascend')}
                      {caret(false, column.order === 'descend')}
                    </span>
                  </span>
                </div>
              </th>
            ) : (
              <th key={column.field.key} scope="col" className={cellClass(column)} title={column.ellipsis ? column.label : undefined}>
                {column.label}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody className="ant-table-tbody">
        <LookupProvider fields={shownFields}>
          {records.map((record, index) => (
            <Row
              key={record._id}
              app={app}
              form={form.key}
              record={record}
              index={index}
              checked={selectedSet.has(record._id)}
              columns={shownColumns}
              def={form}
              locale={locale}
              actions={actions}
            />
          ))}
        </LookupProvider>
        {records.length === 0 && (
          <tr className="ant-table-placeholder">
            <td className="ant-table-cell" colSpan={shownColumns.length + 1}>
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
  return (
    <div className={`${themed} ant-table-wrapper record-table${records.length === 0 ? ' ant-table-empty' : ''}`}>
      {/* antd's Spin markup around the table (a Spin component's hooks, on every full load, for
          the odd reload); the indicator is a component of its own, mounted while loading */}
      <div className={`${spin}${loading ? ` ${spin}-spinning` : ''} ${hashId} ${cssVarCls}`} aria-live="polite" aria-busy={loading}>
        {loading && <SpinSection prefix={spin} />}
        <div className={`${spin}-container`}>
          <div className={`ant-table ant-table-medium ${themed}`} data-testid="record-table">
            <div className="ant-table-container">
              <div className="ant-table-content">{table}</div>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
