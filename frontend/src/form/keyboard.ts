import type { KeyboardEvent } from 'react';

const TYPING_INPUTS = new Set(['text', 'email', 'tel', 'url', 'number', 'search', 'password', '']);

function isPlainInput(target: EventTarget): target is HTMLInputElement {
  if (!(target instanceof HTMLInputElement)) return false;
  if (!TYPING_INPUTS.has(target.type)) return false;
  // Select and picker inputs use Enter themselves (choose an option, confirm a date).
  if (target.getAttribute('role') === 'combobox') return false;
  return !target.closest('.ant-picker, .ant-select');
}

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('input, textarea, button, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !(el as HTMLInputElement).disabled && el.tabIndex >= 0 && el.getAttribute('type') !== 'hidden' && el.closest('[aria-hidden="true"]') === null,
  );
}

/** Focuses the next editor after `from` inside `root` (skipping buttons, which Enter would press). */
function focusNext(root: HTMLElement, from: HTMLElement): void {
  const all = focusables(root);
  const next = all.slice(all.indexOf(from) + 1).find((el) => el.tagName !== 'BUTTON');
  next?.focus();
}

/**
 * Form keys: Ctrl/⌘+Enter saves from anywhere in the form; Enter in a one-line input moves to the
 * next field instead of submitting half a form.
 */
export function formKeyHandler(save: () => void) {
  return (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      save();
      return;
    }
    if (isPlainInput(event.target)) {
      event.preventDefault();
      focusNext(event.currentTarget, event.target);
    }
  };
}
