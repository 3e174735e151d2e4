import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useContext } from 'react';
import { Button, Card, Form, Grid, Table, Typography } from 'antd';
import type { FieldDef } from '../../api/types';
import { FieldItem } from '../../form/FieldItem';
import { valuesForExpressions } from '../../form/values';
import { isVisible, RecordViewContext, rowView, useEvaluator } from '../../form/visibility';
import { useI18n } from '../../i18n/I18nProvider';
import { SubformKeyContext, TitlesContext } from '../context';
import { fieldType, isEditable, registerFieldType, toApi, toForm, type DisplayContext } from '../registry';

type Row = Record<string, unknown>;
type Name = (string | number)[];
interface ListRow {
  key: number;
  name: number;
}

const rowsOf = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
const subfields = (field: FieldDef) => field.fields ?? [];

/** Which of a row's fields its conditions show, reading the row and the record around it. */
function useRowVisibility(field: FieldDef, name: Name) {
  const form = Form.useFormInstance();
  const evaluate = useEvaluator();
  const record = useContext(RecordViewContext);
  return (row: ListRow, sub: FieldDef): boolean => {
    if (sub.visible_when == null) return true;
    const values = (form.getFieldValue([...name, row.name]) as Row | undefined) ?? {};
    return isVisible(sub, rowView(record, valuesForExpressions(subfields(field), values)), evaluate);
  };
}

function RowTitles({ row, children }: { row: Row | undefined; children: React.ReactNode }) {
  const titles = (row?._titles as Record<string, string> | undefined) ?? {};
  return <TitlesContext.Provider value={titles}>{children}</TitlesContext.Provider>;
}

function RemoveRow({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  return <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('form.removeRow')} title={t('form.removeRow')} onClick={onClick} />;
}

/** Desktop: an editable grid, one column per sub-field. */
function RowsGrid({ field, name, rows, remove }: { field: FieldDef; name: Name; rows: ListRow[]; remove: (index: number) => void }) {
  const { t, text } = useI18n();
  const form = Form.useFormInstance();
  const shows = useRowVisibility(field, name);
  const columns = [
    { key: '#', title: '#', width: 48, render: (_: unknown, _row: ListRow, index: number) => index + 1 },
    ...subfields(field).map((sub) => ({
      key: sub.key,
      title: (
        <span className={sub.required ? 'subform__head subform__head--required' : 'subform__head'}>{text(sub.label)}</span>
      ),
      width: fieldType(sub.type).columnWidth,
      render: (_: unknown, row: ListRow) =>
        shows(row, sub) ? (
          <RowTitles row={form.getFieldValue([...name, row.name])}>
            <FieldItem field={sub} name={[row.name, sub.key]} bare />
          </RowTitles>
        ) : null,
    })),
    { key: 'remove', width: 56, render: (_: unknown, row: ListRow) => <RemoveRow onClick={() => remove(row.name)} /> },
  ];
  return (
    <Table<ListRow>
      className="subform__grid"
      size="small"
      bordered
      pagination={false}
      rowKey="key"
      dataSource={rows}
      columns={columns}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('form.noRows') }}
    />
  );
}

/** Phone: one card per row, sub-fields stacked. */
function RowsCards({ field, name, rows, remove }: { field: FieldDef; name: Name; rows: ListRow[]; remove: (index: number) => void }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const shows = useRowVisibility(field, name);
  if (rows.length === 0) return <Typography.Text type="secondary">{t('form.noRows')}</Typography.Text>;
  return (
    <div className="subform__cards">
      {rows.map((row, index) => (
        <Card
          key={row.key}
          size="small"
          title={t('form.row', { n: index + 1 })}
          extra={<RemoveRow onClick={() => remove(row.name)} />}
          className="subform__card"
        >
          <RowTitles row={form.getFieldValue([...name, row.name])}>
            {subfields(field)
              .filter((sub) => shows(row, sub))
              .map((sub) => (
                <FieldItem key={sub.key} field={sub} name={[row.name, sub.key]} />
              ))}
          </RowTitles>
        </Card>
      ))}
    </div>
  );
}

/** A sub-form: a list of rows inside the record, editable in place. */
function SubformItem({ field, name }: { field: FieldDef; name: Name }) {
  const { t, text } = useI18n();
  const desktop = Grid.useBreakpoint().md;
  const help = text(field.help);
  return (
    <Form.Item
      label={text(field.label)}
      required={Boolean(field.required)}
      extra={help || undefined}
      className="field-item subform"
      data-testid={`field-${name.join('.')}`}
    >
      <Form.List
        name={name}
        rules={
          field.required
            ? [{ validator: async (_, rows: unknown[]) => { if (!rows?.length) throw new Error(t('form.required', { label: text(field.label) })); } }]
            : undefined
        }
      >
        {(rows, { add, remove }, { errors }) => (
          <>
            {/* a row's file editors upload as `<sub-form>.<field>` */}
            <SubformKeyContext.Provider value={field.key}>
              {desktop ? (
                <RowsGrid field={field} name={name} rows={rows} remove={remove} />
              ) : (
                <RowsCards field={field} name={name} rows={rows} remove={remove} />
              )}
            </SubformKeyContext.Provider>
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block className="subform__add">
              {t('form.addRow')}
            </Button>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

function SubformTable({ field, rows, ctx }: { field: FieldDef; rows: Row[]; ctx: DisplayContext }) {
  const columns = subfields(field).map((sub) => ({
    key: sub.key,
    title: ctx.text(sub.label),
    render: (_: unknown, row: Row) =>
      fieldType(sub.type).display(row[sub.key], sub, { ...ctx, title: (row._titles as Record<string, string> | undefined)?.[sub.key] }),
  }));
  return (
    <Table<Row>
      size="small"
      bordered
      pagination={false}
      rowKey={(row) => String(row._id ?? JSON.stringify(row))}
      dataSource={rows}
      columns={columns}
      scroll={{ x: 'max-content' }}
    />
  );
}

registerFieldType({
  type: 'subform',
  FormItem: SubformItem,
  blank: [],
  wide: true,
  sortable: false,
  valueKind: 'none',
  columnWidth: 120,
  toForm: (value, field) =>
    rowsOf(value).map((row) => {
      const converted: Row = { ...row };
      for (const sub of subfields(field)) converted[sub.key] = toForm(sub, row[sub.key]);
      return converted;
    }),
  toApi: (value, field) =>
    rowsOf(value).map((row) => {
      const data: Row = {};
      if (row._id) data._id = row._id;
      for (const sub of subfields(field)) if (isEditable(sub)) data[sub.key] = toApi(sub, row[sub.key]);
      return data;
    }),
  display: (value, field, ctx) => {
    const rows = rowsOf(value);
    if (rows.length === 0) return '';
    if (ctx.compact) return ctx.t('form.rows', { count: rows.length });
    return <SubformTable field={field} rows={rows} ctx={ctx} />;
  },
});
