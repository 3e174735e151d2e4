/**
 * Heavy antd controls (Select, DatePicker, TimePicker, TreeSelect, Cascader, InputNumber) mounted only when
 * a person reaches for them. Until then a look-alike stands in: the same classes (so antd's own
 * styles dress it), the current value's label, the same id, role and accessible name. Focusing
 * it (Tab, a click on its label) or pressing on it swaps in the real control, which takes the
 * focus (and, on a press, opens), so typing and arrow keys go on as if it had been there all
 * along. A 200-field form mounts a few hundred elements instead of a few thousand components
 * (bench/browser_form.py, docs/performance.md).
 */
import { createContext, useContext, useMemo, useState, type ReactElement } from 'react';
import { ConfigProvider } from 'antd';
import DisabledContext from 'antd/es/config-provider/DisabledContext';
import useCSSVarCls from 'antd/es/config-provider/hooks/useCSSVarCls';
import usePickerStyle from 'antd/es/date-picker/style';
import { FormItemInputContext } from 'antd/es/form/context';
import useInputStyle, { useSharedStyle as useInputSharedStyle } from 'antd/es/input/style';
import useTextAreaStyle from 'antd/es/input/style/textarea';
import useNumberStyle from 'antd/es/input-number/style';
import useRateStyle from 'antd/es/rate/style';
import useCheckboxStyle from 'antd/es/checkbox/style';
import useWaveStyle from 'antd/es/_util/wave/style';
import useSelectStyle from 'antd/es/select/style';
import { useAntdClasses } from '../lib/antdClasses';
import { activators, DOWN, ignore, selectLookalike, svgIcon, type Activation, type LookalikeAria, type LookalikeProps } from './lookalike';

export type { Activation } from './lookalike';

/** Outside a record form (no look-alike classes) the real control mounts at once. */
const AT_ONCE: Activation = { autoFocus: false, defaultOpen: false };

/** The classes antd puts on its select and picker roots (prefix, variant, theme hash, CSS variables). */
export interface LazyLook {
  select: string;
  picker: string;
  /** a native input or text area dressed as antd's (types/text.tsx) */
  input: string;
  number: string;
  /** antd's Rate root (types/number.tsx draws a rating's stars until it is reached for) */
  rate: string;
  /** antd's Checkbox classes (types/choice.tsx draws a checkbox until it is reached for); `wave`: its click wave's (lookalike.tsx clickWave) */
  checkbox: { prefix: string; theme: string; hash: string; wave: string };
}

/** Provided by the record form; absent elsewhere (filters, bulk edit): controls mount eagerly there. */
export const LazyLookContext = createContext<LazyLook | null>(null);

/**
 * Registers antd's select, picker, input and number styles once (a look-alike is not an antd component, so
 * nothing else would) and answers the root classes a look-alike needs. Call once per form.
 */
export function useLazyLook(): LazyLook {
  const { prefix: select, hashId: selectHash, cssVarCls: selectVars, rootCls: selectRoot } = useAntdClasses('select', useSelectStyle, true);
  const { prefix: picker, hashId: pickerHash, cssVarCls: pickerVars, rootCls: pickerRoot } = useAntdClasses('picker', usePickerStyle, true);
  const { prefix: number, hashId: numberHash, cssVarCls: numberVars, rootCls: numberRoot } = useAntdClasses('input-number', useNumberStyle, true);
  const { prefix: rate, hashId: rateHash, cssVarCls: rateVars } = useAntdClasses('rate', useRateStyle);
  const { prefix: checkbox, hashId: checkboxHash, cssVarCls: checkboxVars, rootCls: checkboxRoot } = useAntdClasses('checkbox', useCheckboxStyle, true);
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  // the checkbox's click wave, as antd's Wave names and registers it (one for the form, not one per box)
  const wave = getPrefixCls('wave');
  const waveClasses = [wave, useWaveStyle(wave)].filter(Boolean).join(' ');
  // the input's look comes from three hooks (shared, input, text area) under one root class
  const input = getPrefixCls('input');
  const inputRoot = useCSSVarCls(input);
  const [inputHash, inputVars] = useInputSharedStyle(input);
  useInputStyle(input, inputRoot);
  useTextAreaStyle(input, inputRoot);
  const selectClasses = [select, `${select}-outlined`, selectVars, selectRoot, selectHash].filter(Boolean).join(' ');
  const pickerClasses = [picker, `${picker}-outlined`, pickerHash, pickerVars, pickerRoot].filter(Boolean).join(' ');
  const inputClasses = [input, `${input}-outlined`, inputHash, inputVars, inputRoot].filter(Boolean).join(' ');
  const numberClasses = [number, `${number}-mode-input`, `${number}-outlined`, numberVars, numberRoot, numberHash].filter(Boolean).join(' ');
  const rateClasses = [rate, rateHash, rateVars].filter(Boolean).join(' ');
  const checkboxTheme = [checkboxVars, checkboxRoot, checkboxHash].filter(Boolean).join(' ');
  // the same object while the classes are the same: the context's consumers stay as they are
  return useMemo(
    () => ({
      select: selectClasses,
      picker: pickerClasses,
      input: inputClasses,
      number: numberClasses,
      rate: rateClasses,
      checkbox: { prefix: checkbox, theme: checkboxTheme, hash: checkboxHash, wave: waveClasses },
    }),
    [selectClasses, pickerClasses, inputClasses, numberClasses, rateClasses, checkbox, checkboxTheme, checkboxHash, waveClasses],
  );
}

