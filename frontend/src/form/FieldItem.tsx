import { createContext, memo, useContext, useMemo, type ReactNode } from 'react';
import { Field } from '@rc-component/form';
import type { Meta } from '@rc-component/form';
import { ConfigProvider } from 'antd';
import useCSSVarCls from 'antd/es/config-provider/hooks/useCSSVarCls';
import useFormStyle from 'antd/es/form/style';
import type { Rule } from 'antd/es/form';
import { FormItemInputContext, type FormItemStatusContextProps } from 'antd/es/form/context';
import type { FieldDef } from '../api/types';
import { fieldType } from '../fields/registry';
import { ReadOnlyDisplay } from '../fields/types/computed';
import { useI18n } from '../i18n/I18nProvider';
import type { NamePath } from './serverErrors';

interface FieldItemProps {
  field: FieldDef;
  /** the sub-form row the field is in (its name is then `[row, key]` inside the list) */
  row?: number;
  /** in a sub-form grid cell the column header is the visible label */
  bare?: boolean;
  /** classes for the field's root (the record form's grid cell: one element fewer per field than a wrapper) */
  className?: string;
}

/**
 * The classes of antd's form item root (prefix, theme hash, CSS variables): the record form
 * provides them once, so each frame is dressed by antd's own form styles (which the <Form>
 * registers) without running antd's style hooks 200 times.
 */
export const FrameClassContext = createContext('ant-form-item');

/** The root classes antd gives a form item, for FrameClassContext (call once per form). */
export function useFrameClass(): string {
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const prefix = getPrefixCls('form');
  const rootCls = useCSSVarCls(prefix);
  const [hashId, cssVarCls] = useFormStyle(prefix, rootCls);
  return [`${prefix}-item`, cssVarCls, rootCls, hashId].filter(Boolean).join(' ');
}

/** antd's id for a field's editor (`items_1_qty`): what `form.scrollToField` looks up. */
export const fieldId = (name: (string | number)[]) => name.join('_');

const STATUS_OK: FormItemStatusContextProps = { isFormItemInput: true };
const STATUS_ERROR: FormItemStatusContextProps = { isFormItemInput: true, status: 'error' };

export interface FrameProps {
  /** antd's form item root classes (FrameClassContext) */
  root: string;
  id: string;
  label: string;
  required: boolean;
  help: string;
  bare?: boolean;
  /** the label names the editor with this id (default); a sub-form's label names no one editor */
  labelFor?: boolean;
  /** extra classes on the root (`subform`) */
  className?: string;
  /** the editor fills antd's control box itself (FieldTypeUI.fills): no box around it */
  fills?: boolean;
  testId: string;
  errors: ReactNode[];
  children: (aria: { 'aria-describedby'?: string; 'aria-invalid'?: boolean; 'aria-required'?: boolean }) => ReactNode;
}

/**
 * What antd's Form.Item draws, without its ~30 components: the label (`for` the editor, required
 * mark), the editor, the errors (role=alert) and help, with antd's form classes so it looks the
 * same; the editor is told what describes it, whether it is invalid and whether it is required.
 * A function called inside rc-form's Field, not a component: one component fewer per field. An
 * editor that is one control as wide as the column (`fills`: an input, a select, a picker, a
 * number, all at least antd's control height) goes straight into the control column: antd's
 * control box and its inner wrapper would only give it that height (a minimum, vertically
 * centred) and stretch it across, which it does itself; ~340 elements of a 200-field form.
 * The item is its own row of antd's (a column of label and control: form.css), without the
 * `.ant-row` element antd's Form.Item puts between them, 200 elements more.
 */
export function fieldFrame({ root, id, label, required, help, bare, labelFor = true, className, fills = false, testId, errors, children }: FrameProps) {
  const hasErrors = errors.length > 0;
  const extra = !bare && help !== '';
  const describedBy = [hasErrors && `${id}_help`, extra && `${id}_extra`].filter(Boolean).join(' ');
  const classes = [root, 'ant-form-item-vertical', 'field-item', className, bare && 'field-item--bare', hasErrors && 'ant-form-item-has-error'];
  const editor = (
    <FormItemInputContext.Provider value={hasErrors ? STATUS_ERROR : STATUS_OK}>
      {children({
        'aria-describedby': describedBy || undefined,
        'aria-invalid': hasErrors || undefined,
        'aria-required': required || undefined,
      })}
    </FormItemInputContext.Provider>
  );
  return (
    <div className={classes.filter(Boolean).join(' ')} data-testid={testId}>
      <div className="ant-form-item-label field-frame__label">
        <label htmlFor={labelFor ? id : undefined} className={required ? 'ant-form-item-required' : undefined} title={label}>
          {label}
        </label>
      </div>
      <div className="ant-form-item-control field-frame__control">
        {fills ? (
          editor
        ) : (
          <div className="ant-form-item-control-input">
            <div className="ant-form-item-control-input-content">{editor}</div>
          </div>
        )}
        {(hasErrors || extra) && (
          <div className="ant-form-item-additional">
            {hasErrors && (
              <div id={`${id}_help`} className="ant-form-item-explain ant-form-item-explain-connected" role="alert">
                {errors.map((error, index) => (
                  <div key={index} className="ant-form-item-explain-error">
                    {error}
                  </div>
                ))}
              </div>
            )}
            {extra && (
              <div id={`${id}_extra`} className="ant-form-item-extra">
                {help}
              </div>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

/**
 * One field of a form: label, required mark, help text, editor and its errors. Its props are the
 * field, a row number and a flag, so React's shallow memo holds: a re-render of the form need
 * not re-render 200 fields (the frame follows its own value and errors through rc-form's Field;
 * language, disabled state and record context reach it through context; docs/performance.md).
 */
export const FieldItem = memo(function FieldItem({ field, row, bare, className }: FieldItemProps) {
  const { t, text } = useI18n();
  const root = useContext(FrameClassContext);
  const type = fieldType(field.type);
  const label = text(field.label);
  const required = Boolean(field.required) && Boolean(type.Input);
  const name: NamePath = useMemo(() => (row === undefined ? [field.key] : [row, field.key]), [row, field.key]);
  const rules = useMemo(() => {
    const all: Rule[] = [];
    if (required) all.push({ required: true, message: t('form.required', { label }) });
    all.push(...(type.rules?.(field, t) ?? []));
    return all;
  }, [field, type, required, label, t]);
  if (type.FormItem) {
    const item = <type.FormItem field={field} name={name} />;
    return className ? <div className={className}>{item}</div> : item;
  }
  const Editor = type.Input ?? ReadOnlyDisplay;
  const help = text(field.help);

  return (
    <Field name={name} rules={rules}>
      {(control, meta: Meta) => {
        // inside a sub-form's list the path is the list's plus the row's: ['items', 1, 'qty']
        const id = fieldId(meta.name.length ? meta.name : name);
        return fieldFrame({
          root,
          id,
          label,
          required,
          help,
          bare,
          className,
          fills: type.fills,
          testId: `field-${name.join('.')}`,
          errors: meta.errors,
          children: (aria) => <Editor field={field} id={id} value={control.value} onChange={control.onChange} {...aria} />,
        });
      }}
    </Field>
  );
});
