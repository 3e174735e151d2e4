import { useRef, type MouseEvent, type ReactNode } from 'react';
import { Table, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import type { FieldDef, FormDef, RecordData } from '../api/types';
import { fieldType } from '../fields';
import { titleFieldOf } from '../fields/context';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';
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

/** "a,-b" -> the first key and its direction, as the table's header arrows show it. */
function sortOrderOf(sort: string, key: string): 'ascend' | 'descend' | null {
  const first = sort.split(',')[0] ?? '';
  if (first === key) return 'ascend';
  if (first === `-${key}`) return 'descend';
  return null;
}

/** A plain click (no modifier, main button): the app opens the page; any other is the browser's. */
function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/**
 * A row's selection box: antd's checkbox markup and classes on a native input, not a Checkbox
 * component per row — 50 fewer component trees (each with its wave effect, contexts and hooks)
 * on a list's first render. It is dressed by antd's prebuilt antd.css, so it relies on the
 * zero-runtime theme (app/theme.ts): with runtime styles it would be a bare browser checkbox.
 */
function RowCheckbox({ checked, label, onChange }: { checked: boolean; label: string; onChange: (checked: boolean, shift: boolean) => void }) {
  return (
    <label className={`ant-checkbox-wrapper${checked ? ' ant-checkbox-wrapper-checked' : ''}`} onClick={(event) => event.stopPropagation()}>
      <span className={`ant-checkbox${checked ? ' ant-checkbox-checked' : ''}`}>
        <input type="checkbox" className="ant-checkbox-input" checked={checked} aria-label={label} onChange={(event) => onChange(event.target.checked, (event.nativeEvent as globalThis.MouseEvent).shiftKey === true)} />
        <span className="ant-checkbox-inner" />
      </span>
    </label>
  );
}

/**
 * The desktop list: a column per chosen field, sortable headers, row selection. Wide lists
 * scroll sideways by CSS (RecordTable.css) rather than antd's `scroll.x`, which measures every
 * column after the first render and renders the table again.
 */
export function RecordTable({ app, form, columns, records, loading, sort, onSort, selected, onSelect, onOpen }: RecordTableProps) {
  const { text } = useI18n();
  const display = useDisplay({ compact: true });
  const titleKey = titleFieldOf(form);
  const fields = columns.map((key) => form.fields.find((f) => f.key === key)).filter((f): f is FieldDef => Boolean(f));

  const tableColumns: TableProps<RecordData>['columns'] = fields.map((field) => ({
    key: field.key,
    dataIndex: field.key,
    title: text(field.label),
    width: fieldType(field.type).columnWidth,
    ellipsis: field.type === 'text' || field.type === 'textarea',
    sorter: Boolean(fieldType(field.type).sortable),
    sortOrder: sortOrderOf(sort, field.key),
    showSorterTooltip: false,
    render: (value: unknown, record: RecordData) => {
      const shown = display(field, value, record._titles);
      if (field.key !== titleKey) return shown;
      // a plain link (the path is absolute: nothing to resolve per row, as a router Link would)
      return (
        <a
          href={paths.record(app, form.key, record._id)}
          onClick={(event) => {
            event.stopPropagation();
            if (!isPlainClick(event)) return;
            event.preventDefault();
            onOpen(record);
          }}
        >
          {shown || record._id.slice(0, 8)}
        </a>
      );
    },
  }));
  const titleOf = (record: RecordData): string => {
    const value = titleKey ? record[titleKey] : undefined;
    return typeof value === 'string' && value ? value : record._id.slice(0, 8);
  };
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

  const handleChange: TableProps<RecordData>['onChange'] = (_pagination, _filters, sorter) => {
    const one = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<RecordData> | undefined;
    if (!one?.order || !one.columnKey) onSort('');
    else onSort(one.order === 'descend' ? `-${String(one.columnKey)}` : String(one.columnKey));
  };

  return (
    <Table<RecordData>
      rowKey="_id"
      size="middle"
      columns={tableColumns}
      dataSource={records}
      loading={loading}
      pagination={false}
      className="record-table"
      tableLayout="auto"
      onChange={handleChange}
      rowSelection={{
        selectedRowKeys: selected,
        onChange: (keys) => onSelect(keys.map(String)),
        renderCell: (checked: boolean, record: RecordData, index: number): ReactNode => (
          <RowCheckbox checked={checked} label={titleOf(record)} onChange={(on, shift) => toggle(index, on, shift)} />
        ),
      }}
      onRow={(record) => ({ onClick: () => onOpen(record), className: 'record-row' })}
      data-testid="record-table"
    />
  );
}
