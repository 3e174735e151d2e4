import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * A ref that always holds this render's `value`, of one identity for the component's life: memoised
 * children (a list's rows and cards) call the latest callbacks through it without being rendered
 * again each time those callbacks are made anew.
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
