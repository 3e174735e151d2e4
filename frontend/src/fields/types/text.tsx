import { useContext, type ChangeEvent } from 'react';
import { Input, Typography } from 'antd';
import DisabledContext from 'antd/es/config-provider/DisabledContext';
import { FormItemInputContext } from 'antd/es/form/context';
import type { FieldDef } from '../../api/types';
import type { MessageKey } from '../../i18n/messages';
import { useI18n } from '../../i18n/I18nProvider';
import { LazyLookContext } from '../lazy';
import { ariaOf, registerFieldType, type FieldInputProps, type FieldTypeUI } from '../registry';

interface TextEditorProps extends FieldInputProps<string> {
  multiline?: boolean;
  type?: 'tel' | 'email' | 'url' | 'text';
  /** what the typed text becomes (default: as typed) */
  clean?: (typed: string) => string;
}

/**
 * Text in one line or several. In a record form it is the native element dressed in antd's input
 * classes (the form registers their styles once, fields/lazy.tsx): antd's Input runs two CSS-in-JS
 * style hooks and several components per instance, for features these fields don't use. Elsewhere
 * (filters, bulk edit) antd's Input. A text area grows with its text from 3 to 10 lines by CSS
 * (`field-sizing: content`, fields.css), not antd's autoSize, which measures each text area with
 * getComputedStyle as it mounts: a forced style recalculation of the whole page each time.
 */
function TextEditor({ field, value, onChange, id, disabled, multiline, type = 'text', clean = (typed) => typed, ...rest }: TextEditorProps) {
  const { text } = useI18n();
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

const TextInput = (props: FieldInputProps<string>) => <TextEditor {...props} />;
const TextareaInput = (props: FieldInputProps<string>) => <TextEditor {...props} multiline />;

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

const plain = (value: unknown) => (value == null ? '' : String(value));

registerFieldType({ type: 'text', Input: TextInput, display: plain, sortable: true, valueKind: 'text', columnWidth: 180 });
registerFieldType({
  type: 'textarea',
  Input: TextareaInput,
  wide: true,
  sortable: false,
  valueKind: 'text',
  columnWidth: 260,
  display: (value, _field, { compact }) =>
    plain(value) === '' || compact ? plain(value) : <span style={{ whiteSpace: 'pre-wrap' }}>{plain(value)}</span>,
});

/**
 * The pattern-driven family (STYLE.md "families as small abstract middles"): each member is an
 * input mode, a client-side pattern and a link form for display; the server has the final word.
 */
function patternType(spec: {
  type: string;
  inputType: 'tel' | 'email' | 'url' | 'text';
  pattern: RegExp;
  message: MessageKey;
  href?: (value: string) => string;
}): FieldTypeUI {
  const blankIfSpaces = (typed: string) => (typed.trim() === '' ? '' : typed);
  const PatternInput = (props: FieldInputProps<string>) => <TextEditor {...props} type={spec.inputType} clean={blankIfSpaces} />;
  return {
    type: spec.type,
    Input: PatternInput,
    sortable: true,
    valueKind: 'text',
    columnWidth: 180,
    rules: (_field: FieldDef, t) => [{ pattern: spec.pattern, message: t(spec.message) }],
    display: (value) => {
      const shown = plain(value);
      if (!shown || !spec.href) return shown;
      return (
        <Typography.Link href={spec.href(shown)} target={spec.type === 'url' ? '_blank' : undefined} rel="noreferrer">
          {shown}
        </Typography.Link>
      );
    },
  };
}

registerFieldType(
  patternType({
    type: 'phone',
    inputType: 'tel',
    pattern: /^\+?[0-9][0-9 ()-]{4,24}$/,
    message: 'form.invalidPhone',
    href: (v) => `tel:${v.replace(/[^\d+]/g, '')}`,
  }),
);
registerFieldType(
  patternType({
    type: 'email',
    inputType: 'email',
    pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
    message: 'form.invalidEmail',
    href: (v) => `mailto:${v}`,
  }),
);
registerFieldType(
  patternType({ type: 'url', inputType: 'url', pattern: /^https?:\/\/\S+$/i, message: 'form.invalidUrl', href: (v) => v }),
);
registerFieldType(
  patternType({ type: 'idcard', inputType: 'text', pattern: /^\d{17}[\dXx]$/, message: 'form.invalidIdcard' }),
);
