import type { MouseEvent } from 'react';

const CONTROLS = 'a[href], button, input, label, select, textarea, [role="button"]';

/**
 * Whether a click on a list row, a phone card or a kanban card was meant for a link or control
 * inside it. The row opens its own record only on a click elsewhere: a related record's link in
 * a cell goes where it says, and a Ctrl-click on it opens the new tab without also moving this
 * one. The row itself may be a control (a kanban card is a button): only what is inside counts.
 */
export function clickedInsideControl(event: MouseEvent<HTMLElement>): boolean {
  const control = event.target instanceof Element ? event.target.closest(CONTROLS) : null;
  return control !== null && control !== event.currentTarget && event.currentTarget.contains(control);
}

/** A plain click (no modifier, main button): the app opens the page; any other is the browser's. */
export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
