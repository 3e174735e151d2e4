import { memo } from 'react';
import { Descriptions } from 'antd';
import type { FormDef, RecordData } from '../api/types';
import { fieldType } from '../fields/display';
import { useDisplay } from '../fields/useDisplay';
import { isVisible, useEvaluator } from '../form/visibility';
import { useI18n } from '../i18n/I18nProvider';

/**
 * A record's fields, read-only, in the form's order; hidden-by-condition fields stay hidden.
 * Memoised: the record page re-renders as a navigation away from it starts (Edit), and its
 * ~400 cells (label and value of a 200-field form) need not be drawn again on the way out.
 */
export const RecordDetails = memo(function RecordDetails({ form, record, columns }: { form: FormDef; record: RecordData; columns: number }) {
  const { t, text } = useI18n();
  const display = useDisplay();
  const evaluate = useEvaluator();
  const items = form.fields
    .filter((field) => isVisible(field, record, evaluate))
    .map((field) => {
      const shown = display(field, record[field.key], record._titles);
      return {
        key: field.key,
        label: text(field.label),
        span: fieldType(field.type).wide ? columns : 1,
        children: shown === '' || shown == null ? <span className="muted">{t('value.empty')}</span> : shown,
      };
    });
  return <Descriptions column={columns} items={items} layout="vertical" size="small" colon={false} className="record-details" />;
});
