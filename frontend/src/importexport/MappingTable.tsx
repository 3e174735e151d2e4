import { Alert, Select, Table, Typography } from 'antd';
import type { FormDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { Preview, PreviewColumn } from './api';

interface Props {
  preview: Preview;
  form: FormDef;
  mapping: Record<string, string | null>;
  onChange: (header: string, field: string | null) => void;
  /** the server's refusal of a column's mapping (422 `invalid_mapping`), by header */
  errors: Record<string, string>;
  label: (key: string) => string;
}

const NOTES: Record<string, 'io.noteFiles'> = { files_not_importable: 'io.noteFiles' };

/**
 * Column → field. The record's own fields come first; each sub-form's fields follow in a group
 * of their own ("明细 › 数量"), with a line on how a file gives a record several sub-form rows.
 * A column the server skips says why (`note`), and a mapping the server refuses is marked on
 * that column's control.
 */
export default function MappingTable({ preview, form, mapping, onChange, errors, label }: Props) {
  const { t, text } = useI18n();
  const own = preview.fields.filter((f) => !f.subform);
  const subforms = [...new Set(preview.fields.map((f) => f.subform).filter((s): s is string => !!s))];
  const option = (f: Preview['fields'][number]) => ({ value: f.key, label: `${label(f.key)}${f.required ? ' *' : ''}` });
  const options = [
    { value: '', label: t('io.ignore') },
    ...(subforms.length ? [{ label: t('io.ownFields'), title: t('io.ownFields'), options: own.map(option) }] : own.map(option)),
    ...subforms.map((sub) => {
      const def = form.fields.find((f) => f.key === sub);
      const name = def ? text(def.label) : sub;
      return { label: name, title: name, options: preview.fields.filter((f) => f.subform === sub).map(option) };
    }),
  ];
  return (
    <>
      {subforms.length > 0 && (
        <Alert type="info" showIcon className="io-problem" data-testid="import-subform-hint" title={t('io.subformHint')} />
      )}
      <Table
        size="small"
        pagination={false}
        rowKey="header"
        dataSource={preview.columns}
        scroll={{ x: true }}
        columns={[
          { title: t('io.column'), dataIndex: 'header', key: 'header' },
          {
            title: t('io.field'),
            key: 'field',
            render: (_: unknown, c: PreviewColumn) => {
              const error = errors[c.header];
              const note = !mapping[c.header] && c.note ? (NOTES[c.note] ? t(NOTES[c.note]) : c.note) : null;
              const describedBy = error || note ? `map-help-${c.index}` : undefined;
              return (
                <div className="io-map-cell">
                  <Select
                    className="io-map-select"
                    value={mapping[c.header] ?? ''}
                    options={options}
                    status={error ? 'error' : undefined}
                    aria-label={c.header}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={describedBy}
                    data-testid={`map-${c.header}`}
                    showSearch={{ optionFilterProp: 'label' }}
                    onChange={(value: string) => onChange(c.header, value || null)}
                  />
                  {error ? (
                    <Typography.Text type="danger" id={describedBy} className="io-map-help" data-testid={`map-error-${c.header}`}>
                      {error}
                    </Typography.Text>
                  ) : (
                    note && (
                      <Typography.Text type="warning" id={describedBy} className="io-map-help" data-testid={`map-note-${c.header}`}>
                        {note}
                      </Typography.Text>
                    )
                  )}
                </div>
              );
            },
          },
        ]}
      />
    </>
  );
}
