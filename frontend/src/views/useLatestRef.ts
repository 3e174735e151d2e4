import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * lib/useLatest for the list's rows and cards (records/RecordTable, RecordCards): a ref holding
 * this render's value, so memoised rows call the latest callbacks without being drawn again.
 * A copy of its own while the build puts lib/useLatest with the record form: since
 * form/StoreWatch imports it too, the module is shared by the list and the form routes only, and
 * rolldown merges that small group (vite.config.ts, MERGE_BELOW) into the form's chunk, so the
 * list route preloaded and ran RecordForm and every field editor (23 files, 210 KB gz, instead
 * of 14 and 105 KB). Back to lib/useLatest once small groups no longer merge that way.
 */
export function useLatestRef<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useLayoutEffect(() => void (ref.current = value));
  return ref;
}
