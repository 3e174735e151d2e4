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
 * Fetches the code of a page this one leads to once the browser is idle (while the person reads
 * this page), so the click that opens it doesn't wait for its chunks: Edit from a record (`load`
 * a module-level `() => import(…)`: fetched and run), New or a row from a list (`preloadRoute`:
 * fetched, not run). A failed fetch is left to the route's own import (which shows its error).
 * `afterMs`: the first moments after the page is drawn are left to it (the first scroll, the
 * first frames): the idle period right after the first paint would otherwise start the fetch
 * while the page's own frames are still coming (a list's first frame after its rows came
 * ~10-15 ms later).
 */
export function usePrefetchWhenIdle(load: () => unknown, enabled: boolean, afterMs = 0): void {
  useEffect(() => {
    if (!enabled) return undefined;
    let cancelIdle = () => undefined as void;
    const timer = window.setTimeout(() => {
      cancelIdle = whenIdle(() => void Promise.resolve().then(load).catch(() => undefined), 200);
    }, afterMs);
    return () => {
      window.clearTimeout(timer);
      cancelIdle();
    };
  }, [load, enabled, afterMs]);
}
