/** How a sub-form's rows look (a small table, or their count in a list cell), and their conversion. */
import type { FieldDef } from '../../api/types';
import { LightTable } from '../lightTable';
import { fieldType, isEditable, registerFieldType, toApi, toForm, type DisplayContext } from '../registry';

type Row = Record<string, unknown>;

const rowsOf = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
export const subfields = (field: FieldDef) => field.fields ?? [];

/** The rows read-only, one column per sub-field (the record page). */
function SubformTable({ field, rows, ctx }: { field: FieldDef; rows: Row[]; ctx: DisplayContext }) {
  const subs = subfields(field);
  return (
    <LightTable
      head={subs.map((sub) => (
        <th key={sub.key} className="ant-table-cell" scope="col">
          {ctx.text(sub.label)}
        </th>
      ))}
    >
      {rows.map((row, index) => (
        <tr key={String(row._id ?? index)} className="ant-table-row ant-table-row-level-0">
          {subs.map((sub) => (
            <td key={sub.key} className="ant-table-cell">
              {fieldType(sub.type).display(row[sub.key], sub, { ...ctx, title: (row._titles as Record<string, string> | undefined)?.[sub.key] })}
            </td>
          ))}
        </tr>
      ))}
    </LightTable>
  );
}

registerFieldType({
  type: 'subform',
  inChildTable: () => true,
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
