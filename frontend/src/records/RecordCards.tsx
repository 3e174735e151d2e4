import { Card, Checkbox, Typography } from 'antd';
import type { FieldDef, FormDef, RecordData } from '../api/types';
import { recordTitle, titleFieldOf } from '../fields/context';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';

const DETAIL_LINES = 3;

interface RecordCardsProps {
  form: FormDef;
  columns: string[];
  records: RecordData[];
  selected: string[];
  onSelect: (ids: string[]) => void;
  onOpen: (record: RecordData) => void;
}

/** The phone list: one card per record, its title and the next few chosen fields. */
export function RecordCards({ form, columns, records, selected, onSelect, onOpen }: RecordCardsProps) {
  const { text } = useI18n();
  const display = useDisplay({ compact: true });
  const titleKey = titleFieldOf(form);
  const fields = columns
    .filter((key) => key !== titleKey)
    .map((key) => form.fields.find((f) => f.key === key))
    .filter((f): f is FieldDef => Boolean(f))
    .slice(0, DETAIL_LINES);
  const toggle = (id: string, on: boolean) => onSelect(on ? [...selected, id] : selected.filter((s) => s !== id));

  return (
    <div className="record-cards" data-testid="record-cards">
      {records.map((record) => (
        <Card key={record._id} size="small" variant="borderless" className="record-card" onClick={() => onOpen(record)} hoverable>
          <div className="record-card__head">
            <Typography.Text strong ellipsis>
              {recordTitle(form, record)}
            </Typography.Text>
            <span onClick={(event) => event.stopPropagation()}>
              <Checkbox checked={selected.includes(record._id)} onChange={(event) => toggle(record._id, event.target.checked)} aria-label={recordTitle(form, record)} />
            </span>
          </div>
          {fields.map((field) => {
            const shown = display(field, record[field.key], record._titles);
            return shown === '' || shown == null ? null : (
              <div key={field.key} className="record-card__line">
                <Typography.Text type="secondary">{text(field.label)}</Typography.Text>
                <span className="record-card__value">{shown}</span>
              </div>
            );
          })}
        </Card>
      ))}
    </div>
  );
}
