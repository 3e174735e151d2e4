import { useContext } from 'react';
import { ConfigProvider } from 'antd';
import useWaveStyle from 'antd/es/_util/wave/style';
import { TARGET_CLS } from 'antd/es/_util/wave/interface';
import { clickWave } from '../fields/lookalike';
import { classNames } from '../lib/antdClasses';

/**
 * A selection box: antd's checkbox markup and classes on a native input, not a Checkbox
 * component per row — 50 fewer component trees (each with its wave effect, contexts and hooks)
 * on a list's first render; called as a function, it is not even a component of its own. It is
 * dressed by antd's prebuilt antd.css, so it relies on the zero-runtime theme (app/theme.ts):
 * with runtime styles it would be a bare browser checkbox. (antd 6 draws the box on .ant-checkbox
 * itself: no inner span, one element fewer per row to lay out.) antd's click wave is shown on it
 * as on antd's own box (fields/lookalike.tsx clickWave), without a Wave mounted per row.
 */
export function selectBox({ checked, indeterminate = false, label, wave, onChange }: { checked: boolean; indeterminate?: boolean; label: string; wave: string; onChange: (checked: boolean, shift: boolean) => void }) {
  const state = checked ? ' ant-checkbox-checked' : indeterminate ? ' ant-checkbox-indeterminate' : '';
  return (
    <label
      className={`ant-checkbox-wrapper${checked ? ' ant-checkbox-wrapper-checked' : ''}`}
      onClick={(event) => {
        event.stopPropagation();
        // a click, a tap or Space: the wave once the box is drawn ticked (none when it clears)
        clickWave(event.currentTarget, event, wave, 'Checkbox');
      }}
    >
      <span className={`ant-checkbox ${TARGET_CLS}${state}`}>
        <input
          type="checkbox"
          className="ant-checkbox-input"
          checked={checked}
          aria-label={label}
          // half ticked (some rows of the page): the input's own state, as screen readers read it
          ref={(input) => {
            if (input) input.indeterminate = indeterminate && !checked;
          }}
          onChange={(event) => onChange(event.target.checked, (event.nativeEvent as globalThis.MouseEvent).shiftKey === true)}
        />
      </span>
    </label>
  );
}

/**
 * The click wave's classes for the boxes of one list, as antd's Wave names and registers them
 * (its style hook once for the list, not once per box).
 */
export function useSelectBoxWave(): string {
  const wave = useContext(ConfigProvider.ConfigContext).getPrefixCls('wave');
  return classNames(wave, useWaveStyle(wave));
}
