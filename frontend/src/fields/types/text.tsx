import { Input, Typography } from 'antd';
import type { FieldDef } from '../../api/types';
import type { MessageKey } from '../../i18n/messages';
import { useI18n } from '../../i18n/I18nProvider';
import { ariaOf, registerFieldType, type FieldInputProps, type FieldTypeUI } from '../registry';

function TextInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<string>) {
  const { text } = useI18n();
  return (
    <Input
      id={id}
      {...ariaOf(aria)}
      value={value ?? ''}
      disabled={disabled}
      placeholder={text(field.placeholder)}
      maxLength={typeof field.max_length === 'number' ? field.max_length : undefined}
      onChange={(event) => onChange?.(event.target.value)}
    />
  );
}

/**
 * Grows with its text from 3 to 10 lines by CSS (`field-sizing: content`, fields.css), not antd's
 * autoSize: that measures each text area with getComputedStyle as it mounts, a forced style
 * recalculation of the whole page per text area (~450 ms for a 200-field form's ten).
 */
function TextareaInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<string>) {
  const { text } = useI18n();
  return (
    <Input.TextArea
      id={id}
      {...ariaOf(aria)}
      value={value ?? ''}
      disabled={disabled}
      placeholder={text(field.placeholder)}
      rows={3}
      className="field-textarea"
      onChange={(event) => onChange?.(event.target.value)}
    />
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
  function PatternInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<string>) {
    const { text } = useI18n();
    return (
      <Input
        id={id}
        {...ariaOf(aria)}
        type={spec.inputType}
        inputMode={spec.inputType === 'text' ? undefined : spec.inputType}
        value={value ?? ''}
        disabled={disabled}
        placeholder={text(field.placeholder)}
        onChange={(event) => onChange?.(event.target.value.trim() === '' ? '' : event.target.value)}
      />
    );
  }
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