const CALENDAR =
  'M880 184H712v-64c0-4.4-3.6-8-8-8h-56c-4.4 0-8 3.6-8 8v64H384v-64c0-4.4-3.6-8-8-8h-56c-4.4 0-8 3.6-8 8v64H144c-17.7 0-32 14.3-32 32v664c0 17.7 14.3 32 32 32h736c17.7 0 32-14.3 32-32V216c0-17.7-14.3-32-32-32zm-40 656H184V460h656v380zM184 392V256h128v48c0 4.4 3.6 8 8 8h56c4.4 0 8-3.6 8-8v-48h256v48c0 4.4 3.6 8 8 8h56c4.4 0 8-3.6 8-8v-48h128v136H184z';
const UP = 'M890.5 755.3L537.9 269.2c-12.8-17.6-39-17.6-51.7 0L133.5 755.3A8 8 0 00140 768h75c5.1 0 9.9-2.5 12.9-6.6L512 369.8l284.1 391.6c3 4.1 7.8 6.6 12.9 6.6h75c6.5 0 10.3-7.4 6.5-12.7z';
const CLOCK = [
  'M512 64C264.6 64 64 264.6 64 512s200.6 448 448 448 448-200.6 448-448S759.4 64 512 64zm0 820c-205.4 0-372-166.6-372-372s166.6-372 372-372 372 166.6 372 372-166.6 372-372 372z',
  'M686.7 638.6L544.1 535.5V288c0-4.4-3.6-8-8-8H488c-4.4 0-8 3.6-8 8v275.4c0 2.6 1.2 5 3.3 6.5l165.4 120.6c3.6 2.6 8.6 1.8 11.2-1.7l28.6-39c2.6-3.7 1.8-8.7-1.8-11.2z',
];







function pickerLookalike({ look, icon, id, disabled, error, shown, placeholder, aria, onActivate }: LookalikeProps & { look: string; icon: 'calendar' | 'clock' }) {
  const on = activators(disabled, onActivate);
  const prefix = look.split(' ')[0];
  const classes = [look, disabled && `${prefix}-disabled`, error && `${prefix}-status-error`, 'lazy-control'];
  return (
    <div className={classes.filter(Boolean).join(' ')} style={{ width: '100%' }} {...on.root}>
      <div className={`${prefix}-input`}>
        <input
          id={id}
          onChange={ignore}
          disabled={disabled}
          autoComplete="off"
          size={12}
          placeholder={placeholder}
          value={shown[0] ?? ''}
          {...aria}
          {...on.input}
        />
        <span className={`${prefix}-suffix`}>
          {icon === 'calendar' ? svgIcon('calendar', [CALENDAR]) : svgIcon('clock-circle', CLOCK)}
        </span>
      </div>
    </div>
  );
}

/**
 * antd's InputNumber, drawn: prefix, the formatted number (role spinbutton), suffix, and its step
 * buttons once the pointer has been over it. antd keeps those buttons invisible and zero-wide until
 * hover (`--ant-input-number-handle-opacity: 0`): drawn on every number field they were 9 of its
 * 19 elements, ~400 of a 200-field form's ~2,900 to style, lay out and paint for nothing seen.
 * Drawn on the first hover, they fade in as antd's do (fields.css gives them a starting style).
 */
function numberLookalike({ look, prefixText, suffixText, id, disabled, error, shown, placeholder, aria, onActivate, hovered, onHover }: LookalikeProps & { look: string; prefixText?: string; suffixText?: string; hovered: boolean; onHover: () => void }) {
  const on = activators(disabled, onActivate);
  const prefix = look.split(' ')[0];
  const classes = [look, disabled && `${prefix}-disabled`, error && `${prefix}-status-error`, 'lazy-control'];
  const step = (direction: 'up' | 'down') => (
    <span unselectable="on" aria-hidden="true" className={`${prefix}-action ${prefix}-action-${direction}`}>
      {svgIcon(direction, [direction === 'up' ? UP : DOWN])}
    </span>
  );
  return (
    <div className={classes.filter(Boolean).join(' ')} style={{ width: '100%' }} onMouseEnter={hovered ? undefined : onHover} {...on.root}>
      {prefixText && <div className={`${prefix}-prefix`}>{prefixText}</div>}
      <input
        id={id}
        onChange={ignore}
        disabled={disabled}
        autoComplete="off"
        role="spinbutton"
        className={`${prefix}-input`}
        placeholder={placeholder}
        value={shown[0] ?? ''}
        {...aria}
        {...on.input}
      />
      {suffixText && <div className={`${prefix}-suffix`}>{suffixText}</div>}
      {!disabled && hovered && (
        <div className={`${prefix}-actions`}>
          {step('up')}
          {step('down')}
        </div>
      )}
    </div>
  );
}

