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
