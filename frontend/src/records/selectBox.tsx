/**
 * A selection box: antd's checkbox markup and classes on a native input, not a Checkbox
 * component per row — 50 fewer component trees (each with its wave effect, contexts and hooks)
 * on a list's first render; called as a function, it is not even a component of its own. It is
 * dressed by antd's prebuilt antd.css, so it relies on the zero-runtime theme (app/theme.ts):
 * with runtime styles it would be a bare browser checkbox. (antd 6 draws the box on .ant-checkbox
 * itself: no inner span, one element fewer per row to lay out.)
 */
export function selectBox({ checked, indeterminate = false, label, onChange }: { checked: boolean; indeterminate?: boolean; label: string; onChange: (checked: boolean, shift: boolean) => void }) {
  const state = checked ? ' ant-checkbox-checked' : indeterminate ? ' ant-checkbox-indeterminate' : '';
  return (
    <label className={`ant-checkbox-wrapper${checked ? ' ant-checkbox-wrapper-checked' : ''}`} onClick={(event) => event.stopPropagation()}>
      <span className={`ant-checkbox${state}`}>
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
