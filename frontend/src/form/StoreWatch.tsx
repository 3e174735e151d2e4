import { useCallback } from 'react';
import { Field } from '@rc-component/form';
import { useLatest } from '../lib/useLatest';

type Values = Record<string, unknown>;

/** Called with the form's values after a change and before it; `byUser` when an editor made it (not setFieldsValue). */
export type StoreListener = (next: Values, previous: Values, byUser: boolean) => void;

const nothing = () => null;

/**
 * Hears every change of the form's values through rc-form's own store notice, for the price of
 * one comparison. antd's `onValuesChange` and `Form.useWatch` copy the values of all fields
 * (key by key, a new object per key: quadratic in the number of fields) on every keystroke,
 * ~6 ms each on a 200-field form, before the typed character is even drawn. A nameless Field
 * whose `shouldUpdate` is asked on each change and always answers no: it never renders again
 * and takes no part in validation or getFieldsValue.
 */
export function StoreWatch({ onChange }: { onChange: StoreListener }) {
  const latest = useLatest(onChange);
  const shouldUpdate = useCallback(
    (previous: Values, next: Values, info: { source?: string }) => {
      if (previous !== next) latest.current(next, previous, info.source === 'internal');
      return false;
    },
    [latest],
  );
  return <Field shouldUpdate={shouldUpdate}>{nothing}</Field>;
}