export interface LazyProps {
  /** select: a Select, TreeSelect or Cascader; calendar / clock: a date or time picker; number: an InputNumber */
  kind: 'select' | 'calendar' | 'clock' | 'number';
  /** a number's prefix and suffix (¥, %) */
  prefixText?: string;
  suffixText?: string;
  id?: string;
  disabled?: boolean;
  /** what the control shows for its value: the option labels, or the picker's text */
  shown: string[];
  multiple?: boolean;
  placeholder?: string;
  aria?: LookalikeAria;
  /** the real control's own root class beside the select's (`ant-cascader`, `ant-tree-select`) */
  rootClass?: string;
}

export interface LazyControlProps extends LazyProps {
  /** the real control, started as `activation` says (focused, open) */
  children: (activation: Activation) => ReactElement;
}

/** A control drawn until woken, as its editor sees it (useDrawnUntilWoken). */
export interface Drawn<W> {
  /** the look-alike classes while the control is drawn; null once the real control is to mount (woken, or outside a record form) */
  look: LazyLook | null;
  /** the field or its whole form is disabled: the drawn control looks disabled and nothing wakes it */
  off: boolean;
  /** how it was woken, in the editor's own terms (where the focus was, whether to open): the real control starts from it; null until then */
  woken: W | null;
  /** wakes it; null puts it back to sleep (a rating undoes a pending wake under a press) */
  setWoken: (woken: W | null) => void;
}

/**
 * The one "drawn until woken" state of the record form's controls: a select, picker or number
 * (useLazyControl below), a rating's stars (types/number.tsx) and a checkbox (types/choice.tsx)
 * each draw antd's markup until the editor says what woke it, then mount the real control, which
 * starts from that. What wakes it (focus, press, hover, the keyboard only) and which element had
 * the focus is each editor's own; whether to draw at all (only in a record form, whose
 * LazyLookContext gives antd's classes; elsewhere the real control mounts at once) and the
 * disabled state (the field's or the form's: antd's DisabledContext, which a drawn control, not
 * being antd's, would not read) are the same for all, here.
 */
export function useDrawnUntilWoken<W>(disabled: boolean | undefined): Drawn<W> {
  const look = useContext(LazyLookContext);
  const formDisabled = useContext(DisabledContext);
  const [woken, setWoken] = useState<W | null>(null);
  return { look: woken === null ? look : null, off: Boolean(disabled || formDisabled), woken, setWoken };
}

/**
 * The look-alike to draw for now, or null once the real control is to mount (activated, or
 * outside a record form), with how that control starts. A hook rather than only a component, so
 * an editor draws its look-alike itself: one component fewer per control on a 200-field form.
 */
export function useLazyControl({ kind, id, disabled, shown, multiple = false, placeholder, aria, rootClass, prefixText, suffixText }: LazyProps): {
  lookalike: ReactElement | null;
  how: Activation;
} {
  const { look, off, woken: activation, setWoken: setActivation } = useDrawnUntilWoken<Activation>(disabled);
  const { status } = useContext(FormItemInputContext);
  // a number's step buttons, drawn once the pointer has been over it (numberLookalike)
  const [hovered, setHovered] = useState(false);
  if (!look) return { lookalike: null, how: activation ?? AT_ONCE };
  const props: LookalikeProps = {
    id,
    disabled: off,
    error: status === 'error',
    shown,
    placeholder,
    aria,
    onActivate: setActivation,
  };
  // drawn by functions, not mounted as components
  let lookalike: ReactElement;
  if (kind === 'select') lookalike = selectLookalike({ ...props, look: look.select, extra: rootClass, multiple });
  else if (kind === 'number') lookalike = numberLookalike({ ...props, look: look.number, prefixText, suffixText, hovered, onHover: () => setHovered(true) });
  else lookalike = pickerLookalike({ ...props, look: look.picker, icon: kind });
  return { lookalike, how: AT_ONCE };
}

/** The real control once activated (or outside a record form); its look-alike until then. */
export function LazyControl({ children, ...props }: LazyControlProps) {
  const { lookalike, how } = useLazyControl(props);
  return lookalike ?? children(how);
}
