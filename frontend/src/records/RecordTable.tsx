import { Table, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { Link } from 'react-router';
import type { FieldDef, FormDef, RecordData } from '../api/types';
import { fieldType } from '../fields';
import { titleFieldOf } from '../fields/context';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import { paths } from '../lib/paths';

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

/** The desktop list: a column per chosen field, sortable headers, row selection. */
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
      return field.key === titleKey ? (
        <Link to={paths.record(app, form.key, record._id)} onClick={(event) => event.stopPropagation()}>
          {shown || record._id.slice(0, 8)}
        </Link>
      ) : (
        shown
      );
    },
  }));

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
      scroll={{ x: 'max-content' }}
      onChange={handleChange}
      rowSelection={{ selectedRowKeys: selected, onChange: (keys) => onSelect(keys.map(String)) }}
      onRow={(record) => ({ onClick: () => onOpen(record), className: 'record-row' })}
      data-testid="record-table"
    />
  );
}
