import { useEffect } from 'react';

/**
 * Runs `task` once the browser is idle (at the latest after two seconds), or after `fallbackMs`
 * where there is no requestIdleCallback (Safari); returns the cancel for an effect's clean-up.
 * For work a page can put off until it is drawn: prefetching code, secondary requests.
 */
export function whenIdle(task: () => void, fallbackMs: number): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = window.setTimeout(task, fallbackMs);
  return () => window.clearTimeout(timer);
}

/**
 * Fetches and runs the code of a page this one leads to once the browser is idle (while the
 * person reads this page), so the click that opens it doesn't wait for its chunks: Edit from a
 * record, New or a row from a list. `load` is a module-level `() => import(…)`; the module map
 * keeps what it loaded, so the route's own import of it later costs nothing. A failed fetch is
 * left to that route's import (which shows its error), not reported here.
 */
export function usePrefetchWhenIdle(load: () => Promise<unknown>, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return undefined;
    return whenIdle(() => void load().catch(() => undefined), 200);
  }, [load, enabled]);
}
