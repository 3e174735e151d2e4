import { Typography } from 'antd';
import type { MessageKey } from '../../i18n/messages';
import { useI18n } from '../../i18n/I18nProvider';
import { computesHere } from '../../form/formulas';
import '../display/computed';
import { fieldType, type FieldInputProps } from '../registry';
import { useDisplay } from '../useDisplay';

/**
 * A field the form shows but doesn't edit: its value as on the record page (a formula's as the
 * form computes it while the user types, form/formulas.ts), or a hint why it's empty (the
 * server computes it, or this browser has no editor for the type yet).
 */
function ReadOnlyValue({ field, value }: FieldInputProps<unknown>) {
  const { t } = useI18n();
  const display = useDisplay({ compact: true });
  const shown = display(field, value);
  const hint: MessageKey = fieldType(field.type).readOnlyHint ?? 'form.notEditable';
  // a formula the form computes as the user types: empty is its value (what the server stores)
  const empty = computesHere(field) ? '—' : t(hint);
  return (
    <div className="computed-value" data-testid={`computed-${field.key}`}>
      {shown === '' || shown == null ? <Typography.Text type="secondary">{empty}</Typography.Text> : shown}
    </div>
  );
}

export const ReadOnlyDisplay = ReadOnlyValue;

