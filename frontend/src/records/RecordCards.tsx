import { memo, useMemo } from 'react';
import useCardStyle from 'antd/es/card/style';
import useTypographyStyle from 'antd/es/typography/style';
import { useNavigate } from 'react-router';
import type { FieldDef, FormDef, RecordData } from '../api/types';
import { recordTitle, titleFieldOf } from '../fields/context';
import { LookupProvider } from '../fields/display/LookupProvider';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import { useAntdClasses } from '../lib/antdClasses';
import { clickedInsideControl, isPlainClick } from '../lib/rowClick';
import { paths } from '../lib/paths';
import { OneLine } from '../lib/OneLine';
import { useLatest } from '../lib/useLatest';
import { selectBox, useSelectBoxWave } from './selectBox';

const DETAIL_LINES = 3;

interface RecordCardsProps {
  app: string;
  form: FormDef;
  columns: string[];
  records: RecordData[];
  selected: string[];
  onSelect: (ids: string[]) => void;
  onOpen: (record: RecordData) => void;
}

/** What every card shares: the theme's classes, the detail fields, callbacks of stable identity. */
interface CardsContext {
  app: string;
  form: FormDef;
  fields: { field: FieldDef; label: string }[];
  cardClass: string;
  textClass: string;
  /** the checkboxes' click wave classes (selectBox) */
  wave: string;
  actions: { current: { open: (record: RecordData) => void; toggle: (id: string, on: boolean) => void; display: ReturnType<typeof useDisplay> } };
}

const RecordCard = memo(function RecordCard({ record, checked, shared }: { record: RecordData; checked: boolean; shared: CardsContext; locale: string }) {
  const { app, form, fields, cardClass, textClass, wave, actions } = shared;
  const title = recordTitle(form, record);
  return (
    <div className={`ant-card ant-card-hoverable ant-card-small record-card ${cardClass}`} onClick={(event) => {
        if (!clickedInsideControl(event)) actions.current.open(record);
      }}
    >
      <div className="ant-card-body">
        <div className="record-card__head">
          {/* the title a link, as in the table: the card reached and opened from the keyboard */}
          <a
            className="record-card__title"
            href={paths.record(app, form.key, record._id)}
            onClick={(event) => {
              if (!isPlainClick(event)) return;
              event.preventDefault();
              actions.current.open(record);
            }}
          >
            <OneLine className={textClass}>{title}</OneLine>
          </a>
          <span>{selectBox({ checked, label: title, wave, onChange: (on) => actions.current.toggle(record._id, on) })}</span>
        </div>
        {fields.map(({ field, label }) => {
          const shown = actions.current.display(field, record[field.key], record._titles);
          return shown === '' || shown == null ? null : (
            <div key={field.key} className="record-card__line">
              <span className={`ant-typography ant-typography-secondary ${textClass}`}>{label}</span>
              <span className="record-card__value">{shown}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
});

/**
 * The phone list: one card per record, its title and the next few chosen fields. Drawn in antd's
 * Card, Typography and Checkbox markup and classes (dressed by the prebuilt antd.css) rather than
 * those components: 50 cards mounted ~20 components each, among them an ellipsis measurer with
 * its ResizeObserver per title. Cards are memoised: ticking a box renders that card only.
 */
export function RecordCards({ app, form, columns, records, selected, onSelect, onOpen }: RecordCardsProps) {
  const { text, locale } = useI18n();
  const navigate = useNavigate();
  // relation lines as plain links, as in the table (fields/display/kit.ts)
  const display = useDisplay({ compact: true, links: { app, navigate } });
  // the theme variables antd's Card and Typography write when they mount, under their classes
  const { hashId: cardHash, cssVarCls: cardVars } = useAntdClasses('card', useCardStyle);
  const { hashId: textHash, cssVarCls: textVars } = useAntdClasses('typography', useTypographyStyle);
  const titleKey = titleFieldOf(form);
  const columnKey = columns.join(',');
  const fields = useMemo(
    () =>
      columnKey
        .split(',')
        .filter((key) => key !== titleKey)
        .map((key) => form.fields.find((f) => f.key === key))
        .filter((f): f is FieldDef => Boolean(f))
        .slice(0, DETAIL_LINES)
        .map((field) => ({ field, label: text(field.label) })),
    [columnKey, form, text, titleKey],
  );
  const toggle = (id: string, on: boolean) => onSelect(on ? [...selected, id] : selected.filter((s) => s !== id));
  const actions = useLatest({ open: onOpen, toggle, display });
  const cardClass = `${cardHash} ${cardVars}`;
  const textClass = `${textHash} ${textVars}`;
  const wave = useSelectBoxWave();
  const shared = useMemo<CardsContext>(() => ({ app, form, fields, cardClass, textClass, wave, actions }), [app, form, fields, cardClass, textClass, wave, actions]);
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const lookupFields = useMemo(() => fields.map(({ field }) => field), [fields]);

  return (
    <div className="record-cards" data-testid="record-cards">
      {/* member and department names from one lookup for all the cards */}
      <LookupProvider fields={lookupFields}>
        {records.map((record) => (
          <RecordCard key={record._id} record={record} checked={selectedSet.has(record._id)} shared={shared} locale={locale} />
        ))}
      </LookupProvider>
    </div>
  );
}
