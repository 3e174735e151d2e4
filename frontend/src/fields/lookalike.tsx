/**
 * antd controls' closed markup, drawn by functions: what stands in for a heavy control (a
 * Select, a picker, an InputNumber) until someone reaches for it, with the same classes (antd's
 * own styles dress it), the shown value, id, role and accessible name. Pressing on it or
 * focusing it tells the caller to mount the real control (focused, and open on a press). The
 * record form's editors use it through fields/lazy.tsx; the list's view picker uses the select.
 * No style hook here: whoever draws a look-alike registers the control's styles (it is not an
 * antd component, so nothing else would).
 */
import type { MouseEvent, ReactNode } from 'react';
import showWaveEffect from 'antd/es/_util/wave/WaveEffect';
import { TARGET_CLS, type ShowWaveEffect, type WaveComponent } from 'antd/es/_util/wave/interface';
import type { FieldAria } from './registry';

/** How the real control starts once it is mounted in place of its look-alike. */
export interface Activation {
  autoFocus: boolean;
  defaultOpen: boolean;
}

const BY_FOCUS: Activation = { autoFocus: true, defaultOpen: false };
const BY_PRESS: Activation = { autoFocus: true, defaultOpen: true };

export const DOWN = 'M884 256h-75c-5.1 0-9.9 2.5-12.9 6.6L512 654.2 227.9 262.6c-3-4.1-7.8-6.6-12.9-6.6h-75c-6.5 0-10.3 7.4-6.5 12.7l352.6 486.1c12.8 17.6 39 17.6 51.7 0l352.6-486.1c3.9-5.3.1-12.7-6.4-12.7z';

/**
 * antd's icon markup, called as a function rather than mounted as a component: a plain SVG,
 * nothing to mount (a 200-field form draws ~200 of them).
 */
export function svgIcon(name: string, paths: string[]) {
  return (
    <span role="img" aria-hidden="true" className={`anticon anticon-${name}`}>
      <svg viewBox="64 64 896 896" focusable="false" width="1em" height="1em" fill="currentColor" aria-hidden="true">
        {paths.map((d) => (
          <path key={d} d={d} />
        ))}
      </svg>
    </span>
  );
}

/** The ARIA state a field frame gives its editor, and a name where no label names it. */
export type LookalikeAria = FieldAria & { 'aria-label'?: string };

export interface LookalikeProps {
  id?: string;
  disabled: boolean;
  error: boolean;
  shown: string[];
  placeholder?: string;
  aria?: LookalikeAria;
  onActivate: (how: Activation) => void;
}

/**
 * A look-alike's input is not read-only (a test driver or an assistive tool may treat it as
 * the editable field it stands for), but what it receives is dropped: focusing it has already
 * put the real control, focused, in its place.
 */
export const ignore = () => undefined;

/** The frame a control's wave waits for (by its wave target): one wave a frame, as antd's Wave. */
const waveFrames = new WeakMap<HTMLElement, number>();

/**
 * antd's click wave on a drawn control, as its Wave component shows it, without mounting a Wave
 * (its style hook, token and listener) per control: on the element marked as the wave's target,
 * in the next frame (once the click has been drawn: a checkbox's wave shows only when checked),
 * once a frame (a click on a label and the click it passes to its input are one). `className`:
 * the wave's own classes (useLazyLook registers its style once).
 */
export function clickWave(root: HTMLElement, event: MouseEvent, className: string, component: WaveComponent): void {
  const target = root.querySelector<HTMLElement>(`.${TARGET_CLS}`) ?? root;
  cancelAnimationFrame(waveFrames.get(target) ?? 0);
  // antd's effect reads the class, the component and the target; the token and hash serve only
  // a custom effect given to ConfigProvider (`wave.showEffect`), which the app does not set
  const info = { className, component, event: event.nativeEvent, hashId: '' } as Parameters<ShowWaveEffect>[1];
  waveFrames.set(target, requestAnimationFrame(() => showWaveEffect(target, info)));
}

/** Swaps on a press (opening the control) or on focus; never while disabled. */
export function activators(disabled: boolean, onActivate: (how: Activation) => void) {
  if (disabled) return { root: {}, input: {} };
  return {
    root: {
      onMouseDown: (event: MouseEvent) => {
        // no focus on the look-alike first: the real control takes it as it mounts
        event.preventDefault();
        // nor may the field focused before keep it until then: keys typed in that moment
        // would land in that other field (a click on a department, then "East" typed at once,
        // ended up in the address above it)
        const before = document.activeElement;
        if (before instanceof HTMLElement && before !== document.body) before.blur();
        // after this press has reached the window: a Select mounted open during it would take
        // the press for one outside it (antd closes on a window mousedown) and close at once
        setTimeout(() => onActivate(BY_PRESS), 0);
      },
    },
    input: { onFocus: () => onActivate(BY_FOCUS) },
  };
}

/**
 * antd Select's closed markup. `look`: the select's root classes (prefix, variant, theme hash,
 * CSS variables); `extra`: more root classes; `fill`: as wide as its container (a form's
 * control), else as wide as the stylesheet says; `testId`: the real Select's test id.
 */
export function selectLookalike({ look, extra, multiple, fill = true, testId, id, disabled, error, shown, placeholder, aria, onActivate }: LookalikeProps & { look: string; extra?: string; multiple: boolean; fill?: boolean; testId?: string }) {
  const on = activators(disabled, onActivate);
  const prefix = look.split(' ')[0];
  const classes = [
    look,
    extra,
    `${prefix}-${multiple ? 'multiple' : 'single'}`,
    `${prefix}-show-arrow`,
    disabled && `${prefix}-disabled`,
    error && `${prefix}-status-error`,
    'lazy-control',
  ];
  const input = (
    <input
      id={id}
      onChange={ignore}
      disabled={disabled}
      autoComplete="off"
      className={`${prefix}-input`}
      role="combobox"
      aria-expanded="false"
      aria-haspopup="listbox"
      aria-autocomplete="list"
      type="text"
      value=""
      {...aria}
      {...on.input}
    />
  );
  let content: ReactNode;
  if (shown.length === 0) {
    content = (
      <div className={`${prefix}-content`}>
        <div className={`${prefix}-placeholder`}>{placeholder}</div>
        {input}
      </div>
    );
  } else if (multiple) {
    content = (
      <div className={`${prefix}-content`}>
        {shown.map((label, index) => (
          <div key={`${index}-${label}`} className={`${prefix}-content-item`}>
            <span title={label} className={`${prefix}-selection-item`}>
              <span className={`${prefix}-selection-item-content`}>{label}</span>
            </span>
          </div>
        ))}
        <div className={`${prefix}-content-item ${prefix}-content-item-suffix`}>{input}</div>
      </div>
    );
  } else {
    content = (
      <div className={`${prefix}-content ${prefix}-content-has-value`} title={shown[0]}>
        {shown[0]}
        {input}
      </div>
    );
  }
  return (
    <div data-testid={testId} className={classes.filter(Boolean).join(' ')} style={fill ? { width: '100%' } : undefined} {...on.root}>
      {content}
      <div className={`${prefix}-suffix`}>
        {svgIcon('down', [DOWN])}
      </div>
    </div>
  );
}
