import { useRef, type ReactElement } from 'react';
import { Checkbox, Select } from 'antd';
import type { FieldDef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { useDrawnUntilWoken, useLazyControl } from '../lazy';
import { clickWave } from '../lookalike';
import '../display/choice';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';

function useOptions(field: FieldDef) {
  const { text } = useI18n();
  return (field.options ?? []).map((option) => ({ value: option.value, label: text(option.label) }));
}

interface OptionSelectProps extends Omit<FieldInputProps<string | string[]>, 'field'> {
  multiple: boolean;
  /** `search`: what typing matches (default: the label) */
  options: { value: string; label: string; search?: string; hint?: string }[];
  placeholder: string;
  loading?: boolean;
}

/** The labels a select shows for its value: an option's label, or the value itself if no option has it. */
export function labelsOf(value: unknown, options: { value: string; label: string }[]): string[] {
  const values = Array.isArray(value) ? value : value == null || value === '' ? [] : [value];
  return values.map((item) => options.find((option) => option.value === item)?.label ?? String(item));
}

/**
 * One or several values out of a list, searchable by label (selects, members). In a record form
 * the Select mounts when first focused or pressed (fields/lazy.tsx). A hook the editor returns
 * the result of, not a component of its own: one component fewer per select on a large form.
 */
export function useOptionSelect({ value, onChange, id, disabled, multiple, options, placeholder, loading, ...aria }: OptionSelectProps): ReactElement {
  const { lookalike, how } = useLazyControl({ kind: 'select', id, disabled, multiple, shown: labelsOf(value, options), placeholder, aria: ariaOf(aria) });
  if (lookalike) return lookalike;
  return (
    <Select
      id={id}
      {...ariaOf(aria)}
      {...how}
      value={value ?? (multiple ? [] : undefined)}
      mode={multiple ? 'multiple' : undefined}
      disabled={disabled}
      allowClear
      loading={loading}
      showSearch={{ optionFilterProp: options.some((o) => o.search) ? 'search' : 'label' }}
      placeholder={placeholder}
      options={options}
      optionRender={(option) =>
        option.data.hint ? (
          <span>
            {option.data.label} <span className="option-hint">{option.data.hint}</span>
          </span>
        ) : (
          option.data.label
        )
      }
      style={{ width: '100%' }}
      onChange={(next) => onChange?.(next ?? null)}
    />
  );
}

function ChoiceInput({ field, ...props }: FieldInputProps<string | string[]>) {
  const { t, text } = useI18n();
  return useOptionSelect({
    ...props,
    multiple: field.type === 'multiselect',
    options: useOptions(field),
    placeholder: text(field.placeholder) || t('form.select'),
  });
}

registerFieldEditor('select', { Input: ChoiceInput, fills: true });
registerFieldEditor('multiselect', { Input: ChoiceInput, fills: true });

/**
 * Did the keyboard bring the focus? A click on the field's own label (outside the box) focuses
 * the input just before its click toggles it; swapping the box then would lose that click. The
 * browser's :focus-visible tells a keyboard focus from a pointer's; where it is not supported
 * (jsdom) every focus counts as the keyboard's.
 */
function keyboardFocus(input: HTMLElement): boolean {
  try {
    return input.matches(':focus-visible');
  } catch {
    return true;
  }
}

/**
 * A yes/no box. In a record form antd's Checkbox (five components and its style hooks per box)
 * mounts when the box takes the keyboard's focus, to take the Space key with its wave; until
 * then its markup is drawn here with the same classes around a real checkbox input, which a
 * click or a tap toggles by itself (its check mark animates as antd's does, and antd's click
 * wave is shown on it: lookalike.tsx clickWave). Not swapped on hover: a click that began on the
 * drawn box would be lost in the swap (as in a test driver's hover-then-click).
 */
function CheckboxInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<boolean>) {
  const { text } = useI18n();
  const { look, off, woken, setWoken } = useDrawnUntilWoken<{ autoFocus: boolean }>(disabled);
  // a press is under way: the focus its click gives the input (a label's click focuses it) must
  // not swap the box before that click has toggled it (the swap is for the keyboard)
  const pressing = useRef(false);
  const caption = text(field.placeholder);
  if (!look) {
    return (
      <Checkbox id={id} {...ariaOf(aria)} autoFocus={woken?.autoFocus} checked={Boolean(value)} disabled={disabled} onChange={(event) => onChange?.(event.target.checked)}>
        {caption}
      </Checkbox>
    );
  }
  const checked = Boolean(value);
  const { prefix, theme, hash, wave } = look.checkbox;
  const wrapper = [`${prefix}-wrapper`, checked && `${prefix}-wrapper-checked`, off && `${prefix}-wrapper-disabled`, `${prefix}-wrapper-in-form-item`, theme];
  const box = [prefix, 'ant-wave-target', hash, checked && `${prefix}-checked`, off && `${prefix}-disabled`];
  return (
    <label
      className={wrapper.filter(Boolean).join(' ')}
      onMouseLeave={() => (pressing.current = false)}
      // antd's click wave, as on its own box (a click, a tap, or Space once a click has focused the box)
      onClick={off ? undefined : (event) => clickWave(event.currentTarget, event, wave, 'Checkbox')}
      onMouseDown={
        off
          ? undefined
          : () => {
              // a press is not the keyboard: the focus it gives the box (as to any checkbox, so
              // Tab and Space go on from here) doesn't bring the swap
              pressing.current = true;
            }
      }
    >
      <span className={box.filter(Boolean).join(' ')}>
        <input
          id={id}
          {...ariaOf(aria)}
          className={`${prefix}-input`}
          type="checkbox"
          checked={checked}
          disabled={off}
          onChange={(event) => {
            pressing.current = false;
            onChange?.(event.target.checked);
          }}
          onFocus={(event) => {
            if (!pressing.current && keyboardFocus(event.currentTarget)) setWoken({ autoFocus: true });
          }}
        />
      </span>
      {caption && <span className={`${prefix}-label`}>{caption}</span>}
    </label>
  );
}

registerFieldEditor('checkbox', { Input: CheckboxInput });
