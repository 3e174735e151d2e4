import { Fragment, type ReactNode } from 'react';
import { Table, Tag, Typography } from 'antd';
import type { FieldDef, FormDef } from '../api/types';
import '../fields'; // the preview shows sub-form values through the field types' display
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import type { CellError, Preview, PreviewRecord } from './api';
import ErrorList from './ErrorList';
import { childField, errorsAt, fileRows, firstRowHas, spanText, subCount, subformOf, subValue, unplacedErrors } from './records';

interface Props {
  preview: Preview;
  mapping: Record<string, string | null>;
  form: FormDef;
  /** a field's name as the mapping step shows it ("明细 › 数量") */
  label: (key: string) => string;
}

interface Col {
  header: string;
  field: string;
}

/** A cell the preview does not repeat (a following row of a record with problems). */
const UNKNOWN = (
  <Typography.Text type="secondary" className="io-cell-unknown">
    …
  </Typography.Text>
);

/** A cell's value (undefined: not in the preview), or the value with what is wrong under it
 * (visible without hovering, so it reads on a phone and with a keyboard). */
function Cell({ value, errors, row, header }: { value: ReactNode; errors: CellError[]; row: number; header: string }) {
  if (errors.length === 0) return <>{value === undefined ? UNKNOWN : value}</>;
  const shown = value === '' || value == null ? (errors[0].value != null ? String(errors[0].value) : '—') : value;
  return (
    <span className="io-cell--error" data-testid="preview-cell-error" data-row={row} data-column={header}>
      <span className="io-cell-value">{shown}</span>
      {errors.map((e, i) => (
        <span key={i} className="io-cell-message" data-testid="preview-cell-message">
          {e.message}
        </span>
      ))}
    </span>
  );
}

/** Any field value readably: several (relations, members) one after the other. */
function useReadable() {
  const display = useDisplay({ compact: true });
  return (field: FieldDef | undefined, value: unknown): ReactNode => {
    if (value == null || value === '') return '';
    if (!field) return Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (Array.isArray(value) && field.type === 'relation') {
      return value.map((item, i) => (
        <Fragment key={i}>
          {i > 0 && ', '}
          {display(field, item)}
        </Fragment>
      ));
    }
    return display(field, value);
  };
}

/** The rows of one record under it: each file row it spans with its sub-form cells (and any
 * record cell a following row got wrong), errors on their row and column. */
function SubRows({ record, subCols, mainCols, byHeader, label, form }: {
  record: PreviewRecord;
  subCols: (Col & { subform: string })[];
  mainCols: Col[];
  byHeader: Record<string, string>;
  label: (key: string) => string;
  form: FormDef;
}) {
  const { t } = useI18n();
  const readable = useReadable();
  const rows = fileRows(record);
  // record columns appear here only when a following row has a problem in one
  const extraMain = mainCols.filter((c) => record.errors.some((e) => e.row !== record.row && e.column === c.header));
  const startsOnFirst: Record<string, boolean> = {};
  for (const c of subCols) {
    startsOnFirst[c.subform] ??= firstRowHas(
      record,
      subCols.filter((s) => s.subform === c.subform).map((s) => s.header),
    );
  }
  // a record with problems comes without its converted values: its file rows' cells are
  // shown as given (a server without `row_cells` sends only the first row's)
  const known = !record.errors.length;
  const value = (c: Col & { subform?: string }, position: number): ReactNode => {
    if (!c.subform || !known) {
      const cells = record.row_cells?.[position] ?? (position === 0 ? record.cells : undefined);
      return cells ? (cells[c.header] ?? '') : undefined;
    }
    const child = c.field.slice(c.subform.length + 1);
    return readable(childField(form.fields, c.subform, child), subValue(record, c.subform, child, position, startsOnFirst[c.subform]));
  };
  const cols = [...extraMain, ...subCols];
  return (
    <>
      <Table
        size="small"
        className="io-subrows"
        data-testid={`preview-subrows-${record.row}`}
        pagination={false}
        rowKey="row"
        dataSource={rows.map((row, position) => ({ row, position }))}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('io.row'), dataIndex: 'row', key: '_row', width: 56, fixed: 'left' as const },
          ...cols.map((c) => ({
            title: label(c.field),
            key: c.header,
            render: (_: unknown, line: { row: number; position: number }) => (
              <Cell
                value={value(c, line.position)}
                errors={errorsAt(record.errors, line.row, c.header, byHeader[c.header])}
                row={line.row}
                header={c.header}
              />
            ),
          })),
        ]}
      />
      {!known && !record.row_cells && rows.length > 1 && (
        <Typography.Text type="secondary" className="io-subrows-note">
          {t('io.subUnknown')}
        </Typography.Text>
      )}
    </>
  );
}

