import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useContext, useMemo } from 'react';
import { Button, Card, Form, Typography } from 'antd';
import { DisabledContextProvider } from 'antd/es/config-provider/DisabledContext';
import type { FieldDef } from '../../api/types';
import { fieldFrame, FieldItem, fieldId, FrameClassContext } from '../../form/FieldItem';
import { defaultValues, valuesForExpressions } from '../../form/values';
import { isLocked, isVisible, RecordViewContext, rowView, useEvaluator, withRequired } from '../../form/visibility';
import { useI18n } from '../../i18n/I18nProvider';
import { useDesktop } from '../../lib/useDesktop';
import { SubformKeyContext, TitlesContext } from '../context';
import { subfields } from '../display/subform';
import { LightTable } from '../lightTable';
import { fieldType, registerFieldEditor } from '../registry';

type Row = Record<string, unknown>;
type Name = (string | number)[];
interface ListRow {
  key: number;
  name: number;
}


/**
 * A row's field as its conditions make it, reading the row and the record around it: null when
 * hidden (visible_when), marked required while its required_when holds, `locked` when a saved
 * row's editable_when is false.
 */
function useRowConditions(field: FieldDef, name: Name) {
  const form = Form.useFormInstance();
  const evaluate = useEvaluator();
  const record = useContext(RecordViewContext);
  return (row: ListRow, sub: FieldDef): { shown: FieldDef; locked: boolean } | null => {
    if (sub.visible_when == null && sub.required_when == null && sub.editable_when == null) return { shown: sub, locked: false };
    const values = (form.getFieldValue([...name, row.name]) as Row | undefined) ?? {};
    const view = rowView(record, valuesForExpressions(subfields(field), values));
    if (!isVisible(sub, view, evaluate)) return null;
    const saved = Boolean(values._id);
    return { shown: withRequired(sub, view, evaluate, !saved), locked: saved && isLocked(sub, view, evaluate) };
  };
}

/** A row's cell editor, disabled while its editable_when locks it. */
function RowField({ cell, row, bare }: { cell: { shown: FieldDef; locked: boolean }; row: number; bare?: boolean }) {
  const item = <FieldItem field={cell.shown} row={row} bare={bare} />;
  return cell.locked ? <DisabledContextProvider disabled>{item}</DisabledContextProvider> : item;
}

function RowTitles({ row, children }: { row: Row | undefined; children: React.ReactNode }) {
  const titles = (row?._titles as Record<string, string> | undefined) ?? {};
  return <TitlesContext.Provider value={titles}>{children}</TitlesContext.Provider>;
}

function RemoveRow({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  return <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('form.removeRow')} title={t('form.removeRow')} onClick={onClick} />;
}

/**
 * Desktop: an editable grid, one column per sub-field. A plain table in antd's table markup and
 * classes (small, bordered, scrolling sideways), not antd's Table: that one measures its cells
 * in layout effects (a forced layout of the whole 200-field page) and mounts ~40 components per
 * row (bench/browser_profile.py --page edit).
 */
function RowsGrid({ field, name, rows, remove }: { field: FieldDef; name: Name; rows: ListRow[]; remove: (index: number) => void }) {
  const { t, text } = useI18n();
  const form = Form.useFormInstance();
  const conditions = useRowConditions(field, name);
  const subs = subfields(field);
  return (
    <LightTable
      className="subform__grid"
      widths={[48, ...subs.map((sub) => fieldType(sub.type).columnWidth), 56]}
      head={
        <>
          <th className="ant-table-cell" scope="col">#</th>
          {subs.map((sub) => (
            <th key={sub.key} className="ant-table-cell" scope="col">
              <span className={sub.required ? 'subform__head subform__head--required' : 'subform__head'}>{text(sub.label)}</span>
            </th>
          ))}
          <th className="ant-table-cell" scope="col">
            <span className="visually-hidden">{t('form.rowActions')}</span>
          </th>
        </>
      }
    >
      {rows.length === 0 ? (
        <tr className="ant-table-placeholder">
          <td className="ant-table-cell" colSpan={subs.length + 2}>
            {t('form.noRows')}
          </td>
        </tr>
      ) : (
        rows.map((row, index) => (
          <tr key={row.key} data-row-key={row.key} className="ant-table-row ant-table-row-level-0">
            <td className="ant-table-cell">{index + 1}</td>
            {subs.map((sub) => {
              const cell = conditions(row, sub);
              return (
                <td key={sub.key} className="ant-table-cell">
                  {cell && (
                    <RowTitles row={form.getFieldValue([...name, row.name])}>
                      <RowField cell={cell} row={row.name} bare />
                    </RowTitles>
                  )}
                </td>
              );
            })}
            <td className="ant-table-cell">
              <RemoveRow onClick={() => remove(row.name)} />
            </td>
          </tr>
        ))
      )}
    </LightTable>
  );
}

/** Phone: one card per row, sub-fields stacked. */
function RowsCards({ field, name, rows, remove }: { field: FieldDef; name: Name; rows: ListRow[]; remove: (index: number) => void }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const conditions = useRowConditions(field, name);
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
            {subfields(field).map((sub) => {
              const cell = conditions(row, sub);
              return cell && <RowField key={sub.key} cell={cell} row={row.name} />;
            })}
          </RowTitles>
        </Card>
      ))}
    </div>
  );
}

/**
 * A sub-form: a list of rows inside the record, editable in place. Framed like every field
 * (fieldFrame: label, required mark, help, the list's errors with role=alert), not by antd's
 * Form.Item, whose render reads the item's visibility from the DOM (a forced layout of the page).
 */
function SubformItem({ field, name }: { field: FieldDef; name: Name }) {
  const { t, text } = useI18n();
  // right on the first render (Grid.useBreakpoint is {} there): the rows are not drawn as phone cards first
  const desktop = useDesktop();
  const root = useContext(FrameClassContext);
  const evaluate = useEvaluator();
  const label = text(field.label);
  const rules = useMemo(
    () =>
      field.required
        ? [{ validator: async (_: unknown, rows: unknown[]) => { if (!rows?.length) throw new Error(t('form.required', { label })); } }]
        : undefined,
    [field.required, t, label],
  );
  return (
    <Form.List name={name} rules={rules}>
      {(rows, { add, remove }, { errors }) => (
        fieldFrame({
          root,
          id: fieldId(name),
          label,
          required: Boolean(field.required),
          help: text(field.help),
          labelFor: false,
          className: 'subform',
          testId: `field-${name.join('.')}`,
          errors,
          children: () => (
            <>
              {/* a row's file editors upload as `<sub-form>.<field>` */}
              <SubformKeyContext.Provider value={field.key}>
                {desktop ? (
                  <RowsGrid field={field} name={name} rows={rows} remove={remove} />
                ) : (
                  <RowsCards field={field} name={name} rows={rows} remove={remove} />
                )}
              </SubformKeyContext.Provider>
              {/* a new row starts from its fields' defaults, as the server fills a row it creates
                  (quantity 1, a full price rate): its formulas have something to compute */}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(defaultValues(subfields(field), evaluate))} block className="subform__add">
                {t('form.addRow')}
              </Button>
            </>
          ),
        })
      )}
    </Form.List>
  );
}

registerFieldEditor('subform', { FormItem: SubformItem });
