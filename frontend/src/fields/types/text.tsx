import { useContext, type ChangeEvent } from 'react';
import { Input } from 'antd';
import DisabledContext from 'antd/es/config-provider/DisabledContext';
import { FormItemInputContext } from 'antd/es/form/context';
import type { FieldDef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { LazyLookContext } from '../lazy';
import { TEXT_PATTERNS } from '../display/text';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';

const PATTERNS = new Map(TEXT_PATTERNS.map((spec) => [spec.type, spec]));

/** A pattern type's text: blank when only spaces were typed. */
const blankIfSpaces = (typed: string) => (typed.trim() === '' ? '' : typed);

/**
 * Text in one line or several. In a record form it is the native element dressed in antd's input
 * classes (the form registers their styles once, fields/lazy.tsx): antd's Input runs two CSS-in-JS
 * style hooks and several components per instance, for features these fields don't use. Elsewhere
 * (filters, bulk edit) antd's Input. A text area grows with its text from 3 to 10 lines by CSS
 * (`field-sizing: content`, fields.css), not antd's autoSize, which measures each text area with
 * getComputedStyle as it mounts: a forced style recalculation of the whole page each time.
 */
function TextEditor({ field, value, onChange, id, disabled, ...rest }: FieldInputProps<string>) {
  const { text } = useI18n();
  // the type decides: text areas for textarea, the pattern family's input mode (one editor, no wrappers)
  const multiline = field.type === 'textarea';
  const spec = PATTERNS.get(field.type);
  const type = spec?.inputType ?? 'text';
  const clean = spec ? blankIfSpaces : (typed: string) => typed;
  const look = useContext(LazyLookContext);
  const formDisabled = useContext(DisabledContext);
  const { status } = useContext(FormItemInputContext);
  const common = {
    id,
    ...ariaOf(rest),
    value: value ?? '',
    placeholder: text(field.placeholder) || undefined,
    maxLength: typeof field.max_length === 'number' ? field.max_length : undefined,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange?.(clean(event.target.value)),
  };
  if (!look) {
    return multiline ? (
      <Input.TextArea {...common} disabled={disabled} rows={3} className="field-textarea" />
    ) : (
      <Input {...common} disabled={disabled} type={type} inputMode={type === 'text' ? undefined : type} />
    );
  }
  const off = Boolean(disabled || formDisabled);
  const prefix = look.input.split(' ')[0];
  const className = [look.input, off && `${prefix}-disabled`, status === 'error' && `${prefix}-status-error`, multiline && 'field-textarea']
    .filter(Boolean)
    .join(' ');
  return multiline ? (
    <textarea {...common} disabled={off} rows={3} className={className} />
  ) : (
    <input {...common} disabled={off} type={type} inputMode={type === 'text' ? undefined : type} className={className} />
  );
}

/** A one-line part of a composite editor (an address's detail line, a location's place name): its placeholder is its label. */
export function PartInput({ label, value, disabled, testId, onChange }: { label: string; value?: string | null; disabled?: boolean; testId: string; onChange: (value: string) => void }) {
  return (
    <Input
      disabled={disabled}
      value={value ?? ''}
      placeholder={label}
      aria-label={label}
      data-testid={testId}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

registerFieldEditor('text', { Input: TextEditor, fills: true });
registerFieldEditor('textarea', { Input: TextEditor, fills: true });
for (const spec of TEXT_PATTERNS) {
  registerFieldEditor(spec.type, { Input: TextEditor, fills: true, rules: (_field: FieldDef, t) => [{ pattern: spec.pattern, message: t(spec.message) }] });
}