/**
 * The preview's records: one line per record with its own cells and, per sub-form, how many
 * rows it has (or how many problems); a record with sub-form columns expands into its file
 * rows. Records whose problems are on a sub-form cell or a following row open by themselves.
 */
export default function PreviewTable({ preview, mapping, form, label }: Props) {
  const { t, text } = useI18n();
  const mapped = preview.columns.filter((c) => mapping[c.header]).map((c) => ({ header: c.header, field: mapping[c.header] as string }));
  const mainCols = mapped.filter((c) => !subformOf(preview.fields, c.field));
  const subCols = mapped
    .map((c) => ({ ...c, subform: subformOf(preview.fields, c.field) as string }))
    .filter((c) => c.subform);
  const subforms = [...new Set(subCols.map((c) => c.subform))];
  const subHeaders = new Set(subCols.map((c) => c.header));
  const byHeader = Object.fromEntries(mapped.map((c) => [c.header, c.field]));
  const subLabel = (key: string) => {
    const def = form.fields.find((f) => f.key === key);
    return def ? text(def.label) : key;
  };
  const opensItself = (r: PreviewRecord) => r.errors.some((e) => e.row !== r.row || (e.column != null && subHeaders.has(e.column)));

  const columns = [
    {
      title: t('io.row'),
      key: '_row',
      width: 72,
      fixed: 'left' as const,
      render: (_: unknown, r: PreviewRecord) => <span data-testid={`preview-rows-${r.row}`}>{spanText(r)}</span>,
    },
    ...mainCols.map((c) => ({
      title: c.header === label(c.field) ? c.header : `${c.header} → ${label(c.field)}`,
      key: c.header,
      render: (_: unknown, r: PreviewRecord) => (
        <Cell value={r.cells[c.header] ?? ''} errors={errorsAt(r.errors, r.row, c.header, c.field)} row={r.row} header={c.header} />
      ),
    })),
    ...subforms.map((sub) => ({
      title: subLabel(sub),
      key: `_sub_${sub}`,
      render: (_: unknown, r: PreviewRecord) => {
        const headers = subCols.filter((c) => c.subform === sub).map((c) => c.header);
        const problems = r.errors.filter((e) => e.column != null && headers.includes(e.column)).length;
        const count = subCount(r, sub);
        return (
          <span data-testid={`preview-sub-${sub}-${r.row}`}>
            {count != null && t('io.subRows', { count })}
            {problems > 0 && <Tag color="error">{t('io.subProblems', { count: problems })}</Tag>}
          </span>
        );
      },
    })),
  ];
  const shown = [...mapped];
  const others = preview.rows.flatMap((r) => unplacedErrors(r, shown));

  return (
    <>
      <Table
        size="small"
        pagination={false}
        rowKey="row"
        dataSource={preview.rows}
        columns={columns}
        scroll={{ x: 'max-content' }}
        rowClassName={(row) => (row.errors.length ? 'io-row--error' : '')}
        expandable={
          subforms.length
            ? {
                expandedRowRender: (r: PreviewRecord) => (
                  <SubRows record={r} subCols={subCols} mainCols={mainCols} byHeader={byHeader} label={label} form={form} />
                ),
                defaultExpandedRowKeys: preview.rows.filter(opensItself).map((r) => r.row),
              }
            : undefined
        }
      />
      {others.length > 0 && (
        <div className="io-other-errors">
          <Typography.Text type="secondary">{t('io.otherProblems')}</Typography.Text>
          <ErrorList errors={others} testId="preview-other-errors" />
        </div>
      )}
    </>
  );
}
